/* proctest.h — real processes for the sys tests: their /proc facts, and a zombie leader. */
#ifndef PORTTOP_TESTS_PROCTEST_H
#define PORTTOP_TESTS_PROCTEST_H

#include <stdint.h>
#include <sys/types.h>

/* Field 22 of /proc/PID/stat (the test fails when it cannot be read). */
uint64_t proctest_start(pid_t pid);

/* The state letter of pid (stat field 3), or 0 when it cannot be read. */
char proctest_state(pid_t pid);

/* Wait (up to 5 s) until pid's state is Z; the test fails otherwise. */
void proctest_wait_zombie(pid_t pid);

/*
 * Wait (up to 5 s) until pid is a zombie with no other thread left: only then are its
 * descriptors closed. (A sanitizer's helper thread may outlive the main thread by a moment.)
 */
void proctest_wait_dead(pid_t pid);

/*
 * A child whose main thread exits while a second thread keeps it running and holding a TCP
 * socket listening on 127.0.0.1 (an ephemeral port): a zombie thread-group leader. Returns its
 * pid once its leader is a zombie; *inode and *fd are the socket's inode and descriptor there.
 * Kill it with SIGKILL and reap it.
 */
pid_t proctest_zombie_leader(uint32_t *inode, int *fd);

#endif
