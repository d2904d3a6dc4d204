/* columns.h — the table's columns: titles, widths, what narrow terminals drop, sort order, text. */
#ifndef PORTTOP_COLUMNS_H
#define PORTTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "porttop/ports.h"
#include "porttop/snapshot.h"

struct strbuf;

/* In screen order, left to right. */
enum col_id {
	COL_PROTO,
	COL_ADDRESS,
	COL_PORT,
	COL_RANGE,
	COL_PID,
	COL_USER,
	COL_PROCESS,
	COL_UNIT,
	COL_CONNS,
	COL_QUEUE,
	COL_UP,
	COL_FLAGS,
	COL_COMMAND,
	COL_COUNT
};

/* What a cell may need besides its row. */
struct col_ctx {
	const struct pt_snapshot *snap; /* borrowed: ephemeral range and sample time; may be NULL */
	/* Name of a network interface for the ADDRESS column; may be NULL (then "%if3"). */
	const char *(*ifname)(uint32_t ifindex, void *arg);
	void *ifname_arg;
};

typedef int col_cmp_fn(
        const struct pt_listener *a, const struct pt_listener *b, const struct col_ctx *ctx);
typedef void col_format_fn(
        struct strbuf *out, const struct pt_listener *l, const struct col_ctx *ctx);

struct col_def {
	const char *name;   /* in settings and filters: "port" */
	const char *title;  /* above the column: "PORT" */
	const char *help;   /* one line for the help screen */
	unsigned min_width; /* never narrower (at least the title) */
	unsigned max_width; /* never wider; 0 for the last column, which fills the rest */
	unsigned drop;      /* narrow terminals drop the highest numbers first; 0: never */
	bool right;         /* right-aligned */
	bool desc_first;    /* choosing this sort column starts descending (biggest first) */
	col_cmp_fn *cmp;    /* ascending order; ties are broken by the caller */
	col_format_fn *format;
};

/* The definition of column id (id < COL_COUNT). Static data; any thread. */
const struct col_def *columns_def(enum col_id id);
/* The column named name or titled so (case-insensitive), or -1. */
int columns_find(const char *name);

/*
 * Append the cell text of column id for row l to out. The text is safe to print: anything a
 * process supplied (names, users, command lines, units) has been through escape_text.
 */
void columns_format(
        struct strbuf *out, enum col_id id, const struct pt_listener *l, const struct col_ctx *ctx);
/* Ascending order of a and b in column id: <0, 0 or >0. */
int columns_cmp(enum col_id id, const struct pt_listener *a, const struct pt_listener *b,
        const struct col_ctx *ctx);

/*
 * The port's range class as the RANGE column shows it: the snapshot's ephemeral range, except
 * that a port inside it without the EPHEMERAL flag is a reserved port and counts as registered.
 */
enum pt_port_class columns_port_class(const struct pt_listener *l, const struct col_ctx *ctx);
/* The process shown for a row: the lowest owner pid, or NULL when the owner is unknown. */
const struct pt_proc *columns_primary(const struct pt_listener *l);
/* "ERSNG"-style letters for flags (E exposed, R ephemeral range, S stuck, N new, G gone). */
void columns_flag_letters(struct strbuf *out, uint32_t flags);

struct col_slot {
	enum col_id id;
	unsigned x;     /* first screen column */
	unsigned width; /* cells are padded or cut to this */
};

struct col_layout {
	struct col_slot slots[COL_COUNT];
	size_t n;
};

/*
 * Place the columns not in hidden (a mask of 1u << id) into width screen columns, one space
 * apart. Each gets want[id] (its widest cell, title included) clamped to its min and max;
 * when they do not fit, columns are dropped highest drop number first, and COMMAND takes
 * whatever remains (it is left out when fewer than its min_width columns remain).
 */
void columns_layout(
        struct col_layout *lay, unsigned width, const unsigned want[COL_COUNT], uint32_t hidden);
/* Of the layout, the column at screen column x, or -1. */
int columns_at(const struct col_layout *lay, unsigned x);

#endif
