/* ports.h — port ranges: the kernel's ephemeral range, reserved ports, range classes. */
#ifndef PORTTOP_PORTS_H
#define PORTTOP_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pt_port_range {
	uint16_t lo;
	uint16_t hi; /* inclusive; hi < lo means empty */
};

/* A set of ports, as a bitmap: cheap to copy into a snapshot. */
struct pt_port_set {
	uint64_t bits[65536 / 64];
};

/* Where a port lies, in sort order: the "r" sort groups rows by this. */
enum pt_port_class {
	PT_PORT_WELL_KNOWN, /* 0-1023 */
	PT_PORT_REGISTERED, /* 1024 up to the ephemeral range, and above it */
	PT_PORT_EPHEMERAL,  /* inside the kernel's ip_local_port_range */
	PT_PORT_CLASS_COUNT
};

/* "32768\t60999\n" as /proc/sys/net/ipv4/ip_local_port_range reads. 0 or -EINVAL. */
int ports_parse_range(const char *text, struct pt_port_range *out);
/* "8000-8010,9000" as ip_local_reserved_ports reads ("" is empty). 0 or -EINVAL; *set cleared first. */
int ports_parse_set(const char *text, struct pt_port_set *set);

void ports_set_clear(struct pt_port_set *set);
void ports_set_add(struct pt_port_set *set, uint16_t lo, uint16_t hi);
bool ports_set_has(const struct pt_port_set *set, uint16_t port);

bool ports_in_range(const struct pt_port_range *r, uint16_t port);
unsigned ports_range_size(const struct pt_port_range *r);
/* Class of port given the ephemeral range; reserved ports are never ephemeral. */
enum pt_port_class ports_class(uint16_t port, const struct pt_port_range *eph,
	const struct pt_port_set *reserved);
const char *ports_class_name(enum pt_port_class c); /* "well-known", "registered", "ephemeral" */

#endif
