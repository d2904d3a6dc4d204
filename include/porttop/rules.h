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
 *   PROTO ADDRESS:PORT[-PORT] [PROCESS] [user=NAME | uid=N]    e.g.  tcp *:22 sshd
 * PROTO is tcp, udp or *; ADDRESS is *, an IPv4 literal, or an IPv6 literal in brackets;
 * PROCESS is a command name or an absolute exe path; '#' starts a comment.
 *
 * Details (doc/exposure.md has the user's version):
 * - Fields are separated by spaces or tabs. A field may be double-quoted, in whole or in part,
 *   to hold spaces, '#' or '=': "Web Content". Inside quotes \" \\ and \xNN (not \x00) escape.
 *   Outside quotes '#' starts a comment, anywhere on the line.
 * - An unquoted field that starts with lowercase letters and '=' is an option: user=NAME or
 *   uid=N (at most one of them). The other field after ADDRESS:PORT is the process.
 * - ADDRESS * matches any bind address; a literal matches only that exact bind: 0.0.0.0 only a
 *   0.0.0.0 listener, [::] only ::. An IPv4-mapped address ([::ffff:192.0.2.1]) is the same as
 *   the IPv4 address it carries, both in a rule and in a listener.
 * - PORT is 1-65535; a range LO-HI is inclusive.
 */
struct pt_rules;

/* Largest rules file rules_load_file reads. */
#define RULES_FILE_MAX (1024 * 1024)
/* rules_parse reports at most this many bad lines one by one, then how many more there were. */
#define RULES_ERRORS_MAX 50

/* An empty rule set; never NULL. */
struct pt_rules *rules_new(void);
/* Free rules and everything in it; NULL is a no-op. */
void rules_free(struct pt_rules *rules);

/*
 * Add the rules in text (len bytes, may contain NULs) that came from origin (a file name, for
 * messages). A bad line is skipped and reported in errors as "origin:LINE: reason\n"; the
 * others still apply. After RULES_ERRORS_MAX such lines, the rest are only counted and one
 * "origin: N more bad lines\n" ends the list. errors may be NULL. Returns the number of bad
 * lines (0 when all parsed).
 */
int rules_parse(struct pt_rules *rules, const char *text, size_t len, const char *origin,
	struct strbuf *errors);

/*
 * Load a rules file. A missing file is not an error (returns 0, adds nothing). Returns the
 * number of bad lines, or -errno when the file exists but cannot be read (reason in errors as
 * "path: reason\n"; -EFBIG for a file larger than RULES_FILE_MAX).
 */
int rules_load_file(struct pt_rules *rules, const char *path, struct strbuf *errors);

/* Where the system-wide rules live unless $PORTTOP_SYSTEM_RULES says otherwise. */
#define RULES_SYSTEM_FILE "/etc/porttop/expected.conf"

/*
 * Load the expected services from where porttop keeps them: the system file (system_override
 * — the value of $PORTTOP_SYSTEM_RULES — when set and not empty, else RULES_SYSTEM_FILE), then
 * user_file (the user's "expected" file next to the settings; NULL for none). Missing files add
 * nothing. Returns 0, or -errno when a file exists but cannot be read; bad lines and read
 * errors are reported in errors.
 */
int rules_load_standard(struct pt_rules *rules, const char *system_override,
	const char *user_file, struct strbuf *errors);

/*
 * True when some rule expects listener l, whose owner processes are procs[0..nprocs).
 * Uses l->key (protocol, bind address, port) and l->uid. A rule with a process matches when
 * any owner's comm equals it (a name longer than the kernel's 15-byte comm matches a comm
 * that is its first 15 bytes), or, for an absolute path, when an owner's command line starts
 * with that path followed by a space or its end (argv[0]; pt_proc has no exe path). user=NAME
 * matches an owner's user name, uid=N the socket's uid or an owner's uid; a rule with both a
 * process and a user needs one owner that has both. With no owners known (nprocs == 0), a rule
 * that names a process or a user never matches, so the listener stays EXPOSED; uid=N still
 * matches the socket's uid. Process names and argv[0] are chosen by the process itself:
 * a rule is a statement of intent, not a security boundary.
 * Allocates nothing. Any thread, concurrently with other readers.
 */
bool rules_expect(const struct pt_rules *rules, const struct pt_listener *l,
	struct pt_proc *const *procs, size_t nprocs);

size_t rules_count(const struct pt_rules *rules);
/*
 * Rule i as text in canonical form (printable ASCII only: safe to print), and "origin:line"
 * it came from; borrowed until rules_free. NULL when i >= rules_count(rules).
 */
const char *rules_text(const struct pt_rules *rules, size_t i);
const char *rules_origin(const struct pt_rules *rules, size_t i);

/*
 * Append to out a rule that expects exactly listener l owned by proc (may be NULL), as one
 * line of text without the newline: protocol, bind address as bound (0.0.0.0 and [::] stay
 * literal; an IPv4-mapped one is written as IPv4), port, and proc's comm. The rule parses back
 * and expects l when proc is among its owners. A comm that starts with '/' would read as a
 * path, so it is left out (the rule is then only less exact); a comm with spaces, quotes, '#',
 * '=' or unprintable bytes is quoted.
 */
void rules_format_for(struct strbuf *out, const struct pt_listener *l, const struct pt_proc *proc);

#endif
