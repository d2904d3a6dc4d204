/* ui_setup.c — F2: choose which columns the table shows. */
#include "config.h"

#include <stdio.h>

#include "ui_internal.h"

/* Without these a row cannot be told from another: they cannot be hidden. */
static bool
ui_setup_required(enum col_id id)
{
	return id == COL_ADDRESS || id == COL_PORT;
}

unsigned
ui_setup_open(struct ui *ui)
{
	ui->back = ui->mode;
	ui->mode = UI_MODE_SETUP;
	ui->setup_pick = 0;
	return UI_REDRAW;
}

void
ui_setup_draw(struct ui *ui)
{
	int h = COL_COUNT + 4, w = 44, y = ui->table_y + 1, x = 1, i;

	if (y + h > ui->rows - 1)
		h = ui->rows - 1 - y;
	if (w > ui->cols - 2)
		w = ui->cols - 2;
	ui_draw_box(y, x, h, w, "Columns", ui_attr(UE_DIALOG), ui_attr(UE_DIALOG_TITLE));
	for (i = 0; i < COL_COUNT && i < h - 4; i++) {
		const struct col_def *d = columns_def((enum col_id)i);
		enum ui_elem e = (size_t)i == ui->setup_pick ? UE_DIALOG_SELECTED : UE_DIALOG;
		char line[96];

		snprintf(line, sizeof line, " [%c] %-8s %s", ui->set.hidden & (1u << i) ? ' ' : 'x',
		        d->title, ui_setup_required((enum col_id)i) ? "(always shown)" : "");
		ui_draw_text(y + 1 + i, x + 1, w - 2, line, ui_attr(e), true, false);
	}
	if (h >= 4)
		ui_draw_text(y + h - 2, x + 2, w - 4, "Space shows or hides   Esc closes",
		        ui_attr(UE_DIALOG), false, false);
}

static unsigned
ui_setup_up(struct ui *ui)
{
	ui->setup_pick = (ui->setup_pick + COL_COUNT - 1) % COL_COUNT;
	return UI_REDRAW;
}

static unsigned
ui_setup_down(struct ui *ui)
{
	ui->setup_pick = (ui->setup_pick + 1) % COL_COUNT;
	return UI_REDRAW;
}

static unsigned
ui_setup_toggle(struct ui *ui)
{
	enum col_id id = (enum col_id)ui->setup_pick;

	if (ui_setup_required(id))
		return 0;
	ui->set.hidden ^= 1u << id;
	return UI_REVIEW | UI_REDRAW | UI_SAVE;
}

static unsigned
ui_setup_close(struct ui *ui)
{
	ui->mode = ui->back;
	return UI_REDRAW;
}

static const struct ui_binding ui_setup_bindings[] = {
	{ { KEY_UP }, "previous column", ui_setup_up },
	{ { KEY_DOWN }, "next column", ui_setup_down },
	{ { ' ' }, "show or hide it (saved)", ui_setup_toggle },
	{ { KEY_ESC, 'q', KEY_F(2), KEY_ENTER }, "close", ui_setup_close },
	{ { '\r', '\n' }, NULL, ui_setup_close },
};

const struct ui_keymap ui_setup_keymap = { "Columns (F2)", ui_setup_bindings,
	sizeof ui_setup_bindings / sizeof ui_setup_bindings[0] };

unsigned
ui_setup_key(struct ui *ui, int key)
{
	return ui_keys_dispatch(ui, &ui_setup_keymap, key);
}
