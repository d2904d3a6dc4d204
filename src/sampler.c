/* sampler.c — the sampling thread and the one-slot mailbox it publishes snapshots through. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "porttop/netif.h"
#include "porttop/owners.h"
#include "porttop/procinfo.h"
#include "porttop/procnet.h"
#include "porttop/rules.h"
#include "porttop/sampler.h"
#include "porttop/sockdiag.h"
#include "porttop/strbuf.h"
#include "porttop/sysinfo.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

/* Read the sysctls this often (samples): they rarely change and cost two opens. */
#define SAMPLER_SYSCTL_EVERY 10

/*
 * The connection dump is the one part of a sample whose cost grows with the host's traffic
 * (about 0.6 us of kernel time per socket: 30 ms at 50k sockets), while listeners, queues and
 * UDP stay cheap. When one connection dump costs more CPU than the budget (sampler_config,
 * 20 ms by default), the connections are dumped only every k-th sample, k chosen so that they
 * cost about half the budget per sample, and never older than SAMPLER_CONNS_MAX_EVERY samples;
 * the samples in between reuse them and say so (conns_stale). Listeners, owners and queues are
 * read every sample regardless.
 */
#define SAMPLER_CONNS_BUDGET_US 20000
#define SAMPLER_CONNS_MAX_EVERY 5

struct sampler {
	char *proc_root; /* owned */
	struct pt_build_opts build;
	uint32_t conns_budget_us;

	/* Sampler thread only (or the caller of sampler_sample when no thread runs). */
	struct sockdiag *sd; /* NULL when reading /proc/net */
	enum pt_source source;
	char *fallback; /* owned: why /proc/net is read instead of sock_diag, or NULL */
	struct owners *owners;
	struct procinfo *pi;
	struct pt_rules *rules; /* owned */
	struct pt_sockvec socks; /* [0, nconns): TCP connections; then listeners and UDP */
	size_t nconns;
	unsigned conns_every; /* dump connections every this many samples */
	unsigned conns_age;   /* samples since they were dumped */
	bool conns_valid;     /* socks.v[0, nconns) hold a complete connection dump */
	bool conns_inconsistent;
	uint32_t *want;
	size_t nwant, want_cap;
	struct pt_owner *own;
	size_t nown, own_cap;
	struct pt_owner *clients;
	size_t nclients, clients_cap;
	int32_t *pids;
	size_t npids, pids_cap;
	uint64_t *starts; /* parallel to pids */
	size_t starts_cap;
	struct pt_proc *procs;
	size_t procs_cap;
	struct pt_port_range eph;
	struct pt_port_set reserved;
	struct pt_ifaddr *ifaddrs; /* owned; refreshed with the sysctls */
	size_t nifaddrs;
	struct pt_snapshot *prev; /* one reference */
	struct strbuf status;

	/* Shared with the front end, under mu. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pt_snapshot *mailbox; /* one reference, or NULL */
	struct pt_rules *new_rules;  /* handed over by sampler_set_rules */
	struct pt_key focus;
	bool has_focus;
	bool stop;
	bool wake; /* refresh now, or a setting changed */
	int interval_ms;
	_Atomic uint64_t count; /* samples taken; read without the lock */

	int wake_fd; /* eventfd, readable while the mailbox holds an untaken snapshot */
	pthread_t thread;
	bool running;
};

void
sampler_config_default(struct sampler_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->proc_root = "/proc";
	cfg->interval_ms = 1000;
	cfg->source = SAMPLER_SOURCE_AUTO;
	cfg->conns_budget_us = SAMPLER_CONNS_BUDGET_US;
	snapshot_opts_default(&cfg->build);
}

/* Drop one reference; the last one frees. Call with mu held (or no thread running). */
static void
sampler_unref_locked(struct pt_snapshot *snap)
{
	if (snap != NULL && --snap->refs == 0)
		snapshot_free(snap);
}

struct sampler *
sampler_new(const struct sampler_config *cfg, char **cause)
{
	struct sampler *s = xcalloc(1, sizeof *s);
	pthread_condattr_t ca;
	struct strbuf why = STRBUF_INIT;
	int err = 0;

	*cause = NULL;
	s->proc_root = xstrdup(cfg->proc_root);
	s->build = cfg->build;
	s->build.rules = NULL;
	s->build.focus = NULL;
	s->interval_ms = cfg->interval_ms > 0 ? cfg->interval_ms : 1000;
	s->conns_budget_us = cfg->conns_budget_us;
	if (s->conns_budget_us == 0)
		s->conns_budget_us = SAMPLER_CONNS_BUDGET_US;
	s->wake_fd = -1;
	s->conns_every = 1;
	sockvec_init(&s->socks);
	strbuf_init(&s->status);
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);

	s->source = PT_SOURCE_SOCKDIAG;
	if (cfg->source != SAMPLER_SOURCE_PROCNET) {
		s->sd = sockdiag_open();
		if (s->sd == NULL) {
			err = errno;
			if (cfg->source == SAMPLER_SOURCE_SOCKDIAG) {
				strbuf_printf(&why, "cannot open netlink sock_diag: %s", strerror(err));
				goto fail;
			}
			strbuf_printf(&why, "sock_diag unavailable (%s), reading /proc/net",
				strerror(err));
			s->fallback = strbuf_detach(&why);
		}
	}
	if (s->sd == NULL) {
		s->source = PT_SOURCE_PROCNET;
		if (s->fallback == NULL && cfg->source != SAMPLER_SOURCE_PROCNET)
			s->fallback = xstrdup("reading /proc/net");
	}
	if ((s->owners = owners_new(s->proc_root)) == NULL) {
		err = errno;
		strbuf_printf(&why, "cannot read %s: %s", s->proc_root, strerror(err));
		goto fail;
	}
	if ((s->pi = procinfo_new()) == NULL) {
		err = errno;
		strbuf_printf(&why, "cannot start libproc2: %s", strerror(err));
		goto fail;
	}
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->wake_fd < 0) {
		err = errno;
		strbuf_printf(&why, "eventfd: %s", strerror(err));
		goto fail;
	}
	return s;
fail:
	*cause = strbuf_detach(&why);
	sampler_free(s);
	errno = err;
	return NULL;
}

void
sampler_free(struct sampler *s)
{
	size_t i;

	if (s == NULL)
		return;
	if (s->running) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
	}
	sampler_unref_locked(s->mailbox);
	sampler_unref_locked(s->prev);
	rules_free(s->rules);
	rules_free(s->new_rules);
	sockdiag_close(s->sd);
	owners_free(s->owners);
	procinfo_free(s->pi);
	sockvec_fini(&s->socks);
	for (i = 0; i < s->procs_cap; i++)
		proc_fini(&s->procs[i]);
	free(s->procs);
	free(s->want);
	free(s->own);
	free(s->clients);
	free(s->pids);
	free(s->starts);
	free(s->ifaddrs);
	free(s->fallback);
	free(s->proc_root);
	strbuf_fini(&s->status);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static int
sampler_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* (pid, start time) pairs, for the distinct processes of a sample. */
struct sampler_ident {
	int32_t pid;
	uint64_t start_time;
};

static int
sampler_ident_cmp(const void *a, const void *b)
{
	const struct sampler_ident *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start_time < y->start_time ? -1 : x->start_time > y->start_time;
}

static int
sampler_owner_cmp(const void *a, const void *b)
{
	const struct pt_owner *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

unsigned
sampler_conns_every(uint32_t cost_us, unsigned every, uint32_t budget_us)
{
	uint32_t target = budget_us / 2 > 0 ? budget_us / 2 : 1, k;

	/* Between half the budget and the budget keep spreading: no flapping at the threshold. */
	if (cost_us <= target || (cost_us <= budget_us && every <= 1))
		return 1;
	k = cost_us / target + (cost_us % target != 0);
	return k < SAMPLER_CONNS_MAX_EVERY ? k : SAMPLER_CONNS_MAX_EVERY;
}

/* sock_diag refused at run time (seccomp, LSM): use /proc/net from now on. */
static void
sampler_fall_back(struct sampler *s)
{
	sockdiag_close(s->sd);
	s->sd = NULL;
	s->source = PT_SOURCE_PROCNET;
	free(s->fallback);
	s->fallback = xstrdup("sock_diag refused, reading /proc/net");
	s->socks.len = 0;
	s->nconns = 0;
	s->conns_valid = false;
}

static bool
sampler_refused(int err)
{
	return err == -EPROTONOSUPPORT || err == -EACCES || err == -EPERM;
}

/*
 * Read the socket tables into s->socks, reusing its memory: the connections first (or those
 * of an earlier sample, see SAMPLER_CONNS_BUDGET_US; *stale says so), then listeners and UDP.
 * fresh forces a connection dump.
 */
static int
sampler_read_socks(struct sampler *s, bool fresh, bool *inconsistent, bool *stale)
{
	int64_t c0;
	int err;

	*stale = false;
	if (s->sd != NULL) {
		if (fresh || !s->conns_valid || s->conns_age + 1 >= s->conns_every) {
			s->socks.len = 0;
			s->nconns = 0;
			s->conns_valid = false;
			s->conns_inconsistent = false;
			c0 = clock_thread_cpu_us();
			err = sockdiag_dump(s->sd, SOCKDIAG_TCP_CONNS, &s->socks,
				&s->conns_inconsistent);
			if (err == 0) {
				s->nconns = s->socks.len;
				s->conns_valid = true;
				s->conns_age = 0;
				s->conns_every = sampler_conns_every(
					(uint32_t)(clock_thread_cpu_us() - c0), s->conns_every,
					s->conns_budget_us);
			} else
				s->socks.len = 0;
		} else {
			s->socks.len = s->nconns;
			s->conns_age++;
			*stale = true;
			err = 0;
		}
		if (s->conns_inconsistent)
			*inconsistent = true;
		if (err == 0)
			err = sockdiag_dump(
				s->sd, SOCKDIAG_TCP_LISTEN | SOCKDIAG_UDP, &s->socks, inconsistent);
		if (!sampler_refused(err))
			return err;
		sampler_fall_back(s);
		*stale = false;
	}
	/* /proc/net/tcp holds listeners and connections together: everything, every time. */
	s->socks.len = 0;
	s->nconns = 0;
	return procnet_dump(s->proc_root, SOCKDIAG_ALL, &s->socks);
}

/* The socket vector is reused from sample to sample; give memory back after a big drop. */
static void
sampler_trim_socks(struct sampler *s)
{
	size_t want = s->socks.len * 2 > 1024 ? s->socks.len * 2 : 1024;

	if (s->socks.cap > 4 * want) {
		s->socks.v = xreallocarray(s->socks.v, want, sizeof *s->socks.v);
		s->socks.cap = want;
	}
}

/* The inodes of every listener, sorted and unique, into s->want. */
static void
sampler_collect_want(struct sampler *s)
{
	size_t i, n = 0;

	s->nwant = 0;
	/* Listeners come after the connections. */
	for (i = s->nconns; i < s->socks.len; i++) {
		if (!snapshot_is_listener(&s->socks.v[i]) || s->socks.v[i].inode == 0)
			continue;
		XGROW(s->want, s->want_cap, s->nwant + 1);
		s->want[s->nwant++] = s->socks.v[i].inode;
	}
	xsort(s->want, s->nwant, sizeof *s->want, sampler_u32_cmp);
	for (i = 0; i < s->nwant; i++)
		if (n == 0 || s->want[n - 1] != s->want[i])
			s->want[n++] = s->want[i];
	s->nwant = n;
}

/* For the focused listener: who owns the local ends of its connections. */
static void
sampler_collect_clients(struct sampler *s, const struct pt_key *focus)
{
	const struct pt_listener *row;
	const struct pt_owner *o;
	uint32_t *peers = NULL;
	size_t npeers, i, j, n;

	s->nclients = 0;
	row = s->prev != NULL ? snapshot_find(s->prev, focus) : NULL;
	if (row != NULL)
		for (i = 0; i < row->nsocks; i++)
			owners_verify(s->owners, row->socks[i].inode);
	npeers = snapshot_peer_inodes(s->socks.v, s->socks.len, focus,
		row != NULL && row->cls.dual_stack, &peers);
	if (npeers > 0)
		owners_find_once(s->owners, peers, npeers, &s->clients, &s->nclients,
			&s->clients_cap);
	/* Known owners (the listener's own pids, for instance) are cached: add them too. */
	for (i = 0; i < npeers; i++) {
		n = owners_lookup(s->owners, peers[i], &o);
		for (j = 0; j < n; j++) {
			XGROW(s->clients, s->clients_cap, s->nclients + 1);
			s->clients[s->nclients++] = o[j];
		}
	}
	xsort(s->clients, s->nclients, sizeof *s->clients, sampler_owner_cmp);
	free(peers);
}

/*
 * The distinct processes of owners and clients, then their details, into s->procs. The
 * owner cache has pinned each one's start time, so procinfo reuses what it knows without
 * reading /proc again.
 */
static size_t
sampler_collect_procs(struct sampler *s)
{
	struct sampler_ident *ids;
	size_t i, n = 0, total = s->nown + s->nclients;
	int found;

	ids = xreallocarray(NULL, total + 1, sizeof *ids);
	for (i = 0; i < s->nown; i++) {
		ids[i].pid = s->own[i].pid;
		ids[i].start_time = s->own[i].start_time;
	}
	for (i = 0; i < s->nclients; i++) {
		ids[s->nown + i].pid = s->clients[i].pid;
		ids[s->nown + i].start_time = s->clients[i].start_time;
	}
	xsort(ids, total, sizeof *ids, sampler_ident_cmp);
	XGROW(s->pids, s->pids_cap, total + 1);
	XGROW(s->starts, s->starts_cap, total + 1);
	/* One entry per pid: the owner cache never holds two start times for one pid. */
	for (i = 0; i < total; i++) {
		if (n > 0 && s->pids[n - 1] == ids[i].pid)
			continue;
		s->pids[n] = ids[i].pid;
		s->starts[n++] = ids[i].start_time;
	}
	free(ids);
	s->npids = n;
	for (i = 0; i < s->procs_cap; i++)
		proc_fini(&s->procs[i]);
	if (n > s->procs_cap) {
		s->procs = xreallocarray(s->procs, n, sizeof *s->procs);
		memset(s->procs + s->procs_cap, 0, (n - s->procs_cap) * sizeof *s->procs);
		s->procs_cap = n;
	}
	if (n == 0)
		return 0;
	found = procinfo_get_known(s->pi, s->pids, s->starts, n, s->procs);
	return found < 0 ? 0 : n;
}

static void
sampler_status(struct sampler *s, const struct pt_sample *in, int err)
{
	strbuf_reset(&s->status);
	if (err != 0)
		strbuf_printf(&s->status, "cannot read socket tables: %s; ", strerror(-err));
	if (s->fallback != NULL)
		strbuf_printf(&s->status, "%s; ", s->fallback);
	if (in->inconsistent)
		strbuf_addstr(&s->status, "socket table changed while read, counts may be off; ");
	if (in->owners_unknown > 0) {
		const char *plural = in->owners_unknown == 1 ? "" : "s";

		if (geteuid() != 0)
			strbuf_printf(&s->status,
				"owners of %u socket%s hidden: run as root to see other users' "
				"processes; ",
				in->owners_unknown, plural);
		else
			strbuf_printf(&s->status,
				"owners of %u socket%s unknown (other namespaces or kernel); ",
				in->owners_unknown, plural);
	}
	if (s->status.len >= 2)
		s->status.buf[s->status.len -= 2] = '\0';
}

/* Take one sample and build its snapshot (one reference for the caller). */
static struct pt_snapshot *
sampler_collect(struct sampler *s, const struct pt_key *focus, struct pt_rules *rules)
{
	struct pt_build_opts opts = s->build;
	struct pt_sample in;
	struct pt_snapshot *snap;
	int64_t t0 = clock_mono_us(), c0 = clock_thread_cpu_us();
	uint64_t seq = s->prev != NULL ? s->prev->seq + 1 : 1;
	bool inconsistent = false, stale = false;
	size_t unknown = 0;
	int err;

	memset(&in, 0, sizeof in);
	if (seq % SAMPLER_SYSCTL_EVERY == 1) {
		sysinfo_read_ports(s->proc_root, &s->eph, &s->reserved);
		free(s->ifaddrs);
		if (netif_list(&s->ifaddrs, &s->nifaddrs) != 0) {
			s->ifaddrs = NULL;
			s->nifaddrs = 0;
		}
	}
	/* The detail view lists the focused listener's connections: keep those current. */
	err = sampler_read_socks(s, focus != NULL, &inconsistent, &stale);
	sampler_trim_socks(s);
	sampler_collect_want(s);
	owners_update(s->owners, s->want, s->nwant, clock_mono_ms());
	s->nown = 0;
	unknown = owners_collect(s->owners, s->want, s->nwant, &s->own, &s->nown, &s->own_cap);
	s->nclients = 0;
	if (focus != NULL)
		sampler_collect_clients(s, focus);

	in.socks = s->socks.v;
	in.nsocks = s->socks.len;
	in.owners = s->own;
	in.nowners = s->nown;
	in.nprocs = sampler_collect_procs(s); /* may move s->procs */
	in.procs = s->procs;
	in.ephemeral = s->eph;
	in.reserved = &s->reserved;
	in.time_ms = clock_real_ms();
	in.mono_ms = clock_mono_ms();
	in.source = s->source;
	in.inconsistent = inconsistent;
	in.conns_stale = stale;
	in.read_error = err;
	in.owners_unknown = (uint32_t)unknown;
	in.ifaddrs = s->ifaddrs;
	in.nifaddrs = s->nifaddrs;
	in.client_owners = s->clients;
	in.nclient_owners = s->nclients;
	sampler_status(s, &in, err);
	in.status = s->status.len > 0 ? s->status.buf : NULL;
	in.cost_wall_us = (uint32_t)(clock_mono_us() - t0);
	in.cost_cpu_us = (uint32_t)(clock_thread_cpu_us() - c0);

	opts.rules = rules;
	opts.focus = focus;
	snap = snapshot_build(&in, s->prev, &opts);
	return snap;
}

/* Keep snap as the previous sample (one reference) and return it with one more. */
static struct pt_snapshot *
sampler_keep(struct sampler *s, struct pt_snapshot *snap)
{
	pthread_mutex_lock(&s->mu);
	sampler_unref_locked(s->prev);
	s->prev = snap;
	snap->refs++;
	s->count++;
	pthread_mutex_unlock(&s->mu);
	return snap;
}

struct pt_snapshot *
sampler_sample(struct sampler *s)
{
	struct pt_key focus;
	bool has_focus;

	pthread_mutex_lock(&s->mu);
	if (s->new_rules != NULL) {
		rules_free(s->rules);
		s->rules = s->new_rules;
		s->new_rules = NULL;
	}
	focus = s->focus;
	has_focus = s->has_focus;
	pthread_mutex_unlock(&s->mu);
	return sampler_keep(s, sampler_collect(s, has_focus ? &focus : NULL, s->rules));
}

static void
sampler_publish(struct sampler *s, struct pt_snapshot *snap)
{
	uint64_t one = 1;
	ssize_t n;

	pthread_mutex_lock(&s->mu);
	sampler_unref_locked(s->mailbox);
	s->mailbox = snap;
	pthread_mutex_unlock(&s->mu);
	do
		n = write(s->wake_fd, &one, sizeof one);
	while (n < 0 && errno == EINTR);
}

static void *
sampler_main(void *arg)
{
	struct sampler *s = arg;
	struct timespec deadline;
	int64_t started, due;

	pthread_setname_np(pthread_self(), "porttop-sample");
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		s->wake = false;
		pthread_mutex_unlock(&s->mu);
		started = clock_mono_ms();
		sampler_publish(s, sampler_sample(s));
		pthread_mutex_lock(&s->mu);
		/* Wait out the interval, measured from the start of this sample. */
		while (!s->stop && !s->wake) {
			due = started + s->interval_ms;
			deadline.tv_sec = (time_t)(due / 1000);
			deadline.tv_nsec = (long)(due % 1000) * 1000000L;
			if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT &&
				clock_mono_ms() >= started + s->interval_ms)
				break;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int
sampler_start(struct sampler *s)
{
	sigset_t all, old;
	int err;

	if (s->running)
		return -EALREADY;
	/* The thread inherits this mask: every signal goes to the front end's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&s->thread, NULL, sampler_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0)
		return -err;
	s->running = true;
	return 0;
}

int
sampler_wake_fd(const struct sampler *s)
{
	return s->wake_fd;
}

struct pt_snapshot *
sampler_take(struct sampler *s)
{
	struct pt_snapshot *snap;
	uint64_t v;
	ssize_t n;

	do
		n = read(s->wake_fd, &v, sizeof v);
	while (n < 0 && errno == EINTR);
	pthread_mutex_lock(&s->mu);
	snap = s->mailbox;
	s->mailbox = NULL;
	pthread_mutex_unlock(&s->mu);
	return snap;
}

void
sampler_release(struct sampler *s, struct pt_snapshot *snap)
{
	if (snap == NULL)
		return;
	pthread_mutex_lock(&s->mu);
	sampler_unref_locked(snap);
	pthread_mutex_unlock(&s->mu);
}

/* Change shared state and wake the thread so it takes effect at once. */
static void
sampler_poke(struct sampler *s)
{
	s->wake = true;
	pthread_cond_signal(&s->cv);
}

void
sampler_refresh(struct sampler *s)
{
	pthread_mutex_lock(&s->mu);
	sampler_poke(s);
	pthread_mutex_unlock(&s->mu);
}

void
sampler_set_interval(struct sampler *s, int interval_ms)
{
	pthread_mutex_lock(&s->mu);
	s->interval_ms = interval_ms > 0 ? interval_ms : 1000;
	/* The thread recomputes its deadline from the new interval; no extra sample. */
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void
sampler_set_focus(struct sampler *s, const struct pt_key *key)
{
	pthread_mutex_lock(&s->mu);
	s->has_focus = key != NULL;
	if (key != NULL)
		s->focus = *key;
	sampler_poke(s);
	pthread_mutex_unlock(&s->mu);
}

void
sampler_set_rules(struct sampler *s, struct pt_rules *rules)
{
	pthread_mutex_lock(&s->mu);
	rules_free(s->new_rules);
	s->new_rules = rules;
	sampler_poke(s);
	pthread_mutex_unlock(&s->mu);
}

uint64_t
sampler_count(const struct sampler *s)
{
	return atomic_load(&s->count);
}
