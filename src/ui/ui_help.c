/* ui_help.c — the help screen, generated from the key tables, and the F6 sort menu. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

#define UI_HELP_KEYS_WIDTH 18

/* "k F9" for a binding, each key name once ("Enter" stands for three codes). */
static void
ui_help_keys(const struct ui_binding *b, struct strbuf *out)
{
	char names[4][16];
	size_t i, j, n = 0;

	for (i = 0; i < 4 && b->keys[i] != 0; i++) {
		char buf[16];
		const char *name = ui_key_name(b->keys[i], buf, sizeof buf);

		for (j = 0; j < n; j++)
			if (strcmp(names[j], name) == 0)
				break;
		if (j < n)
			continue;
		snprintf(names[n++], sizeof names[0], "%s", name);
		if (out->len > 0)
			strbuf_addch(out, ' ');
		strbuf_addstr(out, name);
	}
}

static void
ui_help_lines(struct ui *ui, struct ui_lines *ls)
{
	struct strbuf keys = STRBUF_INIT;
	size_t m, i;

	for (m = 0; m < ui_nkeymaps; m++) {
		const struct ui_keymap *map = ui_keymaps[m];

		ui_lines_add(ls, NULL, 0, map->title, ui_attr(UE_SECTION));
		for (i = 0; i < map->n; i++) {
			const struct ui_binding *b = &map->bindings[i];

			if (b->help == NULL)
				continue;
			strbuf_reset(&keys);
			ui_help_keys(b, &keys);
			while (keys.len < UI_HELP_KEYS_WIDTH)
				strbuf_addch(&keys, ' ');
			strbuf_addch(&keys, ' ');
			ui_lines_add(ls, strbuf_str(&keys), ui_attr(UE_FKEY), b->help,
			        ui_attr(UE_NORMAL));
		}
		ui_lines_add(ls, NULL, 0, "", 0);
	}
	ui_lines_add(ls, NULL, 0, "Columns (click a title to sort by it)", ui_attr(UE_SECTION));
	for (i = 0; i < COL_COUNT; i++) {
		const struct col_def *d = columns_def((enum col_id)i);

		strbuf_reset(&keys);
		strbuf_addstr(&keys, d->title);
		while (keys.len < UI_HELP_KEYS_WIDTH)
			strbuf_addch(&keys, ' ');
		strbuf_addch(&keys, ' ');
		ui_lines_add(ls, strbuf_str(&keys), ui_attr(UE_FKEY), d->help, ui_attr(UE_NORMAL));
	}
	ui_lines_add(ls, NULL, 0, "", 0);
	ui_lines_add(ls, NULL, 0, "Settings", ui_attr(UE_SECTION));
	strbuf_reset(&keys);
	if (ui->settings_path != NULL)
		ui_escape(&keys, ui->settings_path);
	else
		strbuf_addstr(&keys, "(none: set HOME or PORTTOP_CONFIG)");
	ui_lines_add(
	        ls, "file               ", ui_attr(UE_FKEY), strbuf_str(&keys), ui_attr(UE_NORMAL));
	ui_lines_add(ls, "saved              ", ui_attr(UE_FKEY),
	        ui->can_save ? "when sort, interval, filter, colours or columns change"
	                     : "no: the file has lines porttop does not understand",
	        ui_attr(UE_NORMAL));
	ui_lines_add(
	        ls, "colour scheme      ", ui_attr(UE_FKEY), ui->set.scheme, ui_attr(UE_NORMAL));
	strbuf_fini(&keys);
}

void
ui_help_draw(struct ui *ui)
{
	struct ui_lines ls;
	int y = ui->table_y, h = ui->rows - 1 - y;

	ui_lines_init(&ls, ui->cols - 2);
	ui_help_lines(ui, &ls);
	ui->help_len = ls.n;
	if (ui->help_top + (size_t)h > ls.n)
		ui->help_top = ls.n > (size_t)h ? ls.n - (size_t)h : 0;
	ui_lines_draw(&ls, y, 1, h, ui->help_top);
	ui_lines_fini(&ls);
}

static unsigned
ui_help_scroll(struct ui *ui, long delta)
{
	long top = (long)ui->help_top + delta;

	ui->help_top = top < 0 ? 0 : (size_t)top; /* the drawing clamps the bottom */
	return UI_REDRAW;
}

static unsigned
ui_help_up(struct ui *ui)
{
	return ui_help_scroll(ui, -1);
}

static unsigned
ui_help_down(struct ui *ui)
{
	return ui_help_scroll(ui, 1);
}

static unsigned
ui_help_page_up(struct ui *ui)
{
	return ui_help_scroll(ui, -(long)(ui->rows / 2));
}

static unsigned
ui_help_page_down(struct ui *ui)
{
	return ui_help_scroll(ui, ui->rows / 2);
}

static unsigned
ui_help_home(struct ui *ui)
{
	ui->help_top = 0;
	return UI_REDRAW;
}

static unsigned
ui_help_end(struct ui *ui)
{
	return ui_help_scroll(ui, (long)ui->help_len);
}

static unsigned
ui_help_back(struct ui *ui)
{
	ui->mode = ui->back;
	return UI_REDRAW;
}

static unsigned
ui_help_quit(struct ui *ui)
{
	return UI_QUIT;
}

static const struct ui_binding ui_help_bindings[] = {
	{ { KEY_UP }, "scroll up", ui_help_up },
	{ { KEY_DOWN }, "scroll down", ui_help_down },
	{ { KEY_PPAGE }, "page up", ui_help_page_up },
	{ { KEY_NPAGE, ' ' }, "page down", ui_help_page_down },
	{ { KEY_HOME }, "top", ui_help_home },
	{ { KEY_END }, "bottom", ui_help_end },
	{ { KEY_ESC, 'q', KEY_F(1), 'h' }, "back", ui_help_back },
	{ { '?', KEY_ENTER, '\r', '\n' }, NULL, ui_help_back },
	{ { KEY_F(10) }, "quit", ui_help_quit },
};

const struct ui_keymap ui_help_keymap = { "Help screen", ui_help_bindings,
	sizeof ui_help_bindings / sizeof ui_help_bindings[0] };

unsigned
ui_help_key(struct ui *ui, int key)
{
	return ui_keys_dispatch(ui, &ui_help_keymap, key);
}

/* --- F6: the sort menu ----------------------------------------------------------------- */

void
ui_sort_draw(struct ui *ui)
{
	int h = COL_COUNT + 2, w = 24, y = ui->table_y + 1, x = 1, i;

	if (y + h > ui->rows - 1)
		h = ui->rows - 1 - y;
	ui_draw_box(y, x, h, w, "Sort by", ui_attr(UE_DIALOG), ui_attr(UE_DIALOG_TITLE));
	for (i = 0; i < COL_COUNT && i < h - 2; i++) {
		const struct col_def *d = columns_def((enum col_id)i);
		char line[32];
		enum ui_elem e = (size_t)i == ui->sort_pick ? UE_DIALOG_SELECTED : UE_DIALOG;

		snprintf(line, sizeof line, " %-9s %s", d->title,
		        i == (int)ui->set.sort_col ? (ui->set.sort_desc ? "desc" : "asc") : "");
		ui_draw_text(y + 1 + i, x + 1, w - 2, line, ui_attr(e), true, false);
	}
}

static unsigned
ui_sort_up(struct ui *ui)
{
	ui->sort_pick = (ui->sort_pick + COL_COUNT - 1) % COL_COUNT;
	return UI_REDRAW;
}

static unsigned
ui_sort_down(struct ui *ui)
{
	ui->sort_pick = (ui->sort_pick + 1) % COL_COUNT;
	return UI_REDRAW;
}

static unsigned
ui_sort_pick(struct ui *ui)
{
	ui->mode = ui->back;
	return ui_keys_sort_column(ui, (enum col_id)ui->sort_pick);
}

static unsigned
ui_sort_cancel(struct ui *ui)
{
	ui->mode = ui->back;
	return UI_REDRAW;
}

static const struct ui_binding ui_sort_bindings[] = {
	{ { KEY_UP }, "previous column", ui_sort_up },
	{ { KEY_DOWN }, "next column", ui_sort_down },
	{ { KEY_ENTER, '\r', '\n', ' ' }, "sort by it (again: invert)", ui_sort_pick },
	{ { KEY_ESC, 'q', KEY_F(6) }, "cancel", ui_sort_cancel },
};

const struct ui_keymap ui_sort_keymap = { "Sort menu (F6)", ui_sort_bindings,
	sizeof ui_sort_bindings / sizeof ui_sort_bindings[0] };

unsigned
ui_sort_key(struct ui *ui, int key)
{
	return ui_keys_dispatch(ui, &ui_sort_keymap, key);
}
