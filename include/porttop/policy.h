/* policy.h — where a listener can be reached from: its bind scope. Pure, table-driven. */
#ifndef PORTTOP_POLICY_H
#define PORTTOP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pt_sock;
struct pt_key;

enum pt_scope {
	PT_SCOPE_LOOPBACK, /* 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104 */
	PT_SCOPE_ALL,      /* 0.0.0.0 or :: (see dual_stack) */
	PT_SCOPE_ADDRESS,  /* one specific, non-loopback address */
	PT_SCOPE_DEVICE,   /* bound to a device with SO_BINDTODEVICE */
	PT_SCOPE_COUNT
};

struct pt_class {
	enum pt_scope scope;
	bool dual_stack; /* an IPv6 wildcard socket that also accepts IPv4 (v6only off) */
	bool link_local; /* the one address is 169.254/16 or fe80::/10 */
	bool reachable;  /* anything but loopback: another machine may connect */
};

/*
 * Classify the bind address of one socket. Any thread.
 *
 * An IPv4-mapped address counts as the IPv4 address it carries: ::ffff:127.0.0.1 is loopback,
 * ::ffff:0.0.0.0 is the IPv4 wildcard (never dual-stack), ::ffff:192.0.2.1 is that one address.
 * A socket bound to a device (s->ifindex != 0) is PT_SCOPE_DEVICE and reachable, unless its
 * address is loopback (then it is PT_SCOPE_LOOPBACK). When v6only was not reported (no
 * PT_SOCK_V6ONLY_KNOWN, as with the /proc/net fallback), an IPv6 wildcard counts as dual-stack:
 * that is what the kernel does by default (net.ipv6.bindv6only=0), and claiming more exposure
 * than there is is the safe mistake.
 */
void policy_classify(const struct pt_sock *s, struct pt_class *out);
/* "loopback", "all", "address", "device"; "?" for a value out of range. */
const char *policy_scope_name(enum pt_scope scope);

#define PT_IFNAMSIZ 16 /* IFNAMSIZ: an interface name with its NUL */

/*
 * One address of a local network interface, as sys/netif reads them (getifaddrs). Core
 * only needs the plain values, so the "where is it reachable" logic is testable.
 */
struct pt_ifaddr {
	char name[PT_IFNAMSIZ]; /* "eth0", or an IPv4 label such as "eth0:1" */
	uint32_t ifindex;
	uint8_t family;   /* enum pt_family */
	uint8_t addr[16]; /* as in pt_sock: IPv4 in the first four bytes */
	bool loopback_if; /* the interface is a loopback device (IFF_LOOPBACK) */
};

/*
 * Whether a listener bound as key, classified as cls and bound to device ifindex (0 for
 * none) answers connections from other machines arriving for interface address ifa.
 * Loopback addresses (127/8, ::1) never count: no other machine can reach them. Other
 * addresses on the loopback device do count for an unbound socket (Linux accepts a packet for
 * any local address on any interface), but a socket bound to the loopback device answers
 * nothing from outside. Any thread.
 */
bool policy_answers_on(const struct pt_key *key, const struct pt_class *cls, uint32_t ifindex,
	const struct pt_ifaddr *ifa);

/*
 * The interface addresses, out of ifs[0..nifs), that such a listener answers on (see
 * policy_answers_on): their indices in ifs, in order, are written to idx, which has room for
 * nifs entries (may be NULL to only count). Returns how many. An IPv4 wildcard answers on every
 * IPv4 address; a dual-stack :: on every address; a v6only :: on every IPv6 address; a specific
 * address on itself; a device-bound socket only on that device's addresses. Allocates nothing.
 * Any thread.
 */
size_t policy_reach(const struct pt_key *key, const struct pt_class *cls, uint32_t ifindex,
	const struct pt_ifaddr *ifs, size_t nifs, size_t *idx);

#endif
