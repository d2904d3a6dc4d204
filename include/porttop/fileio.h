/* fileio.h — small whole-file reads and atomic whole-file writes. */
#ifndef PORTTOP_FILEIO_H
#define PORTTOP_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

struct strbuf;

/*
 * Read the file at path (relative to dirfd, or AT_FDCWD) into buf, at most size - 1 bytes,
 * and NUL-terminate it. Returns the number of bytes read or -errno. Retries EINTR.
 */
ssize_t fileio_read_small(int dirfd, const char *path, char *buf, size_t size);

/*
 * Read a whole file of at most max bytes into sb (replacing its contents). Returns 0,
 * -EFBIG when the file is larger than max, or -errno.
 */
int fileio_read_all(const char *path, size_t max, struct strbuf *sb);

/*
 * Replace path with data atomically: write a temporary file in the same folder, fsync it,
 * rename it over path. Readers see the old file or the new one, never a part. The new file
 * gets mode (umask applied). Returns 0 or -errno; *cause (owned, may be NULL) says what
 * failed in words.
 */
int fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char **cause);

/* Create the folders leading to path (not path itself), like mkdir -p on its dirname. */
int fileio_mkdirs_for(const char *path, mode_t mode);

#endif
