/* ui_colors.c — what each drawing element looks like, per colour scheme. */
#include "config.h"

#include <string.h>

#include "ui_internal.h"

struct ui_look {
	short fg, bg; /* -1: the terminal's default */
	attr_t attr;
};

struct ui_scheme {
	const char *name;
	struct ui_look look[UE_COUNT];
};

#define D (-1)

/* Monochrome: attributes only. Used for -C, NO_COLOR and terminals without colour. */
static const struct ui_scheme ui_scheme_mono = {
	"mono",
	{
	        [UE_NORMAL] = { D, D, A_NORMAL },
	        [UE_HEADER_LABEL] = { D, D, A_NORMAL },
	        [UE_HEADER_VALUE] = { D, D, A_BOLD },
	        [UE_HEADER_WARN] = { D, D, A_BOLD | A_UNDERLINE },
	        [UE_METER_USED] = { D, D, A_BOLD },
	        [UE_METER_FREE] = { D, D, A_DIM },
	        [UE_STATUS] = { D, D, A_NORMAL },
	        [UE_STATUS_ERROR] = { D, D, A_BOLD },
	        [UE_STATUS_OK] = { D, D, A_BOLD },
	        [UE_PAUSED] = { D, D, A_REVERSE | A_BOLD },
	        [UE_TITLE] = { D, D, A_REVERSE },
	        [UE_TITLE_SORTED] = { D, D, A_REVERSE | A_BOLD | A_UNDERLINE },
	        [UE_CURSOR] = { D, D, A_REVERSE },
	        [UE_TAGGED] = { D, D, A_BOLD | A_UNDERLINE },
	        [UE_EXPOSED] = { D, D, A_BOLD },
	        [UE_EPHEMERAL] = { D, D, A_UNDERLINE },
	        [UE_STUCK] = { D, D, A_BOLD | A_UNDERLINE },
	        [UE_NEW] = { D, D, A_BOLD },
	        [UE_GONE] = { D, D, A_DIM },
	        [UE_LOOPBACK] = { D, D, A_NORMAL },
	        [UE_DIM] = { D, D, A_DIM },
	        [UE_FKEY] = { D, D, A_BOLD },
	        [UE_FLABEL] = { D, D, A_REVERSE },
	        [UE_DIALOG] = { D, D, A_NORMAL },
	        [UE_DIALOG_TITLE] = { D, D, A_BOLD },
	        [UE_DIALOG_SELECTED] = { D, D, A_REVERSE },
	        [UE_SECTION] = { D, D, A_BOLD },
	},
};

/* For dark backgrounds, in the spirit of htop's default. */
static const struct ui_scheme ui_scheme_default = {
	"default",
	{
	        [UE_NORMAL] = { D, D, A_NORMAL },
	        [UE_HEADER_LABEL] = { COLOR_CYAN, D, A_NORMAL },
	        [UE_HEADER_VALUE] = { D, D, A_BOLD },
	        [UE_HEADER_WARN] = { COLOR_RED, D, A_BOLD },
	        [UE_METER_USED] = { COLOR_GREEN, D, A_BOLD },
	        [UE_METER_FREE] = { COLOR_BLACK, D, A_BOLD },
	        [UE_STATUS] = { D, D, A_NORMAL },
	        [UE_STATUS_ERROR] = { COLOR_RED, D, A_BOLD },
	        [UE_STATUS_OK] = { COLOR_GREEN, D, A_BOLD },
	        [UE_PAUSED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	        [UE_TITLE] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL },
	        [UE_TITLE_SORTED] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
	        [UE_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	        [UE_TAGGED] = { COLOR_YELLOW, D, A_BOLD },
	        [UE_EXPOSED] = { COLOR_RED, D, A_BOLD },
	        [UE_EPHEMERAL] = { COLOR_MAGENTA, D, A_BOLD },
	        [UE_STUCK] = { COLOR_YELLOW, COLOR_RED, A_BOLD },
	        [UE_NEW] = { COLOR_GREEN, D, A_BOLD },
	        [UE_GONE] = { COLOR_BLACK, D, A_BOLD | A_DIM },
	        [UE_LOOPBACK] = { COLOR_GREEN, D, A_NORMAL },
	        [UE_DIM] = { COLOR_BLACK, D, A_BOLD },
	        [UE_FKEY] = { D, D, A_NORMAL },
	        [UE_FLABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	        [UE_DIALOG] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	        [UE_DIALOG_TITLE] = { COLOR_YELLOW, COLOR_BLUE, A_BOLD },
	        [UE_DIALOG_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	        [UE_SECTION] = { COLOR_GREEN, D, A_BOLD },
	},
};

/* For light backgrounds: no yellow or white text. */
static const struct ui_scheme ui_scheme_light = {
	"light",
	{
	        [UE_NORMAL] = { D, D, A_NORMAL },
	        [UE_HEADER_LABEL] = { COLOR_BLUE, D, A_NORMAL },
	        [UE_HEADER_VALUE] = { D, D, A_BOLD },
	        [UE_HEADER_WARN] = { COLOR_RED, D, A_BOLD },
	        [UE_METER_USED] = { COLOR_BLUE, D, A_BOLD },
	        [UE_METER_FREE] = { D, D, A_DIM },
	        [UE_STATUS] = { D, D, A_NORMAL },
	        [UE_STATUS_ERROR] = { COLOR_RED, D, A_BOLD },
	        [UE_STATUS_OK] = { COLOR_GREEN, D, A_BOLD },
	        [UE_PAUSED] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	        [UE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	        [UE_TITLE_SORTED] = { COLOR_WHITE, COLOR_MAGENTA, A_BOLD },
	        [UE_CURSOR] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	        [UE_TAGGED] = { COLOR_BLUE, D, A_BOLD | A_UNDERLINE },
	        [UE_EXPOSED] = { COLOR_RED, D, A_BOLD },
	        [UE_EPHEMERAL] = { COLOR_MAGENTA, D, A_NORMAL },
	        [UE_STUCK] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	        [UE_NEW] = { COLOR_GREEN, D, A_BOLD },
	        [UE_GONE] = { D, D, A_DIM },
	        [UE_LOOPBACK] = { COLOR_GREEN, D, A_NORMAL },
	        [UE_DIM] = { D, D, A_DIM },
	        [UE_FKEY] = { D, D, A_BOLD },
	        [UE_FLABEL] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	        [UE_DIALOG] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL },
	        [UE_DIALOG_TITLE] = { COLOR_BLUE, COLOR_WHITE, A_BOLD },
	        [UE_DIALOG_SELECTED] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	        [UE_SECTION] = { COLOR_BLUE, D, A_BOLD },
	},
};

#undef D

static const struct ui_scheme *const ui_schemes[] = {
	&ui_scheme_default,
	&ui_scheme_light,
	&ui_scheme_mono,
};
#define UI_NSCHEMES (sizeof ui_schemes / sizeof ui_schemes[0])

static attr_t ui_attrs[UE_COUNT];

static const struct ui_scheme *
ui_colors_find(const char *name)
{
	size_t i;

	for (i = 0; i < UI_NSCHEMES; i++)
		if (strcmp(ui_schemes[i]->name, name) == 0)
			return ui_schemes[i];
	return NULL;
}

int
ui_colors_init(const char *scheme, bool color)
{
	const struct ui_scheme *s = ui_colors_find(scheme);
	int ret = 0;
	unsigned i;

	if (s == NULL) {
		s = &ui_scheme_default;
		ret = -1;
	}
	if (!color || !has_colors())
		s = &ui_scheme_mono;
	else {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < UE_COUNT; i++) {
		const struct ui_look *l = &s->look[i];

		ui_attrs[i] = l->attr;
		if (s == &ui_scheme_mono || (l->fg == -1 && l->bg == -1))
			continue;
		/* pair 0 is the terminal default; element i uses pair i + 1 */
		if ((int)i + 1 < COLOR_PAIRS && init_pair((short)(i + 1), l->fg, l->bg) == OK)
			ui_attrs[i] |= COLOR_PAIR(i + 1);
	}
	return ret;
}

attr_t
ui_attr(enum ui_elem e)
{
	return (unsigned)e < UE_COUNT ? ui_attrs[e] : A_NORMAL;
}

const char *
ui_colors_next(const char *name)
{
	size_t i;

	for (i = 0; i < UI_NSCHEMES; i++)
		if (strcmp(ui_schemes[i]->name, name) == 0)
			return ui_schemes[(i + 1) % UI_NSCHEMES]->name;
	return ui_schemes[0]->name;
}
