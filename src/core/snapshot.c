/* snapshot.c — one sample aggregated into dashboard rows: immutable, self-contained. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/rules.h"
#include "porttop/snapshot.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

void
snapshot_opts_default(struct pt_build_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->stuck_samples = 5;
	opts->new_ms = 10000;
	opts->gone_ms = 10000;
}

const char *
flag_name(unsigned bit)
{
	static const char *const names[PT_FLAG_COUNT] = {
		"exposed", "ephemeral", "stuck", "new", "gone"
	};

	return bit < PT_FLAG_COUNT ? names[bit] : "?";
}

uint32_t
listener_established(const struct pt_listener *l)
{
	return l->conns[PT_STATE_ESTABLISHED];
}

/* A listening TCP socket or a bound, unconnected UDP socket. */
bool
snapshot_is_listener(const struct pt_sock *s)
{
	if (s->lport == 0)
		return false;
	if (s->proto == PT_PROTO_TCP)
		return s->state == PT_STATE_LISTEN;
	return s->state == PT_STATE_CLOSE;
}

static bool
snapshot_is_connection(const struct pt_sock *s)
{
	if (s->proto == PT_PROTO_TCP)
		return s->state != PT_STATE_LISTEN && s->state < PT_STATE_MAX;
	return s->state == PT_STATE_ESTABLISHED;
}

static int
snapshot_sock_cmp(const void *a, const void *b)
{
	const struct pt_sock *x = *(const struct pt_sock *const *)a;
	const struct pt_sock *y = *(const struct pt_sock *const *)b;
	struct pt_key kx, ky;
	int c;

	key_from_sock(&kx, x);
	key_from_sock(&ky, y);
	if ((c = key_cmp(&kx, &ky)) != 0)
		return c;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static struct pt_listener *
snapshot_bsearch(struct pt_listener *rows, size_t n, const struct pt_key *key)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = key_cmp(key, &rows[mid].key);
		if (c == 0)
			return &rows[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct pt_listener *
snapshot_find(const struct pt_snapshot *snap, const struct pt_key *key)
{
	return snapshot_bsearch(snap->rows, snap->nrows, key);
}

static int
snapshot_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
snapshot_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The rows by (protocol, port), so that a connection finds the few rows on its port with one
 * hash probe instead of searching the rows by key three times: idx holds
 * (proto << 16 | port) << 32 | row index, sorted; slot is an open-addressing table from
 * proto << 16 | port to 1 + the position of its first entry in idx (0: empty).
 */
struct snapshot_ports {
	uint64_t *idx;  /* owned */
	size_t n;
	uint32_t *slot; /* owned */
	uint32_t mask;
};

static uint32_t
snapshot_ports_hash(uint32_t pp, uint32_t mask)
{
	return (uint32_t)(((uint64_t)pp * 0x9e3779b97f4a7c15ull) >> 40) & mask;
}

static void
snapshot_ports_init(struct snapshot_ports *pi, const struct pt_listener *rows, size_t n)
{
	size_t i, size = 16;
	uint32_t h, pp;

	while (size < 2 * n)
		size *= 2;
	pi->n = n;
	pi->mask = (uint32_t)size - 1;
	pi->idx = xreallocarray(NULL, n ? n : 1, sizeof *pi->idx);
	pi->slot = xcalloc(size, sizeof *pi->slot);
	for (i = 0; i < n; i++)
		pi->idx[i] = (uint64_t)((uint32_t)rows[i].key.proto << 16 | rows[i].key.port) << 32 | i;
	xsort(pi->idx, n, sizeof *pi->idx, snapshot_u64_cmp);
	for (i = 0; i < n; i++) {
		pp = (uint32_t)(pi->idx[i] >> 32);
		if (i > 0 && (uint32_t)(pi->idx[i - 1] >> 32) == pp)
			continue;
		for (h = snapshot_ports_hash(pp, pi->mask); pi->slot[h] != 0; h = (h + 1) & pi->mask)
			;
		pi->slot[h] = (uint32_t)i + 1;
	}
}

static void
snapshot_ports_fini(struct snapshot_ports *pi)
{
	free(pi->idx);
	free(pi->slot);
}

/*
 * The row a connection belongs to: the same address and port, else a wildcard of its family
 * on the port, else (for IPv4) a dual-stack IPv6 wildcard on the port. GONE rows take part
 * (the caller skips them), so a connection of a vanished listener is counted nowhere.
 */
static struct pt_listener *
snapshot_match(struct pt_listener *rows, const struct snapshot_ports *pi, const struct pt_sock *c)
{
	uint32_t pp = (uint32_t)c->proto << 16 | c->lport, h, at;
	struct pt_listener *l, *wild = NULL, *dual = NULL;
	size_t i;

	for (h = snapshot_ports_hash(pp, pi->mask);; h = (h + 1) & pi->mask) {
		if ((at = pi->slot[h]) == 0)
			return NULL;
		if ((uint32_t)(pi->idx[at - 1] >> 32) == pp)
			break;
	}
	for (i = at - 1; i < pi->n && (uint32_t)(pi->idx[i] >> 32) == pp; i++) {
		l = &rows[(uint32_t)pi->idx[i]];
		if (l->key.family == c->family) {
			if (memcmp(l->key.addr, c->laddr, c->family == PT_FAMILY_IPV4 ? 4 : 16) == 0)
				return l;
			if (addr_is_any(l->key.family, l->key.addr))
				wild = l;
		} else if (c->family == PT_FAMILY_IPV4 && l->key.family == PT_FAMILY_IPV6 &&
			   addr_is_any(PT_FAMILY_IPV6, l->key.addr))
			dual = l;
	}
	if (wild != NULL)
		return wild;
	return dual != NULL && dual->cls.dual_stack ? dual : NULL;
}

/* An address as IPv6 (IPv4 mapped), so both ends of a dual-stack connection compare equal. */
static void
snapshot_addr6(unsigned family, const uint8_t in[16], uint8_t out[16])
{
	if (family == PT_FAMILY_IPV4) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, in, 4);
	} else
		memcpy(out, in, 16);
}

/* One end of a connection as (proto, local, peer), comparable across families. */
struct snapshot_tuple {
	uint8_t laddr[16];
	uint8_t paddr[16];
	uint16_t lport;
	uint16_t pport;
	uint8_t proto;
	uint32_t index; /* which connection (lookups) or inode (table) */
};

static void
snapshot_tuple_of(struct snapshot_tuple *t, const struct pt_sock *s, bool reversed)
{
	memset(t, 0, sizeof *t);
	t->proto = s->proto;
	snapshot_addr6(s->family, reversed ? s->paddr : s->laddr, t->laddr);
	snapshot_addr6(s->family, reversed ? s->laddr : s->paddr, t->paddr);
	t->lport = reversed ? s->pport : s->lport;
	t->pport = reversed ? s->lport : s->pport;
}

static int
snapshot_tuple_cmp(const void *a, const void *b)
{
	const struct snapshot_tuple *x = a, *y = b;
	int c;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->lport != y->lport)
		return x->lport < y->lport ? -1 : 1;
	if (x->pport != y->pport)
		return x->pport < y->pport ? -1 : 1;
	if ((c = memcmp(x->laddr, y->laddr, 16)) != 0)
		return c;
	return memcmp(x->paddr, y->paddr, 16);
}

bool
snapshot_conn_matches(const struct pt_key *key, bool dual_stack, const struct pt_sock *c)
{
	struct pt_key ck;

	if (!snapshot_is_connection(c) || c->proto != key->proto || c->lport != key->port)
		return false;
	key_from_sock(&ck, c);
	if (key_cmp(&ck, key) == 0)
		return true;
	if (!addr_is_any(key->family, key->addr))
		return false;
	if (c->family == key->family)
		return true;
	return dual_stack && key->family == PT_FAMILY_IPV6 && c->family == PT_FAMILY_IPV4;
}

/*
 * For each socks[conn[i]], the inode of the socket at its other end when that end is on this
 * machine (present in socks), else 0; written to peer[i]. One pass over the table.
 */
static void
snapshot_peers(const struct pt_sock *socks, size_t n, const size_t *conn, size_t nconn,
	uint32_t *peer)
{
	struct snapshot_tuple *want, t, *hit;
	size_t i;

	if (nconn == 0)
		return;
	want = xreallocarray(NULL, nconn, sizeof *want);
	for (i = 0; i < nconn; i++) {
		snapshot_tuple_of(&want[i], &socks[conn[i]], true);
		want[i].index = (uint32_t)i;
		peer[i] = 0;
	}
	xsort(want, nconn, sizeof *want, snapshot_tuple_cmp);
	for (i = 0; i < n; i++) {
		if (socks[i].inode == 0 || socks[i].pport == 0)
			continue;
		snapshot_tuple_of(&t, &socks[i], false);
		hit = bsearch(&t, want, nconn, sizeof *want, snapshot_tuple_cmp);
		if (hit != NULL)
			peer[hit->index] = socks[i].inode;
	}
	free(want);
}


size_t
snapshot_peer_inodes(const struct pt_sock *socks, size_t n, const struct pt_key *key,
	bool dual_stack, uint32_t **out)
{
	size_t *conn = NULL, nconn = 0, cap = 0, i, m = 0;
	uint32_t *peer;

	for (i = 0; i < n; i++) {
		if (!snapshot_conn_matches(key, dual_stack, &socks[i]))
			continue;
		XGROW(conn, cap, nconn + 1);
		conn[nconn++] = i;
	}
	peer = xreallocarray(NULL, nconn ? nconn : 1, sizeof *peer);
	snapshot_peers(socks, n, conn, nconn, peer);
	for (i = 0; i < nconn; i++)
		if (peer[i] != 0)
			peer[m++] = peer[i];
	xsort(peer, m, sizeof *peer, snapshot_u32_cmp);
	for (i = 0, n = 0; i < m; i++)
		if (n == 0 || peer[n - 1] != peer[i])
			peer[n++] = peer[i];
	free(conn);
	*out = peer;
	return n;
}

/* Owners of inode in the sorted array, as [*first, *first + return). */
static size_t
snapshot_owner_range(const struct pt_owner *o, size_t n, uint32_t inode, size_t *first)
{
	size_t lo = 0, hi = n, mid, end;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (o[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && o[end].inode == inode; end++)
		;
	*first = lo;
	return end - lo;
}

static int
snapshot_owner_pid_cmp(const void *a, const void *b)
{
	const struct pt_owner *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

static int
snapshot_proc_cmp(const void *a, const void *b)
{
	const struct pt_proc *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start_time < y->start_time ? -1 : x->start_time > y->start_time;
}

/*
 * The process (pid, start_time) in the sorted procs; start_time 0 or no exact match falls
 * back to any entry with the pid.
 */
static struct pt_proc *
snapshot_proc_find(struct pt_proc *procs, size_t n, int32_t pid, uint64_t start_time)
{
	size_t lo = 0, hi = n, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= n || procs[lo].pid != pid)
		return NULL;
	for (i = lo; i < n && procs[i].pid == pid; i++)
		if (start_time == 0 || procs[i].start_time == 0 || procs[i].start_time == start_time)
			return &procs[i];
	return &procs[lo];
}

/* Builder state: what lives only while one snapshot is being made. */
struct snapshot_builder {
	struct pt_snapshot *snap;
	size_t rows_cap;
	size_t procs_cap;
};

static struct pt_listener *
snapshot_add_row(struct snapshot_builder *b)
{
	struct pt_snapshot *snap = b->snap;
	struct pt_listener *l;

	XGROW(snap->rows, b->rows_cap, snap->nrows + 1);
	l = &snap->rows[snap->nrows++];
	memset(l, 0, sizeof *l);
	return l;
}

static void
snapshot_add_proc(struct snapshot_builder *b, const struct pt_proc *p)
{
	struct pt_snapshot *snap = b->snap;

	XGROW(snap->procs, b->procs_cap, snap->nprocs + 1);
	proc_copy(&snap->procs[snap->nprocs++], p);
}

/* Fill a fresh row from its sockets socks[0..n) (all with the same key). */
static void
snapshot_fill_row(struct pt_listener *l, const struct pt_sock *const *socks, size_t n,
	const struct pt_sample *sample)
{
	size_t i, first, cnt, no = 0, ocap = 0;

	key_from_sock(&l->key, socks[0]);
	policy_classify(socks[0], &l->cls);
	l->ifindex = socks[0]->ifindex;
	l->uid = socks[0]->uid;
	l->socks = xreallocarray(NULL, n, sizeof *l->socks);
	l->nsocks = n;
	l->backlog_known = true;
	for (i = 0; i < n; i++) {
		l->socks[i] = *socks[i];
		if (socks[i]->proto == PT_PROTO_TCP) {
			l->queued += socks[i]->rqueue;
			if (socks[i]->flags & PT_SOCK_BACKLOG_KNOWN)
				l->backlog += socks[i]->wqueue;
			else
				l->backlog_known = false;
		}
		cnt = snapshot_owner_range(sample->owners, sample->nowners, socks[i]->inode, &first);
		if (cnt == 0 || socks[i]->inode == 0)
			continue;
		XGROW(l->owners, ocap, no + cnt);
		memcpy(l->owners + no, sample->owners + first, cnt * sizeof *l->owners);
		no += cnt;
	}
	if (socks[0]->proto != PT_PROTO_TCP)
		l->backlog_known = false;
	l->nowners = no;
	if (no > 1)
		xsort(l->owners, no, sizeof *l->owners, snapshot_owner_pid_cmp);
}

/* Carry what a row remembers from its previous sample and set its flags. */
static void
snapshot_carry(struct pt_listener *l, const struct pt_listener *old, const struct pt_sample *sample,
	const struct pt_build_opts *opts, bool first_sample)
{
	uint32_t prev_queued = 0, n;

	if (old != NULL) {
		l->first_seen_ms = old->first_seen_ms;
		/* Back after it was GONE: it appeared again, now. */
		l->appeared_ms = (old->flags & PT_FLAG_GONE) ? sample->time_ms : old->appeared_ms;
		memcpy(l->qhist, old->qhist, sizeof l->qhist);
		l->qhist_len = old->qhist_len;
		prev_queued = old->qhist_len > 0 ? old->qhist[old->qhist_len - 1] : 0;
		if (l->queued > 0 && l->queued >= prev_queued && !(old->flags & PT_FLAG_GONE))
			l->stuck_run = old->stuck_run + 1;
	} else {
		l->first_seen_ms = sample->time_ms;
		l->appeared_ms = first_sample ? 0 : sample->time_ms;
		if (l->queued > 0)
			l->stuck_run = 1;
	}
	n = l->qhist_len;
	if (n == PT_QHIST) {
		memmove(l->qhist, l->qhist + 1, (PT_QHIST - 1) * sizeof l->qhist[0]);
		n--;
	}
	l->qhist[n++] = l->queued;
	l->qhist_len = n;
	l->flags = 0;
	if (l->stuck_run >= opts->stuck_samples && opts->stuck_samples > 0)
		l->flags |= PT_FLAG_STUCK;
	if (l->appeared_ms != 0 && sample->time_ms - l->appeared_ms < opts->new_ms)
		l->flags |= PT_FLAG_NEW;
	if (ports_class(l->key.port, &sample->ephemeral, sample->reserved) == PT_PORT_EPHEMERAL)
		l->flags |= PT_FLAG_EPHEMERAL;
}

/* Copy a row of the previous snapshot that vanished, as GONE, keeping its processes. */
static void
snapshot_keep_gone(struct snapshot_builder *b, const struct pt_listener *old, int64_t now)
{
	struct pt_listener *l = snapshot_add_row(b);
	size_t i;

	*l = *old;
	l->socks = xreallocarray(NULL, old->nsocks, sizeof *l->socks);
	memcpy(l->socks, old->socks, old->nsocks * sizeof *l->socks);
	l->owners = NULL;
	if (old->nowners > 0) {
		l->owners = xreallocarray(NULL, old->nowners, sizeof *l->owners);
		memcpy(l->owners, old->owners, old->nowners * sizeof *l->owners);
	}
	l->procs = NULL;
	l->nprocs = 0;
	l->flags = (old->flags & ~(PT_FLAG_NEW | PT_FLAG_STUCK | PT_FLAG_EXPOSED)) | PT_FLAG_GONE;
	l->stuck_run = 0;
	if (old->gone_ms == 0)
		l->gone_ms = now;
	for (i = 0; i < old->nprocs; i++)
		snapshot_add_proc(b, old->procs[i]);
}

static int
snapshot_row_cmp(const void *a, const void *b)
{
	return key_cmp(&((const struct pt_listener *)a)->key, &((const struct pt_listener *)b)->key);
}

/* Point each row at its distinct owner processes, now that snap->procs is final. */
static void
snapshot_link_procs(struct pt_snapshot *snap)
{
	struct pt_listener *l;
	struct pt_proc *p;
	size_t r, i;

	for (r = 0; r < snap->nrows; r++) {
		l = &snap->rows[r];
		l->nprocs = 0;
		if (l->nowners == 0)
			continue;
		l->procs = xreallocarray(NULL, l->nowners, sizeof *l->procs);
		for (i = 0; i < l->nowners; i++) {
			if (i > 0 && l->owners[i].pid == l->owners[i - 1].pid)
				continue;
			p = snapshot_proc_find(snap->procs, snap->nprocs, l->owners[i].pid,
				l->owners[i].start_time);
			if (p != NULL)
				l->procs[l->nprocs++] = p;
		}
	}
}

static bool
snapshot_bit(const uint64_t *bits, uint16_t port)
{
	return (bits[port / 64] >> (port % 64)) & 1;
}

static void
snapshot_set_bit(uint64_t *bits, uint16_t port)
{
	bits[port / 64] |= UINT64_C(1) << (port % 64);
}

static void
snapshot_count_conns(struct pt_snapshot *snap, const struct pt_sample *sample)
{
	const struct pt_sock *c;
	struct pt_listener *l;
	uint64_t used[65536 / 64];
	/*
	 * The ports that have a present row, by protocol. Most connections of a busy host are
	 * not to one of its listeners (outgoing ones, the client ends of local ones): one bit
	 * test turns them away before the row searches.
	 */
	uint64_t listening[PT_PROTO_COUNT][65536 / 64];
	struct snapshot_ports pi;
	size_t i;

	memset(used, 0, sizeof used);
	memset(listening, 0, sizeof listening);
	snapshot_ports_init(&pi, snap->rows, snap->nrows);
	for (i = 0; i < snap->nrows; i++)
		if (snap->rows[i].key.proto < PT_PROTO_COUNT && !(snap->rows[i].flags & PT_FLAG_GONE))
			snapshot_set_bit(listening[snap->rows[i].key.proto], snap->rows[i].key.port);
	for (i = 0; i < sample->nsocks; i++) {
		c = &sample->socks[i];
		if (c->proto == PT_PROTO_TCP && c->state == PT_STATE_ESTABLISHED)
			snap->totals.established++;
		if (c->proto == PT_PROTO_TCP && c->state == PT_STATE_TIME_WAIT)
			snap->totals.time_wait++;
		/* Each port counted once, as its bit is first set (no popcount over 8 KiB). */
		if (ports_in_range(&sample->ephemeral, c->lport) && !snapshot_bit(used, c->lport)) {
			snapshot_set_bit(used, c->lport);
			snap->totals.ephemeral_used++;
		}
		if (c->proto >= PT_PROTO_COUNT || !snapshot_bit(listening[c->proto], c->lport) ||
			!snapshot_is_connection(c))
			continue;
		l = snapshot_match(snap->rows, &pi, c);
		if (l == NULL || (l->flags & PT_FLAG_GONE))
			continue;
		/* An established connection with no socket file is waiting in the accept queue. */
		if (c->proto == PT_PROTO_TCP && c->inode == 0 &&
			(c->state == PT_STATE_ESTABLISHED || c->state == PT_STATE_CLOSE_WAIT))
			continue;
		l->conns[c->state]++;
	}
	snapshot_ports_fini(&pi);
}

static void
snapshot_focus(struct pt_snapshot *snap, const struct pt_sample *sample, const struct pt_key *key)
{
	const struct pt_listener *l = snapshot_bsearch(snap->rows, snap->nrows, key);
	const struct pt_owner *o;
	size_t *conn = NULL, nconn = 0, cap = 0, i, first;
	uint32_t *peer;
	struct pt_conn *fc;

	snap->has_focus = true;
	snap->focus = *key;
	if (l == NULL || (l->flags & PT_FLAG_GONE))
		return;
	for (i = 0; i < sample->nsocks; i++) {
		if (!snapshot_conn_matches(key, l->cls.dual_stack, &sample->socks[i]))
			continue;
		XGROW(conn, cap, nconn + 1);
		conn[nconn++] = i;
	}
	peer = xreallocarray(NULL, nconn ? nconn : 1, sizeof *peer);
	snapshot_peers(sample->socks, sample->nsocks, conn, nconn, peer);
	snap->focus_conns = xreallocarray(NULL, nconn ? nconn : 1, sizeof *snap->focus_conns);
	for (i = 0; i < nconn; i++) {
		fc = &snap->focus_conns[snap->nfocus_conns++];
		fc->sock = sample->socks[conn[i]];
		fc->client = NULL;
		if (peer[i] == 0 || sample->client_owners == NULL)
			continue;
		if (snapshot_owner_range(sample->client_owners, sample->nclient_owners, peer[i],
			    &first) == 0)
			continue;
		o = &sample->client_owners[first];
		fc->client = snapshot_proc_find(snap->procs, snap->nprocs, o->pid, o->start_time);
	}
	free(peer);
	free(conn);
}

struct pt_snapshot *
snapshot_build(const struct pt_sample *sample, const struct pt_snapshot *prev,
	const struct pt_build_opts *opts)
{
	struct snapshot_builder b = { NULL, 0, 0 };
	struct pt_snapshot *snap = xcalloc(1, sizeof *snap);
	const struct pt_sock **ls = NULL;
	struct pt_listener *l;
	const struct pt_listener *old;
	size_t nls = 0, nls_cap = 0, nlive, i, j, p;
	bool first_sample = prev == NULL;

	b.snap = snap;
	snap->refs = 1;
	snap->seq = prev != NULL ? prev->seq + 1 : 1;
	snap->time_ms = sample->time_ms;
	snap->mono_ms = sample->mono_ms;
	snap->cost_wall_us = sample->cost_wall_us;
	snap->cost_cpu_us = sample->cost_cpu_us;
	snap->source = sample->source;
	snap->inconsistent = sample->inconsistent;
	snap->read_error = sample->read_error;
	snap->conns_stale = sample->conns_stale;
	snap->ephemeral = sample->ephemeral;
	snap->status = xstrdup_or_null(sample->status);
	if (sample->nifaddrs > 0) {
		snap->ifaddrs = xreallocarray(NULL, sample->nifaddrs, sizeof *snap->ifaddrs);
		memcpy(snap->ifaddrs, sample->ifaddrs, sample->nifaddrs * sizeof *snap->ifaddrs);
		snap->nifaddrs = sample->nifaddrs;
	}
	snap->totals.sockets = (uint32_t)sample->nsocks;
	snap->totals.ephemeral_size = ports_range_size(&sample->ephemeral);
	snap->totals.owners_unknown = sample->owners_unknown;

	for (i = 0; i < sample->nprocs; i++)
		snapshot_add_proc(&b, &sample->procs[i]);

	/* Listening sockets, grouped by identity: one row per key. */
	for (i = 0; i < sample->nsocks; i++) {
		if (!snapshot_is_listener(&sample->socks[i]))
			continue;
		XGROW(ls, nls_cap, nls + 1);
		ls[nls++] = &sample->socks[i];
	}
	xsort(ls, nls, sizeof *ls, snapshot_sock_cmp);
	p = 0;
	for (i = 0; i < nls; i = j) {
		struct pt_key ki, kj;

		key_from_sock(&ki, ls[i]);
		for (j = i + 1; j < nls; j++) {
			key_from_sock(&kj, ls[j]);
			if (key_cmp(&ki, &kj) != 0)
				break;
		}
		l = snapshot_add_row(&b);
		snapshot_fill_row(l, ls + i, j - i, sample);
		/* prev rows are sorted by key too: walk them alongside. */
		old = NULL;
		while (prev != NULL && p < prev->nrows && key_cmp(&prev->rows[p].key, &l->key) < 0)
			p++;
		if (prev != NULL && p < prev->nrows && key_cmp(&prev->rows[p].key, &l->key) == 0)
			old = &prev->rows[p];
		snapshot_carry(l, old, sample, opts, first_sample);
		if (l->key.proto < PT_PROTO_COUNT)
			snap->totals.listeners[l->key.proto]++;
	}
	free(ls);

	/*
	 * Rows that vanished stay for gone_ms, dimmed. Only the live rows, the first nlive, are
	 * sorted: GONE rows are appended after them until the qsort below.
	 */
	nlive = snap->nrows;
	for (p = 0; prev != NULL && p < prev->nrows; p++) {
		old = &prev->rows[p];
		if (snapshot_bsearch(snap->rows, nlive, &old->key) != NULL)
			continue;
		if (old->gone_ms != 0 && sample->time_ms - old->gone_ms >= opts->gone_ms)
			continue;
		snapshot_keep_gone(&b, old, sample->time_ms);
	}
	/* The live rows came out of ls in key order: only GONE rows need sorting in. */
	if (snap->nrows > nlive)
		xsort(snap->rows, snap->nrows, sizeof *snap->rows, snapshot_row_cmp);
	xsort(snap->procs, snap->nprocs, sizeof *snap->procs, snapshot_proc_cmp);
	snapshot_link_procs(snap);
	snapshot_count_conns(snap, sample);

	for (i = 0; i < snap->nrows; i++) {
		l = &snap->rows[i];
		if (l->flags & PT_FLAG_GONE)
			continue;
		if (l->cls.reachable && (opts->rules == NULL ||
						!rules_expect(opts->rules, l, l->procs, l->nprocs))) {
			l->flags |= PT_FLAG_EXPOSED;
			snap->totals.exposed++;
		}
		if (l->flags & PT_FLAG_STUCK)
			snap->totals.stuck++;
	}
	if (opts->focus != NULL)
		snapshot_focus(snap, sample, opts->focus);
	return snap;
}

void
snapshot_free(struct pt_snapshot *snap)
{
	size_t i;

	if (snap == NULL)
		return;
	for (i = 0; i < snap->nrows; i++) {
		free(snap->rows[i].socks);
		free(snap->rows[i].owners);
		free(snap->rows[i].procs);
	}
	free(snap->rows);
	for (i = 0; i < snap->nprocs; i++)
		proc_fini(&snap->procs[i]);
	free(snap->procs);
	free(snap->focus_conns);
	free(snap->ifaddrs);
	free(snap->status);
	free(snap);
}
