/* check_sysinfo.c — the ephemeral range and reserved ports, read from a fake proc tree. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "porttop/ports.h"
#include "porttop/sysinfo.h"
#include "unit.h"

static char root[4096];

static void
path_of(char *buf, size_t size, const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", root, rel);

	ck_assert(n > 0 && (size_t)n < size);
}

static void
fake_write(const char *name, const char *text)
{
	char path[4200], rel[200];
	int fd;

	snprintf(rel, sizeof rel, "sys/net/ipv4/%s", name);
	path_of(path, sizeof path, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
setup(void)
{
	static const char *const dirs[] = { "sys", "sys/net", "sys/net/ipv4" };
	char path[4200];
	size_t i;

	snprintf(root, sizeof root, "%s/check_sysinfo.XXXXXX", unit_tmpdir());
	ck_assert_ptr_nonnull(mkdtemp(root));
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		path_of(path, sizeof path, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
}

static void
teardown(void)
{
	static const char *const paths[] = { "sys/net/ipv4/ip_local_port_range",
		"sys/net/ipv4/ip_local_reserved_ports", "sys/net/ipv4", "sys/net", "sys" };
	char path[4200];
	size_t i;

	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		path_of(path, sizeof path, paths[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
	rmdir(root);
}

/* A range and a set full of values the defaults do not have, to see them replaced. */
static void
poison(struct pt_port_range *r, struct pt_port_set *set)
{
	r->lo = 1;
	r->hi = 2;
	ports_set_clear(set);
	ports_set_add(set, 100, 200);
}

START_TEST(test_both_sysctls_are_read)
{
	struct pt_port_range r;
	struct pt_port_set set;

	fake_write("ip_local_port_range", "1024\t4999\n");
	fake_write("ip_local_reserved_ports", "8000-8010,9000\n");
	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports(root, &r, &set), 0);
	ck_assert_uint_eq(r.lo, 1024);
	ck_assert_uint_eq(r.hi, 4999);
	ck_assert(ports_set_has(&set, 8000));
	ck_assert(ports_set_has(&set, 8010));
	ck_assert(!ports_set_has(&set, 8011));
	ck_assert(ports_set_has(&set, 9000));
	ck_assert(!ports_set_has(&set, 150));
}
END_TEST

START_TEST(test_empty_reserved_list_is_an_empty_set)
{
	struct pt_port_range r;
	struct pt_port_set set;

	fake_write("ip_local_port_range", "32768\t60999\n");
	fake_write("ip_local_reserved_ports", "\n");
	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports(root, &r, &set), 0);
	ck_assert(!ports_set_has(&set, 150));
}
END_TEST

START_TEST(test_missing_tree_gives_kernel_defaults_and_enoent)
{
	struct pt_port_range r;
	struct pt_port_set set;
	char nowhere[4200];

	path_of(nowhere, sizeof nowhere, "no/such/proc");
	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports(nowhere, &r, &set), -ENOENT);
	ck_assert_uint_eq(r.lo, 32768);
	ck_assert_uint_eq(r.hi, 60999);
	ck_assert(!ports_set_has(&set, 150));
}
END_TEST

START_TEST(test_missing_reserved_list_keeps_the_range)
{
	struct pt_port_range r;
	struct pt_port_set set;

	fake_write("ip_local_port_range", "40000 50000\n");
	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports(root, &r, &set), -ENOENT);
	ck_assert_uint_eq(r.lo, 40000);
	ck_assert_uint_eq(r.hi, 50000);
	ck_assert(!ports_set_has(&set, 150));
}
END_TEST

START_TEST(test_garbled_range_gives_defaults_and_keeps_the_reserved_list)
{
	struct pt_port_range r;
	struct pt_port_set set;

	fake_write("ip_local_port_range", "lots\n");
	fake_write("ip_local_reserved_ports", "22\n");
	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports(root, &r, &set), -EINVAL);
	ck_assert_uint_eq(r.lo, 32768);
	ck_assert_uint_eq(r.hi, 60999);
	ck_assert(ports_set_has(&set, 22));
	ck_assert(!ports_set_has(&set, 150));
}
END_TEST

START_TEST(test_garbled_reserved_list_is_an_empty_set_and_einval)
{
	struct pt_port_range r;
	struct pt_port_set set;

	fake_write("ip_local_port_range", "1024 2048\n");
	fake_write("ip_local_reserved_ports", "8000-,x\n");
	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports(root, &r, &set), -EINVAL);
	ck_assert_uint_eq(r.lo, 1024);
	ck_assert(!ports_set_has(&set, 8000));
	ck_assert(!ports_set_has(&set, 150));
}
END_TEST

START_TEST(test_real_proc_is_readable)
{
	struct pt_port_range r;
	struct pt_port_set set;
	char text[64];
	unsigned lo, hi;
	FILE *f;

	poison(&r, &set);
	ck_assert_int_eq(sysinfo_read_ports("/proc", &r, &set), 0);
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(text, sizeof text, f));
	fclose(f);
	ck_assert_int_eq(sscanf(text, "%u %u", &lo, &hi), 2);
	ck_assert_uint_eq(r.lo, lo);
	ck_assert_uint_eq(r.hi, hi);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("sysinfo");
	TCase *tc = tcase_create("fake proc");
	TCase *live = tcase_create("live");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_both_sysctls_are_read);
	tcase_add_test(tc, test_empty_reserved_list_is_an_empty_set);
	tcase_add_test(tc, test_missing_tree_gives_kernel_defaults_and_enoent);
	tcase_add_test(tc, test_missing_reserved_list_keeps_the_range);
	tcase_add_test(tc, test_garbled_range_gives_defaults_and_keeps_the_reserved_list);
	tcase_add_test(tc, test_garbled_reserved_list_is_an_empty_set_and_einval);
	suite_add_tcase(s, tc);
	tcase_add_test(live, test_real_proc_is_readable);
	suite_add_tcase(s, live);
	return s;
}
