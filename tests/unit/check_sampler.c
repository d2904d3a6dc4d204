/* check_sampler.c — the sampling thread: start, stop, refresh, interval, mailbox, signals. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "porttop/fileio.h"
#include "porttop/sampler.h"
#include "unit.h"

/* Generous bounds: these tests check that things happen at once rather than after the
 * interval (60 s), not how fast they are — speed is for the benchmarks. */
#define LONG_INTERVAL_MS 60000
#define PROMPT_MS 5000

static struct sampler *
new_sampler(int interval_ms)
{
	struct sampler_config cfg;
	struct sampler *s;
	char *cause = NULL;

	sampler_config_default(&cfg);
	cfg.interval_ms = interval_ms;
	s = sampler_new(&cfg, &cause);
	ck_assert_msg(s != NULL, "sampler_new: %s", cause ? cause : "?");
	return s;
}

/* Wait for the wake fd and take the snapshot; NULL when none came within ms. */
static struct pt_snapshot *
wait_snapshot(struct sampler *s, int ms)
{
	struct pollfd pfd = { sampler_wake_fd(s), POLLIN, 0 };
	int64_t end = clock_mono_ms() + ms;
	struct pt_snapshot *snap;

	for (;;) {
		int left = (int)(end - clock_mono_ms());

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return NULL;
		if ((snap = sampler_take(s)) != NULL)
			return snap;
	}
}

START_TEST(test_first_snapshot_arrives_at_start_without_waiting_an_interval)
{
	struct sampler *s = new_sampler(LONG_INTERVAL_MS);
	struct pt_snapshot *snap;

	ck_assert_int_eq(sampler_start(s), 0);
	snap = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(snap);
	ck_assert_uint_eq(snap->seq, 1);
	sampler_release(s, snap);
	sampler_free(s);
}
END_TEST

START_TEST(test_stop_does_not_wait_for_the_interval)
{
	struct sampler *s = new_sampler(LONG_INTERVAL_MS);
	struct pt_snapshot *snap;
	int64_t t0;

	ck_assert_int_eq(sampler_start(s), 0);
	snap = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(snap);
	t0 = clock_mono_ms();
	sampler_free(s);
	ck_assert_int_lt(clock_mono_ms() - t0, PROMPT_MS);
	/* A snapshot the front end still holds outlives the sampler: immutable, self-contained. */
	ck_assert_uint_eq(snap->refs, 1);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_refresh_samples_at_once)
{
	struct sampler *s = new_sampler(LONG_INTERVAL_MS);
	struct pt_snapshot *a, *b;

	ck_assert_int_eq(sampler_start(s), 0);
	a = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(a);
	sampler_refresh(s);
	b = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->seq, a->seq + 1);
	sampler_release(s, a);
	sampler_release(s, b);
	sampler_free(s);
}
END_TEST

START_TEST(test_shorter_interval_takes_effect_at_once)
{
	struct sampler *s = new_sampler(LONG_INTERVAL_MS);
	struct pt_snapshot *a, *b;

	ck_assert_int_eq(sampler_start(s), 0);
	a = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(a);
	sampler_set_interval(s, 10);
	b = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_gt(b->seq, a->seq);
	sampler_release(s, a);
	sampler_release(s, b);
	sampler_free(s);
}
END_TEST

START_TEST(test_thousand_ticks_take_and_release_without_growth)
{
	struct sampler *s = new_sampler(1);
	struct pt_snapshot *snap;
	uint64_t last = 0;
	int i;

	ck_assert_int_eq(sampler_start(s), 0);
	for (i = 0; i < 1000; i++) {
		snap = wait_snapshot(s, PROMPT_MS);
		ck_assert_ptr_nonnull(snap);
		ck_assert_uint_gt(snap->seq, last); /* untaken ones are dropped, never reordered */
		last = snap->seq;
		sampler_release(s, snap);
	}
	ck_assert_uint_ge(sampler_count(s), 1000);
	sampler_free(s); /* LeakSanitizer (the ASan build) checks nothing is left */
}
END_TEST

/* SigBlk of the calling thread, as 16 hex digits, into arg (17 bytes). */
static void *
read_own_sigblk(void *arg)
{
	char buf[4096], *p;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	if (fileio_read_small(AT_FDCWD, "/proc/thread-self/status", buf, sizeof buf) > 0 &&
		(p = strstr(buf, "SigBlk:\t")) != NULL)
		snprintf(arg, 17, "%.16s", p + 8);
	return NULL;
}

START_TEST(test_sampler_thread_blocks_every_signal)
{
	struct sampler *s = new_sampler(LONG_INTERVAL_MS);
	struct pt_snapshot *snap;
	char path[300], buf[4096], *p;
	struct dirent *de;
	char all[17] = "";
	bool found = false;
	pthread_t t;
	DIR *d;

	/*
	 * Every signal a thread can block: all but KILL (9) and STOP (19), which the kernel never
	 * blocks, glibc's internal 32 and 33, which it keeps open, and whatever else the run-time
	 * reserves (valgrind keeps 64). A thread that blocks everything shows what that is here.
	 */
	ck_assert_int_eq(pthread_create(&t, NULL, read_own_sigblk, all), 0);
	pthread_join(t, NULL);
	ck_assert_msg(strcmp(all, "fffffffe7ffbfeff") == 0 || strcmp(all, "7ffffffe7ffbfeff") == 0,
		"a thread blocking everything has SigBlk %s", all);
	ck_assert_int_eq(sampler_start(s), 0);
	snap = wait_snapshot(s, PROMPT_MS);
	ck_assert_ptr_nonnull(snap);
	d = opendir("/proc/self/task");
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%s/comm", de->d_name);
		if (fileio_read_small(AT_FDCWD, path, buf, sizeof buf) < 0 ||
			strcmp(buf, "porttop-sample\n") != 0)
			continue;
		found = true;
		snprintf(path, sizeof path, "/proc/self/task/%s/status", de->d_name);
		ck_assert_int_gt(fileio_read_small(AT_FDCWD, path, buf, sizeof buf), 0);
		p = strstr(buf, "SigBlk:\t");
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(strncmp(p + 8, all, 16) == 0, "SigBlk %.16s, not %s", p + 8, all);
	}
	closedir(d);
	ck_assert_msg(found, "no thread named porttop-sample");
	sampler_release(s, snap);
	sampler_free(s);
}
END_TEST

START_TEST(test_synchronous_sample_counts_up)
{
	struct sampler *s = new_sampler(1000);
	struct pt_snapshot *a = sampler_sample(s), *b = sampler_sample(s);

	ck_assert_uint_eq(a->seq, 1);
	ck_assert_uint_eq(b->seq, 2);
	ck_assert_uint_gt(b->totals.ephemeral_size, 0);
	sampler_release(s, a);
	sampler_release(s, b);
	sampler_free(s);
}
END_TEST

START_TEST(test_cheap_connection_dumps_repeat_every_sample)
{
	ck_assert_uint_eq(sampler_conns_every(500, 1, 20000), 1);
	/* Up to the budget a dump is repeated every sample... */
	ck_assert_uint_eq(sampler_conns_every(20000, 1, 20000), 1);
	/* ...and once spread, it comes back to every sample below half the budget. */
	ck_assert_uint_eq(sampler_conns_every(9000, 3, 20000), 1);
	ck_assert_uint_eq(sampler_conns_every(123456, 1, UINT32_MAX), 1);
}
END_TEST

START_TEST(test_a_costly_connection_dump_is_spread_to_half_the_budget_per_sample)
{
	ck_assert_uint_eq(sampler_conns_every(21000, 1, 20000), 3);
	ck_assert_uint_eq(sampler_conns_every(30000, 1, 20000), 3);
	ck_assert_uint_eq(sampler_conns_every(40000, 2, 20000), 4);
	/* Between half the budget and the budget, a spread dump stays spread: no flapping. */
	ck_assert_uint_eq(sampler_conns_every(15000, 3, 20000), 2);
	/* Never older than five samples, however slow. */
	ck_assert_uint_eq(sampler_conns_every(10000000, 1, 20000), 5);
	ck_assert_uint_eq(sampler_conns_every(7, 1, 1), 5);
}
END_TEST

static struct sampler *
new_sampler_budget(uint32_t budget_us)
{
	struct sampler_config cfg;
	struct sampler *s;
	char *cause = NULL;

	sampler_config_default(&cfg);
	cfg.conns_budget_us = budget_us;
	s = sampler_new(&cfg, &cause);
	ck_assert_msg(s != NULL, "sampler_new: %s", cause ? cause : "?");
	return s;
}

START_TEST(test_spread_samples_reuse_the_connections_and_say_so)
{
	/* A 1 us budget: every connection dump is too costly, so one in five is taken. */
	static const bool stale[] = { false, true, true, true, true, false, true };
	struct sampler *s = new_sampler_budget(1);
	struct pt_snapshot *snap;
	size_t i;

	for (i = 0; i < sizeof stale / sizeof stale[0]; i++) {
		snap = sampler_sample(s);
		if (snap->source != PT_SOURCE_SOCKDIAG) {
			/* /proc/net holds everything in one table: always read whole. */
			ck_assert(!snap->conns_stale);
			sampler_release(s, snap);
			break;
		}
		ck_assert_msg(snap->conns_stale == stale[i], "sample %zu", i + 1);
		sampler_release(s, snap);
	}
	sampler_free(s);
}
END_TEST

START_TEST(test_a_focused_listener_keeps_the_connections_fresh)
{
	struct sampler *s = new_sampler_budget(1);
	struct pt_snapshot *snap;
	struct pt_key key;

	sampler_release(s, sampler_sample(s));
	memset(&key, 0, sizeof key);
	key.proto = PT_PROTO_TCP;
	key.port = 22;
	sampler_set_focus(s, &key);
	snap = sampler_sample(s);
	ck_assert(!snap->conns_stale);
	sampler_release(s, snap);
	sampler_set_focus(s, NULL);
	snap = sampler_sample(s);
	ck_assert(snap->conns_stale || snap->source != PT_SOURCE_SOCKDIAG);
	sampler_release(s, snap);
	sampler_free(s);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("sampler");
	TCase *tc = tcase_create("sampler");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_first_snapshot_arrives_at_start_without_waiting_an_interval);
	tcase_add_test(tc, test_stop_does_not_wait_for_the_interval);
	tcase_add_test(tc, test_refresh_samples_at_once);
	tcase_add_test(tc, test_shorter_interval_takes_effect_at_once);
	tcase_add_test(tc, test_thousand_ticks_take_and_release_without_growth);
	tcase_add_test(tc, test_sampler_thread_blocks_every_signal);
	tcase_add_test(tc, test_synchronous_sample_counts_up);
	tcase_add_test(tc, test_cheap_connection_dumps_repeat_every_sample);
	tcase_add_test(tc, test_a_costly_connection_dump_is_spread_to_half_the_budget_per_sample);
	tcase_add_test(tc, test_spread_samples_reuse_the_connections_and_say_so);
	tcase_add_test(tc, test_a_focused_listener_keeps_the_connections_fresh);
	suite_add_tcase(s, tc);
	return s;
}
