/* killer.h — signal a listener's owner without ever hitting a recycled pid. */
#ifndef PORTTOP_KILLER_H
#define PORTTOP_KILLER_H

#include <stdbool.h>
#include <stdint.h>

#include "porttop/model.h"

/*
 * One prepared target: a pidfd on a process that, when it was opened, was verified to be the
 * one the user saw (same pid and start time) and to still hold the socket inode. Signals go
 * through the pidfd, so a process that exited and whose pid was reused is never signalled.
 * Nothing else in porttop sends signals. Any one thread at a time.
 */
struct killer;

/*
 * Open and verify target (pid, start_time, inode) under proc_root ("/proc"). Returns 0 and
 * *out, or -errno with the reason in words in *cause (owned): -ESRCH "pid 1234 has exited",
 * -ESTALE "target changed: pid 1234 no longer holds :8080" (port_text names the socket in
 * messages), -EPERM "not permitted: owned by root — run porttop as root".
 */
int killer_open(struct killer **out, const char *proc_root, const struct pt_owner *target,
	const char *port_text, char **cause);
void killer_free(struct killer *k);

/*
 * Re-verify (start time and inode) and send sig through the pidfd. 0, or -errno with *cause.
 * -ESRCH when the process already exited.
 */
int killer_signal(struct killer *k, int sig, char **cause);

/* Wait up to timeout_ms for the process to exit: 1 exited, 0 still alive, -errno. */
int killer_wait(struct killer *k, int timeout_ms);

/* The pidfd: poll() reports it readable once the process has exited. */
int killer_fd(const struct killer *k);
int32_t killer_pid(const struct killer *k);

/* The signals the kill menu offers, in menu order (TERM first). */
extern const int killer_menu[];
extern const unsigned killer_menu_len;
/* "TERM" for SIGTERM; NULL for unknown. */
const char *killer_signal_name(int sig);
/* SIGTERM for "TERM", "SIGTERM", "term" or "15"; -1 for unknown. */
int killer_signal_parse(const char *name);

#endif
