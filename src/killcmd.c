/* killcmd.c — porttop kill PORT...: free ports by signalling the processes listening on them. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "killcmd.h"
#include "porttop/addr.h"
#include "porttop/clock.h"
#include "porttop/escape.h"
#include "porttop/killer.h"
#include "porttop/sampler.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

#define KILLCMD_PROC_ROOT "/proc"
/* Without --timeout: how long to wait for the signalled processes to exit before judging. */
#define KILLCMD_WAIT_MS 3000
/* After SIGKILL: the kernel needs a moment to tear the process down. */
#define KILLCMD_KILL_WAIT_MS 5000

/* One process to signal: an owner of a listener on a named port. */
struct killcmd_target {
	struct pt_owner owner; /* pid, start time and one socket it holds: what the killer checks */
	char *what;            /* owned; "tcp 0.0.0.0:8080", for messages */
	char *name;            /* owned; "pid 1234 (nginx)", escaped */
	struct killer *k;      /* owned; NULL until opened, and after it failed */
	bool exited;
};

struct killcmd {
	const struct cli_kill *opts;
	struct killcmd_target *targets;
	size_t ntargets;
	size_t cap;
	bool unseen; /* some listener's owner could not be seen */
};

/* "tcp 0.0.0.0:8080", "udp [::1]:53" */
static void
killcmd_listener_text(struct strbuf *sb, const struct pt_listener *l)
{
	char addr[ADDR_BIND_STRLEN];

	addr_format_bind(l->key.family, l->key.addr, false, addr, sizeof addr);
	strbuf_printf(sb, "%s %s:%u", proto_name(l->key.proto), addr, l->key.port);
}

/* "tcp/8080", or "8080" for both protocols: a PORT argument as given. */
static void
killcmd_port_text(struct strbuf *sb, const struct cli_port *p)
{
	if (p->protos == (1u << PT_PROTO_TCP))
		strbuf_addstr(sb, "tcp/");
	else if (p->protos == (1u << PT_PROTO_UDP))
		strbuf_addstr(sb, "udp/");
	strbuf_printf(sb, "%u", p->port);
}

static bool
killcmd_matches(const struct cli_port *p, const struct pt_listener *l)
{
	return !(l->flags & PT_FLAG_GONE) && l->key.port == p->port &&
		(p->protos & (1u << l->key.proto));
}

static void
killcmd_user_name(struct strbuf *sb, uint32_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL)
		escape_text(sb, res->pw_name, strlen(res->pw_name));
	else
		strbuf_printf(sb, "uid %u", (unsigned)uid);
}

static const struct pt_proc *
killcmd_proc(const struct pt_listener *l, const struct pt_owner *o)
{
	size_t i;

	for (i = 0; i < l->nprocs; i++)
		if (l->procs[i]->pid == o->pid && l->procs[i]->start_time == o->start_time)
			return l->procs[i];
	return NULL;
}

/* The name of a signal for people: "TERM", or "signal 42". */
static void
killcmd_signal_text(struct strbuf *sb, int sig)
{
	const char *name = killer_signal_name(sig);

	if (name != NULL)
		strbuf_addstr(sb, name);
	else
		strbuf_printf(sb, "signal %d", sig);
}

/* Remember owner o of listener l as a target, once per process. */
static void
killcmd_add_target(struct killcmd *kc, const struct pt_listener *l, const struct pt_owner *o)
{
	const struct pt_proc *p = killcmd_proc(l, o);
	struct killcmd_target *t;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < kc->ntargets; i++)
		if (kc->targets[i].owner.pid == o->pid &&
			kc->targets[i].owner.start_time == o->start_time)
			return;
	XGROW(kc->targets, kc->cap, kc->ntargets + 1);
	t = &kc->targets[kc->ntargets++];
	memset(t, 0, sizeof *t);
	t->owner = *o;
	killcmd_listener_text(&sb, l);
	t->what = strbuf_detach(&sb);
	strbuf_printf(&sb, "pid %d", (int)o->pid);
	if (p != NULL) {
		strbuf_addstr(&sb, " (");
		escape_text(&sb, p->comm, strlen(p->comm));
		strbuf_addch(&sb, ')');
	}
	t->name = strbuf_detach(&sb);
}

/* One owner of a listener, as the plan shows it. */
static void
killcmd_show_owner(const struct pt_listener *l, const struct pt_owner *o)
{
	const struct pt_proc *p = killcmd_proc(l, o);
	struct strbuf sb = STRBUF_INIT;

	strbuf_printf(&sb, "    pid %d", (int)o->pid);
	if (p != NULL) {
		strbuf_addstr(&sb, "  ");
		if (p->user != NULL)
			escape_text(&sb, p->user, strlen(p->user));
		else
			strbuf_printf(&sb, "uid %u", (unsigned)p->uid);
		strbuf_addstr(&sb, "  ");
		escape_text(&sb, p->comm, strlen(p->comm));
		if (p->cmdline != NULL && *p->cmdline != '\0') {
			strbuf_addstr(&sb, "  ");
			escape_text(&sb, p->cmdline, strlen(p->cmdline));
		}
	}
	printf("%s\n", strbuf_str(&sb));
	strbuf_fini(&sb);
}

/* Why nobody can be signalled for a listener whose owner is not in the sample. */
static void
killcmd_unseen(struct killcmd *kc, const struct pt_listener *l)
{
	struct strbuf sb = STRBUF_INIT;

	killcmd_listener_text(&sb, l);
	if (geteuid() != 0) {
		strbuf_addstr(&sb, ": not permitted: cannot see which process owns it "
				   "(a socket of ");
		killcmd_user_name(&sb, l->uid);
		strbuf_addstr(&sb, ") \xe2\x80\x94 run porttop as root");
	} else
		strbuf_addstr(&sb, ": no process holds it (closing?)");
	printf("    owner unknown\n");
	fprintf(stderr, "porttop: %s\n", strbuf_str(&sb));
	kc->unseen = true;
	strbuf_fini(&sb);
}

/* Show what listens on the named ports and collect their owners. */
static void
killcmd_plan(struct killcmd *kc, const struct pt_snapshot *snap)
{
	const struct cli_port *p;
	const struct pt_listener *l;
	struct strbuf sb = STRBUF_INIT;
	size_t i, r, o;
	bool any;

	for (i = 0; i < kc->opts->nports; i++) {
		p = &kc->opts->ports[i];
		any = false;
		for (r = 0; r < snap->nrows; r++) {
			l = &snap->rows[r];
			if (!killcmd_matches(p, l))
				continue;
			any = true;
			strbuf_reset(&sb);
			killcmd_listener_text(&sb, l);
			printf("%s\n", strbuf_str(&sb));
			if (l->nowners == 0)
				killcmd_unseen(kc, l);
			for (o = 0; o < l->nowners; o++) {
				if (o > 0 && l->owners[o].pid == l->owners[o - 1].pid)
					continue;
				killcmd_show_owner(l, &l->owners[o]);
				killcmd_add_target(kc, l, &l->owners[o]);
			}
		}
		if (!any) {
			strbuf_reset(&sb);
			killcmd_port_text(&sb, p);
			printf("%s: nothing listens\n", strbuf_str(&sb));
		}
	}
	strbuf_fini(&sb);
}

/* Ask on the terminal. 1 yes, 0 no, -1 when there is no terminal to ask on. */
static int
killcmd_confirm(const struct killcmd *kc)
{
	struct strbuf sb = STRBUF_INIT;
	char line[64];
	size_t n;

	if (!isatty(STDIN_FILENO))
		return -1;
	/* The question goes where the terminal is even when the plan is piped: stderr. */
	killcmd_signal_text(&sb, kc->opts->sig);
	fflush(stdout);
	fprintf(stderr, "Send %s to %zu process%s? [y/N] ", strbuf_str(&sb), kc->ntargets,
		kc->ntargets == 1 ? "" : "es");
	strbuf_fini(&sb);
	if (fgets(line, sizeof line, stdin) == NULL) {
		fputc('\n', stderr);
		return 0;
	}
	n = strcspn(line, "\n");
	line[n] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

/* Signal one target; false after a message when it could not be done. */
static bool
killcmd_signal(struct killcmd_target *t, int sig)
{
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;
	int r;

	if (t->k == NULL)
		r = killer_open(&t->k, KILLCMD_PROC_ROOT, &t->owner, t->what, &cause);
	else
		r = 0;
	if (r == 0)
		r = killer_signal(t->k, sig, &cause);
	if (r == -ESRCH) {
		t->exited = true;
		printf("%s: already exited\n", t->name);
	} else if (r < 0) {
		fprintf(stderr, "porttop: %s on %s: %s\n", t->name, t->what, cause);
		killer_free(t->k);
		t->k = NULL;
	} else {
		killcmd_signal_text(&sb, sig);
		printf("%s: sent %s\n", t->name, strbuf_str(&sb));
	}
	free(cause);
	strbuf_fini(&sb);
	return r == 0 || r == -ESRCH;
}

/* Wait until every signalled target exited or deadline (monotonic ms) passed. */
static void
killcmd_wait(struct killcmd *kc, int64_t deadline)
{
	struct killcmd_target *t;
	int64_t left;
	size_t i;

	for (i = 0; i < kc->ntargets; i++) {
		t = &kc->targets[i];
		if (t->k == NULL || t->exited)
			continue;
		left = deadline - clock_mono_ms();
		if (killer_wait(t->k, left > 0 ? (int)left : 0) == 1)
			t->exited = true;
	}
}

static void
killcmd_execute(struct killcmd *kc)
{
	const struct cli_kill *o = kc->opts;
	struct killcmd_target *t;
	size_t i;
	int wait_ms = o->timeout_ms >= 0 ? o->timeout_ms : KILLCMD_WAIT_MS;

	for (i = 0; i < kc->ntargets; i++)
		killcmd_signal(&kc->targets[i], o->sig);
	killcmd_wait(kc, clock_mono_ms() + wait_ms);
	for (i = 0; i < kc->ntargets; i++) {
		t = &kc->targets[i];
		if (t->k == NULL || t->exited)
			continue;
		if (o->timeout_ms < 0) {
			printf("%s: still running after %d s\n", t->name, wait_ms / 1000);
			continue;
		}
		printf("%s: still running after %.3g s; sending KILL\n", t->name,
			o->timeout_ms / 1000.0);
		killcmd_signal(t, SIGKILL);
	}
	if (o->timeout_ms >= 0)
		killcmd_wait(kc, clock_mono_ms() + KILLCMD_KILL_WAIT_MS);
}

/* After the signals: which named ports still have a listener. 0 all free, 1 not. */
static int
killcmd_verdict(const struct killcmd *kc, const struct pt_snapshot *snap)
{
	const struct pt_listener *l;
	struct strbuf sb = STRBUF_INIT;
	size_t i, r, o;
	int status = 0;
	bool busy;

	for (i = 0; i < kc->opts->nports; i++) {
		busy = false;
		for (r = 0; r < snap->nrows; r++) {
			l = &snap->rows[r];
			if (!killcmd_matches(&kc->opts->ports[i], l))
				continue;
			busy = true;
			strbuf_reset(&sb);
			killcmd_listener_text(&sb, l);
			strbuf_addstr(&sb, ": still listening");
			for (o = 0; o < l->nowners; o++)
				if (o == 0 || l->owners[o].pid != l->owners[o - 1].pid)
					strbuf_printf(&sb, "%s%d", o == 0 ? " (pid " : ", ",
						(int)l->owners[o].pid);
			if (l->nowners > 0)
				strbuf_addch(&sb, ')');
			printf("%s\n", strbuf_str(&sb));
		}
		if (!busy) {
			strbuf_reset(&sb);
			killcmd_port_text(&sb, &kc->opts->ports[i]);
			printf("%s: free\n", strbuf_str(&sb));
		} else
			status = 1;
	}
	strbuf_fini(&sb);
	return status;
}

static void
killcmd_fini(struct killcmd *kc)
{
	size_t i;

	for (i = 0; i < kc->ntargets; i++) {
		killer_free(kc->targets[i].k);
		free(kc->targets[i].what);
		free(kc->targets[i].name);
	}
	free(kc->targets);
}

int
killcmd_run(struct sampler *s, const struct cli_kill *opts)
{
	struct killcmd kc = { .opts = opts };
	struct pt_snapshot *snap;
	struct strbuf sb = STRBUF_INIT;
	int status = 0, r;
	size_t i;

	snap = sampler_sample(s);
	if (snap->read_error != 0) {
		fprintf(stderr, "porttop: cannot read socket tables: %s\n",
			strerror(-snap->read_error));
		sampler_release(s, snap);
		return 2;
	}
	killcmd_plan(&kc, snap);
	sampler_release(s, snap);
	if (kc.ntargets == 0) {
		status = kc.unseen ? 1 : 0;
		goto out;
	}
	killcmd_signal_text(&sb, opts->sig);
	if (opts->dry_run) {
		for (i = 0; i < kc.ntargets; i++)
			printf("would send %s to %s\n", strbuf_str(&sb), kc.targets[i].name);
		status = kc.unseen ? 1 : 0;
		goto out;
	}
	if (!opts->yes) {
		r = killcmd_confirm(&kc);
		if (r < 0) {
			fputs("porttop: kill: not asking without a terminal: add --yes to signal "
			      "these processes\n",
				stderr);
			status = 2;
			goto out;
		}
		if (r == 0) {
			puts("nothing signalled");
			status = 1;
			goto out;
		}
	}
	killcmd_execute(&kc);
	snap = sampler_sample(s);
	if (snap->read_error != 0) {
		fprintf(stderr, "porttop: cannot read socket tables: %s\n",
			strerror(-snap->read_error));
		status = 2;
	} else
		status = killcmd_verdict(&kc, snap);
	sampler_release(s, snap);
out:
	fflush(stdout);
	strbuf_fini(&sb);
	killcmd_fini(&kc);
	return status;
}
