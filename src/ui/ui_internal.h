/* ui_internal.h — the screen's state and the functions its files share; only src/ui includes it. */
#ifndef PORTTOP_UI_INTERNAL_H
#define PORTTOP_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>
#include <poll.h>

#include "porttop/columns.h"
#include "porttop/policy.h"
#include "porttop/settings.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "porttop/ui.h"
#include "porttop/view.h"

struct filter;
struct killer;
struct sampler;

/* Smallest terminal the dashboard draws in; below it, the "terminal too small" screen. */
#define UI_MIN_COLS 30
#define UI_MIN_LINES 7

/* What an action changed, so the loop knows what to redo. */
enum {
	UI_REDRAW = 1u << 0,  /* draw the screen again */
	UI_REVIEW = 1u << 1,  /* filter, sort or protocol changed: rebuild the rows */
	UI_SAVE = 1u << 2,    /* settings changed: write the settings file */
	UI_QUIT = 1u << 3,    /* leave ui_run */
	UI_REFRESH = 1u << 4, /* ask the sampler for a sample now */
};

enum ui_mode {
	UI_MODE_TABLE,  /* the dashboard */
	UI_MODE_DETAIL, /* Enter: everything about one listener */
	UI_MODE_HELP,   /* F1 */
	UI_MODE_SORT,   /* F6: choose the sort column */
	UI_MODE_SETUP,  /* F2: choose the columns */
	UI_MODE_KILL,   /* k: choose a signal for a frozen target */
	UI_MODE_EXPECT, /* a: confirm the rule to append */
	UI_MODE_PROMPT, /* / or \: edit a search or filter */
};

enum ui_prompt_kind {
	UI_PROMPT_SEARCH,
	UI_PROMPT_FILTER,
};

/* Drawing elements: drawing code names one of these, never a colour. */
enum ui_elem {
	UE_NORMAL,
	UE_HEADER_LABEL,
	UE_HEADER_VALUE,
	UE_HEADER_WARN,
	UE_METER_USED,
	UE_METER_FREE,
	UE_STATUS,
	UE_STATUS_ERROR,
	UE_STATUS_OK,
	UE_PAUSED,
	UE_TITLE,
	UE_TITLE_SORTED,
	UE_CURSOR,
	UE_TAGGED,
	UE_EXPOSED,
	UE_EPHEMERAL,
	UE_STUCK,
	UE_NEW,
	UE_GONE,
	UE_LOOPBACK,
	UE_DIM,
	UE_FKEY,
	UE_FLABEL,
	UE_DIALOG,
	UE_DIALOG_TITLE,
	UE_DIALOG_SELECTED,
	UE_SECTION,
	UE_COUNT
};

/*
 * A copy of one listener made when a dialog opened: the dialog and the action it leads to use
 * this, never the live row, so a refresh cannot change what the user is about to kill.
 */
struct ui_target {
	struct pt_key key;
	struct pt_class cls;
	uint32_t flags;
	char addr[80];           /* "0.0.0.0:8080", "[::1]:631" */
	char port_text[8];       /* ":8080", for the killer's messages */
	struct pt_owner *owners; /* owned: one per distinct pid, the first fd of each */
	size_t nowners;
	struct pt_proc *procs; /* owned deep copies, parallel to owners (comm NULL when unknown) */
};

/* A signal sent, waiting to see whether the process exits. */
struct ui_wait {
	struct killer *k; /* owned */
	int32_t pid;
	int sig;
	int64_t sent_ms; /* monotonic */
	struct pt_key key;
	char *who; /* owned, escaped: "pid 4242 (python3)" */
};

struct ui {
	struct sampler *sampler; /* borrowed */
	const struct ui_config *cfg;
	struct pt_snapshot *snap;    /* on screen; a reference from sampler_take */
	struct pt_snapshot *pending; /* arrived while paused */
	uint64_t taken;              /* snapshots taken, for -n */
	bool paused;

	struct settings set;   /* what the screen uses now */
	char *settings_path;   /* owned; NULL: nowhere to save */
	bool can_save;         /* false when the file had lines porttop did not understand */
	struct filter *filter; /* compiled set.filter */
	struct filter *search; /* the / expression, or NULL */

	struct view view;
	struct col_ctx ctx;
	struct pt_key *order; /* keys of the view as last shown, for view_neighbour */
	size_t norder, order_cap;
	size_t cursor, top;
	struct pt_key sel; /* identity under the cursor */
	bool has_sel;
	struct pt_key *tags; /* owned */
	size_t ntags, tags_cap;
	unsigned want[COL_COUNT];
	struct col_layout lay;

	enum ui_mode mode;
	enum ui_mode back; /* where help and the sort menu return to */
	int rows, cols;
	int table_y, table_h; /* first row line and how many */
	bool utf8;
	bool mouse;

	char *msg; /* owned, safe text for the status line, or NULL */
	enum ui_elem msg_elem;
	int64_t msg_until; /* monotonic ms; 0 keeps it until replaced */

	/* UI_MODE_PROMPT */
	enum ui_prompt_kind prompt;
	struct strbuf prompt_text;
	char *prompt_saved; /* owned: the filter before editing, restored by Esc */
	char *prompt_error; /* owned or NULL */

	/* UI_MODE_DETAIL */
	struct pt_key detail_key;
	size_t detail_top;
	size_t detail_len; /* lines in the last drawing, to bound scrolling */

	/* UI_MODE_HELP and UI_MODE_SORT */
	size_t help_top;
	size_t help_len;
	size_t sort_pick;
	size_t setup_pick; /* UI_MODE_SETUP */

	/* UI_MODE_KILL */
	struct ui_target *kill; /* owned array */
	size_t nkill;
	size_t kill_pick; /* index into killer_menu */
	struct ui_wait *waits;
	size_t nwaits, waits_cap;
	int64_t wait_deadline; /* monotonic ms, 0 when nothing is waited for */
	struct pt_key *alive;  /* still alive after the last wait: k offers SIGKILL first */
	size_t nalive, alive_cap;

	/* UI_MODE_EXPECT */
	struct ui_target expect;
	char *expect_rule; /* owned, raw: what is appended */
	char *expect_path; /* owned: the user's expected file */
};

/* ui.c */
/* Replace the status-line message; text is formatted, then escaped-safe only if the caller
 * made it so (everything from another process must already be escaped). for_ms 0: sticky. */
void ui_message(struct ui *ui, enum ui_elem elem, int64_t for_ms, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* The row under the cursor, or NULL. */
const struct pt_listener *ui_selected(const struct ui *ui);
/* Move the cursor to position i of the view (clamped) and remember that row's identity. */
void ui_select(struct ui *ui, size_t i);
/* Apply set.filter again (after an edit); 0, or -EINVAL with the reason in *cause. */
int ui_apply_filter(struct ui *ui, const char *text, char **cause);
/* Ask the sampler for a new interval from set.interval_tenths. */
void ui_apply_interval(struct ui *ui);
/* p again: show the snapshot that arrived while paused. */
unsigned ui_resume(struct ui *ui);
bool ui_is_tagged(const struct ui *ui, const struct pt_key *key);
void ui_toggle_tag(struct ui *ui, const struct pt_key *key);

/* ui_colors.c */
/* Set up the colour pairs of scheme (or monochrome when off). -1 when scheme is unknown
 * (the default scheme is used then). Call after initscr. */
int ui_colors_init(const char *scheme, bool color);
attr_t ui_attr(enum ui_elem e);
/* The scheme after name in the list (wrapping), for the c key. */
const char *ui_colors_next(const char *name);

/* ui_draw.c */
/* Draw safe text at y, x cut to width columns (a cut shows "…" or "~" last), padded with
 * spaces to width when pad; right-aligned when right. Returns the columns drawn. */
int ui_draw_text(int y, int x, int width, const char *text, attr_t attr, bool pad, bool right);
/* Fill width columns at y, x with spaces in attr. */
void ui_draw_fill(int y, int x, int width, attr_t attr);
/* A framed box with a title; returns nothing, the caller writes inside. */
void ui_draw_box(int y, int x, int h, int w, const char *title, attr_t attr, attr_t title_attr);
/* Escape untrusted text (len bytes) and append it to out. */
void ui_escape(struct strbuf *out, const char *s);
/* True when the terminal takes UTF-8: "…" and block characters may be drawn. */
extern bool ui_draw_utf8;

/*
 * Lines of text prepared for a scrolling screen (detail, help): each an optional label in one
 * look and safe text in another; long text wraps under the label at the width given.
 */
struct ui_line {
	char *label; /* owned or NULL */
	attr_t label_attr;
	int indent; /* the label's width: where the text starts */
	char *text; /* owned */
	attr_t attr;
};

struct ui_lines {
	struct ui_line *v;
	size_t n, cap;
	int width;
};

void ui_lines_init(struct ui_lines *ls, int width);
void ui_lines_fini(struct ui_lines *ls);
/* Add safe text (wrapped to the width) after label (may be NULL). */
void ui_lines_add(
        struct ui_lines *ls, const char *label, attr_t label_attr, const char *text, attr_t attr);
/* Add safe text as one line, cut at the width instead of wrapped. */
void ui_lines_add_cut(struct ui_lines *ls, const char *text, attr_t attr);
/* Add a line of formatted safe text. */
void ui_lines_printf(struct ui_lines *ls, attr_t attr, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Draw lines top.. into h screen lines from y, x. */
void ui_lines_draw(const struct ui_lines *ls, int y, int x, int h, size_t top);

/* ui_header.c */
/* Lines the header takes at this terminal height (the status line included). */
int ui_header_height(const struct ui *ui);
void ui_header_draw(struct ui *ui);
/* The status line: message, snapshot status, or a summary of what is shown. */
void ui_status_draw(struct ui *ui, int y);

/* ui_table.c */
/* Recompute column widths and layout for the current view and terminal width. */
void ui_table_layout(struct ui *ui);
void ui_table_draw(struct ui *ui);
/* The mouse was pressed at y, x: select a row, or sort by the title clicked. */
unsigned ui_table_click(struct ui *ui, int y, int x);
/* Keep the cursor's row inside the visible page. */
void ui_table_scroll(struct ui *ui);

/* ui_detail.c */
void ui_detail_open(struct ui *ui, const struct pt_key *key);
void ui_detail_close(struct ui *ui);
void ui_detail_draw(struct ui *ui);

/* ui_kill.c */
/* k: open the kill dialog over the tagged rows (when tags is true and some are), else row. */
unsigned ui_kill_open(struct ui *ui, const struct pt_listener *row, bool tags);
void ui_kill_draw(struct ui *ui);
unsigned ui_kill_key(struct ui *ui, int key);
/* Poll descriptors of the waits (up to max into fds); returns how many. */
size_t ui_kill_pollfds(struct ui *ui, struct pollfd *fds, size_t max);
/* Some wait fd was readable or the deadline passed: report what happened. */
unsigned ui_kill_check(struct ui *ui, int64_t now_ms);
void ui_kill_fini(struct ui *ui);
/* Copy row into t (owned strings and arrays); ui_target_fini frees them. */
void ui_target_init(struct ui_target *t, const struct pt_listener *row);
void ui_target_fini(struct ui_target *t);

/* ui_expect.c */
unsigned ui_expect_open(struct ui *ui, const struct pt_listener *row);
void ui_expect_draw(struct ui *ui);
unsigned ui_expect_key(struct ui *ui, int key);
void ui_expect_fini(struct ui *ui);

/* ui_prompt.c */
unsigned ui_prompt_open(struct ui *ui, enum ui_prompt_kind kind);
unsigned ui_prompt_key(struct ui *ui, int key);
void ui_prompt_draw(struct ui *ui, int y);
/* Move the cursor to the next (dir 1) or previous (-1) row matching the search, starting
 * after the cursor (or at it when include_current). Returns whether one was found. */
bool ui_search_step(struct ui *ui, int dir, bool include_current);

/* ui_help.c */
void ui_help_draw(struct ui *ui);
unsigned ui_help_key(struct ui *ui, int key);
void ui_sort_draw(struct ui *ui);
unsigned ui_sort_key(struct ui *ui, int key);

/* ui_setup.c */
unsigned ui_setup_open(struct ui *ui);
void ui_setup_draw(struct ui *ui);
unsigned ui_setup_key(struct ui *ui, int key);

/* ui_keys.c */
#define CTRL(c) ((c)&0x1f)
#define KEY_ESC 27
#define UI_KEY_TEXT (-2) /* in a binding: any printable key (the prompt's typing) */

typedef unsigned ui_action_fn(struct ui *ui);

struct ui_binding {
	int keys[4];      /* 0-terminated */
	const char *help; /* for the help screen; NULL hides the binding */
	ui_action_fn *action;
};

struct ui_keymap {
	const char *title; /* section of the help screen */
	const struct ui_binding *bindings;
	size_t n;
};

/* The key maps in help order: table, detail, sort menu, kill, confirm, prompt, help. */
extern const struct ui_keymap *const ui_keymaps[];
extern const size_t ui_nkeymaps;
extern const struct ui_keymap *const ui_keymap_table;
extern const struct ui_keymap *const ui_keymap_detail;
extern const struct ui_keymap ui_sort_keymap;   /* ui_help.c */
extern const struct ui_keymap ui_setup_keymap;  /* ui_setup.c */
extern const struct ui_keymap ui_help_keymap;   /* ui_help.c */
extern const struct ui_keymap ui_kill_keymap;   /* ui_kill.c */
extern const struct ui_keymap ui_expect_keymap; /* ui_expect.c */
extern const struct ui_keymap ui_prompt_keymap; /* ui_prompt.c */
/* Run the action bound to key in map; 0 when nothing is bound. */
unsigned ui_keys_dispatch(struct ui *ui, const struct ui_keymap *map, int key);
/* "F1", "Enter", "Up", "k", "Space", "^L" */
const char *ui_key_name(int key, char *buf, size_t size);
/* Sort by col, or flip the order when it is the sort column already. */
unsigned ui_keys_sort_column(struct ui *ui, enum col_id col);
/* The function-key bar at the bottom for the current mode. */
void ui_keys_bar_draw(struct ui *ui, int y);

#endif
