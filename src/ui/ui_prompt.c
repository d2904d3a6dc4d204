/* ui_prompt.c — the bottom-line editor of the / search and the \ filter, applied as you type. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "porttop/escape.h"
#include "porttop/filter.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

#define UI_PROMPT_MAX 512

bool
ui_search_step(struct ui *ui, int dir, bool include_current)
{
	size_t n = ui->view.len, at, k, count;

	if (ui->search == NULL || n == 0)
		return false;
	at = ui->has_sel ? ui->cursor : 0;
	/* every row once, wrapping round, starting at the cursor or just past it */
	count = include_current ? n : n - 1;
	for (k = 0; k < count; k++) {
		size_t off = include_current ? k : k + 1;
		size_t j = dir > 0 ? (at + off) % n : (at + n - off) % n;

		if (filter_match(ui->search, ui->view.rows[j], &ui->ctx)) {
			ui_select(ui, j);
			return true;
		}
	}
	return false;
}

static void
ui_prompt_set_error(struct ui *ui, char *cause)
{
	free(ui->prompt_error);
	ui->prompt_error = cause;
}

/* The text changed: apply it at once, so the table answers while the user types. */
static unsigned
ui_prompt_changed(struct ui *ui)
{
	const char *text = strbuf_str(&ui->prompt_text);
	char *cause = NULL;

	if (ui->prompt == UI_PROMPT_FILTER) {
		if (ui_apply_filter(ui, text, &cause) != 0) {
			ui_prompt_set_error(ui, cause); /* keep showing the last good filter */
			return UI_REDRAW;
		}
		ui_prompt_set_error(ui, NULL);
		return UI_REVIEW | UI_REDRAW;
	} else {
		struct filter *f = filter_new(text, &cause);

		if (f == NULL) {
			ui_prompt_set_error(ui, cause);
			return UI_REDRAW;
		}
		filter_free(ui->search);
		ui->search = filter_empty(f) ? NULL : f;
		if (ui->search == NULL)
			filter_free(f);
		ui_prompt_set_error(ui, NULL);
		if (ui->search != NULL && !ui_search_step(ui, 1, true))
			ui_prompt_set_error(ui, xstrdup("no match"));
		return UI_REDRAW;
	}
}

unsigned
ui_prompt_open(struct ui *ui, enum ui_prompt_kind kind)
{
	ui->back = ui->mode;
	ui->mode = UI_MODE_PROMPT;
	ui->prompt = kind;
	strbuf_reset(&ui->prompt_text);
	free(ui->prompt_saved);
	ui->prompt_saved = xstrdup(ui->set.filter);
	ui_prompt_set_error(ui, NULL);
	if (kind == UI_PROMPT_FILTER)
		strbuf_addstr(&ui->prompt_text, ui->set.filter);
	else if (ui->search != NULL)
		strbuf_addstr(&ui->prompt_text, filter_text(ui->search));
	return UI_REDRAW;
}

static unsigned
ui_prompt_accept(struct ui *ui)
{
	unsigned flags = UI_REDRAW;

	ui->mode = ui->back;
	if (ui->prompt == UI_PROMPT_FILTER) {
		char *cause = NULL;
		const char *text = strbuf_str(&ui->prompt_text);

		if (ui_apply_filter(ui, text, &cause) == 0) {
			free(ui->set.filter);
			ui->set.filter = xstrdup(text);
			flags |= UI_REVIEW | UI_SAVE;
		} else {
			/* Enter on a bad filter keeps the last good one, and says so */
			ui_message(ui, UE_STATUS_ERROR, 5000, "filter not changed: %s", cause);
			free(cause);
			ui_apply_filter(ui, ui->set.filter, &cause);
			flags |= UI_REVIEW;
		}
	}
	ui_prompt_set_error(ui, NULL);
	return flags;
}

static unsigned
ui_prompt_cancel(struct ui *ui)
{
	char *cause = NULL;

	ui->mode = ui->back;
	ui_prompt_set_error(ui, NULL);
	if (ui->prompt == UI_PROMPT_FILTER) {
		ui_apply_filter(ui, ui->prompt_saved, &cause);
		free(cause);
		return UI_REVIEW | UI_REDRAW;
	}
	filter_free(ui->search);
	ui->search = NULL;
	return UI_REDRAW;
}

static unsigned
ui_prompt_backspace(struct ui *ui)
{
	struct strbuf *t = &ui->prompt_text;

	if (t->len == 0)
		return 0;
	/* a whole UTF-8 character: its continuation bytes and its lead byte */
	while (t->len > 0 && ((unsigned char)t->buf[t->len - 1] & 0xc0) == 0x80)
		t->len--;
	if (t->len > 0)
		t->len--;
	t->buf[t->len] = '\0';
	return ui_prompt_changed(ui);
}

static unsigned
ui_prompt_kill_line(struct ui *ui)
{
	strbuf_reset(&ui->prompt_text);
	return ui_prompt_changed(ui);
}

static unsigned
ui_prompt_kill_word(struct ui *ui)
{
	struct strbuf *t = &ui->prompt_text;

	while (t->len > 0 && t->buf[t->len - 1] == ' ')
		t->len--;
	while (t->len > 0 && t->buf[t->len - 1] != ' ')
		t->len--;
	if (t->buf != NULL)
		t->buf[t->len] = '\0';
	return ui_prompt_changed(ui);
}

static unsigned
ui_prompt_next(struct ui *ui)
{
	if (ui->prompt != UI_PROMPT_SEARCH)
		return 0;
	if (!ui_search_step(ui, 1, false))
		ui_prompt_set_error(ui, xstrdup("no more matches"));
	return UI_REDRAW;
}

static unsigned
ui_prompt_prev(struct ui *ui)
{
	if (ui->prompt != UI_PROMPT_SEARCH)
		return 0;
	if (!ui_search_step(ui, -1, false))
		ui_prompt_set_error(ui, xstrdup("no more matches"));
	return UI_REDRAW;
}

static unsigned
ui_prompt_type(struct ui *ui)
{
	return 0; /* typing is handled before the table; this entry documents it */
}

static const struct ui_binding ui_prompt_bindings[] = {
	{ { UI_KEY_TEXT },
	        "type a filter: words, port:N or port:A-B, user:NAME, proto:tcp|udp, "
	        "pid:N, scope:loopback|all|address|device, exposed, flag:F, !term",
	        ui_prompt_type },
	{ { KEY_ENTER, '\r', '\n' }, "keep it", ui_prompt_accept },
	{ { KEY_ESC }, "cancel: the filter goes back to what it was; the search ends",
	        ui_prompt_cancel },
	{ { KEY_BACKSPACE, 127, CTRL('h') }, "delete a character", ui_prompt_backspace },
	{ { CTRL('u') }, "delete everything", ui_prompt_kill_line },
	{ { CTRL('w') }, "delete a word", ui_prompt_kill_word },
	{ { KEY_DOWN, KEY_F(3), CTRL('n') }, "search: next match", ui_prompt_next },
	{ { KEY_UP, CTRL('p') }, "search: previous match", ui_prompt_prev },
};

const struct ui_keymap ui_prompt_keymap = { "Search and filter line", ui_prompt_bindings,
	sizeof ui_prompt_bindings / sizeof ui_prompt_bindings[0] };

unsigned
ui_prompt_key(struct ui *ui, int key)
{
	if ((key >= 0x20 && key < 0x7f) || (key >= 0x80 && key <= 0xff)) {
		if (ui->prompt_text.len >= UI_PROMPT_MAX)
			return 0;
		strbuf_addch(&ui->prompt_text, (char)key);
		/* a UTF-8 character arrives a byte at a time: wait for its last byte */
		if (key >= 0x80) {
			const unsigned char *b = (const unsigned char *)ui->prompt_text.buf;
			size_t end = ui->prompt_text.len, start = end - 1;

			while (start > 0 && (b[start] & 0xc0) == 0x80)
				start--;
			if ((b[start] >= 0xc0 && end - start < (b[start] >= 0xf0          ? 4u
			                                               : b[start] >= 0xe0 ? 3u
			                                                                  : 2u)))
				return UI_REDRAW;
		}
		return ui_prompt_changed(ui);
	}
	return ui_keys_dispatch(ui, &ui_prompt_keymap, key);
}

void
ui_prompt_draw(struct ui *ui, int y)
{
	struct strbuf shown = STRBUF_INIT;
	const char *label = ui->prompt == UI_PROMPT_FILTER ? "Filter: " : "Search: ";
	int x = 0;

	ui_draw_fill(y, 0, ui->cols, ui_attr(UE_NORMAL));
	x += ui_draw_text(y, x, ui->cols, label, ui_attr(UE_FLABEL), false, false);
	/* the user typed it, but it may hold anything a paste brought: show it escaped */
	escape_text(&shown, strbuf_str(&ui->prompt_text), ui->prompt_text.len);
	if (x < ui->cols)
		x += ui_draw_text(
		        y, x, ui->cols - x, strbuf_str(&shown), ui_attr(UE_NORMAL), false, false);
	if (x < ui->cols)
		x += ui_draw_text(y, x, 1, " ", ui_attr(UE_CURSOR), false, false);
	if (ui->prompt_error != NULL && x + 2 < ui->cols) {
		strbuf_reset(&shown);
		ui_escape(&shown, ui->prompt_error);
		ui_draw_text(y, x + 2, ui->cols - x - 2, strbuf_str(&shown),
		        ui_attr(UE_STATUS_ERROR), false, false);
	}
	strbuf_fini(&shown);
}
