/* filter.c — the filter language of the \ and / keys: which rows to show or find. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "porttop/filter.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

enum filter_kind {
	FILTER_TEXT,
	FILTER_PORT,
	FILTER_USER,
	FILTER_PROTO,
	FILTER_PID,
	FILTER_SCOPE,
	FILTER_FLAG
};

struct filter_term {
	enum filter_kind kind;
	bool negate;
	char *text;  /* owned: TEXT needle, USER name */
	uint32_t lo; /* PORT range, PID, PROTO, SCOPE, FLAG bit, USER uid */
	uint32_t hi;
	bool numeric; /* USER given as a uid */
};

struct filter {
	char *source;              /* owned */
	struct filter_term *terms; /* owned */
	size_t n;
	size_t cap;
};

typedef int filter_parse_fn(struct filter_term *t, const char *arg);

/* A whole decimal number in [0, max]. */
static int
filter_number(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
filter_parse_port(struct filter_term *t, const char *arg)
{
	const char *dash = strchr(arg, '-');
	char lo[8];

	if (dash == NULL) {
		if (filter_number(arg, 65535, &t->lo) != 0)
			return -EINVAL;
		t->hi = t->lo;
		return 0;
	}
	if ((size_t)(dash - arg) >= sizeof lo)
		return -EINVAL;
	memcpy(lo, arg, (size_t)(dash - arg));
	lo[dash - arg] = '\0';
	if (filter_number(lo, 65535, &t->lo) != 0 || filter_number(dash + 1, 65535, &t->hi) != 0 ||
	        t->lo > t->hi)
		return -EINVAL;
	return 0;
}

static int
filter_parse_user(struct filter_term *t, const char *arg)
{
	if (*arg == '\0')
		return -EINVAL;
	t->numeric = filter_number(arg, UINT32_MAX, &t->lo) == 0;
	t->text = xstrdup(arg);
	return 0;
}

static int
filter_parse_proto(struct filter_term *t, const char *arg)
{
	unsigned i;

	for (i = 0; i < PT_PROTO_COUNT; i++)
		if (strcasecmp(arg, proto_name(i)) == 0) {
			t->lo = i;
			return 0;
		}
	return -EINVAL;
}

static int
filter_parse_pid(struct filter_term *t, const char *arg)
{
	return filter_number(arg, INT32_MAX, &t->lo);
}

static const char *const filter_scopes[PT_SCOPE_COUNT] = {
	[PT_SCOPE_LOOPBACK] = "loopback",
	[PT_SCOPE_ALL] = "all",
	[PT_SCOPE_ADDRESS] = "address",
	[PT_SCOPE_DEVICE] = "device",
};

static int
filter_parse_scope(struct filter_term *t, const char *arg)
{
	unsigned i;

	for (i = 0; i < PT_SCOPE_COUNT; i++)
		if (strcasecmp(arg, filter_scopes[i]) == 0) {
			t->lo = i;
			return 0;
		}
	return -EINVAL;
}

static const char *const filter_flags[PT_FLAG_COUNT] = {
	"exposed",
	"ephemeral",
	"stuck",
	"new",
	"gone",
};

static int
filter_parse_flag(struct filter_term *t, const char *arg)
{
	unsigned i;

	for (i = 0; i < PT_FLAG_COUNT; i++)
		if (strcasecmp(arg, filter_flags[i]) == 0) {
			t->lo = 1u << i;
			return 0;
		}
	return -EINVAL;
}

static const struct filter_prefix {
	const char *name;
	enum filter_kind kind;
	filter_parse_fn *parse;
	const char *expect; /* completes "NAME:ARG: expected ..." */
} filter_prefixes[] = {
	{ "port", FILTER_PORT, filter_parse_port, "a port (8080) or a range (8000-9000)" },
	{ "user", FILTER_USER, filter_parse_user, "a user name or uid" },
	{ "proto", FILTER_PROTO, filter_parse_proto, "tcp or udp" },
	{ "pid", FILTER_PID, filter_parse_pid, "a process id" },
	{ "scope", FILTER_SCOPE, filter_parse_scope, "loopback, all, address or device" },
	{ "flag", FILTER_FLAG, filter_parse_flag, "exposed, ephemeral, stuck, new or gone" },
};

/* Parse one term (a NUL-terminated word, quotes already removed when quoted). */
static int
filter_term_parse(struct filter_term *t, const char *word, bool quoted, char **cause)
{
	const char *colon = quoted ? NULL : strchr(word, ':');
	size_t i;

	if (!quoted && strcasecmp(word, "exposed") == 0) {
		t->kind = FILTER_FLAG;
		t->lo = PT_FLAG_EXPOSED;
		return 0;
	}
	if (colon != NULL) {
		for (i = 0; i < sizeof filter_prefixes / sizeof filter_prefixes[0]; i++) {
			const struct filter_prefix *p = &filter_prefixes[i];

			if (strlen(p->name) != (size_t)(colon - word) ||
			        strncasecmp(word, p->name, (size_t)(colon - word)) != 0)
				continue;
			t->kind = p->kind;
			if (p->parse(t, colon + 1) != 0) {
				struct strbuf sb = STRBUF_INIT;

				strbuf_printf(&sb, "%s: expected %s", word, p->expect);
				*cause = strbuf_detach(&sb);
				return -EINVAL;
			}
			return 0;
		}
	}
	t->kind = FILTER_TEXT;
	t->text = xstrdup(word);
	return 0;
}

static void
filter_term_fini(struct filter_term *t)
{
	free(t->text);
	t->text = NULL;
}

void
filter_free(struct filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		filter_term_fini(&f->terms[i]);
	free(f->terms);
	free(f->source);
	free(f);
}

struct filter *
filter_new(const char *expr, char **cause)
{
	struct filter *f = xcalloc(1, sizeof *f);
	struct strbuf word = STRBUF_INIT;
	const char *p = expr;

	*cause = NULL;
	f->source = xstrdup(expr);
	for (;;) {
		struct filter_term t;
		bool negate = false, quoted = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (*p == '!') {
			negate = true;
			p++;
		}
		strbuf_reset(&word);
		if (*p == '"') {
			const char *end = strchr(p + 1, '"');

			if (end == NULL) {
				*cause = xstrdup("a quote is not closed");
				goto fail;
			}
			strbuf_add(&word, p + 1, (size_t)(end - p - 1));
			p = end + 1;
			quoted = true;
		} else {
			while (*p != '\0' && *p != ' ' && *p != '\t')
				strbuf_addch(&word, *p++);
		}
		if (word.len == 0) {
			*cause = xstrdup(negate ? "'!' needs a term after it" : "empty quotes");
			goto fail;
		}
		memset(&t, 0, sizeof t);
		if (filter_term_parse(&t, strbuf_str(&word), quoted, cause) != 0)
			goto fail;
		t.negate = negate;
		XGROW(f->terms, f->cap, f->n + 1);
		f->terms[f->n++] = t;
	}
	strbuf_fini(&word);
	return f;
fail:
	strbuf_fini(&word);
	filter_free(f);
	errno = EINVAL;
	return NULL;
}

bool
filter_empty(const struct filter *f)
{
	return f == NULL || f->n == 0;
}

const char *
filter_text(const struct filter *f)
{
	return f != NULL ? f->source : "";
}

static bool
filter_has(const char *hay, const char *needle)
{
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

static bool
filter_text_match(const char *needle, const struct pt_listener *l, const struct col_ctx *ctx)
{
	static const enum col_id shown[] = { COL_PROTO, COL_ADDRESS, COL_PORT, COL_RANGE };
	struct strbuf sb = STRBUF_INIT;
	bool hit = false;
	size_t i;

	/* what the row shows of the socket, as it shows it */
	for (i = 0; i < sizeof shown / sizeof shown[0] && !hit; i++) {
		strbuf_reset(&sb);
		columns_format(&sb, shown[i], l, ctx);
		hit = filter_has(strbuf_str(&sb), needle);
	}
	/* and every owner, raw: the user types what the process is called, not its escape */
	for (i = 0; i < l->nprocs && !hit; i++) {
		const struct pt_proc *p = l->procs[i];

		strbuf_reset(&sb);
		strbuf_printf(&sb, "%" PRId32, p->pid);
		hit = filter_has(strbuf_str(&sb), needle) || filter_has(p->comm, needle) ||
		      filter_has(p->user, needle) || filter_has(p->cmdline, needle) ||
		      filter_has(p->unit, needle);
	}
	strbuf_fini(&sb);
	return hit;
}

static bool
filter_user_match(const struct filter_term *t, const struct pt_listener *l)
{
	size_t i;

	for (i = 0; i < l->nprocs; i++) {
		const struct pt_proc *p = l->procs[i];

		if ((t->numeric && p->uid == t->lo) ||
		        (p->user != NULL && strcmp(p->user, t->text) == 0))
			return true;
	}
	/* without a visible owner, the socket's creator still says whose it is */
	return l->nprocs == 0 && t->numeric && l->uid == t->lo;
}

static bool
filter_term_match(
        const struct filter_term *t, const struct pt_listener *l, const struct col_ctx *ctx)
{
	size_t i;

	switch (t->kind) {
	case FILTER_TEXT: return filter_text_match(t->text, l, ctx);
	case FILTER_PORT: return l->key.port >= t->lo && l->key.port <= t->hi;
	case FILTER_USER: return filter_user_match(t, l);
	case FILTER_PROTO: return l->key.proto == t->lo;
	case FILTER_PID:
		for (i = 0; i < l->nprocs; i++)
			if ((uint32_t)l->procs[i]->pid == t->lo)
				return true;
		return false;
	case FILTER_SCOPE: return (uint32_t)l->cls.scope == t->lo;
	case FILTER_FLAG: return (l->flags & t->lo) != 0;
	}
	return false;
}

bool
filter_match(const struct filter *f, const struct pt_listener *l, const struct col_ctx *ctx)
{
	size_t i;

	if (f == NULL)
		return true;
	for (i = 0; i < f->n; i++)
		if (filter_term_match(&f->terms[i], l, ctx) == f->terms[i].negate)
			return false;
	return true;
}
