/* batch.c — the front end for scripts: samples as a table, JSON or Prometheus text, and --check. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "porttop/addr.h"
#include "porttop/escape.h"
#include "porttop/fileio.h"
#include "porttop/json.h"
#include "porttop/metrics.h"
#include "porttop/ports.h"
#include "porttop/sampler.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"
#include "stop.h"

/* Table columns, in order; the last one (COMMAND) is never padded. */
enum batch_col {
	BCOL_PROTO,
	BCOL_ADDRESS,
	BCOL_PORT,
	BCOL_RANGE,
	BCOL_PID,
	BCOL_USER,
	BCOL_PROCESS,
	BCOL_UNIT,
	BCOL_CONNS,
	BCOL_QUEUE,
	BCOL_FLAGS,
	BCOL_COMMAND,
	BCOL_COUNT
};

static const struct {
	const char *title;
	bool right; /* numbers align right */
} batch_cols[BCOL_COUNT] = {
	[BCOL_PROTO] = { "PROTO", false },
	[BCOL_ADDRESS] = { "ADDRESS", false },
	[BCOL_PORT] = { "PORT", true },
	[BCOL_RANGE] = { "RANGE", false },
	[BCOL_PID] = { "PID", true },
	[BCOL_USER] = { "USER", false },
	[BCOL_PROCESS] = { "PROCESS", false },
	[BCOL_UNIT] = { "UNIT", false },
	[BCOL_CONNS] = { "CONNS", true },
	[BCOL_QUEUE] = { "QUEUE", true },
	[BCOL_FLAGS] = { "FLAGS", false },
	[BCOL_COMMAND] = { "COMMAND", false },
};

static bool
batch_row_wanted(const struct pt_listener *l, bool check)
{
	return !check || (l->flags & PT_FLAG_EXPOSED);
}

static const struct pt_proc *
batch_first_proc(const struct pt_listener *l)
{
	return l->nprocs > 0 ? l->procs[0] : NULL;
}

/* Escaped text of an untrusted string, or "-" when there is none. */
static void
batch_untrusted(struct strbuf *sb, const char *s)
{
	if (s == NULL || *s == '\0')
		strbuf_addch(sb, '-');
	else
		escape_text(sb, s, strlen(s));
}

static void
batch_flags_text(struct strbuf *sb, uint32_t flags)
{
	unsigned bit;
	bool any = false;

	for (bit = 0; bit < PT_FLAG_COUNT; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		if (any)
			strbuf_addch(sb, ',');
		for (const char *p = flag_name(bit); *p; p++)
			strbuf_addch(sb, (char)(*p - 'a' + 'A'));
		any = true;
	}
	if (!any)
		strbuf_addch(sb, '-');
}

/* The text of one cell; cells are escaped here, so the table holds no control bytes. */
static void
batch_cell(struct strbuf *sb, const struct pt_snapshot *snap, const struct pt_listener *l,
	enum batch_col col)
{
	const struct pt_proc *p = batch_first_proc(l);
	char buf[ADDR_BIND_STRLEN];

	switch (col) {
	case BCOL_PROTO:
		strbuf_addstr(sb, proto_name(l->key.proto));
		break;
	case BCOL_ADDRESS:
		addr_format_bind(l->key.family, l->key.addr, l->cls.dual_stack, buf, sizeof buf);
		strbuf_addstr(sb, buf);
		if (l->ifindex != 0)
			strbuf_printf(sb, "%%if%u", l->ifindex);
		break;
	case BCOL_PORT:
		strbuf_printf(sb, "%u", l->key.port);
		break;
	case BCOL_RANGE:
		strbuf_addstr(sb, ports_class_name(ports_class(l->key.port, &snap->ephemeral, NULL)));
		if (!(l->flags & PT_FLAG_EPHEMERAL) &&
			ports_in_range(&snap->ephemeral, l->key.port))
			strbuf_addstr(sb, "(reserved)");
		break;
	case BCOL_PID:
		if (p == NULL)
			strbuf_addch(sb, '-');
		else if (l->nprocs > 1)
			strbuf_printf(sb, "%d+%zu", p->pid, l->nprocs - 1);
		else
			strbuf_printf(sb, "%d", p->pid);
		break;
	case BCOL_USER:
		if (p != NULL && p->user != NULL)
			batch_untrusted(sb, p->user);
		else
			strbuf_printf(sb, "%u", p != NULL ? p->uid : l->uid);
		break;
	case BCOL_PROCESS:
		batch_untrusted(sb, p != NULL ? p->comm : NULL);
		break;
	case BCOL_UNIT:
		batch_untrusted(sb, p != NULL ? p->unit : NULL);
		break;
	case BCOL_CONNS:
		strbuf_printf(sb, "%u", listener_established(l));
		break;
	case BCOL_QUEUE:
		if (l->key.proto != PT_PROTO_TCP)
			strbuf_addch(sb, '-');
		else if (l->backlog_known)
			strbuf_printf(sb, "%u/%u", l->queued, l->backlog);
		else
			strbuf_printf(sb, "%u/?", l->queued);
		break;
	case BCOL_FLAGS:
		batch_flags_text(sb, l->flags);
		break;
	case BCOL_COMMAND:
		batch_untrusted(sb, p != NULL ? p->cmdline : NULL);
		break;
	case BCOL_COUNT:
		break;
	}
}

static void
batch_table(struct strbuf *out, const struct pt_snapshot *snap, bool check)
{
	struct strbuf *cells, line = STRBUF_INIT;
	size_t width[BCOL_COUNT], nrows = 0, r, i, c, w;

	cells = xcalloc(snap->nrows * BCOL_COUNT + 1, sizeof *cells);
	for (c = 0; c < BCOL_COUNT; c++)
		width[c] = strlen(batch_cols[c].title);
	for (r = 0; r < snap->nrows; r++) {
		if (!batch_row_wanted(&snap->rows[r], check))
			continue;
		for (c = 0; c < BCOL_COUNT; c++) {
			batch_cell(&cells[nrows * BCOL_COUNT + c], snap, &snap->rows[r], c);
			w = escape_width(strbuf_str(&cells[nrows * BCOL_COUNT + c]));
			if (w > width[c])
				width[c] = w;
		}
		nrows++;
	}
	for (i = 0; i <= nrows; i++) {
		strbuf_reset(&line);
		for (c = 0; c < BCOL_COUNT; c++) {
			const char *t = i == 0 ? batch_cols[c].title
					       : strbuf_str(&cells[(i - 1) * BCOL_COUNT + c]);
			size_t pad = c + 1 < BCOL_COUNT ? width[c] - escape_width(t) : 0;

			if (batch_cols[c].right)
				strbuf_printf(&line, "%*s", (int)pad, "");
			strbuf_addstr(&line, t);
			if (!batch_cols[c].right)
				strbuf_printf(&line, "%*s", (int)pad, "");
			if (c + 1 < BCOL_COUNT)
				strbuf_addstr(&line, "  ");
		}
		while (line.len > 0 && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		strbuf_printf(out, "%s\n", strbuf_str(&line));
	}
	if (snap->status != NULL) {
		strbuf_addstr(out, "# ");
		escape_text(out, snap->status, strlen(snap->status));
		strbuf_addch(out, '\n');
	}
	for (i = 0; i < nrows * BCOL_COUNT; i++)
		strbuf_fini(&cells[i]);
	free(cells);
	strbuf_fini(&line);
}

/* The interface addresses a reachable listener answers on. */
static void
batch_json_reach(struct json *j, const struct pt_snapshot *snap, const struct pt_listener *l)
{
	char buf[ADDR_STRLEN];
	size_t *idx, n, i;

	json_arr_begin(j);
	if (l->cls.reachable && snap->nifaddrs > 0) {
		idx = xreallocarray(NULL, snap->nifaddrs, sizeof *idx);
		n = policy_reach(&l->key, &l->cls, l->ifindex, snap->ifaddrs, snap->nifaddrs, idx);
		for (i = 0; i < n; i++) {
			const struct pt_ifaddr *a = &snap->ifaddrs[idx[i]];

			json_obj_begin(j);
			json_key(j, "interface");
			json_str(j, a->name);
			json_key(j, "address");
			addr_format(a->family, a->addr, buf, sizeof buf);
			json_str(j, buf);
			json_obj_end(j);
		}
		free(idx);
	}
	json_arr_end(j);
}

static void
batch_json_listener(struct json *j, const struct pt_snapshot *snap, const struct pt_listener *l)
{
	char buf[ADDR_STRLEN];
	const struct pt_proc *p;
	size_t i;
	unsigned bit;

	json_obj_begin(j);
	json_key(j, "proto");
	json_str(j, proto_name(l->key.proto));
	json_key(j, "family");
	json_str(j, family_name(l->key.family));
	json_key(j, "address");
	addr_format(l->key.family, l->key.addr, buf, sizeof buf);
	json_str(j, buf);
	json_key(j, "port");
	json_uint(j, l->key.port);
	json_key(j, "dual_stack");
	json_bool(j, l->cls.dual_stack);
	json_key(j, "scope");
	json_str(j, policy_scope_name(l->cls.scope));
	json_key(j, "ifindex");
	json_uint(j, l->ifindex);
	json_key(j, "range");
	json_str(j, ports_class_name(ports_class(l->key.port, &snap->ephemeral, NULL)));
	json_key(j, "uid");
	json_uint(j, l->uid);
	json_key(j, "sockets");
	json_uint(j, l->nsocks);
	json_key(j, "owners");
	json_arr_begin(j);
	for (i = 0; i < l->nprocs; i++) {
		p = l->procs[i];
		json_obj_begin(j);
		json_key(j, "pid");
		json_int(j, p->pid);
		json_key(j, "comm");
		json_str(j, p->comm);
		json_key(j, "user");
		json_str(j, p->user);
		json_key(j, "uid");
		json_uint(j, p->uid);
		json_key(j, "cmdline");
		json_str(j, p->cmdline);
		json_key(j, "exe");
		json_str(j, p->exe);
		json_key(j, "unit");
		json_str(j, p->unit);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "connections");
	json_obj_begin(j);
	/* Always every state, so the schema is stable; the metrics report the same ones. */
	for (i = 0; i < metrics_nconn_states; i++) {
		json_key(j, state_key(metrics_conn_states[i]));
		json_uint(j, l->conns[metrics_conn_states[i]]);
	}
	json_obj_end(j);
	json_key(j, "accept_queue");
	json_obj_begin(j);
	json_key(j, "current");
	json_uint(j, l->queued);
	json_key(j, "backlog");
	if (l->backlog_known)
		json_uint(j, l->backlog);
	else
		json_null(j);
	json_obj_end(j);
	json_key(j, "reachable_on");
	batch_json_reach(j, snap, l);
	json_key(j, "first_seen");
	json_time(j, l->first_seen_ms);
	json_key(j, "flags");
	json_arr_begin(j);
	for (bit = 0; bit < PT_FLAG_COUNT; bit++)
		if (l->flags & (1u << bit))
			json_str(j, flag_name(bit));
	json_arr_end(j);
	json_obj_end(j);
}

static void
batch_json(struct strbuf *out, const struct pt_snapshot *snap, bool check)
{
	struct json j;
	size_t r;

	json_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "version");
	json_uint(&j, 1);
	json_key(&j, "time");
	json_time(&j, snap->time_ms);
	json_key(&j, "source");
	json_str(&j, snap->source == PT_SOURCE_SOCKDIAG ? "sock_diag" : "procnet");
	json_key(&j, "cost_us");
	json_obj_begin(&j);
	json_key(&j, "wall");
	json_uint(&j, snap->cost_wall_us);
	json_key(&j, "cpu");
	json_uint(&j, snap->cost_cpu_us);
	json_obj_end(&j);
	json_key(&j, "inconsistent");
	json_bool(&j, snap->inconsistent);
	json_key(&j, "conns_stale");
	json_bool(&j, snap->conns_stale);
	json_key(&j, "status");
	json_str(&j, snap->status);
	json_key(&j, "ephemeral_range");
	json_arr_begin(&j);
	json_uint(&j, snap->ephemeral.lo);
	json_uint(&j, snap->ephemeral.hi);
	json_arr_end(&j);
	json_key(&j, "totals");
	json_obj_begin(&j);
	json_key(&j, "tcp_listeners");
	json_uint(&j, snap->totals.listeners[PT_PROTO_TCP]);
	json_key(&j, "udp_listeners");
	json_uint(&j, snap->totals.listeners[PT_PROTO_UDP]);
	json_key(&j, "exposed");
	json_uint(&j, snap->totals.exposed);
	json_key(&j, "stuck");
	json_uint(&j, snap->totals.stuck);
	json_key(&j, "established");
	json_uint(&j, snap->totals.established);
	json_key(&j, "time_wait");
	json_uint(&j, snap->totals.time_wait);
	json_key(&j, "sockets");
	json_uint(&j, snap->totals.sockets);
	json_key(&j, "ephemeral_used");
	json_uint(&j, snap->totals.ephemeral_used);
	json_key(&j, "ephemeral_size");
	json_uint(&j, snap->totals.ephemeral_size);
	json_key(&j, "owners_unknown");
	json_uint(&j, snap->totals.owners_unknown);
	json_obj_end(&j);
	json_key(&j, "listeners");
	json_arr_begin(&j);
	for (r = 0; r < snap->nrows; r++)
		if (batch_row_wanted(&snap->rows[r], check))
			batch_json_listener(&j, snap, &snap->rows[r]);
	json_arr_end(&j);
	json_obj_end(&j);
	strbuf_addch(out, '\n');
}

void
batch_render(struct strbuf *out, const struct pt_snapshot *snap, enum batch_format format,
	bool check)
{
	switch (format) {
	case BATCH_FORMAT_TABLE:
		if (check && snap->totals.exposed == 0)
			strbuf_addstr(out, "no unexpected exposed listeners\n");
		else
			batch_table(out, snap, check);
		break;
	case BATCH_FORMAT_JSON:
		batch_json(out, snap, check);
		break;
	case BATCH_FORMAT_PROMETHEUS:
		metrics_format(out, snap);
		break;
	}
}

/* Replace every output file with this sample. 0, or -1 after a message. */
static int
batch_write_files(const struct pt_snapshot *snap, const struct batch_opts *opts)
{
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;
	int status = 0;
	size_t i;

	for (i = 0; i < opts->noutputs; i++) {
		strbuf_reset(&sb);
		batch_render(&sb, snap, opts->outputs[i].format, false);
		/* Readable by others: a metrics collector usually runs as another user. */
		if (fileio_write_atomic(opts->outputs[i].path, sb.buf, sb.len, 0644, &cause) != 0) {
			fprintf(stderr, "porttop: %s\n", cause);
			free(cause);
			cause = NULL;
			status = -1;
		}
	}
	strbuf_fini(&sb);
	return status;
}

int
batch_run(struct sampler *s, const struct batch_opts *opts)
{
	struct strbuf out = STRBUF_INIT;
	struct pt_snapshot *snap;
	int i, status = 0, write_failed = 0;

	for (i = 0; opts->iterations == 0 || i < opts->iterations; i++) {
		if (i > 0 && stop_wait(opts->delay_ms))
			break;
		snap = sampler_sample(s);
		if (snap->read_error != 0) {
			fprintf(stderr, "porttop: cannot read socket tables: %s\n",
				strerror(-snap->read_error));
			sampler_release(s, snap);
			strbuf_fini(&out);
			return 2;
		}
		if (opts->check)
			status = snap->totals.exposed > 0 ? 1 : 0;
		if (opts->noutputs > 0) {
			if (batch_write_files(snap, opts) != 0)
				write_failed = 1;
		} else if (!opts->quiet) {
			strbuf_reset(&out);
			if (i > 0 && opts->format == BATCH_FORMAT_TABLE)
				strbuf_addch(&out, '\n');
			batch_render(&out, snap, opts->format, opts->check);
			fwrite(out.buf, 1, out.len, stdout);
			fflush(stdout);
		}
		sampler_release(s, snap);
		if (ferror(stdout))
			break;
	}
	strbuf_fini(&out);
	if (ferror(stdout) || write_failed)
		return 2;
	return status;
}
