/* owners.c — which processes hold which socket inodes, kept up to date incrementally. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/owners.h"
#include "porttop/pidfd.h"
#include "porttop/procfd.h"
#include "porttop/u32tab.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

/*
 * Cost model. Listing PROC (one getdents per few hundred processes) and polling the owners'
 * pidfds are cheap and happen every update. Reading a process's fd folder costs one readlink per
 * descriptor and happens at once only for processes not seen before, for recently started
 * processes when a wanted inode is unowned, and in full walks (the first update, and an inode
 * unowned in two updates in a row whose backoff has expired). Cached owners are re-verified with one readlink each,
 * OWNERS_VERIFY_MIN or 1/OWNERS_VERIFY_ROUNDS of them per update. The background re-walk spends
 * about (cost of a whole walk) x (time since the last update) / OWNERS_REWALK_MS readlinks.
 */
#define OWNERS_REWALK_MS 45000      /* one pass of the background re-walk takes this long */
#define OWNERS_DIR_COST 3           /* an fd folder's open + getdents + close, in readlinks */
#define OWNERS_BACKOFF_MIN_MS 2000  /* first retry of an inode no walk could attribute */
#define OWNERS_BACKOFF_MAX_MS 32000 /* the retry delay doubles up to this */
#define OWNERS_RECENT_MS 5000       /* processes this young are rescanned before a full walk */
#define OWNERS_RECENT_MAX 256
#define OWNERS_SETTLE_MS 1000 /* a new process is looked at once it is this old (see below) */
#define OWNERS_LIST_MS 3000   /* PROC is listed at most this often, unless an inode is unowned */
#define OWNERS_VERIFY_MIN 8 /* a few hundred listeners are verified in a few seconds */
#define OWNERS_VERIFY_ROUNDS 32
#define OWNERS_DENTS_SIZE 32768
#define OWNERS_PIDFD_MAX 8192

#define OWNERS_PROC_SUPER_MAGIC 0x9fa0

/* One wanted socket a process holds: the lowest fd it holds it under. */
struct owners_fdent {
	uint32_t inode;
	int32_t fd;
};

/* A process listed in PROC. Slot in the pid table; pid 0 marks an empty slot. */
struct owners_pid {
	uint32_t pid;
	uint32_t gen;        /* the listing it was last seen in */
	uint64_t start_time; /* valid when nfds > 0 */
	int64_t found_ms;    /* when it was first listed */
	int pidfd;           /* -1 when none */
	uint32_t denied;     /* its fd folder may not be read */
	uint32_t checked;    /* looked at since it was first listed (scanned, or its parent read) */
	uint32_t fd_tid;     /* 0: its fds are read in PROC/PID/fd; else through this thread */
	bool kthread;        /* a kernel thread: its empty fd folder needs no second look */
	int64_t fdcount;     /* its fd folder's size when last read: the number of fds (Linux 6.2) */
	uint32_t nfds;
	size_t capfds;
	struct owners_fdent *fds; /* owned; sorted by inode, one per inode */
};

/* The owners of one inode. Slot in the inode table; inode 0 marks an empty slot. */
struct owners_set {
	uint32_t inode;
	uint32_t n;
	size_t cap;          /* capacity of v; 0 while one is used */
	struct pt_owner one; /* the storage while there is at most one owner */
	struct pt_owner *v;  /* owned; sorted by pid */
};

/* An inode no walk could attribute and when to try again. */
struct owners_unattr {
	uint32_t inode;
	int32_t delay_ms;
	int64_t next_ms;
};

struct owners {
	int procfd;
	bool use_pidfd;
	bool walked;
	/*
	 * PROC/loadavg ends with the last pid handed out in the reader's pid namespace: while it
	 * stays the same no process can have appeared, so the listing of PROC (a quarter of an
	 * idle sample) is skipped. Not trusted for a procfs of another pid namespace.
	 */
	bool last_pid_usable;
	uint32_t last_pid; /* as read before the last listing; 0: unknown */
	int64_t listed_ms; /* when PROC was last listed */
	uint32_t gen;
	int64_t rewalk_ms; /* 0: no background re-walk */
	int64_t now_ms;
	uint32_t npidfd;
	uint32_t pidfd_cap;

	struct u32tab pids;   /* struct owners_pid */
	struct u32tab inodes; /* struct owners_set */

	const uint32_t *want; /* borrowed, during owners_update only */
	size_t nwant;

	uint32_t verify_slot; /* rotating verification cursor: pid table slot, fd index */
	uint32_t verify_fd;

	struct owners_unattr *unattr; /* owned; sorted by inode */
	size_t nunattr, capunattr;
	struct owners_unattr *unattr2; /* owned; the next generation while merging */
	size_t capunattr2;

	uint32_t *listed; /* owned; pids of the current listing */
	size_t nlisted, caplisted;
	uint32_t *recent; /* owned; pids first listed within OWNERS_RECENT_MS */
	size_t nrecent, caprecent;
	struct owners_fdent *scratch; /* owned; one process's sockets while it is scanned */
	size_t nscratch, capscratch;
	struct owners_fdent *merged; /* owned; a process's new fds while they are merged */
	size_t capmerged;
	struct pollfd *pfds; /* owned */
	uint32_t *pfd_pids;  /* owned; parallel to pfds */
	size_t cappfds, cappfd_pids;
	char *dents; /* owned; OWNERS_DENTS_SIZE bytes for getdents64 */

	/*
	 * The background re-walk reads every process's fd folder again, paced so that one pass
	 * takes rewalk_ms whatever the update interval: each update may spend the cost of the
	 * last pass (in readlinks) times the time elapsed over rewalk_ms. It catches sockets
	 * passed to, or opened by, processes already known, without the spike of a full walk.
	 */
	uint32_t *bg_pids; /* owned; this pass's processes */
	size_t nbg, capbg, bg_next;
	uint32_t bg_pid; /* the process whose folder is open */
	int bg_dirfd;    /* -1 between processes */
	char *bg_dents;  /* owned; OWNERS_DENTS_SIZE bytes */
	size_t bg_off, bg_len;
	uint32_t bg_entries; /* descriptors bg_pid's folder listed so far */
	struct owners_fdent *bg_found; /* owned; what bg_pid holds so far */
	size_t nbg_found, capbg_found;
	uint64_t bg_cost;  /* readlinks the last pass (or full walk) took */
	uint64_t bg_spent; /* readlinks this pass has taken so far */
	int64_t bg_last_ms;
	uint64_t bg_carry; /* the remainder of the pacing division */
	int64_t bg_credit; /* readlinks this update may still spend */

	struct owners_stats st;
};

/* --- small helpers ------------------------------------------------------------------------ */

/* "PID/leaf" into buf; NULL when it does not fit. */
static const char *
owners_pid_path(char *buf, size_t size, uint32_t pid, const char *leaf)
{
	int n = snprintf(buf, size, "%u/%s", (unsigned)pid, leaf);

	return n < 0 || (size_t)n >= size ? NULL : buf;
}

static int
owners_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
owners_cmp_fdent(const void *a, const void *b)
{
	const struct owners_fdent *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

static int
owners_cmp_owner(const void *a, const void *b)
{
	const struct pt_owner *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static bool
owners_in_sorted(const uint32_t *v, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == key)
			return true;
		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* --- the tables --------------------------------------------------------------------------- */

static inline struct owners_pid *
owners_pid_at(const struct owners *o, uint32_t slot)
{
	return u32tab_at(&o->pids, slot);
}

static inline struct owners_set *
owners_set_at(const struct owners *o, uint32_t slot)
{
	return u32tab_at(&o->inodes, slot);
}

static inline struct pt_owner *
owners_set_v(struct owners_set *s)
{
	return s->cap > 1 ? s->v : &s->one;
}

/* --- the inode → owners map --------------------------------------------------------------- */

static void
owners_map_add(struct owners *o, uint32_t inode, uint32_t pid, int32_t fd, uint64_t start_time)
{
	struct owners_set *s;
	struct pt_owner *v;
	uint32_t i;
	bool fresh;

	s = owners_set_at(o, u32tab_insert(&o->inodes, inode, &fresh));
	v = owners_set_v(s);
	for (i = 0; i < s->n && (uint32_t)v[i].pid < pid; i++)
		;
	if (i < s->n && (uint32_t)v[i].pid == pid) {
		v[i].fd = fd;
		v[i].start_time = start_time;
		return;
	}
	if (s->n + 1 > 1 && s->cap < s->n + 1) {
		if (s->cap <= 1) {
			s->v = xmalloc(4 * sizeof *s->v);
			memcpy(s->v, &s->one, sizeof s->one * s->n);
			s->cap = 4;
		} else
			XGROW(s->v, s->cap, s->n + 1);
		v = s->v;
	}
	memmove(&v[i + 1], &v[i], (s->n - i) * sizeof *v);
	v[i].inode = inode;
	v[i].pid = (int32_t)pid;
	v[i].fd = fd;
	v[i].start_time = start_time;
	s->n++;
	o->st.cached_owners++;
}

static void
owners_map_remove(struct owners *o, uint32_t inode, uint32_t pid)
{
	uint32_t slot = u32tab_find(&o->inodes, inode), i;
	struct owners_set *s;
	struct pt_owner *v;

	if (slot == UINT32_MAX)
		return;
	s = owners_set_at(o, slot);
	v = owners_set_v(s);
	for (i = 0; i < s->n && (uint32_t)v[i].pid != pid; i++)
		;
	if (i == s->n)
		return;
	memmove(&v[i], &v[i + 1], (s->n - i - 1) * sizeof *v);
	s->n--;
	o->st.cached_owners--;
	if (s->n == 0) {
		if (s->cap > 1)
			free(s->v);
		u32tab_delete(&o->inodes, slot);
	}
}

static void
owners_map_set_fd(struct owners *o, uint32_t inode, uint32_t pid, int32_t fd)
{
	uint32_t slot = u32tab_find(&o->inodes, inode), i;
	struct owners_set *s;
	struct pt_owner *v;

	if (slot == UINT32_MAX)
		return;
	s = owners_set_at(o, slot);
	v = owners_set_v(s);
	for (i = 0; i < s->n; i++)
		if ((uint32_t)v[i].pid == pid)
			v[i].fd = fd;
}

/* --- processes ---------------------------------------------------------------------------- */

static void
owners_close_pidfd(struct owners *o, struct owners_pid *p)
{
	if (p->pidfd >= 0) {
		close(p->pidfd);
		p->pidfd = -1;
		o->npidfd--;
	}
}

/* Forget every socket p holds. */
static void
owners_pid_clear(struct owners *o, struct owners_pid *p)
{
	uint32_t i;

	for (i = 0; i < p->nfds; i++)
		owners_map_remove(o, p->fds[i].inode, p->pid);
	p->nfds = 0;
	owners_close_pidfd(o, p);
}

static void
owners_pid_remove_at(struct owners *o, struct owners_pid *p, uint32_t i)
{
	owners_map_remove(o, p->fds[i].inode, p->pid);
	memmove(&p->fds[i], &p->fds[i + 1], (p->nfds - i - 1) * sizeof *p->fds);
	p->nfds--;
	if (p->nfds == 0)
		owners_close_pidfd(o, p);
}

/* Forget the process in slot (it exited or its pid now names another process). */
static void
owners_pid_drop(struct owners *o, uint32_t slot)
{
	struct owners_pid *p = owners_pid_at(o, slot);

	owners_pid_clear(o, p);
	free(p->fds);
	u32tab_delete(&o->pids, slot);
}

static int
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
static int
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
static int
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
static void
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

/* Make p's sockets those in o->scratch (sorted), changing the map only where they differ. */
static void
owners_pid_merge(struct owners *o, struct owners_pid *p)
{
	size_t i = 0, j = 0, k = 0;

	XGROW(o->merged, o->capmerged, p->nfds + o->nscratch + 1);
	while (i < p->nfds || j < o->nscratch) {
		if (j == o->nscratch || (i < p->nfds && p->fds[i].inode < o->scratch[j].inode)) {
			owners_map_remove(o, p->fds[i].inode, p->pid);
			i++;
		} else if (i == p->nfds || o->scratch[j].inode < p->fds[i].inode) {
			owners_map_add(
				o, o->scratch[j].inode, p->pid, o->scratch[j].fd, p->start_time);
			o->merged[k++] = o->scratch[j++];
		} else {
			if (p->fds[i].fd != o->scratch[j].fd)
				owners_map_set_fd(o, o->scratch[j].inode, p->pid, o->scratch[j].fd);
			o->merged[k++] = o->scratch[j++];
			i++;
		}
	}
	/*
	 * Copy back rather than exchange buffers: an exchange would hand the largest buffer to
	 * whichever process came last, and over background passes every process would keep one.
	 */
	if (k == 0 || p->capfds > 2 * k + 64) {
		free(p->fds);
		p->fds = NULL;
		p->capfds = 0;
	}
	if (k > 0) {
		XGROW(p->fds, p->capfds, k);
		memcpy(p->fds, o->merged, k * sizeof *p->fds);
	}
	p->nfds = (uint32_t)k;
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

/* Whether the process behind pidfd has exited. */
static bool
owners_pidfd_exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

/* Drop the owners whose pidfd says they exited. */
static void
owners_reap(struct owners *o)
{
	size_t n = 0, i;
	uint32_t s, slot;
	int r;

	if (o->npidfd == 0)
		return;
	XGROW(o->pfds, o->cappfds, o->npidfd);
	XGROW(o->pfd_pids, o->cappfd_pids, o->npidfd);
	for (s = 0; s < o->pids.size; s++) {
		struct owners_pid *p = owners_pid_at(o, s);

		if (p->pid == 0 || p->pidfd < 0)
			continue;
		o->pfds[n].fd = p->pidfd;
		o->pfds[n].events = POLLIN;
		o->pfds[n].revents = 0;
		o->pfd_pids[n++] = p->pid;
	}
	do
		r = poll(o->pfds, n, 0);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (o->pfds[i].revents == 0)
			continue;
		slot = u32tab_find(&o->pids, o->pfd_pids[i]);
		if (slot != UINT32_MAX)
			owners_pid_drop(o, slot);
	}
}

/* The last pid handed out, from PROC/loadavg ("0.00 0.01 0.05 1/123 4567"), or 0. */
static uint32_t
owners_read_last_pid(const struct owners *o)
{
	char buf[128];
	const char *p;
	ssize_t n;
	uint32_t v = 0;

	if (!o->last_pid_usable)
		return 0;
	if ((n = fileio_read_small(o->procfd, "loadavg", buf, sizeof buf)) <= 0)
		return 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	p = memrchr(buf, ' ', (size_t)n);
	if (p == NULL || memchr(buf, '/', (size_t)n) == NULL)
		return 0;
	for (p++; *p >= '0' && *p <= '9' && v < UINT32_MAX / 10; p++)
		v = v * 10 + (uint32_t)(*p - '0');
	return *p == '\0' ? v : 0;
}

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
static void
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
static int
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

/* Re-verify a slice of the cached owners with one readlink each. */
static void
owners_verify_slice(struct owners *o)
{
	uint32_t budget = OWNERS_VERIFY_MIN, steps = 0, inode;
	int r;

	if (o->st.cached_owners / OWNERS_VERIFY_ROUNDS + 1 > budget)
		budget = o->st.cached_owners / OWNERS_VERIFY_ROUNDS + 1;
	/* At most one lap: the slot the slice started at must not be verified twice. */
	while (budget > 0 && steps < o->pids.size) {
		struct owners_pid *p;
		struct owners_fdent e;

		if (o->verify_slot >= o->pids.size)
			o->verify_slot = 0;
		p = owners_pid_at(o, o->verify_slot);
		if (p->pid == 0 || o->verify_fd >= p->nfds) {
			o->verify_slot++;
			o->verify_fd = 0;
			steps++;
			continue;
		}
		e = p->fds[o->verify_fd];
		if (!owners_in_sorted(o->want, o->nwant, e.inode)) {
			/* The sample no longer needs it: forget it without a syscall. */
			owners_pid_remove_at(o, p, o->verify_fd);
			continue;
		}
		budget--;
		o->st.verified++;
		r = owners_read_fd(o, p, e.fd, &inode);
		if (r == 0 && inode == e.inode) {
			o->verify_fd++;
		} else if (r == -EACCES || r == -EPERM) {
			owners_pid_clear(o, p);
			p->denied = 1;
		} else
			owners_pid_remove_at(o, p, o->verify_fd);
	}
}

/* Rescan the processes first listed a few seconds ago: a new server opens its sockets late. */
static void
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
static bool owners_need_walk(const struct owners *o, bool new_too);

static void
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
static void
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

/*
 * Whether a wanted inode is unowned and due: not waiting out its backoff and, unless new_too,
 * already seen unowned by an earlier update. A full walk waits for that second sight: a socket
 * whose process exited between the socket dump and this update (under churn most updates have
 * one) is gone from the next dump and then costs no walk of every process's fds.
 */
static bool
owners_need_walk(const struct owners *o, bool new_too)
{
	size_t i, j = 0;
	bool seen;

	for (i = 0; i < o->nwant; i++) {
		if (u32tab_find(&o->inodes, o->want[i]) != UINT32_MAX)
			continue;
		while (j < o->nunattr && o->unattr[j].inode < o->want[i])
			j++;
		seen = j < o->nunattr && o->unattr[j].inode == o->want[i];
		if (seen ? o->now_ms >= o->unattr[j].next_ms : new_too)
			return true;
	}
	return false;
}

/* Rebuild the unattributable set: wanted inodes still unowned, with their backoff. */
static void
owners_update_unattr(struct owners *o, bool walked)
{
	struct owners_unattr *swap, *u;
	size_t i, j = 0, n = 0, capswap;
	const struct owners_unattr *old;

	for (i = 0; i < o->nwant; i++) {
		if (u32tab_find(&o->inodes, o->want[i]) != UINT32_MAX)
			continue;
		while (j < o->nunattr && o->unattr[j].inode < o->want[i])
			j++;
		old = j < o->nunattr && o->unattr[j].inode == o->want[i] ? &o->unattr[j] : NULL;
		XGROW(o->unattr2, o->capunattr2, n + 1);
		u = &o->unattr2[n++];
		u->inode = o->want[i];
		if (old != NULL && !walked) {
			*u = *old;
		} else if (old == NULL && !walked) {
			/* First seen unowned: due at the next update (owners_need_walk). */
			u->delay_ms = 0;
			u->next_ms = o->now_ms;
		} else if (old != NULL && old->delay_ms > 0) {
			u->delay_ms = old->delay_ms * 2;
			if (u->delay_ms > OWNERS_BACKOFF_MAX_MS)
				u->delay_ms = OWNERS_BACKOFF_MAX_MS;
			u->next_ms = o->now_ms + u->delay_ms;
		} else {
			u->delay_ms = OWNERS_BACKOFF_MIN_MS;
			u->next_ms = o->now_ms + u->delay_ms;
		}
	}
	swap = o->unattr;
	capswap = o->capunattr;
	o->unattr = o->unattr2;
	o->capunattr = o->capunattr2;
	o->nunattr = n;
	o->unattr2 = swap;
	o->capunattr2 = capswap;
	/* Those only seen once are not known to be unattributable yet. */
	o->st.unattributable = 0;
	for (i = 0; i < n; i++)
		o->st.unattributable += o->unattr[i].delay_ms > 0;
}

/* --- public ------------------------------------------------------------------------------- */

static bool
owners_is_procfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == OWNERS_PROC_SUPER_MAGIC;
}

/* pidfds name processes of our own pid namespace: only a procfs showing that one can use them. */
static bool
owners_proc_is_ours(int procfd)
{
	char self[24], want[16];
	ssize_t n;

	if (!owners_is_procfs(procfd))
		return false;
	n = readlinkat(procfd, "self", self, sizeof self - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	snprintf(want, sizeof want, "%d", (int)getpid());
	return strcmp(self, want) == 0;
}

struct owners *
owners_new(const char *proc_root)
{
	struct owners *o;
	struct rlimit rl;
	int fd;

	fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	o = xcalloc(1, sizeof *o);
	o->procfd = fd;
	u32tab_init(&o->pids, sizeof(struct owners_pid));
	u32tab_init(&o->inodes, sizeof(struct owners_set));
	o->dents = xmalloc(OWNERS_DENTS_SIZE);
	o->bg_dents = xmalloc(OWNERS_DENTS_SIZE);
	o->bg_dirfd = -1;
	o->rewalk_ms = OWNERS_REWALK_MS;
	o->use_pidfd = owners_proc_is_ours(fd);
	/* A fake tree (tests) may carry its own loadavg; a foreign procfs's would mislead. */
	o->last_pid_usable = o->use_pidfd || !owners_is_procfs(fd);
	if (o->use_pidfd) {
		/* pidfds count against RLIMIT_NOFILE: take at most a quarter of it. */
		o->pidfd_cap = OWNERS_PIDFD_MAX;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
			rl.rlim_cur / 4 < o->pidfd_cap)
			o->pidfd_cap = (uint32_t)(rl.rlim_cur / 4);
		/* Probe once: kernels before 5.3 have no pidfd_open. */
		fd = pidfd_open_pid((int32_t)getpid());
		if (fd >= 0)
			close(fd);
		else
			o->use_pidfd = false;
	}
	return o;
}

void
owners_free(struct owners *o)
{
	uint32_t s;

	if (o == NULL)
		return;
	for (s = 0; s < o->pids.size; s++) {
		struct owners_pid *p = owners_pid_at(o, s);

		if (p->pid == 0)
			continue;
		if (p->pidfd >= 0)
			close(p->pidfd);
		free(p->fds);
	}
	for (s = 0; s < o->inodes.size; s++) {
		struct owners_set *set = owners_set_at(o, s);

		if (set->inode != 0 && set->cap > 1)
			free(set->v);
	}
	u32tab_free(&o->pids);
	u32tab_free(&o->inodes);
	free(o->unattr);
	free(o->unattr2);
	free(o->listed);
	free(o->recent);
	free(o->scratch);
	free(o->merged);
	free(o->pfds);
	free(o->pfd_pids);
	free(o->dents);
	if (o->bg_dirfd >= 0)
		close(o->bg_dirfd);
	free(o->bg_pids);
	free(o->bg_dents);
	free(o->bg_found);
	close(o->procfd);
	free(o);
}

int
owners_update(struct owners *o, const uint32_t *want, size_t nwant, int64_t now_ms)
{
	uint32_t last_pid = 0;
	bool walked = false;
	int r = 0;

	o->want = want;
	o->nwant = nwant;
	o->now_ms = now_ms;
	owners_reap(o);
	if (!o->walked) {
		if ((r = owners_walk(o, true, owners_read_last_pid(o))) < 0)
			goto out;
		walked = true;
	} else {
		/*
		 * A new process means a new pid: none appeared while the last pid stays put. On a
		 * busy host one always did; listing PROC every OWNERS_LIST_MS is then enough to
		 * find forked workers, since a new listener (unowned) lists at once, below.
		 */
		if (o->now_ms - o->listed_ms >= OWNERS_LIST_MS) {
			last_pid = owners_read_last_pid(o);
			if ((last_pid == 0 || last_pid != o->last_pid) &&
				(r = owners_walk(o, false, last_pid)) < 0)
				goto out;
		}
		owners_check_new(o);
		owners_verify_slice(o);
		owners_background(o);
	}
	if (!walked && owners_need_walk(o, true)) {
		/* Whoever opened it may have started since the last listing. */
		if (o->listed_ms != o->now_ms &&
			(r = owners_walk(o, false, owners_read_last_pid(o))) < 0)
			goto out;
		owners_rescan_recent(o);
		if (owners_need_walk(o, true))
			owners_rescan_owners(o);
		if (owners_need_walk(o, false)) {
			if ((r = owners_walk(o, true, owners_read_last_pid(o))) < 0)
				goto out;
			walked = true;
		}
	}
	owners_update_unattr(o, walked);
out:
	o->want = NULL;
	o->nwant = 0;
	return r;
}

size_t
owners_lookup(const struct owners *o, uint32_t inode, const struct pt_owner **out)
{
	uint32_t slot = u32tab_find(&o->inodes, inode);
	struct owners_set *s;

	if (inode == 0 || slot == UINT32_MAX) {
		*out = NULL;
		return 0;
	}
	s = owners_set_at(o, slot);
	*out = owners_set_v(s);
	return s->n;
}

size_t
owners_collect(const struct owners *o, const uint32_t *want, size_t nwant, struct pt_owner **out,
	size_t *len, size_t *cap)
{
	const struct pt_owner *v;
	size_t i, n, missing = 0;

	for (i = 0; i < nwant; i++) {
		n = owners_lookup(o, want[i], &v);
		if (n == 0) {
			missing++;
			continue;
		}
		XGROW(*out, *cap, *len + n);
		memcpy(*out + *len, v, n * sizeof *v);
		*len += n;
	}
	return missing;
}

size_t
owners_verify(struct owners *o, uint32_t inode)
{
	uint32_t slot, pslot, i, got;
	struct owners_set *s;
	struct pt_owner cur;
	int r;

	i = 0;
	for (;;) {
		slot = u32tab_find(&o->inodes, inode);
		if (inode == 0 || slot == UINT32_MAX)
			return 0;
		s = owners_set_at(o, slot);
		if (i >= s->n)
			return s->n;
		cur = owners_set_v(s)[i];
		pslot = u32tab_find(&o->pids, (uint32_t)cur.pid);
		if (pslot == UINT32_MAX) {
			owners_map_remove(o, inode, (uint32_t)cur.pid);
			continue;
		}
		if (owners_pid_at(o, pslot)->pidfd >= 0 &&
			owners_pidfd_exited(owners_pid_at(o, pslot)->pidfd)) {
			owners_pid_drop(o, pslot);
			continue;
		}
		o->st.verified++;
		r = owners_read_fd(o, owners_pid_at(o, pslot), cur.fd, &got);
		if (r == 0 && got == inode) {
			i++;
			continue;
		}
		{
			struct owners_pid *p = owners_pid_at(o, pslot);
			uint32_t k;

			for (k = 0; k < p->nfds && p->fds[k].inode != inode; k++)
				;
			if (k < p->nfds)
				owners_pid_remove_at(o, p, k);
			else
				owners_map_remove(o, inode, (uint32_t)cur.pid);
		}
	}
}

int
owners_find_once(struct owners *o, const uint32_t *inodes, size_t n, struct pt_owner **out,
	size_t *len, size_t *cap)
{
	uint32_t *set = NULL;
	size_t nset = 0, i, first = *len;
	uint32_t s;
	uint64_t start;

	if (n == 0)
		return 0;
	set = xreallocarray(NULL, n, sizeof *set);
	memcpy(set, inodes, n * sizeof *set);
	xsort(set, n, sizeof *set, owners_cmp_u32);
	for (i = 0; i < n; i++)
		if (nset == 0 || set[nset - 1] != set[i])
			set[nset++] = set[i];

	for (s = 0; s < o->pids.size; s++) {
		struct owners_pid *p = owners_pid_at(o, s);

		if (p->pid == 0 || p->denied)
			continue;
		o->st.pids_scanned++;
		owners_read_fds(o, p, set, nset);
		if (o->nscratch == 0)
			continue;
		owners_scratch_normalize(o);
		if (p->nfds > 0)
			start = p->start_time;
		else if (owners_read_start(o, p->pid, &start) < 0)
			continue;
		XGROW(*out, *cap, *len + o->nscratch);
		for (i = 0; i < o->nscratch; i++) {
			struct pt_owner *w = &(*out)[(*len)++];

			w->inode = o->scratch[i].inode;
			w->pid = (int32_t)p->pid;
			w->fd = o->scratch[i].fd;
			w->start_time = start;
		}
	}
	o->nscratch = 0;
	free(set);

	if (*len - first > 1)
		xsort(*out + first, *len - first, sizeof **out, owners_cmp_owner);
	return 0;
}

void
owners_set_rewalk_interval(struct owners *o, int64_t ms)
{
	o->rewalk_ms = ms > 0 ? ms : 0;
}

void
owners_get_stats(const struct owners *o, struct owners_stats *st)
{
	uint32_t s;

	*st = o->st;
	st->pidfds = o->npidfd;
	st->cached_pids = 0;
	st->denied_pids = 0;
	for (s = 0; s < o->pids.size; s++) {
		const struct owners_pid *p = owners_pid_at(o, s);

		if (p->pid == 0)
			continue;
		st->cached_pids += p->nfds > 0;
		st->denied_pids += p->denied != 0;
	}
}
