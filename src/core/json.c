/* json.c — a small streaming JSON writer on top of a strbuf. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "porttop/escape.h"
#include "porttop/json.h"
#include "porttop/strbuf.h"

void
json_init(struct json *j, struct strbuf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

/* Put a comma before a value or key when one came before it at this depth. */
static void
json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		strbuf_addch(j->out, ',');
	j->need_comma[j->depth] = true;
}

static void
json_open(struct json *j, char c)
{
	json_sep(j);
	strbuf_addch(j->out, c);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void
json_close(struct json *j, char c)
{
	strbuf_addch(j->out, c);
	if (j->depth > 0)
		j->depth--;
}

void
json_obj_begin(struct json *j)
{
	json_open(j, '{');
}

void
json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void
json_arr_begin(struct json *j)
{
	json_open(j, '[');
}

void
json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void
json_key(struct json *j, const char *key)
{
	size_t n = strlen(key);
	char buf[64];

	json_sep(j);
	j->after_key = true;
	/* Keys are this program's own words: "key": in one append, on a document's hot path. */
	if (n + 3 <= sizeof buf && escape_json_plain(key, n) == n) {
		buf[0] = '"';
		memcpy(buf + 1, key, n);
		buf[n + 1] = '"';
		buf[n + 2] = ':';
		strbuf_add(j->out, buf, n + 3);
		return;
	}
	strbuf_addch(j->out, '"');
	escape_json(j->out, key, n);
	strbuf_add(j->out, "\":", 2);
}

void
json_strn(struct json *j, const char *s, size_t len)
{
	json_sep(j);
	strbuf_addch(j->out, '"');
	escape_json(j->out, s, len);
	strbuf_addch(j->out, '"');
}

void
json_str(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_strn(j, s, strlen(s));
}

void
json_int(struct json *j, int64_t v)
{
	json_sep(j);
	strbuf_add_i64(j->out, v);
}

void
json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	strbuf_add_u64(j->out, v);
}

void
json_double(struct json *j, double v)
{
	json_sep(j);
	if (isfinite(v))
		strbuf_printf(j->out, "%.6g", v);
	else
		strbuf_addstr(j->out, "null");
}

void
json_bool(struct json *j, bool v)
{
	json_sep(j);
	strbuf_addstr(j->out, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	json_sep(j);
	strbuf_addstr(j->out, "null");
}

void
json_time(struct json *j, int64_t ms)
{
	int64_t secs = ms / 1000, frac = ms % 1000;
	char buf[64];
	struct tm tm;
	time_t t;

	if (frac < 0) {
		frac += 1000;
		secs--;
	}
	t = (time_t)secs;
	if (gmtime_r(&t, &tm) == NULL) {
		json_null(j);
		return;
	}
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)frac);
	json_str(j, buf);
}
