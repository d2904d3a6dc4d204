/* format.h — short human-readable numbers for the screen: durations, counts, queues, addresses. */
#ifndef PORTTOP_FORMAT_H
#define PORTTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/model.h"
#include "porttop/policy.h"

/* Longest text format_address writes, with the NUL: "[" IPv6 "]+v4" "%" interface name. */
#define FORMAT_ADDR_STRLEN 72

/*
 * An age or interval in at most two units, as top shows them: "0s", "59s", "3m12s", "3h12m",
 * "2d4h". Negative durations print as "0s". Any thread.
 */
void format_duration(char *buf, size_t size, int64_t ms);

/* A count in at most five columns: "9999", "12.3k", "123k", "1.2M", "12.3M", "123M", "1.2G". */
void format_count(char *buf, size_t size, uint64_t n);

/* An accept queue: "3/128" when the backlog is known, "3" when not. */
void format_queue(char *buf, size_t size, uint32_t queued, uint32_t backlog, bool backlog_known);

/* A sampling interval given in tenths of a second: "0.5s", "1s", "2.5s", "60s". */
void format_interval(char *buf, size_t size, int tenths);

/*
 * A listener's bind address: "127.0.0.1", "0.0.0.0", "[::1]", "[::]", and a dual-stack IPv6
 * wildcard explicitly as "[::]+v4". A device-bound socket gets "%NAME" appended (ifname may be
 * NULL: then "%if3" from the index).
 */
void format_address(char *buf, size_t size, const struct pt_key *key, const struct pt_class *cls,
        uint32_t ifindex, const char *ifname);

/* One character marking a bind scope: 'L' loopback, '*' all interfaces, 'A' one address,
 * 'D' bound to a device. */
char format_scope_mark(enum pt_scope scope);
/* "loopback", "all interfaces", "one address", "one device" */
const char *format_scope_words(enum pt_scope scope);

#endif
