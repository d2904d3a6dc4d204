/* ui_header.c — the lines above the table: host, time, totals, ephemeral meter, status line. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "porttop/filter.h"
#include "porttop/escape.h"
#include "porttop/format.h"
#include "ui_internal.h"

/* Below this height the header shrinks to one line, leaving room for rows. */
#define UI_HEADER_FULL_LINES 14

int
ui_header_height(const struct ui *ui)
{
	return ui->rows >= UI_HEADER_FULL_LINES ? 4 : 2;
}

/* Draw text at *x, moving *x past it. */
static void
ui_header_put(struct ui *ui, int y, int *x, const char *text, enum ui_elem e)
{
	if (*x < ui->cols)
		*x += ui_draw_text(y, *x, ui->cols - *x, text, ui_attr(e), false, false);
}

/* "label value  " */
static void
ui_header_pair(
        struct ui *ui, int y, int *x, const char *label, const char *value, enum ui_elem value_elem)
{
	ui_header_put(ui, y, x, label, UE_HEADER_LABEL);
	ui_header_put(ui, y, x, value, value_elem);
	ui_header_put(ui, y, x, "   ", UE_NORMAL);
}

static void
ui_header_host(char *buf, size_t size)
{
	char host[256];
	struct strbuf sb = STRBUF_INIT;

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	ui_escape(&sb, host);
	snprintf(buf, size, "%s", strbuf_str(&sb));
	strbuf_fini(&sb);
}

static void
ui_header_ms(char *buf, size_t size, uint32_t us)
{
	if (us < 10000)
		snprintf(buf, size, "%" PRIu32 ".%" PRIu32 " ms", us / 1000, us % 1000 / 100);
	else
		snprintf(buf, size, "%" PRIu32 " ms", us / 1000);
}

static void
ui_header_paused(struct ui *ui, int y)
{
	static const char text[] = " PAUSED ";

	if (ui->paused && ui->cols > (int)sizeof text)
		ui_draw_text(y, ui->cols - (int)sizeof text + 1, (int)sizeof text - 1, text,
		        ui_attr(UE_PAUSED), false, false);
}

static void
ui_header_first_line(struct ui *ui, int y, bool compact)
{
	const struct pt_snapshot *s = ui->snap;
	char host[300], buf[64], cost[32];
	int x = 0;

	ui_header_put(ui, y, &x, "porttop ", UE_HEADER_VALUE);
	if (!compact) {
		ui_header_host(host, sizeof host);
		ui_header_put(ui, y, &x, "on ", UE_HEADER_LABEL);
		ui_header_put(ui, y, &x, host, UE_HEADER_VALUE);
		ui_header_put(ui, y, &x, "   ", UE_NORMAL);
	}
	if (s != NULL) {
		time_t t = (time_t)(s->time_ms / 1000);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%H:%M:%S", &tm);
		ui_header_put(ui, y, &x, buf, UE_HEADER_VALUE);
		ui_header_put(ui, y, &x, "   ", UE_NORMAL);
	}
	format_interval(buf, sizeof buf, ui->set.interval_tenths);
	ui_header_pair(ui, y, &x, "every ", buf, UE_HEADER_VALUE);
	if (s == NULL) {
		ui_header_put(ui, y, &x, "waiting for the first sample", UE_DIM);
	} else if (compact) {
		snprintf(buf, sizeof buf, "%" PRIu32 "/%" PRIu32, s->totals.listeners[PT_PROTO_TCP],
		        s->totals.listeners[PT_PROTO_UDP]);
		ui_header_pair(ui, y, &x, "tcp/udp ", buf, UE_HEADER_VALUE);
		snprintf(buf, sizeof buf, "%" PRIu32, s->totals.exposed);
		ui_header_pair(ui, y, &x, "exposed ", buf,
		        s->totals.exposed ? UE_HEADER_WARN : UE_HEADER_VALUE);
	} else {
		ui_header_ms(buf, sizeof buf, s->cost_wall_us);
		ui_header_ms(cost, sizeof cost, s->cost_cpu_us);
		ui_header_put(ui, y, &x, "sample ", UE_HEADER_LABEL);
		ui_header_put(ui, y, &x, buf, UE_HEADER_VALUE);
		ui_header_put(ui, y, &x, " (cpu ", UE_HEADER_LABEL);
		ui_header_put(ui, y, &x, cost, UE_HEADER_VALUE);
		ui_header_put(ui, y, &x, ")", UE_HEADER_LABEL);
	}
	ui_header_paused(ui, y);
}

static void
ui_header_totals(struct ui *ui, int y)
{
	const struct pt_totals *t = &ui->snap->totals;
	char buf[64];
	int x = 0;

	snprintf(buf, sizeof buf, "%" PRIu32 " tcp, %" PRIu32 " udp", t->listeners[PT_PROTO_TCP],
	        t->listeners[PT_PROTO_UDP]);
	ui_header_pair(ui, y, &x, "Listeners: ", buf, UE_HEADER_VALUE);
	snprintf(buf, sizeof buf, "%" PRIu32, t->exposed);
	ui_header_pair(ui, y, &x, "Exposed: ", buf, t->exposed ? UE_HEADER_WARN : UE_HEADER_VALUE);
	snprintf(buf, sizeof buf, "%" PRIu32, t->stuck);
	ui_header_pair(ui, y, &x, "Stuck: ", buf, t->stuck ? UE_HEADER_WARN : UE_HEADER_VALUE);
	snprintf(buf, sizeof buf, "%" PRIu32, t->established);
	ui_header_pair(ui, y, &x, "Established: ", buf, UE_HEADER_VALUE);
	snprintf(buf, sizeof buf, "%" PRIu32, t->time_wait);
	ui_header_pair(ui, y, &x, "TIME_WAIT: ", buf, UE_HEADER_VALUE);
}

static void
ui_header_meter(struct ui *ui, int y)
{
	const struct pt_snapshot *s = ui->snap;
	uint32_t used = s->totals.ephemeral_used, size = s->totals.ephemeral_size;
	char range[40], count[64];
	int x = 0, bar, fill, i;

	snprintf(range, sizeof range, "%u%s%u ", (unsigned)s->ephemeral.lo,
	        ui->utf8 ? "\u2013" : "-", (unsigned)s->ephemeral.hi);
	if (size > 0)
		snprintf(count, sizeof count, " %" PRIu32 "/%" PRIu32 " %.1f%%", used, size,
		        100.0 * used / size);
	else
		snprintf(count, sizeof count, " %" PRIu32 "/0", used);
	ui_header_put(ui, y, &x, "Ephemeral ", UE_HEADER_LABEL);
	ui_header_put(ui, y, &x, range, UE_HEADER_VALUE);
	/* the bar takes what is left, between 10 and 40 columns */
	bar = ui->cols - x - (int)strlen(count) - 2 - 26;
	if (bar > 40)
		bar = 40;
	if (bar >= 10) {
		fill = size > 0 ? (int)((uint64_t)used * (uint64_t)bar / size) : 0;
		if (used > 0 && fill == 0)
			fill = 1; /* something is in use: show it */
		ui_header_put(ui, y, &x, "[", UE_HEADER_LABEL);
		for (i = 0; i < bar; i++)
			ui_header_put(ui, y, &x, i < fill ? "|" : " ",
			        i < fill ? UE_METER_USED : UE_METER_FREE);
		ui_header_put(ui, y, &x, "]", UE_HEADER_LABEL);
	}
	ui_header_put(ui, y, &x, count, UE_HEADER_VALUE);
	if (s->conns_stale) {
		ui_header_put(ui, y, &x, "   ", UE_NORMAL);
		ui_header_put(ui, y, &x, "conns from an earlier sample", UE_HEADER_WARN);
	}
}

void
ui_header_draw(struct ui *ui)
{
	bool compact = ui_header_height(ui) < 4;

	ui_header_first_line(ui, 0, compact);
	if (!compact && ui->snap != NULL) {
		ui_header_totals(ui, 1);
		ui_header_meter(ui, 2);
	}
	ui_status_draw(ui, ui_header_height(ui) - 1);
}

/*
 * What the table shows, for the right of the status line. essential names what hides rows
 * (filter, e, t/u) and the search and tags: it must stay visible. full adds the counts and
 * the sort order, shown when there is room.
 */
static void
ui_status_summary(struct ui *ui, struct strbuf *essential, struct strbuf *full)
{
	const struct col_def *d = columns_def(ui->set.sort_col);
	const char *sep = ui->utf8 ? " \u00b7 " : " | ";
	struct strbuf *e = essential;

	if (!filter_empty(ui->filter)) {
		strbuf_printf(e, "%sfilter: ", e->len ? sep : "");
		ui_escape(e, filter_text(ui->filter));
	}
	if (ui->set.exposed_only)
		strbuf_printf(e, "%sexposed only", e->len ? sep : "");
	if (ui->set.proto >= 0)
		strbuf_printf(
		        e, "%s%s only", e->len ? sep : "", proto_name((unsigned)ui->set.proto));
	if (ui->search != NULL) {
		strbuf_printf(e, "%ssearch: ", e->len ? sep : "");
		ui_escape(e, filter_text(ui->search));
	}
	if (ui->ntags > 0)
		strbuf_printf(e, "%s%zu tagged", e->len ? sep : "", ui->ntags);
	if (ui->snap != NULL)
		strbuf_printf(full, "%zu of %zu shown%s", ui->view.len, ui->snap->nrows,
		        e->len ? sep : "");
	strbuf_addstr(full, strbuf_str(e));
	strbuf_printf(full, "%ssorted by %s %s", full->len ? sep : "", d->title,
	        ui->set.sort_desc ? "descending" : "ascending");
}

void
ui_status_draw(struct ui *ui, int y)
{
	struct strbuf left = STRBUF_INIT, essential = STRBUF_INIT, full = STRBUF_INIT;
	const struct strbuf *right;
	enum ui_elem e = UE_STATUS;
	int lw, rw, room;

	if (ui->msg != NULL) {
		strbuf_addstr(&left, ui->msg);
		e = ui->msg_elem;
	} else if (ui->snap != NULL && ui->snap->status != NULL) {
		ui_escape(&left, ui->snap->status);
		e = UE_HEADER_WARN;
	} else if (ui->snap != NULL && ui->snap->inconsistent) {
		strbuf_addstr(&left, "counts may be off: the kernel's socket dump was interrupted");
		e = UE_HEADER_WARN;
	}
	ui_status_summary(ui, &essential, &full);
	lw = (int)escape_width(strbuf_str(&left));
	/* the whole summary when it fits beside the message, else only what hides rows */
	right = lw == 0 || lw + 3 + (int)escape_width(strbuf_str(&full)) <= ui->cols ? &full
	                                                                             : &essential;
	rw = (int)escape_width(strbuf_str(right));
	if (rw > ui->cols)
		rw = ui->cols;
	room = right->len > 0 ? ui->cols - rw - 3 : ui->cols;
	if (room < ui->cols / 2 && lw > room) {
		/* a long message and a long filter: each gets half */
		room = ui->cols / 2;
		rw = ui->cols - room - 3;
	}
	if (lw > 0 && room > 0)
		ui_draw_text(y, 0, room, strbuf_str(&left), ui_attr(e), false, false);
	if (right->len > 0 && rw > 0)
		ui_draw_text(
		        y, ui->cols - rw, rw, strbuf_str(right), ui_attr(UE_DIM), false, false);
	strbuf_fini(&left);
	strbuf_fini(&essential);
	strbuf_fini(&full);
}
