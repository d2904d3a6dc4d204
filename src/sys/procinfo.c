/* procinfo.c — details of owner processes through libproc2, cached by (pid, start time). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "porttop/fileio.h"
#include "porttop/procfd.h"
#include "porttop/procinfo.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"
#include "porttop/xsort.h"

/*
 * PIDS_VAL takes (item, type, stack, info) in libproc2 4.0.0 to 4.0.4 and (item, type, stack)
 * from 4.0.5 on. Both expand to the same member access on the public struct pids_stack, so
 * spell that out here and work with either header instead of guessing its arity.
 */
#ifndef PIDS_VAL
#error "libproc2/pids.h no longer defines PIDS_VAL: check struct pids_stack still matches"
#endif
#define PROCINFO_VAL(rel, type, stack) ((stack)->head[(rel)].result.type)

/*
 * A process keeps its pid and start time across execve(2) and prctl(PR_SET_NAME) while its
 * name, command line and executable change: a cached entry is read again after this many
 * calls (10 s at the default 1 Hz), so what is shown is never older than that.
 */
#define PROCINFO_REFRESH_CALLS 10

/* libproc2 refuses to select more than 255 pids at once (FILL_ID_MAX). */
#define PROCINFO_SELECT_MAX 255

/* The items asked of libproc2; the enum indexes a stack's results. */
enum {
	PROCINFO_PID,
	PROCINFO_PPID,
	PROCINFO_EUID,
	PROCINFO_EUSER,
	PROCINFO_COMM,
	PROCINFO_CMDLINE,
	PROCINFO_CMDLINE_V,
	PROCINFO_START,
	PROCINFO_CGROUP_V,
	PROCINFO_EXE,
	PROCINFO_NITEMS
};

static enum pids_item procinfo_items[PROCINFO_NITEMS] = {
	[PROCINFO_PID] = PIDS_ID_PID,
	[PROCINFO_PPID] = PIDS_ID_PPID,
	[PROCINFO_EUID] = PIDS_ID_EUID,
	[PROCINFO_EUSER] = PIDS_ID_EUSER,
	[PROCINFO_COMM] = PIDS_CMD,
	[PROCINFO_CMDLINE] = PIDS_CMDLINE,
	[PROCINFO_CMDLINE_V] = PIDS_CMDLINE_V,
	[PROCINFO_START] = PIDS_TICS_BEGAN, /* stat field 22, in clock ticks, as owners reads it */
	[PROCINFO_CGROUP_V] = PIDS_CGROUP_V,
	[PROCINFO_EXE] = PIDS_EXE,
};

struct procinfo_entry {
	struct pt_proc proc; /* owned */
	bool used;           /* asked for in the current call */
	uint32_t age;        /* calls since it was read */
};

struct procinfo {
	struct pids_info *info;
	struct procinfo_entry *v; /* owned; sorted by pid, one per pid */
	size_t n, cap;
	unsigned *miss; /* owned; pids to ask libproc2 about */
	size_t nmiss, capmiss;
	struct procinfo_stats st;
};

struct procinfo *
procinfo_new(void)
{
	struct procinfo *pi = xcalloc(1, sizeof *pi);
	int r;

	r = procps_pids_new(&pi->info, procinfo_items, PROCINFO_NITEMS);
	if (r < 0) {
		free(pi);
		errno = -r;
		return NULL;
	}
	return pi;
}

void
procinfo_free(struct procinfo *pi)
{
	size_t i;

	if (pi == NULL)
		return;
	for (i = 0; i < pi->n; i++)
		proc_fini(&pi->v[i].proc);
	free(pi->v);
	free(pi->miss);
	procps_pids_unref(&pi->info);
	free(pi);
}

static int
procinfo_cmp_entry(const void *a, const void *b)
{
	const struct procinfo_entry *x = a, *y = b;

	return x->proc.pid < y->proc.pid ? -1 : x->proc.pid > y->proc.pid;
}

static struct procinfo_entry *
procinfo_find(struct procinfo *pi, int32_t pid)
{
	size_t lo = 0, hi = pi->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pi->v[mid].proc.pid == pid)
			return &pi->v[mid];
		if (pi->v[mid].proc.pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The start time of pid now, for callers that do not know it; 0 or -errno. */
static int
procinfo_read_start(int32_t pid, uint64_t *start)
{
	char path[48], buf[1024];
	ssize_t n;

	if (snprintf(path, sizeof path, "/proc/%d/stat", (int)pid) >= (int)sizeof path)
		return -EINVAL;
	n = fileio_read_small(AT_FDCWD, path, buf, sizeof buf);
	if (n < 0)
		return (int)n;
	return procfd_parse_stat_start(buf, (size_t)n, start);
}

/* The name of uid, or NULL; libproc2 gives a number for names it finds too long. */
static char *
procinfo_user_name(uint32_t uid, const char *libproc2_name)
{
	struct passwd pw, *res = NULL;
	char num[16], *buf;
	long size = sysconf(_SC_GETPW_R_SIZE_MAX);
	char *name = NULL;
	int r;

	snprintf(num, sizeof num, "%u", (unsigned)uid);
	if (libproc2_name != NULL && *libproc2_name != '\0' && strcmp(libproc2_name, num) != 0)
		return xstrdup(libproc2_name);
	if (size < 1024)
		size = 1024;
	for (;;) {
		buf = xmalloc((size_t)size);
		r = getpwuid_r((uid_t)uid, &pw, buf, (size_t)size, &res);
		if (r != ERANGE || size > (1L << 20))
			break;
		free(buf);
		size *= 2;
	}
	if (r == 0 && res != NULL)
		name = xstrdup(res->pw_name);
	free(buf);
	return name;
}

/*
 * The cgroup v2 path ("0::PATH"), or systemd's v1 hierarchy ("N:name=systemd:PATH") when v2
 * shows only the root; NULL when neither is there.
 */
static char *
procinfo_cgroup_path(char **lines)
{
	const char *v2 = NULL, *v1 = NULL, *p;

	for (; lines != NULL && *lines != NULL; lines++) {
		if (strncmp(*lines, "0::", 3) == 0) {
			v2 = *lines + 3;
			continue;
		}
		p = strchr(*lines, ':');
		if (p != NULL && strncmp(p + 1, "name=systemd:", 13) == 0)
			v1 = p + 14;
	}
	if (v2 != NULL && (strcmp(v2, "/") != 0 || v1 == NULL || strcmp(v1, "/") == 0))
		return xstrdup(v2);
	return xstrdup_or_null(v1);
}

/* libproc2 reports an exe it could not read (kernel threads, other users) as "-" or "". */
static char *
procinfo_exe(const char *exe)
{
	return exe != NULL && exe[0] == '/' ? xstrdup(exe) : NULL;
}

/* Fill p from one libproc2 stack (deep copies). */
static void
procinfo_fill(struct pt_proc *p, struct pids_stack *s)
{
	const char *comm = PROCINFO_VAL(PROCINFO_COMM, str, s);
	const char *cmdline = PROCINFO_VAL(PROCINFO_CMDLINE, str, s);
	char **argv = PROCINFO_VAL(PROCINFO_CMDLINE_V, strv, s);
	struct strbuf sb = STRBUF_INIT;

	memset(p, 0, sizeof *p);
	p->pid = PROCINFO_VAL(PROCINFO_PID, s_int, s);
	p->ppid = PROCINFO_VAL(PROCINFO_PPID, s_int, s);
	p->uid = PROCINFO_VAL(PROCINFO_EUID, u_int, s);
	p->start_time = PROCINFO_VAL(PROCINFO_START, ull_int, s);
	p->comm = xstrdup(comm != NULL ? comm : "?");
	p->user = procinfo_user_name(p->uid, PROCINFO_VAL(PROCINFO_EUSER, str, s));

	/*
	 * libproc2 gives an empty command line (kernel threads, zombies) as the vector {"-"} and
	 * the string "[comm]"; a real argv of "-" has the string "-".
	 */
	if (argv != NULL && argv[0] != NULL && strcmp(argv[0], "-") == 0 && argv[1] == NULL &&
		(cmdline == NULL || strcmp(cmdline, "-") != 0))
		argv = NULL;
	for (; argv != NULL && *argv != NULL; argv++) {
		if (sb.len > 0)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, *argv);
	}
	p->cmdline = strbuf_detach(&sb);
	p->cgroup = procinfo_cgroup_path(PROCINFO_VAL(PROCINFO_CGROUP_V, strv, s));
	p->unit = procinfo_unit_from_cgroup(p->cgroup);
	p->exe = procinfo_exe(PROCINFO_VAL(PROCINFO_EXE, str, s));
}

static void
procinfo_fill_vanished(struct pt_proc *p, int32_t pid)
{
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->comm = xstrdup("?");
	p->cmdline = xstrdup("");
}

/* Ask libproc2 about pi->miss[0..nmiss) and cache what it finds. Returns 0 or -errno. */
static int
procinfo_query(struct procinfo *pi)
{
	struct pids_fetch *f;
	struct procinfo_entry *e;
	size_t off, nb, before = pi->n;
	int i;

	for (off = 0; off < pi->nmiss; off += nb) {
		nb = pi->nmiss - off;
		if (nb > PROCINFO_SELECT_MAX)
			nb = PROCINFO_SELECT_MAX;
		pi->st.selects++;
		pi->st.pids_queried += nb;
		f = procps_pids_select(pi->info, pi->miss + off, (int)nb, PIDS_SELECT_PID);
		if (f == NULL)
			return errno != 0 ? -errno : -EIO;
		for (i = 0; i < f->counts->total; i++) {
			struct pids_stack *s = f->stacks[i];
			int32_t pid = PROCINFO_VAL(PROCINFO_PID, s_int, s);

			/* A pid already cached with another start time is replaced in place. */
			e = procinfo_find(pi, pid);
			if (e == NULL) {
				XGROW(pi->v, pi->cap, pi->n + 1);
				e = &pi->v[pi->n++];
			} else
				proc_fini(&e->proc);
			procinfo_fill(&e->proc, s);
			e->used = true;
			e->age = 0;
		}
	}
	if (pi->n != before)
		xsort(pi->v, pi->n, sizeof *pi->v, procinfo_cmp_entry);
	return 0;
}

int
procinfo_get_known(struct procinfo *pi, const int32_t *pids, const uint64_t *start_times, size_t n,
	struct pt_proc *out)
{
	struct procinfo_entry *e;
	uint64_t start;
	size_t i, j;
	int found = 0, r;

	for (i = 0; i < pi->n; i++)
		pi->v[i].used = false;
	pi->nmiss = 0;
	for (i = 0; i < n; i++) {
		e = procinfo_find(pi, pids[i]);
		if (e != NULL) {
			if (start_times != NULL)
				start = start_times[i];
			else if (procinfo_read_start(pids[i], &start) < 0)
				continue; /* gone: the cached entry will be forgotten */
			if (start == e->proc.start_time && ++e->age < PROCINFO_REFRESH_CALLS) {
				e->used = true;
				continue;
			}
		}
		XGROW(pi->miss, pi->capmiss, pi->nmiss + 1);
		pi->miss[pi->nmiss++] = (unsigned)pids[i];
	}
	if (pi->nmiss > 0 && (r = procinfo_query(pi)) < 0)
		return r;

	for (i = 0; i < n; i++) {
		e = procinfo_find(pi, pids[i]);
		if (e != NULL && e->used &&
			(start_times == NULL || start_times[i] == e->proc.start_time)) {
			proc_copy(&out[i], &e->proc);
			found++;
		} else
			procinfo_fill_vanished(&out[i], pids[i]);
	}
	pi->st.hits += (uint64_t)n - pi->nmiss;

	/* Forget what was not asked for: those processes no longer own anything we show. */
	for (i = j = 0; i < pi->n; i++) {
		if (pi->v[i].used)
			pi->v[j++] = pi->v[i];
		else
			proc_fini(&pi->v[i].proc);
	}
	pi->n = j;
	pi->st.cached = (uint32_t)j;
	return found;
}

int
procinfo_get(struct procinfo *pi, const int32_t *pids, size_t n, struct pt_proc *out)
{
	return procinfo_get_known(pi, pids, NULL, n, out);
}

void
procinfo_get_stats(const struct procinfo *pi, struct procinfo_stats *st)
{
	*st = pi->st;
}

/* --- cgroup → unit ------------------------------------------------------------------------ */

static bool
procinfo_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool
procinfo_ends_with(const char *s, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);

	return n > l && memcmp(s + n - l, suffix, l) == 0;
}

/* A container id of 12 to 64 hex digits, shortened to docker's 12. */
static char *
procinfo_container(const char *runtime, const char *id, size_t n)
{
	char buf[64];

	if (n < 12 || n > 64 || !procinfo_is_hex(id, n))
		return NULL;
	snprintf(buf, sizeof buf, "%s:%.12s", runtime, id);
	return xstrdup(buf);
}

/* The runtimes' scope names: PREFIX-ID.scope. */
static const struct {
	const char *prefix;
	const char *runtime;
} procinfo_scopes[] = {
	{ "docker-", "docker" },
	{ "libpod-", "podman" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "crio" },
};

/* The runtime a bare-id component belongs to, from the components above it (cgroupfs driver). */
static const char *
procinfo_runtime_above(const char *path, const char *upto)
{
	static const struct {
		const char *component;
		const char *runtime;
	} parents[] = {
		{ "docker", "docker" },
		{ "libpod_parent", "podman" },
		{ "machine.slice", "podman" },
		{ "containerd", "containerd" },
	};
	const char *c = path, *e;
	const char *runtime = NULL;
	size_t i, n;

	while (c < upto) {
		while (*c == '/')
			c++;
		e = c;
		while (e < upto && *e != '/')
			e++;
		n = (size_t)(e - c);
		for (i = 0; i < sizeof parents / sizeof parents[0]; i++)
			if (strlen(parents[i].component) == n &&
				memcmp(c, parents[i].component, n) == 0)
				runtime = parents[i].runtime;
		if (n >= 8 && memcmp(c, "kubepods", 8) == 0 && runtime == NULL)
			runtime = "kubepods";
		c = e;
	}
	return runtime;
}

char *
procinfo_unit_from_cgroup(const char *cgroup)
{
	const char *c, *e, *unit = NULL;
	size_t n, unit_len = 0, i;
	char *r, *container = NULL;

	if (cgroup == NULL)
		return NULL;
	/*
	 * Rules, deepest component first wins within each kind:
	 *   a container (docker-ID.scope, libpod-ID.scope, cri-containerd-ID.scope, crio-ID.scope,
	 *   a bare 64-hex id under docker/kubepods/..., lxc.payload.NAME) beats a systemd unit,
	 *   because the unit of a container is only the runtime's scope;
	 *   a systemd unit is the deepest *.service or *.scope: "foo.scope" under
	 *   user@1000.service/app.slice says more than the user manager does.
	 */
	for (c = cgroup; *c != '\0'; c = e) {
		while (*c == '/')
			c++;
		for (e = c; *e != '\0' && *e != '/'; e++)
			;
		n = (size_t)(e - c);
		if (n == 0)
			break;
		for (i = 0; i < sizeof procinfo_scopes / sizeof procinfo_scopes[0]; i++) {
			size_t pl = strlen(procinfo_scopes[i].prefix);

			if (n > pl + 6 && memcmp(c, procinfo_scopes[i].prefix, pl) == 0 &&
				procinfo_ends_with(c, n, ".scope")) {
				r = procinfo_container(
					procinfo_scopes[i].runtime, c + pl, n - pl - 6);
				if (r != NULL) {
					free(container);
					container = r;
				}
				break;
			}
		}
		if (n == 64 && procinfo_is_hex(c, n)) {
			const char *rt = procinfo_runtime_above(cgroup, c);

			if (rt != NULL && (r = procinfo_container(rt, c, n)) != NULL) {
				free(container);
				container = r;
			}
		}
		if (n > 12 && memcmp(c, "lxc.payload.", 12) == 0 && container == NULL) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addstr(&sb, "lxc:");
			strbuf_add(&sb, c + 12, n - 12);
			container = strbuf_detach(&sb);
		}
		if (procinfo_ends_with(c, n, ".service") || procinfo_ends_with(c, n, ".scope")) {
			unit = c;
			unit_len = n;
		}
	}
	if (container != NULL)
		return container;
	return unit != NULL ? xstrndup(unit, unit_len) : NULL;
}
