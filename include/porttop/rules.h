/* rules.h — expected services: the user's list of listeners that may be reachable. */
#ifndef PORTTOP_RULES_H
#define PORTTOP_RULES_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct pt_listener;
struct pt_proc;

/*
 * A rule set, built once by the front end and then only read (snapshot_build reads it in
 * the sampler thread; it must not change while the sampler runs). Rule syntax, one per line:
 *   PROTO ADDRESS:PORT[-PORT] [PROCESS] [user=NAME]    e.g.  tcp *:22 sshd
 * PROTO is tcp, udp or *; ADDRESS is *, an IPv4 literal, or an IPv6 literal in brackets;
 * PROCESS is a command name or an absolute exe path; '#' starts a comment.
 */
struct pt_rules;

struct pt_rules *rules_new(void);
void rules_free(struct pt_rules *rules);

/*
 * Add the rules in text (len bytes) that came from origin (a file name, for messages). A bad
 * line is skipped and reported in errors as "origin:LINE: reason\n"; the others still apply.
 * Returns the number of bad lines (0 when all parsed).
 */
int rules_parse(struct pt_rules *rules, const char *text, size_t len, const char *origin,
	struct strbuf *errors);

/*
 * Load a rules file. A missing file is not an error (returns 0, adds nothing). Returns the
 * number of bad lines, or -errno when the file exists but cannot be read (reason in errors).
 */
int rules_load_file(struct pt_rules *rules, const char *path, struct strbuf *errors);

/* True when some rule expects listener l, whose owner processes are procs[0..nprocs). */
bool rules_expect(const struct pt_rules *rules, const struct pt_listener *l,
	struct pt_proc *const *procs, size_t nprocs);

size_t rules_count(const struct pt_rules *rules);
/* Rule i as text in canonical form, and "origin:line" it came from; borrowed. */
const char *rules_text(const struct pt_rules *rules, size_t i);
const char *rules_origin(const struct pt_rules *rules, size_t i);

/* A rule that expects exactly listener l owned by proc (may be NULL), as one line of text. */
void rules_format_for(struct strbuf *out, const struct pt_listener *l, const struct pt_proc *proc);

#endif
