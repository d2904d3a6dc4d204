/* owners_int.h — the owners cache's internals, shared by owners.c and owners_walk.c. */
#ifndef PORTTOP_OWNERS_INT_H
#define PORTTOP_OWNERS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/owners.h"
#include "porttop/u32tab.h"

struct pollfd;

/*
 * Cost model. Listing PROC (one getdents per few hundred processes) and polling the owners'
 * pidfds are cheap and happen every update. Reading a process's fd folder costs one readlink per
 * descriptor and happens at once only for processes not seen before, for recently started
 * processes when a wanted inode is unowned, and in full walks (the first update, and an inode
 * unowned in two updates in a row whose backoff has expired). Cached owners are re-verified with
 * one readlink each, OWNERS_VERIFY_MIN or 1/OWNERS_VERIFY_ROUNDS of them per update. The background
 * re-walk spends about (cost of a whole walk) x (time since the last update) / OWNERS_REWALK_MS
 * readlinks.
 */
#define OWNERS_REWALK_MS 45000      /* one pass of the background re-walk takes this long */
#define OWNERS_DIR_COST 3           /* an fd folder's open + getdents + close, in readlinks */
#define OWNERS_BACKOFF_MIN_MS 2000  /* first retry of an inode no walk could attribute */
#define OWNERS_BACKOFF_MAX_MS 32000 /* the retry delay doubles up to this */
#define OWNERS_RECENT_MS 5000       /* processes this young are rescanned before a full walk */
#define OWNERS_RECENT_MAX 256
#define OWNERS_SETTLE_MS 1000 /* a new process is looked at once it is this old (owners_walk.c) */
#define OWNERS_LIST_MS 3000   /* PROC is listed at most this often, unless an inode is unowned */
#define OWNERS_VERIFY_MIN 8 /* a few hundred listeners are verified in a few seconds */
#define OWNERS_VERIFY_ROUNDS 32
#define OWNERS_DENTS_SIZE 32768
#define OWNERS_PIDFD_MAX 8192

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
	int64_t fdcount; /* its fd folder's size when last read: the number of fds (Linux 6.2) */
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
	uint32_t bg_entries;           /* descriptors bg_pid's folder listed so far */
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

static inline bool
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

/* --- across the two files ----------------------------------------------------------------- */

/* Only what one file calls in the other; the rest of each is static. */

/* owners.c: the tables' upkeep. */
void owners_close_pidfd(struct owners *o, struct owners_pid *p);
void owners_pid_clear(struct owners *o, struct owners_pid *p);
void owners_pid_drop(struct owners *o, uint32_t slot);
void owners_pid_merge(struct owners *o, struct owners_pid *p);
bool owners_need_walk(const struct owners *o, bool new_too);

/* owners_walk.c: reading fd folders and walking PROC. */
int owners_read_start(const struct owners *o, uint32_t pid, uint64_t *start);
int owners_read_fd(struct owners *o, struct owners_pid *p, int32_t fd, uint32_t *inode);
int owners_read_fds(struct owners *o, struct owners_pid *p, const uint32_t *want, size_t nwant);
void owners_scratch_normalize(struct owners *o);
int owners_walk(struct owners *o, bool full, uint32_t last_pid);
void owners_rescan_recent(struct owners *o);
void owners_rescan_owners(struct owners *o);
void owners_check_new(struct owners *o);
void owners_background(struct owners *o);

#endif
