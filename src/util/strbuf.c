/* strbuf.c — a growable, always NUL-terminated byte string. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

void
strbuf_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void
strbuf_fini(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

static void
strbuf_reserve(struct strbuf *sb, size_t more)
{
	if (more >= (size_t)-1 - sb->len)
		xgrow((void **)&sb->buf, &sb->cap, (size_t)-1, 1); /* dies with a message */
	XGROW(sb->buf, sb->cap, sb->len + more + 1);
}

void
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_reserve(sb, len);
	if (len != 0)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void
strbuf_add_u64(struct strbuf *sb, uint64_t v)
{
	char buf[20], *p = buf + sizeof buf;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	strbuf_add(sb, p, (size_t)(buf + sizeof buf - p));
}

void
strbuf_add_i64(struct strbuf *sb, int64_t v)
{
	if (v < 0) {
		strbuf_addch(sb, '-');
		/* -(v + 1) + 1 reaches INT64_MIN's magnitude without overflowing. */
		strbuf_add_u64(sb, (uint64_t)-(v + 1) + 1);
	} else
		strbuf_add_u64(sb, (uint64_t)v);
}

void
strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	strbuf_reserve(sb, 64);
	va_copy(aq, ap);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, aq);
	va_end(aq);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= sb->cap - sb->len) {
		strbuf_reserve(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->buf != NULL ? sb->buf : "";
}

char *
strbuf_detach(struct strbuf *sb)
{
	char *s = sb->buf != NULL ? sb->buf : xstrdup("");

	strbuf_init(sb);
	return s;
}
