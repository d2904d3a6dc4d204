/* view.h — the rows the table shows: a snapshot filtered and sorted, and where the cursor goes. */
#ifndef PORTTOP_VIEW_H
#define PORTTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "porttop/columns.h"
#include "porttop/snapshot.h"

struct filter;

#define VIEW_NONE ((size_t)-1)

struct view_opts {
	const struct filter *filter; /* borrowed; NULL shows every row */
	int proto;                   /* -1 for both, else only this enum pt_proto */
	bool exposed_only;
	enum col_id sort_col;
	bool sort_desc;
};

struct view {
	const struct pt_listener **rows; /* owned array; rows borrowed from the snapshot */
	size_t len;
	size_t cap;
};

void view_init(struct view *v);
void view_fini(struct view *v);

/*
 * Fill v with the rows of snap (may be NULL: empty) that pass opts, in opts' order. v borrows
 * from snap: rebuild it before snap is released. Pure; any thread.
 */
void view_build(struct view *v, const struct pt_snapshot *snap, const struct view_opts *opts,
        const struct col_ctx *ctx);

/* Position of the row with identity key, or VIEW_NONE. */
size_t view_find(const struct view *v, const struct pt_key *key);

/*
 * Where the cursor goes when the row it was on (at old_pos of old, the keys of the previous
 * view in order) is no longer in v: the nearest row after it in the old order that v still
 * has, else the nearest before it, else VIEW_NONE (v has none of the old rows, or is empty).
 * Never guesses by position alone: a row the user did not see next to the cursor is never
 * picked.
 */
size_t view_neighbour(
        const struct view *v, const struct pt_key *old, size_t old_len, size_t old_pos);

#endif
