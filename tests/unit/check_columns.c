/* check_columns.c — cell text, escaping, and which columns a terminal of some width gets. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "porttop/columns.h"
#include "porttop/strbuf.h"
#include "unit.h"
#include "rows.h"

static char out[512];

static const char *
cell(enum col_id id, const struct pt_listener *l, const struct col_ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;

	columns_format(&sb, id, l, ctx);
	snprintf(out, sizeof out, "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	return out;
}

START_TEST(test_address_carries_the_scope_mark)
{
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "127.0.0.1", 5432);
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "L 127.0.0.1");
	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 22);
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "* 0.0.0.0");
	rows_listener(&l, PT_PROTO_UDP, "192.0.2.1", 53);
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "A 192.0.2.1");
	rows_listener(&l, PT_PROTO_TCP, "::1", 631);
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "L [::1]");
}
END_TEST

START_TEST(test_dual_stack_wildcard_is_shown_explicitly)
{
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "::", 8080);
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "* [::]");
	l.cls.dual_stack = true;
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "* [::]+v4");
}
END_TEST

static const char *
fake_ifname(uint32_t ifindex, void *arg)
{
	return ifindex == 3 ? "eth\033[0" : NULL;
}

START_TEST(test_device_name_comes_from_the_context_and_is_escaped)
{
	struct pt_listener l;
	struct col_ctx ctx = { .ifname = fake_ifname };

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	l.cls.scope = PT_SCOPE_DEVICE;
	l.ifindex = 3;
	ck_assert_str_eq(cell(COL_ADDRESS, &l, &ctx), "D 0.0.0.0%eth\\e[0");
	ck_assert_str_eq(cell(COL_ADDRESS, &l, NULL), "D 0.0.0.0%if3");
}
END_TEST

START_TEST(test_pid_shows_how_many_more_processes_share_the_socket)
{
	struct pt_listener l;
	struct pt_proc a, b, c;
	struct pt_proc *procs[] = { &a, &b, &c };

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	ck_assert_str_eq(cell(COL_PID, &l, NULL), "-");
	rows_proc(&a, 1200, "nginx", "root", "nginx: master");
	rows_proc(&b, 1201, "nginx", "www-data", "nginx: worker");
	rows_proc(&c, 1202, "nginx", "www-data", "nginx: worker");
	rows_own(&l, procs, 1);
	ck_assert_str_eq(cell(COL_PID, &l, NULL), "1200");
	rows_own(&l, procs, 3);
	ck_assert_str_eq(cell(COL_PID, &l, NULL), "1200+2");
	ck_assert_str_eq(cell(COL_USER, &l, NULL), "root");
	ck_assert_str_eq(cell(COL_COMMAND, &l, NULL), "nginx: master");
}
END_TEST

START_TEST(test_process_supplied_text_is_escaped)
{
	struct pt_listener l;
	struct pt_proc p;
	struct pt_proc *procs[] = { &p };

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	rows_proc(&p, 7, "\033]0;pwned\a", "ev\033il", "run \033[2J --now");
	p.unit = rows_str("x\ry.service");
	rows_own(&l, procs, 1);
	ck_assert_str_eq(cell(COL_PROCESS, &l, NULL), "\\e]0;pwned\\a");
	ck_assert_str_eq(cell(COL_USER, &l, NULL), "ev\\eil");
	ck_assert_str_eq(cell(COL_COMMAND, &l, NULL), "run \\e[2J --now");
	ck_assert_str_eq(cell(COL_UNIT, &l, NULL), "x\\ry.service");
}
END_TEST

START_TEST(test_unknown_owner_shows_question_mark_and_socket_uid)
{
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	l.uid = 997;
	ck_assert_str_eq(cell(COL_PROCESS, &l, NULL), "?");
	ck_assert_str_eq(cell(COL_USER, &l, NULL), "997");
	ck_assert_str_eq(cell(COL_COMMAND, &l, NULL), "");
}
END_TEST

START_TEST(test_process_without_command_line_is_shown_in_brackets)
{
	struct pt_listener l;
	struct pt_proc p;
	struct pt_proc *procs[] = { &p };

	rows_listener(&l, PT_PROTO_UDP, "0.0.0.0", 2049);
	rows_proc(&p, 900, "nfsd", "root", "");
	rows_own(&l, procs, 1);
	ck_assert_str_eq(cell(COL_COMMAND, &l, NULL), "[nfsd]");
}
END_TEST

START_TEST(test_queue_is_dash_for_udp_and_shows_the_backlog_for_tcp)
{
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_UDP, "0.0.0.0", 53);
	ck_assert_str_eq(cell(COL_QUEUE, &l, NULL), "-");
	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	l.queued = 3;
	l.backlog = 128;
	l.backlog_known = true;
	ck_assert_str_eq(cell(COL_QUEUE, &l, NULL), "3/128");
}
END_TEST

START_TEST(test_conns_counts_established_only)
{
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	l.conns[PT_STATE_ESTABLISHED] = 12;
	l.conns[PT_STATE_TIME_WAIT] = 40;
	ck_assert_str_eq(cell(COL_CONNS, &l, NULL), "12");
}
END_TEST

START_TEST(test_flags_are_letters_in_fixed_order)
{
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	ck_assert_str_eq(cell(COL_FLAGS, &l, NULL), "");
	l.flags = PT_FLAG_NEW | PT_FLAG_EXPOSED | PT_FLAG_STUCK;
	ck_assert_str_eq(cell(COL_FLAGS, &l, NULL), "ESN");
	l.flags = PT_FLAG_EPHEMERAL | PT_FLAG_GONE;
	ck_assert_str_eq(cell(COL_FLAGS, &l, NULL), "RG");
}
END_TEST

START_TEST(test_range_uses_the_snapshot_range_and_the_ephemeral_flag)
{
	struct pt_snapshot snap = { .ephemeral = { 32768, 60999 } };
	struct col_ctx ctx = { .snap = &snap };
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 22);
	ck_assert_str_eq(cell(COL_RANGE, &l, &ctx), "well-known");
	l.key.port = 40000;
	l.flags = PT_FLAG_EPHEMERAL;
	ck_assert_str_eq(cell(COL_RANGE, &l, &ctx), "ephemeral");
	l.flags = 0; /* in the range but reserved: the snapshot did not flag it */
	ck_assert_str_eq(cell(COL_RANGE, &l, &ctx), "registered");
}
END_TEST

START_TEST(test_up_is_measured_to_the_sample_time_or_to_when_it_went)
{
	struct pt_snapshot snap = { .time_ms = 1000000 };
	struct col_ctx ctx = { .snap = &snap };
	struct pt_listener l;

	rows_listener(&l, PT_PROTO_TCP, "0.0.0.0", 80);
	l.first_seen_ms = 1000000 - 192000;
	ck_assert_str_eq(cell(COL_UP, &l, &ctx), "3m12s");
	l.gone_ms = l.first_seen_ms + 5000;
	ck_assert_str_eq(cell(COL_UP, &l, &ctx), "5s");
}
END_TEST

START_TEST(test_find_by_name_is_case_insensitive)
{
	ck_assert_int_eq(columns_find("port"), COL_PORT);
	ck_assert_int_eq(columns_find("PROCESS"), COL_PROCESS);
	ck_assert_int_eq(columns_find("nope"), -1);
	ck_assert_str_eq(columns_def(COL_QUEUE)->title, "QUEUE");
}
END_TEST

static unsigned zero_want[COL_COUNT];

static int
slot_of(const struct col_layout *lay, enum col_id id)
{
	size_t i;

	for (i = 0; i < lay->n; i++)
		if (lay->slots[i].id == id)
			return (int)i;
	return -1;
}

START_TEST(test_wide_terminal_shows_every_column_and_command_fills_the_rest)
{
	struct col_layout lay;

	columns_layout(&lay, 120, zero_want, 0);
	ck_assert_uint_eq(lay.n, COL_COUNT);
	ck_assert_uint_eq(lay.slots[0].id, COL_PROTO);
	ck_assert_uint_eq(lay.slots[0].x, 0);
	ck_assert_uint_eq(lay.slots[1].x, 6);
	/* the fixed columns take 80 with their separators: COMMAND gets the other 39 */
	ck_assert_uint_eq(lay.slots[COL_COUNT - 1].id, COL_COMMAND);
	ck_assert_uint_eq(lay.slots[COL_COUNT - 1].x, 81);
	ck_assert_uint_eq(lay.slots[COL_COUNT - 1].width, 39);
}
END_TEST

START_TEST(test_narrow_terminal_drops_unit_range_and_up_first)
{
	struct col_layout lay;

	columns_layout(&lay, 60, zero_want, 0);
	ck_assert_int_eq(slot_of(&lay, COL_UNIT), -1);
	ck_assert_int_eq(slot_of(&lay, COL_RANGE), -1);
	ck_assert_int_eq(slot_of(&lay, COL_UP), -1);
	ck_assert_int_eq(slot_of(&lay, COL_COMMAND), -1);
	ck_assert_int_ne(slot_of(&lay, COL_QUEUE), -1);
	ck_assert_int_ne(slot_of(&lay, COL_PROTO), -1);
	ck_assert_uint_eq(lay.n, 9);
}
END_TEST

START_TEST(test_forty_columns_keep_address_port_owner_and_flags)
{
	struct col_layout lay;
	size_t i;
	static const enum col_id kept[] = { COL_ADDRESS, COL_PORT, COL_PID, COL_USER, COL_PROCESS,
		COL_FLAGS };

	columns_layout(&lay, 40, zero_want, 0);
	ck_assert_uint_eq(lay.n, 6);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(lay.slots[i].id, kept[i]);
	ck_assert_uint_eq(lay.slots[5].x + lay.slots[5].width, 40);
}
END_TEST

START_TEST(test_hidden_columns_are_left_out_and_give_their_room_to_command)
{
	struct col_layout lay;

	columns_layout(&lay, 120, zero_want, 1u << COL_RANGE | 1u << COL_UNIT);
	ck_assert_int_eq(slot_of(&lay, COL_RANGE), -1);
	ck_assert_int_eq(slot_of(&lay, COL_UNIT), -1);
	ck_assert_uint_eq(lay.slots[lay.n - 1].width, 39 + 11 + 5);
}
END_TEST

START_TEST(test_wide_content_widens_its_column_up_to_the_maximum)
{
	struct col_layout lay;
	unsigned want[COL_COUNT] = { 0 };

	want[COL_ADDRESS] = 20;
	want[COL_PROCESS] = 200;
	columns_layout(&lay, 200, want, 0);
	ck_assert_uint_eq(lay.slots[slot_of(&lay, COL_ADDRESS)].width, 20);
	ck_assert_uint_eq(lay.slots[slot_of(&lay, COL_PROCESS)].width, 20);
}
END_TEST

START_TEST(test_at_maps_a_screen_column_to_its_column)
{
	struct col_layout lay;

	columns_layout(&lay, 120, zero_want, 0);
	ck_assert_int_eq(columns_at(&lay, 0), COL_PROTO);
	ck_assert_int_eq(columns_at(&lay, 7), COL_ADDRESS);
	ck_assert_int_eq(columns_at(&lay, 119), COL_COMMAND);
	ck_assert_int_eq(columns_at(&lay, 120), -1);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("columns");
	TCase *tc = tcase_create("columns");

	tcase_add_test(tc, test_address_carries_the_scope_mark);
	tcase_add_test(tc, test_dual_stack_wildcard_is_shown_explicitly);
	tcase_add_test(tc, test_device_name_comes_from_the_context_and_is_escaped);
	tcase_add_test(tc, test_pid_shows_how_many_more_processes_share_the_socket);
	tcase_add_test(tc, test_process_supplied_text_is_escaped);
	tcase_add_test(tc, test_unknown_owner_shows_question_mark_and_socket_uid);
	tcase_add_test(tc, test_process_without_command_line_is_shown_in_brackets);
	tcase_add_test(tc, test_queue_is_dash_for_udp_and_shows_the_backlog_for_tcp);
	tcase_add_test(tc, test_conns_counts_established_only);
	tcase_add_test(tc, test_flags_are_letters_in_fixed_order);
	tcase_add_test(tc, test_range_uses_the_snapshot_range_and_the_ephemeral_flag);
	tcase_add_test(tc, test_up_is_measured_to_the_sample_time_or_to_when_it_went);
	tcase_add_test(tc, test_find_by_name_is_case_insensitive);
	tcase_add_test(tc, test_wide_terminal_shows_every_column_and_command_fills_the_rest);
	tcase_add_test(tc, test_narrow_terminal_drops_unit_range_and_up_first);
	tcase_add_test(tc, test_forty_columns_keep_address_port_owner_and_flags);
	tcase_add_test(tc, test_hidden_columns_are_left_out_and_give_their_room_to_command);
	tcase_add_test(tc, test_wide_content_widens_its_column_up_to_the_maximum);
	tcase_add_test(tc, test_at_maps_a_screen_column_to_its_column);
	suite_add_tcase(s, tc);
	return s;
}
