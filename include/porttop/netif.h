/* netif.h — the machine's interface addresses, for "where is this listener reachable". */
#ifndef PORTTOP_NETIF_H
#define PORTTOP_NETIF_H

#include <stddef.h>

#include "porttop/policy.h"

/*
 * The IPv4 and IPv6 addresses of every interface that is up (getifaddrs), loopback ones
 * included (policy_reach leaves them out), sorted by interface index, family, address. On
 * success *out is a new array the caller frees with free() (NULL when *n is 0) and 0 is
 * returned; -errno when the addresses cannot be read (*out NULL, *n 0). The element type is
 * core's struct pt_ifaddr so that the matching (policy_reach) stays pure and testable.
 * Any thread; it opens and closes a netlink socket of its own (inside getifaddrs).
 */
int netif_list(struct pt_ifaddr **out, size_t *n);

#endif
