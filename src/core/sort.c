/* sort.c — order the dashboard's rows by any column, either way, stably. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "porttop/sort.h"
#include "porttop/xalloc.h"

int
sort_cmp(const struct pt_listener *a, const struct pt_listener *b, enum col_id col, bool descending,
        const struct col_ctx *ctx)
{
	int c = columns_cmp(col, a, b, ctx);

	if (c != 0)
		return descending ? -c : c;
	return key_cmp(&a->key, &b->key);
}

struct sort_job {
	enum col_id col;
	bool descending;
	const struct col_ctx *ctx;
};

/* Merge sort: stable without relying on the tie-break, O(n log n) in the worst case. */
static void
sort_merge(const struct pt_listener **v, const struct pt_listener **tmp, size_t n,
        const struct sort_job *job)
{
	size_t mid = n / 2, i = 0, j, k = 0;

	if (n < 2)
		return;
	sort_merge(v, tmp, mid, job);
	sort_merge(v + mid, tmp, n - mid, job);
	if (sort_cmp(v[mid - 1], v[mid], job->col, job->descending, job->ctx) <= 0)
		return; /* already in order: common when only a few rows changed */
	j = mid;
	while (i < mid && j < n) {
		if (sort_cmp(v[j], v[i], job->col, job->descending, job->ctx) < 0)
			tmp[k++] = v[j++];
		else
			tmp[k++] = v[i++];
	}
	while (i < mid)
		tmp[k++] = v[i++];
	/* whatever is left of the right half is already in place */
	memcpy(v, tmp, k * sizeof *v);
}

void
sort_rows(const struct pt_listener **rows, size_t n, enum col_id col, bool descending,
        const struct col_ctx *ctx)
{
	const struct pt_listener **tmp;
	struct sort_job job = { col, descending, ctx };

	if (n < 2)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	sort_merge(rows, tmp, n, &job);
	free(tmp);
}
