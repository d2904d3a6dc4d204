/* ui_keys.c — the key bindings: tables from key to action, and the actions of the dashboard. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/filter.h"
#include "porttop/sampler.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

/* --- moving ------------------------------------------------------------------------------ */

static unsigned
ui_keys_move(struct ui *ui, long delta)
{
	long to = (long)ui->cursor + delta;

	if (ui->view.len == 0)
		return 0;
	if (to < 0)
		to = 0;
	ui_select(ui, (size_t)to);
	return UI_REDRAW;
}

static unsigned
ui_act_up(struct ui *ui)
{
	return ui_keys_move(ui, -1);
}

static unsigned
ui_act_down(struct ui *ui)
{
	return ui_keys_move(ui, 1);
}

static unsigned
ui_act_page_up(struct ui *ui)
{
	return ui_keys_move(ui, -(long)(ui->table_h > 1 ? ui->table_h - 1 : 1));
}

static unsigned
ui_act_page_down(struct ui *ui)
{
	return ui_keys_move(ui, ui->table_h > 1 ? ui->table_h - 1 : 1);
}

static unsigned
ui_act_home(struct ui *ui)
{
	return ui_keys_move(ui, -(long)ui->view.len);
}

static unsigned
ui_act_end(struct ui *ui)
{
	return ui_keys_move(ui, (long)ui->view.len);
}

/* --- sorting ------------------------------------------------------------------------------ */

/* Sort by col; choosing the column already sorted by flips the direction, as in htop. */
static unsigned
ui_keys_sort_by(struct ui *ui, enum col_id col)
{
	if (ui->set.sort_col == col)
		ui->set.sort_desc = !ui->set.sort_desc;
	else {
		ui->set.sort_col = col;
		ui->set.sort_desc = columns_def(col)->desc_first;
	}
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

unsigned
ui_keys_sort_column(struct ui *ui, enum col_id col)
{
	return ui_keys_sort_by(ui, col);
}

/* The next visible column left (-1) or right (1) of the sort column. */
static unsigned
ui_keys_sort_step(struct ui *ui, int dir)
{
	int c = (int)ui->set.sort_col, i;

	for (i = 0; i < COL_COUNT; i++) {
		c = (c + dir + COL_COUNT) % COL_COUNT;
		if (!(ui->set.hidden & (1u << c)))
			break;
	}
	ui->set.sort_col = (enum col_id)c;
	ui->set.sort_desc = columns_def((enum col_id)c)->desc_first;
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

static unsigned
ui_act_sort_left(struct ui *ui)
{
	return ui_keys_sort_step(ui, -1);
}

static unsigned
ui_act_sort_right(struct ui *ui)
{
	return ui_keys_sort_step(ui, 1);
}

static unsigned
ui_act_sort_menu(struct ui *ui)
{
	ui->back = ui->mode;
	ui->mode = UI_MODE_SORT;
	ui->sort_pick = (size_t)ui->set.sort_col;
	return UI_REDRAW;
}

static unsigned
ui_act_setup(struct ui *ui)
{
	return ui_setup_open(ui);
}

static unsigned
ui_act_invert(struct ui *ui)
{
	ui->set.sort_desc = !ui->set.sort_desc;
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

static unsigned
ui_act_range_sort(struct ui *ui)
{
	ui->set.sort_col = COL_RANGE;
	ui->set.sort_desc = false;
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

/* --- narrowing --------------------------------------------------------------------------- */

static unsigned
ui_act_search(struct ui *ui)
{
	return ui_prompt_open(ui, UI_PROMPT_SEARCH);
}

static unsigned
ui_act_search_next(struct ui *ui)
{
	if (ui->search == NULL)
		return ui_prompt_open(ui, UI_PROMPT_SEARCH);
	if (!ui_search_step(ui, 1, false))
		ui_message(ui, UE_STATUS_ERROR, 3000, "no more matches");
	return UI_REDRAW;
}

static unsigned
ui_act_search_prev(struct ui *ui)
{
	if (ui->search == NULL)
		return 0;
	if (!ui_search_step(ui, -1, false))
		ui_message(ui, UE_STATUS_ERROR, 3000, "no more matches");
	return UI_REDRAW;
}

static unsigned
ui_act_filter(struct ui *ui)
{
	return ui_prompt_open(ui, UI_PROMPT_FILTER);
}

static unsigned
ui_act_clear(struct ui *ui)
{
	unsigned flags = UI_REDRAW;
	char *cause = NULL;

	if (ui->set.filter[0] != '\0' || ui->set.exposed_only || ui->set.proto >= 0) {
		free(ui->set.filter);
		ui->set.filter = xstrdup("");
		ui_apply_filter(ui, "", &cause); /* an empty filter always parses */
		ui->set.exposed_only = false;
		ui->set.proto = -1;
		flags |= UI_REVIEW | UI_SAVE;
	}
	if (ui->search != NULL) {
		filter_free(ui->search);
		ui->search = NULL;
	}
	return flags;
}

static unsigned
ui_act_exposed(struct ui *ui)
{
	ui->set.exposed_only = !ui->set.exposed_only;
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

static unsigned
ui_keys_proto(struct ui *ui, int proto)
{
	ui->set.proto = ui->set.proto == proto ? -1 : proto;
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

static unsigned
ui_act_tcp(struct ui *ui)
{
	return ui_keys_proto(ui, PT_PROTO_TCP);
}

static unsigned
ui_act_udp(struct ui *ui)
{
	return ui_keys_proto(ui, PT_PROTO_UDP);
}

/* --- acting on rows ---------------------------------------------------------------------- */

static unsigned
ui_act_detail(struct ui *ui)
{
	const struct pt_listener *l = ui_selected(ui);

	if (l == NULL)
		return 0;
	ui_detail_open(ui, &l->key);
	return UI_REDRAW | UI_REFRESH;
}

static unsigned
ui_act_kill(struct ui *ui)
{
	return ui_kill_open(ui, ui_selected(ui), true);
}

static unsigned
ui_act_expect(struct ui *ui)
{
	return ui_expect_open(ui, ui_selected(ui));
}

static unsigned
ui_act_tag(struct ui *ui)
{
	const struct pt_listener *l = ui_selected(ui);

	if (l == NULL)
		return 0;
	ui_toggle_tag(ui, &l->key);
	ui_keys_move(ui, 1);
	return UI_REDRAW;
}

static unsigned
ui_act_untag_all(struct ui *ui)
{
	ui->ntags = 0;
	return UI_REDRAW;
}

/* --- the program ------------------------------------------------------------------------- */

static unsigned
ui_act_pause(struct ui *ui)
{
	if (ui->paused)
		return ui_resume(ui);
	ui->paused = true;
	return UI_REDRAW;
}

static const int ui_intervals[] = { 1, 2, 5, 10, 20, 30, 50, 100, 200, 300, 600, 1200, 3000 };
#define UI_NINTERVALS (sizeof ui_intervals / sizeof ui_intervals[0])

static unsigned
ui_keys_interval(struct ui *ui, int dir)
{
	int cur = ui->set.interval_tenths, next = cur;
	size_t i;

	if (dir > 0) {
		for (i = 0; i < UI_NINTERVALS; i++)
			if (ui_intervals[i] > cur) {
				next = ui_intervals[i];
				break;
			}
	} else {
		for (i = UI_NINTERVALS; i-- > 0;)
			if (ui_intervals[i] < cur) {
				next = ui_intervals[i];
				break;
			}
	}
	if (next == cur)
		return 0;
	ui->set.interval_tenths = next;
	ui_apply_interval(ui);
	return UI_REDRAW | UI_SAVE;
}

static unsigned
ui_act_slower(struct ui *ui)
{
	return ui_keys_interval(ui, 1);
}

static unsigned
ui_act_faster(struct ui *ui)
{
	return ui_keys_interval(ui, -1);
}

static unsigned
ui_act_help(struct ui *ui)
{
	ui->back = ui->mode;
	ui->mode = UI_MODE_HELP;
	ui->help_top = 0;
	return UI_REDRAW;
}

static unsigned
ui_act_colors(struct ui *ui)
{
	const char *next = ui_colors_next(ui->set.scheme);
	const char *nc = getenv("NO_COLOR");

	free(ui->set.scheme);
	ui->set.scheme = xstrdup(next);
	ui_colors_init(ui->set.scheme, !ui->cfg->no_color && (nc == NULL || nc[0] == '\0'));
	ui_message(ui, UE_STATUS, 3000, "colour scheme: %s", ui->set.scheme);
	return UI_REDRAW | UI_SAVE;
}

static unsigned
ui_act_redraw(struct ui *ui)
{
	clearok(curscr, TRUE);
	return UI_REDRAW | UI_REFRESH;
}

static unsigned
ui_act_quit(struct ui *ui)
{
	return UI_QUIT;
}

/* --- the detail view --------------------------------------------------------------------- */

static unsigned
ui_keys_detail_scroll(struct ui *ui, long delta)
{
	long top = (long)ui->detail_top + delta, max = (long)ui->detail_len - ui->table_h;

	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	ui->detail_top = (size_t)top;
	return UI_REDRAW;
}

static unsigned
ui_act_detail_up(struct ui *ui)
{
	return ui_keys_detail_scroll(ui, -1);
}

static unsigned
ui_act_detail_down(struct ui *ui)
{
	return ui_keys_detail_scroll(ui, 1);
}

static unsigned
ui_act_detail_page_up(struct ui *ui)
{
	return ui_keys_detail_scroll(ui, -(long)(ui->table_h > 1 ? ui->table_h - 1 : 1));
}

static unsigned
ui_act_detail_page_down(struct ui *ui)
{
	return ui_keys_detail_scroll(ui, ui->table_h > 1 ? ui->table_h - 1 : 1);
}

static unsigned
ui_act_detail_home(struct ui *ui)
{
	ui->detail_top = 0;
	return UI_REDRAW;
}

static unsigned
ui_act_detail_end(struct ui *ui)
{
	return ui_keys_detail_scroll(ui, (long)ui->detail_len);
}

static unsigned
ui_act_detail_back(struct ui *ui)
{
	ui_detail_close(ui);
	return UI_REDRAW | UI_REVIEW;
}

/* The live row of the detail view, or NULL when it is no longer in the snapshot. */
static const struct pt_listener *
ui_keys_detail_row(struct ui *ui)
{
	return ui->snap != NULL ? snapshot_find(ui->snap, &ui->detail_key) : NULL;
}

static unsigned
ui_act_detail_kill(struct ui *ui)
{
	const struct pt_listener *l = ui_keys_detail_row(ui);

	if (l == NULL) {
		ui_message(ui, UE_STATUS_ERROR, 5000, "this listener is gone");
		return UI_REDRAW;
	}
	return ui_kill_open(ui, l, false); /* this listener, whatever is tagged */
}

static unsigned
ui_act_detail_expect(struct ui *ui)
{
	const struct pt_listener *l = ui_keys_detail_row(ui);

	if (l == NULL) {
		ui_message(ui, UE_STATUS_ERROR, 5000, "this listener is gone");
		return UI_REDRAW;
	}
	return ui_expect_open(ui, l);
}

/* --- the tables -------------------------------------------------------------------------- */

#define ENTER_KEYS KEY_ENTER, '\r', '\n'

static const struct ui_binding ui_table_bindings[] = {
	{ { KEY_UP }, "move up", ui_act_up },
	{ { KEY_DOWN }, "move down", ui_act_down },
	{ { KEY_PPAGE }, "page up", ui_act_page_up },
	{ { KEY_NPAGE }, "page down", ui_act_page_down },
	{ { KEY_HOME }, "first row", ui_act_home },
	{ { KEY_END }, "last row", ui_act_end },
	{ { ENTER_KEYS }, "details: command line, owners, sockets, connections", ui_act_detail },
	{ { KEY_F(6) }, "choose the sort column", ui_act_sort_menu },
	{ { '<', ',' }, "sort by the column to the left", ui_act_sort_left },
	{ { '>', '.' }, "sort by the column to the right", ui_act_sort_right },
	{ { 'I' }, "invert the sort order", ui_act_invert },
	{ { 'r' }, "sort by port range: well-known, registered, ephemeral, then port",
	        ui_act_range_sort },
	{ { '/', KEY_F(3) }, "search: move to the next row that matches", ui_act_search },
	{ { 'n' }, "next search match", ui_act_search_next },
	{ { 'N' }, "previous search match", ui_act_search_prev },
	{ { '\\', KEY_F(4) }, "filter: show only rows that match", ui_act_filter },
	{ { KEY_ESC }, "clear the filter, the search, e, t and u", ui_act_clear },
	{ { 'e' }, "show only exposed listeners (again: all)", ui_act_exposed },
	{ { 't' }, "show only TCP (again: both)", ui_act_tcp },
	{ { 'u' }, "show only UDP (again: both)", ui_act_udp },
	{ { ' ' }, "tag or untag the row (k then acts on every tagged row)", ui_act_tag },
	{ { 'U' }, "untag every row", ui_act_untag_all },
	{ { 'k', KEY_F(9) }, "kill: send a signal to the owner (or the tagged rows' owners)",
	        ui_act_kill },
	{ { 'a' }, "expect this listener: add a rule so it is no longer EXPOSED", ui_act_expect },
	{ { 'p', 'Z' }, "pause or resume updates", ui_act_pause },
	{ { '+', '=' }, "sample less often", ui_act_slower },
	{ { '-' }, "sample more often", ui_act_faster },
	{ { 'c' }, "next colour scheme", ui_act_colors },
	{ { KEY_F(2) }, "choose the columns", ui_act_setup },
	{ { CTRL('l') }, "redraw the screen and sample now", ui_act_redraw },
	{ { KEY_F(1), 'h', '?' }, "this help", ui_act_help },
	{ { 'q', KEY_F(10) }, "quit", ui_act_quit },
};

static const struct ui_binding ui_detail_bindings[] = {
	{ { KEY_UP }, "scroll up", ui_act_detail_up },
	{ { KEY_DOWN }, "scroll down", ui_act_detail_down },
	{ { KEY_PPAGE }, "page up", ui_act_detail_page_up },
	{ { KEY_NPAGE }, "page down", ui_act_detail_page_down },
	{ { KEY_HOME }, "top", ui_act_detail_home },
	{ { KEY_END }, "bottom", ui_act_detail_end },
	{ { KEY_ESC, 'q', KEY_LEFT, KEY_BACKSPACE }, "back to the table", ui_act_detail_back },
	{ { ENTER_KEYS }, NULL, ui_act_detail_back },
	{ { 'k', KEY_F(9) }, "kill this listener's owner", ui_act_detail_kill },
	{ { 'a' }, "expect this listener", ui_act_detail_expect },
	{ { 'p', 'Z' }, "pause or resume updates", ui_act_pause },
	{ { CTRL('l') }, "redraw the screen and sample now", ui_act_redraw },
	{ { KEY_F(1), 'h', '?' }, "help", ui_act_help },
	{ { KEY_F(10) }, "quit", ui_act_quit },
};

static const struct ui_keymap ui_table_map = { "Dashboard", ui_table_bindings,
	sizeof ui_table_bindings / sizeof ui_table_bindings[0] };
static const struct ui_keymap ui_detail_map = { "Detail view", ui_detail_bindings,
	sizeof ui_detail_bindings / sizeof ui_detail_bindings[0] };

const struct ui_keymap *const ui_keymap_table = &ui_table_map;
const struct ui_keymap *const ui_keymap_detail = &ui_detail_map;

const struct ui_keymap *const ui_keymaps[] = {
	&ui_table_map,
	&ui_detail_map,
	&ui_sort_keymap,
	&ui_setup_keymap,
	&ui_kill_keymap,
	&ui_expect_keymap,
	&ui_prompt_keymap,
	&ui_help_keymap,
};
const size_t ui_nkeymaps = sizeof ui_keymaps / sizeof ui_keymaps[0];

unsigned
ui_keys_dispatch(struct ui *ui, const struct ui_keymap *map, int key)
{
	size_t i, j;

	for (i = 0; i < map->n; i++)
		for (j = 0; j < 4 && map->bindings[i].keys[j] != 0; j++)
			if (map->bindings[i].keys[j] == key)
				return map->bindings[i].action(ui);
	return 0;
}

const char *
ui_key_name(int key, char *buf, size_t size)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KEY_UP, "Up" },
		{ KEY_DOWN, "Down" },
		{ KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" },
		{ KEY_PPAGE, "PgUp" },
		{ KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" },
		{ KEY_END, "End" },
		{ KEY_ENTER, "Enter" },
		{ '\r', "Enter" },
		{ '\n', "Enter" },
		{ KEY_ESC, "Esc" },
		{ ' ', "Space" },
		{ KEY_BACKSPACE, "Bksp" },
		{ 127, "Bksp" },
		{ CTRL('h'), "Bksp" },
		{ '\t', "Tab" },
		{ UI_KEY_TEXT, "text" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key)
			return names[i].name;
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, size, "F%d", key - KEY_F0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, size, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "#%d", key);
	return buf;
}

/* --- the key bar ------------------------------------------------------------------------- */

struct ui_bar_item {
	const char *key;
	const char *label;
};

static void
ui_keys_bar_items(struct ui *ui, int y, const struct ui_bar_item *items, size_t n)
{
	int x = 0;
	size_t i;

	for (i = 0; i < n && x < ui->cols; i++) {
		if (ui->cfg->readonly && strcmp(items[i].label, "Kill") == 0)
			continue;
		x += ui_draw_text(y, x, ui->cols - x, items[i].key, ui_attr(UE_FKEY), false, false);
		x += ui_draw_text(
		        y, x, ui->cols - x, items[i].label, ui_attr(UE_FLABEL), false, false);
		x += ui_draw_text(y, x, ui->cols - x, " ", ui_attr(UE_NORMAL), false, false);
	}
	if (x < ui->cols)
		ui_draw_fill(y, x, ui->cols - x, ui_attr(UE_NORMAL));
}

void
ui_keys_bar_draw(struct ui *ui, int y)
{
	static const struct ui_bar_item table[] = {
		{ "F1", "Help" },
		{ "F2", "Columns" },
		{ "F3", "Search" },
		{ "F4", "Filter" },
		{ "F6", "SortBy" },
		{ "F9", "Kill" },
		{ "F10", "Quit" },
		{ "Enter", "Detail" },
		{ "a", "Expect" },
		{ "e", "Exposed" },
		{ "r", "Range" },
		{ "Space", "Tag" },
		{ "p", "Pause" },
	};
	static const struct ui_bar_item detail[] = {
		{ "Esc", "Back" },
		{ "F9", "Kill" },
		{ "a", "Expect" },
		{ "p", "Pause" },
		{ "F1", "Help" },
		{ "F10", "Quit" },
	};
	static const struct ui_bar_item dialog[] = {
		{ "Enter", "Confirm" },
		{ "Esc", "Cancel" },
	};
	static const struct ui_bar_item help[] = {
		{ "Esc", "Back" },
		{ "Up/Dn", "Scroll" },
	};

	switch (ui->mode) {
	case UI_MODE_TABLE: ui_keys_bar_items(ui, y, table, sizeof table / sizeof table[0]); break;
	case UI_MODE_DETAIL:
		ui_keys_bar_items(ui, y, detail, sizeof detail / sizeof detail[0]);
		break;
	case UI_MODE_HELP: ui_keys_bar_items(ui, y, help, sizeof help / sizeof help[0]); break;
	default: ui_keys_bar_items(ui, y, dialog, sizeof dialog / sizeof dialog[0]); break;
	}
}
