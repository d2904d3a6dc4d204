/* json.h — a small streaming JSON writer on top of a strbuf. */
#ifndef PORTTOP_JSON_H
#define PORTTOP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

#define JSON_MAX_DEPTH 16

/*
 * Writes compact JSON; commas and nesting are tracked here so callers only say what comes
 * next. A key must precede every value inside an object. Strings go through escape_json.
 */
struct json {
	struct strbuf *out; /* borrowed */
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, struct strbuf *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_strn(struct json *j, const char *s, size_t len);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A realtime in milliseconds as an RFC 3339 UTC string: "2026-11-22T10:42:07.123Z". */
void json_time(struct json *j, int64_t ms);

#endif
