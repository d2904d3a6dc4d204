/* filter.h — the filter language of the \ and / keys: which rows to show or find. */
#ifndef PORTTOP_FILTER_H
#define PORTTOP_FILTER_H

#include <stdbool.h>

#include "porttop/columns.h"

/*
 * An expression is terms separated by spaces, all of which must match (AND):
 *   WORD            text anywhere in the row: address, port, range, pid, user, process,
 *                   unit, command line (case-insensitive; "two words" in double quotes)
 *   port:N          port N;  port:A-B  ports A to B inclusive
 *   user:NAME       an owner (or the socket's creator) is user NAME, or uid NAME when numeric
 *   proto:tcp       protocol tcp or udp
 *   pid:N           an owner process is pid N
 *   scope:S         bind scope loopback, all, address or device
 *   exposed         flagged EXPOSED (same as flag:exposed)
 *   flag:F          flagged exposed, ephemeral, stuck, new or gone
 *   !TERM           the term must not match
 * A word before ':' that is none of the above (as in "http://x") is plain text.
 */
struct filter;

/*
 * Parse expr. Returns a new filter (an empty expression gives one that matches every row), or
 * NULL with errno EINVAL and the reason in *cause (owned), naming the bad term. Any thread.
 */
struct filter *filter_new(const char *expr, char **cause);
void filter_free(struct filter *f);

/* True when row l matches every term. ctx gives the ephemeral range for text like "ephemeral". */
bool filter_match(const struct filter *f, const struct pt_listener *l, const struct col_ctx *ctx);
/* True when the filter has no terms and so matches everything. */
bool filter_empty(const struct filter *f);
/* The expression as given (borrowed). */
const char *filter_text(const struct filter *f);

#endif
