/* soak_sampler.c — drive the sampler thread fast for a long time and report its footprint. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "porttop/fileio.h"
#include "porttop/sampler.h"
#include "porttop/snapshot.h"

#define SOAK_STALL_MS 10000

/*
 * usage: soak_sampler SECONDS INTERVAL_MS REPORT_EVERY_S
 *
 * Runs the sampler thread at INTERVAL_MS for SECONDS, taking every snapshot as a front end
 * would, and prints one line every REPORT_EVERY_S seconds:
 *   soak t=SECONDS samples=N rss_kb=N fds=N rows=N owners_unknown=N cost_us=N
 * (rows, owners_unknown and cost_us, the sample's own wall time, of the latest snapshot)
 * then "soak done samples=N" after stopping and freeing everything (leaks are for the
 * sanitizer's exit check). Exit 1 when no snapshot came for SOAK_STALL_MS: the sampler
 * thread is stuck (a loaded, shared machine can make single samples take a second).
 */

static long
self_rss_kb(void)
{
	char buf[4096], *p;
	long kb = -1;

	if (fileio_read_small(AT_FDCWD, "/proc/self/status", buf, sizeof buf) > 0 &&
	        (p = strstr(buf, "\nVmRSS:")) != NULL)
		kb = strtol(p + 7, NULL, 10);
	return kb;
}

static int
self_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the folder being read */
}

int
main(int argc, char **argv)
{
	struct sampler_config cfg;
	struct pt_snapshot *snap;
	struct sampler *s;
	struct pollfd pfd;
	char *cause = NULL;
	int64_t start, end, next_report, last_snap, now;
	long secs, every;
	size_t rows = 0;
	uint32_t unknown = 0, cost_us = 0;
	uint64_t taken = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: soak_sampler SECONDS INTERVAL_MS REPORT_EVERY_S\n");
		return 2;
	}
	secs = atol(argv[1]);
	every = atol(argv[3]);
	sampler_config_default(&cfg);
	cfg.interval_ms = atoi(argv[2]);
	if ((s = sampler_new(&cfg, &cause)) == NULL) {
		fprintf(stderr, "soak_sampler: %s\n", cause);
		free(cause);
		return 2;
	}
	if (sampler_start(s) != 0) {
		fprintf(stderr, "soak_sampler: cannot start the sampler\n");
		sampler_free(s);
		return 2;
	}
	pfd.fd = sampler_wake_fd(s);
	pfd.events = POLLIN;
	start = last_snap = clock_mono_ms();
	end = start + secs * 1000;
	next_report = start;
	while ((now = clock_mono_ms()) < end) {
		if (now >= next_report) {
			printf("soak t=%lld samples=%llu rss_kb=%ld fds=%d rows=%zu "
			       "owners_unknown=%u "
			       "cost_us=%u\n",
			        (long long)((now - start) / 1000),
			        (unsigned long long)sampler_count(s), self_rss_kb(), self_fds(),
			        rows, unknown, cost_us);
			fflush(stdout);
			next_report += every * 1000;
		}
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			break;
		if ((snap = sampler_take(s)) != NULL) {
			rows = snap->nrows;
			unknown = snap->totals.owners_unknown;
			cost_us = snap->cost_wall_us;
			taken++;
			last_snap = clock_mono_ms();
			sampler_release(s, snap);
		} else if (clock_mono_ms() - last_snap > SOAK_STALL_MS) {
			fprintf(stderr, "soak_sampler: no snapshot for %d s\n", SOAK_STALL_MS / 1000);
			sampler_free(s);
			return 1;
		}
	}
	printf("soak done samples=%llu taken=%llu\n", (unsigned long long)sampler_count(s),
	        (unsigned long long)taken);
	sampler_free(s);
	return 0;
}
