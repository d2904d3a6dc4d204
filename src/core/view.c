/* view.c — the rows the table shows: a snapshot filtered and sorted, and where the cursor goes. */
#include "config.h"

#include <stdlib.h>

#include "porttop/filter.h"
#include "porttop/sort.h"
#include "porttop/view.h"
#include "porttop/xalloc.h"

void
view_init(struct view *v)
{
	v->rows = NULL;
	v->len = v->cap = 0;
}

void
view_fini(struct view *v)
{
	free(v->rows);
	view_init(v);
}

void
view_build(struct view *v, const struct pt_snapshot *snap, const struct view_opts *opts,
        const struct col_ctx *ctx)
{
	size_t i;

	v->len = 0;
	if (snap == NULL)
		return;
	XGROW(v->rows, v->cap, snap->nrows);
	for (i = 0; i < snap->nrows; i++) {
		const struct pt_listener *l = &snap->rows[i];

		if (opts->proto >= 0 && l->key.proto != (unsigned)opts->proto)
			continue;
		if (opts->exposed_only && !(l->flags & PT_FLAG_EXPOSED))
			continue;
		if (!filter_match(opts->filter, l, ctx))
			continue;
		v->rows[v->len++] = l;
	}
	sort_rows(v->rows, v->len, opts->sort_col, opts->sort_desc, ctx);
}

size_t
view_find(const struct view *v, const struct pt_key *key)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (key_cmp(&v->rows[i]->key, key) == 0)
			return i;
	return VIEW_NONE;
}

struct view_pos {
	const struct pt_key *key;
	size_t at;
};

static int
view_pos_cmp(const void *a, const void *b)
{
	return key_cmp(((const struct view_pos *)a)->key, ((const struct view_pos *)b)->key);
}

/* Position in v of key, through idx (v's keys sorted), or VIEW_NONE. */
static size_t
view_lookup(const struct view_pos *idx, size_t n, const struct pt_key *key)
{
	struct view_pos want = { key, 0 };
	const struct view_pos *hit = bsearch(&want, idx, n, sizeof *idx, view_pos_cmp);

	return hit != NULL ? hit->at : VIEW_NONE;
}

size_t
view_neighbour(const struct view *v, const struct pt_key *old, size_t old_len, size_t old_pos)
{
	struct view_pos *idx;
	size_t i, at = VIEW_NONE;

	if (old_pos >= old_len || v->len == 0)
		return VIEW_NONE;
	/* sorted once, so that a whole page vanishing costs n log n, not n squared */
	idx = xreallocarray(NULL, v->len, sizeof *idx);
	for (i = 0; i < v->len; i++) {
		idx[i].key = &v->rows[i]->key;
		idx[i].at = i;
	}
	qsort(idx, v->len, sizeof *idx, view_pos_cmp);
	for (i = old_pos + 1; i < old_len && at == VIEW_NONE; i++)
		at = view_lookup(idx, v->len, &old[i]);
	for (i = old_pos; i-- > 0 && at == VIEW_NONE;)
		at = view_lookup(idx, v->len, &old[i]);
	free(idx);
	return at;
}
