/* check_format.c — durations, counts, queues, intervals and addresses as the screen shows them. */
#include "config.h"

#include <string.h>

#include "porttop/addr.h"
#include "porttop/format.h"
#include "unit.h"

static char buf[128];

START_TEST(test_duration_uses_two_units_at_most)
{
	format_duration(buf, sizeof buf, 0);
	ck_assert_str_eq(buf, "0s");
	format_duration(buf, sizeof buf, 59999);
	ck_assert_str_eq(buf, "59s");
	format_duration(buf, sizeof buf, (3 * 60 + 12) * 1000);
	ck_assert_str_eq(buf, "3m12s");
	format_duration(buf, sizeof buf, (3 * 3600 + 12 * 60 + 59) * 1000LL);
	ck_assert_str_eq(buf, "3h12m");
	format_duration(buf, sizeof buf, (2 * 86400 + 4 * 3600 + 5) * 1000LL);
	ck_assert_str_eq(buf, "2d4h");
}
END_TEST

START_TEST(test_negative_duration_is_zero)
{
	format_duration(buf, sizeof buf, -5000);
	ck_assert_str_eq(buf, "0s");
}
END_TEST

START_TEST(test_count_stays_within_five_columns)
{
	format_count(buf, sizeof buf, 9999);
	ck_assert_str_eq(buf, "9999");
	format_count(buf, sizeof buf, 12345);
	ck_assert_str_eq(buf, "12.3k");
	format_count(buf, sizeof buf, 123456);
	ck_assert_str_eq(buf, "123k");
	format_count(buf, sizeof buf, 1234567);
	ck_assert_str_eq(buf, "1.2M");
	format_count(buf, sizeof buf, 123456789);
	ck_assert_str_eq(buf, "123M");
	format_count(buf, sizeof buf, 4294967295u);
	ck_assert_str_eq(buf, "4.2G");
}
END_TEST

START_TEST(test_queue_shows_backlog_only_when_known)
{
	format_queue(buf, sizeof buf, 3, 128, true);
	ck_assert_str_eq(buf, "3/128");
	format_queue(buf, sizeof buf, 3, 0, false);
	ck_assert_str_eq(buf, "3");
}
END_TEST

START_TEST(test_interval_in_tenths)
{
	format_interval(buf, sizeof buf, 5);
	ck_assert_str_eq(buf, "0.5s");
	format_interval(buf, sizeof buf, 10);
	ck_assert_str_eq(buf, "1s");
	format_interval(buf, sizeof buf, 25);
	ck_assert_str_eq(buf, "2.5s");
}
END_TEST

static void
key_of(struct pt_key *k, const char *addr, uint16_t port)
{
	unsigned family;

	memset(k, 0, sizeof *k);
	ck_assert_int_eq(addr_parse(addr, &family, k->addr), 0);
	k->family = (uint8_t)family;
	k->port = port;
}

START_TEST(test_address_brackets_ipv6_and_names_dual_stack)
{
	struct pt_key k;
	struct pt_class c = { 0 };

	key_of(&k, "127.0.0.1", 80);
	format_address(buf, sizeof buf, &k, &c, 0, NULL);
	ck_assert_str_eq(buf, "127.0.0.1");
	key_of(&k, "::", 80);
	format_address(buf, sizeof buf, &k, &c, 0, NULL);
	ck_assert_str_eq(buf, "[::]");
	c.dual_stack = true;
	format_address(buf, sizeof buf, &k, &c, 0, NULL);
	ck_assert_str_eq(buf, "[::]+v4");
}
END_TEST

START_TEST(test_device_bound_address_names_the_interface)
{
	struct pt_key k;
	struct pt_class c = { .scope = PT_SCOPE_DEVICE };

	key_of(&k, "0.0.0.0", 80);
	format_address(buf, sizeof buf, &k, &c, 3, "eth0");
	ck_assert_str_eq(buf, "0.0.0.0%eth0");
	format_address(buf, sizeof buf, &k, &c, 3, NULL);
	ck_assert_str_eq(buf, "0.0.0.0%if3");
}
END_TEST

START_TEST(test_scope_marks)
{
	ck_assert_int_eq(format_scope_mark(PT_SCOPE_LOOPBACK), 'L');
	ck_assert_int_eq(format_scope_mark(PT_SCOPE_ALL), '*');
	ck_assert_int_eq(format_scope_mark(PT_SCOPE_ADDRESS), 'A');
	ck_assert_int_eq(format_scope_mark(PT_SCOPE_DEVICE), 'D');
	ck_assert_str_eq(format_scope_words(PT_SCOPE_ALL), "all interfaces");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_duration_uses_two_units_at_most);
	tcase_add_test(tc, test_negative_duration_is_zero);
	tcase_add_test(tc, test_count_stays_within_five_columns);
	tcase_add_test(tc, test_queue_shows_backlog_only_when_known);
	tcase_add_test(tc, test_interval_in_tenths);
	tcase_add_test(tc, test_address_brackets_ipv6_and_names_dual_stack);
	tcase_add_test(tc, test_device_bound_address_names_the_interface);
	tcase_add_test(tc, test_scope_marks);
	suite_add_tcase(s, tc);
	return s;
}
