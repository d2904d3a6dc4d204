/* owners.c — which processes hold which socket inodes, kept up to date incrementally. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/owners.h"
#include "porttop/pidfd.h"
#include "porttop/u32tab.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

#include "owners_int.h"

#define OWNERS_PROC_SUPER_MAGIC 0x9fa0

/* --- small helpers ------------------------------------------------------------------------ */

static int
owners_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
owners_cmp_owner(const void *a, const void *b)
{
	const struct pt_owner *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
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

void
owners_close_pidfd(struct owners *o, struct owners_pid *p)
{
	if (p->pidfd >= 0) {
		close(p->pidfd);
		p->pidfd = -1;
		o->npidfd--;
	}
}

/* Forget every socket p holds. */
void
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
void
owners_pid_drop(struct owners *o, uint32_t slot)
{
	struct owners_pid *p = owners_pid_at(o, slot);

	owners_pid_clear(o, p);
	free(p->fds);
	u32tab_delete(&o->pids, slot);
}

/* Make p's sockets those in o->scratch (sorted), changing the map only where they differ. */
void
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

/*
 * Whether a wanted inode is unowned and due: not waiting out its backoff and, unless new_too,
 * already seen unowned by an earlier update. A full walk waits for that second sight: a socket
 * whose process exited between the socket dump and this update (under churn most updates have
 * one) is gone from the next dump and then costs no walk of every process's fds.
 */
bool
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
