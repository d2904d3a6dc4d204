/* check_util.c — the util layer: allocation growth, strings, files, the u32 hash table. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/strbuf.h"
#include "porttop/u32tab.h"
#include "porttop/xalloc.h"
#include "unit.h"

START_TEST(test_xgrow_keeps_contents_and_reaches_the_size_asked)
{
	int *v = NULL;
	size_t cap = 0, i;

	for (i = 0; i < 1000; i++) {
		XGROW(v, cap, i + 1);
		v[i] = (int)i;
	}
	ck_assert_uint_ge(cap, 1000);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(v[i], (int)i);
	free(v);
}
END_TEST

START_TEST(test_strbuf_printf_grows_past_its_first_guess)
{
	struct strbuf sb = STRBUF_INIT;
	char big[300];

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	strbuf_printf(&sb, "<%s>%d", big, 42);
	ck_assert_uint_eq(sb.len, 299 + 4);
	ck_assert_str_eq(sb.buf + 300, ">42");
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_strbuf_adds_decimals_at_the_extremes)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_u64(&sb, 0);
	strbuf_addch(&sb, ' ');
	strbuf_add_u64(&sb, UINT64_MAX);
	strbuf_addch(&sb, ' ');
	strbuf_add_i64(&sb, INT64_MIN);
	strbuf_addch(&sb, ' ');
	strbuf_add_i64(&sb, -1);
	strbuf_addch(&sb, ' ');
	strbuf_add_i64(&sb, INT64_MAX);
	strbuf_addch(&sb, ' ');
	strbuf_add_i64(&sb, 1234567);
	ck_assert_str_eq(strbuf_str(&sb), "0 18446744073709551615 -9223372036854775808 -1 "
					  "9223372036854775807 1234567");
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_strbuf_keeps_embedded_nul_bytes)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, "a\0b", 3);
	ck_assert_uint_eq(sb.len, 3);
	ck_assert_int_eq(memcmp(sb.buf, "a\0b", 4), 0);
	strbuf_reset(&sb);
	ck_assert_str_eq(strbuf_str(&sb), "");
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_strbuf_detach_of_empty_is_an_empty_string)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = strbuf_detach(&sb);

	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_write_atomic_replaces_the_file_and_leaves_no_temporary)
{
	char dir[256], path[300];
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;

	snprintf(dir, sizeof dir, "%s/porttop-util-XXXXXX", unit_tmpdir());
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sub/file", dir);
	ck_assert_int_eq(fileio_mkdirs_for(path, 0700), 0);
	ck_assert_int_eq(fileio_write_atomic(path, "one\n", 4, 0644, &cause), 0);
	ck_assert_int_eq(fileio_write_atomic(path, "two\n", 4, 0644, &cause), 0);
	ck_assert_int_eq(fileio_read_all(path, 100, &sb), 0);
	ck_assert_str_eq(sb.buf, "two\n");
	ck_assert_int_eq(fileio_read_all(path, 2, &sb), -EFBIG);
	unlink(path);
	snprintf(path, sizeof path, "%s/sub", dir);
	ck_assert_int_eq(rmdir(path), 0); /* empty: no temporary left behind */
	ck_assert_int_eq(rmdir(dir), 0);
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_write_atomic_reports_why_it_failed)
{
	char *cause = NULL;

	ck_assert_int_eq(fileio_write_atomic("/nonexistent-dir/x", "a", 1, 0644, &cause), -ENOENT);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent-dir/x"));
	free(cause);
}
END_TEST

START_TEST(test_read_small_truncates_and_terminates)
{
	char buf[4];

	ck_assert_int_eq(fileio_read_small(AT_FDCWD, "/proc/self/stat", buf, sizeof buf), 3);
	ck_assert_uint_eq(strlen(buf), 3);
	ck_assert_int_eq(fileio_read_small(AT_FDCWD, "/nonexistent", buf, sizeof buf), -ENOENT);
}
END_TEST

struct tab_elem {
	uint32_t key;
	uint32_t value;
};

/* Every key of the reference is in the table with its value, and nothing else is. */
static void
tab_matches(const struct u32tab *t, const uint32_t *ref, uint32_t nkeys)
{
	uint32_t k, slot, n = 0;

	for (k = 1; k < nkeys; k++) {
		slot = u32tab_find(t, k);
		if (ref[k] == 0) {
			ck_assert_uint_eq(slot, U32TAB_NONE);
			continue;
		}
		ck_assert_uint_ne(slot, U32TAB_NONE);
		ck_assert_uint_eq(((const struct tab_elem *)u32tab_at(t, slot))->value, ref[k]);
		n++;
	}
	ck_assert_uint_eq(t->used, n);
}

START_TEST(test_u32tab_agrees_with_a_plain_array_through_churn)
{
	enum { NKEYS = 3000, OPS = 60000 };
	uint32_t *ref = xcalloc(NKEYS, sizeof *ref), k, slot, state = 12345;
	struct u32tab t;
	bool fresh;
	int i;

	u32tab_init(&t, sizeof(struct tab_elem));
	ck_assert_uint_eq(u32tab_find(&t, 7), U32TAB_NONE);
	for (i = 0; i < OPS; i++) {
		state = state * 1103515245u + 12345u;
		/* Keys from a small range collide and cluster; grow the first half, then shrink. */
		k = 1 + (state >> 8) % (NKEYS - 1);
		if ((state >> 4) % 4 < (i < OPS / 2 ? 3u : 1u)) {
			slot = u32tab_insert(&t, k, &fresh);
			ck_assert(fresh == (ref[k] == 0));
			((struct tab_elem *)u32tab_at(&t, slot))->value = (uint32_t)i + 1;
			ref[k] = (uint32_t)i + 1;
		} else if ((slot = u32tab_find(&t, k)) != U32TAB_NONE) {
			u32tab_delete(&t, slot);
			ref[k] = 0;
		}
		if (i % 5000 == 0) {
			tab_matches(&t, ref, NKEYS);
			u32tab_fit(&t);
			tab_matches(&t, ref, NKEYS);
			ck_assert_uint_le(t.used * 2, t.size);
		}
	}
	for (k = 1; k < NKEYS; k++)
		if ((slot = u32tab_find(&t, k)) != U32TAB_NONE)
			u32tab_delete(&t, slot);
	ck_assert_uint_eq(t.used, 0);
	u32tab_fit(&t);
	ck_assert_uint_eq(t.size, 64);
	ck_assert_uint_eq(u32tab_find(&t, 0), U32TAB_NONE);
	u32tab_free(&t);
	free(ref);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_test(tc, test_xgrow_keeps_contents_and_reaches_the_size_asked);
	tcase_add_test(tc, test_strbuf_printf_grows_past_its_first_guess);
	tcase_add_test(tc, test_strbuf_keeps_embedded_nul_bytes);
	tcase_add_test(tc, test_strbuf_adds_decimals_at_the_extremes);
	tcase_add_test(tc, test_strbuf_detach_of_empty_is_an_empty_string);
	tcase_add_test(tc, test_write_atomic_replaces_the_file_and_leaves_no_temporary);
	tcase_add_test(tc, test_write_atomic_reports_why_it_failed);
	tcase_add_test(tc, test_read_small_truncates_and_terminates);
	tcase_add_test(tc, test_u32tab_agrees_with_a_plain_array_through_churn);
	suite_add_tcase(s, tc);
	return s;
}
