/* strbuf.h — a growable, always NUL-terminated byte string. */
#ifndef PORTTOP_STRBUF_H
#define PORTTOP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf; /* owned; NUL-terminated once anything was added, NULL before */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_fini(struct strbuf *sb);
/* Empty the string but keep its memory for reuse. */
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
/* Append v in decimal: the numbers of JSON and metrics without printf's cost. */
void strbuf_add_u64(struct strbuf *sb, uint64_t v);
void strbuf_add_i64(struct strbuf *sb, int64_t v);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The string, "" when empty; borrowed until the next change. */
const char *strbuf_str(const struct strbuf *sb);
/* Hand the string to the caller (never NULL) and leave sb empty. */
char *strbuf_detach(struct strbuf *sb);

#endif
