/* ui_draw.c — putting already-safe text on the screen: cut by display width, padded, framed. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/escape.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

bool ui_draw_utf8;

void
ui_escape(struct strbuf *out, const char *s)
{
	if (s != NULL)
		escape_text(out, s, strlen(s));
}

void
ui_draw_fill(int y, int x, int width, attr_t attr)
{
	if (width <= 0)
		return;
	attrset(attr);
	mvhline(y, x, ' ', width);
}

int
ui_draw_text(int y, int x, int width, const char *text, attr_t attr, bool pad, bool right)
{
	struct strbuf fit = STRBUF_INIT;
	int w, lead = 0;

	if (width <= 0)
		return 0;
	if (escape_width(text) > (size_t)width) {
		/* cut one column short and say so, rather than show a wrong-looking value */
		w = (int)escape_fit(&fit, text, (size_t)width - 1);
		strbuf_addstr(&fit, ui_draw_utf8 ? "\u2026" : "~");
		w++;
	} else
		w = (int)escape_fit(&fit, text, (size_t)width);
	attrset(attr);
	if (right && pad && w < width) {
		lead = width - w;
		mvhline(y, x, ' ', lead);
	}
	mvaddstr(y, x + lead, strbuf_str(&fit));
	if (pad && lead + w < width)
		mvhline(y, x + lead + w, ' ', width - lead - w);
	strbuf_fini(&fit);
	return pad ? width : w;
}

void
ui_draw_box(int y, int x, int h, int w, const char *title, attr_t attr, attr_t title_attr)
{
	int i;

	if (h < 2 || w < 2)
		return;
	for (i = 0; i < h; i++)
		ui_draw_fill(y + i, x, w, attr);
	attrset(attr);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title != NULL && w > 6) {
		ui_draw_text(y, x + 2, 1, " ", attr, false, false);
		x += 3 + ui_draw_text(y, x + 3, w - 6, title, title_attr, false, false);
		ui_draw_text(y, x, 1, " ", attr, false, false);
	}
}

/* Bytes of the next line of text that fit in width columns, preferring to break at a space. */
static size_t
ui_draw_line_len(const char *text, int width, size_t *skip)
{
	struct strbuf fit = STRBUF_INIT;
	size_t n, i;

	escape_fit(&fit, text, (size_t)width);
	n = fit.len;
	strbuf_fini(&fit);
	*skip = 0;
	if (n == 0 && text[0] != '\0') {
		/* a character wider than the line: take it anyway rather than loop */
		n = 1;
		while ((text[n] & 0xc0) == 0x80)
			n++;
	}
	if (text[n] == '\0')
		return n;
	if (text[n] == ' ') {
		*skip = 1;
		return n;
	}
	for (i = n; i > (size_t)width / 2; i--)
		if (text[i - 1] == ' ')
			return i;
	return n;
}

void
ui_lines_init(struct ui_lines *ls, int width)
{
	memset(ls, 0, sizeof *ls);
	ls->width = width;
}

void
ui_lines_fini(struct ui_lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		free(ls->v[i].label);
		free(ls->v[i].text);
	}
	free(ls->v);
	memset(ls, 0, sizeof *ls);
}

static void
ui_lines_push(struct ui_lines *ls, const char *label, attr_t label_attr, int indent,
        const char *text, size_t len, attr_t attr)
{
	struct ui_line *l;

	XGROW(ls->v, ls->cap, ls->n + 1);
	l = &ls->v[ls->n++];
	l->label = label != NULL ? xstrdup(label) : NULL;
	l->label_attr = label_attr;
	l->indent = indent;
	l->text = xstrndup(text, len);
	l->attr = attr;
}

void
ui_lines_add(
        struct ui_lines *ls, const char *label, attr_t label_attr, const char *text, attr_t attr)
{
	int indent = label != NULL ? (int)escape_width(label) : 0;
	const char *p = text;
	bool first = true;

	/* wrap the text below its label, never under it */
	do {
		size_t n, skip;
		int w = ls->width - indent;

		if (w < 1)
			w = 1;
		n = ui_draw_line_len(p, w, &skip);
		ui_lines_push(ls, first ? label : NULL, label_attr, indent, p, n, attr);
		p += n + skip;
		first = false;
	} while (*p != '\0');
}

void
ui_lines_add_cut(struct ui_lines *ls, const char *text, attr_t attr)
{
	ui_lines_push(ls, NULL, 0, 0, text, strlen(text), attr);
}

void
ui_lines_printf(struct ui_lines *ls, attr_t attr, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	ui_lines_add(ls, NULL, 0, strbuf_str(&sb), attr);
	strbuf_fini(&sb);
}

void
ui_lines_draw(const struct ui_lines *ls, int y, int x, int h, size_t top)
{
	size_t i;
	int row;

	for (row = 0, i = top; row < h && i < ls->n; row++, i++) {
		const struct ui_line *l = &ls->v[i];

		if (l->label != NULL)
			ui_draw_text(y + row, x, l->indent, l->label, l->label_attr, true, false);
		ui_draw_text(y + row, x + l->indent, ls->width - l->indent, l->text, l->attr, false,
		        false);
	}
}
