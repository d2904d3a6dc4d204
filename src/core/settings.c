/* settings.c — the screen's settings: key=value lines, loaded at start, saved when changed. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "porttop/fileio.h"
#include "porttop/filter.h"
#include "porttop/settings.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

#define SETTINGS_MAX_FILE (64 * 1024)

void
settings_init(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->sort_col = COL_PORT;
	s->sort_desc = false;
	s->interval_tenths = 10;
	s->filter = xstrdup("");
	s->exposed_only = false;
	s->proto = -1;
	s->scheme = xstrdup("default");
	s->hidden = 0;
}

void
settings_fini(struct settings *s)
{
	free(s->filter);
	free(s->scheme);
	s->filter = s->scheme = NULL;
}

void
settings_copy(struct settings *dst, const struct settings *src)
{
	*dst = *src;
	dst->filter = xstrdup(src->filter);
	dst->scheme = xstrdup(src->scheme);
}

bool
settings_equal(const struct settings *a, const struct settings *b)
{
	return a->sort_col == b->sort_col && a->sort_desc == b->sort_desc &&
	       a->interval_tenths == b->interval_tenths && strcmp(a->filter, b->filter) == 0 &&
	       a->exposed_only == b->exposed_only && a->proto == b->proto &&
	       strcmp(a->scheme, b->scheme) == 0 && a->hidden == b->hidden;
}

/* --- values --------------------------------------------------------------------------- */

typedef int settings_set_fn(struct settings *s, const char *value, struct strbuf *why);

static int
settings_bool(const char *value, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int
settings_set_sort(struct settings *s, const char *value, struct strbuf *why)
{
	int c = columns_find(value);

	if (c < 0) {
		strbuf_printf(why, "unknown column '%s'", value);
		return -EINVAL;
	}
	s->sort_col = (enum col_id)c;
	return 0;
}

static int
settings_set_sort_desc(struct settings *s, const char *value, struct strbuf *why)
{
	if (settings_bool(value, &s->sort_desc) != 0) {
		strbuf_printf(why, "expected yes or no, not '%s'", value);
		return -EINVAL;
	}
	return 0;
}

static int
settings_set_interval(struct settings *s, const char *value, struct strbuf *why)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < SETTINGS_INTERVAL_MIN ||
	        v > SETTINGS_INTERVAL_MAX) {
		strbuf_printf(why, "expected tenths of a second from %d to %d, not '%s'",
		        SETTINGS_INTERVAL_MIN, SETTINGS_INTERVAL_MAX, value);
		return -EINVAL;
	}
	s->interval_tenths = (int)v;
	return 0;
}

static int
settings_set_filter(struct settings *s, const char *value, struct strbuf *why)
{
	char *cause = NULL;
	struct filter *f = filter_new(value, &cause);

	if (f == NULL) {
		strbuf_printf(why, "%s", cause);
		free(cause);
		return -EINVAL;
	}
	filter_free(f);
	free(s->filter);
	s->filter = xstrdup(value);
	return 0;
}

static int
settings_set_exposed_only(struct settings *s, const char *value, struct strbuf *why)
{
	if (settings_bool(value, &s->exposed_only) != 0) {
		strbuf_printf(why, "expected yes or no, not '%s'", value);
		return -EINVAL;
	}
	return 0;
}

static int
settings_set_protocol(struct settings *s, const char *value, struct strbuf *why)
{
	unsigned i;

	if (strcasecmp(value, "all") == 0) {
		s->proto = -1;
		return 0;
	}
	for (i = 0; i < PT_PROTO_COUNT; i++)
		if (strcasecmp(value, proto_name(i)) == 0) {
			s->proto = (int)i;
			return 0;
		}
	strbuf_printf(why, "expected all, tcp or udp, not '%s'", value);
	return -EINVAL;
}

static int
settings_set_scheme(struct settings *s, const char *value, struct strbuf *why)
{
	const char *p;

	for (p = value; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		            *p == '_'))
			break;
	if (*value == '\0' || *p != '\0') {
		strbuf_printf(why, "expected a scheme name, not '%s'", value);
		return -EINVAL;
	}
	free(s->scheme);
	s->scheme = xstrdup(value);
	return 0;
}

static int
settings_set_hidden(struct settings *s, const char *value, struct strbuf *why)
{
	uint32_t mask = 0;
	const char *p = value;

	while (*p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char *name = xstrndup(p, n);
		char *a = name, *z = name + n;
		int c;

		while (*a == ' ')
			a++;
		while (z > a && z[-1] == ' ')
			*--z = '\0';
		c = *a != '\0' ? columns_find(a) : -1;
		if (c < 0) {
			strbuf_printf(why, "unknown column '%s'", a);
			free(name);
			return -EINVAL;
		}
		mask |= 1u << c;
		free(name);
		p += n;
		if (*p == ',')
			p++;
	}
	s->hidden = mask;
	return 0;
}

static const struct settings_key {
	const char *key;
	settings_set_fn *set;
} settings_keys[] = {
	{ "sort", settings_set_sort },
	{ "sort_descending", settings_set_sort_desc },
	{ "interval", settings_set_interval },
	{ "filter", settings_set_filter },
	{ "exposed_only", settings_set_exposed_only },
	{ "protocol", settings_set_protocol },
	{ "color_scheme", settings_set_scheme },
	{ "hidden_columns", settings_set_hidden },
};

/* --- parse and format ----------------------------------------------------------------- */

/* Strip spaces and tabs at both ends of [*a, *z). */
static void
settings_trim(const char **a, const char **z)
{
	while (*a < *z && (**a == ' ' || **a == '\t'))
		(*a)++;
	while (*z > *a && ((*z)[-1] == ' ' || (*z)[-1] == '\t' || (*z)[-1] == '\r'))
		(*z)--;
}

static int
settings_line(struct settings *s, const char *a, const char *z, struct strbuf *why)
{
	const char *eq, *ka, *kz, *va, *vz;
	char *key = NULL, *value = NULL;
	size_t i;
	int err = -EINVAL;

	eq = memchr(a, '=', (size_t)(z - a));
	if (eq == NULL) {
		strbuf_addstr(why, "expected key=value");
		return -EINVAL;
	}
	ka = a;
	kz = eq;
	va = eq + 1;
	vz = z;
	settings_trim(&ka, &kz);
	settings_trim(&va, &vz);
	if (memchr(va, '\0', (size_t)(vz - va)) != NULL) {
		strbuf_addstr(why, "the value contains a NUL byte");
		return -EINVAL;
	}
	key = xstrndup(ka, (size_t)(kz - ka));
	value = xstrndup(va, (size_t)(vz - va));
	for (i = 0; i < sizeof settings_keys / sizeof settings_keys[0]; i++)
		if (strcmp(key, settings_keys[i].key) == 0)
			break;
	if (i == sizeof settings_keys / sizeof settings_keys[0]) {
		strbuf_addstr(why, "unknown setting '");
		strbuf_add(why, key, strlen(key));
		strbuf_addch(why, '\'');
		goto out;
	}
	strbuf_printf(why, "%s: ", key);
	err = settings_keys[i].set(s, value, why);
out:
	free(key);
	free(value);
	return err;
}

int
settings_parse(
        struct settings *s, const char *text, size_t len, const char *origin, struct strbuf *errors)
{
	const char *p = text, *end = text + len;
	struct strbuf why = STRBUF_INIT;
	unsigned line = 0;
	int bad = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *a = p, *z = nl != NULL ? nl : end;

		line++;
		p = nl != NULL ? nl + 1 : end;
		settings_trim(&a, &z);
		if (a == z || *a == '#')
			continue;
		strbuf_reset(&why);
		if (settings_line(s, a, z, &why) != 0) {
			/* the reason may quote the file: keep control bytes out of messages */
			const char *w = strbuf_str(&why);

			strbuf_printf(errors, "%s:%u: ", origin, line);
			for (; *w != '\0'; w++)
				strbuf_addch(errors, (unsigned char)*w < 0x20 ? '?' : *w);
			strbuf_addch(errors, '\n');
			bad++;
		}
	}
	strbuf_fini(&why);
	return bad;
}

void
settings_format(const struct settings *s, struct strbuf *out)
{
	unsigned i;
	bool first = true;

	strbuf_addstr(out, "# porttop settings, written by porttop when they change\n");
	strbuf_printf(out, "sort=%s\n", columns_def(s->sort_col)->name);
	strbuf_printf(out, "sort_descending=%s\n", s->sort_desc ? "yes" : "no");
	strbuf_printf(out, "interval=%d\n", s->interval_tenths);
	strbuf_printf(out, "filter=%s\n", s->filter);
	strbuf_printf(out, "exposed_only=%s\n", s->exposed_only ? "yes" : "no");
	strbuf_printf(out, "protocol=%s\n", s->proto < 0 ? "all" : proto_name((unsigned)s->proto));
	strbuf_printf(out, "color_scheme=%s\n", s->scheme);
	strbuf_addstr(out, "hidden_columns=");
	for (i = 0; i < COL_COUNT; i++) {
		if (!(s->hidden & (1u << i)))
			continue;
		strbuf_printf(out, "%s%s", first ? "" : ",", columns_def((enum col_id)i)->name);
		first = false;
	}
	strbuf_addch(out, '\n');
}

int
settings_load(struct settings *s, const char *path, struct strbuf *errors)
{
	struct strbuf text = STRBUF_INIT;
	int err;

	err = fileio_read_all(path, SETTINGS_MAX_FILE, &text);
	if (err == -ENOENT) {
		strbuf_fini(&text);
		return 0;
	}
	if (err != 0) {
		strbuf_printf(errors, "%s: cannot read: %s\n", path,
		        err == -EFBIG ? "larger than 64 KiB" : strerror(-err));
		strbuf_fini(&text);
		return err;
	}
	err = settings_parse(s, text.buf, text.len, path, errors);
	strbuf_fini(&text);
	return err;
}

int
settings_save(const struct settings *s, const char *path, char **cause)
{
	struct strbuf text = STRBUF_INIT;
	int err;

	settings_format(s, &text);
	err = fileio_mkdirs_for(path, 0700);
	if (err != 0) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_printf(&sb, "cannot create the folder of %s: %s", path, strerror(-err));
		if (cause != NULL)
			*cause = strbuf_detach(&sb);
		strbuf_fini(&sb);
	} else
		err = fileio_write_atomic(path, text.buf, text.len, 0644, cause);
	strbuf_fini(&text);
	return err;
}

char *
settings_config_file(const char *xdg, const char *home, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	if (xdg != NULL && xdg[0] == '/')
		strbuf_printf(&sb, "%s/porttop/%s", xdg, name);
	else if (home != NULL && home[0] != '\0')
		strbuf_printf(&sb, "%s/.config/porttop/%s", home, name);
	else
		return NULL;
	return strbuf_detach(&sb);
}

char *
settings_path(const char *cli, const char *porttop_config, const char *xdg, const char *home)
{
	if (cli != NULL && cli[0] != '\0')
		return xstrdup(cli);
	if (porttop_config != NULL && porttop_config[0] != '\0')
		return xstrdup(porttop_config);
	return settings_config_file(xdg, home, "porttoprc");
}
