/* metrics.c — a snapshot as Prometheus text, as node_exporter's textfile collector reads it. */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/escape.h"
#include "porttop/metrics.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"

const uint8_t metrics_conn_states[] = {
	PT_STATE_ESTABLISHED,
	PT_STATE_SYN_SENT,
	PT_STATE_SYN_RECV,
	PT_STATE_FIN_WAIT1,
	PT_STATE_FIN_WAIT2,
	PT_STATE_TIME_WAIT,
	PT_STATE_CLOSE_WAIT,
	PT_STATE_LAST_ACK,
	PT_STATE_CLOSING,
};
const size_t metrics_nconn_states = sizeof metrics_conn_states / sizeof metrics_conn_states[0];

/* Numbers of a listener, one metric each: shown for the rows has() accepts (NULL: all). */
static bool
metrics_is_tcp(const struct pt_listener *l)
{
	return l->key.proto == PT_PROTO_TCP;
}

static bool
metrics_has_backlog(const struct pt_listener *l)
{
	return l->key.proto == PT_PROTO_TCP && l->backlog_known;
}

static uint64_t
metrics_queued(const struct pt_listener *l)
{
	return l->queued;
}

static uint64_t
metrics_backlog(const struct pt_listener *l)
{
	return l->backlog;
}

static uint64_t
metrics_nsocks(const struct pt_listener *l)
{
	return l->nsocks;
}

static const struct metrics_row_gauge {
	const char *name;
	const char *help;
	bool (*has)(const struct pt_listener *);
	uint64_t (*value)(const struct pt_listener *);
} metrics_row_gauges[] = {
	{ "porttop_listener_accept_queue", "Connections waiting in the accept queue (TCP).",
		metrics_is_tcp, metrics_queued },
	{ "porttop_listener_accept_backlog", "Capacity of the accept queue (TCP, when known).",
		metrics_has_backlog, metrics_backlog },
	{ "porttop_listener_sockets",
		"Sockets that make up the listener (several for an SO_REUSEPORT group).", NULL,
		metrics_nsocks },
};

/* One 0/1 metric per flag, indexed by bit; the name is porttop_listener_ and flag_name(bit). */
static const char *const metrics_flag_help[PT_FLAG_COUNT] = {
	[0] = "1 when the listener is reachable from other machines and no rule expects it.",
	[1] = "1 when the port lies in the ephemeral range and is not reserved.",
	[2] = "1 when the accept queue is not empty and has not shrunk for several samples.",
	[3] = "1 when the listener appeared within the last seconds.",
	[4] = "1 when the listener is gone from the kernel and only remembered.",
};

/* Totals of the snapshot, by their place in struct pt_totals. */
static const struct metrics_total {
	const char *name;
	const char *help;
	size_t offset;
} metrics_totals[] = {
	{ "porttop_exposed_listeners",
		"Listeners reachable from other machines that no rule expects.",
		offsetof(struct pt_totals, exposed) },
	{ "porttop_stuck_listeners", "Listeners whose accept queue is stuck.",
		offsetof(struct pt_totals, stuck) },
	{ "porttop_established_connections", "TCP connections in state ESTABLISHED.",
		offsetof(struct pt_totals, established) },
	{ "porttop_time_wait_connections", "TCP connections in state TIME-WAIT.",
		offsetof(struct pt_totals, time_wait) },
	{ "porttop_sockets", "TCP and UDP sockets read in the sample.",
		offsetof(struct pt_totals, sockets) },
	{ "porttop_ephemeral_ports_used",
		"Distinct local ports inside the ephemeral range that sockets use.",
		offsetof(struct pt_totals, ephemeral_used) },
	{ "porttop_ephemeral_ports", "Size of the ephemeral port range (ip_local_port_range).",
		offsetof(struct pt_totals, ephemeral_size) },
	{ "porttop_owners_unknown", "Listening sockets whose owner process could not be seen.",
		offsetof(struct pt_totals, owners_unknown) },
};

void
metrics_label_value(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf safe = STRBUF_INIT;
	size_t i;

	escape_text(&safe, s, len);
	for (i = 0; i < safe.len; i++) {
		switch (safe.buf[i]) {
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		default: strbuf_addch(out, safe.buf[i]); break;
		}
	}
	strbuf_fini(&safe);
}

static void
metrics_label(struct strbuf *out, const char *name, const char *value, bool first)
{
	if (!first)
		strbuf_addch(out, ',');
	strbuf_printf(out, "%s=\"", name);
	if (value != NULL)
		metrics_label_value(out, value, strlen(value));
	strbuf_addch(out, '"');
}

static void
metrics_family(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The identity labels of a row, without the closing brace: {proto="tcp",address="::",port="22" */
static void
metrics_row_labels(struct strbuf *out, const char *name, const struct pt_listener *l)
{
	char addr[ADDR_STRLEN], port[8];

	addr_format(l->key.family, l->key.addr, addr, sizeof addr);
	snprintf(port, sizeof port, "%u", l->key.port);
	strbuf_printf(out, "%s{", name);
	metrics_label(out, "proto", proto_name(l->key.proto), true);
	metrics_label(out, "address", addr, false);
	metrics_label(out, "port", port, false);
}

static void
metrics_info(struct strbuf *out, const struct pt_snapshot *snap)
{
	const struct pt_listener *l;
	const struct pt_proc *p;
	char uid[16];
	size_t r;

	metrics_family(out, "porttop_listener_info", "gauge",
		"A listening TCP or bound UDP socket; labels say how it is bound and who owns it "
		"(the owner with the lowest pid).");
	for (r = 0; r < snap->nrows; r++) {
		l = &snap->rows[r];
		p = l->nprocs > 0 ? l->procs[0] : NULL;
		snprintf(uid, sizeof uid, "%u", p != NULL ? p->uid : l->uid);
		metrics_row_labels(out, "porttop_listener_info", l);
		metrics_label(out, "family", family_name(l->key.family), false);
		metrics_label(out, "scope", policy_scope_name(l->cls.scope), false);
		metrics_label(out, "dual_stack", l->cls.dual_stack ? "true" : "false", false);
		metrics_label(out, "process", p != NULL ? p->comm : NULL, false);
		metrics_label(out, "user", p != NULL && p->user != NULL ? p->user : uid, false);
		metrics_label(out, "unit", p != NULL ? p->unit : NULL, false);
		strbuf_addstr(out, "} 1\n");
	}
}

static void
metrics_connections(struct strbuf *out, const struct pt_snapshot *snap)
{
	const struct pt_listener *l;
	size_t r, i;

	metrics_family(out, "porttop_listener_connections", "gauge",
		"Connections to the listener's address and port, by TCP state.");
	for (r = 0; r < snap->nrows; r++) {
		l = &snap->rows[r];
		for (i = 0; i < metrics_nconn_states; i++) {
			metrics_row_labels(out, "porttop_listener_connections", l);
			metrics_label(out, "state", state_key(metrics_conn_states[i]), false);
			strbuf_printf(out, "} %u\n", l->conns[metrics_conn_states[i]]);
		}
	}
}

static void
metrics_row_numbers(struct strbuf *out, const struct pt_snapshot *snap)
{
	const struct metrics_row_gauge *g;
	const struct pt_listener *l;
	char name[64];
	size_t i, r;
	unsigned bit;

	for (i = 0; i < sizeof metrics_row_gauges / sizeof metrics_row_gauges[0]; i++) {
		g = &metrics_row_gauges[i];
		metrics_family(out, g->name, "gauge", g->help);
		for (r = 0; r < snap->nrows; r++) {
			l = &snap->rows[r];
			if (g->has != NULL && !g->has(l))
				continue;
			metrics_row_labels(out, g->name, l);
			strbuf_printf(out, "} %llu\n", (unsigned long long)g->value(l));
		}
	}
	for (bit = 0; bit < PT_FLAG_COUNT; bit++) {
		snprintf(name, sizeof name, "porttop_listener_%s", flag_name(bit));
		metrics_family(out, name, "gauge", metrics_flag_help[bit]);
		for (r = 0; r < snap->nrows; r++) {
			l = &snap->rows[r];
			metrics_row_labels(out, name, l);
			strbuf_printf(out, "} %d\n", (l->flags & (1u << bit)) ? 1 : 0);
		}
	}
}

/* A metric with one unlabelled sample, printed with decimals digits after the point. */
static void
metrics_gauge(struct strbuf *out, const char *name, const char *help, int decimals, double v)
{
	metrics_family(out, name, "gauge", help);
	strbuf_printf(out, "%s %.*f\n", name, decimals, v);
}

static void
metrics_snapshot_totals(struct strbuf *out, const struct pt_snapshot *snap)
{
	const struct metrics_total *t;
	unsigned proto;
	uint32_t v;
	size_t i;

	metrics_family(out, "porttop_listeners", "gauge",
		"Listening TCP sockets and bound UDP sockets, as rows "
		"(an SO_REUSEPORT group is one).");
	for (proto = 0; proto < PT_PROTO_COUNT; proto++) {
		strbuf_addstr(out, "porttop_listeners{");
		metrics_label(out, "proto", proto_name(proto), true);
		strbuf_printf(out, "} %u\n", snap->totals.listeners[proto]);
	}
	for (i = 0; i < sizeof metrics_totals / sizeof metrics_totals[0]; i++) {
		t = &metrics_totals[i];
		memcpy(&v, (const char *)&snap->totals + t->offset, sizeof v);
		metrics_gauge(out, t->name, t->help, 0, v);
	}
	metrics_gauge(out, "porttop_ephemeral_range_first", "First port of the ephemeral range.",
		0, snap->ephemeral.lo);
	metrics_gauge(out, "porttop_ephemeral_range_last", "Last port of the ephemeral range.",
		0, snap->ephemeral.hi);
	metrics_gauge(out, "porttop_sample_timestamp_seconds",
		"When the sample was taken, in seconds since the epoch.", 3,
		(double)snap->time_ms / 1000.0);
	metrics_gauge(out, "porttop_sample_wall_seconds",
		"Wall-clock time that reading the sample took.", 6,
		(double)snap->cost_wall_us / 1e6);
	metrics_gauge(out, "porttop_sample_cpu_seconds", "CPU time that reading the sample took.",
		6, (double)snap->cost_cpu_us / 1e6);
	metrics_gauge(out, "porttop_sample_inconsistent",
		"1 when a socket dump was interrupted twice and the counts may be off.", 0,
		snap->inconsistent ? 1 : 0);
}

void
metrics_format(struct strbuf *out, const struct pt_snapshot *snap)
{
	metrics_info(out, snap);
	metrics_connections(out, snap);
	metrics_row_numbers(out, snap);
	metrics_snapshot_totals(out, snap);
}
