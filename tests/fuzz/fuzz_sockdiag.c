/* fuzz_sockdiag.c — the sock_diag reply parser on arbitrary netlink bytes. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "porttop/model.h"
#include "porttop/sockdiag.h"

/* The request the corpus replies answer: tests/fuzz/corpus/sockdiag was recorded with these. */
#define FUZZ_SEQ 1u
#define FUZZ_PORTID 4242u

/*
 * Input: one control byte, then the buffer as received. Control bit 0 picks the protocol,
 * bit 1 whether the port id is checked. Properties: the result is 1, 0 or a -errno; every
 * socket parsed is well-formed (family, state, protocol, IPv4 addresses zero-padded).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_sockvec out;
	unsigned proto;
	uint32_t portid;
	bool intr = false;
	size_t i;
	int r;

	if (size < 1)
		return 0;
	proto = data[0] & 1 ? PT_PROTO_UDP : PT_PROTO_TCP;
	portid = data[0] & 2 ? FUZZ_PORTID : 0;
	sockvec_init(&out);
	r = sockdiag_parse(data + 1, size - 1, FUZZ_SEQ, portid, proto, &out, &intr);
	FUZZ_ASSERT(r == 0 || r == 1 || (r < 0 && r >= -4095));
	/* A message is at least a header and an inet_diag_msg: no more sockets than that allows. */
	FUZZ_ASSERT(out.len <= (size - 1) / 88);
	for (i = 0; i < out.len; i++) {
		const struct pt_sock *s = &out.v[i];

		FUZZ_ASSERT(s->proto == proto);
		FUZZ_ASSERT(s->family == PT_FAMILY_IPV4 || s->family == PT_FAMILY_IPV6);
		FUZZ_ASSERT(s->state < PT_STATE_MAX && s->state != PT_STATE_NEW_SYN_RECV);
		if (s->family == PT_FAMILY_IPV4) {
			static const uint8_t zero[12];

			FUZZ_ASSERT(memcmp(s->laddr + 4, zero, 12) == 0);
			FUZZ_ASSERT(memcmp(s->paddr + 4, zero, 12) == 0);
			FUZZ_ASSERT(!(s->flags & PT_SOCK_V6ONLY_KNOWN) && s->v6only == 0);
		} else
			FUZZ_ASSERT(!(s->flags & PT_SOCK_V6ONLY_KNOWN) || s->v6only <= 1);
		FUZZ_ASSERT(!(s->flags & PT_SOCK_PROCNET));
	}
	sockvec_fini(&out);
	return 0;
}
