/* ports.c — port ranges: the kernel's ephemeral range, reserved ports, range classes. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/ports.h"

/* One decimal port at *p, advancing it; -1 when there is none or it exceeds 65535. */
static long
ports_number(const char **p)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return -1;
		s++;
	}
	*p = s;
	return v;
}

static const char *
ports_skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

int
ports_parse_range(const char *text, struct pt_port_range *out)
{
	const char *p = ports_skip_space(text);
	long lo, hi;

	if ((lo = ports_number(&p)) < 0)
		return -EINVAL;
	p = ports_skip_space(p);
	if ((hi = ports_number(&p)) < 0)
		return -EINVAL;
	if (*ports_skip_space(p) != '\0')
		return -EINVAL;
	out->lo = (uint16_t)lo;
	out->hi = (uint16_t)hi;
	return 0;
}

void
ports_set_clear(struct pt_port_set *set)
{
	memset(set->bits, 0, sizeof set->bits);
}

void
ports_set_add(struct pt_port_set *set, uint16_t lo, uint16_t hi)
{
	unsigned p;

	for (p = lo; p <= hi; p++)
		set->bits[p / 64] |= UINT64_C(1) << (p % 64);
}

bool
ports_set_has(const struct pt_port_set *set, uint16_t port)
{
	return (set->bits[port / 64] >> (port % 64)) & 1;
}

int
ports_parse_set(const char *text, struct pt_port_set *set)
{
	const char *p = ports_skip_space(text);
	long lo, hi;

	ports_set_clear(set);
	if (*p == '\0')
		return 0;
	for (;;) {
		if ((lo = ports_number(&p)) < 0)
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if ((hi = ports_number(&p)) < 0 || hi < lo)
				goto bad;
		}
		ports_set_add(set, (uint16_t)lo, (uint16_t)hi);
		if (*p != ',')
			break;
		p++;
	}
	if (*ports_skip_space(p) != '\0')
		goto bad;
	return 0;
bad:
	ports_set_clear(set);
	return -EINVAL;
}

bool
ports_in_range(const struct pt_port_range *r, uint16_t port)
{
	return r->lo <= r->hi && port >= r->lo && port <= r->hi;
}

unsigned
ports_range_size(const struct pt_port_range *r)
{
	return r->lo <= r->hi ? (unsigned)r->hi - r->lo + 1 : 0;
}

enum pt_port_class
ports_class(uint16_t port, const struct pt_port_range *eph, const struct pt_port_set *reserved)
{
	if (eph != NULL && ports_in_range(eph, port) &&
		(reserved == NULL || !ports_set_has(reserved, port)))
		return PT_PORT_EPHEMERAL;
	if (port < 1024)
		return PT_PORT_WELL_KNOWN;
	return PT_PORT_REGISTERED;
}

const char *
ports_class_name(enum pt_port_class c)
{
	static const char *const names[PT_PORT_CLASS_COUNT] = {
		[PT_PORT_WELL_KNOWN] = "well-known",
		[PT_PORT_REGISTERED] = "registered",
		[PT_PORT_EPHEMERAL] = "ephemeral",
	};

	return (unsigned)c < PT_PORT_CLASS_COUNT ? names[c] : "?";
}
