/* snapshot.h — one sample aggregated into dashboard rows: immutable, self-contained. */
#ifndef PORTTOP_SNAPSHOT_H
#define PORTTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/model.h"
#include "porttop/policy.h"
#include "porttop/ports.h"

struct pt_rules;

/* pt_listener.flags */
enum {
	PT_FLAG_EXPOSED = 1u << 0,   /* reachable and no rule expects it */
	PT_FLAG_EPHEMERAL = 1u << 1, /* port inside the ephemeral range and not reserved */
	PT_FLAG_STUCK = 1u << 2,     /* accept queue non-empty and not shrinking for a while */
	PT_FLAG_NEW = 1u << 3,       /* first seen within the last new_ms */
	PT_FLAG_GONE = 1u << 4,      /* no longer in the kernel; kept for gone_ms */
	PT_FLAG_COUNT = 5
};

/* Where the sockets came from. */
enum pt_source {
	PT_SOURCE_SOCKDIAG,
	PT_SOURCE_PROCNET
};

#define PT_QHIST 60 /* samples of accept-queue history kept per row */

/* One row of the dashboard. */
struct pt_listener {
	struct pt_key key;
	struct pt_class cls;  /* scope, dual stack, reachability */
	uint32_t ifindex;     /* bound device, 0 for none */
	uint32_t uid;         /* socket creator */
	struct pt_sock *socks; /* owned: the row's sockets (several for an SO_REUSEPORT group) */
	size_t nsocks;
	struct pt_owner *owners; /* owned: every (inode, pid, fd) holding one of socks, by pid */
	size_t nowners;
	struct pt_proc **procs; /* owned array; elements borrowed from the snapshot's procs */
	size_t nprocs;          /* distinct owner processes, by pid; 0 when unknown */
	uint32_t conns[PT_STATE_MAX]; /* connections whose local end matches, by state */
	uint32_t queued;              /* accept queue: connections waiting for accept() */
	uint32_t backlog;             /* accept queue capacity; valid with backlog_known */
	bool backlog_known;
	uint32_t qhist[PT_QHIST]; /* queued, oldest first; qhist_len valid entries */
	uint32_t qhist_len;
	uint32_t stuck_run;       /* consecutive samples queued > 0 and not shrinking */
	int64_t first_seen_ms;    /* realtime, when porttop first saw this identity */
	int64_t appeared_ms;      /* realtime, when it last appeared (0: there at porttop's start) */
	int64_t gone_ms;          /* realtime, when it vanished; 0 while present */
	uint32_t flags;           /* PT_FLAG_* */
};

/* A connection of the focused listener, for the detail view. */
struct pt_conn {
	struct pt_sock sock;
	struct pt_proc *client; /* borrowed from the snapshot's procs: the local peer process, or NULL */
};

struct pt_totals {
	uint32_t listeners[PT_PROTO_COUNT];
	uint32_t exposed;
	uint32_t stuck;
	uint32_t established;
	uint32_t time_wait;
	uint32_t sockets;          /* every socket read */
	uint32_t ephemeral_used;   /* distinct local ports in the ephemeral range in use */
	uint32_t ephemeral_size;
	uint32_t owners_unknown;   /* listening sockets whose owner could not be seen */
};

struct pt_snapshot {
	uint64_t seq;        /* 1 for the first sample */
	int64_t time_ms;     /* realtime of the sample */
	int64_t mono_ms;
	uint32_t cost_wall_us; /* what reading this sample cost */
	uint32_t cost_cpu_us;
	enum pt_source source;
	bool inconsistent;   /* a dump was interrupted twice: counts may be off */
	int read_error;      /* -errno when the socket tables could not be read, else 0 */
	bool conns_stale;    /* connection counts carried over from an earlier sample */
	struct pt_port_range ephemeral;
	struct pt_totals totals;
	struct pt_listener *rows; /* owned; sorted by key; includes GONE rows */
	size_t nrows;
	struct pt_proc *procs; /* owned; every process rows or focus refer to, sorted by pid */
	size_t nprocs;
	bool has_focus;
	struct pt_key focus;        /* the listener the detail view asked about */
	struct pt_conn *focus_conns; /* owned */
	size_t nfocus_conns;
	char *status; /* owned; a message for the status line, NULL when all is well */
	struct pt_ifaddr *ifaddrs; /* owned; the host's interface addresses (policy_reach) */
	size_t nifaddrs;
	unsigned refs; /* references; snapshot_build sets 1, the sampler counts under its mutex */
};

/* Everything one sample read; borrowed by snapshot_build, which copies what it keeps. */
struct pt_sample {
	const struct pt_sock *socks; /* listeners, bound UDP and connections, any order */
	size_t nsocks;
	const struct pt_owner *owners; /* sorted by inode, then pid */
	size_t nowners;
	const struct pt_proc *procs; /* details of owner and client pids, sorted by pid */
	size_t nprocs;
	struct pt_port_range ephemeral;
	const struct pt_port_set *reserved; /* may be NULL */
	int64_t time_ms;
	int64_t mono_ms;
	uint32_t cost_wall_us;
	uint32_t cost_cpu_us;
	enum pt_source source;
	bool inconsistent;
	bool conns_stale;
	int read_error; /* -errno when the socket tables could not be read */
	uint32_t owners_unknown;
	const char *status; /* may be NULL */
	const struct pt_ifaddr *ifaddrs; /* the host's interface addresses; may be NULL */
	size_t nifaddrs;
	/* the focused listener's local peers: inode of the client socket → owner */
	const struct pt_owner *client_owners; /* sorted by inode, may be NULL */
	size_t nclient_owners;
};

struct pt_build_opts {
	const struct pt_rules *rules; /* expected services; NULL expects nothing */
	uint32_t stuck_samples;       /* samples of a non-draining queue before STUCK (default 5) */
	int64_t new_ms;               /* how long NEW lasts (default 10 s) */
	int64_t gone_ms;              /* how long a GONE row stays (default 10 s) */
	const struct pt_key *focus;   /* listener whose connections to list, or NULL */
};

void snapshot_opts_default(struct pt_build_opts *opts);

/*
 * Aggregate one sample into rows. prev (may be NULL) is the previous snapshot, for first-seen
 * times, NEW/GONE, STUCK runs and queue history; it is only read. Returns a new snapshot the
 * caller owns. Pure: no I/O. Any thread.
 */
struct pt_snapshot *snapshot_build(const struct pt_sample *sample, const struct pt_snapshot *prev,
	const struct pt_build_opts *opts);
void snapshot_free(struct pt_snapshot *snap);

/* A listening TCP socket or a bound, unconnected UDP socket: what makes a row. */
bool snapshot_is_listener(const struct pt_sock *s);

/* The row with identity key, or NULL. O(log n). */
const struct pt_listener *snapshot_find(const struct pt_snapshot *snap, const struct pt_key *key);

/*
 * True when connection c belongs to the listener with identity key: same protocol and port,
 * and the same address or a wildcard of its family (an IPv4 connection also belongs to a
 * dual-stack IPv6 wildcard).
 */
bool snapshot_conn_matches(const struct pt_key *key, bool dual_stack, const struct pt_sock *c);

/*
 * Inodes of the local sockets at the other end of the connections of the listener key
 * (its local clients), sorted and unique, in *out (owned by the caller). Returns how many.
 * The sampler asks who owns them for the detail view.
 */
size_t snapshot_peer_inodes(const struct pt_sock *socks, size_t n, const struct pt_key *key,
	bool dual_stack, uint32_t **out);

/* Established connections of a row (ESTABLISHED only). */
uint32_t listener_established(const struct pt_listener *l);
/* "exposed", "ephemeral", "stuck", "new", "gone" for bit i of PT_FLAG_*. */
const char *flag_name(unsigned bit);

#endif
