/* columns.c — the table's columns: titles, widths, what narrow terminals drop, sort order, text. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "porttop/columns.h"
#include "porttop/escape.h"
#include "porttop/format.h"
#include "porttop/strbuf.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

const struct pt_proc *
columns_primary(const struct pt_listener *l)
{
	return l->nprocs > 0 ? l->procs[0] : NULL;
}

enum pt_port_class
columns_port_class(const struct pt_listener *l, const struct col_ctx *ctx)
{
	static const struct pt_port_range none = { 1, 0 };
	const struct pt_port_range *eph =
	        ctx != NULL && ctx->snap != NULL ? &ctx->snap->ephemeral : &none;
	enum pt_port_class c = ports_class(l->key.port, eph, NULL);

	if (c == PT_PORT_EPHEMERAL && !(l->flags & PT_FLAG_EPHEMERAL))
		c = PT_PORT_REGISTERED;
	return c;
}

void
columns_flag_letters(struct strbuf *out, uint32_t flags)
{
	static const char letters[PT_FLAG_COUNT] = "ERSNG";
	unsigned i;

	for (i = 0; i < PT_FLAG_COUNT; i++)
		if (flags & (1u << i))
			strbuf_addch(out, letters[i]);
}

/* Untrusted text, escaped; "" for NULL. */
static void
columns_escaped(struct strbuf *out, const char *s)
{
	if (s != NULL)
		escape_text(out, s, strlen(s));
}

static uint32_t
columns_established(const struct pt_listener *l)
{
	return l->conns[PT_STATE_ESTABLISHED];
}

static int64_t
columns_age_ms(const struct pt_listener *l, const struct col_ctx *ctx)
{
	int64_t end;

	if (l->gone_ms != 0)
		end = l->gone_ms;
	else if (ctx != NULL && ctx->snap != NULL)
		end = ctx->snap->time_ms;
	else
		end = l->first_seen_ms;
	return end - l->first_seen_ms;
}

/* NULL sorts after every string, so rows without an owner gather at the end. */
static int
columns_strcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return CMP(a == NULL, b == NULL);
	return strcmp(a, b);
}

static const char *
columns_comm(const struct pt_listener *l)
{
	const struct pt_proc *p = columns_primary(l);

	return p != NULL ? p->comm : NULL;
}

/* --- PROTO ---------------------------------------------------------------------------- */

static void
columns_fmt_proto(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	strbuf_addstr(out, proto_name(l->key.proto));
}

static int
columns_cmp_proto(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	if (a->key.proto != b->key.proto)
		return CMP(a->key.proto, b->key.proto);
	return CMP(a->key.family, b->key.family);
}

/* --- ADDRESS -------------------------------------------------------------------------- */

static void
columns_fmt_address(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	char buf[FORMAT_ADDR_STRLEN];
	const char *ifname = NULL;

	if (l->ifindex != 0 && ctx != NULL && ctx->ifname != NULL)
		ifname = ctx->ifname(l->ifindex, ctx->ifname_arg);
	format_address(buf, sizeof buf, &l->key, &l->cls, l->ifindex, NULL);
	if (ifname != NULL) {
		/* the name comes from the kernel but is still someone's choice: escape it */
		struct strbuf esc = STRBUF_INIT;

		columns_escaped(&esc, ifname);
		format_address(buf, sizeof buf, &l->key, &l->cls, l->ifindex, strbuf_str(&esc));
		strbuf_fini(&esc);
	}
	strbuf_printf(out, "%c %s", format_scope_mark(l->cls.scope), buf);
}

static int
columns_cmp_address(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	if (a->key.family != b->key.family)
		return CMP(a->key.family, b->key.family);
	return memcmp(a->key.addr, b->key.addr, sizeof a->key.addr);
}

/* --- PORT, RANGE ---------------------------------------------------------------------- */

static void
columns_fmt_port(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	strbuf_printf(out, "%u", (unsigned)l->key.port);
}

static int
columns_cmp_port(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	return CMP(a->key.port, b->key.port);
}

static void
columns_fmt_range(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	strbuf_addstr(out, ports_class_name(columns_port_class(l, ctx)));
}

/* The "r" sort: ephemeral-range squatters group together, each class in port order. */
static int
columns_cmp_range(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	enum pt_port_class ca = columns_port_class(a, ctx), cb = columns_port_class(b, ctx);

	if (ca != cb)
		return CMP(ca, cb);
	return CMP(a->key.port, b->key.port);
}

/* --- PID, USER, PROCESS, UNIT, COMMAND ------------------------------------------------ */

static void
columns_fmt_pid(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	const struct pt_proc *p = columns_primary(l);

	if (p == NULL)
		strbuf_addch(out, '-');
	else if (l->nprocs > 1)
		strbuf_printf(out, "%" PRId32 "+%zu", p->pid, l->nprocs - 1);
	else
		strbuf_printf(out, "%" PRId32, p->pid);
}

static int
columns_cmp_pid(const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	const struct pt_proc *pa = columns_primary(a), *pb = columns_primary(b);

	if (pa == NULL || pb == NULL)
		return CMP(pa == NULL, pb == NULL);
	return CMP(pa->pid, pb->pid);
}

static void
columns_fmt_user(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	const struct pt_proc *p = columns_primary(l);

	if (p != NULL && p->user != NULL)
		columns_escaped(out, p->user);
	else if (p != NULL)
		strbuf_printf(out, "%" PRIu32, p->uid);
	else
		strbuf_printf(out, "%" PRIu32, l->uid); /* the socket's creator */
}

static int
columns_cmp_user(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	const struct pt_proc *pa = columns_primary(a), *pb = columns_primary(b);
	const char *ua = pa != NULL ? pa->user : NULL, *ub = pb != NULL ? pb->user : NULL;

	if (ua != NULL && ub != NULL)
		return strcmp(ua, ub);
	if (ua != NULL || ub != NULL)
		return ua != NULL ? -1 : 1; /* names before bare uids */
	return CMP(pa != NULL ? pa->uid : a->uid, pb != NULL ? pb->uid : b->uid);
}

static void
columns_fmt_process(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	const char *comm = columns_comm(l);

	if (comm != NULL)
		columns_escaped(out, comm);
	else
		strbuf_addch(out, '?');
}

static int
columns_cmp_process(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	const char *x = columns_comm(a), *y = columns_comm(b);

	if (x != NULL && y != NULL) {
		int c = strcasecmp(x, y);

		return c != 0 ? c : strcmp(x, y);
	}
	return columns_strcmp(x, y);
}

static void
columns_fmt_unit(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	const struct pt_proc *p = columns_primary(l);

	if (p != NULL)
		columns_escaped(out, p->unit);
}

static int
columns_cmp_unit(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	const struct pt_proc *pa = columns_primary(a), *pb = columns_primary(b);

	return columns_strcmp(pa != NULL ? pa->unit : NULL, pb != NULL ? pb->unit : NULL);
}

static void
columns_fmt_command(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	const struct pt_proc *p = columns_primary(l);

	if (p == NULL)
		return;
	if (p->cmdline != NULL && p->cmdline[0] != '\0')
		columns_escaped(out, p->cmdline);
	else if (p->comm != NULL) {
		/* kernel threads and zombies have no command line: show the name as ps does */
		strbuf_addch(out, '[');
		columns_escaped(out, p->comm);
		strbuf_addch(out, ']');
	}
}

static int
columns_cmp_command(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	const struct pt_proc *pa = columns_primary(a), *pb = columns_primary(b);

	return columns_strcmp(pa != NULL ? pa->cmdline : NULL, pb != NULL ? pb->cmdline : NULL);
}

/* --- CONNS, QUEUE, UP, FLAGS ---------------------------------------------------------- */

static void
columns_fmt_conns(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	char buf[16];

	format_count(buf, sizeof buf, columns_established(l));
	strbuf_addstr(out, buf);
}

static int
columns_cmp_conns(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	return CMP(columns_established(a), columns_established(b));
}

static void
columns_fmt_queue(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	char buf[32];

	if (l->key.proto != PT_PROTO_TCP) {
		strbuf_addch(out, '-'); /* UDP has no accept queue */
		return;
	}
	format_queue(buf, sizeof buf, l->queued, l->backlog, l->backlog_known);
	strbuf_addstr(out, buf);
}

static int
columns_cmp_queue(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	if (a->queued != b->queued)
		return CMP(a->queued, b->queued);
	return CMP(a->backlog, b->backlog);
}

static void
columns_fmt_up(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	char buf[32];

	format_duration(buf, sizeof buf, columns_age_ms(l, ctx));
	strbuf_addstr(out, buf);
}

static int
columns_cmp_up(const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	return CMP(columns_age_ms(a, ctx), columns_age_ms(b, ctx));
}

static void
columns_fmt_flags(struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx)
{
	columns_flag_letters(out, l->flags);
}

/* By what matters most: exposed outranks stuck outranks ephemeral; new and gone last. */
static unsigned
columns_flag_weight(uint32_t flags)
{
	return (flags & PT_FLAG_EXPOSED ? 16u : 0) | (flags & PT_FLAG_STUCK ? 8u : 0) |
	       (flags & PT_FLAG_EPHEMERAL ? 4u : 0) | (flags & PT_FLAG_NEW ? 2u : 0) |
	       (flags & PT_FLAG_GONE ? 1u : 0);
}

static int
columns_cmp_flags(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx)
{
	return CMP(columns_flag_weight(a->flags), columns_flag_weight(b->flags));
}

/* --- the table ------------------------------------------------------------------------ */

static const struct col_def columns_table[COL_COUNT] = {
	[COL_PROTO] = { .name = "proto",
	        .title = "PROTO",
	        .help = "tcp or udp",
	        .min_width = 5,
	        .max_width = 5,
	        .drop = 6,
	        .cmp = columns_cmp_proto,
	        .format = columns_fmt_proto },
	[COL_ADDRESS] = { .name = "address",
	        .title = "ADDRESS",
	        .help = "bind address; L loopback, * all interfaces, A one address, D one device",
	        .min_width = 9,
	        .max_width = 47,
	        .drop = 0,
	        .cmp = columns_cmp_address,
	        .format = columns_fmt_address },
	[COL_PORT] = { .name = "port",
	        .title = "PORT",
	        .help = "local port",
	        .min_width = 5,
	        .max_width = 5,
	        .drop = 0,
	        .right = true,
	        .cmp = columns_cmp_port,
	        .format = columns_fmt_port },
	[COL_RANGE] = { .name = "range",
	        .title = "RANGE",
	        .help = "well-known, registered, or inside the kernel's ephemeral range",
	        .min_width = 10,
	        .max_width = 10,
	        .drop = 11,
	        .cmp = columns_cmp_range,
	        .format = columns_fmt_range },
	[COL_PID] = { .name = "pid",
	        .title = "PID",
	        .help = "owner process; +N when N more processes share the socket",
	        .min_width = 5,
	        .max_width = 14,
	        .drop = 3,
	        .right = true,
	        .cmp = columns_cmp_pid,
	        .format = columns_fmt_pid },
	[COL_USER] = { .name = "user",
	        .title = "USER",
	        .help = "owner's user",
	        .min_width = 4,
	        .max_width = 12,
	        .drop = 5,
	        .cmp = columns_cmp_user,
	        .format = columns_fmt_user },
	[COL_PROCESS] = { .name = "process",
	        .title = "PROCESS",
	        .help = "owner's command name; ? when it cannot be seen",
	        .min_width = 7,
	        .max_width = 20,
	        .drop = 1,
	        .cmp = columns_cmp_process,
	        .format = columns_fmt_process },
	[COL_UNIT] = { .name = "unit",
	        .title = "UNIT",
	        .help = "systemd unit or container, from the owner's cgroup",
	        .min_width = 4,
	        .max_width = 28,
	        .drop = 12,
	        .cmp = columns_cmp_unit,
	        .format = columns_fmt_unit },
	[COL_CONNS] = { .name = "conns",
	        .title = "CONNS",
	        .help = "established connections",
	        .min_width = 5,
	        .max_width = 5,
	        .drop = 7,
	        .right = true,
	        .desc_first = true,
	        .cmp = columns_cmp_conns,
	        .format = columns_fmt_conns },
	[COL_QUEUE] = { .name = "queue",
	        .title = "QUEUE",
	        .help = "accept queue: waiting connections / backlog",
	        .min_width = 5,
	        .max_width = 13,
	        .drop = 8,
	        .right = true,
	        .desc_first = true,
	        .cmp = columns_cmp_queue,
	        .format = columns_fmt_queue },
	[COL_UP] = { .name = "up",
	        .title = "UP",
	        .help = "time since porttop first saw it",
	        .min_width = 5,
	        .max_width = 6,
	        .drop = 9,
	        .right = true,
	        .cmp = columns_cmp_up,
	        .format = columns_fmt_up },
	[COL_FLAGS] = { .name = "flags",
	        .title = "FLAGS",
	        .help = "E exposed, R ephemeral range, S stuck queue, N new, G gone",
	        .min_width = 5,
	        .max_width = 5,
	        .drop = 4,
	        .desc_first = true,
	        .cmp = columns_cmp_flags,
	        .format = columns_fmt_flags },
	[COL_COMMAND] = { .name = "command",
	        .title = "COMMAND",
	        .help = "owner's command line",
	        .min_width = 7,
	        .max_width = 0,
	        .drop = 10,
	        .cmp = columns_cmp_command,
	        .format = columns_fmt_command },
};

const struct col_def *
columns_def(enum col_id id)
{
	return &columns_table[(unsigned)id < COL_COUNT ? id : 0];
}

int
columns_find(const char *name)
{
	int i;

	for (i = 0; i < COL_COUNT; i++)
		if (strcasecmp(name, columns_table[i].name) == 0)
			return i;
	return -1;
}

void
columns_format(
        struct strbuf *out, enum col_id id, const struct pt_listener *l, const struct col_ctx *ctx)
{
	if ((unsigned)id < COL_COUNT)
		columns_table[id].format(out, l, ctx);
}

int
columns_cmp(enum col_id id, const struct pt_listener *a, const struct pt_listener *b,
        const struct col_ctx *ctx)
{
	if ((unsigned)id >= COL_COUNT)
		return 0;
	return columns_table[id].cmp(a, b, ctx);
}

static unsigned
columns_clamp(const struct col_def *d, unsigned want)
{
	if (want < d->min_width)
		return d->min_width;
	if (d->max_width != 0 && want > d->max_width)
		return d->max_width;
	return want;
}

void
columns_layout(
        struct col_layout *lay, unsigned width, const unsigned want[COL_COUNT], uint32_t hidden)
{
	unsigned w[COL_COUNT], used, x, i;
	bool on[COL_COUNT];
	size_t n;

	used = 0;
	n = 0;
	for (i = 0; i < COL_COUNT; i++) {
		on[i] = !(hidden & (1u << i));
		w[i] = columns_clamp(&columns_table[i], want[i]);
		if (on[i] && i != COL_COMMAND) {
			used += w[i] + (n > 0);
			n++;
		}
	}
	/* Drop the most expendable column until the fixed ones fit. */
	while (used > width) {
		unsigned worst = COL_COUNT;

		for (i = 0; i < COL_COUNT; i++)
			if (on[i] && i != COL_COMMAND && columns_table[i].drop != 0 &&
			        (worst == COL_COUNT ||
			                columns_table[i].drop > columns_table[worst].drop))
				worst = i;
		if (worst == COL_COUNT)
			break; /* only undroppable columns left: they get cut at the edge */
		on[worst] = false;
		used -= w[worst] + (n > 1);
		n--;
	}
	if (on[COL_COMMAND]) {
		unsigned sep = n > 0;

		if (used + sep + columns_table[COL_COMMAND].min_width <= width)
			w[COL_COMMAND] = width - used - sep;
		else
			on[COL_COMMAND] = false;
	}
	lay->n = 0;
	x = 0;
	for (i = 0; i < COL_COUNT; i++) {
		if (!on[i])
			continue;
		if (x >= width)
			break;
		lay->slots[lay->n].id = (enum col_id)i;
		lay->slots[lay->n].x = x;
		lay->slots[lay->n].width = x + w[i] <= width ? w[i] : width - x;
		lay->n++;
		x += w[i] + 1;
	}
}

int
columns_at(const struct col_layout *lay, unsigned x)
{
	size_t i;

	/* the space after a column belongs to it: a click between two titles still sorts */
	for (i = 0; i < lay->n; i++)
		if (x >= lay->slots[i].x &&
		        x < lay->slots[i].x + lay->slots[i].width + (i + 1 < lay->n))
			return (int)lay->slots[i].id;
	return -1;
}
