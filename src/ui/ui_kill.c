/* ui_kill.c — k: a signal dialog over a frozen copy of the target, then watching it exit. */
#include "config.h"

#include <inttypes.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "porttop/addr.h"
#include "porttop/clock.h"
#include "porttop/killer.h"
#include "porttop/sampler.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

#define UI_KILL_WAIT_MS 3000

static const struct {
	int sig;
	const char *what;
} ui_kill_words[] = {
	{ SIGTERM, "terminate; it may clean up first" },
	{ SIGINT, "interrupt, as Ctrl-C does" },
	{ SIGHUP, "hang up; many daemons reload instead" },
	{ SIGKILL, "kill at once; cannot be caught" },
	{ SIGUSR1, "user signal 1" },
	{ SIGUSR2, "user signal 2" },
	{ SIGQUIT, "quit with a core dump" },
	{ SIGSTOP, "stop (freeze) the process" },
	{ SIGCONT, "continue a stopped process" },
};

static const char *
ui_kill_what(int sig)
{
	size_t i;

	for (i = 0; i < sizeof ui_kill_words / sizeof ui_kill_words[0]; i++)
		if (ui_kill_words[i].sig == sig)
			return ui_kill_words[i].what;
	return "";
}

/* Signals after which the process is expected to go away: worth watching for its exit. */
static bool
ui_kill_ends(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGKILL || sig == SIGQUIT;
}

/* --- frozen targets --------------------------------------------------------------------- */

void
ui_target_init(struct ui_target *t, const struct pt_listener *row)
{
	char a[ADDR_STRLEN];
	size_t i, j;

	memset(t, 0, sizeof *t);
	t->key = row->key;
	t->cls = row->cls;
	t->flags = row->flags;
	addr_format(row->key.family, row->key.addr, a, sizeof a);
	snprintf(t->addr, sizeof t->addr, row->key.family == PT_FAMILY_IPV6 ? "[%s]:%u" : "%s:%u",
	        a, (unsigned)row->key.port);
	snprintf(t->port_text, sizeof t->port_text, ":%u", (unsigned)row->key.port);
	t->owners = xreallocarray(NULL, row->nowners + 1, sizeof *t->owners);
	t->procs = xreallocarray(NULL, row->nowners + 1, sizeof *t->procs);
	for (i = 0; i < row->nowners; i++) {
		const struct pt_owner *o = &row->owners[i];

		for (j = 0; j < t->nowners; j++)
			if (t->owners[j].pid == o->pid)
				break;
		if (j < t->nowners)
			continue; /* one entry per process, whatever number of fds it holds */
		t->owners[t->nowners] = *o;
		memset(&t->procs[t->nowners], 0, sizeof t->procs[0]);
		t->procs[t->nowners].pid = o->pid;
		for (j = 0; j < row->nprocs; j++)
			if (row->procs[j]->pid == o->pid)
				proc_copy(&t->procs[t->nowners], row->procs[j]);
		t->nowners++;
	}
}

void
ui_target_fini(struct ui_target *t)
{
	size_t i;

	for (i = 0; i < t->nowners; i++)
		proc_fini(&t->procs[i]);
	free(t->owners);
	free(t->procs);
	memset(t, 0, sizeof *t);
}

/* "pid 4242 (python3)", escaped. */
static char *
ui_kill_who(const struct ui_target *t, size_t i)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_printf(&sb, "pid %" PRId32, t->owners[i].pid);
	if (t->procs[i].comm != NULL) {
		strbuf_addstr(&sb, " (");
		ui_escape(&sb, t->procs[i].comm);
		strbuf_addch(&sb, ')');
	}
	return strbuf_detach(&sb);
}

static void
ui_kill_clear_targets(struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->nkill; i++)
		ui_target_fini(&ui->kill[i]);
	free(ui->kill);
	ui->kill = NULL;
	ui->nkill = 0;
}

static bool
ui_kill_was_alive(const struct ui *ui, const struct pt_key *key)
{
	size_t i;

	for (i = 0; i < ui->nalive; i++)
		if (key_cmp(&ui->alive[i], key) == 0)
			return true;
	return false;
}

/* Why row cannot be killed (into why), or false when it can. */
static bool
ui_kill_refusal(const struct pt_listener *row, bool utf8, struct strbuf *why)
{
	if (row->flags & PT_FLAG_GONE) {
		strbuf_addstr(why, "it is gone already");
		return true;
	}
	if (row->nowners > 0)
		return false;
	if (row->uid != (uint32_t)getuid() && getuid() != 0) {
		/* another user's process: porttop could not even see which one it is */
		const struct passwd *pw = getpwuid(row->uid);
		struct strbuf name = STRBUF_INIT;

		if (pw != NULL)
			ui_escape(&name, pw->pw_name);
		else
			strbuf_printf(&name, "uid %" PRIu32, row->uid);
		strbuf_printf(why, "not permitted: owned by %s %s run porttop as root",
		        strbuf_str(&name), utf8 ? "\u2014" : "-");
		strbuf_fini(&name);
	} else
		strbuf_addstr(why, "no process holds its socket any more");
	return true;
}

unsigned
ui_kill_open(struct ui *ui, const struct pt_listener *row, bool tags)
{
	const struct pt_listener *rows[64];
	size_t n = 0, i;
	bool again = false;

	if (ui->cfg->readonly) {
		ui_message(ui, UE_STATUS_ERROR, 5000,
		        "read-only (--readonly): porttop does not send signals");
		return UI_REDRAW;
	}
	if (tags && ui->ntags > 0 && ui->snap != NULL) {
		for (i = 0; i < ui->ntags && n < sizeof rows / sizeof rows[0]; i++) {
			const struct pt_listener *l = snapshot_find(ui->snap, &ui->tags[i]);
			struct strbuf why = STRBUF_INIT;

			if (l != NULL && !ui_kill_refusal(l, ui->utf8, &why))
				rows[n++] = l;
			strbuf_fini(&why);
		}
		if (n == 0) {
			ui_message(ui, UE_STATUS_ERROR, 5000,
			        "none of the tagged listeners can be killed (gone, or owners not "
			        "visible)");
			return UI_REDRAW;
		}
	} else if (row != NULL) {
		struct strbuf why = STRBUF_INIT;

		if (ui_kill_refusal(row, ui->utf8, &why)) {
			struct ui_target t;

			ui_target_init(&t, row);
			ui_message(ui, UE_STATUS_ERROR, 10000, "cannot kill %s %s: %s",
			        proto_name(row->key.proto), t.addr, strbuf_str(&why));
			ui_target_fini(&t);
			strbuf_fini(&why);
			return UI_REDRAW;
		}
		strbuf_fini(&why);
		rows[n++] = row;
	} else
		return 0;
	ui_kill_clear_targets(ui);
	ui->kill = xcalloc(n, sizeof *ui->kill);
	for (i = 0; i < n; i++) {
		ui_target_init(&ui->kill[i], rows[i]);
		again = again || ui_kill_was_alive(ui, &rows[i]->key);
	}
	ui->nkill = n;
	ui->kill_pick = 0;
	/* it ignored the last signal: offer the one it cannot ignore */
	for (i = 0; again && i < killer_menu_len; i++)
		if (killer_menu[i] == SIGKILL)
			ui->kill_pick = i;
	ui->back = ui->mode;
	ui->mode = UI_MODE_KILL;
	return UI_REDRAW;
}

/* --- the dialog ------------------------------------------------------------------------- */

static void
ui_kill_describe(struct ui *ui, struct ui_lines *ls)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, shown = 0;

	for (i = 0; i < ui->nkill; i++) {
		const struct ui_target *t = &ui->kill[i];

		if (shown >= 4) {
			ui_lines_printf(ls, ui_attr(UE_DIALOG), "... and %zu more listeners",
			        ui->nkill - i);
			break;
		}
		shown++;
		ui_lines_printf(
		        ls, ui_attr(UE_DIALOG_TITLE), "%s %s", proto_name(t->key.proto), t->addr);
		for (j = 0; j < t->nowners; j++) {
			const struct pt_proc *p = &t->procs[j];

			strbuf_reset(&sb);
			strbuf_printf(&sb, "  pid %" PRId32 "  ", t->owners[j].pid);
			if (p->user != NULL)
				ui_escape(&sb, p->user);
			else
				strbuf_printf(&sb, "uid %" PRIu32, p->uid);
			strbuf_addstr(&sb, "  ");
			ui_escape(&sb, p->comm != NULL ? p->comm : "?");
			ui_lines_add(ls, NULL, 0, strbuf_str(&sb), ui_attr(UE_DIALOG));
			if (p->cmdline != NULL && p->cmdline[0] != '\0') {
				strbuf_reset(&sb);
				strbuf_addstr(&sb, "  ");
				ui_escape(&sb, p->cmdline);
				/* one line: the full command line is in the detail view */
				ui_lines_add_cut(ls, strbuf_str(&sb), ui_attr(UE_DIALOG));
			}
		}
	}
	strbuf_fini(&sb);
}

void
ui_kill_draw(struct ui *ui)
{
	struct ui_lines ls;
	int w = ui->cols - 4 < 76 ? ui->cols - 4 : 76, h, y, x = (ui->cols - w) / 2, i, row;
	size_t top = 0;

	if (w < 20) {
		w = ui->cols;
		x = 0;
	}
	ui_lines_init(&ls, w - 4);
	ui_kill_describe(ui, &ls);
	h = (int)ls.n + (int)killer_menu_len + 5;
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	y = (ui->rows - h) / 2;
	ui_draw_box(y, x, h, w,
	        ui->nkill > 1 ? "Send a signal to every tagged listener's owner" : "Send a signal",
	        ui_attr(UE_DIALOG), ui_attr(UE_DIALOG_TITLE));
	/* when it does not all fit, the signal list wins over the description */
	row = h - 2 - (int)killer_menu_len - 2;
	if (row < 0)
		row = 0;
	ui_lines_draw(&ls, y + 1, x + 2, row, top);
	row = y + 1 + (row < (int)ls.n ? row : (int)ls.n) + 1;
	for (i = 0; i < (int)killer_menu_len && row < y + h - 2; i++, row++) {
		char line[96];
		bool sel = (size_t)i == ui->kill_pick;

		snprintf(line, sizeof line, "%s %-5s %s", sel ? ">" : " ",
		        killer_signal_name(killer_menu[i]), ui_kill_what(killer_menu[i]));
		ui_draw_text(row, x + 2, w - 4, line, ui_attr(sel ? UE_DIALOG_SELECTED : UE_DIALOG),
		        true, false);
	}
	ui_draw_text(y + h - 2, x + 2, w - 4, "Enter sends it   Esc cancels   Up/Down choose",
	        ui_attr(UE_DIALOG), false, false);
	ui_lines_fini(&ls);
}

/* --- sending and watching --------------------------------------------------------------- */

static void
ui_kill_add_wait(
        struct ui *ui, struct killer *k, const struct ui_target *t, size_t i, int sig, int64_t now)
{
	struct ui_wait *w;

	XGROW(ui->waits, ui->waits_cap, ui->nwaits + 1);
	w = &ui->waits[ui->nwaits++];
	w->k = k;
	w->pid = t->owners[i].pid;
	w->sig = sig;
	w->sent_ms = now;
	w->key = t->key;
	w->who = ui_kill_who(t, i);
}

static unsigned
ui_kill_send(struct ui *ui)
{
	int sig = killer_menu[ui->kill_pick];
	const char *name = killer_signal_name(sig);
	struct strbuf fail = STRBUF_INIT;
	char *last_who = NULL;
	size_t i, j, sent = 0, refused = 0;
	int64_t now = clock_mono_ms();

	for (i = 0; i < ui->nkill; i++) {
		const struct ui_target *t = &ui->kill[i];

		for (j = 0; j < t->nowners; j++) {
			struct killer *k = NULL;
			char *cause = NULL;
			int err;

			err = killer_open(
			        &k, ui->cfg->proc_root, &t->owners[j], t->port_text, &cause);
			if (err == 0)
				err = killer_signal(k, sig, &cause);
			if (err != 0) {
				if (refused++ == 0)
					ui_escape(&fail, cause != NULL ? cause : strerror(-err));
				free(cause);
				killer_free(k);
				continue;
			}
			sent++;
			free(last_who);
			last_who = ui_kill_who(t, j);
			if (ui_kill_ends(sig))
				ui_kill_add_wait(ui, k, t, j, sig, now);
			else
				killer_free(k);
		}
	}
	ui->nalive = 0;
	if (ui->nwaits > 0)
		ui->wait_deadline = now + UI_KILL_WAIT_MS;
	if (sent == 0)
		ui_message(ui, UE_STATUS_ERROR, 15000, "%s", strbuf_str(&fail));
	else if (refused > 0)
		ui_message(ui, UE_STATUS_ERROR, 15000, "SIG%s sent to %zu, refused for %zu: %s",
		        name, sent, refused, strbuf_str(&fail));
	else if (sent == 1)
		ui_message(ui, UE_STATUS_OK, 0, "SIG%s sent to %s%s", name, last_who,
		        ui_kill_ends(sig) ? "; waiting for it to exit" : "");
	else
		ui_message(ui, UE_STATUS_OK, 0, "SIG%s sent to %zu processes%s", name, sent,
		        ui_kill_ends(sig) ? "; waiting for them to exit" : "");
	if (ui->nwaits == 0 && sent > 0)
		ui->msg_until = clock_mono_ms() + 8000;
	free(last_who);
	strbuf_fini(&fail);
	ui_kill_clear_targets(ui);
	ui->mode = ui->back;
	return UI_REDRAW | UI_REFRESH;
}

size_t
ui_kill_pollfds(struct ui *ui, struct pollfd *fds, size_t max)
{
	size_t i;

	for (i = 0; i < ui->nwaits && i < max; i++) {
		fds[i].fd = killer_fd(ui->waits[i].k);
		fds[i].events = POLLIN;
		fds[i].revents = 0;
	}
	return i;
}

static void
ui_kill_drop_wait(struct ui *ui, size_t i)
{
	killer_free(ui->waits[i].k);
	free(ui->waits[i].who);
	ui->waits[i] = ui->waits[--ui->nwaits];
}

unsigned
ui_kill_check(struct ui *ui, int64_t now)
{
	struct strbuf alive = STRBUF_INIT;
	size_t i, exited = 0;
	int64_t slowest = 0;
	char *who = NULL;
	unsigned flags = 0;

	for (i = 0; i < ui->nwaits;) {
		struct ui_wait *w = &ui->waits[i];

		if (killer_wait(w->k, 0) == 0) {
			i++;
			continue;
		}
		/* exited, or it can no longer be watched (which means it is gone too) */
		if (now - w->sent_ms > slowest)
			slowest = now - w->sent_ms;
		free(who);
		who = xstrdup(w->who);
		exited++;
		ui_kill_drop_wait(ui, i);
	}
	if (exited > 0 && ui->nwaits == 0) {
		ui_message(ui, UE_STATUS_OK, 10000, "%s exited after %.1f s", who,
		        (double)slowest / 1000.0);
		ui->wait_deadline = 0;
		flags = UI_REDRAW | UI_REFRESH;
	} else if (ui->nwaits > 0 && now >= ui->wait_deadline) {
		/* still there: remember them, so that k offers SIGKILL next */
		for (i = 0; i < ui->nwaits; i++) {
			XGROW(ui->alive, ui->alive_cap, ui->nalive + 1);
			ui->alive[ui->nalive++] = ui->waits[i].key;
			strbuf_printf(&alive, "%s%s", i ? ", " : "", ui->waits[i].who);
		}
		ui_message(ui, UE_STATUS_ERROR, 15000,
		        "%s still alive after %d s %s k again offers SIGKILL", strbuf_str(&alive),
		        UI_KILL_WAIT_MS / 1000, ui->utf8 ? "\u2014" : "-");
		while (ui->nwaits > 0)
			ui_kill_drop_wait(ui, 0);
		ui->wait_deadline = 0;
		flags = UI_REDRAW;
	} else if (exited > 0) {
		ui_message(ui, UE_STATUS_OK, 0, "%s exited after %.1f s; waiting for %zu more", who,
		        (double)slowest / 1000.0, ui->nwaits);
		flags = UI_REDRAW | UI_REFRESH;
	}
	free(who);
	strbuf_fini(&alive);
	return flags;
}

void
ui_kill_fini(struct ui *ui)
{
	while (ui->nwaits > 0)
		ui_kill_drop_wait(ui, 0);
	free(ui->waits);
	ui->waits = NULL;
	ui_kill_clear_targets(ui);
}

static unsigned
ui_kill_up(struct ui *ui)
{
	ui->kill_pick = (ui->kill_pick + killer_menu_len - 1) % killer_menu_len;
	return UI_REDRAW;
}

static unsigned
ui_kill_down(struct ui *ui)
{
	ui->kill_pick = (ui->kill_pick + 1) % killer_menu_len;
	return UI_REDRAW;
}

static unsigned
ui_kill_cancel(struct ui *ui)
{
	ui_kill_clear_targets(ui);
	ui->mode = ui->back;
	return UI_REDRAW;
}

static const struct ui_binding ui_kill_bindings[] = {
	{ { KEY_UP }, "previous signal", ui_kill_up },
	{ { KEY_DOWN, '\t' }, "next signal", ui_kill_down },
	{ { KEY_ENTER, '\r', '\n' },
	        "send it to the processes shown (checked again: same process, same socket)",
	        ui_kill_send },
	{ { KEY_ESC, 'q', 'n' }, "cancel: nothing is sent", ui_kill_cancel },
};

const struct ui_keymap ui_kill_keymap = { "Kill dialog (k, F9)", ui_kill_bindings,
	sizeof ui_kill_bindings / sizeof ui_kill_bindings[0] };

unsigned
ui_kill_key(struct ui *ui, int key)
{
	return ui_keys_dispatch(ui, &ui_kill_keymap, key);
}
