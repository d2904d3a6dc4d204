/* escape.h — make untrusted text safe for a terminal or a JSON string, and measure it. */
#ifndef PORTTOP_ESCAPE_H
#define PORTTOP_ESCAPE_H

#include <stddef.h>

struct strbuf;

/*
 * Append s (len bytes, may contain NULs) to out so that a terminal shows it literally and
 * interprets nothing: valid, printable UTF-8 passes through; C0 and C1 controls and DEL
 * become "\e", "\n", "\t", "\r", "\a" or "\xNN"; invalid UTF-8 bytes become "\xNN"; Unicode
 * bidirectional overrides and other format characters become "\u{NNNN}". The result contains
 * no byte below 0x20, no 0x7f, and no C1 control. Any thread.
 */
void escape_text(struct strbuf *out, const char *s, size_t len);

/*
 * Append s as the contents of a JSON string (without the quotes): '"' and '\' escaped,
 * every control character as \u00XX, invalid UTF-8 bytes as U+FFFD. The result is valid
 * UTF-8 and valid JSON string content.
 */
void escape_json(struct strbuf *out, const char *s, size_t len);

/* How many bytes from str on are printable ASCII that escape_json copies as they are. */
size_t escape_json_plain(const char *str, size_t len);

/*
 * Terminal columns that s (already escaped: valid UTF-8, no controls) takes: wide
 * characters count 2, combining marks 0. Uses the C library's wcwidth, so the caller
 * should have set LC_CTYPE from the environment.
 */
size_t escape_width(const char *s);

/*
 * Append to out the longest prefix of s (already escaped) that fits in width columns,
 * never splitting a character. Returns the columns appended.
 */
size_t escape_fit(struct strbuf *out, const char *s, size_t width);

#endif
