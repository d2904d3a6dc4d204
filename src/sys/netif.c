/* netif.c — the machine's interface addresses, read with getifaddrs. */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "porttop/model.h"
#include "porttop/netif.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

/*
 * The index of interface name (an IPv4 label such as "eth0:1" names its device before the
 * colon). getifaddrs lists each device once as AF_PACKET with its index, so the list it
 * returned answers without another system call; if_nametoindex is the fallback.
 */
static unsigned
netif_index(const struct ifaddrs *all, const char *name)
{
	const struct ifaddrs *ifa;
	char dev[PT_IFNAMSIZ];
	size_t len;

	len = strcspn(name, ":");
	if (len >= sizeof dev)
		return 0;
	memcpy(dev, name, len);
	dev[len] = '\0';
	for (ifa = all; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_PACKET &&
			strcmp(ifa->ifa_name, dev) == 0)
			return (unsigned)((const struct sockaddr_ll *)(const void *)ifa->ifa_addr)
				->sll_ifindex;
	}
	return if_nametoindex(dev);
}

/* Fill one entry from ifa; false when ifa is not an IPv4 or IPv6 address. */
static bool
netif_fill(const struct ifaddrs *all, const struct ifaddrs *ifa, struct pt_ifaddr *e)
{
	const struct sockaddr *sa = ifa->ifa_addr;
	int len;

	if (sa == NULL || !(ifa->ifa_flags & IFF_UP))
		return false;
	memset(e, 0, sizeof *e);
	if (sa->sa_family == AF_INET) {
		e->family = PT_FAMILY_IPV4;
		memcpy(e->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		e->family = PT_FAMILY_IPV6;
		memcpy(e->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	} else
		return false;
	len = snprintf(e->name, sizeof e->name, "%s", ifa->ifa_name);
	if (len < 0 || (size_t)len >= sizeof e->name)
		return false; /* the kernel allows no longer name: not an interface we understand */
	e->ifindex = netif_index(all, ifa->ifa_name);
	e->loopback_if = (ifa->ifa_flags & IFF_LOOPBACK) != 0;
	return true;
}

static int
netif_cmp(const void *pa, const void *pb)
{
	const struct pt_ifaddr *a = pa, *b = pb;

	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof a->addr);
}

int
netif_list(struct pt_ifaddr **out, size_t *n)
{
	struct ifaddrs *all = NULL, *ifa;
	struct pt_ifaddr *v = NULL;
	size_t len = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (getifaddrs(&all) != 0)
		return errno != 0 ? -errno : -EIO;
	for (ifa = all; ifa != NULL; ifa = ifa->ifa_next) {
		XGROW(v, cap, len + 1);
		if (netif_fill(all, ifa, &v[len]))
			len++;
	}
	freeifaddrs(all);
	if (len == 0) {
		free(v);
		return 0;
	}
	xsort(v, len, sizeof *v, netif_cmp);
	*out = v;
	*n = len;
	return 0;
}
