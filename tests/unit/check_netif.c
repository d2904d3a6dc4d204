/* check_netif.c — the interface address list read with getifaddrs. */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "porttop/addr.h"
#include "porttop/model.h"
#include "porttop/netif.h"
#include "unit.h"

/* Whether interface name is up, asked the kernel without getifaddrs. */
static bool
if_up(const char *name)
{
	struct ifreq ifr;
	int fd, ok;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, name, strlen(name) + 1);
	ok = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
	close(fd);
	return ok;
}

START_TEST(test_every_entry_is_an_up_interface_with_its_index)
{
	struct pt_ifaddr *v = NULL;
	char dev[PT_IFNAMSIZ];
	size_t n = 0, i;

	ck_assert_int_eq(netif_list(&v, &n), 0);
	ck_assert((n == 0) == (v == NULL));
	for (i = 0; i < n; i++) {
		ck_assert_uint_lt(strnlen(v[i].name, sizeof v[i].name), sizeof v[i].name);
		ck_assert(v[i].family == PT_FAMILY_IPV4 || v[i].family == PT_FAMILY_IPV6);
		memcpy(dev, v[i].name, sizeof dev);
		dev[strcspn(dev, ":")] = '\0'; /* an IPv4 label names its device */
		ck_assert_uint_eq(v[i].ifindex, if_nametoindex(dev));
		ck_assert_msg(if_up(dev), "%s is listed but not up", v[i].name);
		if (v[i].family == PT_FAMILY_IPV4)
			ck_assert_mem_eq(v[i].addr + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
		if (i > 0) /* sorted by index, then family */
			ck_assert(v[i - 1].ifindex < v[i].ifindex ||
				(v[i - 1].ifindex == v[i].ifindex &&
					v[i - 1].family <= v[i].family));
	}
	free(v);
}
END_TEST

START_TEST(test_loopback_is_listed_and_marked_when_up)
{
	static const uint8_t lo4[16] = { 127, 0, 0, 1 };
	struct pt_ifaddr *v = NULL;
	size_t n = 0, i;
	bool seen = false;

	ck_assert_int_eq(netif_list(&v, &n), 0);
	for (i = 0; i < n; i++) {
		if (v[i].family == PT_FAMILY_IPV4 && memcmp(v[i].addr, lo4, 16) == 0) {
			seen = true;
			ck_assert(v[i].loopback_if);
			ck_assert_str_eq(v[i].name, "lo");
		}
	}
	/* lo always exists; it is listed only while up, and up it has 127.0.0.1 */
	ck_assert(seen == if_up("lo"));
	free(v);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("netif");
	TCase *tc = tcase_create("netif");

	tcase_add_test(tc, test_every_entry_is_an_up_interface_with_its_index);
	tcase_add_test(tc, test_loopback_is_listed_and_marked_when_up);
	suite_add_tcase(s, tc);
	return s;
}
