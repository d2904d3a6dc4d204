/* events.h — what changed between two snapshots, as listener events for the --events stream. */
#ifndef PORTTOP_EVENTS_H
#define PORTTOP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;
struct pt_listener;
struct pt_owner;
struct pt_rules;
struct pt_snapshot;

enum pt_event_type {
	PT_EVENT_LISTEN,    /* a listener appeared (or was there in the first sample: initial) */
	PT_EVENT_CLOSE,     /* it vanished and did not come back within the GONE window */
	PT_EVENT_OWNER,     /* another process owns it now: a restart */
	PT_EVENT_EXPOSED,   /* it became EXPOSED */
	PT_EVENT_UNEXPOSED, /* it is no longer EXPOSED */
	PT_EVENT_STUCK,     /* its accept queue became STUCK */
	PT_EVENT_UNSTUCK,   /* no longer STUCK, or the stuck socket vanished */
	PT_EVENT_COUNT
};

/* One event. The rows are borrowed from the snapshots given to events_diff. */
struct pt_event {
	enum pt_event_type type;
	const struct pt_listener *row;    /* the listener as it is now (close: as it was last) */
	const struct pt_listener *before; /* owner: the listener before the change; else NULL */
	bool initial;                     /* listen: already there when the stream started */
};

/* A growable array of events. */
struct pt_eventvec {
	struct pt_event *v; /* owned */
	size_t len;
	size_t cap;
};

void eventvec_init(struct pt_eventvec *ev);
void eventvec_fini(struct pt_eventvec *ev);

/*
 * Append to out the events that lead from prev to cur, two consecutive snapshots of one
 * sampler (prev NULL for the first: every present listener is then a listen with initial set,
 * followed by exposed and stuck when flagged). Returns how many were appended. Pure; any thread.
 *
 * Rows are matched by identity (protocol, family, address, port). A listener that vanishes
 * stays in the snapshots as a GONE row for the sampler's GONE window, and close is reported
 * only when that row drops out, so a service restarted within the window is one owner event
 * (or none, when the same process bound again), never close and listen. A vanishing row that
 * was STUCK reports unstuck at once: its queue went with it.
 *
 * The owner of a listener is its main owner (events_main_owner); owner is reported when both
 * the old and the new main owner are known and differ (pid or start time). An owner that only
 * becomes visible is not a change.
 *
 * exposed and unexposed follow the EXPOSED flag. A GONE row has lost its flags, so for a
 * listener that returns, whether it was EXPOSED before it vanished is worked out again with
 * rules (the rules the sampler used; NULL: none), from the row's scope and owners.
 *
 * Events come in the order of the rows (by identity), and per listener: listen, owner,
 * exposed/unexposed, stuck/unstuck, close.
 */
size_t events_diff(const struct pt_snapshot *prev, const struct pt_snapshot *cur,
	const struct pt_rules *rules, struct pt_eventvec *out);

/*
 * Append a close event for every GONE row of last: when the stream stops, the listeners still
 * waiting out their GONE window are reported closed. Returns how many. Pure; any thread.
 */
size_t events_flush(const struct pt_snapshot *last, struct pt_eventvec *out);

/*
 * The main owner of a listener: the owner process that started first (the parent of a
 * pre-fork server; its workers may come and go), the lower pid on a tie. NULL when no owner
 * is known. Borrowed from l.
 */
const struct pt_owner *events_main_owner(const struct pt_listener *l);

/* "listen", "close", "owner", "exposed", "unexposed", "stuck", "unstuck"; "?" out of range. */
const char *events_name(enum pt_event_type type);

/*
 * Append ev as one JSON object and a newline (NDJSON): time (time_ms, when porttop saw the
 * change), event, proto, family, address, port, scope, dual_stack, and owner (the main owner:
 * pid, comm, user, uid, unit, cmdline; null when unknown); initial for listen; previous (the
 * old owner) for owner; since (when it vanished) for close. Strings from other processes are
 * escaped by the JSON writer. Pure; any thread.
 */
void events_format(struct strbuf *out, const struct pt_event *ev, int64_t time_ms);

#endif
