/* check_settings.c — key=value settings: parse, report bad lines, round trip, save, paths. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/settings.h"
#include "porttop/strbuf.h"
#include "unit.h"

static int
parse(struct settings *s, const char *text, struct strbuf *errors)
{
	return settings_parse(s, text, strlen(text), "rc", errors);
}

START_TEST(test_defaults_sort_by_port_every_second_with_nothing_filtered)
{
	struct settings s;

	settings_init(&s);
	ck_assert_int_eq(s.sort_col, COL_PORT);
	ck_assert(!s.sort_desc);
	ck_assert_int_eq(s.interval_tenths, 10);
	ck_assert_str_eq(s.filter, "");
	ck_assert(!s.exposed_only);
	ck_assert_int_eq(s.proto, -1);
	ck_assert_str_eq(s.scheme, "default");
	ck_assert_uint_eq(s.hidden, 0);
	settings_fini(&s);
}
END_TEST

START_TEST(test_every_key_is_read)
{
	struct settings s;
	struct strbuf err = STRBUF_INIT;

	settings_init(&s);
	ck_assert_int_eq(parse(&s,
	                         "sort=conns\nsort_descending=yes\ninterval=25\n"
	                         "filter=port:8000-9000 user:alice\nexposed_only=on\nprotocol=udp\n"
	                         "color_scheme=mono\nhidden_columns=unit, range\n",
	                         &err),
	        0);
	ck_assert_str_eq(strbuf_str(&err), "");
	ck_assert_int_eq(s.sort_col, COL_CONNS);
	ck_assert(s.sort_desc);
	ck_assert_int_eq(s.interval_tenths, 25);
	ck_assert_str_eq(s.filter, "port:8000-9000 user:alice");
	ck_assert(s.exposed_only);
	ck_assert_int_eq(s.proto, PT_PROTO_UDP);
	ck_assert_str_eq(s.scheme, "mono");
	ck_assert_uint_eq(s.hidden, 1u << COL_UNIT | 1u << COL_RANGE);
	strbuf_fini(&err);
	settings_fini(&s);
}
END_TEST

START_TEST(test_bad_lines_are_reported_with_their_numbers_and_the_rest_loads)
{
	struct settings s;
	struct strbuf err = STRBUF_INIT;

	settings_init(&s);
	ck_assert_int_eq(parse(&s,
	                         "# comment\n"
	                         "sort=uptime\n"
	                         "interval=0\n"
	                         "\n"
	                         "colour=blue\n"
	                         "just words\n"
	                         "interval=20\n"
	                         "filter=port:x\n"
	                         "hidden_columns=pid,nope\n"
	                         "sort_descending=maybe\n"
	                         "protocol=sctp\n",
	                         &err),
	        8);
	ck_assert_str_eq(strbuf_str(&err),
	        "rc:2: sort: unknown column 'uptime'\n"
	        "rc:3: interval: expected tenths of a second from 1 to 36000, not '0'\n"
	        "rc:5: unknown setting 'colour'\n"
	        "rc:6: expected key=value\n"
	        "rc:8: filter: port:x: expected a port (8080) or a range (8000-9000)\n"
	        "rc:9: hidden_columns: unknown column 'nope'\n"
	        "rc:10: sort_descending: expected yes or no, not 'maybe'\n"
	        "rc:11: protocol: expected all, tcp or udp, not 'sctp'\n");
	/* the good line between the bad ones applied; the bad ones changed nothing */
	ck_assert_int_eq(s.interval_tenths, 20);
	ck_assert_int_eq(s.sort_col, COL_PORT);
	ck_assert_str_eq(s.filter, "");
	ck_assert_uint_eq(s.hidden, 0);
	strbuf_fini(&err);
	settings_fini(&s);
}
END_TEST

START_TEST(test_control_bytes_in_a_bad_line_do_not_reach_the_message)
{
	struct settings s;
	struct strbuf err = STRBUF_INIT;

	settings_init(&s);
	ck_assert_int_eq(parse(&s, "x\033]0;t\a=1\n", &err), 1);
	ck_assert_str_eq(strbuf_str(&err), "rc:1: unknown setting 'x?]0;t?'\n");
	strbuf_fini(&err);
	settings_fini(&s);
}
END_TEST

START_TEST(test_spaces_around_keys_and_values_and_crlf_are_ignored)
{
	struct settings s;
	struct strbuf err = STRBUF_INIT;

	settings_init(&s);
	ck_assert_int_eq(parse(&s, "  sort =  user \r\n\tfilter = a=b \r\n", &err), 0);
	ck_assert_int_eq(s.sort_col, COL_USER);
	ck_assert_str_eq(s.filter, "a=b");
	strbuf_fini(&err);
	settings_fini(&s);
}
END_TEST

START_TEST(test_format_reads_back_to_the_same_settings)
{
	struct settings a, b;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;

	settings_init(&a);
	settings_init(&b);
	a.sort_col = COL_RANGE;
	a.sort_desc = true;
	a.interval_tenths = 5;
	free(a.filter);
	a.filter = strdup("exposed !user:root");
	a.proto = PT_PROTO_TCP;
	a.exposed_only = true;
	a.hidden = 1u << COL_UP | 1u << COL_PROTO;
	ck_assert(!settings_equal(&a, &b));
	settings_format(&a, &text);
	ck_assert_int_eq(settings_parse(&b, text.buf, text.len, "rc", &err), 0);
	ck_assert(settings_equal(&a, &b));
	ck_assert_ptr_nonnull(strstr(text.buf, "hidden_columns=proto,up\n"));
	ck_assert_ptr_nonnull(strstr(text.buf, "sort=range\n"));
	strbuf_fini(&text);
	strbuf_fini(&err);
	settings_fini(&a);
	settings_fini(&b);
}
END_TEST

START_TEST(test_missing_file_loads_as_defaults)
{
	struct settings s;
	struct strbuf err = STRBUF_INIT;

	settings_init(&s);
	ck_assert_int_eq(settings_load(&s, "/nonexistent/porttop/porttoprc", &err), 0);
	ck_assert_str_eq(strbuf_str(&err), "");
	ck_assert_int_eq(s.sort_col, COL_PORT);
	strbuf_fini(&err);
	settings_fini(&s);
}
END_TEST

START_TEST(test_save_creates_the_folder_and_loads_back)
{
	struct settings a, b;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	char *cause = NULL;
	struct stat st;

	strbuf_printf(&path, "%s/check_settings.%ld/sub/porttoprc", unit_tmpdir(), (long)getpid());
	settings_init(&a);
	settings_init(&b);
	a.sort_col = COL_QUEUE;
	ck_assert_int_eq(settings_save(&a, path.buf, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(stat(path.buf, &st), 0);
	ck_assert_int_eq(settings_load(&b, path.buf, &err), 0);
	ck_assert_int_eq(b.sort_col, COL_QUEUE);
	unlink(path.buf);
	*strrchr(path.buf, '/') = '\0';
	rmdir(path.buf);
	*strrchr(path.buf, '/') = '\0';
	rmdir(path.buf);
	strbuf_fini(&path);
	strbuf_fini(&err);
	settings_fini(&a);
	settings_fini(&b);
}
END_TEST

START_TEST(test_unreadable_path_is_an_error_not_defaults)
{
	struct settings s;
	struct strbuf err = STRBUF_INIT;

	settings_init(&s);
	/* a folder exists but cannot be read as a file */
	ck_assert_int_eq(settings_load(&s, unit_tmpdir(), &err), -EISDIR);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "cannot read"));
	strbuf_fini(&err);
	settings_fini(&s);
}
END_TEST

START_TEST(test_path_prefers_option_then_environment_then_xdg_then_home)
{
	char *p;

	p = settings_path("/opt/rc", "/env/rc", "/xdg", "/home/u");
	ck_assert_str_eq(p, "/opt/rc");
	free(p);
	p = settings_path(NULL, "/env/rc", "/xdg", "/home/u");
	ck_assert_str_eq(p, "/env/rc");
	free(p);
	p = settings_path(NULL, "", "/xdg", "/home/u");
	ck_assert_str_eq(p, "/xdg/porttop/porttoprc");
	free(p);
	p = settings_path(NULL, NULL, NULL, "/home/u");
	ck_assert_str_eq(p, "/home/u/.config/porttop/porttoprc");
	free(p);
	ck_assert_ptr_null(settings_path(NULL, NULL, NULL, NULL));
}
END_TEST

START_TEST(test_relative_xdg_config_home_is_ignored)
{
	char *p = settings_config_file("relative/dir", "/home/u", "expected");

	ck_assert_str_eq(p, "/home/u/.config/porttop/expected");
	free(p);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("settings");

	tcase_add_test(tc, test_defaults_sort_by_port_every_second_with_nothing_filtered);
	tcase_add_test(tc, test_every_key_is_read);
	tcase_add_test(tc, test_bad_lines_are_reported_with_their_numbers_and_the_rest_loads);
	tcase_add_test(tc, test_control_bytes_in_a_bad_line_do_not_reach_the_message);
	tcase_add_test(tc, test_spaces_around_keys_and_values_and_crlf_are_ignored);
	tcase_add_test(tc, test_format_reads_back_to_the_same_settings);
	tcase_add_test(tc, test_missing_file_loads_as_defaults);
	tcase_add_test(tc, test_save_creates_the_folder_and_loads_back);
	tcase_add_test(tc, test_unreadable_path_is_an_error_not_defaults);
	tcase_add_test(tc, test_path_prefers_option_then_environment_then_xdg_then_home);
	tcase_add_test(tc, test_relative_xdg_config_home_is_ignored);
	suite_add_tcase(s, tc);
	return s;
}
