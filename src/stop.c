/* stop.c — SIGINT, SIGTERM and SIGHUP as a file descriptor: loops stop between samples. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "stop.h"

static int stop_fd = -1;
static bool stop_seen;

int
stop_init(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		close(fd);
		return -errno;
	}
	stop_fd = fd;
	return 0;
}

/* Read any pending stop signal; true when there was one. */
static bool
stop_drain(void)
{
	struct signalfd_siginfo si;

	while (read(stop_fd, &si, sizeof si) == (ssize_t)sizeof si)
		stop_seen = true;
	return stop_seen;
}

bool
stop_wait(int ms)
{
	struct pollfd pfd = { .fd = stop_fd, .events = POLLIN };
	int64_t deadline = clock_mono_ms() + (ms > 0 ? ms : 0), left;
	struct timespec ts;

	if (stop_fd < 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		return false;
	}
	for (;;) {
		if (stop_drain())
			return true;
		left = deadline - clock_mono_ms();
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return false;
	}
}

bool
stop_requested(void)
{
	return stop_fd >= 0 && stop_drain();
}
