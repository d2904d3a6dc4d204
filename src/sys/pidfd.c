/* pidfd.c — process file descriptors: a handle on one process that a recycled pid cannot fool. */
#include "config.h"

#include <errno.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "porttop/pidfd.h"

/* Raw syscalls: the C library's wrappers are newer than some systems porttop builds on. */
int
pidfd_open_pid(int32_t pid)
{
#if HAVE_DECL_SYS_PIDFD_OPEN
	long r = syscall(SYS_pidfd_open, (pid_t)pid, 0u);

	return r < 0 ? -errno : (int)r;
#else
	(void)pid;
	return -ENOSYS;
#endif
}

int
pidfd_signal(int pidfd, int sig)
{
#if HAVE_DECL_SYS_PIDFD_SEND_SIGNAL
	long r = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0u);

	return r < 0 ? -errno : 0;
#else
	(void)pidfd;
	(void)sig;
	return -ENOSYS;
#endif
}
