/* fuzz_escape.c — the text and JSON escapers: safe output that decodes back to the input. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "porttop/escape.h"
#include "porttop/strbuf.h"

static void
fuzz_put_utf8(struct strbuf *sb, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		strbuf_add(sb, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		strbuf_add(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		strbuf_add(sb, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		strbuf_add(sb, b, 4);
	}
}

static int
fuzz_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo escape_text: \\ \e \n \t \r \a \xNN \u{N...}; anything else is a broken escape. */
static void
fuzz_unescape_text(const struct strbuf *in, struct strbuf *out)
{
	const unsigned char *s = (const unsigned char *)strbuf_str(in);
	size_t i = 0, n = in->len;
	uint32_t cp;
	int h, l;
	char c;

	while (i < n) {
		if (s[i] != '\\') {
			strbuf_add(out, s + i, 1);
			i++;
			continue;
		}
		FUZZ_ASSERT(i + 1 < n);
		switch (s[i + 1]) {
		case '\\': c = '\\'; break;
		case 'e': c = 0x1b; break;
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'a': c = '\a'; break;
		case 'x':
			FUZZ_ASSERT(i + 3 < n);
			h = fuzz_hex(s[i + 2]);
			l = fuzz_hex(s[i + 3]);
			FUZZ_ASSERT(h >= 0 && l >= 0);
			c = (char)(h << 4 | l);
			strbuf_add(out, &c, 1);
			i += 4;
			continue;
		case 'u':
			FUZZ_ASSERT(i + 2 < n && s[i + 2] == '{');
			for (cp = 0, i += 3; i < n && s[i] != '}'; i++) {
				FUZZ_ASSERT(fuzz_hex(s[i]) >= 0 && cp <= 0x10ffff);
				cp = cp << 4 | (uint32_t)fuzz_hex(s[i]);
			}
			FUZZ_ASSERT(i < n);
			fuzz_put_utf8(out, cp);
			i++;
			continue;
		default: FUZZ_ASSERT(!"unknown escape in escape_text output");
		}
		strbuf_add(out, &c, 1);
		i += 2;
	}
}

/*
 * escape_text: the output is valid UTF-8 of terminal-safe characters only, and unescaping it
 * gives back the input bytes.
 */
static void
fuzz_text(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT, back = STRBUF_INIT, fit = STRBUF_INIT, want = STRBUF_INIT;
	const unsigned char *s;
	size_t i, n, w, width;
	uint32_t cp;
	char c1;

	escape_text(&out, (const char *)data, size);
	s = (const unsigned char *)strbuf_str(&out);
	for (i = 0; i < out.len; i += n) {
		n = fuzz_utf8(s + i, out.len - i, &cp);
		FUZZ_ASSERT(n > 0 && cp != 0 && fuzz_terminal_safe(cp));
	}
	fuzz_unescape_text(&out, &back);
	/*
	 * escape.h documents that a C1 control (U+0080-U+009F, bytes c2 80-c2 9f) is shown as
	 * "\xNN" with its code point, the way a lone invalid byte NN is shown: compare the input
	 * with each C1 character written as that one byte.
	 */
	for (i = 0; i < size; i += n) {
		n = fuzz_utf8(data + i, size - i, &cp);
		if (n == 2 && cp >= 0x80 && cp < 0xa0) {
			c1 = (char)cp;
			strbuf_add(&want, &c1, 1);
		} else {
			n = n > 0 ? n : 1;
			strbuf_add(&want, data + i, n);
		}
	}
	FUZZ_ASSERT(back.len == want.len &&
	            (want.len == 0 || memcmp(back.buf, want.buf, want.len) == 0));

	/* Measuring and cutting the escaped text: a prefix of it, never wider than asked. */
	w = escape_width(strbuf_str(&out));
	width = size > 0 ? data[0] % 64 : 0;
	n = escape_fit(&fit, strbuf_str(&out), width);
	FUZZ_ASSERT(n <= width && n <= w);
	FUZZ_ASSERT(fit.len <= out.len && (fit.len == 0 || memcmp(fit.buf, out.buf, fit.len) == 0));
	FUZZ_ASSERT(escape_width(strbuf_str(&fit)) == n);
	if (width >= w)
		FUZZ_ASSERT(fit.len == out.len);
	strbuf_fini(&out);
	strbuf_fini(&back);
	strbuf_fini(&fit);
	strbuf_fini(&want);
}

/*
 * escape_json: the output is valid UTF-8 and valid JSON string content without raw controls,
 * and decoding it gives the input with each invalid byte replaced by U+FFFD.
 */
static void
fuzz_json(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT, back = STRBUF_INIT, want = STRBUF_INIT;
	const unsigned char *s;
	size_t i, n, k;
	uint32_t cp, u;
	int d;

	escape_json(&out, (const char *)data, size);
	s = (const unsigned char *)strbuf_str(&out);
	for (i = 0; i < out.len;) {
		n = fuzz_utf8(s + i, out.len - i, &cp);
		FUZZ_ASSERT(n > 0 && fuzz_terminal_safe(cp) && cp != '"');
		if (cp != '\\') {
			strbuf_add(&back, s + i, n);
			i += n;
			continue;
		}
		FUZZ_ASSERT(i + 1 < out.len);
		switch (s[i + 1]) {
		case '"': strbuf_addch(&back, '"'); break;
		case '\\': strbuf_addch(&back, '\\'); break;
		case '/': strbuf_addch(&back, '/'); break;
		case 'b': strbuf_addch(&back, '\b'); break;
		case 'f': strbuf_addch(&back, '\f'); break;
		case 'n': strbuf_addch(&back, '\n'); break;
		case 'r': strbuf_addch(&back, '\r'); break;
		case 't': strbuf_addch(&back, '\t'); break;
		case 'u':
			FUZZ_ASSERT(i + 5 < out.len);
			for (u = 0, k = 2; k < 6; k++) {
				d = fuzz_hex(s[i + k]);
				FUZZ_ASSERT(d >= 0);
				u = u << 4 | (uint32_t)d;
			}
			/* porttop never needs surrogate pairs: it escapes only BMP characters */
			FUZZ_ASSERT(u < 0xd800 || u > 0xdfff);
			fuzz_put_utf8(&back, u);
			i += 6;
			continue;
		default: FUZZ_ASSERT(!"invalid JSON escape");
		}
		i += 2;
	}

	for (i = 0; i < size; i += n) {
		n = fuzz_utf8(data + i, size - i, &cp);
		if (n == 0) {
			fuzz_put_utf8(&want, 0xfffd);
			n = 1;
		} else
			strbuf_add(&want, data + i, n);
	}
	FUZZ_ASSERT(back.len == want.len &&
	            (want.len == 0 || memcmp(back.buf, want.buf, want.len) == 0));
	strbuf_fini(&out);
	strbuf_fini(&back);
	strbuf_fini(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text(data, size);
	fuzz_json(data, size);
	return 0;
}
