/* procnet.c — the fallback socket reader: /proc/net/{tcp,tcp6,udp,udp6}. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "porttop/fileio.h"
#include "porttop/model.h"
#include "porttop/procnet.h"
#include "porttop/sockdiag.h"
#include "porttop/strbuf.h"

/* /proc/net/tcp holds ~150 bytes a socket: this is room for over a million. */
#define PROCNET_MAX_BYTES (256u * 1024 * 1024)

static const struct {
	const char *path; /* under the proc root */
	uint8_t proto;    /* enum pt_proto */
	uint8_t family;   /* enum pt_family */
	unsigned what;    /* the SOCKDIAG_* bits that need this table */
} procnet_tables[] = {
	{ "net/tcp", PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_TCP_LISTEN | SOCKDIAG_TCP_CONNS },
	{ "net/tcp6", PT_PROTO_TCP, PT_FAMILY_IPV6, SOCKDIAG_TCP_LISTEN | SOCKDIAG_TCP_CONNS },
	{ "net/udp", PT_PROTO_UDP, PT_FAMILY_IPV4, SOCKDIAG_UDP },
	{ "net/udp6", PT_PROTO_UDP, PT_FAMILY_IPV6, SOCKDIAG_UDP },
};

/* A cursor over one line; every reader stops at end and never reads past it. */
struct procnet_line {
	const char *p;
	const char *end;
};

static void
procnet_skip_space(struct procnet_line *l)
{
	while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
		l->p++;
}

static bool
procnet_char(struct procnet_line *l, char c)
{
	if (l->p >= l->end || *l->p != c)
		return false;
	l->p++;
	return true;
}

static int
procnet_xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Between min and max hex digits (max <= 8) as one number. */
static bool
procnet_hex(struct procnet_line *l, unsigned min, unsigned max, uint32_t *v)
{
	unsigned n = 0;
	int d;

	*v = 0;
	while (l->p < l->end && (d = procnet_xdigit(*l->p)) >= 0) {
		if (++n > max)
			return false;
		*v = *v << 4 | (uint32_t)d;
		l->p++;
	}
	return n >= min;
}

/* A decimal number that fits 32 bits, after optional blanks. */
static bool
procnet_dec(struct procnet_line *l, uint32_t *v)
{
	uint64_t x = 0;
	unsigned n = 0;

	procnet_skip_space(l);
	while (l->p < l->end && *l->p >= '0' && *l->p <= '9') {
		x = x * 10 + (uint64_t)(*l->p - '0');
		if (x > UINT32_MAX)
			return false;
		l->p++;
		n++;
	}
	*v = (uint32_t)x;
	return n > 0;
}

/* A field this reader does not use; it must be there. */
static bool
procnet_skip_field(struct procnet_line *l)
{
	const char *start;

	procnet_skip_space(l);
	start = l->p;
	while (l->p < l->end && *l->p != ' ' && *l->p != '\t')
		l->p++;
	return l->p > start;
}

/* Exactly eight hex digits, the width the kernel prints each address word with. */
static bool
procnet_word(struct procnet_line *l, uint32_t *v)
{
	unsigned i;
	int d;

	if (l->end - l->p < 8)
		return false;
	*v = 0;
	for (i = 0; i < 8; i++) {
		if ((d = procnet_xdigit(l->p[i])) < 0)
			return false;
		*v = *v << 4 | (uint32_t)d;
	}
	l->p += 8;
	return true;
}

/*
 * "0100007F:0277": the kernel prints each 32-bit word of the address as it lies in memory
 * (network order) read as a host-order integer, so storing the parsed word back in host
 * order restores the network-order bytes. An IPv6 address is four such words run together.
 */
static bool
procnet_endpoint(struct procnet_line *l, unsigned family, uint8_t addr[16], uint16_t *port)
{
	unsigned words = family == PT_FAMILY_IPV4 ? 1 : 4, i;
	uint32_t w, p;

	procnet_skip_space(l);
	for (i = 0; i < words; i++) {
		if (!procnet_word(l, &w))
			return false;
		memcpy(addr + 4 * i, &w, sizeof w);
	}
	if (!procnet_char(l, ':') || !procnet_hex(l, 1, 4, &p))
		return false;
	*port = (uint16_t)p;
	return true;
}

/* One table line into s (proto and family already set); false when it is malformed. */
static bool
procnet_parse_line(struct procnet_line *l, struct pt_sock *s)
{
	uint32_t v, tx, rx;

	/* "  12: " — the slot number. */
	if (!procnet_dec(l, &v) || !procnet_char(l, ':'))
		return false;
	if (!procnet_endpoint(l, s->family, s->laddr, &s->lport) ||
		!procnet_endpoint(l, s->family, s->paddr, &s->pport))
		return false;
	procnet_skip_space(l);
	if (!procnet_hex(l, 1, 2, &v))
		return false;
	s->state = (uint8_t)(v == PT_STATE_NEW_SYN_RECV ? PT_STATE_SYN_RECV : v);
	if (v == 0 || v >= PT_STATE_MAX)
		return false;
	procnet_skip_space(l);
	if (!procnet_hex(l, 1, 8, &tx) || !procnet_char(l, ':') || !procnet_hex(l, 1, 8, &rx))
		return false;
	/* tr:tm->when, retrnsmt */
	if (!procnet_skip_field(l) || !procnet_skip_field(l))
		return false;
	if (!procnet_dec(l, &s->uid))
		return false;
	/* timeout */
	if (!procnet_skip_field(l))
		return false;
	if (!procnet_dec(l, &s->inode))
		return false;
	if (l->p < l->end && *l->p != ' ' && *l->p != '\t')
		return false; /* "123x" is no inode */

	/* For a listener rx_queue is the accept queue; the backlog is not in this table. */
	s->rqueue = rx;
	s->wqueue = s->state == PT_STATE_LISTEN && s->proto == PT_PROTO_TCP ? 0 : tx;
	s->flags = PT_SOCK_PROCNET;
	return true;
}

/* Whether the line is the column heading ("  sl  local_address ..."). */
static bool
procnet_is_heading(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return end - p >= 2 && p[0] == 's' && p[1] == 'l';
}

int
procnet_parse(const char *text, size_t len, unsigned proto, unsigned family, unsigned what,
	struct pt_sockvec *out, unsigned *bad)
{
	const char *p = text, *end = text + len, *eol;
	struct procnet_line l;
	struct pt_sock *s;
	unsigned nbad = 0;

	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		l.p = p;
		l.end = eol;
		procnet_skip_space(&l);
		if (l.p == l.end || procnet_is_heading(p, eol))
			continue;

		s = sockvec_push(out);
		s->proto = (uint8_t)proto;
		s->family = (uint8_t)family;
		if (!procnet_parse_line(&l, s)) {
			out->len--;
			nbad++;
			continue;
		}
		if (!sockdiag_selects(what, proto, s->state))
			out->len--;
	}
	if (bad != NULL)
		*bad = nbad;
	return 0;
}

int
procnet_dump(const char *proc_root, unsigned what, struct pt_sockvec *out)
{
	struct strbuf sb = STRBUF_INIT;
	char path[4096];
	size_t i;
	int n, err = 0;

	for (i = 0; i < sizeof procnet_tables / sizeof procnet_tables[0]; i++) {
		if (!(what & procnet_tables[i].what))
			continue;
		n = snprintf(path, sizeof path, "%s/%s", proc_root, procnet_tables[i].path);
		if (n < 0 || (size_t)n >= sizeof path) {
			err = -ENAMETOOLONG;
			goto out;
		}
		err = fileio_read_all(path, PROCNET_MAX_BYTES, &sb);
		if (err == -ENOENT) {
			err = 0; /* no IPv6, or no such protocol in this kernel */
			continue;
		}
		if (err != 0)
			goto out;
		procnet_parse(sb.buf, sb.len, procnet_tables[i].proto, procnet_tables[i].family,
			what, out, NULL);
	}
out:
	strbuf_fini(&sb);
	return err;
}
