/* model.c — small helpers for the shared data: socket vectors, processes, keys, names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "porttop/model.h"
#include "porttop/xalloc.h"

void
sockvec_init(struct pt_sockvec *sv)
{
	sv->v = NULL;
	sv->len = sv->cap = 0;
}

void
sockvec_fini(struct pt_sockvec *sv)
{
	free(sv->v);
	sockvec_init(sv);
}

struct pt_sock *
sockvec_push(struct pt_sockvec *sv)
{
	struct pt_sock *s;

	XGROW(sv->v, sv->cap, sv->len + 1);
	s = &sv->v[sv->len++];
	memset(s, 0, sizeof *s);
	return s;
}

void
proc_copy(struct pt_proc *dst, const struct pt_proc *src)
{
	*dst = *src;
	dst->comm = xstrdup_or_null(src->comm);
	dst->user = xstrdup_or_null(src->user);
	dst->cmdline = xstrdup_or_null(src->cmdline);
	dst->exe = xstrdup_or_null(src->exe);
	dst->cgroup = xstrdup_or_null(src->cgroup);
	dst->unit = xstrdup_or_null(src->unit);
}

void
proc_fini(struct pt_proc *p)
{
	free(p->comm);
	free(p->user);
	free(p->cmdline);
	free(p->exe);
	free(p->cgroup);
	free(p->unit);
	memset(p, 0, sizeof *p);
}

void
key_from_sock(struct pt_key *key, const struct pt_sock *s)
{
	memset(key, 0, sizeof *key);
	key->proto = s->proto;
	key->family = s->family;
	key->port = s->lport;
	memcpy(key->addr, s->laddr, s->family == PT_FAMILY_IPV4 ? 4 : 16);
}

int
key_cmp(const struct pt_key *a, const struct pt_key *b)
{
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof a->addr);
}

const char *
proto_name(unsigned proto)
{
	static const char *const names[PT_PROTO_COUNT] = {
		[PT_PROTO_TCP] = "tcp",
		[PT_PROTO_UDP] = "udp",
	};

	return proto < PT_PROTO_COUNT ? names[proto] : "?";
}

const char *
family_name(unsigned family)
{
	static const char *const names[PT_FAMILY_COUNT] = {
		[PT_FAMILY_IPV4] = "ipv4",
		[PT_FAMILY_IPV6] = "ipv6",
	};

	return family < PT_FAMILY_COUNT ? names[family] : "?";
}

static const struct {
	const char *name; /* as ss prints it */
	const char *key;  /* for JSON and metrics */
} state_names[PT_STATE_MAX] = {
	[0] = { "?", "unknown" },
	[PT_STATE_ESTABLISHED] = { "ESTAB", "established" },
	[PT_STATE_SYN_SENT] = { "SYN-SENT", "syn_sent" },
	[PT_STATE_SYN_RECV] = { "SYN-RECV", "syn_recv" },
	[PT_STATE_FIN_WAIT1] = { "FIN-WAIT-1", "fin_wait1" },
	[PT_STATE_FIN_WAIT2] = { "FIN-WAIT-2", "fin_wait2" },
	[PT_STATE_TIME_WAIT] = { "TIME-WAIT", "time_wait" },
	[PT_STATE_CLOSE] = { "UNCONN", "close" },
	[PT_STATE_CLOSE_WAIT] = { "CLOSE-WAIT", "close_wait" },
	[PT_STATE_LAST_ACK] = { "LAST-ACK", "last_ack" },
	[PT_STATE_LISTEN] = { "LISTEN", "listen" },
	[PT_STATE_CLOSING] = { "CLOSING", "closing" },
	[PT_STATE_NEW_SYN_RECV] = { "NEW-SYN-RECV", "new_syn_recv" },
	[PT_STATE_BOUND_INACTIVE] = { "BOUND-INACTIVE", "bound_inactive" },
};

const char *
state_name(unsigned state)
{
	return state < PT_STATE_MAX ? state_names[state].name : "?";
}

const char *
state_key(unsigned state)
{
	return state < PT_STATE_MAX ? state_names[state].key : "unknown";
}
