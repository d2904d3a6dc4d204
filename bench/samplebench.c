/* samplebench.c — porttop's own sample cost, cold and warm, against the netlink floor. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "porttop/model.h"
#include "porttop/sampler.h"
#include "porttop/snapshot.h"
#include "porttop/sockdiag.h"

/*
 * Under callgrind (valgrind --tool=callgrind --collect-atstart=no), each warm sample and each
 * floor dump is counted alone and dumped with a label saying what it was: "warm-full" (it
 * dumped the connections), "warm-stale" (it reused them) or "floor". Outside valgrind these
 * are no-ops.
 */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define SAMPLEBENCH_CALLGRIND 1
#endif
#endif
#ifndef SAMPLEBENCH_CALLGRIND
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(label) ((void)(label))
#endif

/*
 * What it measures, in one process so both see the same tables:
 *   cold  the first sampler_sample(): the full /proc walk, libproc2 start-up, every row new;
 *   warm  each later sampler_sample() (dump, owners update, process details, snapshot_build),
 *         one every --interval-ms as porttop's loop takes them, so the owner cache's
 *         time-paced work (background re-walk) is what it is at that rate;
 *   floor sockdiag_dump(SOCKDIAG_ALL) alone, the same requests with nothing else: the cost no
 *         implementation reading these tables through sock_diag can go below.
 * Warm and floor alternate within each tick (and swap order every tick), so noise from the
 * rest of the machine falls on both alike. Output is key=value lines for bench/run.
 *
 * The cold sample is counted by callgrind too, as "cold", when it runs the program.
 */

struct samplebench_series {
	int64_t *v;
	size_t n;
};

static int
samplebench_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
samplebench_print(const char *name, struct samplebench_series *s)
{
	int64_t med, sum = 0;
	size_t i;

	printf("%s_n=%zu\n", name, s->n);
	if (s->n == 0)
		return;
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	qsort(s->v, s->n, sizeof *s->v, samplebench_cmp_i64);
	med = s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
	printf("%s_med_us=%lld\n%s_min_us=%lld\n%s_max_us=%lld\n%s_mean_us=%lld\n", name,
	        (long long)med, name, (long long)s->v[0], name, (long long)s->v[s->n - 1], name,
	        (long long)(sum / (int64_t)s->n));
}

static void
samplebench_add(struct samplebench_series *s, int64_t v)
{
	s->v[s->n++] = v;
}

static __attribute__((noinline)) struct pt_snapshot *
samplebench_warm_one(struct sampler *s)
{
	struct pt_snapshot *snap;

	CALLGRIND_TOGGLE_COLLECT;
	snap = sampler_sample(s);
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT(snap->conns_stale ? "warm-stale" : "warm-full");
	return snap;
}

static __attribute__((noinline)) int
samplebench_floor_one(struct sockdiag *sd, struct pt_sockvec *v)
{
	int err;

	CALLGRIND_TOGGLE_COLLECT;
	v->len = 0;
	err = sockdiag_dump(sd, SOCKDIAG_ALL, v, NULL);
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("floor");
	return err;
}

static void
samplebench_sleep_until(int64_t due_us)
{
	int64_t now = clock_mono_us();
	struct timespec ts;

	if (due_us <= now)
		return;
	ts.tv_sec = (time_t)((due_us - now) / 1000000);
	ts.tv_nsec = (long)((due_us - now) % 1000000) * 1000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long
samplebench_rss_kb(const char *key)
{
	char line[256];
	long v = -1;
	size_t l = strlen(key);
	FILE *fp = fopen("/proc/self/status", "re");

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, key, l) == 0 && line[l] == ':')
			v = strtol(line + l + 1, NULL, 10);
	fclose(fp);
	return v;
}

static void
samplebench_usage(FILE *fp)
{
	fputs("Usage: samplebench [-n SAMPLES] [-i INTERVAL_MS] [--no-floor] [--every-sample]\n"
	      "                   [--new-listener=LOADGEN_PID]\n"
	      "Time porttop's sampler (cold, then warm every INTERVAL_MS) against the bare\n"
	      "sock_diag dumps, in this network namespace. Prints key=value lines.\n"
	      "--every-sample dumps the connections every sample however much they cost (for\n"
	      "callgrind, under which every dump looks costly).\n"
	      "--new-listener sends SIGUSR1 to loadgen before the middle sample, so that a "
	      "running\n"
	      "server opens a new listener, and reports that sample apart (newlistener_*).\n",
	        fp);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "samples", required_argument, NULL, 'n' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "no-floor", no_argument, NULL, 'F' },
		{ "every-sample", no_argument, NULL, 'E' },
		{ "new-listener", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* Every warm sample; those that dumped the connections; those that reused them. */
	struct samplebench_series warm = { 0 }, warm_cpu = { 0 }, full = { 0 }, full_cpu = { 0 };
	struct samplebench_series stale = { 0 }, stale_cpu = { 0 };
	struct samplebench_series floor = { 0 }, floor_cpu = { 0 };
	struct samplebench_series *all[] = { &warm, &warm_cpu, &full, &full_cpu, &stale, &stale_cpu,
		&floor, &floor_cpu };
	struct sampler_config cfg;
	struct pt_sockvec vec;
	struct pt_snapshot *snap;
	struct sampler *s;
	struct sockdiag *sd = NULL;
	struct rusage ru;
	char *cause = NULL;
	long samples = 20, interval_ms = 1000, rss_first = 0;
	int64_t t0, c0, tick, dt, dc;
	size_t j;
	bool with_floor = true, every_sample = false;
	long newl_pid = 0, newl_at = -1;
	int64_t newl_wall = -1, newl_cpu = -1;
	uint32_t listeners_before = 0, listeners_after = 0, unknown_after = 0;
	int c, i, err;

	while ((c = getopt_long(argc, argv, "n:i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': samples = strtol(optarg, NULL, 10); break;
		case 'i': interval_ms = strtol(optarg, NULL, 10); break;
		case 'F': with_floor = false; break;
		case 'E': every_sample = true; break;
		case 'L': newl_pid = strtol(optarg, NULL, 10); break;
		case 'h': samplebench_usage(stdout); return 0;
		default: samplebench_usage(stderr); return 2;
		}
	}
	if (samples < 1 || samples > 100000 || interval_ms < 0 || interval_ms > 60000) {
		samplebench_usage(stderr);
		return 2;
	}

	sampler_config_default(&cfg);
	cfg.source = SAMPLER_SOURCE_SOCKDIAG;
	if (every_sample)
		cfg.conns_budget_us = UINT32_MAX;
	if ((s = sampler_new(&cfg, &cause)) == NULL) {
		fprintf(stderr, "samplebench: %s\n", cause);
		free(cause);
		return 1;
	}
	if (with_floor && (sd = sockdiag_open()) == NULL) {
		fprintf(stderr, "samplebench: sock_diag: %s\n", strerror(errno));
		return 1;
	}
	sockvec_init(&vec);
	for (j = 0; j < sizeof all / sizeof all[0]; j++)
		if ((all[j]->v = calloc((size_t)samples, sizeof *all[j]->v)) == NULL)
			return 1;

	t0 = clock_mono_us();
	c0 = clock_thread_cpu_us();
	CALLGRIND_TOGGLE_COLLECT;
	snap = sampler_sample(s);
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("cold");
	printf("cold_wall_us=%lld\ncold_cpu_us=%lld\n", (long long)(clock_mono_us() - t0),
	        (long long)(clock_thread_cpu_us() - c0));
	printf("sockets=%u\nlisteners=%u\nestablished=%u\nowners_unknown=%u\n",
	        snap->totals.sockets,
	        snap->totals.listeners[PT_PROTO_TCP] + snap->totals.listeners[PT_PROTO_UDP],
	        snap->totals.established, snap->totals.owners_unknown);
	sampler_release(s, snap);

	if (newl_pid > 0)
		newl_at = samples / 2;
	tick = clock_mono_us();
	for (i = 0; i < samples; i++) {
		int k;

		tick += interval_ms * 1000;
		samplebench_sleep_until(tick);
		if (i == newl_at) {
			/* Let the server open it; the sample after measures finding its owner. */
			if (kill((pid_t)newl_pid, SIGUSR1) != 0) {
				fprintf(stderr, "samplebench: kill %ld: %s\n", newl_pid,
				        strerror(errno));
				return 1;
			}
			samplebench_sleep_until(clock_mono_us() + 200000);
		}
		for (k = 0; k < 2; k++) {
			if ((k == 0) == (i % 2 == 0)) {
				if (sd == NULL)
					continue;
				t0 = clock_mono_us();
				c0 = clock_thread_cpu_us();
				err = samplebench_floor_one(sd, &vec);
				samplebench_add(&floor, clock_mono_us() - t0);
				samplebench_add(&floor_cpu, clock_thread_cpu_us() - c0);
				if (err != 0) {
					fprintf(stderr, "samplebench: dump: %s\n", strerror(-err));
					return 1;
				}
			} else {
				t0 = clock_mono_us();
				c0 = clock_thread_cpu_us();
				snap = samplebench_warm_one(s);
				dt = clock_mono_us() - t0;
				dc = clock_thread_cpu_us() - c0;
				if (i == newl_at - 1 || i == newl_at) {
					uint32_t nl = snap->totals.listeners[PT_PROTO_TCP] +
					              snap->totals.listeners[PT_PROTO_UDP];

					if (i == newl_at - 1)
						listeners_before = nl;
					else {
						listeners_after = nl;
						unknown_after = snap->totals.owners_unknown;
						newl_wall = dt;
						newl_cpu = dc;
						sampler_release(s, snap);
						continue;
					}
				}
				samplebench_add(&warm, dt);
				samplebench_add(&warm_cpu, dc);
				samplebench_add(snap->conns_stale ? &stale : &full, dt);
				samplebench_add(snap->conns_stale ? &stale_cpu : &full_cpu, dc);
				sampler_release(s, snap);
			}
		}
		if (i == 0)
			rss_first = samplebench_rss_kb("VmRSS");
	}
	samplebench_print("warm_wall", &warm);
	samplebench_print("warm_cpu", &warm_cpu);
	samplebench_print("full_wall", &full);
	samplebench_print("full_cpu", &full_cpu);
	samplebench_print("stale_wall", &stale);
	samplebench_print("stale_cpu", &stale_cpu);
	samplebench_print("floor_wall", &floor);
	samplebench_print("floor_cpu", &floor_cpu);
	printf("floor_sockets=%zu\n", vec.len);
	if (newl_at >= 0)
		printf("newlistener_wall_us=%lld\nnewlistener_cpu_us=%lld\n"
		       "newlistener_listeners=%u->%u\nnewlistener_owners_unknown=%u\n",
		        (long long)newl_wall, (long long)newl_cpu, listeners_before,
		        listeners_after, unknown_after);
	getrusage(RUSAGE_SELF, &ru);
	printf("rss_after_first_warm_kb=%ld\nrss_end_kb=%ld\nmaxrss_kb=%ld\n", rss_first,
	        samplebench_rss_kb("VmRSS"), ru.ru_maxrss);
	printf("samples=%ld\ninterval_ms=%ld\n", samples, interval_ms);

	sockvec_fini(&vec);
	sockdiag_close(sd);
	sampler_free(s);
	for (j = 0; j < sizeof all / sizeof all[0]; j++)
		free(all[j]->v);
	return 0;
}
