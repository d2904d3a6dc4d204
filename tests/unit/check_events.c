/* check_events.c — listener events from consecutive snapshots, and their JSON lines. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "porttop/events.h"
#include "porttop/rules.h"
#include "porttop/strbuf.h"
#include "sample.h"
#include "unit.h"

#define T0 1795309300000LL /* a realtime in ms: the first sample */
#define SEC 1000LL

static struct tsample ts;
static struct pt_snapshot *prev;
static struct pt_rules *rules;
static struct strbuf got;

static void
setup(void)
{
	prev = NULL;
	rules = NULL;
	strbuf_init(&got);
}

static void
teardown(void)
{
	snapshot_free(prev);
	rules_free(rules);
	strbuf_fini(&got);
}

/* Start the next sample at time_ms. */
static void
at(int64_t time_ms)
{
	ts_reset(&ts, time_ms);
}

/* A TCP listener on addr:port, socket inode, owned by pid (started at start) named comm. */
static void
listener(const char *addr, unsigned port, uint32_t inode, int32_t pid, uint64_t start,
	const char *comm)
{
	ts_listen(&ts, PT_PROTO_TCP, addr, port, inode);
	if (pid == 0)
		return;
	ts_owner(&ts, inode, pid, start);
	ts_proc(&ts, pid, start, comm, "alice");
}

/*
 * Build the sample, diff it against the one before, and return the events as words:
 * "listen:8080" ("listen*:8080" when initial), "owner:8080<-100" (the previous main pid), ...
 */
static const char *
step(void)
{
	struct pt_snapshot *cur;
	const struct pt_owner *o;
	struct pt_eventvec ev;
	size_t i, n;

	ts.opts.rules = rules; /* as the sampler builds with the rules events_diff gets */
	cur = ts_build(&ts, prev);
	eventvec_init(&ev);
	n = events_diff(prev, cur, rules, &ev);
	ck_assert_uint_eq(n, ev.len);
	strbuf_reset(&got);
	for (i = 0; i < ev.len; i++) {
		strbuf_printf(&got, "%s%s%s:%u", i > 0 ? " " : "", events_name(ev.v[i].type),
			ev.v[i].initial ? "*" : "", ev.v[i].row->key.port);
		if (ev.v[i].type == PT_EVENT_OWNER) {
			o = events_main_owner(ev.v[i].before);
			strbuf_printf(&got, "<-%d", o != NULL ? (int)o->pid : 0);
		}
	}
	eventvec_fini(&ev);
	snapshot_free(prev);
	prev = cur;
	return strbuf_str(&got);
}

/* The close events events_flush reports for the last snapshot, as words. */
static const char *
flush(void)
{
	struct pt_eventvec ev;
	size_t i;

	eventvec_init(&ev);
	events_flush(prev, &ev);
	strbuf_reset(&got);
	for (i = 0; i < ev.len; i++)
		strbuf_printf(&got, "%s%s:%u", i > 0 ? " " : "", events_name(ev.v[i].type),
			ev.v[i].row->key.port);
	eventvec_fini(&ev);
	return strbuf_str(&got);
}

START_TEST(test_first_sample_reports_what_listens_as_initial)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	listener("0.0.0.0", 22, 11, 101, 40, "sshd");
	ck_assert_str_eq(step(), "listen*:22 exposed:22 listen*:8080");
}
END_TEST

START_TEST(test_nothing_changed_is_no_event)
{
	at(T0);
	listener("0.0.0.0", 22, 11, 101, 40, "sshd");
	step();
	at(T0 + SEC);
	listener("0.0.0.0", 22, 11, 101, 40, "sshd");
	ck_assert_str_eq(step(), "");
}
END_TEST

START_TEST(test_new_listener_is_listen_and_exposed)
{
	at(T0);
	step();
	at(T0 + SEC);
	listener("0.0.0.0", 3000, 10, 100, 50, "node");
	ck_assert_str_eq(step(), "listen:3000 exposed:3000");
}
END_TEST

START_TEST(test_close_waits_for_the_gone_window)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	step();
	at(T0 + SEC);
	ck_assert_str_eq(step(), "");
	at(T0 + 5 * SEC);
	ck_assert_str_eq(step(), "");
	at(T0 + 11 * SEC + 1);
	ck_assert_str_eq(step(), "close:8080");
	at(T0 + 12 * SEC);
	ck_assert_str_eq(step(), "");
}
END_TEST

START_TEST(test_restart_within_the_window_is_one_owner_event)
{
	at(T0);
	listener("0.0.0.0", 8080, 10, 100, 50, "web");
	step();
	at(T0 + SEC);
	ck_assert_str_eq(step(), "");
	at(T0 + 2 * SEC);
	listener("0.0.0.0", 8080, 20, 200, 90, "web");
	/* still exposed, as before: no exposed event, no listen, no close */
	ck_assert_str_eq(step(), "owner:8080<-100");
	at(T0 + 20 * SEC);
	listener("0.0.0.0", 8080, 20, 200, 90, "web");
	ck_assert_str_eq(step(), "");
}
END_TEST

START_TEST(test_restart_between_two_samples_is_one_owner_event)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	step();
	at(T0 + SEC);
	listener("127.0.0.1", 8080, 20, 200, 90, "web");
	ck_assert_str_eq(step(), "owner:8080<-100");
}
END_TEST

START_TEST(test_pid_reused_by_another_process_is_an_owner_change)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	step();
	at(T0 + SEC);
	listener("127.0.0.1", 8080, 20, 100, 90, "web");
	ck_assert_str_eq(step(), "owner:8080<-100");
}
END_TEST

START_TEST(test_same_process_binding_again_is_no_event)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	step();
	at(T0 + SEC);
	step();
	at(T0 + 2 * SEC);
	listener("127.0.0.1", 8080, 20, 100, 50, "web");
	ck_assert_str_eq(step(), "");
}
END_TEST

START_TEST(test_worker_coming_and_going_is_no_owner_event)
{
	at(T0);
	listener("0.0.0.0", 80, 10, 100, 50, "nginx");
	ts_owner(&ts, 10, 101, 60);
	ts_proc(&ts, 101, 60, "nginx", "www-data");
	step();
	at(T0 + SEC);
	listener("0.0.0.0", 80, 10, 100, 50, "nginx");
	ts_owner(&ts, 10, 102, 70);
	ts_proc(&ts, 102, 70, "nginx", "www-data");
	ck_assert_str_eq(step(), "");
}
END_TEST

START_TEST(test_owner_that_only_becomes_visible_is_no_event)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 0, 0, NULL);
	step();
	at(T0 + SEC);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	ck_assert_str_eq(step(), "");
}
END_TEST

START_TEST(test_rules_decide_exposed_and_a_restart_under_another_name)
{
	struct strbuf errors = STRBUF_INIT;

	rules = rules_new();
	ck_assert_int_eq(rules_parse(rules, "tcp *:8080 web\n", 15, "test", &errors), 0);
	strbuf_fini(&errors);
	at(T0);
	listener("0.0.0.0", 8080, 10, 100, 50, "web");
	ck_assert_str_eq(step(), "listen*:8080");
	/* Restarted, but now something the rule does not expect holds the port. */
	at(T0 + SEC);
	step();
	at(T0 + 2 * SEC);
	listener("0.0.0.0", 8080, 20, 200, 90, "evil");
	ck_assert_str_eq(step(), "owner:8080<-100 exposed:8080");
	/* And back to the expected service. */
	at(T0 + 3 * SEC);
	listener("0.0.0.0", 8080, 30, 300, 95, "web");
	ck_assert_str_eq(step(), "owner:8080<-200 unexposed:8080");
}
END_TEST

START_TEST(test_exposed_listener_restarting_stays_exposed_without_events)
{
	struct strbuf errors = STRBUF_INIT;

	/* A rule for another port: the GONE row's exposure is worked out with these rules. */
	rules = rules_new();
	ck_assert_int_eq(rules_parse(rules, "tcp *:22 sshd\n", 14, "test", &errors), 0);
	strbuf_fini(&errors);
	at(T0);
	listener("0.0.0.0", 8080, 10, 100, 50, "web");
	ck_assert_str_eq(step(), "listen*:8080 exposed:8080");
	at(T0 + SEC);
	ck_assert_str_eq(step(), "");
	at(T0 + 2 * SEC);
	listener("0.0.0.0", 8080, 20, 200, 90, "web");
	ck_assert_str_eq(step(), "owner:8080<-100");
}
END_TEST

START_TEST(test_stuck_queue_reports_stuck_then_unstuck)
{
	int i;

	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	step();
	for (i = 1; i <= 5; i++) {
		at(T0 + i * SEC);
		listener("127.0.0.1", 8080, 10, 100, 50, "web");
		ts.socks[0].rqueue = 4;
		ck_assert_str_eq(step(), i < 5 ? "" : "stuck:8080");
	}
	at(T0 + 6 * SEC);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	ck_assert_str_eq(step(), "unstuck:8080");
}
END_TEST

START_TEST(test_stuck_listener_that_vanishes_is_unstuck_at_once)
{
	int i;

	for (i = 0; i < 5; i++) {
		at(T0 + i * SEC);
		listener("127.0.0.1", 8080, 10, 100, 50, "web");
		ts.socks[0].rqueue = 4;
		step();
	}
	ck_assert(prev->rows[0].flags & PT_FLAG_STUCK);
	at(T0 + 5 * SEC);
	ck_assert_str_eq(step(), "unstuck:8080");
	at(T0 + 16 * SEC);
	ck_assert_str_eq(step(), "close:8080");
}
END_TEST

START_TEST(test_flush_closes_listeners_inside_the_window)
{
	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "web");
	listener("127.0.0.1", 9090, 11, 101, 51, "api");
	step();
	at(T0 + SEC);
	listener("127.0.0.1", 9090, 11, 101, 51, "api");
	step();
	ck_assert_str_eq(flush(), "close:8080");
}
END_TEST

START_TEST(test_main_owner_is_the_first_started)
{
	at(T0);
	listener("0.0.0.0", 80, 10, 300, 20, "master");
	ts_owner(&ts, 10, 200, 30);
	ts_proc(&ts, 200, 30, "worker", "www-data");
	step();
	ck_assert_int_eq(events_main_owner(&prev->rows[0])->pid, 300);
}
END_TEST

START_TEST(test_event_json_line_names_identity_and_owner)
{
	struct pt_eventvec ev;
	struct strbuf line = STRBUF_INIT;

	at(T0);
	listener("0.0.0.0", 8080, 10, 100, 50, "\033]0;pwned\a");
	ts.procs[0].unit = (char *)(uintptr_t) "web.service";
	step();
	eventvec_init(&ev);
	events_diff(NULL, prev, NULL, &ev);
	ck_assert_uint_eq(ev.len, 2);
	events_format(&line, &ev.v[1], T0 + 123);
	ck_assert_str_eq(strbuf_str(&line),
		"{\"time\":\"2026-11-22T01:01:40.123Z\",\"event\":\"exposed\",\"proto\":\"tcp\","
		"\"family\":\"ipv4\",\"address\":\"0.0.0.0\",\"port\":8080,\"scope\":\"all\","
		"\"dual_stack\":false,\"owner\":{\"pid\":100,\"comm\":\"\\u001b]0;pwned\\u0007\","
		"\"user\":\"alice\",\"uid\":1000,\"unit\":\"web.service\","
		"\"cmdline\":\"\\u001b]0;pwned\\u0007\"}}\n");
	eventvec_fini(&ev);
	strbuf_fini(&line);
}
END_TEST

START_TEST(test_owner_and_close_lines_carry_previous_owner_and_since)
{
	struct pt_snapshot *first;
	struct pt_eventvec ev;
	struct strbuf line = STRBUF_INIT;

	at(T0);
	listener("127.0.0.1", 8080, 10, 100, 50, "old");
	step();
	first = prev;
	at(T0 + SEC);
	listener("127.0.0.1", 8080, 20, 0, 0, NULL);
	prev = ts_build(&ts, first);
	eventvec_init(&ev);
	/* owner unknown now: no owner event */
	ck_assert_uint_eq(events_diff(first, prev, NULL, &ev), 0);
	snapshot_free(prev);
	at(T0 + SEC);
	listener("127.0.0.1", 8080, 20, 200, 90, "new");
	prev = ts_build(&ts, first);
	ck_assert_uint_eq(events_diff(first, prev, NULL, &ev), 1);
	events_format(&line, &ev.v[0], T0 + SEC);
	ck_assert_msg(strstr(line.buf, "\"event\":\"owner\"") != NULL &&
			strstr(line.buf, "\"owner\":{\"pid\":200,\"comm\":\"new\"") != NULL &&
			strstr(line.buf, "\"previous\":{\"pid\":100,\"comm\":\"old\"") != NULL,
		"%s", line.buf);
	snapshot_free(first);
	first = prev;
	at(T0 + 2 * SEC);
	prev = ts_build(&ts, first);
	snapshot_free(first);
	ev.len = 0;
	events_flush(prev, &ev);
	ck_assert_uint_eq(ev.len, 1);
	strbuf_reset(&line);
	events_format(&line, &ev.v[0], T0 + 3 * SEC);
	ck_assert_msg(strstr(line.buf, "\"event\":\"close\"") != NULL &&
			strstr(line.buf, "\"owner\":{\"pid\":200,") != NULL &&
			strstr(line.buf, "\"since\":\"2026-11-22T01:01:42.000Z\"}") != NULL,
		"%s", line.buf);
	eventvec_fini(&ev);
	strbuf_fini(&line);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_first_sample_reports_what_listens_as_initial);
	tcase_add_test(tc, test_nothing_changed_is_no_event);
	tcase_add_test(tc, test_new_listener_is_listen_and_exposed);
	tcase_add_test(tc, test_close_waits_for_the_gone_window);
	tcase_add_test(tc, test_restart_within_the_window_is_one_owner_event);
	tcase_add_test(tc, test_restart_between_two_samples_is_one_owner_event);
	tcase_add_test(tc, test_pid_reused_by_another_process_is_an_owner_change);
	tcase_add_test(tc, test_same_process_binding_again_is_no_event);
	tcase_add_test(tc, test_worker_coming_and_going_is_no_owner_event);
	tcase_add_test(tc, test_owner_that_only_becomes_visible_is_no_event);
	tcase_add_test(tc, test_rules_decide_exposed_and_a_restart_under_another_name);
	tcase_add_test(tc, test_exposed_listener_restarting_stays_exposed_without_events);
	tcase_add_test(tc, test_stuck_queue_reports_stuck_then_unstuck);
	tcase_add_test(tc, test_stuck_listener_that_vanishes_is_unstuck_at_once);
	tcase_add_test(tc, test_flush_closes_listeners_inside_the_window);
	tcase_add_test(tc, test_main_owner_is_the_first_started);
	tcase_add_test(tc, test_event_json_line_names_identity_and_owner);
	tcase_add_test(tc, test_owner_and_close_lines_carry_previous_owner_and_since);
	suite_add_tcase(s, tc);
	return s;
}
