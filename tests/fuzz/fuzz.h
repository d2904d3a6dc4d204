/* fuzz.h — what the libFuzzer harnesses share: the entry point and a property check. */
#ifndef PORTTOP_TESTS_FUZZ_H
#define PORTTOP_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* libFuzzer calls this once per input; data is exactly size bytes (no terminating NUL). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A property every input must keep. A broken one aborts, so libFuzzer saves the input as a
 * crash like any memory error the sanitizers find.
 */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__,        \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * An independent strict UTF-8 decoder: the length of the character at s, or 0 when the bytes
 * are not one (overlong, surrogate, above U+10FFFF, cut short).
 */
static inline size_t
fuzz_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80)
		len = 1, c = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	        c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Whether the code point may reach a terminal raw: no C0, DEL, C1, or bidi/format character. */
static inline bool
fuzz_terminal_safe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return false;
	return !((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	         (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb));
}

/* Whether s[0..len) is valid UTF-8 of terminal-safe characters, newlines too when allowed. */
static inline bool
fuzz_safe_text(const char *s, size_t len, bool newlines)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, n;
	uint32_t cp;

	for (i = 0; i < len; i += n) {
		n = fuzz_utf8(u + i, len - i, &cp);
		if (n == 0 || !(fuzz_terminal_safe(cp) || (newlines && cp == '\n')))
			return false;
	}
	return true;
}

#endif
