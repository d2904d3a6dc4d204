/* rules.c — expected services: parse the user's rules and match listeners against them. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/escape.h"
#include "porttop/fileio.h"
#include "porttop/model.h"
#include "porttop/rules.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

#define RULES_PROTO_ANY 0xff
#define RULES_COMM_MAX 15  /* TASK_COMM_LEN - 1: the kernel cuts longer names */
#define RULES_QUOTE_MAX 40 /* bytes of a bad field quoted in a message */

struct rules_rule {
	uint8_t proto; /* PT_PROTO_* or RULES_PROTO_ANY */
	bool any_addr;
	uint8_t family;   /* with any_addr false; an IPv4-mapped address is stored as IPv4 */
	uint8_t addr[16]; /* as in pt_sock */
	uint16_t lo, hi;  /* inclusive port range */
	char *proc;       /* owned; a comm or an absolute path; NULL: any process */
	size_t proc_len;
	bool proc_is_path;
	char *user; /* owned; NULL: any user */
	bool has_uid;
	uint32_t uid;
	char *text;   /* owned; canonical form */
	char *origin; /* owned; "origin:line" */
};

struct pt_rules {
	struct rules_rule *v; /* owned */
	size_t len;
	size_t cap;
};

static const struct {
	const char *name;
	uint8_t proto;
} rules_protos[] = {
	{ "tcp", PT_PROTO_TCP },
	{ "udp", PT_PROTO_UDP },
	{ "*", RULES_PROTO_ANY },
};

/* One field of a line, decoded. */
struct rules_field {
	const char *raw; /* borrowed: where it starts in the line, for messages */
	size_t rawlen;
	const char *key; /* borrowed: the lowercase word before an unquoted '=', or NULL */
	size_t keylen;
	struct strbuf val; /* the value, quotes and escapes undone (after "key=") */
};

struct rules_lexer {
	const char *p;
	const char *end;
};

struct pt_rules *
rules_new(void)
{
	return xcalloc(1, sizeof(struct pt_rules));
}

static void
rules_rule_fini(struct rules_rule *r)
{
	free(r->proc);
	free(r->user);
	free(r->text);
	free(r->origin);
	memset(r, 0, sizeof *r);
}

void
rules_free(struct pt_rules *rules)
{
	size_t i;

	if (rules == NULL)
		return;
	for (i = 0; i < rules->len; i++)
		rules_rule_fini(&rules->v[i]);
	free(rules->v);
	free(rules);
}

static bool
rules_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
rules_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append s (len bytes, untrusted) for a message: escaped, and cut after RULES_QUOTE_MAX bytes. */
static void
rules_quote(struct strbuf *out, const char *s, size_t len)
{
	strbuf_addch(out, '\'');
	escape_text(out, s, len > RULES_QUOTE_MAX ? RULES_QUOTE_MAX : len);
	if (len > RULES_QUOTE_MAX)
		strbuf_addstr(out, "...");
	strbuf_addch(out, '\'');
}

/*
 * Decode the quoted part of a field whose opening '"' *pp points just after, up to the line's
 * end; leave *pp after the closing '"'. raw is where the field starts, for messages. Returns
 * 0, or -1 with the reason in why.
 */
static int
rules_unquote(const char **pp, const char *end, const char *raw, struct strbuf *val,
	struct strbuf *why)
{
	const char *p = *pp;
	int hi, lo;
	char c;

	for (;;) {
		if (p == end)
			goto unterminated;
		c = *p++;
		if (c == '"')
			break;
		if (c != '\\') {
			strbuf_addch(val, c);
			continue;
		}
		if (p == end)
			goto unterminated;
		c = *p++;
		if (c == '"' || c == '\\') {
			strbuf_addch(val, c);
			continue;
		}
		if (c != 'x' || end - p < 2 || (hi = rules_hex(p[0])) < 0 ||
			(lo = rules_hex(p[1])) < 0) {
			strbuf_addstr(why, "unknown escape ");
			rules_quote(why, p - 2, 2);
			strbuf_addstr(why, " (use \\\", \\\\ or \\xNN)");
			return -1;
		}
		if (hi == 0 && lo == 0) {
			strbuf_addstr(why, "\\x00 is not allowed");
			return -1;
		}
		strbuf_addch(val, (char)(hi << 4 | lo));
		p += 2;
	}
	*pp = p;
	return 0;

unterminated:
	strbuf_addstr(why, "unterminated quote in ");
	rules_quote(why, raw, (size_t)(end - raw));
	return -1;
}

/*
 * Read the next field of the line into f. Returns 1 for a field, 0 at the end of the line or
 * at a comment, -1 for a malformed field with the reason in why.
 */
static int
rules_next(struct rules_lexer *lx, struct rules_field *f, struct strbuf *why)
{
	const char *p = lx->p, *end = lx->end, *k;

	while (p < end && rules_space(*p))
		p++;
	if (p == end || *p == '#') {
		lx->p = end;
		return 0;
	}
	f->raw = p;
	f->key = NULL;
	f->keylen = 0;
	strbuf_reset(&f->val);
	strbuf_add(&f->val, "", 0);
	for (k = p; k < end && *k >= 'a' && *k <= 'z'; k++)
		;
	if (k > p && k < end && *k == '=') {
		f->key = p;
		f->keylen = (size_t)(k - p);
		p = k + 1;
	}
	while (p < end && !rules_space(*p) && *p != '#') {
		if (*p != '"') {
			strbuf_addch(&f->val, *p++);
			continue;
		}
		p++;
		if (rules_unquote(&p, end, f->raw, &f->val, why) != 0)
			return -1;
	}
	f->rawlen = (size_t)(p - f->raw);
	lx->p = p;
	return 1;
}

/*
 * A decimal number of at most max, in s (len bytes). Returns 0, -EINVAL when s is not all
 * digits (or empty), -ERANGE when it is larger than max. Never overflows, whatever the length.
 */
static int
rules_number(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			v = (uint64_t)max + 1; /* saturate: keep scanning for non-digits */
	}
	if (v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

static int
rules_port(const char *s, size_t len, uint16_t *out, struct strbuf *why)
{
	uint32_t v;
	int err;

	err = rules_number(s, len, 65535, &v);
	if (err == 0 && v == 0)
		err = -ERANGE;
	if (err == -ERANGE) {
		strbuf_addstr(why, "port ");
		escape_text(why, s, len > RULES_QUOTE_MAX ? RULES_QUOTE_MAX : len);
		strbuf_addstr(why, len > RULES_QUOTE_MAX ? "... out of range (1-65535)" :
							  " out of range (1-65535)");
		return -1;
	}
	if (err != 0) {
		strbuf_addstr(why, "bad port ");
		rules_quote(why, s, len);
		return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

/* ADDRESS:PORT[-PORT] in s (len bytes) into r. */
static int
rules_endpoint(const char *s, size_t len, struct rules_rule *r, struct strbuf *why)
{
	const char *end = s + len, *colon, *dash, *close, *port;
	char text[ADDR_STRLEN + 1];
	const char *a = s;
	size_t alen;
	unsigned family;
	uint8_t addr[16];

	if (len > 0 && s[0] == '[') {
		close = memchr(s, ']', len);
		if (close == NULL || close + 1 == end || close[1] != ':')
			goto expected;
		a = s + 1;
		alen = (size_t)(close - a);
		colon = close + 1;
	} else {
		colon = memchr(s, ':', len);
		if (colon == NULL)
			goto expected;
		if (memchr(colon + 1, ':', (size_t)(end - colon - 1)) != NULL) {
			strbuf_addstr(why, "an IPv6 address needs brackets, as in [::1]:53");
			return -1;
		}
		alen = (size_t)(colon - s);
	}

	if (a == s && alen == 1 && s[0] == '*') {
		r->any_addr = true;
	} else {
		if (alen == 0 || alen >= sizeof text)
			goto bad_address;
		memcpy(text, a, alen);
		text[alen] = '\0';
		if (memchr(text, '\0', alen) != NULL || addr_parse(text, &family, addr) != 0)
			goto bad_address;
		/* brackets hold IPv6, and only brackets do */
		if ((a != s) != (family == PT_FAMILY_IPV6))
			goto bad_address;
		r->any_addr = false;
		if (addr_is_v4mapped(family, addr)) {
			memmove(addr, addr + 12, 4);
			memset(addr + 4, 0, 12);
			family = PT_FAMILY_IPV4;
		}
		r->family = (uint8_t)family;
		memcpy(r->addr, addr, sizeof r->addr);
	}

	port = colon + 1;
	if (port == end) {
		strbuf_addstr(why, "missing port in ");
		rules_quote(why, s, len);
		return -1;
	}
	dash = memchr(port, '-', (size_t)(end - port));
	if (rules_port(port, (size_t)((dash != NULL ? dash : end) - port), &r->lo, why) != 0)
		return -1;
	r->hi = r->lo;
	if (dash != NULL) {
		if (rules_port(dash + 1, (size_t)(end - dash - 1), &r->hi, why) != 0)
			return -1;
		if (r->hi < r->lo) {
			strbuf_printf(why, "range %u-%u is backwards", r->lo, r->hi);
			return -1;
		}
	}
	return 0;

expected:
	strbuf_addstr(why, "expected ADDRESS:PORT, not ");
	rules_quote(why, s, len);
	return -1;
bad_address:
	strbuf_addstr(why, "bad address ");
	rules_quote(why, a, alen);
	strbuf_addstr(why, " (use *, an IPv4 address or an IPv6 address in brackets)");
	return -1;
}

/* Whether a value can be written without quotes and read back the same. */
static bool
rules_bare(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e || strchr("\"#\\=", s[i]) != NULL)
			return false;
	}
	return true;
}

/* Append a value as a field that reads back as it: bare, or quoted with escapes, ASCII only. */
static void
rules_add_value(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	if (rules_bare(s, len)) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addch(out, '"');
	for (i = 0; i < len; i++) {
		if (u[i] == '"' || u[i] == '\\') {
			strbuf_addch(out, '\\');
			strbuf_addch(out, (char)u[i]);
		} else if (u[i] < 0x20 || u[i] > 0x7e)
			strbuf_printf(out, "\\x%02x", u[i]);
		else
			strbuf_addch(out, (char)u[i]);
	}
	strbuf_addch(out, '"');
}

/* The address in rule syntax: 192.0.2.1, [2001:db8::1]. */
static void
rules_add_address(struct strbuf *out, unsigned family, const uint8_t addr[16])
{
	char text[ADDR_STRLEN];

	addr_format(family, addr, text, sizeof text);
	if (family == PT_FAMILY_IPV6)
		strbuf_printf(out, "[%s]", text);
	else
		strbuf_addstr(out, text);
}

static void
rules_canonical(struct strbuf *out, const struct rules_rule *r)
{
	size_t i;

	for (i = 0; i < sizeof rules_protos / sizeof rules_protos[0]; i++) {
		if (rules_protos[i].proto == r->proto)
			strbuf_addstr(out, rules_protos[i].name);
	}
	strbuf_addch(out, ' ');
	if (r->any_addr)
		strbuf_addch(out, '*');
	else
		rules_add_address(out, r->family, r->addr);
	strbuf_printf(out, ":%u", r->lo);
	if (r->hi != r->lo)
		strbuf_printf(out, "-%u", r->hi);
	if (r->proc != NULL) {
		strbuf_addch(out, ' ');
		rules_add_value(out, r->proc, r->proc_len);
	}
	if (r->user != NULL) {
		strbuf_addstr(out, " user=");
		rules_add_value(out, r->user, strlen(r->user));
	}
	if (r->has_uid)
		strbuf_printf(out, " uid=%u", r->uid);
}

static int
rules_proto(const struct rules_field *f, struct rules_rule *r, struct strbuf *why)
{
	size_t i;

	for (i = 0; i < sizeof rules_protos / sizeof rules_protos[0]; i++) {
		if (f->key == NULL && strcmp(f->val.buf, rules_protos[i].name) == 0) {
			r->proto = rules_protos[i].proto;
			return 0;
		}
	}
	strbuf_addstr(why, "unknown protocol ");
	rules_quote(why, f->raw, f->rawlen);
	strbuf_addstr(why, " (use tcp, udp or *)");
	return -1;
}

static int
rules_opt_user(struct rules_rule *r, const char *v, size_t len, struct strbuf *why)
{
	r->user = xstrndup(v, len); /* a line holds no NUL: rules_line checked */
	return 0;
}

static int
rules_opt_uid(struct rules_rule *r, const char *v, size_t len, struct strbuf *why)
{
	switch (rules_number(v, len, UINT32_MAX - 1, &r->uid)) {
	case 0:
		r->has_uid = true;
		return 0;
	case -ERANGE:
		strbuf_addstr(why, "uid ");
		rules_quote(why, v, len);
		strbuf_addstr(why, " out of range");
		return -1;
	}
	strbuf_addstr(why, "bad uid ");
	rules_quote(why, v, len);
	return -1;
}

/* The options a field "key=value" may set; value is never empty. */
static const struct {
	const char *key;
	int (*set)(struct rules_rule *r, const char *v, size_t len, struct strbuf *why);
} rules_opts[] = {
	{ "user", rules_opt_user },
	{ "uid", rules_opt_uid },
};

static int
rules_option(const struct rules_field *f, struct rules_rule *r, struct strbuf *why)
{
	size_t i;

	for (i = 0; i < sizeof rules_opts / sizeof rules_opts[0]; i++) {
		if (f->keylen == strlen(rules_opts[i].key) &&
			memcmp(f->key, rules_opts[i].key, f->keylen) == 0)
			break;
	}
	if (i == sizeof rules_opts / sizeof rules_opts[0]) {
		strbuf_addstr(why, "unknown option ");
		rules_quote(why, f->raw, f->rawlen);
		strbuf_addstr(why, " (use user=NAME or uid=N)");
		return -1;
	}
	/* user= and uid= say the same thing two ways: one of them, once */
	if (r->user != NULL || r->has_uid) {
		strbuf_addstr(why, "more than one user= or uid=");
		return -1;
	}
	if (f->val.len == 0) {
		strbuf_printf(why, "missing value after '%s='", rules_opts[i].key);
		return -1;
	}
	return rules_opts[i].set(r, f->val.buf, f->val.len, why);
}

static int
rules_process(const struct rules_field *f, struct rules_rule *r, struct strbuf *why)
{
	if (r->proc != NULL) {
		strbuf_addstr(why, "unexpected ");
		rules_quote(why, f->raw, f->rawlen);
		strbuf_addstr(why, ": a rule names one process");
		return -1;
	}
	if (f->val.len == 0) {
		strbuf_addstr(why, "empty process name");
		return -1;
	}
	r->proc = xstrndup(f->val.buf, f->val.len);
	r->proc_len = f->val.len;
	r->proc_is_path = r->proc[0] == '/';
	return 0;
}

/*
 * Parse one line (no newline) into r. Returns 1 for a rule, 0 for a blank or comment line,
 * -1 for a bad line with the reason in why.
 */
static int
rules_line(const char *line, size_t len, struct rules_field *f, struct rules_rule *r,
	struct strbuf *why)
{
	struct rules_lexer lx = { line, line + len };
	int n;

	memset(r, 0, sizeof *r);
	if (memchr(line, '\0', len) != NULL) {
		strbuf_addstr(why, "the line contains a NUL byte");
		return -1;
	}
	if ((n = rules_next(&lx, f, why)) <= 0)
		return n;
	if (rules_proto(f, r, why) != 0)
		return -1;
	if ((n = rules_next(&lx, f, why)) < 0)
		return -1;
	if (n == 0) {
		strbuf_addstr(why, "expected ADDRESS:PORT after the protocol");
		return -1;
	}
	if (f->key != NULL) {
		strbuf_addstr(why, "expected ADDRESS:PORT, not ");
		rules_quote(why, f->raw, f->rawlen);
		return -1;
	}
	if (rules_endpoint(f->val.buf, f->val.len, r, why) != 0)
		return -1;
	while ((n = rules_next(&lx, f, why)) > 0) {
		if (f->key != NULL ? rules_option(f, r, why) : rules_process(f, r, why))
			return -1;
	}
	return n < 0 ? -1 : 1;
}

int
rules_parse(struct pt_rules *rules, const char *text, size_t len, const char *origin,
	struct strbuf *errors)
{
	struct rules_field f = { .val = STRBUF_INIT };
	struct strbuf why = STRBUF_INIT, sb = STRBUF_INIT;
	const char *p = text, *end = text + len, *nl;
	struct rules_rule r;
	size_t line = 0;
	int bad = 0, n;

	if (origin == NULL)
		origin = "(rules)";
	while (p != NULL && p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		strbuf_reset(&why);
		n = rules_line(p, (size_t)((nl != NULL ? nl : end) - p), &f, &r, &why);
		p = nl != NULL ? nl + 1 : end;
		if (n < 0) {
			rules_rule_fini(&r);
			if (bad < INT_MAX)
				bad++;
			if (errors != NULL && bad <= RULES_ERRORS_MAX)
				strbuf_printf(errors, "%s:%zu: %s\n", origin, line, why.buf);
			continue;
		}
		if (n == 0)
			continue;
		strbuf_reset(&sb);
		rules_canonical(&sb, &r);
		r.text = strbuf_detach(&sb);
		strbuf_printf(&sb, "%s:%zu", origin, line);
		r.origin = strbuf_detach(&sb);
		XGROW(rules->v, rules->cap, rules->len + 1);
		rules->v[rules->len++] = r;
	}
	if (errors != NULL && bad > RULES_ERRORS_MAX)
		strbuf_printf(errors, "%s: %d more bad lines\n", origin, bad - RULES_ERRORS_MAX);
	strbuf_fini(&f.val);
	strbuf_fini(&why);
	strbuf_fini(&sb);
	return bad;
}

int
rules_load_file(struct pt_rules *rules, const char *path, struct strbuf *errors)
{
	struct strbuf sb = STRBUF_INIT;
	int err;

	err = fileio_read_all(path, RULES_FILE_MAX, &sb);
	if (err == -ENOENT) {
		err = 0;
		goto out;
	}
	if (err == -EFBIG) {
		if (errors != NULL)
			strbuf_printf(errors, "%s: larger than %d bytes: not a rules file\n", path,
				RULES_FILE_MAX);
		goto out;
	}
	if (err != 0) {
		if (errors != NULL)
			strbuf_printf(errors, "%s: %s\n", path, strerror(-err));
		goto out;
	}
	err = rules_parse(rules, sb.buf, sb.len, path, errors);
out:
	strbuf_fini(&sb);
	return err;
}

/* The bind address of key as rules store one: an IPv4-mapped address as plain IPv4. */
static void
rules_normalise(const struct pt_key *key, unsigned *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (addr_is_v4mapped(key->family, key->addr)) {
		*family = PT_FAMILY_IPV4;
		memcpy(addr, key->addr + 12, 4);
	} else {
		*family = key->family == PT_FAMILY_IPV4 ? PT_FAMILY_IPV4 : PT_FAMILY_IPV6;
		memcpy(addr, key->addr, *family == PT_FAMILY_IPV4 ? 4 : 16);
	}
}

/* The socket part of a rule: protocol, bind address (family and addr normalised), port. */
static bool
rules_match_socket(const struct rules_rule *r, const struct pt_key *key, unsigned family,
	const uint8_t addr[16])
{
	if (r->proto != RULES_PROTO_ANY && r->proto != key->proto)
		return false;
	if (key->port < r->lo || key->port > r->hi)
		return false;
	if (r->any_addr)
		return true;
	return r->family == family &&
		memcmp(r->addr, addr, family == PT_FAMILY_IPV4 ? 4 : 16) == 0;
}

static bool
rules_match_name(const struct rules_rule *r, const struct pt_proc *p)
{
	size_t n;

	if (r->proc_is_path) {
		/* argv[0]: the command line up to the first space, or the path with its spaces */
		if (p->cmdline == NULL || strncmp(p->cmdline, r->proc, r->proc_len) != 0)
			return false;
		return p->cmdline[r->proc_len] == '\0' || p->cmdline[r->proc_len] == ' ';
	}
	if (p->comm == NULL)
		return false;
	n = strlen(p->comm);
	if (n == r->proc_len)
		return memcmp(p->comm, r->proc, n) == 0;
	/* the kernel keeps only the first 15 bytes of a longer name */
	return n == RULES_COMM_MAX && r->proc_len > n && memcmp(p->comm, r->proc, n) == 0;
}

static bool
rules_match_proc(const struct rules_rule *r, const struct pt_listener *l, const struct pt_proc *p)
{
	if (r->proc != NULL && !rules_match_name(r, p))
		return false;
	if (r->user != NULL && (p->user == NULL || strcmp(p->user, r->user) != 0))
		return false;
	if (r->has_uid && p->uid != r->uid && l->uid != r->uid)
		return false;
	return true;
}

static bool
rules_match_owners(const struct rules_rule *r, const struct pt_listener *l,
	struct pt_proc *const *procs, size_t nprocs)
{
	size_t i;

	if (r->proc == NULL && r->user == NULL) {
		if (!r->has_uid || l->uid == r->uid)
			return true;
	}
	for (i = 0; i < nprocs; i++) {
		if (procs[i] != NULL && rules_match_proc(r, l, procs[i]))
			return true;
	}
	return false;
}

bool
rules_expect(const struct pt_rules *rules, const struct pt_listener *l,
	struct pt_proc *const *procs, size_t nprocs)
{
	const struct rules_rule *r;
	uint8_t addr[16];
	unsigned family;
	size_t i;

	if (rules == NULL)
		return false;
	rules_normalise(&l->key, &family, addr);
	for (i = 0; i < rules->len; i++) {
		r = &rules->v[i];
		if (rules_match_socket(r, &l->key, family, addr) &&
			rules_match_owners(r, l, procs, nprocs))
			return true;
	}
	return false;
}

size_t
rules_count(const struct pt_rules *rules)
{
	return rules != NULL ? rules->len : 0;
}

const char *
rules_text(const struct pt_rules *rules, size_t i)
{
	return i < rules_count(rules) ? rules->v[i].text : NULL;
}

const char *
rules_origin(const struct pt_rules *rules, size_t i)
{
	return i < rules_count(rules) ? rules->v[i].origin : NULL;
}

void
rules_format_for(struct strbuf *out, const struct pt_listener *l, const struct pt_proc *proc)
{
	uint8_t addr[16];
	unsigned family;

	rules_normalise(&l->key, &family, addr);
	strbuf_addstr(out, proto_name(l->key.proto));
	strbuf_addch(out, ' ');
	rules_add_address(out, family, addr);
	strbuf_printf(out, ":%u", l->key.port);
	if (proc != NULL && proc->comm != NULL && proc->comm[0] != '\0' && proc->comm[0] != '/') {
		strbuf_addch(out, ' ');
		rules_add_value(out, proc->comm, strlen(proc->comm));
	}
}

int
rules_load_standard(struct pt_rules *rules, const char *system_override, const char *user_file,
	struct strbuf *errors)
{
	const char *sys = system_override != NULL && *system_override != '\0' ? system_override
									    : RULES_SYSTEM_FILE;
	int err;

	if ((err = rules_load_file(rules, sys, errors)) < 0)
		return err;
	if (user_file != NULL && (err = rules_load_file(rules, user_file, errors)) < 0)
		return err;
	return 0;
}
