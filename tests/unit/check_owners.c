/* check_owners.c — the inode → owners cache on a fake /proc tree and on the real one. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/owners.h"
#include "proctest.h"
#include "unit.h"

static char root[PATH_MAX];

static char *fake_path(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* root followed by fmt, in buf (PATH_MAX bytes). */
static char *
fake_path(char *buf, const char *fmt, ...)
{
	size_t l = strlen(root);
	va_list ap;
	int n;

	memcpy(buf, root, l);
	va_start(ap, fmt);
	n = vsnprintf(buf + l, PATH_MAX - l, fmt, ap);
	va_end(ap);
	ck_assert(n >= 0 && (size_t)n < PATH_MAX - l);
	return buf;
}

/* --- the fake tree ------------------------------------------------------------------------ */

static void
fake_setup(void)
{
	snprintf(root, sizeof root, "%s/porttop-owners.XXXXXX", unit_tmpdir());
	ck_assert_ptr_nonnull(mkdtemp(root));
	/* Readable by the unprivileged user of the permission test. */
	ck_assert_int_eq(chmod(root, 0755), 0);
}

static int
fake_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
fake_rm_tree(const char *path)
{
	nftw(path, fake_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static void
fake_teardown(void)
{
	fake_rm_tree(root);
}

static void
fake_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A process forked by ppid: PROC/pid/stat with start time start and an empty PROC/pid/fd. */
static void
fake_child(int pid, uint64_t start, int ppid)
{
	char path[PATH_MAX], stat[512];

	fake_path(path, "/%d", pid);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	fake_path(path, "/%d/fd", pid);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	fake_path(path, "/%d/stat", pid);
	snprintf(stat, sizeof stat,
		"%d (srv) S %d %d %d 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 %llu 9490432 "
		"600 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 "
		"0\n",
		pid, ppid, pid, pid, (unsigned long long)start);
	fake_write(path, stat);
}

/* A process started by init. */
static void
fake_pid(int pid, uint64_t start)
{
	fake_child(pid, start, 1);
}

static void
fake_link(int pid, int fd, const char *target)
{
	char path[PATH_MAX];

	fake_path(path, "/%d/fd/%d", pid, fd);
	unlink(path);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void
fake_socket(int pid, int fd, uint32_t inode)
{
	char target[32];

	snprintf(target, sizeof target, "socket:[%u]", (unsigned)inode);
	fake_link(pid, fd, target);
}

static void
fake_exit(int pid)
{
	char path[PATH_MAX];

	fake_path(path, "/%d", pid);
	fake_rm_tree(path);
}

/* PROC/loadavg, whose last field is the last pid the kernel handed out. */
static void
fake_last_pid(const char *text)
{
	char path[PATH_MAX];

	fake_write(fake_path(path, "/loadavg"), text);
}

static struct owners *
fake_owners(void)
{
	struct owners *o = owners_new(root);

	ck_assert_ptr_nonnull(o);
	return o;
}

static struct owners_stats
stats(const struct owners *o)
{
	struct owners_stats st;

	owners_get_stats(o, &st);
	return st;
}

/* --- the cache on a fake tree ------------------------------------------------------------- */

START_TEST(test_one_owner_is_found_by_the_first_walk)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 5555);
	fake_link(100, 0, "/dev/null");
	fake_link(100, 1, "pipe:[1000]");
	fake_socket(100, 3, 1000);
	fake_socket(100, 4, 1001); /* not wanted */
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_uint_eq(v[0].inode, 1000);
	ck_assert_int_eq(v[0].pid, 100);
	ck_assert_int_eq(v[0].fd, 3);
	ck_assert_uint_eq(v[0].start_time, 5555);
	ck_assert_uint_eq(owners_lookup(o, 1001, &v), 0);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(stats(o).cached_owners, 1);
	ck_assert_uint_eq(stats(o).cached_pids, 1);
	ck_assert_uint_eq(stats(o).unattributable, 0);
	owners_free(o);
}
END_TEST

START_TEST(test_socket_shared_after_fork_lists_every_holder_by_pid)
{
	static const uint32_t want[] = { 1000, 2000 };
	struct pt_owner *all = NULL;
	size_t len = 0, cap = 0;
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(300, 30);
	fake_socket(300, 7, 1000);
	fake_pid(200, 20);
	fake_socket(200, 3, 1000);
	fake_socket(200, 4, 2000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 2, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 2);
	ck_assert_int_eq(v[0].pid, 200);
	ck_assert_int_eq(v[0].fd, 3);
	ck_assert_uint_eq(v[0].start_time, 20);
	ck_assert_int_eq(v[1].pid, 300);
	ck_assert_int_eq(v[1].fd, 7);
	ck_assert_uint_eq(v[1].start_time, 30);

	ck_assert_uint_eq(owners_collect(o, want, 2, &all, &len, &cap), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_uint_eq(all[0].inode, 1000);
	ck_assert_int_eq(all[0].pid, 200);
	ck_assert_uint_eq(all[1].inode, 1000);
	ck_assert_int_eq(all[1].pid, 300);
	ck_assert_uint_eq(all[2].inode, 2000);
	ck_assert_int_eq(all[2].pid, 200);
	ck_assert_int_eq(all[2].fd, 4);
	free(all);
	owners_free(o);
}
END_TEST

START_TEST(test_a_dup_counts_the_process_once_with_its_lowest_fd)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 9, 1000);
	fake_socket(100, 4, 1000);
	fake_socket(100, 12, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_int_eq(v[0].fd, 4);
	owners_free(o);
}
END_TEST

START_TEST(test_collect_counts_wanted_inodes_without_owner)
{
	static const uint32_t want[] = { 10, 1000, 3000 };
	struct pt_owner *all = NULL;
	size_t len = 0, cap = 0;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 3, 0), 0);
	ck_assert_uint_eq(owners_collect(o, want, 3, &all, &len, &cap), 2);
	ck_assert_uint_eq(len, 1);
	ck_assert_uint_eq(all[0].inode, 1000);
	ck_assert_uint_eq(stats(o).unattributable, 2);
	free(all);
	owners_free(o);
}
END_TEST

START_TEST(test_a_vanished_pid_drops_out_without_a_full_walk)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	fake_socket(200, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 2);
	fake_exit(200);
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_int_eq(v[0].pid, 100);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(stats(o).cached_pids, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_a_process_vanishing_mid_scan_is_not_an_error)
{
	static const uint32_t want[] = { 1000, 2000 };
	char path[PATH_MAX];
	const struct pt_owner *v;
	struct owners *o;

	/* 100 lost its stat between our reading its fds and pinning its identity. */
	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_path(path, "/100/stat");
	ck_assert_int_eq(unlink(path), 0);
	/* 200 has no fd folder any more. */
	fake_pid(200, 2);
	fake_path(path, "/200/fd");
	ck_assert_int_eq(rmdir(path), 0);
	fake_pid(300, 3);
	fake_socket(300, 5, 2000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 2, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 0);
	ck_assert_uint_eq(owners_lookup(o, 2000, &v), 1);
	ck_assert_int_eq(v[0].pid, 300);
	owners_free(o);
}
END_TEST

START_TEST(test_a_forked_sharer_is_scanned_without_a_full_walk)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners_stats before;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	before = stats(o);
	/* 1000 stays owned, so only scanning new pids can find the new worker... */
	fake_child(400, 44, 100);
	fake_socket(400, 7, 1000);
	/* ...found by the next listing (PROC is listed at most every 3 s)... */
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_int_eq(owners_update(o, want, 1, 3000), 0);
	/* ...and scanned once it is a second old: most new processes are gone by then. */
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_int_eq(owners_update(o, want, 1, 4000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 2);
	ck_assert_int_eq(v[1].pid, 400);
	ck_assert_int_eq(v[1].fd, 7);
	ck_assert_uint_eq(v[1].start_time, 44);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(stats(o).pids_scanned - before.pids_scanned, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_proc_is_listed_again_only_when_the_last_pid_moves)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_last_pid("0.00 0.01 0.05 1/90 100\n");
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(stats(o).listings, 1);
	/* No pid was handed out: no process can have appeared, so PROC is not listed. */
	ck_assert_int_eq(owners_update(o, want, 1, 3000), 0);
	ck_assert_uint_eq(stats(o).listings, 1);
	/* A worker forked: the last pid moved, the listing finds it, its scan adds it. */
	fake_child(400, 44, 100);
	fake_socket(400, 7, 1000);
	fake_last_pid("0.00 0.01 0.05 2/91 400\n");
	ck_assert_int_eq(owners_update(o, want, 1, 4000), 0);
	ck_assert_uint_eq(stats(o).listings, 2);
	/* The last pid moves on, but PROC was listed less than 3 s ago. */
	fake_last_pid("0.00 0.01 0.05 2/92 401\n");
	ck_assert_int_eq(owners_update(o, want, 1, 5000), 0);
	ck_assert_uint_eq(stats(o).listings, 2);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 2);
	ck_assert_int_eq(v[1].pid, 400);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_without_a_readable_last_pid_proc_is_listed_every_three_seconds)
{
	static const uint32_t want[] = { 1000 };
	static const char *const bad[] = { "", "0.00 0.01 0.05\n", "0.00 0.01 0.05 1/90 12x\n",
		"0.00 0.01 0.05 1/90 99999999999\n" };
	struct owners *o;
	size_t i;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	/* No loadavg at all (the fake tree so far), then malformed ones. */
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_uint_eq(stats(o).listings, 1);
	ck_assert_int_eq(owners_update(o, want, 1, 3000), 0);
	ck_assert_uint_eq(stats(o).listings, 2);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fake_last_pid(bad[i]);
		ck_assert_int_eq(owners_update(o, want, 1, 6000 + 3000 * (int64_t)i), 0);
		ck_assert_int_eq(owners_update(o, want, 1, 7500 + 3000 * (int64_t)i), 0);
		ck_assert_uint_eq(stats(o).listings, 3 + i);
	}
	owners_free(o);
}
END_TEST

START_TEST(test_a_new_process_whose_parent_owns_nothing_is_not_scanned)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners_stats before;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	before = stats(o);
	/* Children of a non-owner (a build): their parent is read, not their fds. */
	fake_child(500, 50, 200);
	fake_socket(500, 3, 7777);
	fake_child(501, 51, 1);
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_int_eq(owners_update(o, want, 1, 2000), 0);
	ck_assert_uint_eq(stats(o).pids_scanned, before.pids_scanned);
	ck_assert_uint_eq(stats(o).links_read - before.links_read, 2); /* 100's verifications */
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	owners_free(o);
}
END_TEST

START_TEST(test_a_child_that_exits_within_a_second_costs_no_scan)
{
	static const uint32_t want[] = { 1000 };
	struct owners_stats before;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	before = stats(o);
	/* The server runs a short helper that inherits its listener and exits. */
	fake_child(600, 60, 100);
	fake_socket(600, 3, 1000);
	ck_assert_int_eq(owners_update(o, want, 1, 500), 0);
	fake_exit(600);
	ck_assert_int_eq(owners_update(o, want, 1, 1500), 0);
	ck_assert_uint_eq(stats(o).pids_scanned, before.pids_scanned);
	owners_free(o);
}
END_TEST

START_TEST(test_a_new_listener_of_a_known_server_needs_no_full_walk)
{
	static const uint32_t want1[] = { 1000 };
	static const uint32_t want2[] = { 1000, 2000 };
	const struct pt_owner *v;
	struct owners_stats before;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	fake_link(200, 0, "/dev/null");
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want1, 1, 0), 0);
	before = stats(o);
	/* The server opens a second listener long after it started. */
	fake_socket(100, 4, 2000);
	ck_assert_int_eq(owners_update(o, want2, 2, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, 2000, &v), 1);
	ck_assert_int_eq(v[0].pid, 100);
	ck_assert_int_eq(v[0].fd, 4);
	/* Only the known server was read again, not every process. */
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(stats(o).pids_scanned - before.pids_scanned, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_a_new_pid_with_a_new_socket_needs_no_full_walk)
{
	static const uint32_t want1[] = { 1000 };
	static const uint32_t want2[] = { 1000, 2000 };
	const struct pt_owner *v;
	struct owners_stats before;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want1, 1, 0), 0);
	before = stats(o);
	fake_pid(400, 44);
	fake_socket(400, 6, 2000);
	ck_assert_int_eq(owners_update(o, want2, 2, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, 2000, &v), 1);
	ck_assert_int_eq(v[0].pid, 400);
	ck_assert_int_eq(v[0].fd, 6);
	ck_assert_uint_eq(v[0].start_time, 44);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(stats(o).pids_scanned - before.pids_scanned, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_a_steady_update_reads_one_link_per_cached_owner)
{
	static const uint32_t want[] = { 1000, 2000 };
	struct owners_stats a, b;
	struct owners *o;
	int64_t t;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_link(100, 4, "/dev/null");
	fake_link(100, 5, "pipe:[9]");
	fake_pid(200, 2);
	fake_socket(200, 3, 2000);
	fake_pid(300, 3); /* no sockets */
	fake_link(300, 0, "/dev/null");
	o = fake_owners();
	owners_set_rewalk_interval(o, 0); /* its paced readlinks are counted in the next test */
	ck_assert_int_eq(owners_update(o, want, 2, 0), 0);
	for (t = 1000; t <= 5000; t += 1000) {
		a = stats(o);
		ck_assert_int_eq(owners_update(o, want, 2, t), 0);
		b = stats(o);
		ck_assert_uint_eq(b.links_read - a.links_read, 2);
		ck_assert_uint_eq(b.verified - a.verified, 2);
		ck_assert_uint_eq(b.pids_scanned - a.pids_scanned, 0);
	}
	ck_assert_uint_eq(b.full_walks, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_many_owners_are_verified_a_slice_at_a_time)
{
	uint32_t want[20];
	struct owners_stats a, b;
	struct owners *o;
	int i;

	for (i = 0; i < 20; i++) {
		fake_pid(100 + i, (uint64_t)i + 1);
		fake_socket(100 + i, 3, 1000 + (uint32_t)i);
		want[i] = 1000 + (uint32_t)i;
	}
	o = fake_owners();
	owners_set_rewalk_interval(o, 0);
	ck_assert_int_eq(owners_update(o, want, 20, 0), 0);
	a = stats(o);
	/* Eight a second: each of the twenty within three seconds, not all every second. */
	for (i = 1; i <= 3; i++)
		ck_assert_int_eq(owners_update(o, want, 20, 1000 * i), 0);
	b = stats(o);
	ck_assert_uint_eq(b.verified - a.verified, 24);
	ck_assert_uint_eq(b.cached_owners, 20);
	owners_free(o);
}
END_TEST

START_TEST(test_each_cached_owner_is_verified_once_per_update_wherever_the_slice_starts)
{
	static const uint32_t want[] = { 1000, 2000 };
	struct owners_stats a, b;
	struct owners *o;
	int64_t t;

	/* Enough processes that the slice's starting slot moves over empty and full slots. */
	for (int pid = 100; pid < 120; pid++)
		fake_pid(pid, (uint64_t)pid);
	fake_socket(105, 3, 1000);
	fake_socket(111, 7, 2000);
	o = fake_owners();
	owners_set_rewalk_interval(o, 0);
	ck_assert_int_eq(owners_update(o, want, 2, 0), 0);
	for (t = 1000; t <= 200000; t += 1000) {
		a = stats(o);
		ck_assert_int_eq(owners_update(o, want, 2, t), 0);
		b = stats(o);
		ck_assert_msg(b.verified - a.verified == 2, "update at %lld verified %llu owners",
			(long long)t, (unsigned long long)(b.verified - a.verified));
	}
	owners_free(o);
}
END_TEST

START_TEST(test_links_that_lie_attribute_nothing)
{
	/* 1215752191 is 99999999999 mod 2^32: an overflow must not wrap onto it. */
	static const uint32_t want[] = { 12, 123, 2000, 3000, 1215752191u };
	static const char *const lies[] = {
		"socket:[abc]",
		"socket:[99999999999]",
		"socket:[12",
		"socket:[]",
		"socket:[2000]x",
		"socket:[0]",
		"pipe:[2000]",
		"anon_inode:[2000]",
		"/dev/null",
		"socket:[-12]",
		"socket:[0123]",
	};
	const struct pt_owner *v;
	struct owners *o;
	size_t i;

	fake_pid(100, 1);
	for (i = 0; i < sizeof lies / sizeof lies[0]; i++)
		fake_link(100, (int)i + 3, lies[i]);
	fake_pid(200, 2);
	fake_socket(200, 3, 3000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 5, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 12, &v), 0);
	ck_assert_uint_eq(owners_lookup(o, 123, &v), 0);
	ck_assert_uint_eq(owners_lookup(o, 2000, &v), 0);
	ck_assert_uint_eq(owners_lookup(o, 1215752191u, &v), 0);
	ck_assert_uint_eq(owners_lookup(o, 3000, &v), 1);
	ck_assert_int_eq(v[0].pid, 200);
	ck_assert_uint_eq(stats(o).cached_owners, 1);
	ck_assert_uint_eq(stats(o).unattributable, 4);
	owners_free(o);
}
END_TEST

START_TEST(test_an_unowned_inode_is_retried_with_exponential_backoff)
{
	static const uint32_t want[] = { 5000 };
	/* Full walks after each update at t = 0, 1000, ... 15000 ms. */
	static const unsigned walks[] = { 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4 };
	struct owners *o;
	size_t i;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	for (i = 0; i < sizeof walks / sizeof walks[0]; i++) {
		ck_assert_int_eq(owners_update(o, want, 1, (int64_t)i * 1000), 0);
		ck_assert_msg(stats(o).full_walks == walks[i], "t=%zu ms: %llu walks, want %u",
			i * 1000, (unsigned long long)stats(o).full_walks, walks[i]);
		ck_assert_uint_eq(stats(o).unattributable, 1);
	}
	owners_free(o);
}
END_TEST

START_TEST(test_a_new_socket_of_an_old_process_holding_none_is_found_by_a_full_walk)
{
	static const uint32_t want1[] = { 1000 };
	static const uint32_t want2[] = { 1000, 1500 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want1, 1, 0), 0);
	/* Neither recent nor an owner: a full walk finds it, once it was seen unowned twice. */
	fake_socket(200, 8, 1500);
	ck_assert_int_eq(owners_update(o, want2, 2, 10000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1500, &v), 0);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_int_eq(owners_update(o, want2, 2, 11000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1500, &v), 1);
	ck_assert_int_eq(v[0].pid, 200);
	ck_assert_int_eq(v[0].fd, 8);
	ck_assert_uint_eq(stats(o).full_walks, 2);
	ck_assert_uint_eq(stats(o).unattributable, 0);
	/* Found: the next update needs no walk. */
	ck_assert_int_eq(owners_update(o, want2, 2, 12000), 0);
	ck_assert_uint_eq(stats(o).full_walks, 2);
	owners_free(o);
}
END_TEST

START_TEST(test_a_socket_whose_process_exited_before_the_update_costs_no_full_walk)
{
	static const uint32_t want1[] = { 1000 };
	static const uint32_t want2[] = { 1000, 2000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want1, 1, 0), 0);
	/* The dump saw 2000, but its process is gone by the time /proc is read. */
	ck_assert_int_eq(owners_update(o, want2, 2, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, 2000, &v), 0);
	/* The next dump no longer has it: no walk of every process was spent on it. */
	ck_assert_int_eq(owners_update(o, want1, 1, 2000), 0);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(stats(o).unattributable, 0);
	owners_free(o);
}
END_TEST

START_TEST(test_a_young_process_is_rescanned_before_resorting_to_a_full_walk)
{
	static const uint32_t want1[] = { 1000 };
	static const uint32_t want2[] = { 1000, 2500 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want1, 1, 0), 0);
	fake_pid(400, 4); /* started, sockets not open yet */
	ck_assert_int_eq(owners_update(o, want1, 1, 1000), 0);
	fake_socket(400, 5, 2500);
	ck_assert_int_eq(owners_update(o, want2, 2, 2000), 0);
	ck_assert_uint_eq(owners_lookup(o, 2500, &v), 1);
	ck_assert_int_eq(v[0].pid, 400);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_the_background_rewalk_finds_a_socket_passed_to_an_existing_process)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;
	int64_t t, found = -1;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	fake_link(200, 0, "/dev/null");
	fake_link(200, 1, "/dev/null");
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	fake_socket(200, 9, 1000); /* received over a unix socket */
	for (t = 1000; t <= 60000 && found < 0; t += 1000) {
		ck_assert_int_eq(owners_update(o, want, 1, t), 0);
		if (owners_lookup(o, 1000, &v) == 2)
			found = t;
	}
	/* Within one pass (45 s) of when it was passed; never through a full walk. */
	ck_assert_int_gt(found, 0);
	ck_assert_int_le(found, 46000);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_int_eq(v[1].pid, 200);
	ck_assert_int_eq(v[1].fd, 9);
	owners_free(o);
}
END_TEST

START_TEST(test_the_background_rewalk_is_paced_over_the_interval)
{
	static const uint32_t want[] = { 1000 };
	struct owners_stats a, b;
	struct owners *o;
	int64_t t;
	int pid, fd;

	/* 20 processes of 50 fds: a full pass costs about 1000 + 60 readlinks. */
	for (pid = 100; pid < 120; pid++) {
		fake_pid(pid, (uint64_t)pid);
		for (fd = 0; fd < 50; fd++)
			fake_link(pid, fd, "/dev/null");
	}
	fake_socket(100, 50, 1000);
	o = fake_owners();
	owners_set_rewalk_interval(o, 10000);
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	a = stats(o);
	for (t = 1000; t <= 10000; t += 1000) {
		b = stats(o);
		ck_assert_int_eq(owners_update(o, want, 1, t), 0);
		/* A tenth of a pass per second: about 100 readlinks, never the whole tree. */
		ck_assert_uint_le(stats(o).links_read - b.links_read, 120);
		ck_assert_uint_ge(stats(o).links_read - b.links_read, 80);
		if (t == 9000)
			ck_assert_uint_eq(stats(o).background_walks, 0);
	}
	b = stats(o);
	ck_assert_uint_eq(b.full_walks, 1);
	/* One pass in 10 s: every fd link read once more, plus one verification per second. */
	ck_assert_uint_ge(b.links_read - a.links_read, 1000 + 10);
	ck_assert_uint_le(b.links_read - a.links_read, 1000 + 10 + 40);
	ck_assert_int_eq(owners_update(o, want, 1, 11000), 0);
	ck_assert_uint_eq(stats(o).background_walks, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_a_closed_fd_is_dropped_by_verification)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	fake_link(100, 3, "/dev/null");
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 0);
	/* Unowned after verification, and still wanted an update later: one walk, then backoff. */
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_int_eq(owners_update(o, want, 1, 2000), 0);
	ck_assert_uint_eq(stats(o).full_walks, 2);
	ck_assert_uint_eq(stats(o).unattributable, 1);
	owners_free(o);
}
END_TEST

START_TEST(test_a_reused_pid_does_not_keep_the_old_identity)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 5);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	/* 100 exits; a new process 100 inherited the socket at fd 4. */
	fake_exit(100);
	fake_pid(100, 9);
	fake_socket(100, 4, 1000);
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 0); /* never the old identity */
	ck_assert_int_eq(owners_update(o, want, 1, 2000), 0);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_int_eq(v[0].pid, 100);
	ck_assert_int_eq(v[0].fd, 4);
	ck_assert_uint_eq(v[0].start_time, 9);
	owners_free(o);
}
END_TEST

START_TEST(test_the_background_rewalk_refreshes_the_identity_of_a_reused_pid)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;
	int64_t t;

	fake_pid(100, 5);
	fake_socket(100, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	/* Same pid, same fd, same socket, another process: only its start time tells. */
	fake_exit(100);
	fake_pid(100, 9);
	fake_socket(100, 3, 1000);
	for (t = 1000; t <= 46000; t += 1000)
		ck_assert_int_eq(owners_update(o, want, 1, t), 0);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_uint_eq(v[0].start_time, 9);
	owners_free(o);
}
END_TEST

START_TEST(test_verify_drops_holders_that_let_go)
{
	static const uint32_t want[] = { 1000 };
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	fake_socket(200, 3, 1000);
	fake_pid(300, 3);
	fake_socket(300, 3, 1000);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	fake_link(200, 3, "pipe:[1000]");
	fake_exit(300);
	ck_assert_uint_eq(owners_verify(o, 1000), 1);
	ck_assert_uint_eq(owners_lookup(o, 1000, &v), 1);
	ck_assert_int_eq(v[0].pid, 100);
	ck_assert_uint_eq(owners_verify(o, 4242), 0);
	owners_free(o);
}
END_TEST

START_TEST(test_find_once_attributes_unwanted_inodes_without_caching_them)
{
	static const uint32_t want[] = { 1000 };
	static const uint32_t clients[] = { 7001, 9999, 7000, 7001 };
	struct pt_owner *out = NULL;
	size_t len = 0, cap = 0;
	const struct pt_owner *v;
	struct owners *o;

	fake_pid(100, 11);
	fake_socket(100, 3, 1000);
	fake_socket(100, 6, 7000);
	fake_pid(200, 22);
	fake_socket(200, 3, 7001);
	fake_pid(300, 33);
	fake_socket(300, 8, 7001);
	o = fake_owners();
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_int_eq(owners_find_once(o, clients, 4, &out, &len, &cap), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_uint_eq(out[0].inode, 7000);
	ck_assert_int_eq(out[0].pid, 100);
	ck_assert_int_eq(out[0].fd, 6);
	ck_assert_uint_eq(out[0].start_time, 11);
	ck_assert_uint_eq(out[1].inode, 7001);
	ck_assert_int_eq(out[1].pid, 200);
	ck_assert_uint_eq(out[1].start_time, 22);
	ck_assert_uint_eq(out[2].inode, 7001);
	ck_assert_int_eq(out[2].pid, 300);
	ck_assert_int_eq(out[2].fd, 8);
	ck_assert_uint_eq(owners_lookup(o, 7000, &v), 0);
	ck_assert_uint_eq(stats(o).cached_owners, 1);
	free(out);
	owners_free(o);
}
END_TEST

/* What the unprivileged child of the permission test saw. */
struct denied_report {
	int update;
	struct owners_stats st;
	size_t n1000, n2000;
	int32_t pid2000;
};

static void
denied_run(struct denied_report *rep)
{
	static const uint32_t want[] = { 1000, 2000 };
	const struct pt_owner *v = NULL;
	struct owners *o = owners_new(root);

	memset(rep, 0, sizeof *rep);
	if (o == NULL) {
		rep->update = -errno;
		return;
	}
	rep->update = owners_update(o, want, 2, 0);
	owners_get_stats(o, &rep->st);
	rep->n1000 = owners_lookup(o, 1000, &v);
	rep->n2000 = owners_lookup(o, 2000, &v);
	rep->pid2000 = rep->n2000 > 0 ? v[0].pid : 0;
	owners_free(o);
}

START_TEST(test_an_unreadable_fd_folder_counts_as_denied)
{
	struct denied_report rep;
	char path[PATH_MAX];
	int pfd[2], status;
	pid_t child;

	fake_pid(100, 1);
	fake_socket(100, 3, 1000);
	fake_pid(200, 2);
	fake_socket(200, 3, 2000);
	fake_path(path, "/100/fd");
	ck_assert_int_eq(chmod(path, 0), 0);

	if (geteuid() != 0) {
		/* Already unprivileged: chmod 000 denies us directly. */
		denied_run(&rep);
	} else {
		/* root reads through any mode: look as nobody, from a child. */
		ck_assert_int_eq(pipe(pfd), 0);
		child = fork();
		ck_assert_int_ge(child, 0);
		if (child == 0) {
			close(pfd[0]);
			if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
				setresuid(65534, 65534, 65534) < 0)
				_exit(2);
			denied_run(&rep);
			_exit(write(pfd[1], &rep, sizeof rep) == (ssize_t)sizeof rep ? 0 : 3);
		}
		close(pfd[1]);
		ck_assert_int_eq(read(pfd[0], &rep, sizeof rep), (ssize_t)sizeof rep);
		close(pfd[0]);
		ck_assert_int_eq(waitpid(child, &status, 0), child);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(rep.update, 0);
	ck_assert_uint_eq(rep.st.denied_pids, 1);
	ck_assert_uint_eq(rep.n1000, 0);
	ck_assert_uint_eq(rep.n2000, 1);
	ck_assert_int_eq(rep.pid2000, 200);
	ck_assert_uint_eq(rep.st.unattributable, 1);
}
END_TEST

START_TEST(test_a_missing_proc_root_is_an_error)
{
	char path[PATH_MAX];

	fake_path(path, "/nope");
	errno = 0;
	ck_assert_ptr_null(owners_new(path));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* --- the real /proc ----------------------------------------------------------------------- */

static uint32_t
sock_inode(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (uint32_t)st.st_ino;
}

START_TEST(test_real_proc_finds_our_socket_and_a_forked_sharer_until_it_exits)
{
	long probe = syscall(SYS_pidfd_open, getpid(), 0u);
	bool have_pidfd = probe >= 0;
	struct owners_stats before;
	const struct pt_owner *v;
	struct owners *o;
	uint32_t want[1];
	int s, go[2], status;

	if (probe >= 0)
		close((int)probe);
	pid_t child, a, b;
	char c;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s, 0);
	want[0] = sock_inode(s);
	ck_assert_int_eq(pipe(go), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(go[1]);
		(void)read(go[0], &c, 1); /* holds s until told to go */
		_exit(0);
	}
	close(go[0]);

	o = owners_new("/proc");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, want[0], &v), 2);
	a = getpid() < child ? getpid() : child;
	b = getpid() < child ? child : getpid();
	ck_assert_int_eq(v[0].pid, a);
	ck_assert_int_eq(v[1].pid, b);
	ck_assert_int_eq(v[0].fd, s);
	ck_assert_int_eq(v[1].fd, s);
	ck_assert_uint_eq(v[0].start_time, proctest_start(a));
	ck_assert_uint_eq(v[1].start_time, proctest_start(b));
	ck_assert_uint_eq(stats(o).pidfds, have_pidfd ? 2 : 0);

	/*
	 * The child exits but stays a zombie, still listed in /proc: its pidfd alone says it is
	 * gone, so it is dropped before verification spends a readlink on it.
	 */
	close(go[1]);
	proctest_wait_dead(child);
	before = stats(o);
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_uint_eq(owners_lookup(o, want[0], &v), 1);
	ck_assert_int_eq(v[0].pid, getpid());
	/*
	 * links_read is not exact here: processes others start on this host are scanned too.
	 * Without pidfds (valgrind does not know pidfd_open) verification finds the zombie instead;
	 * with them it usually never reads the zombie's link, but a slow run (TSan) may verify
	 * before the pidfd reports the exit, so only the bounds are exact.
	 */
	ck_assert_uint_ge(stats(o).verified - before.verified, 1);
	ck_assert_uint_le(stats(o).verified - before.verified, 2);
	ck_assert_uint_eq(stats(o).pidfds, have_pidfd ? 1 : 0);
	ck_assert_uint_eq(stats(o).full_walks, 1);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	owners_free(o);
	close(s);
}
END_TEST

static void *
hold_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

START_TEST(test_a_listener_outlives_its_processs_main_thread)
{
	const struct pt_owner *v;
	struct owners *o, *fresh;
	uint32_t want[1];
	int s, go[2], status;
	pid_t child;
	pthread_t t;
	char c;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s, 0);
	want[0] = sock_inode(s);
	ck_assert_int_eq(pipe(go), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(go[1]);
		if (pthread_create(&t, NULL, hold_forever, NULL) != 0)
			_exit(1);
		(void)read(go[0], &c, 1);
		pthread_exit(NULL); /* the leader goes; the thread keeps the process and s */
	}
	close(go[0]);
	close(s);

	o = owners_new("/proc");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(owners_update(o, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(o, want[0], &v), 1);
	ck_assert_int_eq(v[0].pid, child);

	/* Its main thread exits: PROC/PID/fd empties, but the process holds the socket still. */
	close(go[1]);
	proctest_wait_zombie(child);
	ck_assert_int_eq(owners_update(o, want, 1, 1000), 0);
	ck_assert_uint_eq(owners_verify(o, want[0]), 1);
	ck_assert_uint_eq(owners_lookup(o, want[0], &v), 1);
	ck_assert_int_eq(v[0].pid, child);
	ck_assert_uint_eq(v[0].start_time, proctest_start(child));

	/* A cache that never saw it alive finds it in its first walk. */
	fresh = owners_new("/proc");
	ck_assert_ptr_nonnull(fresh);
	ck_assert_int_eq(owners_update(fresh, want, 1, 0), 0);
	ck_assert_uint_eq(owners_lookup(fresh, want[0], &v), 1);
	ck_assert_int_eq(v[0].pid, child);
	ck_assert_uint_eq(stats(fresh).unattributable, 0);

	/* Gone for good: dropped. */
	ck_assert_int_eq(kill(child, SIGKILL), 0);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_uint_eq(owners_verify(o, want[0]), 0);
	owners_free(fresh);
	owners_free(o);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("owners");
	TCase *fake = tcase_create("fake-proc");
	TCase *real = tcase_create("real-proc");

	tcase_add_checked_fixture(fake, fake_setup, fake_teardown);
	tcase_add_test(fake, test_one_owner_is_found_by_the_first_walk);
	tcase_add_test(fake, test_socket_shared_after_fork_lists_every_holder_by_pid);
	tcase_add_test(fake, test_a_dup_counts_the_process_once_with_its_lowest_fd);
	tcase_add_test(fake, test_collect_counts_wanted_inodes_without_owner);
	tcase_add_test(fake, test_a_vanished_pid_drops_out_without_a_full_walk);
	tcase_add_test(fake, test_a_process_vanishing_mid_scan_is_not_an_error);
	tcase_add_test(fake, test_a_forked_sharer_is_scanned_without_a_full_walk);
	tcase_add_test(fake, test_a_new_pid_with_a_new_socket_needs_no_full_walk);
	tcase_add_test(fake, test_proc_is_listed_again_only_when_the_last_pid_moves);
	tcase_add_test(fake, test_a_new_process_whose_parent_owns_nothing_is_not_scanned);
	tcase_add_test(fake, test_a_child_that_exits_within_a_second_costs_no_scan);
	tcase_add_test(fake, test_a_new_listener_of_a_known_server_needs_no_full_walk);
	tcase_add_test(fake, test_without_a_readable_last_pid_proc_is_listed_every_three_seconds);
	tcase_add_test(fake, test_a_steady_update_reads_one_link_per_cached_owner);
	tcase_add_test(fake, test_many_owners_are_verified_a_slice_at_a_time);
	tcase_add_test(
		fake, test_each_cached_owner_is_verified_once_per_update_wherever_the_slice_starts);
	tcase_add_test(fake, test_links_that_lie_attribute_nothing);
	tcase_add_test(fake, test_an_unowned_inode_is_retried_with_exponential_backoff);
	tcase_add_test(fake, test_a_new_socket_of_an_old_process_holding_none_is_found_by_a_full_walk);
	tcase_add_test(fake, test_a_young_process_is_rescanned_before_resorting_to_a_full_walk);
	tcase_add_test(
		fake, test_a_socket_whose_process_exited_before_the_update_costs_no_full_walk);
	tcase_add_test(
		fake, test_the_background_rewalk_finds_a_socket_passed_to_an_existing_process);
	tcase_add_test(fake, test_the_background_rewalk_is_paced_over_the_interval);
	tcase_add_test(fake, test_a_closed_fd_is_dropped_by_verification);
	tcase_add_test(fake, test_a_reused_pid_does_not_keep_the_old_identity);
	tcase_add_test(fake, test_the_background_rewalk_refreshes_the_identity_of_a_reused_pid);
	tcase_add_test(fake, test_verify_drops_holders_that_let_go);
	tcase_add_test(fake, test_find_once_attributes_unwanted_inodes_without_caching_them);
	tcase_add_test(fake, test_an_unreadable_fd_folder_counts_as_denied);
	tcase_add_test(fake, test_a_missing_proc_root_is_an_error);
	suite_add_tcase(s, fake);

	tcase_add_test(real, test_real_proc_finds_our_socket_and_a_forked_sharer_until_it_exits);
	tcase_add_test(real, test_a_listener_outlives_its_processs_main_thread);
	suite_add_tcase(s, real);
	return s;
}
