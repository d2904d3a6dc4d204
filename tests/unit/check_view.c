/* check_view.c — the rows on screen and where the cursor goes when its row disappears. */
#include "config.h"

#include <stdlib.h>

#include "porttop/filter.h"
#include "porttop/view.h"
#include "unit.h"
#include "rows.h"

static struct pt_listener rows[5];
static struct pt_snapshot snap;

static void
setup(void)
{
	/* a snapshot's rows are in key order */
	rows_listener(&rows[0], PT_PROTO_TCP, "0.0.0.0", 22);
	rows_listener(&rows[1], PT_PROTO_TCP, "0.0.0.0", 80);
	rows_listener(&rows[2], PT_PROTO_TCP, "127.0.0.1", 5432);
	rows_listener(&rows[3], PT_PROTO_TCP, "0.0.0.0", 8080);
	rows_listener(&rows[4], PT_PROTO_UDP, "0.0.0.0", 53);
	rows[1].flags = PT_FLAG_EXPOSED;
	rows[3].flags = PT_FLAG_EXPOSED;
	snap.rows = rows;
	snap.nrows = 5;
}

static const struct view_opts by_port = { .proto = -1, .sort_col = COL_PORT };

START_TEST(test_build_sorts_every_row_by_default)
{
	struct view v;

	view_init(&v);
	view_build(&v, &snap, &by_port, NULL);
	ck_assert_uint_eq(v.len, 5);
	ck_assert_ptr_eq(v.rows[0], &rows[0]);
	ck_assert_ptr_eq(v.rows[1], &rows[4]);
	ck_assert_ptr_eq(v.rows[4], &rows[3]);
	view_fini(&v);
}
END_TEST

START_TEST(test_build_keeps_one_protocol_and_exposed_only)
{
	struct view v;
	struct view_opts o = by_port;

	view_init(&v);
	o.proto = PT_PROTO_UDP;
	view_build(&v, &snap, &o, NULL);
	ck_assert_uint_eq(v.len, 1);
	ck_assert_ptr_eq(v.rows[0], &rows[4]);
	o.proto = -1;
	o.exposed_only = true;
	view_build(&v, &snap, &o, NULL);
	ck_assert_uint_eq(v.len, 2);
	ck_assert_ptr_eq(v.rows[0], &rows[1]);
	ck_assert_ptr_eq(v.rows[1], &rows[3]);
	view_fini(&v);
}
END_TEST

START_TEST(test_build_applies_the_filter)
{
	struct view v;
	struct view_opts o = by_port;
	struct filter *f;
	char *cause;

	view_init(&v);
	f = filter_new("port:1-100", &cause);
	o.filter = f;
	view_build(&v, &snap, &o, NULL);
	ck_assert_uint_eq(v.len, 3);
	filter_free(f);
	view_build(&v, NULL, &o, NULL);
	ck_assert_uint_eq(v.len, 0);
	view_fini(&v);
}
END_TEST

START_TEST(test_find_locates_a_row_by_identity)
{
	struct view v;

	view_init(&v);
	view_build(&v, &snap, &by_port, NULL);
	ck_assert_uint_eq(view_find(&v, &rows[2].key), 3);
	rows[2].key.port = 1;
	ck_assert_uint_eq(view_find(&v, &rows[2].key), 3); /* v borrows the rows */
	view_fini(&v);
}
END_TEST

/* The keys of a view, as the UI keeps them across a refresh. */
static struct pt_key *
keys_of(const struct view *v)
{
	struct pt_key *k = calloc(v->len, sizeof *k);
	size_t i;

	for (i = 0; i < v->len; i++)
		k[i] = v->rows[i]->key;
	return k;
}

START_TEST(test_vanished_row_hands_the_cursor_to_the_next_row)
{
	struct view before, after;
	struct pt_key *old;

	view_init(&before);
	view_init(&after);
	view_build(&before, &snap, &by_port, NULL); /* 22 53 80 5432 8080 */
	old = keys_of(&before);
	snap.rows = &rows[1]; /* 22 goes */
	snap.nrows = 4;
	rows[2].key.port = 5433;                   /* and 5432: an unrelated 5433 takes its place */
	view_build(&after, &snap, &by_port, NULL); /* 53 80 5433 8080 */
	ck_assert_uint_eq(view_find(&after, &old[3]), VIEW_NONE);
	/* 5432 was at 3 in the old order; 8080 followed it, not the newcomer at its index */
	ck_assert_uint_eq(view_neighbour(&after, old, before.len, 3), 3);
	ck_assert_uint_eq(after.rows[3]->key.port, 8080);
	/* 22 was first; 53 followed it */
	ck_assert_uint_eq(view_neighbour(&after, old, before.len, 0), view_find(&after, &old[1]));
	free(old);
	view_fini(&before);
	view_fini(&after);
}
END_TEST

START_TEST(test_vanished_last_row_hands_the_cursor_to_the_one_above)
{
	struct view before, after;
	struct pt_key *old;

	view_init(&before);
	view_init(&after);
	view_build(&before, &snap, &by_port, NULL);
	old = keys_of(&before);
	snap.nrows = 3; /* 8080 and udp 53 go */
	view_build(&after, &snap, &by_port, NULL);
	ck_assert_uint_eq(view_neighbour(&after, old, before.len, 4), 2); /* 5432 */
	free(old);
	view_fini(&before);
	view_fini(&after);
}
END_TEST

START_TEST(test_no_neighbour_when_none_of_the_old_rows_remain)
{
	struct view before, after;
	struct pt_key *old;
	struct view_opts o = by_port;

	view_init(&before);
	view_init(&after);
	o.proto = PT_PROTO_UDP;
	view_build(&before, &snap, &o, NULL);
	old = keys_of(&before);
	o.proto = PT_PROTO_TCP;
	view_build(&after, &snap, &o, NULL);
	/* the tcp rows were never next to the cursor: the cursor does not jump onto one */
	ck_assert_uint_eq(view_neighbour(&after, old, before.len, 0), VIEW_NONE);
	free(old);
	view_fini(&before);
	view_fini(&after);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("view");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_build_sorts_every_row_by_default);
	tcase_add_test(tc, test_build_keeps_one_protocol_and_exposed_only);
	tcase_add_test(tc, test_build_applies_the_filter);
	tcase_add_test(tc, test_find_locates_a_row_by_identity);
	tcase_add_test(tc, test_vanished_row_hands_the_cursor_to_the_next_row);
	tcase_add_test(tc, test_vanished_last_row_hands_the_cursor_to_the_one_above);
	tcase_add_test(tc, test_no_neighbour_when_none_of_the_old_rows_remain);
	suite_add_tcase(s, tc);
	return s;
}
