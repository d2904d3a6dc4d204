/* events.c — what changed between two snapshots, as listener events for the --events stream. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/events.h"
#include "porttop/json.h"
#include "porttop/rules.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

static const char *const events_names[PT_EVENT_COUNT] = {
	[PT_EVENT_LISTEN] = "listen",
	[PT_EVENT_CLOSE] = "close",
	[PT_EVENT_OWNER] = "owner",
	[PT_EVENT_EXPOSED] = "exposed",
	[PT_EVENT_UNEXPOSED] = "unexposed",
	[PT_EVENT_STUCK] = "stuck",
	[PT_EVENT_UNSTUCK] = "unstuck",
};

const char *
events_name(enum pt_event_type type)
{
	return (unsigned)type < PT_EVENT_COUNT ? events_names[type] : "?";
}

void
eventvec_init(struct pt_eventvec *ev)
{
	ev->v = NULL;
	ev->len = ev->cap = 0;
}

void
eventvec_fini(struct pt_eventvec *ev)
{
	free(ev->v);
	eventvec_init(ev);
}

static void
events_add(struct pt_eventvec *out, enum pt_event_type type, const struct pt_listener *row,
	const struct pt_listener *before, bool initial)
{
	struct pt_event *e;

	XGROW(out->v, out->cap, out->len + 1);
	e = &out->v[out->len++];
	e->type = type;
	e->row = row;
	e->before = before;
	e->initial = initial;
}

const struct pt_owner *
events_main_owner(const struct pt_listener *l)
{
	const struct pt_owner *best = NULL, *o;
	size_t i;

	for (i = 0; i < l->nowners; i++) {
		o = &l->owners[i];
		if (best == NULL || o->start_time < best->start_time ||
			(o->start_time == best->start_time && o->pid < best->pid))
			best = o;
	}
	return best;
}

static bool
events_owner_changed(const struct pt_listener *before, const struct pt_listener *now)
{
	const struct pt_owner *a = events_main_owner(before), *b = events_main_owner(now);

	return a != NULL && b != NULL && (a->pid != b->pid || a->start_time != b->start_time);
}

static bool
events_is_gone(const struct pt_listener *l)
{
	return (l->flags & PT_FLAG_GONE) != 0;
}

/*
 * Whether a row was EXPOSED. A GONE row lost the flag; its scope and owners are those it had
 * when it vanished, so the rules decide again as snapshot_build decided then.
 */
static bool
events_was_exposed(const struct pt_listener *l, const struct pt_rules *rules)
{
	if (!events_is_gone(l))
		return (l->flags & PT_FLAG_EXPOSED) != 0;
	return l->cls.reachable && (rules == NULL || !rules_expect(rules, l, l->procs, l->nprocs));
}

/* A row that is present in cur: compare with what it was (NULL: not there before). */
static void
events_present(const struct pt_listener *old, const struct pt_listener *now,
	const struct pt_rules *rules, bool first, struct pt_eventvec *out)
{
	bool was_exposed = false, was_stuck = false, exposed, stuck;

	if (old == NULL)
		events_add(out, PT_EVENT_LISTEN, now, NULL, first);
	else {
		if (events_owner_changed(old, now))
			events_add(out, PT_EVENT_OWNER, now, old, false);
		was_exposed = events_was_exposed(old, rules);
		/* A GONE row was reported unstuck when it vanished. */
		was_stuck = !events_is_gone(old) && (old->flags & PT_FLAG_STUCK);
	}
	exposed = (now->flags & PT_FLAG_EXPOSED) != 0;
	stuck = (now->flags & PT_FLAG_STUCK) != 0;
	if (exposed != was_exposed)
		events_add(out, exposed ? PT_EVENT_EXPOSED : PT_EVENT_UNEXPOSED, now, NULL, false);
	if (stuck != was_stuck)
		events_add(out, stuck ? PT_EVENT_STUCK : PT_EVENT_UNSTUCK, now, NULL, false);
}

/* A row that was present in prev and is GONE in cur (now) or not there at all (now NULL). */
static void
events_vanished(const struct pt_listener *old, const struct pt_listener *now,
	struct pt_eventvec *out)
{
	if (old->flags & PT_FLAG_STUCK)
		events_add(out, PT_EVENT_UNSTUCK, now != NULL ? now : old, NULL, false);
	if (now == NULL)
		events_add(out, PT_EVENT_CLOSE, old, NULL, false);
}

size_t
events_diff(const struct pt_snapshot *prev, const struct pt_snapshot *cur,
	const struct pt_rules *rules, struct pt_eventvec *out)
{
	size_t np = prev != NULL ? prev->nrows : 0, i = 0, j = 0, n0 = out->len;
	const struct pt_listener *old, *now;
	int cmp;

	while (i < np || j < cur->nrows) {
		if (i >= np)
			cmp = 1;
		else if (j >= cur->nrows)
			cmp = -1;
		else
			cmp = key_cmp(&prev->rows[i].key, &cur->rows[j].key);
		old = cmp <= 0 ? &prev->rows[i++] : NULL;
		now = cmp >= 0 ? &cur->rows[j++] : NULL;

		if (now != NULL && !events_is_gone(now))
			events_present(old, now, rules, prev == NULL, out);
		else if (old == NULL)
			continue; /* GONE before we ever saw it present */
		else if (!events_is_gone(old))
			events_vanished(old, now, out);
		else if (now == NULL)
			events_add(out, PT_EVENT_CLOSE, old, NULL, false); /* the window ran out */
	}
	return out->len - n0;
}

size_t
events_flush(const struct pt_snapshot *last, struct pt_eventvec *out)
{
	size_t r, n0 = out->len;

	for (r = 0; last != NULL && r < last->nrows; r++)
		if (events_is_gone(&last->rows[r]))
			events_add(out, PT_EVENT_CLOSE, &last->rows[r], NULL, false);
	return out->len - n0;
}

static const struct pt_proc *
events_proc_of(const struct pt_listener *l, const struct pt_owner *o)
{
	size_t i;

	for (i = 0; i < l->nprocs; i++)
		if (l->procs[i]->pid == o->pid && l->procs[i]->start_time == o->start_time)
			return l->procs[i];
	return NULL;
}

static void
events_owner_json(struct json *j, const struct pt_listener *l)
{
	const struct pt_owner *o = events_main_owner(l);
	const struct pt_proc *p;

	if (o == NULL) {
		json_null(j);
		return;
	}
	p = events_proc_of(l, o);
	json_obj_begin(j);
	json_key(j, "pid");
	json_int(j, o->pid);
	json_key(j, "comm");
	json_str(j, p != NULL ? p->comm : NULL);
	json_key(j, "user");
	json_str(j, p != NULL ? p->user : NULL);
	json_key(j, "uid");
	if (p != NULL)
		json_uint(j, p->uid);
	else
		json_null(j);
	json_key(j, "unit");
	json_str(j, p != NULL ? p->unit : NULL);
	json_key(j, "cmdline");
	json_str(j, p != NULL ? p->cmdline : NULL);
	json_obj_end(j);
}

void
events_format(struct strbuf *out, const struct pt_event *ev, int64_t time_ms)
{
	const struct pt_listener *l = ev->row;
	char addr[ADDR_STRLEN];
	struct json j;

	json_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "time");
	json_time(&j, time_ms);
	json_key(&j, "event");
	json_str(&j, events_name(ev->type));
	json_key(&j, "proto");
	json_str(&j, proto_name(l->key.proto));
	json_key(&j, "family");
	json_str(&j, family_name(l->key.family));
	json_key(&j, "address");
	addr_format(l->key.family, l->key.addr, addr, sizeof addr);
	json_str(&j, addr);
	json_key(&j, "port");
	json_uint(&j, l->key.port);
	json_key(&j, "scope");
	json_str(&j, policy_scope_name(l->cls.scope));
	json_key(&j, "dual_stack");
	json_bool(&j, l->cls.dual_stack);
	json_key(&j, "owner");
	events_owner_json(&j, l);
	if (ev->type == PT_EVENT_LISTEN) {
		json_key(&j, "initial");
		json_bool(&j, ev->initial);
	}
	if (ev->type == PT_EVENT_OWNER && ev->before != NULL) {
		json_key(&j, "previous");
		events_owner_json(&j, ev->before);
	}
	if (ev->type == PT_EVENT_CLOSE && l->gone_ms != 0) {
		json_key(&j, "since");
		json_time(&j, l->gone_ms);
	}
	json_obj_end(&j);
	strbuf_addch(out, '\n');
}
