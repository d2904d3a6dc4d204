/* ui_expect.c — a: show the rule that expects a listener, append it to the user's file. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/fileio.h"
#include "porttop/rules.h"
#include "porttop/sampler.h"
#include "porttop/xalloc.h"
#include "ui_internal.h"

#define UI_EXPECT_MAX_FILE (1024 * 1024)
#define UI_SYSTEM_RULES "/etc/porttop/expected.conf"

void
ui_expect_fini(struct ui *ui)
{
	ui_target_fini(&ui->expect);
	free(ui->expect_rule);
	free(ui->expect_path);
	ui->expect_rule = ui->expect_path = NULL;
}

unsigned
ui_expect_open(struct ui *ui, const struct pt_listener *row)
{
	struct strbuf rule = STRBUF_INIT;
	char *path;

	if (row == NULL)
		return 0;
	if (!row->cls.reachable) {
		ui_message(ui, UE_STATUS, 5000,
		        "loopback only: never EXPOSED, so there is nothing to expect");
		return UI_REDRAW;
	}
	if (!(row->flags & PT_FLAG_EXPOSED)) {
		ui_message(ui, UE_STATUS, 5000, "already expected: a rule covers this listener");
		return UI_REDRAW;
	}
	path = settings_config_file(getenv("XDG_CONFIG_HOME"), getenv("HOME"), "expected");
	if (path == NULL) {
		ui_message(ui, UE_STATUS_ERROR, 8000,
		        "no place for your expected file: set HOME or XDG_CONFIG_HOME");
		return UI_REDRAW;
	}
	ui_expect_fini(ui);
	rules_format_for(&rule, row, columns_primary(row));
	ui_target_init(&ui->expect, row);
	ui->expect_rule = strbuf_detach(&rule);
	ui->expect_path = path;
	ui->back = ui->mode;
	ui->mode = UI_MODE_EXPECT;
	return UI_REDRAW;
}

void
ui_expect_draw(struct ui *ui)
{
	struct ui_lines ls;
	struct strbuf sb = STRBUF_INIT;
	int w = ui->cols - 4 < 76 ? ui->cols - 4 : 76, h, y, x;

	if (w < 20)
		w = ui->cols;
	x = (ui->cols - w) / 2;
	ui_lines_init(&ls, w - 4);
	strbuf_printf(&sb, "%s %s", proto_name(ui->expect.key.proto), ui->expect.addr);
	if (ui->expect.nowners > 0 && ui->expect.procs[0].comm != NULL) {
		strbuf_addstr(&sb, "  ");
		ui_escape(&sb, ui->expect.procs[0].comm);
		strbuf_printf(&sb, " (pid %" PRId32 ")", ui->expect.owners[0].pid);
	}
	ui_lines_add(&ls, NULL, 0, strbuf_str(&sb), ui_attr(UE_DIALOG_TITLE));
	ui_lines_add(&ls, NULL, 0, "", 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Append this rule to ");
	ui_escape(&sb, ui->expect_path);
	strbuf_addch(&sb, ':');
	ui_lines_add(&ls, NULL, 0, strbuf_str(&sb), ui_attr(UE_DIALOG));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "    ");
	ui_escape(&sb, ui->expect_rule);
	ui_lines_add(&ls, NULL, 0, strbuf_str(&sb), ui_attr(UE_DIALOG_SELECTED));
	ui_lines_add(&ls, NULL, 0, "", 0);
	ui_lines_add(&ls, NULL, 0,
	        "The listener is then expected: no longer flagged EXPOSED. Remove the line "
	        "from the file to undo.",
	        ui_attr(UE_DIALOG));
	ui_lines_add(&ls, NULL, 0, "", 0);
	ui_lines_add(&ls, NULL, 0, "Enter adds it   Esc cancels", ui_attr(UE_DIALOG));
	h = (int)ls.n + 2;
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	y = (ui->rows - h) / 2;
	ui_draw_box(
	        y, x, h, w, "Expect this listener", ui_attr(UE_DIALOG), ui_attr(UE_DIALOG_TITLE));
	ui_lines_draw(&ls, y + 1, x + 2, h - 2, 0);
	ui_lines_fini(&ls);
	strbuf_fini(&sb);
}

/* Read the user's file, add the rule as its last line, and replace the file atomically. */
static int
ui_expect_append(const char *path, const char *rule, char **cause)
{
	struct strbuf text = STRBUF_INIT;
	int err;

	*cause = NULL;
	err = fileio_read_all(path, UI_EXPECT_MAX_FILE, &text);
	if (err == -ENOENT) {
		strbuf_reset(&text);
		strbuf_addstr(&text,
		        "# Expected services: listeners that may be reachable from "
		        "other machines.\n# Written by porttop's a key; see porttop(1).\n");
		err = 0;
	}
	if (err != 0) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_printf(&sb, "cannot read %s: %s", path, strerror(-err));
		*cause = strbuf_detach(&sb);
		goto out;
	}
	if (text.len > 0 && text.buf[text.len - 1] != '\n')
		strbuf_addch(&text, '\n');
	strbuf_printf(&text, "%s\n", rule);
	err = fileio_mkdirs_for(path, 0700);
	if (err == 0)
		err = fileio_write_atomic(path, text.buf, text.len, 0644, cause);
	else {
		struct strbuf sb = STRBUF_INIT;

		strbuf_printf(&sb, "cannot create the folder of %s: %s", path, strerror(-err));
		*cause = strbuf_detach(&sb);
	}
out:
	strbuf_fini(&text);
	return err;
}

/*
 * The rules afresh from both files, as main reads them at start: the system file
 * ($PORTTOP_SYSTEM_RULES, else /etc/porttop/expected.conf) and the user's. NULL when one
 * exists but cannot be read; bad lines are reported in errors and the rest apply.
 */
static struct pt_rules *
ui_expect_reload(struct ui *ui, struct strbuf *errors)
{
	const char *sys = getenv("PORTTOP_SYSTEM_RULES");
	struct pt_rules *rules = rules_new();

	if (sys == NULL || *sys == '\0')
		sys = UI_SYSTEM_RULES;
	if (rules_load_file(rules, sys, errors) < 0 ||
	        rules_load_file(rules, ui->expect_path, errors) < 0) {
		rules_free(rules);
		return NULL;
	}
	return rules;
}

static unsigned
ui_expect_confirm(struct ui *ui)
{
	struct strbuf errors = STRBUF_INIT, shown = STRBUF_INIT, path = STRBUF_INIT;
	struct pt_rules *rules;
	char *cause = NULL;

	ui->mode = ui->back;
	ui_escape(&path, ui->expect_path);
	if (ui_expect_append(ui->expect_path, ui->expect_rule, &cause) != 0) {
		ui_escape(&shown, cause);
		ui_message(ui, UE_STATUS_ERROR, 15000, "rule not added: %s", strbuf_str(&shown));
		goto out;
	}
	rules = ui_expect_reload(ui, &errors);
	if (rules == NULL) {
		ui_escape(&shown, strbuf_str(&errors));
		ui_message(ui, UE_STATUS_ERROR, 15000,
		        "rule added to %s, but the rules could not be reloaded: %s",
		        strbuf_str(&path), strbuf_str(&shown));
		goto out;
	}
	sampler_set_rules(ui->sampler, rules);
	ui_escape(&shown, ui->expect_rule);
	if (errors.len > 0)
		ui_message(ui, UE_STATUS_ERROR, 15000, "added '%s'; the rule files have bad lines",
		        strbuf_str(&shown));
	else
		ui_message(ui, UE_STATUS_OK, 10000, "added '%s' to %s", strbuf_str(&shown),
		        strbuf_str(&path));
out:
	free(cause);
	strbuf_fini(&errors);
	strbuf_fini(&shown);
	strbuf_fini(&path);
	ui_expect_fini(ui);
	return UI_REDRAW | UI_REFRESH;
}

static unsigned
ui_expect_cancel(struct ui *ui)
{
	ui->mode = ui->back;
	ui_expect_fini(ui);
	return UI_REDRAW;
}

static const struct ui_binding ui_expect_bindings[] = {
	{ { KEY_ENTER, '\r', '\n', 'y' }, "append the rule and apply it at once",
	        ui_expect_confirm },
	{ { KEY_ESC, 'q', 'n' }, "cancel: the file is not touched", ui_expect_cancel },
};

const struct ui_keymap ui_expect_keymap = { "Expect dialog (a)", ui_expect_bindings,
	sizeof ui_expect_bindings / sizeof ui_expect_bindings[0] };

unsigned
ui_expect_key(struct ui *ui, int key)
{
	return ui_keys_dispatch(ui, &ui_expect_keymap, key);
}
