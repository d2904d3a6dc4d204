/* sort.h — order the dashboard's rows by any column, either way, stably. */
#ifndef PORTTOP_SORT_H
#define PORTTOP_SORT_H

#include <stdbool.h>
#include <stddef.h>

#include "porttop/columns.h"

/*
 * Sort rows[0..n) by column col (COL_RANGE is the "r" sort: range class, then port), ascending
 * or descending. Rows equal in that column keep their identity order (key_cmp, ascending in
 * either direction), and rows with equal keys keep their input order: the result never
 * flickers between two refreshes of the same data. Pure; any thread.
 */
void sort_rows(const struct pt_listener **rows, size_t n, enum col_id col, bool descending,
        const struct col_ctx *ctx);

/* The order sort_rows uses for two rows: <0 when a goes first. */
int sort_cmp(const struct pt_listener *a, const struct pt_listener *b, enum col_id col,
        bool descending, const struct col_ctx *ctx);

#endif
