/* owners_walk.c — the owners cache's reads of PROC: fd folders, walks and the paced re-walk. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/owners.h"
#include "porttop/pidfd.h"
#include "porttop/procfd.h"
#include "porttop/u32tab.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

#include "owners_int.h"

/* --- small helpers ------------------------------------------------------------------------ */

/* "PID/leaf" into buf; NULL when it does not fit. */
static const char *
owners_pid_path(char *buf, size_t size, uint32_t pid, const char *leaf)
{
	int n = snprintf(buf, size, "%u/%s", (unsigned)pid, leaf);

	return n < 0 || (size_t)n >= size ? NULL : buf;
}

static int
owners_cmp_fdent(const void *a, const void *b)
{
	const struct owners_fdent *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

/* --- one process's fd folder -------------------------------------------------------------- */

int
owners_read_start(const struct owners *o, uint32_t pid, uint64_t *start)
{
	char path[32], buf[1024];
	ssize_t n;

	if (owners_pid_path(path, sizeof path, pid, "stat") == NULL)
		return -EINVAL;
	n = fileio_read_small(o->procfd, path, buf, sizeof buf);
	if (n < 0)
		return (int)n;
	return procfd_parse_stat_start(buf, (size_t)n, start) < 0 ? -ESRCH : 0;
}

/*
 * Whether p's descriptors are now to be read through another thread than before: its main
 * thread has exited (PROC/PID/fd is empty then), or the thread they were read through has.
 */
static bool
owners_thread_moved(struct owners *o, struct owners_pid *p)
{
	uint32_t tid;
	int r;

	if (p->kthread)
		return false;
	r = procfd_fd_thread(o->procfd, p->pid, &tid);
	p->kthread = r == 1;
	if (r != 0 || tid == p->fd_tid)
		return false;
	p->fd_tid = tid;
	return true;
}

/* Open p's fd folder: -1 with errno when it cannot be. */
static int
owners_open_fds(struct owners *o, struct owners_pid *p)
{
	char path[48];
	int fd;

	if (procfd_dir_path(path, sizeof path, p->pid, p->fd_tid) == NULL) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(o->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && p->fd_tid != 0 && owners_thread_moved(o, p))
		return owners_open_fds(o, p);
	return fd;
}

/* readlink p's fd link and parse it: 0 and *inode, -EINVAL for a non-socket, or -errno. */
int
owners_read_fd(struct owners *o, struct owners_pid *p, int32_t fd, uint32_t *inode)
{
	char path[64], target[64];
	ssize_t n;

	if (procfd_link_path(path, sizeof path, p->pid, p->fd_tid, fd) == NULL)
		return -EINVAL;
	o->st.links_read++;
	n = readlinkat(o->procfd, path, target, sizeof target);
	if (n < 0 && errno == ENOENT && owners_thread_moved(o, p))
		return owners_read_fd(o, p, fd, inode);
	if (n < 0)
		return -errno;
	return procfd_parse_link(target, (size_t)n, inode);
}

/*
 * Read the sockets of the fd folder dirfd into o->scratch: those in want[0..nwant) (sorted),
 * or all when want is NULL. Returns how many descriptors it listed, or -errno from reading it.
 */
static int
owners_read_fd_dir(struct owners *o, int dirfd, const uint32_t *want, size_t nwant)
{
	char target[64];
	uint32_t inode, fd;
	ssize_t n, len;
	size_t off;
	int entries = 0;

	o->nscratch = 0;
	for (;;) {
		len = getdents64(dirfd, o->dents, OWNERS_DENTS_SIZE);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (len == 0)
			break;
		for (off = 0; off < (size_t)len;) {
			struct dirent64 *d = (struct dirent64 *)(o->dents + off);

			off += d->d_reclen;
			if ((fd = procfd_name_num(d->d_name)) == 0 && strcmp(d->d_name, "0") != 0)
				continue;
			if (entries < INT32_MAX)
				entries++;
			o->st.links_read++;
			n = readlinkat(dirfd, d->d_name, target, sizeof target);
			if (n < 0 || procfd_parse_link(target, (size_t)n, &inode) < 0)
				continue;
			if (want != NULL && !owners_in_sorted(want, nwant, inode))
				continue;
			XGROW(o->scratch, o->capscratch, o->nscratch + 1);
			o->scratch[o->nscratch].inode = inode;
			o->scratch[o->nscratch].fd = (int32_t)fd;
			o->nscratch++;
		}
	}
	return entries;
}

/* The size of an open folder; for PROC/PID/fd, the number of open fds (0 before Linux 6.2). */
static int64_t
owners_dir_size(int dirfd)
{
	struct stat st;

	return fstat(dirfd, &st) == 0 ? (int64_t)st.st_size : -1;
}

/*
 * Read the wanted sockets p holds into o->scratch (see owners_read_fd_dir), recording its
 * number of fds; through a live thread when its main thread has exited. Returns how many
 * descriptors it listed, or -errno when its folder cannot be opened or read.
 */
int
owners_read_fds(struct owners *o, struct owners_pid *p, const uint32_t *want, size_t nwant)
{
	int dirfd, r;

	o->nscratch = 0;
	if ((dirfd = owners_open_fds(o, p)) < 0)
		return -errno;
	p->fdcount = owners_dir_size(dirfd);
	r = owners_read_fd_dir(o, dirfd, want, nwant);
	close(dirfd);
	/* Nothing at all: a kernel thread, a daemon without fds, or a zombie leader. */
	if (r == 0 && p->fd_tid == 0 && owners_thread_moved(o, p))
		return owners_read_fds(o, p, want, nwant);
	return r;
}

/* Sort o->scratch by inode, keeping the lowest fd of each. */
void
owners_scratch_normalize(struct owners *o)
{
	size_t i, j = 0;

	if (o->nscratch < 2)
		return;
	xsort(o->scratch, o->nscratch, sizeof *o->scratch, owners_cmp_fdent);
	for (i = 0; i < o->nscratch; i++)
		if (j == 0 || o->scratch[j - 1].inode != o->scratch[i].inode)
			o->scratch[j++] = o->scratch[i];
	o->nscratch = j;
}

/*
 * (Re)read the wanted sockets of the process in slot. Returns 0, or -ESRCH when it is gone
 * (the caller drops it). A folder we may not read marks the process denied.
 */
static int owners_apply_scan(struct owners *o, uint32_t slot);

static int
owners_scan_pid(struct owners *o, uint32_t slot)
{
	struct owners_pid *p = owners_pid_at(o, slot);
	int r;

	o->st.pids_scanned++;
	r = owners_read_fds(o, p, o->want, o->nwant);
	if (r == -EACCES || r == -EPERM) {
		owners_pid_clear(o, p);
		p->denied = 1;
		return 0;
	}
	/* Not opened (ENOENT, ESRCH: it exited; anything else: we cannot know it) or not read. */
	if (r < 0 && o->nscratch == 0)
		return -ESRCH;
	return owners_apply_scan(o, slot);
}

/*
 * Make o->scratch (the wanted sockets just read from its fd folder) what the process in slot
 * holds. Returns 0, or -ESRCH when it is gone (the caller drops it).
 */
static int
owners_apply_scan(struct owners *o, uint32_t slot)
{
	struct owners_pid *p = owners_pid_at(o, slot);
	uint64_t start;
	uint32_t inode;
	int r;

	p->denied = 0;
	owners_scratch_normalize(o);
	if (o->nscratch == 0) {
		owners_pid_merge(o, p);
		owners_close_pidfd(o, p);
		return 0;
	}

	/*
	 * It holds wanted sockets: pin its identity. The pidfd is opened before the start time is
	 * read, so a matching start time later means the pidfd is this process; then one readlink
	 * confirms the process we identified still holds what the scan found.
	 */
	if (p->pidfd < 0 && o->use_pidfd && o->npidfd < o->pidfd_cap) {
		r = pidfd_open_pid((int32_t)p->pid);
		if (r == -ESRCH)
			return -ESRCH;
		if (r >= 0) {
			p->pidfd = r;
			o->npidfd++;
		}
	}
	if (owners_read_start(o, p->pid, &start) < 0)
		return -ESRCH;
	if (owners_read_fd(o, p, o->scratch[0].fd, &inode) < 0 || inode != o->scratch[0].inode)
		return -ESRCH;
	if (p->nfds > 0 && start != p->start_time) {
		/* Same pid, another process: none of the old entries are true. */
		owners_pid_clear(o, p);
		if (o->use_pidfd && o->npidfd < o->pidfd_cap &&
			(r = pidfd_open_pid((int32_t)p->pid)) >= 0) {
			p->pidfd = r;
			o->npidfd++;
		}
	}
	p->start_time = start;
	owners_pid_merge(o, p);
	return 0;
}

/* --- listing PROC ------------------------------------------------------------------------- */

/* Read the pids of PROC into o->listed. Returns 0 or -errno. */
static int
owners_list(struct owners *o)
{
	ssize_t len;
	size_t off;
	uint32_t pid;

	o->nlisted = 0;
	if (lseek(o->procfd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		len = getdents64(o->procfd, o->dents, OWNERS_DENTS_SIZE);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (len == 0)
			break;
		for (off = 0; off < (size_t)len;) {
			struct dirent64 *d = (struct dirent64 *)(o->dents + off);

			off += d->d_reclen;
			if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
				continue;
			if ((pid = procfd_name_num(d->d_name)) == 0)
				continue;
			XGROW(o->listed, o->caplisted, o->nlisted + 1);
			o->listed[o->nlisted++] = pid;
		}
	}
	return 0;
}

/* Drop every process not seen in the current listing. */
static void
owners_sweep(struct owners *o)
{
	uint32_t s = 0;

	while (s < o->pids.size) {
		struct owners_pid *p = owners_pid_at(o, s);

		/* Deleting shifts a later element into s, which must then be looked at too. */
		if (p->pid != 0 && p->gen != o->gen)
			owners_pid_drop(o, s);
		else
			s++;
	}
	/*
	 * A backward shift can carry an element from the start of the table across the end; such
	 * an element was looked at already, so nothing is missed.
	 */
}

/* --- the background re-walk --------------------------------------------------------------- */

static void
owners_bg_reset(struct owners *o)
{
	if (o->bg_dirfd >= 0)
		close(o->bg_dirfd);
	o->bg_dirfd = -1;
	o->nbg = o->bg_next = 0;
	o->bg_spent = 0;
	o->bg_carry = 0;
	o->bg_last_ms = o->now_ms;
}

/* The background pass has read all of bg_pid's folder: apply it. */
static void
owners_bg_finish(struct owners *o)
{
	struct owners_fdent *swap = o->scratch;
	size_t capswap = o->capscratch;
	uint32_t slot;

	close(o->bg_dirfd);
	o->bg_dirfd = -1;
	o->scratch = o->bg_found;
	o->capscratch = o->capbg_found;
	o->nscratch = o->nbg_found;
	o->bg_found = swap;
	o->capbg_found = capswap;
	o->nbg_found = 0;
	slot = u32tab_find(&o->pids, o->bg_pid);
	if (slot == U32TAB_NONE)
		return;
	/* An empty folder may be a zombie leader's: then read it again through a live thread. */
	if (o->bg_entries == 0 && owners_pid_at(o, slot)->fd_tid == 0 &&
		owners_thread_moved(o, owners_pid_at(o, slot))) {
		if (owners_scan_pid(o, slot) < 0)
			owners_pid_drop(o, slot);
	} else if (owners_apply_scan(o, slot) < 0)
		owners_pid_drop(o, slot);
	o->nscratch = 0;
}

/* Open the next process's fd folder; false when this pass is over. */
static bool
owners_bg_next(struct owners *o)
{
	struct owners_pid *p;
	uint32_t slot;

	while (o->bg_next < o->nbg) {
		o->bg_pid = o->bg_pids[o->bg_next++];
		slot = u32tab_find(&o->pids, o->bg_pid);
		if (slot == UINT32_MAX)
			continue;
		p = owners_pid_at(o, slot);
		o->st.pids_scanned++;
		o->bg_spent += OWNERS_DIR_COST;
		o->bg_credit -= OWNERS_DIR_COST;
		o->bg_dirfd = owners_open_fds(o, p);
		if (o->bg_dirfd >= 0) {
			o->bg_off = o->bg_len = 0;
			o->bg_entries = 0;
			o->nbg_found = 0;
			p->fdcount = owners_dir_size(o->bg_dirfd);
			return true;
		}
		if (errno == EACCES || errno == EPERM) {
			owners_pid_clear(o, p);
			p->denied = 1;
		}
		/* Gone: the next listing drops it. */
		if (o->bg_credit <= 0)
			return false;
	}
	return false;
}

/* Spend this update's share of the background re-walk. */
void
owners_background(struct owners *o)
{
	char target[64];
	uint32_t inode, fd;
	uint64_t share;
	ssize_t n;

	if (o->rewalk_ms <= 0 || o->now_ms <= o->bg_last_ms)
		return;
	if (o->nwant == 0) {
		/* Nothing to look for (no listeners): read nothing, and owe nothing for later. */
		o->bg_last_ms = o->now_ms;
		return;
	}
	share = o->bg_cost * (uint64_t)(o->now_ms - o->bg_last_ms) + o->bg_carry;
	o->bg_carry = share % (uint64_t)o->rewalk_ms;
	share /= (uint64_t)o->rewalk_ms;
	o->bg_last_ms = o->now_ms;
	/* After a long pause, do not catch up more than one pass at once. */
	o->bg_credit += (int64_t)(share < o->bg_cost + 1 ? share : o->bg_cost + 1);
	if (o->bg_credit > (int64_t)o->bg_cost + 1)
		o->bg_credit = (int64_t)o->bg_cost + 1;

	while (o->bg_credit > 0) {
		if (o->bg_dirfd < 0) {
			if (o->bg_next >= o->nbg) {
				/* A pass ended, or none began: start one, paced by the last. */
				uint32_t slot;

				if (o->nbg > 0) {
					o->st.background_walks++;
					o->bg_cost = o->bg_spent;
				}
				o->nbg = o->bg_next = 0;
				o->bg_spent = 0;
				for (slot = 0; slot < o->pids.size; slot++) {
					uint32_t pid = owners_pid_at(o, slot)->pid;

					if (pid == 0)
						continue;
					XGROW(o->bg_pids, o->capbg, o->nbg + 1);
					o->bg_pids[o->nbg++] = pid;
				}
				if (o->nbg == 0)
					break;
			}
			if (!owners_bg_next(o))
				continue;
		}
		if (o->bg_off >= o->bg_len) {
			n = getdents64(o->bg_dirfd, o->bg_dents, OWNERS_DENTS_SIZE);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				owners_bg_finish(o);
				continue;
			}
			o->bg_len = (size_t)n;
			o->bg_off = 0;
		}
		{
			struct dirent64 *d = (struct dirent64 *)(o->bg_dents + o->bg_off);

			o->bg_off += d->d_reclen;
			if ((fd = procfd_name_num(d->d_name)) == 0 && strcmp(d->d_name, "0") != 0)
				continue;
			o->bg_entries++;
			o->st.links_read++;
			o->bg_spent++;
			o->bg_credit--;
			n = readlinkat(o->bg_dirfd, d->d_name, target, sizeof target);
			if (n < 0 || procfd_parse_link(target, (size_t)n, &inode) < 0 ||
				!owners_in_sorted(o->want, o->nwant, inode))
				continue;
			XGROW(o->bg_found, o->capbg_found, o->nbg_found + 1);
			o->bg_found[o->nbg_found].inode = inode;
			o->bg_found[o->nbg_found].fd = (int32_t)fd;
			o->nbg_found++;
		}
	}
}

/* --- walks and rescans -------------------------------------------------------------------- */

/*
 * Whether a process seen for the first time may hold wanted sockets it did not open itself:
 * only by inheriting them from its parent (a server's forked workers), so when its parent
 * holds some. A socket it opened itself is a wanted inode nobody owns, which sends the update
 * through the recent processes first; one passed to it later is the background re-walk's.
 * New processes are looked at once they are OWNERS_SETTLE_MS old: most processes of a busy
 * host (a build, a test loop) are gone by then and never cost a read, and a forked worker
 * shows up a second late.
 */
static bool
owners_parent_owns(const struct owners *o, uint32_t pid)
{
	char path[32], buf[512];
	uint32_t ppid, slot;
	ssize_t n;

	if (owners_pid_path(path, sizeof path, pid, "stat") == NULL)
		return true;
	n = fileio_read_small(o->procfd, path, buf, sizeof buf);
	if (n == -ENOENT || n == -ESRCH)
		return false; /* gone already */
	/* Unreadable or unexpected: scan it, as when nothing was known. */
	if (n < 0 || procfd_parse_stat_ppid(buf, (size_t)n, &ppid) < 0)
		return true;
	slot = u32tab_find(&o->pids, ppid);
	return slot != UINT32_MAX && owners_pid_at(o, slot)->nfds > 0;
}

/*
 * List PROC: note every process seen, the new ones as recent (see owners_check_new); in a full
 * walk scan them all; drop those that are gone. last_pid is PROC/loadavg's, read before.
 */
int
owners_walk(struct owners *o, bool full, uint32_t last_pid)
{
	size_t i, j;
	uint32_t slot;
	bool fresh;
	int r;

	uint64_t cost = o->st.links_read + OWNERS_DIR_COST * o->st.pids_scanned;

	if ((r = owners_list(o)) < 0)
		return r;
	o->st.listings++;
	o->last_pid = last_pid;
	o->listed_ms = o->now_ms;
	o->gen++;
	if (full)
		o->st.full_walks++;
	for (i = 0; i < o->nlisted; i++) {
		slot = u32tab_insert(&o->pids, o->listed[i], &fresh);
		owners_pid_at(o, slot)->gen = o->gen;
		if (fresh) {
			owners_pid_at(o, slot)->pidfd = -1;
			owners_pid_at(o, slot)->fdcount = -1;
			owners_pid_at(o, slot)->found_ms = o->now_ms;
			if (o->walked) {
				XGROW(o->recent, o->caprecent, o->nrecent + 1);
				o->recent[o->nrecent++] = o->listed[i];
			}
		}
		if (!full)
			continue;
		/* Scanning changes the inode table only, so slot stays valid. */
		owners_pid_at(o, slot)->checked = 1;
		if (owners_scan_pid(o, slot) < 0)
			owners_pid_drop(o, slot);
	}
	owners_sweep(o);
	if (full) {
		u32tab_fit(&o->pids);
		u32tab_fit(&o->inodes);
		o->walked = true;
		/* Everything was just read: the background pass starts over, paced by this walk. */
		owners_bg_reset(o);
		o->bg_cost = o->st.links_read + OWNERS_DIR_COST * o->st.pids_scanned - cost;
	}

	/* Keep only the processes still young enough to be rescanned cheaply. */
	for (i = j = 0; i < o->nrecent; i++) {
		slot = u32tab_find(&o->pids, o->recent[i]);
		if (slot != UINT32_MAX &&
			o->now_ms - owners_pid_at(o, slot)->found_ms < OWNERS_RECENT_MS)
			o->recent[j++] = o->recent[i];
	}
	if (j > OWNERS_RECENT_MAX) {
		/* A fork storm: keep the youngest. */
		memmove(o->recent, o->recent + (j - OWNERS_RECENT_MAX),
			OWNERS_RECENT_MAX * sizeof *o->recent);
		j = OWNERS_RECENT_MAX;
	}
	o->nrecent = j;
	return 0;
}

/* Rescan the processes first listed a few seconds ago: a new server opens its sockets late. */
void
owners_rescan_recent(struct owners *o)
{
	uint32_t slot;
	size_t i;

	for (i = 0; i < o->nrecent; i++) {
		slot = u32tab_find(&o->pids, o->recent[i]);
		if (slot == UINT32_MAX)
			continue;
		owners_pid_at(o, slot)->checked = 1;
		if (owners_scan_pid(o, slot) < 0)
			owners_pid_drop(o, slot);
	}
}

/*
 * Before a full walk for a wanted inode nobody owns: rescan the processes that already hold
 * wanted sockets, one at a time, until none is unowned. A listener that appears in a running
 * server (a new virtual host, a reload) is found at the cost of that server's fds rather
 * than every fd on the host. Like the rescan of recent processes this finds the socket's
 * creator, not a process it was passed to since: that one is the background re-walk's.
 */
void
owners_rescan_owners(struct owners *o)
{
	uint32_t *pids = NULL, slot;
	size_t n = 0, cap = 0, i, changed = 0;
	char path[32];
	struct stat st;

	/*
	 * Those whose number of fds moved since they were last read first: the one that opened
	 * the listener did. (Before Linux 6.2 the sizes are all 0 and the order is the table's.)
	 */
	for (slot = 0; slot < o->pids.size; slot++) {
		struct owners_pid *p = owners_pid_at(o, slot);

		if (p->pid == 0 || p->nfds == 0)
			continue;
		XGROW(pids, cap, n + 1);
		pids[n++] = p->pid;
		if (procfd_dir_path(path, sizeof path, p->pid, p->fd_tid) != NULL &&
			fstatat(o->procfd, path, &st, 0) == 0 &&
			(int64_t)st.st_size != p->fdcount) {
			pids[n - 1] = pids[changed];
			pids[changed++] = p->pid;
		}
	}
	/* Scanning may drop a process, which moves others in the table: go by pid. */
	for (i = 0; i < n && owners_need_walk(o, true); i++) {
		slot = u32tab_find(&o->pids, pids[i]);
		if (slot != UINT32_MAX && owners_scan_pid(o, slot) < 0)
			owners_pid_drop(o, slot);
	}
	free(pids);
}

/* Scan the new processes that have settled and whose parent holds wanted sockets. */
void
owners_check_new(struct owners *o)
{
	struct owners_pid *p;
	uint32_t slot;
	size_t i;

	for (i = 0; i < o->nrecent; i++) {
		slot = u32tab_find(&o->pids, o->recent[i]);
		if (slot == UINT32_MAX)
			continue;
		p = owners_pid_at(o, slot);
		if (p->checked || o->now_ms - p->found_ms < OWNERS_SETTLE_MS)
			continue;
		p->checked = 1;
		if (owners_parent_owns(o, p->pid) && owners_scan_pid(o, slot) < 0)
			owners_pid_drop(o, slot);
	}
}
