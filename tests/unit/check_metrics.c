/* check_metrics.c — snapshots as Prometheus text: families, numbers, and escaped labels. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "porttop/metrics.h"
#include "porttop/rules.h"
#include "porttop/strbuf.h"
#include "sample.h"
#include "unit.h"

static struct tsample ts;

/* The exposition of a snapshot of ts (the first sample). */
static void
format(struct strbuf *out)
{
	struct pt_snapshot *snap = ts_build(&ts, NULL);

	metrics_format(out, snap);
	snapshot_free(snap);
}

/* True when text has exactly this line. */
static bool
has_line(const struct strbuf *text, const char *line)
{
	const char *p = strbuf_str(text);
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text->buf || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

/* The identity labels of a listener, as every per-listener sample has them. */
#define ID(proto, addr, port) "{proto=\"" proto "\",address=\"" addr "\",port=\"" port "\""

#define ck_assert_line(text, line) \
	ck_assert_msg(has_line(text, line), "no line '%s' in:\n%s", line, strbuf_str(text))

START_TEST(test_label_value_escapes_backslash_quote_and_newline)
{
	struct strbuf sb = STRBUF_INIT;

	/* escape_text first makes the newline "\n" and doubles the backslash; then the
	 * exposition format escapes every backslash and the quote once more. */
	metrics_label_value(&sb, "a\"b\\c\nd", 7);
	ck_assert_str_eq(strbuf_str(&sb), "a\\\"b\\\\\\\\c\\\\nd");
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_label_value_keeps_printable_utf8_and_escapes_invalid_bytes)
{
	struct strbuf sb = STRBUF_INIT;

	metrics_label_value(&sb, "caf\xc3\xa9 \xff\x00x", 9);
	ck_assert_str_eq(strbuf_str(&sb), "caf\xc3\xa9 \\\\xff\\\\x00x");
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_hostile_process_name_reaches_no_control_byte)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_TCP, "127.0.0.1", 8080, 10);
	ts_owner(&ts, 10, 100, 5);
	ts_proc(&ts, 100, 5, "\033]0;pwned\a\"}", "\033[2Jroot");
	format(&out);
	for (i = 0; i < out.len; i++)
		ck_assert_msg(out.buf[i] == '\n' || ((unsigned char)out.buf[i] >= 0x20 &&
							    out.buf[i] != 0x7f),
			"control byte 0x%02x at %zu", (unsigned char)out.buf[i], i);
	ck_assert_line(&out, "porttop_listener_info" ID("tcp", "127.0.0.1", "8080")
			     ",family=\"ipv4\",scope=\"loopback\",dual_stack=\"false\","
			     "process=\"\\\\e]0;pwned\\\\a\\\"}\",user=\"\\\\e[2Jroot\","
			     "unit=\"\"} 1");
	strbuf_fini(&out);
}
END_TEST

START_TEST(test_info_names_owner_user_and_unit)
{
	struct strbuf out = STRBUF_INIT;
	struct pt_proc *p;

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_TCP, "::", 443, 10)->v6only = 0;
	ts_owner(&ts, 10, 200, 7);
	ts_owner(&ts, 10, 201, 8);
	p = ts_proc(&ts, 200, 7, "nginx", "root");
	p->unit = (char *)(uintptr_t) "nginx.service";
	ts_proc(&ts, 201, 8, "nginx", "www-data");
	format(&out);
	ck_assert_line(&out, "porttop_listener_info" ID("tcp", "::", "443") ","
			     "family=\"ipv6\",scope=\"all\",dual_stack=\"true\",process=\"nginx\","
			     "user=\"root\",unit=\"nginx.service\"} 1");
	strbuf_fini(&out);
}
END_TEST

START_TEST(test_unknown_owner_leaves_process_empty_and_user_as_uid)
{
	struct strbuf out = STRBUF_INIT;

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_UDP, "0.0.0.0", 5353, 10)->uid = 107;
	format(&out);
	ck_assert_line(&out, "porttop_listener_info" ID("udp", "0.0.0.0", "5353") ","
			     "family=\"ipv4\",scope=\"all\",dual_stack=\"false\",process=\"\","
			     "user=\"107\",unit=\"\"} 1");
	strbuf_fini(&out);
}
END_TEST

START_TEST(test_connections_by_state_and_accept_queue)
{
	struct strbuf out = STRBUF_INIT;
	const char *id = "{proto=\"tcp\",address=\"127.0.0.1\",port=\"5432\"";
	char line[256];

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_TCP, "127.0.0.1", 5432, 10)->rqueue = 3;
	ts_conn(&ts, PT_STATE_ESTABLISHED, "127.0.0.1", 5432, "127.0.0.1", 40000, 11);
	ts_conn(&ts, PT_STATE_ESTABLISHED, "127.0.0.1", 5432, "127.0.0.1", 40001, 12);
	ts_conn(&ts, PT_STATE_TIME_WAIT, "127.0.0.1", 5432, "127.0.0.1", 40002, 0);
	format(&out);
	snprintf(line, sizeof line, "porttop_listener_connections%s,state=\"established\"} 2", id);
	ck_assert_line(&out, line);
	snprintf(line, sizeof line, "porttop_listener_connections%s,state=\"time_wait\"} 1", id);
	ck_assert_line(&out, line);
	snprintf(line, sizeof line, "porttop_listener_connections%s,state=\"close_wait\"} 0", id);
	ck_assert_line(&out, line);
	snprintf(line, sizeof line, "porttop_listener_accept_queue%s} 3", id);
	ck_assert_line(&out, line);
	snprintf(line, sizeof line, "porttop_listener_accept_backlog%s} 128", id);
	ck_assert_line(&out, line);
	snprintf(line, sizeof line, "porttop_listener_sockets%s} 1", id);
	ck_assert_line(&out, line);
	strbuf_fini(&out);
}
END_TEST

START_TEST(test_udp_listener_has_no_accept_queue)
{
	struct strbuf out = STRBUF_INIT;

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_UDP, "127.0.0.1", 53, 10);
	format(&out);
	ck_assert_ptr_null(strstr(out.buf, "porttop_listener_accept_queue{"));
	ck_assert_ptr_null(strstr(out.buf, "porttop_listener_accept_backlog{"));
	ck_assert_line(&out, "porttop_listener_sockets" ID("udp", "127.0.0.1", "53") "} 1");
	strbuf_fini(&out);
}
END_TEST

START_TEST(test_flags_are_zero_or_one_series)
{
	struct strbuf out = STRBUF_INIT;

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_TCP, "0.0.0.0", 40000, 10);
	ts_listen(&ts, PT_PROTO_TCP, "127.0.0.1", 22, 11);
	format(&out);
	ck_assert_line(&out, "porttop_listener_exposed" ID("tcp", "0.0.0.0", "40000") "} 1");
	ck_assert_line(&out, "porttop_listener_ephemeral" ID("tcp", "0.0.0.0", "40000") "} 1");
	ck_assert_line(&out, "porttop_listener_exposed" ID("tcp", "127.0.0.1", "22") "} 0");
	ck_assert_line(&out, "porttop_listener_ephemeral" ID("tcp", "127.0.0.1", "22") "} 0");
	ck_assert_line(&out, "porttop_listener_gone" ID("tcp", "127.0.0.1", "22") "} 0");
	strbuf_fini(&out);
}
END_TEST

START_TEST(test_totals_range_and_cost)
{
	struct strbuf out = STRBUF_INIT;

	ts_reset(&ts, 1795309302839);
	ts.sample.cost_wall_us = 900;
	ts.sample.cost_cpu_us = 1500;
	ts.sample.owners_unknown = 2;
	ts_listen(&ts, PT_PROTO_TCP, "0.0.0.0", 80, 10);
	ts_listen(&ts, PT_PROTO_TCP, "127.0.0.1", 8080, 11);
	ts_listen(&ts, PT_PROTO_UDP, "0.0.0.0", 53, 12);
	ts_conn(&ts, PT_STATE_ESTABLISHED, "127.0.0.1", 40000, "127.0.0.1", 8080, 13);
	format(&out);
	ck_assert_line(&out, "porttop_listeners{proto=\"tcp\"} 2");
	ck_assert_line(&out, "porttop_listeners{proto=\"udp\"} 1");
	ck_assert_line(&out, "porttop_exposed_listeners 2");
	ck_assert_line(&out, "porttop_stuck_listeners 0");
	ck_assert_line(&out, "porttop_established_connections 1");
	ck_assert_line(&out, "porttop_sockets 4");
	ck_assert_line(&out, "porttop_ephemeral_ports_used 1");
	ck_assert_line(&out, "porttop_ephemeral_ports 28232");
	ck_assert_line(&out, "porttop_ephemeral_range_first 32768");
	ck_assert_line(&out, "porttop_ephemeral_range_last 60999");
	ck_assert_line(&out, "porttop_owners_unknown 2");
	ck_assert_line(&out, "porttop_sample_timestamp_seconds 1795309302.839");
	ck_assert_line(&out, "porttop_sample_wall_seconds 0.000900");
	ck_assert_line(&out, "porttop_sample_cpu_seconds 0.001500");
	ck_assert_line(&out, "porttop_sample_inconsistent 0");
	strbuf_fini(&out);
}
END_TEST

/*
 * The exposition format's grammar for what metrics_format writes: each family opens with
 * "# HELP name text" and "# TYPE name gauge", its samples follow with no other family in
 * between, and no family appears twice.
 */
START_TEST(test_every_family_is_declared_once_before_its_samples)
{
	struct strbuf out = STRBUF_INIT;
	struct strbuf seen = STRBUF_INIT;
	char family[128] = "";
	const char *line, *end;
	size_t n, nsamples = 0;

	ts_reset(&ts, 1000000);
	ts_listen(&ts, PT_PROTO_TCP, "0.0.0.0", 80, 10);
	ts_listen(&ts, PT_PROTO_UDP, "::1", 53, 11);
	format(&out);
	for (line = out.buf; *line != '\0'; line = end + 1) {
		end = strchr(line, '\n');
		ck_assert_ptr_nonnull(end);
		n = (size_t)(end - line);
		if (strncmp(line, "# HELP ", 7) == 0) {
			const char *sp = memchr(line + 7, ' ', n - 7);
			char key[140];

			ck_assert_ptr_nonnull(sp);
			ck_assert_uint_lt((size_t)(sp - line - 7), sizeof family);
			snprintf(family, sizeof family, "%.*s", (int)(sp - line - 7), line + 7);
			ck_assert_msg(strncmp(family, "porttop_", 8) == 0, "family %s", family);
			snprintf(key, sizeof key, " %s ", family);
			ck_assert_msg(strstr(strbuf_str(&seen), key) == NULL, "%s declared twice",
				family);
			strbuf_addstr(&seen, key);
			/* the TYPE line follows at once */
			line = end + 1;
			end = strchr(line, '\n');
			ck_assert_ptr_nonnull(end);
			ck_assert_msg(strncmp(line, "# TYPE ", 7) == 0 &&
					strncmp(line + 7, family, strlen(family)) == 0 &&
					strncmp(line + 7 + strlen(family), " gauge\n", 7) == 0,
				"no TYPE after HELP of %s", family);
			continue;
		}
		ck_assert_msg(line[0] != '#', "stray comment: %.*s", (int)n, line);
		ck_assert_msg(family[0] != '\0' && strncmp(line, family, strlen(family)) == 0 &&
				(line[strlen(family)] == '{' || line[strlen(family)] == ' '),
			"sample outside its family %s: %.*s", family, (int)n, line);
		nsamples++;
	}
	ck_assert_uint_gt(nsamples, 20);
	strbuf_fini(&seen);
	strbuf_fini(&out);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");

	tcase_add_test(tc, test_label_value_escapes_backslash_quote_and_newline);
	tcase_add_test(tc, test_label_value_keeps_printable_utf8_and_escapes_invalid_bytes);
	tcase_add_test(tc, test_hostile_process_name_reaches_no_control_byte);
	tcase_add_test(tc, test_info_names_owner_user_and_unit);
	tcase_add_test(tc, test_unknown_owner_leaves_process_empty_and_user_as_uid);
	tcase_add_test(tc, test_connections_by_state_and_accept_queue);
	tcase_add_test(tc, test_udp_listener_has_no_accept_queue);
	tcase_add_test(tc, test_flags_are_zero_or_one_series);
	tcase_add_test(tc, test_totals_range_and_cost);
	tcase_add_test(tc, test_every_family_is_declared_once_before_its_samples);
	suite_add_tcase(s, tc);
	return s;
}
