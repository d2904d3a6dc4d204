/* sample.h — samples built by hand for snapshot_build, for tests of what reads snapshots. */
#ifndef PORTTOP_TESTS_SAMPLE_H
#define PORTTOP_TESTS_SAMPLE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/snapshot.h"
#include "unit.h"

#define TS_MAX_SOCKS 64
#define TS_MAX_OWNERS 32
#define TS_MAX_PROCS 16

/* One sample under construction: add sockets, owners and processes, then ts_build. */
struct tsample {
	struct pt_sock socks[TS_MAX_SOCKS];
	size_t nsocks;
	struct pt_owner owners[TS_MAX_OWNERS];
	size_t nowners;
	struct pt_proc procs[TS_MAX_PROCS];
	size_t nprocs;
	struct pt_sample sample;
	struct pt_build_opts opts;
};

/* Start an empty sample taken at time_ms, ephemeral range 32768-60999, default options. */
static inline void
ts_reset(struct tsample *t, int64_t time_ms)
{
	memset(t, 0, sizeof *t);
	t->sample.ephemeral.lo = 32768;
	t->sample.ephemeral.hi = 60999;
	t->sample.time_ms = time_ms;
	t->sample.mono_ms = time_ms;
	snapshot_opts_default(&t->opts);
}

static inline struct pt_sock *
ts_sock(struct tsample *t, unsigned proto, unsigned state, const char *addr, unsigned port,
	uint32_t inode)
{
	struct pt_sock *s;
	unsigned fam;

	ck_assert_uint_lt(t->nsocks, TS_MAX_SOCKS);
	s = &t->socks[t->nsocks++];
	ck_assert_int_eq(addr_parse(addr, &fam, s->laddr), 0);
	s->family = (uint8_t)fam;
	s->proto = (uint8_t)proto;
	s->state = (uint8_t)state;
	s->lport = (uint16_t)port;
	s->inode = inode;
	s->uid = 1000;
	if (s->family == PT_FAMILY_IPV6)
		s->flags |= PT_SOCK_V6ONLY_KNOWN;
	return s;
}

/* A listening TCP socket (backlog 128) or a bound UDP socket. */
static inline struct pt_sock *
ts_listen(struct tsample *t, unsigned proto, const char *addr, unsigned port, uint32_t inode)
{
	struct pt_sock *s;

	if (proto == PT_PROTO_UDP)
		return ts_sock(t, proto, PT_STATE_CLOSE, addr, port, inode);
	s = ts_sock(t, proto, PT_STATE_LISTEN, addr, port, inode);
	s->flags |= PT_SOCK_BACKLOG_KNOWN;
	s->wqueue = 128;
	return s;
}

/* A connection whose local end is addr:port. */
static inline struct pt_sock *
ts_conn(struct tsample *t, unsigned state, const char *addr, unsigned port, const char *peer,
	unsigned peer_port, uint32_t inode)
{
	struct pt_sock *s = ts_sock(t, PT_PROTO_TCP, state, addr, port, inode);
	unsigned fam;

	ck_assert_int_eq(addr_parse(peer, &fam, s->paddr), 0);
	s->pport = (uint16_t)peer_port;
	return s;
}

/* Process pid, started at start_time, holds socket inode. */
static inline void
ts_owner(struct tsample *t, uint32_t inode, int32_t pid, uint64_t start_time)
{
	ck_assert_uint_lt(t->nowners, TS_MAX_OWNERS);
	t->owners[t->nowners].inode = inode;
	t->owners[t->nowners].pid = pid;
	t->owners[t->nowners].fd = 3;
	t->owners[t->nowners].start_time = start_time;
	t->nowners++;
}

/* Details of process pid; comm doubles as its command line. Strings are borrowed. */
static inline struct pt_proc *
ts_proc(struct tsample *t, int32_t pid, uint64_t start_time, const char *comm, const char *user)
{
	struct pt_proc *p;

	ck_assert_uint_lt(t->nprocs, TS_MAX_PROCS);
	p = &t->procs[t->nprocs++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->uid = 1000;
	p->start_time = start_time;
	p->comm = (char *)(uintptr_t)comm;
	p->cmdline = (char *)(uintptr_t)comm;
	p->user = (char *)(uintptr_t)user;
	return p;
}

static inline int
ts_owner_cmp(const void *a, const void *b)
{
	const struct pt_owner *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static inline int
ts_proc_cmp(const void *a, const void *b)
{
	const struct pt_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Build the snapshot of the sample; prev is the one before, or NULL. Caller frees it. */
static inline struct pt_snapshot *
ts_build(struct tsample *t, const struct pt_snapshot *prev)
{
	qsort(t->owners, t->nowners, sizeof t->owners[0], ts_owner_cmp);
	qsort(t->procs, t->nprocs, sizeof t->procs[0], ts_proc_cmp);
	t->sample.socks = t->socks;
	t->sample.nsocks = t->nsocks;
	t->sample.owners = t->owners;
	t->sample.nowners = t->nowners;
	t->sample.procs = t->procs;
	t->sample.nprocs = t->nprocs;
	return snapshot_build(&t->sample, prev, &t->opts);
}

#endif
