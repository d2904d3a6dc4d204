/* check_procfd.c — reading a process's fds through /proc: paths, zombie leaders, stat parsers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/procfd.h"
#include "proctest.h"
#include "unit.h"

/* --- paths -------------------------------------------------------------------------------- */

START_TEST(test_paths_go_through_a_thread_only_when_asked)
{
	char buf[64];

	ck_assert_str_eq(procfd_dir_path(buf, sizeof buf, 42, 0), "42/fd");
	ck_assert_str_eq(procfd_dir_path(buf, sizeof buf, 42, 43), "42/task/43/fd");
	ck_assert_str_eq(procfd_link_path(buf, sizeof buf, 42, 0, 0), "42/fd/0");
	ck_assert_str_eq(procfd_link_path(buf, sizeof buf, 4294967295u, 4294967295u, INT32_MAX),
		"4294967295/task/4294967295/fd/2147483647");
	ck_assert_ptr_null(procfd_link_path(buf, sizeof buf, 42, 0, -1));
}
END_TEST

START_TEST(test_paths_that_do_not_fit_are_refused_not_cut)
{
	char buf[64];

	/* "42/fd" needs 6 bytes with its NUL. */
	ck_assert_ptr_null(procfd_dir_path(buf, 5, 42, 0));
	ck_assert_str_eq(procfd_dir_path(buf, 6, 42, 0), "42/fd");
	ck_assert_ptr_null(procfd_link_path(buf, 8, 42, 0, 10));
	ck_assert_str_eq(procfd_link_path(buf, 9, 42, 0, 10), "42/fd/10");
	ck_assert_ptr_null(procfd_dir_path(buf, 0, 42, 0));
}
END_TEST

START_TEST(test_name_num_takes_canonical_decimals_only)
{
	ck_assert_uint_eq(procfd_name_num("1"), 1);
	ck_assert_uint_eq(procfd_name_num("2147483647"), 2147483647u);
	ck_assert_uint_eq(procfd_name_num("2147483648"), 0);
	ck_assert_uint_eq(procfd_name_num("0"), 0);
	ck_assert_uint_eq(procfd_name_num("012"), 0);
	ck_assert_uint_eq(procfd_name_num("12a"), 0);
	ck_assert_uint_eq(procfd_name_num(""), 0);
	ck_assert_uint_eq(procfd_name_num("."), 0);
	ck_assert_uint_eq(procfd_name_num("-1"), 0);
}
END_TEST

/* --- parsers ------------------------------------------------------------------------------ */

static int
parse(const char *s, uint32_t *inode)
{
	return procfd_parse_link(s, strlen(s), inode);
}

START_TEST(test_parse_link_reads_a_socket_target)
{
	uint32_t inode = 0;

	ck_assert_int_eq(parse("socket:[12345]", &inode), 0);
	ck_assert_uint_eq(inode, 12345);
	ck_assert_int_eq(parse("socket:[4294967295]", &inode), 0);
	ck_assert_uint_eq(inode, 4294967295u);
	ck_assert_int_eq(parse("socket:[1]", &inode), 0);
	ck_assert_uint_eq(inode, 1);
}
END_TEST

START_TEST(test_parse_link_rejects_hostile_targets)
{
	static const char *const bad[] = {
		"socket:[4294967296]", /* one past UINT32_MAX */
		"socket:[99999999999]",
		"socket:[18446744073709551617]",
		"socket:[]",
		"socket:[0]",
		"socket:[0123]",
		"socket:[123",
		"socket:123]",
		"socket:[123]x",
		"socket:[12a3]",
		"socket:[-1]",
		"socket:[ 1]",
		"socket:[+1]",
		"socket:",
		"socket",
		"",
		"pipe:[123]",
		"anon_inode:[eventpoll]",
		"/dev/null",
		"/tmp/socket:[123]",
		"SOCKET:[123]",
	};
	uint32_t inode = 77;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse(bad[i], &inode) == -EINVAL, "accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(inode, 77);
	}
	ck_assert_int_eq(procfd_parse_link(NULL, 0, &inode), -EINVAL);
}
END_TEST

START_TEST(test_parse_link_honours_the_length_not_a_nul)
{
	const char buf[] = "socket:[123]socket:[456]";
	const char nul[] = "socket:[1\0002]";
	uint32_t inode = 0;

	ck_assert_int_eq(procfd_parse_link(buf, 12, &inode), 0);
	ck_assert_uint_eq(inode, 123);
	ck_assert_int_eq(procfd_parse_link(buf, 11, &inode), -EINVAL);
	ck_assert_int_eq(procfd_parse_link(buf, 13, &inode), -EINVAL);
	ck_assert_int_eq(procfd_parse_link(nul, sizeof nul - 1, &inode), -EINVAL);
}
END_TEST

START_TEST(test_parse_stat_start_skips_a_comm_with_parens_and_spaces)
{
	const char *stat = "4242 (evil) 1 2 (x) S 1 4242 4242 0 -1 4194560 120 0 0 0 3 1 0 0 "
			   "20 0 1 0 987654321 9490432 600\n";
	uint64_t start = 0;

	ck_assert_int_eq(procfd_parse_stat_start(stat, strlen(stat), &start), 0);
	ck_assert_uint_eq(start, 987654321);
}
END_TEST

START_TEST(test_parse_stat_start_takes_a_kernel_formatted_line)
{
	char buf[1024];
	ssize_t n = fileio_read_small(AT_FDCWD, "/proc/self/stat", buf, sizeof buf);
	uint64_t start = 0;
	unsigned long long want = 0;
	char *p;
	int i;

	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(procfd_parse_stat_start(buf, (size_t)n, &start), 0);
	/* Independently: field 22 counted from after the last ')'. */
	p = strrchr(buf, ')') + 2;
	for (i = 3; i < 22; i++)
		p = strchr(p, ' ') + 1;
	want = strtoull(p, NULL, 10);
	ck_assert_uint_eq(start, want);
	ck_assert_uint_gt(start, 0);
}
END_TEST

START_TEST(test_parse_stat_start_rejects_truncated_and_malformed_lines)
{
	static const char *const bad[] = {
		"",
		"1 (a) S 1 1 1",
		"1 (a S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 1",
		"1 a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 1",
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 x55 1",
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55x 1",
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999 1",
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0\n55 1",
	};
	const char *line = "1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 1";
	uint64_t start = 5;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(procfd_parse_stat_start(bad[i], strlen(bad[i]), &start) == -EINVAL,
			"accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(start, 5);
	}
	/* The start time ends the text when the length says so. */
	ck_assert_int_eq(procfd_parse_stat_start(line, strlen(line) - 2, &start), 0);
	ck_assert_uint_eq(start, 55);
}
END_TEST

START_TEST(test_parse_stat_ppid_reads_field_four_after_the_comm)
{
	const char *stat = "4242 (evil) 1 2 (x) S 377 4242 4242 0 -1 4194560\n";
	uint32_t ppid = 0;

	ck_assert_int_eq(procfd_parse_stat_ppid(stat, strlen(stat), &ppid), 0);
	ck_assert_uint_eq(ppid, 377);
	ck_assert_int_eq(procfd_parse_stat_ppid("1 (init) S 0 1 1", 16, &ppid), 0);
	ck_assert_uint_eq(ppid, 0);
}
END_TEST

START_TEST(test_parse_stat_ppid_rejects_malformed_lines)
{
	static const char *const bad[] = { "", "1 (a) S", "1 (a) S ", "1 (a S 1 1", "1 a) S 1 1",
		"1 (a) S x1 1", "1 (a) S 1x 1", "1 (a) S 99999999999 1", "1 (a)  S 1 1" };
	uint32_t ppid = 5;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(procfd_parse_stat_ppid(bad[i], strlen(bad[i]), &ppid) == -EINVAL,
			"accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(ppid, 5);
	}
}
END_TEST

START_TEST(test_parse_stat_leader_gone_wants_a_zombie_with_threads)
{
	/* Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice num_threads ... */
	const char *gone = "77 (a) b) Z 1 77 77 0 -1 4194628 9 0 0 0 0 0 0 0 20 0 3 0 555 0 0\n";
	const char *alone = "77 (a) Z 1 77 77 0 -1 4194628 9 0 0 0 0 0 0 0 20 0 1 0 555 0 0\n";
	const char *running = "77 (a) S 1 77 77 0 -1 4194560 9 0 0 0 0 0 0 0 20 0 3 0 555 0 0\n";

	/* kthreadd as 6.18 prints it: PF_KTHREAD (0x00200000) in the flags. */
	const char *kthread = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 10 0 0\n";

	ck_assert_int_eq(procfd_parse_stat_leader_gone(gone, strlen(gone)), 1);
	ck_assert_int_eq(procfd_parse_stat_leader_gone(alone, strlen(alone)), 0);
	ck_assert_int_eq(procfd_parse_stat_leader_gone(running, strlen(running)), 0);
	ck_assert_int_eq(
		procfd_parse_stat_leader_gone(kthread, strlen(kthread)), PROCFD_KERNEL_THREAD);
}
END_TEST

START_TEST(test_parse_stat_leader_gone_rejects_malformed_lines)
{
	static const char *const bad[] = { "", "77 (a) Z", "77 (a) Z 1 77 77 0 -1 4194628 9",
		"77 (a Z 1 77 77 0 -1 4194628 9 0 0 0 0 0 0 0 20 0 3 0",
		"77 (a) Z 1 77 77 0 -1 4194628 9 0 0 0 0 0 0 0 20 0 x3 0",
		"77 (a) Z 1 77 77 0 -1 4194628 9 0 0 0 0 0 0 0 20 0 99999999999 0" };
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(procfd_parse_stat_leader_gone(bad[i], strlen(bad[i])) == -EINVAL,
			"accepted \"%s\"", bad[i]);
	ck_assert_int_eq(procfd_parse_stat_leader_gone(NULL, 0), -EINVAL);
}
END_TEST

/* --- real processes ----------------------------------------------------------------------- */

static int
proc_dir(void)
{
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

/* The inode fd links to through pid[/task/tid]/fd/fd, or 0. */
static uint32_t
link_inode(int procfd, uint32_t pid, uint32_t tid, int32_t fd)
{
	char path[64], target[64];
	uint32_t inode = 0;
	ssize_t n;

	ck_assert_ptr_nonnull(procfd_link_path(path, sizeof path, pid, tid, fd));
	n = readlinkat(procfd, path, target, sizeof target);
	if (n < 0 || procfd_parse_link(target, (size_t)n, &inode) < 0)
		return 0;
	return inode;
}

START_TEST(test_a_running_process_is_read_through_its_own_folder)
{
	int procfd = proc_dir();
	uint32_t tid = 99;

	ck_assert_int_eq(procfd_fd_thread(procfd, (uint32_t)getpid(), &tid), 0);
	ck_assert_uint_eq(tid, 0);
	close(procfd);
}
END_TEST

START_TEST(test_a_kernel_thread_is_told_apart)
{
	int procfd = proc_dir();
	uint32_t tid = 99;

	/* kthreadd is pid 2 in the initial pid namespace, where the tests run. */
	ck_assert_int_eq(procfd_fd_thread(procfd, 2, &tid), 1);
	ck_assert_uint_eq(tid, 0);
	close(procfd);
}
END_TEST

START_TEST(test_a_zombie_leader_is_read_through_a_live_thread)
{
	int procfd = proc_dir(), fd, status;
	uint32_t inode, tid = 0;
	pid_t z = proctest_zombie_leader(&inode, &fd);

	/* Its own folder has lost the socket... */
	ck_assert_uint_eq(link_inode(procfd, (uint32_t)z, 0, fd), 0);
	/* ...its live thread's has it. */
	ck_assert_int_eq(procfd_fd_thread(procfd, (uint32_t)z, &tid), 0);
	ck_assert_uint_ne(tid, 0);
	ck_assert_uint_ne(tid, (uint32_t)z);
	ck_assert_uint_eq(link_inode(procfd, (uint32_t)z, tid, fd), inode);

	ck_assert_int_eq(kill(z, SIGKILL), 0);
	ck_assert_int_eq(waitpid(z, &status, 0), z);
	ck_assert_int_eq(procfd_fd_thread(procfd, (uint32_t)z, &tid), -ENOENT);
	close(procfd);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("procfd");
	TCase *pure = tcase_create("pure");
	TCase *real = tcase_create("real-proc");

	tcase_add_test(pure, test_paths_go_through_a_thread_only_when_asked);
	tcase_add_test(pure, test_paths_that_do_not_fit_are_refused_not_cut);
	tcase_add_test(pure, test_name_num_takes_canonical_decimals_only);
	tcase_add_test(pure, test_parse_link_reads_a_socket_target);
	tcase_add_test(pure, test_parse_link_rejects_hostile_targets);
	tcase_add_test(pure, test_parse_link_honours_the_length_not_a_nul);
	tcase_add_test(pure, test_parse_stat_start_skips_a_comm_with_parens_and_spaces);
	tcase_add_test(pure, test_parse_stat_start_takes_a_kernel_formatted_line);
	tcase_add_test(pure, test_parse_stat_start_rejects_truncated_and_malformed_lines);
	tcase_add_test(pure, test_parse_stat_ppid_reads_field_four_after_the_comm);
	tcase_add_test(pure, test_parse_stat_ppid_rejects_malformed_lines);
	tcase_add_test(pure, test_parse_stat_leader_gone_wants_a_zombie_with_threads);
	tcase_add_test(pure, test_parse_stat_leader_gone_rejects_malformed_lines);
	suite_add_tcase(s, pure);

	tcase_add_test(real, test_a_running_process_is_read_through_its_own_folder);
	tcase_add_test(real, test_a_kernel_thread_is_told_apart);
	tcase_add_test(real, test_a_zombie_leader_is_read_through_a_live_thread);
	suite_add_tcase(s, real);
	return s;
}
