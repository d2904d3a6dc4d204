/* fileio.c — small whole-file reads and atomic whole-file writes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

ssize_t
fileio_read_small(int dirfd, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return err ? err : (ssize_t)len;
}

int
fileio_read_all(const char *path, size_t max, struct strbuf *sb)
{
	char chunk[8192];
	ssize_t n;
	int fd, err = 0;

	strbuf_reset(sb);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		if (sb->len + (size_t)n > max) {
			err = -EFBIG;
			break;
		}
		strbuf_add(sb, chunk, (size_t)n);
	}
	close(fd);
	if (err == 0 && sb->buf == NULL)
		strbuf_add(sb, "", 0);
	return err;
}

int
fileio_mkdirs_for(const char *path, mode_t mode)
{
	char *dir = xstrdup(path), *p;
	int err = 0;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, mode) != 0 && errno != EEXIST) {
			err = -errno;
			break;
		}
		*p = '/';
	}
	free(dir);
	return err;
}

static char *
fileio_cause(const char *what, const char *path, int err)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_printf(&sb, "cannot %s %s: %s", what, path, strerror(err));
	return strbuf_detach(&sb);
}

int
fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char **cause)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p = data;
	size_t done = 0;
	ssize_t n;
	int fd = -1, err = 0;
	const char *what = "write";

	if (cause != NULL)
		*cause = NULL;
	strbuf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		err = errno;
		what = "create";
		goto out;
	}
	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			goto out;
		}
		done += (size_t)n;
	}
	if (fsync(fd) != 0) {
		err = errno;
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		err = errno;
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, path) != 0) {
		err = errno;
		what = "replace";
	}
out:
	if (fd >= 0)
		close(fd);
	if (err != 0) {
		unlink(tmp.buf);
		if (cause != NULL)
			*cause = fileio_cause(what, path, err);
	}
	strbuf_fini(&tmp);
	return -err;
}
