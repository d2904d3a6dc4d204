/* fuzz_settings.c — the screen's settings file parser and the text it saves. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "porttop/settings.h"
#include "porttop/strbuf.h"

/*
 * Properties: messages hold no control byte but the newline ending each, one per bad line;
 * whatever the file did, the settings stay in range; and what settings_format writes parses
 * back, without a bad line, to equal settings (what porttop saves, it reads back the same).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s, back;
	struct strbuf errors = STRBUF_INIT, text = STRBUF_INIT, e2 = STRBUF_INIT;
	size_t i, lines = 0;
	int bad;

	settings_init(&s);
	bad = settings_parse(&s, (const char *)data, size, "fuzz", &errors);
	FUZZ_ASSERT(bad >= 0);
	for (i = 0; i < errors.len; i++) {
		FUZZ_ASSERT((unsigned char)errors.buf[i] >= 0x20 || errors.buf[i] == '\n');
		lines += errors.buf[i] == '\n';
	}
	FUZZ_ASSERT(lines == (size_t)bad);
	FUZZ_ASSERT(s.interval_tenths >= SETTINGS_INTERVAL_MIN &&
	            s.interval_tenths <= SETTINGS_INTERVAL_MAX);
	FUZZ_ASSERT(s.filter != NULL && s.scheme != NULL);
	FUZZ_ASSERT(s.proto >= -1 && s.proto < PT_PROTO_COUNT);
	FUZZ_ASSERT((unsigned)s.sort_col < COL_COUNT);

	settings_format(&s, &text);
	settings_init(&back);
	FUZZ_ASSERT(settings_parse(&back, text.buf, text.len, "saved", &e2) == 0);
	FUZZ_ASSERT(settings_equal(&s, &back));
	settings_fini(&back);
	settings_fini(&s);
	strbuf_fini(&errors);
	strbuf_fini(&text);
	strbuf_fini(&e2);
	return 0;
}
