/* procnet.h — the fallback socket reader: /proc/net/{tcp,tcp6,udp,udp6}. */
#ifndef PORTTOP_PROCNET_H
#define PORTTOP_PROCNET_H

#include <stddef.h>

#include "porttop/model.h"

/*
 * Append the sockets of /proc/net/{tcp,tcp6,udp,udp6} under proc_root ("/proc") that what
 * (SOCKDIAG_* bits) selects. What /proc/net cannot tell (backlog, v6only, cgroup) is left
 * unknown: the matching PT_SOCK_*_KNOWN flags stay clear. A missing file (no IPv6) is not an
 * error. Returns 0 or -errno.
 */
int procnet_dump(const char *proc_root, unsigned what, struct pt_sockvec *out);

/*
 * Pure: parse the text of one /proc/net table (proto enum pt_proto, family enum pt_family),
 * appending the sockets that what selects. Malformed lines are skipped and counted in
 * *bad (may be NULL). Returns 0.
 */
int procnet_parse(const char *text, size_t len, unsigned proto, unsigned family, unsigned what,
	struct pt_sockvec *out, unsigned *bad);

#endif
