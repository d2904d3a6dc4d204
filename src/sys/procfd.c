/* procfd.c — a process's descriptors as /proc shows them, and the stat fields that pin it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/procfd.h"

/* --- paths -------------------------------------------------------------------------------- */

/* Write v in decimal ending just before end; returns where it starts. */
static char *
procfd_utoa(char *end, uint32_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* Append s (n bytes) at *at if it fits before end. */
static int
procfd_put(char **at, char *end, const char *s, size_t n)
{
	if ((size_t)(end - *at) < n)
		return -1;
	memcpy(*at, s, n);
	*at += n;
	return 0;
}

static int
procfd_put_num(char **at, char *end, uint32_t v)
{
	char num[16];
	char *p = procfd_utoa(num + sizeof num, v);

	return procfd_put(at, end, p, (size_t)(num + sizeof num - p));
}

/* buf = PID[/task/TID]/fd[/FD] (fd < 0: no FD); NULL when it does not fit. */
static const char *
procfd_path(char *buf, size_t size, uint32_t pid, uint32_t tid, int32_t fd)
{
	char *at = buf, *end = buf + size;

	if (size == 0 || procfd_put_num(&at, end, pid) < 0)
		return NULL;
	if (tid != 0 &&
		(procfd_put(&at, end, "/task/", 6) < 0 || procfd_put_num(&at, end, tid) < 0))
		return NULL;
	if (procfd_put(&at, end, "/fd", 3) < 0)
		return NULL;
	if (fd >= 0 &&
		(procfd_put(&at, end, "/", 1) < 0 || procfd_put_num(&at, end, (uint32_t)fd) < 0))
		return NULL;
	return procfd_put(&at, end, "", 1) < 0 ? NULL : buf;
}

const char *
procfd_dir_path(char *buf, size_t size, uint32_t pid, uint32_t tid)
{
	return procfd_path(buf, size, pid, tid, -1);
}

const char *
procfd_link_path(char *buf, size_t size, uint32_t pid, uint32_t tid, int32_t fd)
{
	return fd < 0 ? NULL : procfd_path(buf, size, pid, tid, fd);
}

uint32_t
procfd_name_num(const char *s)
{
	uint64_t v = 0;

	if (*s < '1' || *s > '9')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > INT32_MAX)
			return 0;
	}
	return (uint32_t)v;
}

/* Any thread of pid other than its leader: its id, 0 when there is none, or -errno. */
static int64_t
procfd_other_thread(int procfd, uint32_t pid)
{
	char path[32], *at = path;
	struct dirent *d;
	uint32_t tid;
	int64_t r = 0;
	DIR *dir;
	int fd;

	if (procfd_put_num(&at, path + sizeof path, pid) < 0 ||
		procfd_put(&at, path + sizeof path, "/task", 6) < 0)
		return -EINVAL;
	if ((fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if ((dir = fdopendir(fd)) == NULL) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((d = readdir(dir)) != NULL) {
		tid = procfd_name_num(d->d_name);
		if (tid != 0 && tid != pid) {
			r = tid;
			break;
		}
	}
	closedir(dir);
	return r;
}

int
procfd_fd_thread(int procfd, uint32_t pid, uint32_t *tid)
{
	char path[32], *at = path, buf[1024];
	ssize_t n;
	int64_t t;
	int r;

	*tid = 0;
	if (procfd_put_num(&at, path + sizeof path, pid) < 0 ||
		procfd_put(&at, path + sizeof path, "/stat", 6) < 0)
		return -EINVAL;
	if ((n = fileio_read_small(procfd, path, buf, sizeof buf)) < 0)
		return (int)n;
	r = procfd_parse_stat_leader_gone(buf, (size_t)n);
	if (r < 0)
		return -ESRCH;
	if (r != 1)
		return r == PROCFD_KERNEL_THREAD ? 1 : 0;
	/* Threads come and go: the caller retries with another when this one has exited. */
	if ((t = procfd_other_thread(procfd, pid)) < 0)
		return (int)t;
	*tid = (uint32_t)t;
	return 0;
}

/* PF_KTHREAD in the flags of /proc/PID/stat (field 9): include/linux/sched.h. */
#define PROCFD_PF_KTHREAD 0x00200000u

/* --- pure parsers ------------------------------------------------------------------------- */

int
procfd_parse_link(const char *target, size_t len, uint32_t *inode)
{
	static const char prefix[] = "socket:[";
	const size_t plen = sizeof prefix - 1;
	uint64_t v = 0;
	size_t i;

	/* The kernel writes "socket:[N]" with N in canonical decimal; nothing else is a socket. */
	if (target == NULL || len < plen + 2 || memcmp(target, prefix, plen) != 0)
		return -EINVAL;
	if (target[len - 1] != ']' || len - plen - 1 > 10 || target[plen] == '0')
		return -EINVAL;
	for (i = plen; i < len - 1; i++) {
		if (target[i] < '0' || target[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(target[i] - '0');
	}
	if (v == 0 || v > UINT32_MAX)
		return -EINVAL;
	*inode = (uint32_t)v;
	return 0;
}

/*
 * Where field 3 (the state) of a stat text starts, or NULL. comm (field 2) may hold anything,
 * ')' and spaces included: the fields resume after the last ')'.
 */
static const char *
procfd_stat_fields(const char *text, size_t len)
{
	const char *open, *close;

	if (text == NULL)
		return NULL;
	open = memchr(text, '(', len);
	close = memrchr(text, ')', len);
	if (open == NULL || close == NULL || close < open)
		return NULL;
	if (text + len - close < 3 || close[1] != ' ')
		return NULL;
	return close + 2;
}

/* Where field `field` (>= 3) starts: each follows one space. NULL when the text ends first. */
static const char *
procfd_stat_field(const char *text, size_t len, unsigned field)
{
	const char *p = procfd_stat_fields(text, len), *end = text + len;
	unsigned f;

	if (p == NULL)
		return NULL;
	for (f = 3; f < field; f++) {
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		if (p >= end || *p != ' ')
			return NULL;
		p++;
	}
	return p < end ? p : NULL;
}

/* A field's decimal value at p (ending at a space, a newline or the end); 0 or -EINVAL. */
static int
procfd_stat_u64(const char *p, const char *end, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (p == NULL || p >= end || *p < '0' || *p > '9')
		return -EINVAL;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p < end && *p != ' ' && *p != '\n')
		return -EINVAL;
	*out = v;
	return 0;
}

int
procfd_parse_stat_start(const char *text, size_t len, uint64_t *start_time)
{
	return procfd_stat_u64(
		procfd_stat_field(text, len, 22), text + len, UINT64_MAX, start_time);
}

int
procfd_parse_stat_ppid(const char *text, size_t len, uint32_t *ppid)
{
	uint64_t v;

	if (procfd_stat_u64(procfd_stat_field(text, len, 4), text + len, INT32_MAX, &v) < 0)
		return -EINVAL;
	*ppid = (uint32_t)v;
	return 0;
}

int
procfd_parse_stat_leader_gone(const char *text, size_t len)
{
	const char *state = procfd_stat_fields(text, len);
	uint64_t flags, threads;

	if (state == NULL)
		return -EINVAL;
	if (procfd_stat_u64(procfd_stat_field(text, len, 9), text + len, UINT32_MAX, &flags) < 0)
		return -EINVAL;
	if (procfd_stat_u64(procfd_stat_field(text, len, 20), text + len, INT32_MAX, &threads) < 0)
		return -EINVAL;
	if (flags & PROCFD_PF_KTHREAD)
		return PROCFD_KERNEL_THREAD;
	return *state == 'Z' && threads > 1;
}
