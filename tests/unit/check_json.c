/* check_json.c — the JSON writer puts commas and nesting right. */
#include "config.h"

#include "porttop/json.h"
#include "porttop/strbuf.h"
#include "unit.h"

START_TEST(test_nested_objects_and_arrays_get_commas_right)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	json_init(&j, &sb);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_int(&j, -1);
	json_key(&j, "b");
	json_arr_begin(&j);
	json_uint(&j, 1);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_arr_end(&j);
	json_key(&j, "c");
	json_str(&j, NULL);
	json_key(&j, "d\"");
	json_bool(&j, true);
	json_obj_end(&j);
	ck_assert_str_eq(strbuf_str(&sb), "{\"a\":-1,\"b\":[1,{},[]],\"c\":null,\"d\\\"\":true}");
	strbuf_fini(&sb);
}
END_TEST

START_TEST(test_strings_are_escaped)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;

	json_init(&j, &sb);
	json_arr_begin(&j);
	json_str(&j, "\033[2J");
	json_strn(&j, "a\0b", 3);
	json_double(&j, 0.5);
	json_arr_end(&j);
	ck_assert_str_eq(strbuf_str(&sb), "[\"\\u001b[2J\",\"a\\u0000b\",0.5]");
	strbuf_fini(&sb);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_nested_objects_and_arrays_get_commas_right);
	tcase_add_test(tc, test_strings_are_escaped);
	suite_add_tcase(s, tc);
	return s;
}
