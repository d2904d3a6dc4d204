/* check_escape.c — untrusted text made safe for terminals and JSON. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "porttop/escape.h"
#include "porttop/strbuf.h"
#include "unit.h"

static char out[1024];

static const char *
text(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	escape_text(&sb, s, len);
	snprintf(out, sizeof out, "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	return out;
}

static const char *
json(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	escape_json(&sb, s, len);
	snprintf(out, sizeof out, "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
	return out;
}

static void
assert_no_controls(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in \"%s\"", *p, s);
		/* C1 controls in UTF-8 are c2 80..c2 9f */
		if (*p == 0xc2)
			ck_assert_msg(p[1] < 0x80 || p[1] > 0x9f, "C1 control in \"%s\"", s);
	}
}

START_TEST(test_osc_title_sequence_becomes_visible_text)
{
	const char *s = "\033]0;pwned\a";

	ck_assert_str_eq(text(s, strlen(s)), "\\e]0;pwned\\a");
}
END_TEST

START_TEST(test_printable_utf8_passes_and_backslash_is_doubled)
{
	const char *s = "caf\xc3\xa9 \xe6\x97\xa5 a\\b";

	ck_assert_str_eq(text(s, strlen(s)), "caf\xc3\xa9 \xe6\x97\xa5 a\\\\b");
}
END_TEST

START_TEST(test_invalid_utf8_and_c1_controls_are_hex)
{
	ck_assert_str_eq(text("\xff\xc3", 2), "\\xff\\xc3");
	ck_assert_str_eq(text("\xc2\x9b" "31m", 5), "\\x9b31m"); /* C1 CSI */
	ck_assert_str_eq(text("\xc0\xaf", 2), "\\xc0\\xaf");     /* overlong '/' */
	ck_assert_str_eq(text("\xed\xa0\x80", 3), "\\xed\\xa0\\x80"); /* surrogate */
	ck_assert_str_eq(text("a\0b", 3), "a\\x00b");
}
END_TEST

START_TEST(test_bidi_override_cannot_reorder_the_line)
{
	ck_assert_str_eq(text("a\xe2\x80\xae" "b", 5), "a\\u{202e}b");
}
END_TEST

START_TEST(test_every_single_byte_escapes_to_no_controls)
{
	char b[3];
	unsigned c, d;

	for (c = 0; c < 256; c++) {
		b[0] = (char)c;
		assert_no_controls(text(b, 1));
		assert_no_controls(json(b, 1));
		for (d = 0x80; d < 0xc0; d++) {
			b[1] = (char)d;
			assert_no_controls(text(b, 2));
			assert_no_controls(json(b, 2));
		}
	}
}
END_TEST

START_TEST(test_json_escapes_quotes_controls_and_invalid_bytes)
{
	const char *s = "\"q\"\\\n\t\033\xff\xc3\xa9";

	ck_assert_str_eq(json(s, strlen(s)), "\\\"q\\\"\\\\\\n\\t\\u001b\\ufffd\xc3\xa9");
}
END_TEST

START_TEST(test_width_counts_wide_characters_twice)
{
	ck_assert_uint_eq(escape_width("abc"), 3);
	ck_assert_uint_eq(escape_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	ck_assert_uint_eq(escape_width("e\xcc\x81"), 1); /* e + combining acute */
}
END_TEST

START_TEST(test_fit_never_splits_a_wide_character)
{
	struct strbuf sb = STRBUF_INIT;

	ck_assert_uint_eq(escape_fit(&sb, "a\xe6\x97\xa5\xe6\x9c\xac", 4), 3);
	ck_assert_str_eq(strbuf_str(&sb), "a\xe6\x97\xa5");
	strbuf_reset(&sb);
	ck_assert_uint_eq(escape_fit(&sb, "abcdef", 3), 3);
	ck_assert_str_eq(strbuf_str(&sb), "abc");
	strbuf_fini(&sb);
}
END_TEST

static void
setup(void)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
}

Suite *
unit_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");

	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_osc_title_sequence_becomes_visible_text);
	tcase_add_test(tc, test_printable_utf8_passes_and_backslash_is_doubled);
	tcase_add_test(tc, test_invalid_utf8_and_c1_controls_are_hex);
	tcase_add_test(tc, test_bidi_override_cannot_reorder_the_line);
	tcase_add_test(tc, test_every_single_byte_escapes_to_no_controls);
	tcase_add_test(tc, test_json_escapes_quotes_controls_and_invalid_bytes);
	tcase_add_test(tc, test_width_counts_wide_characters_twice);
	tcase_add_test(tc, test_fit_never_splits_a_wide_character);
	suite_add_tcase(s, tc);
	return s;
}
