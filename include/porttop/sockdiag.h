/* sockdiag.h — read the kernel's socket tables through netlink sock_diag. */
#ifndef PORTTOP_SOCKDIAG_H
#define PORTTOP_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/model.h"

/* What sockdiag_dump reads; each is its own kernel request with an explicit state mask. */
enum {
	SOCKDIAG_TCP_LISTEN = 1u << 0, /* TCP LISTEN only: the kernel walks just its listening hash */
	SOCKDIAG_TCP_CONNS = 1u << 1,  /* TCP connection states and TIME_WAIT; never ~0 */
	SOCKDIAG_UDP = 1u << 2,        /* every UDP socket (bound; connected ones are connections) */
	SOCKDIAG_ALL = 7u
};

/* One NETLINK_SOCK_DIAG socket with its receive buffer. Owned by one thread. */
struct sockdiag;

/* Open the netlink socket. NULL with errno set (EPROTONOSUPPORT, EACCES, ...) when unusable. */
struct sockdiag *sockdiag_open(void);
void sockdiag_close(struct sockdiag *sd);

/*
 * Append every socket that what selects, both families, to out. An interrupted dump
 * (NLM_F_DUMP_INTR) is retried once; if it is interrupted again its sockets are kept and
 * *inconsistent is set (set only, never cleared: the caller initialises it; may be NULL).
 * Returns 0 or -errno (the sockets read so far stay in out). After an error the netlink
 * socket is replaced, so sd stays usable. Only the thread that owns sd may call it.
 */
int sockdiag_dump(struct sockdiag *sd, unsigned what, struct pt_sockvec *out, bool *inconsistent);

/*
 * TCP dumps use one TCPDIAG_GETSOCK request for both families (one walk of each kernel
 * table) when the kernel accepts it, else one SOCK_DIAG_BY_FAMILY request per family
 * (SOCK_DIAG_BY_FAMILY refuses AF_UNSPEC). on = false forces the per-family requests, for
 * tests and measurements; on = true returns to the default.
 */
void sockdiag_set_tcp_one_pass(struct sockdiag *sd, bool on);

/*
 * For tests: receive into a buffer of size bytes from now on (it grows again to fit a
 * datagram that did not fit, after reading that request once more).
 */
void sockdiag_set_buffer_size(struct sockdiag *sd, size_t size);

/*
 * Whether a socket of protocol proto (enum pt_proto) in state (enum pt_state, as the readers
 * report it) is one that what (SOCKDIAG_* bits) asks for: the same state masks the kernel
 * requests use, so /proc/net readers select exactly what sock_diag would.
 */
bool sockdiag_selects(unsigned what, unsigned proto, unsigned state);

/*
 * The pure parser behind sockdiag_dump, for tests and fuzzing: parse one buffer as received
 * from the kernel (one or more netlink messages) for a request with sequence seq sent from
 * port id portid (0 skips the port-id check), appending the sockets of protocol proto
 * (enum pt_proto) to out. Returns 1 when NLMSG_DONE was seen, 0 when more is to come, or
 * -errno (-EPROTO for a malformed message, the kernel's error for NLMSG_ERROR or for an
 * NLMSG_DONE that carries one). Sets *intr (may be NULL) when a message carried
 * NLM_F_DUMP_INTR. Messages with another sequence number (stale replies to an abandoned
 * request) or, with portid != 0, another port id are skipped. On -EPROTO the sockets of the
 * messages before the malformed one stay in out. Any thread; touches nothing but out.
 */
int sockdiag_parse(const void *buf, size_t len, uint32_t seq, uint32_t portid, unsigned proto,
	struct pt_sockvec *out, bool *intr);

#endif
