/* addr.c — socket addresses as text, and what kind of address one is. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/model.h"

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void
addr_format(unsigned family, const uint8_t addr[16], char *buf, size_t size)
{
	int af = family == PT_FAMILY_IPV4 ? AF_INET : AF_INET6;

	if (size == 0)
		return;
	if (inet_ntop(af, addr, buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
}

void
addr_format_bind(unsigned family, const uint8_t addr[16], bool dual_stack, char *buf, size_t size)
{
	char a[ADDR_STRLEN];

	addr_format(family, addr, a, sizeof a);
	if (family == PT_FAMILY_IPV4)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "[%s]%s", a, dual_stack && addr_is_any(family, addr) ? "+v4" : "");
}

int
addr_parse(const char *s, unsigned *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = PT_FAMILY_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*family = PT_FAMILY_IPV6;
		return 0;
	}
	return -EINVAL;
}

bool
addr_is_v4mapped(unsigned family, const uint8_t addr[16])
{
	return family == PT_FAMILY_IPV6 && memcmp(addr, v4mapped_prefix, 12) == 0;
}

bool
addr_is_any(unsigned family, const uint8_t addr[16])
{
	static const uint8_t zero[16];

	return memcmp(addr, zero, family == PT_FAMILY_IPV4 ? 4 : 16) == 0;
}

bool
addr_is_loopback(unsigned family, const uint8_t addr[16])
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (family == PT_FAMILY_IPV4)
		return addr[0] == 127;
	if (addr_is_v4mapped(family, addr))
		return addr[12] == 127;
	return memcmp(addr, v6lo, 16) == 0;
}

bool
addr_is_link_local(unsigned family, const uint8_t addr[16])
{
	if (family == PT_FAMILY_IPV4)
		return addr[0] == 169 && addr[1] == 254;
	if (addr_is_v4mapped(family, addr))
		return addr[12] == 169 && addr[13] == 254;
	return addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80;
}
