/* escape.c — make untrusted text safe for a terminal or a JSON string, and measure it. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "porttop/escape.h"
#include "porttop/strbuf.h"

/*
 * Decode one UTF-8 character at s (n bytes available). Returns its length and sets *cp, or
 * 0 when the bytes are not valid UTF-8 (overlong forms, surrogates, > U+10FFFF, truncated).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Characters that change how a terminal lays out text without being controls. */
static bool
escape_is_format_char(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || /* zero-width, LRM, RLM */
		(cp >= 0x2028 && cp <= 0x202e) || /* separators, bidi embeddings/overrides */
		(cp >= 0x2060 && cp <= 0x206f) || /* invisible operators, bidi isolates */
		cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

void
escape_text(struct strbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			strbuf_printf(out, "\\x%02x", s[i]);
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			switch (cp) {
			case 0x1b: strbuf_addstr(out, "\\e"); break;
			case '\n': strbuf_addstr(out, "\\n"); break;
			case '\t': strbuf_addstr(out, "\\t"); break;
			case '\r': strbuf_addstr(out, "\\r"); break;
			case '\a': strbuf_addstr(out, "\\a"); break;
			default: strbuf_printf(out, "\\x%02x", (unsigned)cp); break;
			}
		} else if (escape_is_format_char(cp))
			strbuf_printf(out, "\\u{%04x}", (unsigned)cp);
		else if (cp == '\\')
			strbuf_addstr(out, "\\\\");
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
}

size_t
escape_json_plain(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0;

	while (n < len && s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\')
		n++;
	return n;
}

void
escape_json(struct strbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		/* Most text is printable ASCII that needs no escape: copy such a run at once. */
		if ((n = escape_json_plain(str + i, len - i)) > 0) {
			strbuf_add(out, s + i, n);
			i += n;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			strbuf_addstr(out, "\\ufffd");
			i++;
			continue;
		}
		if (cp == '"')
			strbuf_addstr(out, "\\\"");
		else if (cp == '\\')
			strbuf_addstr(out, "\\\\");
		else if (cp == '\n')
			strbuf_addstr(out, "\\n");
		else if (cp == '\t')
			strbuf_addstr(out, "\\t");
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
			escape_is_format_char(cp))
			strbuf_printf(out, "\\u%04x", (unsigned)cp);
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
}

/* Columns of one code point; unknown or unprintable ones count as one (a placeholder). */
static size_t
escape_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

size_t
escape_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, n, w = 0;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		w += escape_cp_width(cp);
		i += n;
	}
	return w;
}

size_t
escape_fit(struct strbuf *out, const char *str, size_t width)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, n, w = 0, cw;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			n = 1;
			cw = 1;
		} else
			cw = escape_cp_width(cp);
		if (w + cw > width)
			break;
		strbuf_add(out, s + i, n);
		w += cw;
		i += n;
	}
	return w;
}
