/* ui.c — the screen's event loop: terminal and sampler in, one redraw per change out. */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "porttop/filter.h"
#include "porttop/sampler.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

#define UI_MESSAGE_MS 8000 /* how long a message stays on the status line */
#define UI_MAX_POLLFDS 64

/* The signal that asked us to stop, or 0. */
static volatile sig_atomic_t ui_stop_signal;
/* True between newterm and endwin: the fatal-signal handler must restore the terminal. */
static volatile sig_atomic_t ui_curses_on;

static const int ui_fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define UI_NFATAL (sizeof ui_fatal_signals / sizeof ui_fatal_signals[0])
static struct sigaction ui_fatal_old[UI_NFATAL];

static void
ui_on_stop(int sig)
{
	ui_stop_signal = sig;
}

/*
 * A crash must not leave the user's terminal in raw mode with the alternate screen up. endwin
 * is not async-signal-safe, but the process is going down anyway and a usable shell matters
 * more; then the previous handler (a sanitizer's, or the default) gets the signal.
 */
static void
ui_on_fatal(int sig)
{
	size_t i;

	if (ui_curses_on) {
		ui_curses_on = 0;
		endwin();
	}
	for (i = 0; i < UI_NFATAL; i++)
		if (ui_fatal_signals[i] == sig)
			sigaction(sig, &ui_fatal_old[i], NULL);
	raise(sig);
}

static void
ui_signals_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ui_on_stop; /* no SA_RESTART: poll must return EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = ui_on_fatal;
	sa.sa_flags = SA_NODEFER;
	for (i = 0; i < UI_NFATAL; i++)
		sigaction(ui_fatal_signals[i], &sa, &ui_fatal_old[i]);
}

static void
ui_signals_restore(void)
{
	size_t i;

	for (i = 0; i < UI_NFATAL; i++)
		sigaction(ui_fatal_signals[i], &ui_fatal_old[i], NULL);
}

/* --- messages and selection ----------------------------------------------------------- */

void
ui_message(struct ui *ui, enum ui_elem elem, int64_t for_ms, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	free(ui->msg);
	ui->msg = strbuf_detach(&sb);
	/* callers escape what processes supplied; this is only a last line of defence */
	for (p = ui->msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	ui->msg_elem = elem;
	ui->msg_until = for_ms > 0 ? clock_mono_ms() + for_ms : 0;
}

static void
ui_message_clear(struct ui *ui)
{
	free(ui->msg);
	ui->msg = NULL;
	ui->msg_until = 0;
}

const struct pt_listener *
ui_selected(const struct ui *ui)
{
	return ui->has_sel && ui->cursor < ui->view.len ? ui->view.rows[ui->cursor] : NULL;
}

void
ui_select(struct ui *ui, size_t i)
{
	if (ui->view.len == 0) {
		ui->cursor = 0;
		ui->has_sel = false;
		return;
	}
	if (i >= ui->view.len)
		i = ui->view.len - 1;
	ui->cursor = i;
	ui->sel = ui->view.rows[i]->key;
	ui->has_sel = true;
	ui_table_scroll(ui);
}

bool
ui_is_tagged(const struct ui *ui, const struct pt_key *key)
{
	size_t i;

	for (i = 0; i < ui->ntags; i++)
		if (key_cmp(&ui->tags[i], key) == 0)
			return true;
	return false;
}

void
ui_toggle_tag(struct ui *ui, const struct pt_key *key)
{
	size_t i;

	for (i = 0; i < ui->ntags; i++)
		if (key_cmp(&ui->tags[i], key) == 0) {
			ui->tags[i] = ui->tags[--ui->ntags];
			return;
		}
	XGROW(ui->tags, ui->tags_cap, ui->ntags + 1);
	ui->tags[ui->ntags++] = *key;
}

int
ui_apply_filter(struct ui *ui, const char *text, char **cause)
{
	struct filter *f = filter_new(text, cause);

	if (f == NULL)
		return -EINVAL;
	filter_free(ui->filter);
	ui->filter = f;
	return 0;
}

void
ui_apply_interval(struct ui *ui)
{
	sampler_set_interval(ui->sampler, ui->set.interval_tenths * 100);
}

/* Rebuild the rows from the snapshot on screen, keeping the cursor on its listener. */
static void
ui_review(struct ui *ui)
{
	struct view_opts opts = {
		.filter = ui->filter,
		.proto = ui->set.proto,
		.exposed_only = ui->set.exposed_only,
		.sort_col = ui->set.sort_col,
		.sort_desc = ui->set.sort_desc,
	};
	size_t i, at = 0;

	ui->ctx.snap = ui->snap;
	view_build(&ui->view, ui->snap, &opts, &ui->ctx);
	/* a tag outlives a restart (same identity), not the row's disappearance */
	for (i = 0; ui->snap != NULL && i < ui->ntags;)
		if (snapshot_find(ui->snap, &ui->tags[i]) == NULL)
			ui->tags[i] = ui->tags[--ui->ntags];
		else
			i++;
	if (ui->has_sel) {
		at = view_find(&ui->view, &ui->sel);
		if (at == VIEW_NONE && ui->snap != NULL &&
		        snapshot_find(ui->snap, &ui->sel) == NULL)
			/* not filtered out but gone: say so, the cursor is on another listener now
			 */
			ui_message(ui, UE_STATUS, UI_MESSAGE_MS,
			        "the selected listener (%s port %u) is gone: the cursor moved on",
			        proto_name(ui->sel.proto), (unsigned)ui->sel.port);
		if (at == VIEW_NONE)
			at = view_neighbour(&ui->view, ui->order, ui->norder, ui->cursor);
		if (at == VIEW_NONE)
			at = 0;
	}
	XGROW(ui->order, ui->order_cap, ui->view.len);
	for (i = 0; i < ui->view.len; i++)
		ui->order[i] = ui->view.rows[i]->key;
	ui->norder = ui->view.len;
	ui_table_layout(ui);
	ui_select(ui, at);
}

/* --- settings ------------------------------------------------------------------------- */

static void
ui_settings_load(struct ui *ui)
{
	struct strbuf errors = STRBUF_INIT;
	int bad;

	settings_init(&ui->set);
	ui->settings_path = settings_path(ui->cfg->config_path, getenv("PORTTOP_CONFIG"),
	        getenv("XDG_CONFIG_HOME"), getenv("HOME"));
	ui->can_save = ui->settings_path != NULL;
	if (ui->settings_path == NULL)
		return;
	bad = settings_load(&ui->set, ui->settings_path, &errors);
	if (bad != 0) {
		/* keep what could not be read: never save over it */
		const char *e = strbuf_str(&errors);
		char *line = xstrndup(e, strcspn(e, "\n"));
		struct strbuf first = STRBUF_INIT;

		ui_escape(&first, line);
		free(line);
		ui_message(ui, UE_STATUS_ERROR, 30000, "%s%s (settings will not be saved)",
		        strbuf_str(&first), bad > 1 ? " and more" : "");
		strbuf_fini(&first);
		ui->can_save = false;
	}
	strbuf_fini(&errors);
}

static void
ui_settings_save(struct ui *ui)
{
	char *cause = NULL;

	if (ui->settings_path == NULL || !ui->can_save)
		return;
	if (settings_save(&ui->set, ui->settings_path, &cause) != 0) {
		struct strbuf sb = STRBUF_INIT;

		ui_escape(&sb, cause);
		ui_message(ui, UE_STATUS_ERROR, UI_MESSAGE_MS, "settings not saved: %s",
		        strbuf_str(&sb));
		strbuf_fini(&sb);
		free(cause);
		ui->can_save = false; /* say it once, not on every key */
	}
}

/* --- the terminal --------------------------------------------------------------------- */

static const char *
ui_ifname(uint32_t ifindex, void *arg)
{
	static char name[IF_NAMESIZE];

	return if_indextoname(ifindex, name);
}

static int
ui_screen_open(struct ui *ui)
{
	const char *cs = nl_langinfo(CODESET);
	const char *nc = getenv("NO_COLOR");

	if (newterm(NULL, stdout, stdin) == NULL)
		return -1;
	ui_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	ui->mouse = mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
	mouseinterval(0);
	ui_draw_utf8 = ui->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	if (ui_colors_init(ui->set.scheme, !ui->cfg->no_color && (nc == NULL || nc[0] == '\0')) !=
	        0)
		ui_message(ui, UE_STATUS_ERROR, UI_MESSAGE_MS,
		        "unknown colour scheme in the settings: using default");
	ui->rows = LINES;
	ui->cols = COLS;
	return 0;
}

static void
ui_screen_close(void)
{
	if (ui_curses_on) {
		ui_curses_on = 0;
		endwin();
	}
}

static void
ui_draw(struct ui *ui)
{
	enum ui_mode base = ui->mode;

	if (base == UI_MODE_HELP || base == UI_MODE_SORT || base == UI_MODE_SETUP ||
	        base == UI_MODE_KILL || base == UI_MODE_EXPECT || base == UI_MODE_PROMPT)
		base = ui->back;
	erase();
	if (ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_LINES) {
		char buf[64];
		int y = ui->rows > 3 ? (ui->rows - 3) / 2 : 0;

		snprintf(buf, sizeof buf, "%dx%d, needs %dx%d", ui->cols, ui->rows, UI_MIN_COLS,
		        UI_MIN_LINES);
		ui_draw_text(y, 0, ui->cols, "terminal too small", ui_attr(UE_STATUS_ERROR), false,
		        false);
		ui_draw_text(y + 1, 0, ui->cols, buf, ui_attr(UE_NORMAL), false, false);
		ui_draw_text(y + 2, 0, ui->cols, "q quits", ui_attr(UE_DIM), false, false);
		refresh();
		return;
	}
	ui_header_draw(ui);
	if (ui->mode == UI_MODE_HELP)
		ui_help_draw(ui);
	else if (base == UI_MODE_DETAIL)
		ui_detail_draw(ui);
	else
		ui_table_draw(ui);
	if (ui->mode == UI_MODE_SORT)
		ui_sort_draw(ui);
	else if (ui->mode == UI_MODE_SETUP)
		ui_setup_draw(ui);
	else if (ui->mode == UI_MODE_KILL)
		ui_kill_draw(ui);
	else if (ui->mode == UI_MODE_EXPECT)
		ui_expect_draw(ui);
	if (ui->mode == UI_MODE_PROMPT)
		ui_prompt_draw(ui, ui->rows - 1);
	else
		ui_keys_bar_draw(ui, ui->rows - 1);
	refresh();
}

/* --- input ---------------------------------------------------------------------------- */

static unsigned
ui_mouse(struct ui *ui)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return 0;
	if (ui->mode != UI_MODE_TABLE)
		return 0;
	if (ev.bstate & BUTTON4_PRESSED)
		return ui_keys_dispatch(ui, ui_keymap_table, KEY_UP);
	if (ev.bstate & BUTTON5_PRESSED)
		return ui_keys_dispatch(ui, ui_keymap_table, KEY_DOWN);
	if (ev.bstate & BUTTON1_PRESSED)
		return ui_table_click(ui, ev.y, ev.x);
	return 0;
}

static unsigned
ui_key(struct ui *ui, int c)
{
	if (c == KEY_RESIZE) {
		ui->rows = LINES;
		ui->cols = COLS;
		return UI_REVIEW | UI_REDRAW;
	}
	if (ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_LINES)
		return c == 'q' || c == KEY_F(10) ? UI_QUIT : 0;
	if (c == KEY_MOUSE)
		return ui_mouse(ui);
	switch (ui->mode) {
	case UI_MODE_TABLE: return ui_keys_dispatch(ui, ui_keymap_table, c);
	case UI_MODE_DETAIL: return ui_keys_dispatch(ui, ui_keymap_detail, c);
	case UI_MODE_HELP: return ui_help_key(ui, c);
	case UI_MODE_SORT: return ui_sort_key(ui, c);
	case UI_MODE_SETUP: return ui_setup_key(ui, c);
	case UI_MODE_KILL: return ui_kill_key(ui, c);
	case UI_MODE_EXPECT: return ui_expect_key(ui, c);
	case UI_MODE_PROMPT: return ui_prompt_key(ui, c);
	}
	return 0;
}

/*
 * Read every key waiting. *gone is set when the terminal reported readable but gave nothing:
 * a hung-up terminal reads as EIO forever, and looping on it would spin at 100% CPU.
 */
static unsigned
ui_read_keys(struct ui *ui, bool readable, bool *gone)
{
	unsigned flags = 0;
	int c, n = 0;

	errno = 0;
	while ((c = wgetch(stdscr)) != ERR) {
		flags |= ui_key(ui, c);
		n++;
		if (flags & UI_QUIT)
			break;
		errno = 0;
	}
	if (readable && n == 0 &&
	        (errno == EIO || errno == EPIPE || errno == ENXIO || errno == EBADF || errno == 0))
		*gone = true;
	return flags;
}

/* A new snapshot is waiting: take it (or hold it while paused). */
static unsigned
ui_take(struct ui *ui)
{
	struct pt_snapshot *snap = sampler_take(ui->sampler), *old;
	unsigned flags = UI_REDRAW | UI_REVIEW;

	if (snap == NULL)
		return 0;
	ui->taken++;
	if (ui->cfg->iterations > 0 && ui->taken >= (uint64_t)ui->cfg->iterations)
		flags |= UI_QUIT;
	if (ui->paused && ui->snap != NULL) {
		if (ui->pending != NULL)
			sampler_release(ui->sampler, ui->pending);
		ui->pending = snap;
		return flags & UI_QUIT;
	}
	old = ui->snap;
	ui->snap = snap;
	ui_review(ui); /* the view borrows from the snapshot: rebuild before releasing the old */
	if (old != NULL)
		sampler_release(ui->sampler, old);
	return flags;
}

/* Unpause: show what arrived meanwhile. */
unsigned
ui_resume(struct ui *ui)
{
	struct pt_snapshot *old = ui->snap;

	ui->paused = false;
	if (ui->pending == NULL)
		return UI_REDRAW;
	ui->snap = ui->pending;
	ui->pending = NULL;
	ui_review(ui);
	if (old != NULL)
		sampler_release(ui->sampler, old);
	return UI_REDRAW | UI_REVIEW;
}

static int
ui_timeout(struct ui *ui, int64_t now)
{
	int64_t until = 0;

	if (ui->msg_until != 0)
		until = ui->msg_until;
	if (ui->wait_deadline != 0 && (until == 0 || ui->wait_deadline < until))
		until = ui->wait_deadline;
	if (until == 0)
		return -1; /* nothing will change by itself: sleep until input or a sample */
	return until <= now ? 0 : (int)(until - now);
}

/*
 * poll() with the given timeout (-1: none) and with sigmask in force only while it waits:
 * the signals the loop cares about stay blocked everywhere else, so one that arrives while
 * the screen is drawn is delivered as soon as the wait starts (ppoll returns EINTR) instead
 * of being noticed only at the next key or sample.
 */
static int
ui_wait(struct pollfd *fds, size_t nfds, int timeout_ms, const sigset_t *sigmask)
{
	struct timespec ts;

	if (timeout_ms < 0)
		return ppoll(fds, nfds, NULL, sigmask);
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	return ppoll(fds, nfds, &ts, sigmask);
}

static int
ui_loop_run(struct ui *ui, const sigset_t *waitmask);

/* The event loop, with SIGWINCH and the stop signals blocked except while it waits. */
static int
ui_loop(struct ui *ui)
{
	sigset_t block, orig;
	int code;

	sigemptyset(&block);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &orig);
	code = ui_loop_run(ui, &orig);
	pthread_sigmask(SIG_SETMASK, &orig, NULL);
	return code;
}

static int
ui_loop_run(struct ui *ui, const sigset_t *waitmask)
{
	unsigned flags = UI_REVIEW | UI_REDRAW;
	struct pollfd fds[UI_MAX_POLLFDS];
	int empty_reads = 0;

	for (;;) {
		size_t nfds;
		int64_t now;
		int n;
		bool gone = false;

		if (ui_stop_signal != 0)
			return ui_stop_signal == SIGHUP ? 1 : 0;
		if (flags & UI_REFRESH)
			sampler_refresh(ui->sampler);
		if (flags & UI_SAVE)
			ui_settings_save(ui);
		if (flags & UI_REVIEW)
			ui_review(ui);
		if (flags & (UI_REDRAW | UI_REVIEW))
			ui_draw(ui);
		if (flags & UI_QUIT)
			return 0;
		flags = 0;

		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = sampler_wake_fd(ui->sampler);
		fds[1].events = POLLIN;
		nfds = 2 + ui_kill_pollfds(ui, fds + 2, UI_MAX_POLLFDS - 2);
		now = clock_mono_ms();
		n = ui_wait(fds, nfds, ui_timeout(ui, now), waitmask);
		if (n < 0) {
			if (errno != EINTR)
				return 1;
			/* a signal: SIGWINCH leaves KEY_RESIZE for getch; SIGTERM is seen above */
			flags |= ui_read_keys(ui, false, &gone);
			continue;
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return 1; /* the terminal went away */
		if (fds[0].revents & POLLIN) {
			flags |= ui_read_keys(ui, true, &gone);
			/* one empty read can be a partial escape sequence; several are a dead tty
			 */
			empty_reads = gone ? empty_reads + 1 : 0;
			if (empty_reads >= 3)
				return 1;
		}
		if (fds[1].revents & POLLIN)
			flags |= ui_take(ui);
		now = clock_mono_ms();
		if (ui->nwaits > 0)
			flags |= ui_kill_check(ui, now);
		if (ui->msg_until != 0 && now >= ui->msg_until) {
			ui_message_clear(ui);
			flags |= UI_REDRAW;
		}
	}
}

int
ui_run(struct sampler *s, const struct ui_config *cfg)
{
	struct ui ui;
	char *cause = NULL;
	int code = 1, err;

	memset(&ui, 0, sizeof ui);
	ui.sampler = s;
	ui.cfg = cfg;
	ui.mode = ui.back = UI_MODE_TABLE;
	view_init(&ui.view);
	strbuf_init(&ui.prompt_text);
	ui.ctx.ifname = ui_ifname;
	ui_settings_load(&ui);
	if (ui_apply_filter(&ui, ui.set.filter, &cause) != 0) {
		free(cause); /* settings_load checked it; keep going without */
		ui_apply_filter(&ui, "", &cause);
	}
	if (cfg->delay_tenths > 0)
		ui.set.interval_tenths = cfg->delay_tenths;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("porttop: the screen needs a terminal; use --once or --json for output\n",
		        stderr);
		goto out;
	}
	ui_signals_install();
	if (ui_screen_open(&ui) != 0) {
		fprintf(stderr, "porttop: cannot use the terminal '%s'\n",
		        getenv("TERM") ? getenv("TERM") : "(TERM not set)");
		goto out;
	}
	ui_apply_interval(&ui);
	err = sampler_start(s);
	if (err != 0) {
		ui_screen_close();
		fprintf(stderr, "porttop: cannot start sampling: %s\n", strerror(-err));
		goto out;
	}
	code = ui_loop(&ui);
	ui_screen_close();
out:
	ui_signals_restore();
	ui_kill_fini(&ui);
	ui_expect_fini(&ui);
	if (ui.mode == UI_MODE_DETAIL || ui.back == UI_MODE_DETAIL)
		sampler_set_focus(s, NULL);
	if (ui.snap != NULL)
		sampler_release(s, ui.snap);
	if (ui.pending != NULL)
		sampler_release(s, ui.pending);
	view_fini(&ui.view);
	filter_free(ui.filter);
	filter_free(ui.search);
	free(ui.order);
	free(ui.tags);
	free(ui.alive);
	free(ui.msg);
	free(ui.prompt_saved);
	free(ui.prompt_error);
	strbuf_fini(&ui.prompt_text);
	free(ui.settings_path);
	settings_fini(&ui.set);
	return code;
}
