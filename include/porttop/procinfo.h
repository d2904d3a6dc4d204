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

/*
 * Fill out[i] (deep copies, caller frees with proc_fini) for each pids[i]; a pid that
 * vanished gets pid set and comm "?" and is reported through the return value.
 * Cached entries whose pid is not in pids are forgotten. Returns the number of pids
 * found, or -errno when libproc2 fails as a whole.
 */
int procinfo_get(struct procinfo *pi, const int32_t *pids, size_t n, struct pt_proc *out);

/* Pure: a systemd unit or container name from a cgroup path, or NULL; owned by the caller. */
char *procinfo_unit_from_cgroup(const char *cgroup);

#endif
