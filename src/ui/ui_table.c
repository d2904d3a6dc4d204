/* ui_table.c — the dashboard's table: column titles, one line per listener, the cursor. */
#include "config.h"

#include <string.h>

#include "porttop/escape.h"
#include "ui_internal.h"

/* Views larger than this measure only the visible page, and columns only ever widen. */
#define UI_TABLE_MEASURE_ALL 2000

static void
ui_table_measure(struct ui *ui, const struct pt_listener *l, unsigned want[COL_COUNT])
{
	struct strbuf sb = STRBUF_INIT;
	unsigned i;

	for (i = 0; i < COL_COUNT; i++) {
		const struct col_def *d = columns_def((enum col_id)i);
		size_t w;

		if (d->min_width == d->max_width || d->max_width == 0)
			continue; /* fixed, or the command line that takes the rest */
		strbuf_reset(&sb);
		columns_format(&sb, (enum col_id)i, l, &ui->ctx);
		w = escape_width(strbuf_str(&sb));
		if (w > want[i])
			want[i] = (unsigned)w;
	}
	strbuf_fini(&sb);
}

void
ui_table_layout(struct ui *ui)
{
	unsigned want[COL_COUNT];
	size_t i, from = 0, to = ui->view.len;
	bool all = ui->view.len <= UI_TABLE_MEASURE_ALL;

	ui->table_y = ui_header_height(ui);
	ui->table_h = ui->rows - 2 - ui->table_y;
	if (ui->table_h < 0)
		ui->table_h = 0;
	for (i = 0; i < COL_COUNT; i++)
		want[i] = all ? (unsigned)strlen(columns_def((enum col_id)i)->title) : ui->want[i];
	if (!all) {
		from = ui->top;
		to = from + (size_t)ui->table_h < ui->view.len ? from + (size_t)ui->table_h
		                                               : ui->view.len;
	}
	for (i = from; i < to; i++)
		ui_table_measure(ui, ui->view.rows[i], want);
	memcpy(ui->want, want, sizeof want);
	columns_layout(&ui->lay, ui->cols > 0 ? (unsigned)ui->cols : 0, ui->want, ui->set.hidden);
}

void
ui_table_scroll(struct ui *ui)
{
	size_t h = ui->table_h > 0 ? (size_t)ui->table_h : 1;

	if (ui->cursor < ui->top)
		ui->top = ui->cursor;
	else if (ui->cursor >= ui->top + h)
		ui->top = ui->cursor - h + 1;
	/* rows went away below: pull the page down rather than show empty lines */
	if (ui->view.len > h && ui->top > ui->view.len - h)
		ui->top = ui->view.len - h;
	else if (ui->view.len <= h)
		ui->top = 0;
}

static void
ui_table_titles(struct ui *ui, int y)
{
	size_t i;

	ui_draw_fill(y, 0, ui->cols, ui_attr(UE_TITLE));
	for (i = 0; i < ui->lay.n; i++) {
		const struct col_slot *s = &ui->lay.slots[i];
		const struct col_def *d = columns_def(s->id);
		enum ui_elem e = s->id == ui->set.sort_col ? UE_TITLE_SORTED : UE_TITLE;

		ui_draw_text(y, (int)s->x, (int)s->width, d->title, ui_attr(e), true, d->right);
	}
}

/* The look of one cell of a row whose base look is base. */
static enum ui_elem
ui_table_cell_elem(const struct pt_listener *l, enum col_id id, enum ui_elem base)
{
	if (base != UE_NORMAL && base != UE_NEW)
		return base; /* cursor, tagged and gone rows look the same all along */
	switch (id) {
	case COL_ADDRESS:
		if (l->flags & PT_FLAG_EXPOSED)
			return UE_EXPOSED;
		if (l->cls.scope == PT_SCOPE_LOOPBACK)
			return UE_LOOPBACK;
		break;
	case COL_PORT:
	case COL_RANGE:
		if (l->flags & PT_FLAG_EPHEMERAL)
			return UE_EPHEMERAL;
		break;
	case COL_QUEUE:
		if (l->flags & PT_FLAG_STUCK)
			return UE_STUCK;
		break;
	case COL_FLAGS:
		if (l->flags & PT_FLAG_EXPOSED)
			return UE_EXPOSED;
		if (l->flags & PT_FLAG_STUCK)
			return UE_STUCK;
		if (l->flags & PT_FLAG_EPHEMERAL)
			return UE_EPHEMERAL;
		break;
	case COL_PROCESS:
	case COL_PID:
		if (l->nprocs == 0)
			return UE_DIM;
		break;
	default: break;
	}
	return base;
}

static void
ui_table_row(struct ui *ui, int y, const struct pt_listener *l, bool cursor)
{
	struct strbuf sb = STRBUF_INIT;
	enum ui_elem base = UE_NORMAL;
	size_t i;

	if (cursor)
		base = UE_CURSOR;
	else if (ui_is_tagged(ui, &l->key))
		base = UE_TAGGED;
	else if (l->flags & PT_FLAG_GONE)
		base = UE_GONE;
	else if (l->flags & PT_FLAG_NEW)
		base = UE_NEW;
	ui_draw_fill(y, 0, ui->cols, ui_attr(base));
	for (i = 0; i < ui->lay.n; i++) {
		const struct col_slot *s = &ui->lay.slots[i];

		strbuf_reset(&sb);
		columns_format(&sb, s->id, l, &ui->ctx);
		ui_draw_text(y, (int)s->x, (int)s->width, strbuf_str(&sb),
		        ui_attr(ui_table_cell_elem(l, s->id, base)), true,
		        columns_def(s->id)->right);
	}
	strbuf_fini(&sb);
}

void
ui_table_draw(struct ui *ui)
{
	int r;

	ui_table_titles(ui, ui->table_y);
	if (ui->view.len == 0) {
		const char *why = ui->snap == NULL ? ""
		                  : ui->snap->nrows == 0
		                          ? "no listening sockets"
		                          : "no listener matches (Esc clears the filter)";

		ui_draw_text(ui->table_y + 1, 1, ui->cols - 1, why, ui_attr(UE_DIM), false, false);
		return;
	}
	for (r = 0; r < ui->table_h; r++) {
		size_t i = ui->top + (size_t)r;

		if (i >= ui->view.len)
			break;
		ui_table_row(
		        ui, ui->table_y + 1 + r, ui->view.rows[i], ui->has_sel && i == ui->cursor);
	}
}

unsigned
ui_table_click(struct ui *ui, int y, int x)
{
	if (y == ui->table_y) {
		int col = columns_at(&ui->lay, (unsigned)x);

		return col >= 0 ? ui_keys_sort_column(ui, (enum col_id)col) : 0;
	}
	if (y > ui->table_y && y <= ui->table_y + ui->table_h) {
		size_t i = ui->top + (size_t)(y - ui->table_y - 1);

		if (i < ui->view.len) {
			ui_select(ui, i);
			return UI_REDRAW;
		}
	}
	return 0;
}
