/* check_sort.c — row order by any column, both ways, stable, and the port-range sort. */
#include "config.h"

#include "porttop/sort.h"
#include "unit.h"
#include "rows.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
ports_are(const struct pt_listener **v, size_t n, const uint16_t *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(v[i]->key.port == want[i], "row %zu: port %u, want %u", i,
		        (unsigned)v[i]->key.port, (unsigned)want[i]);
}

START_TEST(test_port_sort_ascending)
{
	struct pt_listener l[4];
	const struct pt_listener *v[4] = { &l[0], &l[1], &l[2], &l[3] };
	static const uint16_t want[] = { 22, 80, 443, 8080 };

	rows_listener(&l[0], PT_PROTO_TCP, "0.0.0.0", 8080);
	rows_listener(&l[1], PT_PROTO_TCP, "0.0.0.0", 22);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 443);
	rows_listener(&l[3], PT_PROTO_TCP, "0.0.0.0", 80);
	sort_rows(v, 4, COL_PORT, false, NULL);
	ports_are(v, 4, want);
}
END_TEST

START_TEST(test_port_sort_descending)
{
	struct pt_listener l[3];
	const struct pt_listener *v[3] = { &l[0], &l[1], &l[2] };
	static const uint16_t want[] = { 8080, 443, 22 };

	rows_listener(&l[0], PT_PROTO_TCP, "0.0.0.0", 443);
	rows_listener(&l[1], PT_PROTO_TCP, "0.0.0.0", 22);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 8080);
	sort_rows(v, 3, COL_PORT, true, NULL);
	ports_are(v, 3, want);
}
END_TEST

START_TEST(test_ties_are_broken_by_identity_in_both_directions)
{
	struct pt_listener l[3];
	const struct pt_listener *v[3] = { &l[0], &l[1], &l[2] };

	/* same port: udp after tcp, and 127.0.0.1 after 0.0.0.0 (key order) */
	rows_listener(&l[0], PT_PROTO_UDP, "0.0.0.0", 53);
	rows_listener(&l[1], PT_PROTO_TCP, "127.0.0.1", 53);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 53);
	sort_rows(v, 3, COL_PORT, false, NULL);
	ck_assert_ptr_eq(v[0], &l[2]);
	ck_assert_ptr_eq(v[1], &l[1]);
	ck_assert_ptr_eq(v[2], &l[0]);
	sort_rows(v, 3, COL_PORT, true, NULL);
	ck_assert_ptr_eq(v[0], &l[2]);
	ck_assert_ptr_eq(v[1], &l[1]);
	ck_assert_ptr_eq(v[2], &l[0]);
}
END_TEST

START_TEST(test_rows_with_the_same_key_keep_their_input_order)
{
	struct pt_listener l[5];
	const struct pt_listener *v[5];
	size_t i;

	for (i = 0; i < 5; i++) {
		rows_listener(&l[i], PT_PROTO_TCP, "0.0.0.0", 80);
		v[i] = &l[i];
	}
	sort_rows(v, 5, COL_PROCESS, false, NULL);
	for (i = 0; i < 5; i++)
		ck_assert_ptr_eq(v[i], &l[i]);
}
END_TEST

START_TEST(test_range_sort_groups_ephemeral_listeners_after_the_others)
{
	struct pt_snapshot snap = { .ephemeral = { 32768, 60999 } };
	struct col_ctx ctx = { .snap = &snap };
	struct pt_listener l[6];
	const struct pt_listener *v[6];
	static const uint16_t ports[] = { 40000, 8080, 22, 33000, 45000, 5353 };
	static const uint16_t want[] = { 22, 5353, 8080, 45000, 33000, 40000 };
	size_t i;

	for (i = 0; i < N(ports); i++) {
		rows_listener(&l[i], PT_PROTO_TCP, "0.0.0.0", ports[i]);
		v[i] = &l[i];
	}
	l[0].flags = PT_FLAG_EPHEMERAL;
	l[3].flags = PT_FLAG_EPHEMERAL;
	/* 45000 is in the range but reserved (not flagged): it sorts with the registered */
	sort_rows(v, N(ports), COL_RANGE, false, &ctx);
	ports_are(v, N(ports), want);
}
END_TEST

START_TEST(test_rows_without_an_owner_sort_last_by_pid)
{
	struct pt_listener l[3];
	struct pt_proc a, b;
	struct pt_proc *pa[] = { &a }, *pb[] = { &b };
	const struct pt_listener *v[3] = { &l[0], &l[1], &l[2] };

	rows_listener(&l[0], PT_PROTO_TCP, "0.0.0.0", 1);
	rows_listener(&l[1], PT_PROTO_TCP, "0.0.0.0", 2);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 3);
	rows_proc(&a, 900, "a", "root", "a");
	rows_proc(&b, 100, "b", "root", "b");
	rows_own(&l[1], pa, 1);
	rows_own(&l[2], pb, 1);
	sort_rows(v, 3, COL_PID, false, NULL);
	ck_assert_ptr_eq(v[0], &l[2]);
	ck_assert_ptr_eq(v[1], &l[1]);
	ck_assert_ptr_eq(v[2], &l[0]);
}
END_TEST

START_TEST(test_process_sort_ignores_case)
{
	struct pt_listener l[3];
	struct pt_proc a, b, c;
	struct pt_proc *pa[] = { &a }, *pb[] = { &b }, *pc[] = { &c };
	const struct pt_listener *v[3] = { &l[0], &l[1], &l[2] };

	rows_listener(&l[0], PT_PROTO_TCP, "0.0.0.0", 1);
	rows_listener(&l[1], PT_PROTO_TCP, "0.0.0.0", 2);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 3);
	rows_proc(&a, 1, "sshd", NULL, "");
	rows_proc(&b, 2, "Xorg", NULL, "");
	rows_proc(&c, 3, "avahi", NULL, "");
	rows_own(&l[0], pa, 1);
	rows_own(&l[1], pb, 1);
	rows_own(&l[2], pc, 1);
	sort_rows(v, 3, COL_PROCESS, false, NULL);
	ck_assert_ptr_eq(v[0], &l[2]);
	ck_assert_ptr_eq(v[1], &l[0]);
	ck_assert_ptr_eq(v[2], &l[1]);
}
END_TEST

START_TEST(test_conns_sort_by_established_connections)
{
	struct pt_listener l[3];
	const struct pt_listener *v[3] = { &l[0], &l[1], &l[2] };

	rows_listener(&l[0], PT_PROTO_TCP, "0.0.0.0", 1);
	rows_listener(&l[1], PT_PROTO_TCP, "0.0.0.0", 2);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 3);
	l[0].conns[PT_STATE_ESTABLISHED] = 5;
	l[1].conns[PT_STATE_ESTABLISHED] = 50;
	l[2].conns[PT_STATE_TIME_WAIT] = 500; /* not established: does not count */
	sort_rows(v, 3, COL_CONNS, true, NULL);
	ck_assert_ptr_eq(v[0], &l[1]);
	ck_assert_ptr_eq(v[1], &l[0]);
	ck_assert_ptr_eq(v[2], &l[2]);
}
END_TEST

START_TEST(test_flags_sort_puts_exposed_before_stuck_before_ephemeral)
{
	struct pt_listener l[4];
	const struct pt_listener *v[4] = { &l[0], &l[1], &l[2], &l[3] };

	rows_listener(&l[0], PT_PROTO_TCP, "0.0.0.0", 1);
	rows_listener(&l[1], PT_PROTO_TCP, "0.0.0.0", 2);
	rows_listener(&l[2], PT_PROTO_TCP, "0.0.0.0", 3);
	rows_listener(&l[3], PT_PROTO_TCP, "0.0.0.0", 4);
	l[1].flags = PT_FLAG_EPHEMERAL | PT_FLAG_NEW;
	l[2].flags = PT_FLAG_EXPOSED;
	l[3].flags = PT_FLAG_STUCK;
	sort_rows(v, 4, COL_FLAGS, true, NULL);
	ck_assert_ptr_eq(v[0], &l[2]);
	ck_assert_ptr_eq(v[1], &l[3]);
	ck_assert_ptr_eq(v[2], &l[1]);
	ck_assert_ptr_eq(v[3], &l[0]);
}
END_TEST

START_TEST(test_many_rows_come_out_in_order)
{
	enum { COUNT = 1000 };
	static struct pt_listener l[COUNT];
	static const struct pt_listener *v[COUNT];
	size_t i;

	for (i = 0; i < COUNT; i++) {
		rows_listener(&l[i], PT_PROTO_TCP, "0.0.0.0", (uint16_t)((i * 7919) % 65521));
		v[i] = &l[i];
	}
	sort_rows(v, COUNT, COL_PORT, false, NULL);
	for (i = 1; i < COUNT; i++)
		ck_assert_uint_le(v[i - 1]->key.port, v[i]->key.port);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("sort");
	TCase *tc = tcase_create("sort");

	tcase_add_test(tc, test_port_sort_ascending);
	tcase_add_test(tc, test_port_sort_descending);
	tcase_add_test(tc, test_ties_are_broken_by_identity_in_both_directions);
	tcase_add_test(tc, test_rows_with_the_same_key_keep_their_input_order);
	tcase_add_test(tc, test_range_sort_groups_ephemeral_listeners_after_the_others);
	tcase_add_test(tc, test_rows_without_an_owner_sort_last_by_pid);
	tcase_add_test(tc, test_process_sort_ignores_case);
	tcase_add_test(tc, test_conns_sort_by_established_connections);
	tcase_add_test(tc, test_flags_sort_puts_exposed_before_stuck_before_ephemeral);
	tcase_add_test(tc, test_many_rows_come_out_in_order);
	suite_add_tcase(s, tc);
	return s;
}
