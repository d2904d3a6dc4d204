/* proctest.c — real processes for the sys tests: their /proc facts, and a zombie leader. */
#include "config.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/procfd.h"
#include "proctest.h"
#include "unit.h"

uint64_t
proctest_start(pid_t pid)
{
	char path[64], buf[1024];
	uint64_t start = 0;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	n = fileio_read_small(AT_FDCWD, path, buf, sizeof buf);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(procfd_parse_stat_start(buf, (size_t)n, &start), 0);
	return start;
}

char
proctest_state(pid_t pid)
{
	char path[64], buf[1024], *p;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (fileio_read_small(AT_FDCWD, path, buf, sizeof buf) <= 0 ||
		(p = strrchr(buf, ')')) == NULL)
		return 0;
	return p[1] == ' ' ? p[2] : 0;
}

void
proctest_wait_zombie(pid_t pid)
{
	int i;

	for (i = 0; i < 500 && proctest_state(pid) != 'Z'; i++)
		usleep(10000);
	ck_assert_int_eq(proctest_state(pid), 'Z');
}

/* Field 20 of /proc/PID/stat, the number of threads; 0 when it cannot be read. */
static long
proctest_threads(pid_t pid)
{
	char path[64], buf[1024], *p;
	int field;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (fileio_read_small(AT_FDCWD, path, buf, sizeof buf) <= 0 ||
		(p = strrchr(buf, ')')) == NULL)
		return 0;
	for (field = 2; field < 20 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	return p != NULL ? strtol(p + 1, NULL, 10) : 0;
}

void
proctest_wait_dead(pid_t pid)
{
	int i;

	for (i = 0; i < 500 && (proctest_state(pid) != 'Z' || proctest_threads(pid) != 1); i++)
		usleep(10000);
	ck_assert_int_eq(proctest_state(pid), 'Z');
	ck_assert_int_eq(proctest_threads(pid), 1);
}

static void *
proctest_hold(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

pid_t
proctest_zombie_leader(uint32_t *inode, int *sockfd)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct stat st;
	pthread_t t;
	pid_t pid;
	int fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	*inode = (uint32_t)st.st_ino;
	*sockfd = fd;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* The socket stays open in the child's fd table, which the second thread shares. */
		if (pthread_create(&t, NULL, proctest_hold, NULL) != 0)
			_exit(1);
		pthread_exit(NULL);
	}
	close(fd);
	proctest_wait_zombie(pid);
	return pid;
}
