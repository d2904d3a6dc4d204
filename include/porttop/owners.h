/* owners.h — which processes hold which socket inodes, kept up to date incrementally. */
#ifndef PORTTOP_OWNERS_H
#define PORTTOP_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/model.h"

/*
 * The inode → owners cache. Owned by the sampler thread; not thread-safe. Work per update:
 * a full walk of PROC/[pid]/fd the first time; afterwards PROC is listed again only when
 * PROC/loadavg's last pid moved (a process or thread was created), of the pids not seen before
 * only the children of processes holding wanted sockets are scanned, once they are a second old
 * (the others when a wanted inode turns up unowned, while they are recent), a rotating slice of cached owners is re-verified with one readlink each, exited
 * owners are dropped (pidfd), and a full walk runs again only when a wanted inode is still
 * unowned (with backoff for inodes no walk could attribute). A background re-walk reads every
 * process's fds again, spread over the updates so that one pass takes the re-walk interval
 * (45 s by default): it finds sockets passed to existing processes without a per-tick spike.
 */
struct owners;

struct owners_stats {
	uint64_t full_walks;       /* the first walk and those for unowned wanted inodes */
	uint64_t background_walks; /* passes of the paced background re-walk completed */
	uint64_t listings;         /* listings of PROC (skipped while no pid was handed out) */
	uint64_t pids_scanned;     /* processes whose fd folder was read */
	uint64_t links_read;       /* readlink calls */
	uint64_t verified;         /* owners re-verified */
	uint32_t cached_pids;      /* processes holding at least one cached owner */
	uint32_t cached_owners;
	uint32_t unattributable;   /* wanted inodes no walk could attribute */
	uint32_t denied_pids;      /* processes whose fds we may not read (not root) */
	uint32_t pidfds;           /* owner processes whose exit a pidfd reports */
};

/* proc_root is "/proc" or a fake tree for tests; copied. NULL with errno on failure. */
struct owners *owners_new(const char *proc_root);
void owners_free(struct owners *o);

/*
 * Bring the cache up to date for one sample. want[0..nwant) are the inodes whose owners the
 * sample needs (sorted ascending, unique). now_ms is CLOCK_MONOTONIC milliseconds. Returns 0
 * or -errno for a failure to read proc_root itself; vanishing processes are not errors.
 */
int owners_update(struct owners *o, const uint32_t *want, size_t nwant, int64_t now_ms);

/*
 * The owners of inode, sorted by pid; *out is borrowed until the next owners_* call that
 * changes the cache. Returns how many (0 when unknown).
 */
size_t owners_lookup(const struct owners *o, uint32_t inode, const struct pt_owner **out);

/*
 * Append every (inode, pid, fd, start_time) for the wanted inodes to *out (sorted by inode,
 * then pid), growing it; for snapshot input. Returns the number of wanted inodes with no owner.
 */
size_t owners_collect(const struct owners *o, const uint32_t *want, size_t nwant,
	struct pt_owner **out, size_t *len, size_t *cap);

/*
 * Check now, with one readlink each, that the cached owners of inode still hold it; drop
 * those that do not. Used before a kill or a detail view. Returns how many remain.
 */
size_t owners_verify(struct owners *o, uint32_t inode);

/*
 * Find the holders of arbitrary inodes (a listener's local clients) once, without caching
 * them: one walk over the known pids' fds. Appends to *out sorted by inode. Returns 0 or -errno.
 */
int owners_find_once(struct owners *o, const uint32_t *inodes, size_t n, struct pt_owner **out,
	size_t *len, size_t *cap);

/* How long one background re-walk pass takes, in ms; 0 turns it off (tests). */
void owners_set_rewalk_interval(struct owners *o, int64_t ms);

void owners_get_stats(const struct owners *o, struct owners_stats *st);

#endif
