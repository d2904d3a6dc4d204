/* policy.h — where a listener can be reached from: its bind scope. Pure, table-driven. */
#ifndef PORTTOP_POLICY_H
#define PORTTOP_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct pt_sock;

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

/* Classify the bind address of one socket. Any thread. */
void policy_classify(const struct pt_sock *s, struct pt_class *out);
/* "loopback", "all", "address", "device" */
const char *policy_scope_name(enum pt_scope scope);

#endif
