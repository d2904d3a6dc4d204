/* addr.h — socket addresses as text, and what kind of address one is. */
#ifndef PORTTOP_ADDR_H
#define PORTTOP_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text addr_format writes, with the NUL: an IPv6 address. */
#define ADDR_STRLEN 46

/* Write the address (family enum pt_family, bytes as in pt_sock) as inet_ntop does. */
void addr_format(unsigned family, const uint8_t addr[16], char *buf, size_t size);
/* Longest text addr_format_bind writes, with the NUL. */
#define ADDR_BIND_STRLEN (ADDR_STRLEN + 8)

/*
 * A bind address for people: "127.0.0.1", "0.0.0.0", "[::1]", "[::]", and "[::]+v4" for an
 * IPv6 wildcard that also serves IPv4 (dual_stack).
 */
void addr_format_bind(unsigned family, const uint8_t addr[16], bool dual_stack, char *buf,
	size_t size);
/* Parse an IPv4 or IPv6 literal (no brackets). Returns 0 and fills *family, addr; -EINVAL. */
int addr_parse(const char *s, unsigned *family, uint8_t addr[16]);

bool addr_is_any(unsigned family, const uint8_t addr[16]);
/* 127.0.0.0/8, ::1, and IPv4-mapped loopback ::ffff:127.x.y.z */
bool addr_is_loopback(unsigned family, const uint8_t addr[16]);
/* 169.254.0.0/16, fe80::/10 */
bool addr_is_link_local(unsigned family, const uint8_t addr[16]);
/* ::ffff:a.b.c.d */
bool addr_is_v4mapped(unsigned family, const uint8_t addr[16]);

#endif
