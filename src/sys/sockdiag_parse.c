/* sockdiag_parse.c — the pure sock_diag reply parser: netlink bytes in, struct pt_sock out. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "porttop/model.h"
#include "porttop/sockdiag.h"

/*
 * Every length in the buffer is untrusted, and the buffer need not be aligned (tests and
 * fuzzers hand in byte arrays), so headers are copied out with memcpy rather than cast:
 * compilers turn these small fixed-size copies into plain loads.
 */

/* Map the kernel's state number onto enum pt_state. */
static uint8_t
sockdiag_state(uint8_t k)
{
	/* Request sockets (half-open connections) are SYN_RECV to everyone but the kernel. */
	if (k == PT_STATE_NEW_SYN_RECV)
		return PT_STATE_SYN_RECV;
	/* A state a newer kernel invented: keep the socket, call its state unknown. */
	if (k >= PT_STATE_MAX)
		return 0;
	return k;
}

/*
 * Read the attributes after an inet_diag_msg into s. Unknown attributes are skipped; a
 * length that lies (shorter than a header, longer than what is left, a known attribute
 * with too short a payload) or trailing bytes too short for a header are -EPROTO.
 */
static int
sockdiag_parse_attrs(const uint8_t *p, size_t len, struct pt_sock *s)
{
	struct nlattr nla;
	size_t alen, plen, step;
	uint8_t v6only;

	while (len > 0) {
		if (len < sizeof nla)
			return -EPROTO;
		memcpy(&nla, p, sizeof nla);
		alen = nla.nla_len;
		if (alen < NLA_HDRLEN || alen > len)
			return -EPROTO;
		plen = alen - NLA_HDRLEN;
		switch (nla.nla_type & NLA_TYPE_MASK) {
		case INET_DIAG_SKV6ONLY:
			if (plen < sizeof v6only)
				return -EPROTO;
			/* Only meaningful for IPv6 sockets; the kernel sends it for no other. */
			if (s->family == PT_FAMILY_IPV6) {
				memcpy(&v6only, p + NLA_HDRLEN, sizeof v6only);
				s->v6only = v6only != 0;
				s->flags |= PT_SOCK_V6ONLY_KNOWN;
			}
			break;
#if HAVE_DECL_INET_DIAG_CGROUP_ID
		case INET_DIAG_CGROUP_ID:
			if (plen < sizeof s->cgroup_id)
				return -EPROTO;
			memcpy(&s->cgroup_id, p + NLA_HDRLEN, sizeof s->cgroup_id);
			s->flags |= PT_SOCK_CGROUP_KNOWN;
			break;
#endif
		default: break;
		}
		/* The last attribute may lack its padding. */
		step = NLA_ALIGN(alen);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

/* One inet_diag_msg with its attributes, appended to out; -EPROTO leaves out unchanged. */
static int
sockdiag_parse_sock(const uint8_t *p, size_t len, unsigned proto, struct pt_sockvec *out)
{
	struct inet_diag_msg m;
	struct pt_sock *s;
	int err;

	if (len < sizeof m)
		return -EPROTO;
	memcpy(&m, p, sizeof m);
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return 0; /* not ours to show; a newer kernel may add families */

	s = sockvec_push(out);
	s->proto = (uint8_t)proto;
	s->state = sockdiag_state(m.idiag_state);
	s->lport = ntohs(m.id.idiag_sport);
	s->pport = ntohs(m.id.idiag_dport);
	if (m.idiag_family == AF_INET) {
		s->family = PT_FAMILY_IPV4;
		memcpy(s->laddr, m.id.idiag_src, 4);
		memcpy(s->paddr, m.id.idiag_dst, 4);
	} else {
		s->family = PT_FAMILY_IPV6;
		memcpy(s->laddr, m.id.idiag_src, 16);
		memcpy(s->paddr, m.id.idiag_dst, 16);
	}
	s->inode = m.idiag_inode;
	s->uid = m.idiag_uid;
	s->rqueue = m.idiag_rqueue;
	s->wqueue = m.idiag_wqueue;
	s->ifindex = m.id.idiag_if;
	s->cookie = (uint64_t)m.id.idiag_cookie[0] | (uint64_t)m.id.idiag_cookie[1] << 32;
	/* For a TCP listener the kernel reports the backlog (sk_max_ack_backlog) as wqueue. */
	if (proto == PT_PROTO_TCP && s->state == PT_STATE_LISTEN)
		s->flags |= PT_SOCK_BACKLOG_KNOWN;

	err = sockdiag_parse_attrs(p + sizeof m, len - sizeof m, s);
	if (err != 0)
		out->len--;
	return err;
}

/* The int an NLMSG_ERROR or NLMSG_DONE carries: 0, or a -errno the kernel may send. */
static int
sockdiag_parse_errno(const uint8_t *payload, size_t plen, bool required)
{
	int32_t e;

	if (plen < sizeof e)
		return required ? -EPROTO : 0;
	memcpy(&e, payload, sizeof e);
	if (e > 0 || e < -4095)
		return -EPROTO;
	return e;
}

/* One message of ours: 1 for the end of the reply, 0 to go on, or -errno. */
static int
sockdiag_parse_msg(const struct nlmsghdr *h, const uint8_t *payload, unsigned proto,
	struct pt_sockvec *out, bool *intr)
{
	size_t plen = h->nlmsg_len - NLMSG_HDRLEN;
	int err;

	if ((h->nlmsg_flags & NLM_F_DUMP_INTR) && intr != NULL)
		*intr = true;
	switch (h->nlmsg_type) {
	case NLMSG_DONE:
		/* A dump that failed half way ends with its error here. */
		err = sockdiag_parse_errno(payload, plen, false);
		return err < 0 ? err : 1;
	case NLMSG_ERROR:
		/* 0 is an acknowledgement: the request is complete. */
		err = sockdiag_parse_errno(payload, plen, true);
		return err < 0 ? err : 1;
	case SOCK_DIAG_BY_FAMILY:
	case TCPDIAG_GETSOCK: return sockdiag_parse_sock(payload, plen, proto, out);
	default: return 0;
	}
}

/*
 * Replies whose sequence number is not seq belong to an earlier request this socket
 * abandoned (for example after an error): they are skipped, not treated as an error, so a
 * stale tail can never end or fail the current dump. Messages from another port id are
 * skipped likewise. Besides SOCK_DIAG_BY_FAMILY, TCPDIAG_GETSOCK carries sockets: it is
 * the reply type of the one-pass, both-families TCP request sockdiag_dump prefers. Other
 * message types (NLMSG_NOOP, anything new) are skipped.
 */
int
sockdiag_parse(const void *buf, size_t len, uint32_t seq, uint32_t portid, unsigned proto,
	struct pt_sockvec *out, bool *intr)
{
	const uint8_t *p = buf;
	struct nlmsghdr h;
	size_t step;
	int r;

	while (len > 0) {
		if (len < sizeof h)
			return -EPROTO;
		memcpy(&h, p, sizeof h);
		if (h.nlmsg_len < sizeof h || h.nlmsg_len > len)
			return -EPROTO;
		if (h.nlmsg_seq == seq && (portid == 0 || h.nlmsg_pid == portid)) {
			if ((r = sockdiag_parse_msg(&h, p + NLMSG_HDRLEN, proto, out, intr)) != 0)
				return r;
		}
		/* The last message of a datagram may lack its padding. */
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}
