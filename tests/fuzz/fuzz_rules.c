/* fuzz_rules.c — the expected-service rules parser, its canonical form and rules_format_for. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "porttop/model.h"
#include "porttop/rules.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"

/* Canonical rule text: printable ASCII only. */
static bool
fuzz_printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/*
 * The canonical text of every rule parses back, alone and without error, to the same text;
 * error messages hold no byte of the input unescaped (valid UTF-8 without controls but the
 * newline that ends each message) and there is one line per bad line, up to the limit.
 */
static void
fuzz_parse(const uint8_t *data, size_t size)
{
	struct pt_rules *rules = rules_new(), *again;
	struct strbuf errors = STRBUF_INIT, e2 = STRBUF_INIT;
	const char *t;
	size_t i, n, lines = 0;
	int bad;

	bad = rules_parse(rules, (const char *)data, size, "fuzz", &errors);
	FUZZ_ASSERT(bad >= 0);
	FUZZ_ASSERT(fuzz_safe_text(strbuf_str(&errors), errors.len, true));
	FUZZ_ASSERT(errors.len == 0 || errors.buf[errors.len - 1] == '\n');
	for (i = 0; i < errors.len; i++)
		lines += errors.buf[i] == '\n';
	FUZZ_ASSERT(lines == (size_t)(bad > RULES_ERRORS_MAX ? RULES_ERRORS_MAX + 1 : bad));
	n = rules_count(rules);
	for (i = 0; i < n; i++) {
		t = rules_text(rules, i);
		FUZZ_ASSERT(t != NULL && rules_origin(rules, i) != NULL);
		FUZZ_ASSERT(fuzz_printable(t, strlen(t)));
		again = rules_new();
		strbuf_reset(&e2);
		FUZZ_ASSERT(rules_parse(again, t, strlen(t), "canonical", &e2) == 0);
		FUZZ_ASSERT(rules_count(again) == 1);
		FUZZ_ASSERT(strcmp(rules_text(again, 0), t) == 0);
		rules_free(again);
	}
	FUZZ_ASSERT(rules_text(rules, n) == NULL);
	rules_free(rules);
	strbuf_fini(&errors);
	strbuf_fini(&e2);
}

/*
 * A listener and an owner made from the input: the rule rules_format_for writes for them parses
 * without error into one rule that expects that listener with that owner.
 */
static void
fuzz_format_for(const uint8_t *data, size_t size)
{
	struct pt_listener l;
	struct pt_proc proc, *procs[1] = { &proc };
	struct pt_rules *rules;
	struct strbuf line = STRBUF_INIT, errors = STRBUF_INIT;
	char comm[16];
	size_t n;

	if (size < 20)
		return;
	memset(&l, 0, sizeof l);
	memset(&proc, 0, sizeof proc);
	l.key.proto = data[0] & 1 ? PT_PROTO_UDP : PT_PROTO_TCP;
	l.key.family = data[0] & 2 ? PT_FAMILY_IPV6 : PT_FAMILY_IPV4;
	l.key.port = (uint16_t)(data[1] << 8 | data[2]);
	if (l.key.port == 0)
		l.key.port = 1; /* a listener always has a port */
	memcpy(l.key.addr, data + 4, l.key.family == PT_FAMILY_IPV4 ? 4 : 16);
	l.uid = data[3];
	/* comm: up to 15 bytes of the rest, as the kernel keeps them (no NUL inside) */
	n = size - 20 < sizeof comm - 1 ? size - 20 : sizeof comm - 1;
	memcpy(comm, data + 20, n);
	comm[n] = '\0';
	proc.pid = 1;
	proc.comm = comm;
	proc.cmdline = comm;
	proc.uid = data[3];

	rules_format_for(&line, &l, &proc);
	FUZZ_ASSERT(fuzz_printable(strbuf_str(&line), line.len));
	rules = rules_new();
	FUZZ_ASSERT(rules_parse(rules, line.buf, line.len, "format_for", &errors) == 0);
	FUZZ_ASSERT(rules_count(rules) == 1);
	FUZZ_ASSERT(rules_expect(rules, &l, procs, 1));
	rules_free(rules);
	strbuf_fini(&line);
	strbuf_fini(&errors);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(data, size);
	fuzz_format_for(data, size);
	return 0;
}
