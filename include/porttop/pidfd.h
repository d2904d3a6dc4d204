/* pidfd.h — process file descriptors: a handle on one process that a recycled pid cannot fool. */
#ifndef PORTTOP_PIDFD_H
#define PORTTOP_PIDFD_H

#include <stdint.h>

/* pidfd_open(2) for pid: the descriptor, or -errno (-ENOSYS on kernels before 5.3). */
int pidfd_open_pid(int32_t pid);

/* pidfd_send_signal(2): 0 or -errno (-ESRCH once the process has exited). */
int pidfd_signal(int pidfd, int sig);

#endif
