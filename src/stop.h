/* stop.h — SIGINT, SIGTERM and SIGHUP as a file descriptor: loops stop between samples. */
#ifndef PORTTOP_STOP_H
#define PORTTOP_STOP_H

#include <stdbool.h>

/*
 * Block SIGINT, SIGTERM and SIGHUP in the calling thread (call it before starting any other
 * thread, which then inherits the mask) and receive them through a signalfd instead, so a
 * loop notices them only between samples and can finish what it writes. 0 or -errno; after an
 * error the signals keep their default action. Main thread only, once.
 */
int stop_init(void);

/*
 * Sleep for up to ms milliseconds, or until one of those signals arrives. Returns true when
 * one arrived (now or earlier): the loop should stop. Without stop_init it only sleeps.
 */
bool stop_wait(int ms);

/* True when a stop signal arrived; does not wait. */
bool stop_requested(void);

#endif
