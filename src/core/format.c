/* format.c — short human-readable numbers for the screen: durations, counts, queues, addresses. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/format.h"

void
format_duration(char *buf, size_t size, int64_t ms)
{
	int64_t s = ms > 0 ? ms / 1000 : 0;

	if (s < 60)
		snprintf(buf, size, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, size, "%" PRId64 "m%" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%" PRId64 "h%" PRId64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%" PRId64 "d%" PRId64 "h", s / 86400, s % 86400 / 3600);
}

void
format_count(char *buf, size_t size, uint64_t n)
{
	static const char units[] = "kMGTPE";
	unsigned u = 0;
	uint64_t scaled;

	if (n < 10000) {
		snprintf(buf, size, "%" PRIu64, n);
		return;
	}
	/* Find the unit that leaves fewer than 1000 whole units; one decimal below 100. */
	scaled = n;
	while (scaled >= 1000 * 1000 && u + 1 < sizeof units - 1) {
		scaled /= 1000;
		u++;
	}
	/* scaled is now n / 1000^u, below 10^6: express it in unit u */
	if (scaled < 100 * 1000)
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", scaled / 1000, scaled % 1000 / 100,
		        units[u]);
	else
		snprintf(buf, size, "%" PRIu64 "%c", scaled / 1000, units[u]);
}

void
format_queue(char *buf, size_t size, uint32_t queued, uint32_t backlog, bool backlog_known)
{
	if (backlog_known)
		snprintf(buf, size, "%" PRIu32 "/%" PRIu32, queued, backlog);
	else
		snprintf(buf, size, "%" PRIu32, queued);
}

void
format_interval(char *buf, size_t size, int tenths)
{
	if (tenths < 0)
		tenths = 0;
	if (tenths % 10 == 0)
		snprintf(buf, size, "%ds", tenths / 10);
	else
		snprintf(buf, size, "%d.%ds", tenths / 10, tenths % 10);
}

void
format_address(char *buf, size_t size, const struct pt_key *key, const struct pt_class *cls,
        uint32_t ifindex, const char *ifname)
{
	char a[ADDR_STRLEN], dev[40] = "";

	addr_format(key->family, key->addr, a, sizeof a);
	if (ifindex != 0) {
		if (ifname != NULL)
			snprintf(dev, sizeof dev, "%%%s", ifname);
		else
			snprintf(dev, sizeof dev, "%%if%" PRIu32, ifindex);
	}
	if (key->family != PT_FAMILY_IPV6)
		snprintf(buf, size, "%s%s", a, dev);
	else if (cls->dual_stack)
		snprintf(buf, size, "[%s]+v4%s", a, dev);
	else
		snprintf(buf, size, "[%s]%s", a, dev);
}

char
format_scope_mark(enum pt_scope scope)
{
	static const char marks[PT_SCOPE_COUNT] = {
		[PT_SCOPE_LOOPBACK] = 'L',
		[PT_SCOPE_ALL] = '*',
		[PT_SCOPE_ADDRESS] = 'A',
		[PT_SCOPE_DEVICE] = 'D',
	};

	return (unsigned)scope < PT_SCOPE_COUNT ? marks[scope] : '?';
}

const char *
format_scope_words(enum pt_scope scope)
{
	static const char *const words[PT_SCOPE_COUNT] = {
		[PT_SCOPE_LOOPBACK] = "loopback",
		[PT_SCOPE_ALL] = "all interfaces",
		[PT_SCOPE_ADDRESS] = "one address",
		[PT_SCOPE_DEVICE] = "one device",
	};

	return (unsigned)scope < PT_SCOPE_COUNT ? words[scope] : "unknown";
}
