/* policy.c — where a listener can be reached from: its scope and the addresses it answers on. */
#include "config.h"

#include <string.h>

#include "porttop/addr.h"
#include "porttop/model.h"
#include "porttop/policy.h"

/* What a bind address is, once an IPv4-mapped address is read as the IPv4 address it carries. */
enum policy_kind {
	POLICY_ANY4,       /* 0.0.0.0, ::ffff:0.0.0.0 */
	POLICY_ANY6,       /* :: */
	POLICY_LOOPBACK,   /* 127.0.0.0/8, ::1 */
	POLICY_LINK_LOCAL, /* 169.254.0.0/16, fe80::/10 */
	POLICY_MULTICAST,  /* 224.0.0.0/4, ff00::/8: a UDP socket joined to a group */
	POLICY_UNICAST,    /* any other one address */
	POLICY_KIND_COUNT
};

/* Whether an IPv6 socket refuses IPv4, as far as we know. */
enum policy_v6only {
	POLICY_V6ONLY_OFF,
	POLICY_V6ONLY_ON,
	POLICY_V6ONLY_UNKNOWN,
	POLICY_V6ONLY_COUNT
};

/*
 * Which interface addresses a bind can answer on, before any device binding narrows it:
 * every address of its own family, or only the address itself.
 */
enum policy_span {
	POLICY_SPAN_NONE,   /* nothing from outside */
	POLICY_SPAN_FAMILY, /* every address of the bind's family (and IPv4 too when dual-stack) */
	POLICY_SPAN_SELF,   /* the bind address only */
};

static const struct policy_kind_info {
	enum pt_scope scope; /* when not bound to a device */
	bool reachable;
	bool link_local;
	bool may_be_dual;    /* serves IPv4 too unless v6only */
	bool device_narrows; /* SO_BINDTODEVICE makes it PT_SCOPE_DEVICE */
	enum policy_span span;
} policy_kinds[POLICY_KIND_COUNT] = {
	[POLICY_ANY4] = {
		.scope = PT_SCOPE_ALL,
		.reachable = true,
		.device_narrows = true,
		.span = POLICY_SPAN_FAMILY,
	},
	[POLICY_ANY6] = {
		.scope = PT_SCOPE_ALL,
		.reachable = true,
		.may_be_dual = true,
		.device_narrows = true,
		.span = POLICY_SPAN_FAMILY,
	},
	[POLICY_LOOPBACK] = {
		.scope = PT_SCOPE_LOOPBACK,
		.span = POLICY_SPAN_NONE,
	},
	[POLICY_LINK_LOCAL] = {
		.scope = PT_SCOPE_ADDRESS,
		.reachable = true,
		.link_local = true,
		.device_narrows = true,
		.span = POLICY_SPAN_SELF,
	},
	[POLICY_MULTICAST] = {
		.scope = PT_SCOPE_ADDRESS,
		.reachable = true,
		.device_narrows = true,
		.span = POLICY_SPAN_FAMILY,
	},
	[POLICY_UNICAST] = {
		.scope = PT_SCOPE_ADDRESS,
		.reachable = true,
		.device_narrows = true,
		.span = POLICY_SPAN_SELF,
	},
};

/*
 * Unknown counts as dual-stack: the kernel default (net.ipv6.bindv6only=0) leaves v6only off,
 * and when in doubt porttop would rather show an exposure that is not there than hide one.
 */
static const bool policy_dual[POLICY_V6ONLY_COUNT] = {
	[POLICY_V6ONLY_OFF] = true,
	[POLICY_V6ONLY_ON] = false,
	[POLICY_V6ONLY_UNKNOWN] = true,
};

static const char *const policy_scope_names[PT_SCOPE_COUNT] = {
	[PT_SCOPE_LOOPBACK] = "loopback",
	[PT_SCOPE_ALL] = "all",
	[PT_SCOPE_ADDRESS] = "address",
	[PT_SCOPE_DEVICE] = "device",
};

/* The address as what it carries: an IPv4-mapped IPv6 address becomes plain IPv4. */
static void
policy_normalise(unsigned family, const uint8_t addr[16], unsigned *nfamily, uint8_t naddr[16])
{
	memset(naddr, 0, 16);
	if (addr_is_v4mapped(family, addr)) {
		*nfamily = PT_FAMILY_IPV4;
		memcpy(naddr, addr + 12, 4);
		return;
	}
	*nfamily = family == PT_FAMILY_IPV4 ? PT_FAMILY_IPV4 : PT_FAMILY_IPV6;
	memcpy(naddr, addr, *nfamily == PT_FAMILY_IPV4 ? 4 : 16);
}

/* family and addr already normalised. */
static enum policy_kind
policy_kind_of(unsigned family, const uint8_t addr[16])
{
	if (addr_is_any(family, addr))
		return family == PT_FAMILY_IPV4 ? POLICY_ANY4 : POLICY_ANY6;
	if (addr_is_loopback(family, addr))
		return POLICY_LOOPBACK;
	if (addr_is_link_local(family, addr))
		return POLICY_LINK_LOCAL;
	if (family == PT_FAMILY_IPV4 ? (addr[0] & 0xf0) == 0xe0 : addr[0] == 0xff)
		return POLICY_MULTICAST;
	return POLICY_UNICAST;
}

static enum policy_v6only
policy_v6only_of(const struct pt_sock *s)
{
	if (!(s->flags & PT_SOCK_V6ONLY_KNOWN))
		return POLICY_V6ONLY_UNKNOWN;
	return s->v6only ? POLICY_V6ONLY_ON : POLICY_V6ONLY_OFF;
}

void
policy_classify(const struct pt_sock *s, struct pt_class *out)
{
	const struct policy_kind_info *k;
	uint8_t addr[16];
	unsigned family;

	policy_normalise(s->family, s->laddr, &family, addr);
	k = &policy_kinds[policy_kind_of(family, addr)];
	memset(out, 0, sizeof *out);
	out->scope = k->scope;
	if (s->ifindex != 0 && k->device_narrows)
		out->scope = PT_SCOPE_DEVICE;
	out->reachable = k->reachable;
	out->link_local = k->link_local;
	out->dual_stack = k->may_be_dual && policy_dual[policy_v6only_of(s)];
}

const char *
policy_scope_name(enum pt_scope scope)
{
	if ((unsigned)scope >= PT_SCOPE_COUNT)
		return "?";
	return policy_scope_names[scope];
}

bool
policy_answers_on(const struct pt_key *key, const struct pt_class *cls, uint32_t ifindex,
	const struct pt_ifaddr *ifa)
{
	const struct policy_kind_info *k;
	uint8_t kaddr[16], iaddr[16];
	unsigned kfamily, ifamily;

	if (!cls->reachable)
		return false;
	policy_normalise(ifa->family, ifa->addr, &ifamily, iaddr);
	if (addr_is_loopback(ifamily, iaddr))
		return false;
	/* Packets from other machines never arrive on a loopback device. */
	if (ifindex != 0 && (ifa->ifindex != ifindex || ifa->loopback_if))
		return false;
	policy_normalise(key->family, key->addr, &kfamily, kaddr);
	k = &policy_kinds[policy_kind_of(kfamily, kaddr)];
	switch (k->span) {
	case POLICY_SPAN_NONE:
		return false;
	case POLICY_SPAN_FAMILY:
		return ifamily == kfamily ||
			(k->may_be_dual && cls->dual_stack && ifamily == PT_FAMILY_IPV4);
	case POLICY_SPAN_SELF:
		return ifamily == kfamily &&
			memcmp(iaddr, kaddr, kfamily == PT_FAMILY_IPV4 ? 4 : 16) == 0;
	}
	return false;
}

size_t
policy_reach(const struct pt_key *key, const struct pt_class *cls, uint32_t ifindex,
	const struct pt_ifaddr *ifs, size_t nifs, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < nifs; i++) {
		if (!policy_answers_on(key, cls, ifindex, &ifs[i]))
			continue;
		if (idx != NULL)
			idx[n] = i;
		n++;
	}
	return n;
}
