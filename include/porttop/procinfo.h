/* procinfo.h — details of owner processes through libproc2. */
#ifndef PORTTOP_PROCINFO_H
#define PORTTOP_PROCINFO_H

#include <stddef.h>
#include <stdint.h>

#include "porttop/model.h"

/*
 * One libproc2 pids context plus a cache of details by (pid, start_time). Owned by the
 * sampler thread. libproc2 is asked only about pids not already cached.
 */
struct procinfo;

struct procinfo *procinfo_new(void); /* NULL with errno */
void procinfo_free(struct procinfo *pi);

struct procinfo_stats {
	uint64_t selects;      /* procps_pids_select calls */
	uint64_t pids_queried; /* pids passed to them */
	uint64_t hits;         /* pids answered from the cache */
	uint32_t cached;       /* processes cached now */
};

/*
 * Fill out[i] (deep copies, caller frees with proc_fini) for each pids[i]; a pid that
 * vanished gets pid set, comm "?" and cmdline "" and is reported through the return value.
 * A cached entry is reused after reading /proc/PID/stat shows the same start time, and read
 * again every 10th call: execve and PR_SET_NAME change a process's name and command line
 * but not its pid and start time.
 * Cached entries whose pid is not in pids are forgotten. Returns the number of pids
 * found, or -errno when libproc2 fails as a whole.
 */
int procinfo_get(struct procinfo *pi, const int32_t *pids, size_t n, struct pt_proc *out);

/*
 * procinfo_get for processes whose identity the caller knows (pt_owner's pid and start_time):
 * a cached entry with the same (pid, start time) is reused without touching /proc, and a pid
 * that now names a process with another start time counts as vanished.
 */
int procinfo_get_known(struct procinfo *pi, const int32_t *pids, const uint64_t *start_times,
	size_t n, struct pt_proc *out);

void procinfo_get_stats(const struct procinfo *pi, struct procinfo_stats *st);

/* Pure: a systemd unit or container name from a cgroup path, or NULL; owned by the caller. */
char *procinfo_unit_from_cgroup(const char *cgroup);

#endif
