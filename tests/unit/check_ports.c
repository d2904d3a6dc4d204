/* check_ports.c — ephemeral range, reserved ports and range classes. */
#include "config.h"

#include <errno.h>

#include "porttop/ports.h"
#include "unit.h"

START_TEST(test_range_parses_the_sysctl_format)
{
	struct pt_port_range r;

	ck_assert_int_eq(ports_parse_range("32768\t60999\n", &r), 0);
	ck_assert_uint_eq(r.lo, 32768);
	ck_assert_uint_eq(r.hi, 60999);
	ck_assert_uint_eq(ports_range_size(&r), 28232);
	ck_assert_int_eq(ports_parse_range("1 65536", &r), -EINVAL);
	ck_assert_int_eq(ports_parse_range("1", &r), -EINVAL);
	ck_assert_int_eq(ports_parse_range("1 2 3", &r), -EINVAL);
	ck_assert_int_eq(ports_parse_range("a b", &r), -EINVAL);
}
END_TEST

START_TEST(test_reserved_list_with_ranges_and_singles)
{
	struct pt_port_set set;

	ck_assert_int_eq(ports_parse_set("8000-8010,9000\n", &set), 0);
	ck_assert(ports_set_has(&set, 8000));
	ck_assert(ports_set_has(&set, 8010));
	ck_assert(!ports_set_has(&set, 8011));
	ck_assert(ports_set_has(&set, 9000));
	ck_assert(!ports_set_has(&set, 8999));
	ck_assert_int_eq(ports_parse_set("\n", &set), 0);
	ck_assert(!ports_set_has(&set, 9000));
	ck_assert_int_eq(ports_parse_set("10-5", &set), -EINVAL);
	ck_assert_int_eq(ports_parse_set("1,,2", &set), -EINVAL);
	ck_assert_int_eq(ports_parse_set("70000", &set), -EINVAL);
	ck_assert(!ports_set_has(&set, 1)); /* a bad list leaves the set empty */
}
END_TEST

START_TEST(test_class_puts_reserved_ports_outside_the_ephemeral_range)
{
	struct pt_port_range r = { 32768, 60999 };
	struct pt_port_set set;

	ck_assert_int_eq(ports_parse_set("40000", &set), 0);
	ck_assert_int_eq(ports_class(22, &r, &set), PT_PORT_WELL_KNOWN);
	ck_assert_int_eq(ports_class(8080, &r, &set), PT_PORT_REGISTERED);
	ck_assert_int_eq(ports_class(32768, &r, &set), PT_PORT_EPHEMERAL);
	ck_assert_int_eq(ports_class(40000, &r, &set), PT_PORT_REGISTERED);
	ck_assert_int_eq(ports_class(61000, &r, &set), PT_PORT_REGISTERED);
	ck_assert_str_eq(ports_class_name(PT_PORT_EPHEMERAL), "ephemeral");
}
END_TEST

START_TEST(test_low_ephemeral_range_wins_over_well_known)
{
	struct pt_port_range r = { 500, 600 };

	ck_assert_int_eq(ports_class(550, &r, NULL), PT_PORT_EPHEMERAL);
	ck_assert_int_eq(ports_class(499, &r, NULL), PT_PORT_WELL_KNOWN);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("ports");
	TCase *tc = tcase_create("ports");

	tcase_add_test(tc, test_range_parses_the_sysctl_format);
	tcase_add_test(tc, test_reserved_list_with_ranges_and_singles);
	tcase_add_test(tc, test_class_puts_reserved_ports_outside_the_ephemeral_range);
	tcase_add_test(tc, test_low_ephemeral_range_wins_over_well_known);
	suite_add_tcase(s, tc);
	return s;
}
