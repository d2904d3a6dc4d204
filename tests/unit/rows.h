/* rows.h — dashboard rows built by hand for the core tests of columns, sort, filter and view. */
#ifndef PORTTOP_TESTS_ROWS_H
#define PORTTOP_TESTS_ROWS_H

#include <stdint.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/snapshot.h"

/* A listener on addr:port ("127.0.0.1", "::"), present, no owner, no flags. */
static inline void
rows_listener(struct pt_listener *l, unsigned proto, const char *addr, uint16_t port)
{
	unsigned family = PT_FAMILY_IPV4;

	memset(l, 0, sizeof *l);
	l->key.proto = (uint8_t)proto;
	ck_assert_int_eq(addr_parse(addr, &family, l->key.addr), 0);
	l->key.family = (uint8_t)family;
	l->key.port = port;
	if (addr_is_loopback(family, l->key.addr))
		l->cls.scope = PT_SCOPE_LOOPBACK;
	else if (addr_is_any(family, l->key.addr))
		l->cls.scope = PT_SCOPE_ALL;
	else
		l->cls.scope = PT_SCOPE_ADDRESS;
	l->cls.reachable = l->cls.scope != PT_SCOPE_LOOPBACK;
}

/* A string literal where the model wants an owned string: the tests never free these. */
static inline char *
rows_str(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* A process with the given identity; strings are borrowed (the tests never free them). */
static inline void
rows_proc(struct pt_proc *p, int32_t pid, const char *comm, const char *user, const char *cmdline)
{
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->uid = user != NULL && strcmp(user, "root") == 0 ? 0 : 1000;
	p->comm = rows_str(comm);
	p->user = rows_str(user);
	p->cmdline = rows_str(cmdline);
}

/* Make procs[0..n) the owners of l (procs is borrowed, as in a snapshot). */
static inline void
rows_own(struct pt_listener *l, struct pt_proc **procs, size_t n)
{
	l->procs = procs;
	l->nprocs = n;
}

#endif
