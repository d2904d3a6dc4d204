/* sampler.h — the sampling thread and the one-slot mailbox it publishes snapshots through. */
#ifndef PORTTOP_SAMPLER_H
#define PORTTOP_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

#include "porttop/model.h"
#include "porttop/snapshot.h"

struct pt_rules;

enum sampler_source {
	SAMPLER_SOURCE_AUTO,     /* sock_diag, falling back to /proc/net when unavailable */
	SAMPLER_SOURCE_SOCKDIAG, /* sock_diag only; an error when unavailable */
	SAMPLER_SOURCE_PROCNET   /* /proc/net only */
};

struct sampler_config {
	const char *proc_root;      /* "/proc" unless testing */
	int interval_ms;            /* between samples; default 1000 */
	enum sampler_source source;
	struct pt_build_opts build; /* .rules and .focus are ignored here: see below */
	/*
	 * A connection dump that costs more CPU than this (microseconds; default 20000) is
	 * repeated only every few samples, the others reusing its connections (conns_stale):
	 * listeners, queues and owners stay current. UINT32_MAX: dump them every sample.
	 */
	uint32_t conns_budget_us;
};

void sampler_config_default(struct sampler_config *cfg);

/*
 * Call order: sampler_new, then either sampler_sample (synchronous, for --once and -n) or
 * sampler_start and then sampler_take whenever sampler_wake_fd is readable; finally
 * sampler_free, which stops the thread. All functions are for the front end's thread; the
 * sampler thread is internal.
 */
struct sampler;

/* NULL with errno and a reason in *cause (owned) when neither source can be opened. */
struct sampler *sampler_new(const struct sampler_config *cfg, char **cause);
/* Stops the thread if running and frees everything, including unreleased snapshots' refs. */
void sampler_free(struct sampler *s);

/* Start the sampling thread; the first sample is taken at once. 0 or -errno. */
int sampler_start(struct sampler *s);

/* Take one sample now in the calling thread (no thread running). Caller releases it. */
struct pt_snapshot *sampler_sample(struct sampler *s);

/* Readable (POLLIN) when a snapshot is waiting in the mailbox. */
int sampler_wake_fd(const struct sampler *s);
/*
 * The newest published snapshot, or NULL when none arrived since the last take; snapshots
 * that were never taken are dropped. The caller holds a reference: sampler_release it.
 */
struct pt_snapshot *sampler_take(struct sampler *s);
void sampler_release(struct sampler *s, struct pt_snapshot *snap);

/* Sample again now, without waiting for the interval. */
void sampler_refresh(struct sampler *s);
/* Change the interval; takes effect at once. */
void sampler_set_interval(struct sampler *s, int interval_ms);
/* Ask for the connections of one listener (NULL: none) in the next snapshots. */
void sampler_set_focus(struct sampler *s, const struct pt_key *key);
/* Replace the expected-service rules (taken; the sampler frees the old ones). */
void sampler_set_rules(struct sampler *s, struct pt_rules *rules);

/* Samples taken so far. */
uint64_t sampler_count(const struct sampler *s);

/*
 * Pure, for tests: every how many samples to dump the connections after one dump cost cost_us
 * of CPU, when they were dumped every `every` samples so far, with budget_us the budget of
 * sampler_config. 1 while dumps are cheap; then about cost_us / (budget_us / 2), at most 5.
 */
unsigned sampler_conns_every(uint32_t cost_us, unsigned every, uint32_t budget_us);

#endif
