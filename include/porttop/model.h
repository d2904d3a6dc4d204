/* model.h — the plain data every layer shares: sockets as read, processes, owners. */
#ifndef PORTTOP_MODEL_H
#define PORTTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pt_proto {
	PT_PROTO_TCP,
	PT_PROTO_UDP,
	PT_PROTO_COUNT
};

enum pt_family {
	PT_FAMILY_IPV4,
	PT_FAMILY_IPV6,
	PT_FAMILY_COUNT
};

/* Socket states, numbered as the kernel numbers them (include/net/tcp_states.h). */
enum pt_state {
	PT_STATE_ESTABLISHED = 1,
	PT_STATE_SYN_SENT = 2,
	PT_STATE_SYN_RECV = 3,
	PT_STATE_FIN_WAIT1 = 4,
	PT_STATE_FIN_WAIT2 = 5,
	PT_STATE_TIME_WAIT = 6,
	PT_STATE_CLOSE = 7, /* for UDP: bound and unconnected */
	PT_STATE_CLOSE_WAIT = 8,
	PT_STATE_LAST_ACK = 9,
	PT_STATE_LISTEN = 10,
	PT_STATE_CLOSING = 11,
	PT_STATE_NEW_SYN_RECV = 12,
	PT_STATE_BOUND_INACTIVE = 13,
	PT_STATE_MAX = 14
};

/* pt_sock.flags */
enum {
	PT_SOCK_BACKLOG_KNOWN = 1u << 0, /* wqueue of a LISTEN socket is its backlog */
	PT_SOCK_V6ONLY_KNOWN = 1u << 1,  /* v6only was reported */
	PT_SOCK_CGROUP_KNOWN = 1u << 2,  /* cgroup_id was reported */
	PT_SOCK_PROCNET = 1u << 3,       /* read from /proc/net rather than sock_diag */
};

/*
 * One kernel socket as read. Only the readers (sys/sockdiag, sys/procnet) fill it; nothing
 * else changes one. Addresses are in network byte order, an IPv4 address in the first four
 * bytes with the rest zero; ports are in host byte order.
 */
struct pt_sock {
	uint8_t proto;  /* enum pt_proto */
	uint8_t family; /* enum pt_family */
	uint8_t state;  /* enum pt_state */
	uint8_t v6only; /* 1 when an IPv6 socket refuses IPv4; valid with PT_SOCK_V6ONLY_KNOWN */
	uint16_t lport;
	uint16_t pport;
	uint8_t laddr[16];
	uint8_t paddr[16];
	uint32_t inode;   /* 0: no socket file (request, TIME_WAIT, not yet accepted) */
	uint32_t uid;     /* the creator's uid */
	uint32_t rqueue;  /* LISTEN: accept queue length; else bytes not yet read */
	uint32_t wqueue;  /* LISTEN: backlog (with PT_SOCK_BACKLOG_KNOWN); else bytes unsent */
	uint32_t ifindex; /* bound device (SO_BINDTODEVICE), 0 for none */
	uint32_t flags;   /* PT_SOCK_* */
	uint64_t cgroup_id;
	uint64_t cookie;
};

/* A growable array of sockets; the readers append to one. */
struct pt_sockvec {
	struct pt_sock *v; /* owned */
	size_t len;
	size_t cap;
};

void sockvec_init(struct pt_sockvec *sv);
void sockvec_fini(struct pt_sockvec *sv);
/* A zeroed slot at the end of sv, valid until the next push. */
struct pt_sock *sockvec_push(struct pt_sockvec *sv);

/*
 * One process that owns a socket. Every string is raw bytes from another process or the
 * kernel: untrusted, never shown without core/escape.
 */
struct pt_proc {
	int32_t pid;
	int32_t ppid;
	uint32_t uid;        /* effective uid */
	uint64_t start_time; /* clock ticks after boot (proc(5) stat field 22); with pid, the identity */
	char *comm;          /* owned; never NULL once filled */
	char *user;          /* owned; NULL when the uid has no name */
	char *cmdline;       /* owned; arguments joined by spaces, "" for kernel threads and zombies */
	char *exe;           /* owned; the executable's path (/proc/PID/exe), NULL when unknown */
	char *cgroup;        /* owned; cgroup v2 path, NULL when unknown */
	char *unit;          /* owned; systemd unit or container derived from cgroup, NULL when none */
};

/* Deep copy of src into dst (strings duplicated). */
void proc_copy(struct pt_proc *dst, const struct pt_proc *src);
/* Free the strings of p (not p itself) and zero it. */
void proc_fini(struct pt_proc *p);

/*
 * One holder of a socket: the process pid (identified together with start_time) has the
 * socket inode open as file descriptor fd. A socket shared after fork has several.
 */
struct pt_owner {
	uint32_t inode;
	int32_t pid;
	int32_t fd;
	uint64_t start_time;
};

/*
 * A row's identity across samples: protocol, family, bind address and port — not pid and
 * not inode, so a restarted service keeps its row. Zero the padding (memset) before filling
 * one: keys are compared with key_cmp.
 */
struct pt_key {
	uint8_t proto;
	uint8_t family;
	uint16_t port;
	uint8_t addr[16];
};

void key_from_sock(struct pt_key *key, const struct pt_sock *s);
int key_cmp(const struct pt_key *a, const struct pt_key *b);

const char *proto_name(unsigned proto);   /* "tcp", "udp" */
const char *family_name(unsigned family); /* "ipv4", "ipv6" */
/* "ESTAB", "LISTEN", ... as ss prints them; "?" for an unknown number. */
const char *state_name(unsigned state);
/* "established", "syn_recv", ... for JSON keys and metric labels. */
const char *state_key(unsigned state);

#endif
