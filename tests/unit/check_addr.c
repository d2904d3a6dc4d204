/* check_addr.c — address text and address kinds. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/model.h"
#include "unit.h"

static void
parse(const char *s, unsigned *fam, uint8_t a[16])
{
	ck_assert_int_eq(addr_parse(s, fam, a), 0);
}

START_TEST(test_format_round_trips_both_families)
{
	const char *in[] = { "127.0.0.1", "0.0.0.0", "192.0.2.1", "::", "::1", "fe80::1",
		"::ffff:127.0.0.1", "2001:db8::42" };
	char buf[ADDR_STRLEN];
	uint8_t a[16];
	unsigned fam, i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		parse(in[i], &fam, a);
		addr_format(fam, a, buf, sizeof buf);
		ck_assert_str_eq(buf, in[i]);
	}
}
END_TEST

START_TEST(test_parse_rejects_garbage_and_brackets)
{
	uint8_t a[16];
	unsigned fam;

	ck_assert_int_eq(addr_parse("", &fam, a), -EINVAL);
	ck_assert_int_eq(addr_parse("[::1]", &fam, a), -EINVAL);
	ck_assert_int_eq(addr_parse("256.1.1.1", &fam, a), -EINVAL);
	ck_assert_int_eq(addr_parse("localhost", &fam, a), -EINVAL);
}
END_TEST

START_TEST(test_loopback_covers_127_8_v6_and_mapped)
{
	uint8_t a[16];
	unsigned fam;

	parse("127.3.4.5", &fam, a);
	ck_assert(addr_is_loopback(fam, a));
	parse("::1", &fam, a);
	ck_assert(addr_is_loopback(fam, a));
	parse("::ffff:127.0.0.1", &fam, a);
	ck_assert(addr_is_loopback(fam, a));
	parse("128.0.0.1", &fam, a);
	ck_assert(!addr_is_loopback(fam, a));
	parse("::2", &fam, a);
	ck_assert(!addr_is_loopback(fam, a));
	parse("::", &fam, a);
	ck_assert(!addr_is_loopback(fam, a));
	ck_assert(addr_is_any(fam, a));
}
END_TEST

START_TEST(test_link_local_both_families)
{
	uint8_t a[16];
	unsigned fam;

	parse("169.254.1.1", &fam, a);
	ck_assert(addr_is_link_local(fam, a));
	parse("fe80::1", &fam, a);
	ck_assert(addr_is_link_local(fam, a));
	parse("febf::1", &fam, a);
	ck_assert(addr_is_link_local(fam, a));
	parse("fec0::1", &fam, a);
	ck_assert(!addr_is_link_local(fam, a));
	parse("192.0.2.1", &fam, a);
	ck_assert(!addr_is_link_local(fam, a));
}
END_TEST

START_TEST(test_key_ignores_bytes_past_an_ipv4_address)
{
	struct pt_sock s;
	struct pt_key a, b;

	memset(&s, 0, sizeof s);
	s.family = PT_FAMILY_IPV4;
	s.lport = 80;
	s.laddr[0] = 10;
	key_from_sock(&a, &s);
	s.laddr[9] = 0xaa; /* garbage a reader left past the IPv4 bytes */
	key_from_sock(&b, &s);
	ck_assert_int_eq(key_cmp(&a, &b), 0);
	s.lport = 81;
	key_from_sock(&b, &s);
	ck_assert_int_lt(key_cmp(&a, &b), 0);
}
END_TEST

START_TEST(test_state_names_match_ss)
{
	ck_assert_str_eq(state_name(PT_STATE_ESTABLISHED), "ESTAB");
	ck_assert_str_eq(state_name(PT_STATE_LISTEN), "LISTEN");
	ck_assert_str_eq(state_name(200), "?");
	ck_assert_str_eq(state_key(PT_STATE_CLOSE_WAIT), "close_wait");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addr");

	tcase_add_test(tc, test_format_round_trips_both_families);
	tcase_add_test(tc, test_parse_rejects_garbage_and_brackets);
	tcase_add_test(tc, test_loopback_covers_127_8_v6_and_mapped);
	tcase_add_test(tc, test_link_local_both_families);
	tcase_add_test(tc, test_key_ignores_bytes_past_an_ipv4_address);
	tcase_add_test(tc, test_state_names_match_ss);
	suite_add_tcase(s, tc);
	return s;
}
