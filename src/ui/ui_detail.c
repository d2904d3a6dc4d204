/* ui_detail.c — Enter on a row: its command line, owners, sockets, connections and flags. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "porttop/addr.h"
#include "porttop/format.h"
#include "porttop/sampler.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

#define LABEL_W 14

void
ui_detail_open(struct ui *ui, const struct pt_key *key)
{
	ui->detail_key = *key;
	ui->detail_top = 0;
	ui->mode = ui->back = UI_MODE_DETAIL;
	/* connections and their client processes are attributed for this one listener only */
	sampler_set_focus(ui->sampler, key);
}

void
ui_detail_close(struct ui *ui)
{
	sampler_set_focus(ui->sampler, NULL);
	ui->mode = ui->back = UI_MODE_TABLE;
}

/* "label" padded to the label column. */
static const char *
ui_detail_label(char *buf, size_t size, const char *label)
{
	snprintf(buf, size, "%-*s", LABEL_W, label);
	return buf;
}

static void
ui_detail_add(
        struct ui *ui, struct ui_lines *ls, const char *label, const char *text, enum ui_elem e)
{
	char buf[64];

	ui_lines_add(ls, ui_detail_label(buf, sizeof buf, label), ui_attr(UE_HEADER_LABEL), text,
	        ui_attr(e));
}

static void
ui_detail_section(struct ui *ui, struct ui_lines *ls, const char *title)
{
	ui_lines_add(ls, NULL, 0, "", 0);
	ui_lines_add(ls, NULL, 0, title, ui_attr(UE_SECTION));
}

/* "eth0 192.168.1.5, docker0 172.17.0.1": where another machine can reach l. */
static void
ui_detail_reach(struct ui *ui, struct ui_lines *ls, const struct pt_listener *l)
{
	const struct pt_snapshot *s = ui->snap;
	struct strbuf sb = STRBUF_INIT;
	size_t *idx, n, i;

	idx = xreallocarray(NULL, s->nifaddrs + 1, sizeof *idx);
	n = policy_reach(&l->key, &l->cls, l->ifindex, s->ifaddrs, s->nifaddrs, idx);
	for (i = 0; i < n; i++) {
		const struct pt_ifaddr *a = &s->ifaddrs[idx[i]];
		char text[ADDR_STRLEN];

		addr_format(a->family, a->addr, text, sizeof text);
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		ui_escape(&sb, a->name);
		strbuf_printf(&sb, " %s", text);
	}
	ui_detail_add(ui, ls, "Reachable on",
	        n > 0 ? strbuf_str(&sb) : "no interface address answers for it (yet)", UE_NORMAL);
	free(idx);
	strbuf_fini(&sb);
}

/* "addr:port" with IPv6 in brackets. */
static void
ui_detail_endpoint(struct strbuf *out, unsigned family, const uint8_t addr[16], uint16_t port)
{
	char a[ADDR_STRLEN];

	addr_format(family, addr, a, sizeof a);
	if (family == PT_FAMILY_IPV6)
		strbuf_printf(out, "[%s]:%u", a, (unsigned)port);
	else
		strbuf_printf(out, "%s:%u", a, (unsigned)port);
}

/* The accept queue's last samples as a sparkline, scaled to the backlog or the peak. */
static void
ui_detail_sparkline(struct ui *ui, struct strbuf *out, const struct pt_listener *l)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
		"\u2586", "\u2587", "\u2588" };
	static const char ascii[] = "_.:-=+*#";
	uint32_t peak = 0, top, i;

	for (i = 0; i < l->qhist_len && i < PT_QHIST; i++)
		if (l->qhist[i] > peak)
			peak = l->qhist[i];
	top = l->backlog_known && l->backlog > peak ? l->backlog : peak;
	for (i = 0; i < l->qhist_len && i < PT_QHIST; i++) {
		uint32_t v = l->qhist[i];
		unsigned level = 0;

		/* 0 gets the lowest block; anything waiting at least the second */
		if (v > 0 && top > 0)
			level = 1 + (unsigned)((uint64_t)(v - 1) * 7 / top);
		if (level > 7)
			level = 7;
		if (ui->utf8)
			strbuf_addstr(out, blocks[level]);
		else
			strbuf_addch(out, ascii[level]);
	}
	strbuf_printf(out, "  peak %" PRIu32 " over %" PRIu32 " samples", peak, l->qhist_len);
}

static void
ui_detail_overview(struct ui *ui, struct ui_lines *ls, const struct pt_listener *l)
{
	const struct pt_snapshot *s = ui->snap;
	struct strbuf sb = STRBUF_INIT;
	char buf[FORMAT_ADDR_STRLEN], d[32];
	unsigned i;
	bool any = false;

	strbuf_printf(&sb, "%c ", format_scope_mark(l->cls.scope));
	format_address(buf, sizeof buf, &l->key, &l->cls, l->ifindex, NULL);
	strbuf_printf(&sb, "%s, %s", buf, format_scope_words(l->cls.scope));
	if (l->cls.scope == PT_SCOPE_ALL)
		strbuf_addstr(&sb, l->key.family == PT_FAMILY_IPV4 ? " (IPv4)"
		                   : l->cls.dual_stack             ? " (IPv6 and IPv4: dual stack)"
		                                                   : " (IPv6 only)");
	if (l->cls.link_local)
		strbuf_addstr(&sb, ", link-local");
	strbuf_addstr(
	        &sb, l->cls.reachable ? "; reachable from other machines" : "; this machine only");
	ui_detail_add(ui, ls, "Bind", strbuf_str(&sb),
	        l->flags & PT_FLAG_EXPOSED ? UE_EXPOSED : UE_NORMAL);
	if (l->cls.reachable)
		ui_detail_reach(ui, ls, l);

	strbuf_reset(&sb);
	strbuf_printf(&sb, "%u, %s", (unsigned)l->key.port,
	        ports_class_name(columns_port_class(l, &ui->ctx)));
	if (s->ephemeral.hi >= s->ephemeral.lo)
		strbuf_printf(&sb, " (ephemeral range %u%s%u)", (unsigned)s->ephemeral.lo,
		        ui->utf8 ? "\u2013" : "-", (unsigned)s->ephemeral.hi);
	ui_detail_add(ui, ls, "Port", strbuf_str(&sb), UE_NORMAL);

	strbuf_reset(&sb);
	if (l->gone_ms != 0) {
		format_duration(d, sizeof d, s->time_ms - l->gone_ms);
		strbuf_printf(&sb, "gone %s ago", d);
	} else {
		time_t t = (time_t)(l->first_seen_ms / 1000);
		struct tm tm;
		char when[32];

		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		format_duration(d, sizeof d, s->time_ms - l->first_seen_ms);
		strbuf_printf(&sb, "for %s (first seen at %s)", d, when);
	}
	ui_detail_add(ui, ls, "Seen", strbuf_str(&sb), UE_NORMAL);

	if (l->key.proto == PT_PROTO_TCP) {
		strbuf_reset(&sb);
		strbuf_printf(&sb, "%" PRIu32 " waiting", l->queued);
		if (l->backlog_known)
			strbuf_printf(&sb, ", backlog %" PRIu32, l->backlog);
		ui_detail_add(ui, ls, "Accept queue", strbuf_str(&sb),
		        l->flags & PT_FLAG_STUCK ? UE_STUCK : UE_NORMAL);
		if (l->qhist_len > 0) {
			strbuf_reset(&sb);
			ui_detail_sparkline(ui, &sb, l);
			ui_detail_add(ui, ls, "Queue history", strbuf_str(&sb), UE_NORMAL);
		}
	}

	strbuf_reset(&sb);
	for (i = 1; i < PT_STATE_MAX; i++) {
		if (l->conns[i] == 0 || i == PT_STATE_LISTEN || i == PT_STATE_CLOSE)
			continue;
		strbuf_printf(&sb, "%s%" PRIu32 " %s", any ? ", " : "", l->conns[i], state_name(i));
		any = true;
	}
	ui_detail_add(ui, ls, "Connections", any ? strbuf_str(&sb) : "none", UE_NORMAL);
	strbuf_fini(&sb);
}

static void
ui_detail_why(struct ui *ui, struct ui_lines *ls, const struct pt_listener *l)
{
	struct strbuf sb = STRBUF_INIT;
	char d[32];

	ui_detail_section(ui, ls, "Why it is flagged");
	if (l->flags & PT_FLAG_EXPOSED)
		ui_detail_add(ui, ls, "EXPOSED",
		        "other machines can connect (it is not bound to loopback) and no "
		        "expected-service rule covers it. A firewall may still block it: porttop "
		        "reads sockets, not firewall rules. Press a to expect it.",
		        UE_EXPOSED);
	if (l->flags & PT_FLAG_EPHEMERAL) {
		strbuf_printf(&sb,
		        "port %u is inside the kernel's ephemeral range, which outgoing "
		        "connections "
		        "draw from: a client may take the port while the service is down, and the "
		        "service then cannot bind it again.",
		        (unsigned)l->key.port);
		ui_detail_add(ui, ls, "EPHEMERAL", strbuf_str(&sb), UE_EPHEMERAL);
	}
	if (l->flags & PT_FLAG_STUCK) {
		strbuf_reset(&sb);
		strbuf_printf(&sb,
		        "%" PRIu32 " connections have waited in the accept queue for %" PRIu32
		        " samples without it draining: the process is not calling accept().",
		        l->queued, l->stuck_run);
		ui_detail_add(ui, ls, "STUCK", strbuf_str(&sb), UE_STUCK);
	}
	if (l->flags & PT_FLAG_NEW) {
		strbuf_reset(&sb);
		format_duration(d, sizeof d, ui->snap->time_ms - l->first_seen_ms);
		strbuf_printf(&sb, "appeared %s ago.", d);
		ui_detail_add(ui, ls, "NEW", strbuf_str(&sb), UE_NEW);
	}
	if (l->flags & PT_FLAG_GONE)
		ui_detail_add(ui, ls, "GONE",
		        "no longer in the kernel's tables; the row stays for a few seconds.",
		        UE_GONE);
	if ((l->flags & (PT_FLAG_EXPOSED | PT_FLAG_EPHEMERAL | PT_FLAG_STUCK | PT_FLAG_NEW |
	                        PT_FLAG_GONE)) == 0)
		ui_detail_add(ui, ls, "nothing",
		        l->cls.reachable
		                ? "reachable, but an expected-service rule covers it."
		                : "loopback only, outside the ephemeral range, queue fine.",
		        UE_NORMAL);
	strbuf_fini(&sb);
}

static void
ui_detail_owners(struct ui *ui, struct ui_lines *ls, const struct pt_listener *l)
{
	struct strbuf sb = STRBUF_INIT;
	char label[32];
	size_t i, j;

	ui_detail_section(ui, ls, "Owners");
	if (l->nprocs == 0) {
		strbuf_printf(&sb,
		        "unknown. The socket was created by uid %" PRIu32 "; run porttop as root "
		        "to see other users' processes.",
		        l->uid);
		ui_detail_add(ui, ls, "", strbuf_str(&sb), UE_DIM);
	}
	for (i = 0; i < l->nprocs; i++) {
		const struct pt_proc *p = l->procs[i];

		snprintf(label, sizeof label, "pid %" PRId32, p->pid);
		strbuf_reset(&sb);
		ui_escape(&sb, p->comm);
		strbuf_addstr(&sb, ", user ");
		if (p->user != NULL)
			ui_escape(&sb, p->user);
		strbuf_printf(&sb, " (uid %" PRIu32 "), parent %" PRId32, p->uid, p->ppid);
		if (p->unit != NULL) {
			strbuf_addstr(&sb, ", unit ");
			ui_escape(&sb, p->unit);
		}
		strbuf_addstr(&sb, ", fd");
		for (j = 0; j < l->nowners; j++)
			if (l->owners[j].pid == p->pid)
				strbuf_printf(&sb, " %" PRId32, l->owners[j].fd);
		ui_detail_add(ui, ls, label, strbuf_str(&sb), UE_NORMAL);
		strbuf_reset(&sb);
		if (p->cmdline != NULL && p->cmdline[0] != '\0')
			ui_escape(&sb, p->cmdline);
		else
			strbuf_addstr(&sb, "(no command line)");
		ui_detail_add(ui, ls, "  command", strbuf_str(&sb), UE_NORMAL);
		if (p->cgroup != NULL) {
			strbuf_reset(&sb);
			ui_escape(&sb, p->cgroup);
			ui_detail_add(ui, ls, "  cgroup", strbuf_str(&sb), UE_DIM);
		}
	}
	strbuf_fini(&sb);
}

static void
ui_detail_sockets(struct ui *ui, struct ui_lines *ls, const struct pt_listener *l)
{
	struct strbuf sb = STRBUF_INIT;
	char label[32];
	size_t i;

	ui_detail_section(ui, ls, l->nsocks > 1 ? "Sockets (an SO_REUSEPORT group)" : "Socket");
	for (i = 0; i < l->nsocks; i++) {
		const struct pt_sock *k = &l->socks[i];

		strbuf_reset(&sb);
		strbuf_printf(&sb, "uid %" PRIu32 ", %s", k->uid, state_name(k->state));
		if (k->proto == PT_PROTO_TCP && k->state == PT_STATE_LISTEN) {
			strbuf_printf(&sb, ", queue %" PRIu32, k->rqueue);
			if (k->flags & PT_SOCK_BACKLOG_KNOWN)
				strbuf_printf(&sb, "/%" PRIu32, k->wqueue);
		}
		if (k->family == PT_FAMILY_IPV6 && (k->flags & PT_SOCK_V6ONLY_KNOWN))
			strbuf_printf(&sb, ", v6only %s", k->v6only ? "yes" : "no");
		if (k->ifindex != 0)
			strbuf_printf(&sb, ", device index %" PRIu32, k->ifindex);
		if (k->flags & PT_SOCK_PROCNET)
			strbuf_addstr(&sb, ", read from /proc/net");
		snprintf(label, sizeof label, "inode %" PRIu32, k->inode);
		ui_detail_add(ui, ls, label, strbuf_str(&sb), UE_NORMAL);
	}
	strbuf_fini(&sb);
}

static void
ui_detail_conns(struct ui *ui, struct ui_lines *ls, const struct pt_listener *l)
{
	const struct pt_snapshot *s = ui->snap;
	struct strbuf peer = STRBUF_INIT, sb = STRBUF_INIT;
	size_t i;

	ui_detail_section(ui, ls, "Connections (peer, state, local client process)");
	if (!s->has_focus || key_cmp(&s->focus, &l->key) != 0) {
		ui_detail_add(ui, ls, "", "reading them: they arrive with the next sample", UE_DIM);
		goto out;
	}
	if (s->nfocus_conns == 0)
		ui_detail_add(ui, ls, "", "none", UE_DIM);
	for (i = 0; i < s->nfocus_conns; i++) {
		const struct pt_conn *c = &s->focus_conns[i];

		strbuf_reset(&peer);
		strbuf_reset(&sb);
		ui_detail_endpoint(&peer, c->sock.family, c->sock.paddr, c->sock.pport);
		while (peer.len < 24)
			strbuf_addch(&peer, ' ');
		strbuf_printf(&sb, "%-11s", state_name(c->sock.state));
		if (c->client != NULL) {
			strbuf_printf(&sb, " pid %" PRId32 " ", c->client->pid);
			ui_escape(&sb, c->client->comm);
			if (c->client->user != NULL) {
				strbuf_addstr(&sb, " (");
				ui_escape(&sb, c->client->user);
				strbuf_addch(&sb, ')');
			}
			if (c->client->cmdline != NULL && c->client->cmdline[0] != '\0') {
				strbuf_addstr(&sb, ": ");
				ui_escape(&sb, c->client->cmdline);
			}
		} else if (addr_is_loopback(c->sock.family, c->sock.paddr))
			strbuf_addstr(&sb, " (client process not visible)");
		ui_lines_add(ls, strbuf_str(&peer), ui_attr(UE_NORMAL), strbuf_str(&sb),
		        ui_attr(UE_NORMAL));
	}
out:
	strbuf_fini(&peer);
	strbuf_fini(&sb);
}

void
ui_detail_draw(struct ui *ui)
{
	const struct pt_listener *l =
	        ui->snap != NULL ? snapshot_find(ui->snap, &ui->detail_key) : NULL;
	struct ui_lines ls;
	struct strbuf title = STRBUF_INIT;
	char buf[FORMAT_ADDR_STRLEN];
	struct pt_class cls = { 0 };
	int y = ui->table_y, h = ui->rows - 1 - y;
	unsigned i;

	ui_lines_init(&ls, ui->cols - 2);
	format_address(buf, sizeof buf, &ui->detail_key, l != NULL ? &l->cls : &cls,
	        l != NULL ? l->ifindex : 0, NULL);
	strbuf_printf(&title, "%s %s:%u", proto_name(ui->detail_key.proto), buf,
	        (unsigned)ui->detail_key.port);
	if (l != NULL)
		for (i = 0; i < PT_FLAG_COUNT; i++)
			if (l->flags & (1u << i)) {
				const char *f = flag_name(i);

				strbuf_addstr(&title, "  ");
				for (; *f != '\0'; f++)
					strbuf_addch(&title, (char)toupper((unsigned char)*f));
			}
	ui_draw_fill(y, 0, ui->cols, ui_attr(UE_TITLE));
	ui_draw_text(y, 1, ui->cols - 1, strbuf_str(&title), ui_attr(UE_TITLE), false, false);
	if (l == NULL) {
		ui_lines_add(&ls, NULL, 0,
		        "This listener is no longer in the kernel's tables. Esc goes back.",
		        ui_attr(UE_DIM));
	} else {
		ui_detail_overview(ui, &ls, l);
		ui_detail_why(ui, &ls, l);
		ui_detail_owners(ui, &ls, l);
		ui_detail_sockets(ui, &ls, l);
		ui_detail_conns(ui, &ls, l);
	}
	ui->detail_len = ls.n;
	if (ui->detail_top + (size_t)(h - 1) > ls.n)
		ui->detail_top = ls.n > (size_t)(h - 1) ? ls.n - (size_t)(h - 1) : 0;
	ui_lines_draw(&ls, y + 1, 1, h - 1, ui->detail_top);
	ui_lines_fini(&ls);
	strbuf_fini(&title);
}
