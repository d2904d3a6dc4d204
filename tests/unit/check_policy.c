/* check_policy.c — bind scope classification, and the addresses a listener answers on. */
#include "config.h"

#include <string.h>

#include "porttop/addr.h"
#include "porttop/model.h"
#include "porttop/policy.h"
#include "unit.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* How a socket reported v6only: the index into the dual[] column of the matrix. */
enum v6only { V6_OFF, V6_ON, V6_UNKNOWN, V6_COUNT };

static const char *const v6only_names[V6_COUNT] = { "v6only=0", "v6only=1", "v6only unknown" };

static void
make_sock(struct pt_sock *s, const char *addr, enum v6only v6, uint32_t ifindex)
{
	unsigned family;

	memset(s, 0, sizeof *s);
	ck_assert_msg(addr_parse(addr, &family, s->laddr) == 0, "bad test address %s", addr);
	s->proto = PT_PROTO_TCP;
	s->family = (uint8_t)family;
	s->state = PT_STATE_LISTEN;
	s->lport = 8080;
	s->ifindex = ifindex;
	if (v6 != V6_UNKNOWN) {
		s->flags |= PT_SOCK_V6ONLY_KNOWN;
		s->v6only = v6 == V6_ON;
	} else
		s->flags |= PT_SOCK_PROCNET;
}

/*
 * Every address kind of both families, unbound and bound to a device, with the expected
 * class for each v6only state (v6only only matters for the IPv6 wildcard).
 */
static const struct class_case {
	const char *addr;
	uint32_t ifindex;
	enum pt_scope scope;
	bool reachable;
	bool link_local;
	bool dual[V6_COUNT]; /* by enum v6only */
} class_matrix[] = {
	/* IPv4 */
	{ "0.0.0.0", 0, PT_SCOPE_ALL, true, false, { false, false, false } },
	{ "0.0.0.0", 3, PT_SCOPE_DEVICE, true, false, { false, false, false } },
	{ "127.0.0.1", 0, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "127.0.0.1", 3, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "127.45.6.7", 0, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "127.255.255.255", 0, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "128.0.0.1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "169.254.10.20", 0, PT_SCOPE_ADDRESS, true, true, { false, false, false } },
	{ "169.254.10.20", 3, PT_SCOPE_DEVICE, true, true, { false, false, false } },
	{ "169.255.0.1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "192.0.2.1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "192.0.2.1", 3, PT_SCOPE_DEVICE, true, false, { false, false, false } },
	{ "224.0.0.251", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "224.0.0.251", 3, PT_SCOPE_DEVICE, true, false, { false, false, false } },
	/* IPv6 */
	{ "::", 0, PT_SCOPE_ALL, true, false, { true, false, true } },
	{ "::", 3, PT_SCOPE_DEVICE, true, false, { true, false, true } },
	{ "::1", 0, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "::1", 3, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "fe80::1", 0, PT_SCOPE_ADDRESS, true, true, { false, false, false } },
	{ "fe80::1", 3, PT_SCOPE_DEVICE, true, true, { false, false, false } },
	{ "febf::1", 3, PT_SCOPE_DEVICE, true, true, { false, false, false } },
	{ "fec0::1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "2001:db8::1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "2001:db8::1", 3, PT_SCOPE_DEVICE, true, false, { false, false, false } },
	{ "ff02::fb", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "::2", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	/* IPv4-mapped: the IPv4 address they carry */
	{ "::ffff:0.0.0.0", 0, PT_SCOPE_ALL, true, false, { false, false, false } },
	{ "::ffff:0.0.0.0", 3, PT_SCOPE_DEVICE, true, false, { false, false, false } },
	{ "::ffff:127.0.0.1", 0, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "::ffff:127.9.9.9", 3, PT_SCOPE_LOOPBACK, false, false, { false, false, false } },
	{ "::ffff:169.254.1.1", 0, PT_SCOPE_ADDRESS, true, true, { false, false, false } },
	{ "::ffff:192.0.2.1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
	{ "::ffff:192.0.2.1", 3, PT_SCOPE_DEVICE, true, false, { false, false, false } },
	{ "::ffff:224.0.0.1", 0, PT_SCOPE_ADDRESS, true, false, { false, false, false } },
};

START_TEST(test_classification_matrix)
{
	const struct class_case *m;
	struct pt_class c;
	struct pt_sock s;
	size_t i;
	int v6;

	for (i = 0; i < NELEM(class_matrix); i++) {
		m = &class_matrix[i];
		for (v6 = 0; v6 < V6_COUNT; v6++) {
			make_sock(&s, m->addr, (enum v6only)v6, m->ifindex);
			memset(&c, 0xa5, sizeof c); /* every field must be written */
			policy_classify(&s, &c);
			ck_assert_msg(c.scope == m->scope, "%s ifindex %u %s: scope %s",
				m->addr, m->ifindex, v6only_names[v6], policy_scope_name(c.scope));
			ck_assert_msg(c.reachable == m->reachable, "%s ifindex %u %s: reachable %d",
				m->addr, m->ifindex, v6only_names[v6], c.reachable);
			ck_assert_msg(c.link_local == m->link_local, "%s ifindex %u %s: ll %d",
				m->addr, m->ifindex, v6only_names[v6], c.link_local);
			ck_assert_msg(c.dual_stack == m->dual[v6], "%s ifindex %u %s: dual %d",
				m->addr, m->ifindex, v6only_names[v6], c.dual_stack);
		}
	}
}
END_TEST

START_TEST(test_unknown_v6only_wildcard_is_dual_stack_even_if_v6only_byte_is_set)
{
	struct pt_class c;
	struct pt_sock s;

	/* without PT_SOCK_V6ONLY_KNOWN the v6only byte is not valid and must be ignored */
	make_sock(&s, "::", V6_UNKNOWN, 0);
	s.v6only = 1;
	policy_classify(&s, &c);
	ck_assert(c.dual_stack);
	ck_assert(c.reachable);
}
END_TEST

START_TEST(test_scope_names)
{
	ck_assert_str_eq(policy_scope_name(PT_SCOPE_LOOPBACK), "loopback");
	ck_assert_str_eq(policy_scope_name(PT_SCOPE_ALL), "all");
	ck_assert_str_eq(policy_scope_name(PT_SCOPE_ADDRESS), "address");
	ck_assert_str_eq(policy_scope_name(PT_SCOPE_DEVICE), "device");
	ck_assert_str_eq(policy_scope_name(PT_SCOPE_COUNT), "?");
	ck_assert_str_eq(policy_scope_name((enum pt_scope)-1), "?");
}
END_TEST

/* A machine: lo (with a documentation address on it), eth0, docker0, wlan0. */
static struct pt_ifaddr ifs[9];

static void
add_if(size_t i, const char *name, uint32_t ifindex, const char *addr, bool loopback)
{
	unsigned family;

	ck_assert_uint_lt(i, NELEM(ifs));
	memset(&ifs[i], 0, sizeof ifs[i]);
	ck_assert(addr_parse(addr, &family, ifs[i].addr) == 0);
	ifs[i].family = (uint8_t)family;
	ifs[i].ifindex = ifindex;
	ifs[i].loopback_if = loopback;
	ck_assert_uint_lt(strlen(name), sizeof ifs[i].name);
	memcpy(ifs[i].name, name, strlen(name) + 1);
}

static void
setup_ifs(void)
{
	add_if(0, "lo", 1, "127.0.0.1", true);
	add_if(1, "lo", 1, "::1", true);
	add_if(2, "lo", 1, "192.0.2.99", true);
	add_if(3, "eth0", 2, "192.168.1.5", false);
	add_if(4, "eth0", 2, "2001:db8::5", false);
	add_if(5, "eth0", 2, "fe80::5", false);
	add_if(6, "docker0", 3, "172.17.0.1", false);
	add_if(7, "wlan0", 4, "fe80::7", false);
	add_if(8, "wlan0:1", 4, "10.0.0.7", false);
}

#define B(i) (1u << (i))
#define ALL_V4 (B(2) | B(3) | B(6) | B(8))
#define ALL_V6 (B(4) | B(5) | B(7))

static const struct {
	const char *addr;
	enum v6only v6;
	uint32_t ifindex;
	uint32_t expect; /* bit i: answers on ifs[i] */
} reach_matrix[] = {
	{ "0.0.0.0", V6_OFF, 0, ALL_V4 },
	{ "::", V6_OFF, 0, ALL_V4 | ALL_V6 },
	{ "::", V6_UNKNOWN, 0, ALL_V4 | ALL_V6 },
	{ "::", V6_ON, 0, ALL_V6 },
	{ "::ffff:0.0.0.0", V6_OFF, 0, ALL_V4 },
	{ "127.0.0.1", V6_OFF, 0, 0 },
	{ "127.0.0.1", V6_OFF, 1, 0 },
	{ "::1", V6_OFF, 0, 0 },
	{ "::ffff:127.0.0.1", V6_OFF, 0, 0 },
	{ "192.168.1.5", V6_OFF, 0, B(3) },
	{ "::ffff:192.168.1.5", V6_OFF, 0, B(3) },
	{ "::ffff:192.168.1.5", V6_ON, 0, B(3) },
	{ "2001:db8::5", V6_OFF, 0, B(4) },
	{ "192.0.2.99", V6_OFF, 0, B(2) }, /* on lo, yet Linux answers for it on any interface */
	{ "203.0.113.9", V6_OFF, 0, 0 },   /* not a local address (IP_FREEBIND) */
	{ "fe80::5", V6_OFF, 2, B(5) },
	{ "fe80::5", V6_OFF, 4, 0 },
	{ "fe80::7", V6_OFF, 4, B(7) },
	{ "0.0.0.0", V6_OFF, 2, B(3) },
	{ "0.0.0.0", V6_OFF, 1, 0 }, /* bound to lo: nothing arrives there from outside */
	{ "::", V6_OFF, 4, B(7) | B(8) },
	{ "::", V6_ON, 4, B(7) },
	{ "::", V6_OFF, 9, 0 }, /* a device with no addresses */
	{ "192.168.1.5", V6_OFF, 3, 0 }, /* bound to a device that lacks the address */
	{ "224.0.0.251", V6_OFF, 0, ALL_V4 },
	{ "ff02::fb", V6_OFF, 2, B(4) | B(5) },
};

START_TEST(test_reach_matrix)
{
	struct pt_class c;
	struct pt_sock s;
	struct pt_key key;
	size_t idx[NELEM(ifs)], n, i, j;
	uint32_t got;

	setup_ifs();
	for (i = 0; i < NELEM(reach_matrix); i++) {
		make_sock(&s, reach_matrix[i].addr, reach_matrix[i].v6, reach_matrix[i].ifindex);
		policy_classify(&s, &c);
		key_from_sock(&key, &s);
		memset(idx, 0xff, sizeof idx);
		n = policy_reach(&key, &c, s.ifindex, ifs, NELEM(ifs), idx);
		got = 0;
		for (j = 0; j < n; j++) {
			ck_assert_uint_lt(idx[j], NELEM(ifs));
			if (j > 0)
				ck_assert_uint_lt(idx[j - 1], idx[j]); /* in order, no repeats */
			got |= B(idx[j]);
		}
		ck_assert_msg(got == reach_matrix[i].expect,
			"%s %s ifindex %u: answers on 0x%x, expected 0x%x", reach_matrix[i].addr,
			v6only_names[reach_matrix[i].v6], reach_matrix[i].ifindex, got,
			reach_matrix[i].expect);
		ck_assert_uint_eq(policy_reach(&key, &c, s.ifindex, ifs, NELEM(ifs), NULL), n);
		for (j = 0; j < NELEM(ifs); j++) {
			ck_assert(policy_answers_on(&key, &c, s.ifindex, &ifs[j]) ==
				((got & B(j)) != 0));
		}
	}
}
END_TEST

START_TEST(test_reach_of_nothing_is_nothing)
{
	struct pt_class c;
	struct pt_sock s;
	struct pt_key key;

	make_sock(&s, "0.0.0.0", V6_OFF, 0);
	policy_classify(&s, &c);
	key_from_sock(&key, &s);
	ck_assert_uint_eq(policy_reach(&key, &c, 0, NULL, 0, NULL), 0);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_classification_matrix);
	tcase_add_test(tc, test_unknown_v6only_wildcard_is_dual_stack_even_if_v6only_byte_is_set);
	tcase_add_test(tc, test_scope_names);
	tcase_add_test(tc, test_reach_matrix);
	tcase_add_test(tc, test_reach_of_nothing_is_nothing);
	suite_add_tcase(s, tc);
	return s;
}
