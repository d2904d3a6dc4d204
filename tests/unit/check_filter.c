/* check_filter.c — the filter language: text, port ranges, user, protocol, flags, AND, NOT. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "porttop/filter.h"
#include "unit.h"
#include "rows.h"

static struct pt_listener web, dns, db, orphan;
static struct pt_proc web_p, dns_p, db_p;
static struct pt_proc *web_o[] = { &web_p }, *dns_o[] = { &dns_p }, *db_o[] = { &db_p };

static void
setup(void)
{
	rows_listener(&web, PT_PROTO_TCP, "0.0.0.0", 8080);
	web.flags = PT_FLAG_EXPOSED;
	rows_proc(&web_p, 4242, "python3", "alice", "python3 -m http.server 8080");
	rows_own(&web, web_o, 1);

	rows_listener(&dns, PT_PROTO_UDP, "127.0.0.53", 53);
	rows_proc(
	        &dns_p, 611, "systemd-resolve", "systemd-resolve", "/lib/systemd/systemd-resolved");
	dns_p.unit = rows_str("systemd-resolved.service");
	rows_own(&dns, dns_o, 1);

	rows_listener(&db, PT_PROTO_TCP, "127.0.0.1", 5432);
	rows_proc(&db_p, 800, "postgres", "postgres", "/usr/lib/postgresql/16/bin/postgres");
	rows_own(&db, db_o, 1);

	rows_listener(&orphan, PT_PROTO_TCP, "::", 9000);
	orphan.uid = 0;
}

static struct filter *
parse(const char *expr)
{
	char *cause = NULL;
	struct filter *f = filter_new(expr, &cause);

	ck_assert_msg(f != NULL, "'%s' did not parse: %s", expr, cause);
	ck_assert_ptr_null(cause);
	return f;
}

/* "wdbo": which of web, dns, db, orphan the expression keeps, as a string of their letters. */
static void
keeps(const char *expr, const char *want)
{
	struct filter *f = parse(expr);
	char got[5] = "";
	size_t n = 0;

	if (filter_match(f, &web, NULL))
		got[n++] = 'w';
	if (filter_match(f, &dns, NULL))
		got[n++] = 'd';
	if (filter_match(f, &db, NULL))
		got[n++] = 'b';
	if (filter_match(f, &orphan, NULL))
		got[n++] = 'o';
	got[n] = '\0';
	ck_assert_msg(strcmp(got, want) == 0, "'%s' keeps '%s', want '%s'", expr, got, want);
	filter_free(f);
}

static void
rejects(const char *expr, const char *reason)
{
	char *cause = NULL;
	struct filter *f = filter_new(expr, &cause);

	ck_assert_ptr_null(f);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, reason);
	free(cause);
}

START_TEST(test_empty_expression_keeps_every_row)
{
	struct filter *f = parse("   ");

	ck_assert(filter_empty(f));
	filter_free(f);
	keeps("", "wdbo");
	ck_assert(filter_match(NULL, &web, NULL));
}
END_TEST

START_TEST(test_text_matches_process_name_ignoring_case)
{
	keeps("PYTHON", "w");
	keeps("postg", "b");
}
END_TEST

START_TEST(test_text_matches_command_line_unit_and_user)
{
	keeps("http.server", "w");
	keeps("resolved.service", "d");
	keeps("alice", "w");
}
END_TEST

START_TEST(test_text_matches_what_the_row_shows_of_the_socket)
{
	keeps("127.0.0", "db");
	keeps("5432", "b");
	keeps("[::]", "o");
	keeps("udp", "d");
}
END_TEST

START_TEST(test_text_matches_a_pid)
{
	keeps("4242", "w");
}
END_TEST

START_TEST(test_port_term_takes_one_port_or_an_inclusive_range)
{
	keeps("port:53", "d");
	keeps("port:5432-9000", "wbo");
	keeps("port:8081-8999", "");
}
END_TEST

START_TEST(test_bad_port_terms_are_rejected_with_the_term_named)
{
	rejects("port:9000-8000", "port:9000-8000: expected a port (8080) or a range (8000-9000)");
	rejects("port:http", "port:http: expected a port (8080) or a range (8000-9000)");
	rejects("port:65536", "port:65536: expected a port (8080) or a range (8000-9000)");
	rejects("port:", "port:: expected a port (8080) or a range (8000-9000)");
}
END_TEST

START_TEST(test_user_term_matches_a_name_exactly_or_a_uid)
{
	keeps("user:alice", "w");
	keeps("user:ali", "");
	keeps("user:1000", "wdb");
	keeps("user:0", "o"); /* no owner seen: the socket's creator counts */
}
END_TEST

START_TEST(test_proto_term)
{
	keeps("proto:udp", "d");
	keeps("proto:TCP", "wbo");
	rejects("proto:sctp", "proto:sctp: expected tcp or udp");
}
END_TEST

START_TEST(test_exposed_word_keeps_exposed_rows)
{
	keeps("exposed", "w");
	keeps("flag:exposed", "w");
	rejects("flag:shiny", "flag:shiny: expected exposed, ephemeral, stuck, new or gone");
}
END_TEST

START_TEST(test_scope_and_pid_terms)
{
	keeps("scope:loopback", "db");
	keeps("scope:all", "wo");
	keeps("pid:611", "d");
	rejects("scope:galaxy", "scope:galaxy: expected loopback, all, address or device");
}
END_TEST

START_TEST(test_terms_separated_by_spaces_must_all_match)
{
	keeps("proto:tcp port:1-6000", "b");
	keeps("python exposed", "w");
	keeps("python proto:udp", "");
}
END_TEST

START_TEST(test_bang_negates_a_term)
{
	keeps("!proto:tcp", "d");
	keeps("!python", "dbo");
	rejects("!", "'!' needs a term after it");
}
END_TEST

START_TEST(test_quotes_keep_spaces_in_text)
{
	keeps("\"http.server 8080\"", "w");
	keeps("\"port:53\"", ""); /* quoted: plain text, not a port term */
	rejects("\"open", "a quote is not closed");
}
END_TEST

START_TEST(test_unknown_prefix_is_plain_text)
{
	struct filter *f;

	web_p.cmdline = rows_str("curl http://example");
	f = parse("http://example");
	ck_assert(filter_match(f, &web, NULL));
	ck_assert(!filter_match(f, &db, NULL));
	ck_assert_str_eq(filter_text(f), "http://example");
	filter_free(f);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("filter");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_empty_expression_keeps_every_row);
	tcase_add_test(tc, test_text_matches_process_name_ignoring_case);
	tcase_add_test(tc, test_text_matches_command_line_unit_and_user);
	tcase_add_test(tc, test_text_matches_what_the_row_shows_of_the_socket);
	tcase_add_test(tc, test_text_matches_a_pid);
	tcase_add_test(tc, test_port_term_takes_one_port_or_an_inclusive_range);
	tcase_add_test(tc, test_bad_port_terms_are_rejected_with_the_term_named);
	tcase_add_test(tc, test_user_term_matches_a_name_exactly_or_a_uid);
	tcase_add_test(tc, test_proto_term);
	tcase_add_test(tc, test_exposed_word_keeps_exposed_rows);
	tcase_add_test(tc, test_scope_and_pid_terms);
	tcase_add_test(tc, test_terms_separated_by_spaces_must_all_match);
	tcase_add_test(tc, test_bang_negates_a_term);
	tcase_add_test(tc, test_quotes_keep_spaces_in_text);
	tcase_add_test(tc, test_unknown_prefix_is_plain_text);
	suite_add_tcase(s, tc);
	return s;
}
