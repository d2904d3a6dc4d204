/* sockdiag.c — read the kernel's socket tables through netlink sock_diag. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "porttop/model.h"
#include "porttop/sockdiag.h"
#include "porttop/xalloc.h"

/*
 * The kernel fills dump datagrams up to the largest recv() length it has seen, capped at
 * a little under 32 KiB, so a 32 KiB buffer takes every datagram in one read. Anything
 * larger is noticed by peeking (MSG_PEEK | MSG_TRUNC) and the buffer grows, up to a sanity
 * limit.
 */
#define SOCKDIAG_BUF_MIN (32u * 1024)
#define SOCKDIAG_BUF_MAX (4u * 1024 * 1024)

/* A dump never waits for anything but the kernel; if that stalls, give up, do not hang. */
#define SOCKDIAG_RECV_TIMEOUT_S 5

#define TCPF(s) (1u << (s))

/*
 * The state masks. LISTEN alone makes the kernel walk only its listening hash. Connections
 * name every state explicitly: ~0 would include CLOSE and, from Linux 6.8, BOUND_INACTIVE,
 * each of which adds a walk of another table. SYN_RECV also brings the request sockets
 * (NEW_SYN_RECV), which the kernel adds to the mask by itself. UDP sockets are CLOSE when
 * unconnected and ESTABLISHED when connected; they are never anything else.
 */
#define SOCKDIAG_LISTEN_STATES TCPF(PT_STATE_LISTEN)
#define SOCKDIAG_CONN_STATES                                                                       \
	(TCPF(PT_STATE_ESTABLISHED) | TCPF(PT_STATE_SYN_SENT) | TCPF(PT_STATE_SYN_RECV) |          \
		TCPF(PT_STATE_FIN_WAIT1) | TCPF(PT_STATE_FIN_WAIT2) | TCPF(PT_STATE_TIME_WAIT) |   \
		TCPF(PT_STATE_CLOSE_WAIT) | TCPF(PT_STATE_LAST_ACK) | TCPF(PT_STATE_CLOSING))
#define SOCKDIAG_UDP_STATES (TCPF(PT_STATE_ESTABLISHED) | TCPF(PT_STATE_CLOSE))

/* One kind of dump: which SOCKDIAG_* bit asks for it, and what to send the kernel. */
struct sockdiag_kind {
	unsigned what;
	uint8_t proto;   /* enum pt_proto */
	uint8_t ipproto; /* IPPROTO_* */
	uint32_t states;
};

static const struct sockdiag_kind sockdiag_kinds[] = {
	{ .what = SOCKDIAG_TCP_LISTEN,
		.proto = PT_PROTO_TCP,
		.ipproto = IPPROTO_TCP,
		.states = SOCKDIAG_LISTEN_STATES },
	{ .what = SOCKDIAG_TCP_CONNS,
		.proto = PT_PROTO_TCP,
		.ipproto = IPPROTO_TCP,
		.states = SOCKDIAG_CONN_STATES },
	{ .what = SOCKDIAG_UDP,
		.proto = PT_PROTO_UDP,
		.ipproto = IPPROTO_UDP,
		.states = SOCKDIAG_UDP_STATES },
};

struct sockdiag {
	struct mnl_socket *nl; /* owned; NULL after a reset whose reopen failed */
	uint32_t portid;
	uint32_t seq;
	uint8_t *buf; /* owned */
	size_t cap;
	/*
	 * SOCK_DIAG_BY_FAMILY needs AF_INET or AF_INET6 (AF_UNSPEC is -ENOENT: the request is
	 * routed by family), so it walks the kernel's shared TCP hash tables once per family.
	 * The older TCPDIAG_GETSOCK request dumps both families in one walk. 1: it works,
	 * 0: the kernel refused it, use one request per family; -1: not tried yet.
	 */
	int tcp_one_pass;
};

/* A bound NETLINK_SOCK_DIAG socket, or NULL with errno set. */
static struct mnl_socket *
sockdiag_socket(uint32_t *portid)
{
	struct timeval tv = { .tv_sec = SOCKDIAG_RECV_TIMEOUT_S };
	struct mnl_socket *nl;
	int saved;

	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (nl == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) != 0)
		goto fail;
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
		goto fail;
	*portid = mnl_socket_get_portid(nl);
	return nl;
fail:
	saved = errno;
	mnl_socket_close(nl);
	errno = saved;
	return NULL;
}

struct sockdiag *
sockdiag_open(void)
{
	struct sockdiag *sd;
	struct mnl_socket *nl;
	uint32_t portid;

	if ((nl = sockdiag_socket(&portid)) == NULL)
		return NULL;
	sd = xcalloc(1, sizeof *sd);
	sd->nl = nl;
	sd->portid = portid;
	sd->cap = SOCKDIAG_BUF_MIN;
	sd->buf = xmalloc(sd->cap);
	sd->tcp_one_pass = -1;
	return sd;
}

void
sockdiag_close(struct sockdiag *sd)
{
	if (sd == NULL)
		return;
	if (sd->nl != NULL)
		mnl_socket_close(sd->nl);
	free(sd->buf);
	free(sd);
}

/*
 * Throw the socket away and open a new one. After an abandoned dump the kernel may still
 * be dumping into the old socket, and a new dump request there would fail with EBUSY.
 */
static void
sockdiag_reset(struct sockdiag *sd)
{
	if (sd->nl != NULL)
		mnl_socket_close(sd->nl);
	sd->nl = sockdiag_socket(&sd->portid);
}

/* Send one dump request; family AF_UNSPEC means the one-pass TCPDIAG_GETSOCK form. */
static int
sockdiag_send(struct sockdiag *sd, const struct sockdiag_kind *k, int family, uint32_t seq)
{
	_Static_assert(sizeof(struct inet_diag_req) >= sizeof(struct inet_diag_req_v2),
		"the request buffer is sized for the larger request");
	union {
		struct nlmsghdr h;
		uint8_t b[NLMSG_SPACE(sizeof(struct inet_diag_req))];
	} msg;
	struct inet_diag_req_v2 *v2;
	struct inet_diag_req *v1;
	struct nlmsghdr *h;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	h = mnl_nlmsg_put_header(msg.b);
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = seq;
	if (family == AF_UNSPEC) {
		h->nlmsg_type = TCPDIAG_GETSOCK;
		v1 = mnl_nlmsg_put_extra_header(h, sizeof *v1);
		v1->idiag_family = AF_UNSPEC; /* ignored: this request always means both */
		v1->idiag_states = k->states;
	} else {
		h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		v2 = mnl_nlmsg_put_extra_header(h, sizeof *v2);
		v2->sdiag_family = (uint8_t)family;
		v2->sdiag_protocol = k->ipproto;
		v2->idiag_states = k->states;
		/*
		 * No extensions: INET_DIAG_SKV6ONLY and INET_DIAG_CGROUP_ID come unasked, and
		 * the queues are in inet_diag_msg itself.
		 */
	}
	do
		n = mnl_socket_sendto(sd->nl, h, h->nlmsg_len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == h->nlmsg_len ? 0 : -EIO;
}

/*
 * Receive the next datagram into sd->buf; its length or -errno. The kernel fills a dump's
 * datagrams up to 32 KiB, the buffer's starting size, so one recv takes each whole. A longer one
 * (a kernel that someday sends more) arrives cut: the buffer grows to its size and the
 * request is read again from the start (-ENOBUFS, which sockdiag_request retries).
 */
static ssize_t
sockdiag_recv(struct sockdiag *sd)
{
	int fd = mnl_socket_get_fd(sd->nl);
	ssize_t n;
	size_t cap;

	do
		n = recv(fd, sd->buf, sd->cap, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
	if ((size_t)n <= sd->cap)
		return n;
	if ((size_t)n > SOCKDIAG_BUF_MAX)
		return -EMSGSIZE;
	cap = ((size_t)n + 4095) & ~(size_t)4095;
	free(sd->buf);
	sd->buf = xmalloc(cap);
	sd->cap = cap;
	return -ENOBUFS;
}

/* One request and its whole reply. On error the socket is reset for the next request. */
static int
sockdiag_exchange(struct sockdiag *sd, const struct sockdiag_kind *k, int family,
	struct pt_sockvec *out, bool *intr)
{
	uint32_t seq;
	ssize_t n;
	int err;

	if (sd->nl == NULL && (sd->nl = sockdiag_socket(&sd->portid)) == NULL)
		return -errno;
	if (++sd->seq == 0)
		sd->seq = 1;
	seq = sd->seq;
	if ((err = sockdiag_send(sd, k, family, seq)) != 0)
		goto fail;
	for (;;) {
		if ((n = sockdiag_recv(sd)) < 0) {
			err = (int)n;
			goto fail;
		}
		err = sockdiag_parse(sd->buf, (size_t)n, seq, sd->portid, k->proto, out, intr);
		if (err == 1)
			return 0;
		if (err < 0)
			goto fail;
	}
fail:
	sockdiag_reset(sd);
	return err;
}

/*
 * One request with its retries: an interrupted dump (the tables changed under the kernel's
 * walk) is read again once, then kept and reported inconsistent; ENOBUFS (datagrams lost)
 * restarts the request once.
 */
static int
sockdiag_request(struct sockdiag *sd, const struct sockdiag_kind *k, int family,
	struct pt_sockvec *out, bool *inconsistent)
{
	size_t start = out->len;
	bool intr, intr_retried = false, nobufs_retried = false;
	int err;

	for (;;) {
		intr = false;
		err = sockdiag_exchange(sd, k, family, out, &intr);
		if (err == -ENOBUFS && !nobufs_retried) {
			nobufs_retried = true;
			out->len = start;
			continue;
		}
		if (err != 0 || !intr)
			return err;
		if (intr_retried) {
			if (inconsistent != NULL)
				*inconsistent = true;
			return 0;
		}
		intr_retried = true;
		out->len = start;
	}
}

/* The errors with which a kernel says it does not know a request at all. */
static bool
sockdiag_unsupported(int err)
{
	return err == -EINVAL || err == -ENOENT || err == -EOPNOTSUPP || err == -EPROTONOSUPPORT;
}

static int
sockdiag_dump_kind(struct sockdiag *sd, const struct sockdiag_kind *k, struct pt_sockvec *out,
	bool *inconsistent)
{
	int err;

	if (k->ipproto == IPPROTO_TCP && sd->tcp_one_pass != 0) {
		err = sockdiag_request(sd, k, AF_UNSPEC, out, inconsistent);
		if (sd->tcp_one_pass == 1 || !sockdiag_unsupported(err)) {
			if (err == 0)
				sd->tcp_one_pass = 1;
			return err;
		}
		sd->tcp_one_pass = 0;
	}
	if ((err = sockdiag_request(sd, k, AF_INET, out, inconsistent)) != 0)
		return err;
	err = sockdiag_request(sd, k, AF_INET6, out, inconsistent);
	/* A kernel without IPv6 may not route AF_INET6 requests: then there is nothing to see. */
	if (err == -ENOENT || err == -EAFNOSUPPORT)
		err = 0;
	return err;
}

int
sockdiag_dump(struct sockdiag *sd, unsigned what, struct pt_sockvec *out, bool *inconsistent)
{
	size_t i;
	int err;

	for (i = 0; i < sizeof sockdiag_kinds / sizeof sockdiag_kinds[0]; i++) {
		if (!(what & sockdiag_kinds[i].what))
			continue;
		if ((err = sockdiag_dump_kind(sd, &sockdiag_kinds[i], out, inconsistent)) != 0)
			return err;
	}
	return 0;
}

bool
sockdiag_selects(unsigned what, unsigned proto, unsigned state)
{
	size_t i;

	if (state == 0 || state >= PT_STATE_MAX)
		return false;
	for (i = 0; i < sizeof sockdiag_kinds / sizeof sockdiag_kinds[0]; i++) {
		if ((what & sockdiag_kinds[i].what) && sockdiag_kinds[i].proto == proto &&
			(sockdiag_kinds[i].states & TCPF(state)))
			return true;
	}
	return false;
}

void
sockdiag_set_tcp_one_pass(struct sockdiag *sd, bool on)
{
	sd->tcp_one_pass = on ? -1 : 0;
}

void
sockdiag_set_buffer_size(struct sockdiag *sd, size_t size)
{
	free(sd->buf);
	sd->cap = size > 0 ? size : 1;
	sd->buf = xmalloc(sd->cap);
}
