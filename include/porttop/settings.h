/* settings.h — the screen's settings: key=value lines, loaded at start, saved when changed. */
#ifndef PORTTOP_SETTINGS_H
#define PORTTOP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/columns.h"

struct strbuf;

#define SETTINGS_INTERVAL_MIN 1 /* tenths of a second */
#define SETTINGS_INTERVAL_MAX 36000

struct settings {
	enum col_id sort_col;
	bool sort_desc;
	int interval_tenths; /* SETTINGS_INTERVAL_MIN..MAX */
	char *filter;        /* owned, never NULL: the \ filter expression, "" for none */
	bool exposed_only;   /* the e key */
	int proto;           /* the t and u keys: -1 for both, else enum pt_proto */
	char *scheme;        /* owned, never NULL: colour scheme name */
	uint32_t hidden;     /* hidden columns, 1u << enum col_id */
};

/* Defaults: sort by port ascending, 1 s, no filter, both protocols, "default" colours. */
void settings_init(struct settings *s);
void settings_fini(struct settings *s);
/* Deep copy src into dst (dst initialised or finished first). */
void settings_copy(struct settings *dst, const struct settings *src);
bool settings_equal(const struct settings *a, const struct settings *b);

/*
 * Apply the key=value lines of text (len bytes) to s. Blank lines and lines starting with '#'
 * are skipped. A bad line (no '=', unknown key, bad value) is reported in errors as
 * "origin:LINE: reason\n" and changes nothing; the other lines still apply. Returns the number
 * of bad lines. Keys: sort, sort_descending, interval, filter, exposed_only, protocol,
 * color_scheme, hidden_columns.
 */
int settings_parse(struct settings *s, const char *text, size_t len, const char *origin,
        struct strbuf *errors);
/* Append s as the text settings_parse reads back to the same settings. */
void settings_format(const struct settings *s, struct strbuf *out);

/*
 * Load the file at path into s. A missing file is not an error: returns 0 and leaves s as it
 * was. Otherwise as settings_parse (number of bad lines), or -errno when the file exists but
 * cannot be read (reason in errors). A caller that got anything but 0 must not save over the
 * file: the user would lose what porttop could not understand.
 */
int settings_load(struct settings *s, const char *path, struct strbuf *errors);
/* Write s to path atomically (temp file + rename), creating its folder. 0 or -errno, *cause. */
int settings_save(const struct settings *s, const char *path, char **cause);

/*
 * Where a file of porttop's configuration lives: $XDG_CONFIG_HOME/porttop/NAME when xdg is
 * set and absolute, else HOME/.config/porttop/NAME when home is set; NULL when neither is. The
 * values of the environment are passed in so that this stays pure. Returns an owned string.
 */
char *settings_config_file(const char *xdg, const char *home, const char *name);
/*
 * The settings file: cli (--config) when given, else porttop_config ($PORTTOP_CONFIG) when
 * set, else settings_config_file(xdg, home, "porttoprc"). Owned, or NULL when none.
 */
char *settings_path(const char *cli, const char *porttop_config, const char *xdg, const char *home);

#endif
