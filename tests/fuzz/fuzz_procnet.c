/* fuzz_procnet.c — the /proc/net/{tcp,udp}[6] table parser on arbitrary text. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "porttop/model.h"
#include "porttop/procnet.h"
#include "porttop/sockdiag.h"

/*
 * Input: one control byte, then the table's text. Control bit 0 picks the protocol, bit 1 the
 * family, bits 2-4 the SOCKDIAG_* selection. Properties: it returns 0; there are no more
 * sockets plus bad lines than lines; every socket is one the selection asks for, marked as
 * read from /proc/net, with nothing claimed that the table cannot tell.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	struct pt_sockvec out;
	unsigned proto, family, what, bad = ~0u;
	size_t i, lines, len;

	if (size < 1)
		return 0;
	proto = data[0] & 1 ? PT_PROTO_UDP : PT_PROTO_TCP;
	family = data[0] & 2 ? PT_FAMILY_IPV6 : PT_FAMILY_IPV4;
	what = (data[0] >> 2) & SOCKDIAG_ALL;
	len = size - 1;
	for (lines = 1, i = 0; i < len; i++)
		lines += text[i] == '\n';

	sockvec_init(&out);
	FUZZ_ASSERT(procnet_parse(text, len, proto, family, what, &out, &bad) == 0);
	FUZZ_ASSERT(bad != ~0u);
	FUZZ_ASSERT(out.len + bad <= lines);
	for (i = 0; i < out.len; i++) {
		const struct pt_sock *s = &out.v[i];

		FUZZ_ASSERT(s->proto == proto && s->family == family);
		FUZZ_ASSERT(s->state > 0 && s->state < PT_STATE_MAX);
		FUZZ_ASSERT(s->state != PT_STATE_NEW_SYN_RECV);
		FUZZ_ASSERT(sockdiag_selects(what, proto, s->state));
		FUZZ_ASSERT(s->flags == PT_SOCK_PROCNET);
		if (family == PT_FAMILY_IPV4) {
			static const uint8_t zero[12];

			FUZZ_ASSERT(memcmp(s->laddr + 4, zero, 12) == 0);
			FUZZ_ASSERT(memcmp(s->paddr + 4, zero, 12) == 0);
		}
	}
	sockvec_fini(&out);
	return 0;
}
