/* pid_reuse.c — a kill prepared against a listener never reaches a process that reused its pid. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/killer.h"
#include "porttop/procfd.h"

/*
 * Run as pid 1 of a private PID namespace with its own /proc (unshare -pf --mount-proc), so
 * that nothing else forks and /proc/sys/kernel/ns_last_pid picks the next pid.
 *
 * Each round: the listener A (a child holding our listening socket) is pinned with
 * killer_open, exactly as the kill dialog does; A is killed behind the killer's back and
 * reaped; B is forked onto A's pid through ns_last_pid and inherits the same socket under the
 * same fd number, so pid, inode and fd all match and often the start time too (same clock
 * tick). killer_signal must refuse, and B must have no signal pending. A control then shows the
 * check can fail: a killer opened on B itself does deliver (the signal shows as pending, since
 * B blocks it). Exit 0 when every round held, 1 on a failure, 77 when not run as described.
 */

#define ROUNDS 20

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL: " __VA_ARGS__);                                              \
			printf("\n");                                                              \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* A child that blocks every signal it can (so one sent shows as pending) and waits. */
static pid_t
spawn_holder(void)
{
	sigset_t all;
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (;;)
		pause();
}

static uint64_t
start_time(pid_t pid)
{
	char path[64], buf[1024];
	uint64_t st = 0;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	n = fileio_read_small(AT_FDCWD, path, buf, sizeof buf);
	if (n <= 0 || procfd_parse_stat_start(buf, (size_t)n, &st) < 0)
		return 0;
	return st;
}

/* The signals pending for pid (thread and process), as a mask; ~0 when unreadable. */
static unsigned long long
pending(pid_t pid)
{
	char path[64], buf[4096], *p;
	unsigned long long a, b;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (fileio_read_small(AT_FDCWD, path, buf, sizeof buf) <= 0 ||
	        (p = strstr(buf, "\nSigPnd:\t")) == NULL || sscanf(p + 9, "%llx", &a) != 1 ||
	        (p = strstr(buf, "\nShdPnd:\t")) == NULL || sscanf(p + 9, "%llx", &b) != 1)
		return ~0ull;
	return a | b;
}

static int
set_last_pid(pid_t pid)
{
	char buf[32];
	int fd, n, r = 0;

	n = snprintf(buf, sizeof buf, "%d", (int)pid);
	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n)
		r = -errno;
	close(fd);
	return r;
}

static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct pt_owner target;
	struct killer *k = NULL, *ctl = NULL;
	char *cause = NULL;
	struct stat st;
	int s, r, round, same_start = 0;
	pid_t a, b;
	uint64_t sa, sb;

	if (getpid() != 1) {
		printf("SKIP: run me as pid 1 of a new PID namespace (unshare -pf --mount-proc)\n");
		return 77;
	}
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(s, 4) < 0 ||
	        fstat(s, &st) < 0) {
		printf("FAIL: cannot listen: %s\n", strerror(errno));
		return 1;
	}

	for (round = 0; round < ROUNDS; round++) {
		a = spawn_holder();
		if (a < 0) {
			printf("FAIL: fork: %s\n", strerror(errno));
			return 1;
		}
		target = (struct pt_owner){ .inode = (uint32_t)st.st_ino, .pid = a, .fd = s };
		target.start_time = start_time(a);
		r = killer_open(&k, "/proc", &target, ":test", &cause);
		CHECK(r == 0, "round %d: killer_open on the live listener: %s", round,
		        cause ? cause : strerror(-r));
		free(cause);
		cause = NULL;

		/* A goes away behind the killer's back; B takes its pid and its socket. */
		reap(a);
		if ((r = set_last_pid(a - 1)) < 0) {
			printf("SKIP: cannot write ns_last_pid: %s\n", strerror(-r));
			killer_free(k);
			return 77;
		}
		b = spawn_holder();
		if (b != a) {
			printf("FAIL: round %d: the new process got pid %d, not %d\n", round,
			        (int)b, (int)a);
			reap(b);
			return 1;
		}
		sa = target.start_time;
		sb = start_time(b);
		same_start += sa == sb;

		if (k != NULL) {
			r = killer_signal(k, SIGTERM, &cause);
			CHECK(r == -ESRCH || r == -ESTALE,
			        "round %d: killer_signal after pid reuse returned %d (%s)", round,
			        r, cause ? cause : "no reason");
			free(cause);
			cause = NULL;
			killer_free(k);
			k = NULL;
		}
		CHECK(pending(b) == 0, "round %d: the process that reused pid %d has signals %llx",
		        round, (int)b, pending(b));

		/* Control: the same path does signal the process it was prepared against. */
		target.start_time = sb;
		r = killer_open(&ctl, "/proc", &target, ":test", &cause);
		CHECK(r == 0, "round %d: control killer_open: %s", round, cause ? cause : "?");
		free(cause);
		cause = NULL;
		if (r == 0) {
			r = killer_signal(ctl, SIGTERM, &cause);
			CHECK(r == 0, "round %d: control killer_signal: %s", round,
			        cause ? cause : "?");
			free(cause);
			cause = NULL;
			CHECK(pending(b) & (1ull << (SIGTERM - 1)),
			        "round %d: control: SIGTERM not pending in %d", round, (int)b);
			killer_free(ctl);
			ctl = NULL;
		}
		reap(b);
	}
	printf("pid_reuse: %d rounds, %d with the same start time too, %d failures\n", ROUNDS,
	        same_start, failures);
	return failures == 0 ? 0 : 1;
}
