/* check_procinfo.c — process details through libproc2, the cache, and cgroup → unit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/procfd.h"
#include "porttop/procinfo.h"
#include "proctest.h"
#include "unit.h"

static void
proc_file(pid_t pid, const char *leaf, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, leaf);
	if (fileio_read_small(AT_FDCWD, path, buf, size) < 0)
		buf[0] = '\0';
}

/* Wait until pid's comm reads want (its exec happened). */
static void
wait_comm(pid_t pid, const char *want)
{
	char comm[64];
	int i;

	for (i = 0; i < 500; i++) {
		proc_file(pid, "comm", comm, sizeof comm);
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, want) == 0)
			return;
		usleep(10000);
	}
	ck_abort_msg("pid %d never became %s", (int)pid, want);
}

static pid_t
spawn_sleep(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execlp("sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	wait_comm(pid, "sleep");
	return pid;
}

static void
reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}

static struct procinfo_stats
stats(const struct procinfo *pi)
{
	struct procinfo_stats st;

	procinfo_get_stats(pi, &st);
	return st;
}

/* The cgroup v2 path of pid as the kernel shows it. */
static void
proc_cgroup_v2(pid_t pid, char *out, size_t size)
{
	char buf[4096], *line, *save = NULL;

	proc_file(pid, "cgroup", buf, sizeof buf);
	out[0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "0::", 3) == 0)
			snprintf(out, size, "%s", line + 3);
}

START_TEST(test_a_forked_sleep_is_described_exactly)
{
	struct procinfo *pi = procinfo_new();
	struct passwd *pw = getpwuid(geteuid());
	char cgroup[4096], exe[4096];
	struct pt_proc out;
	ssize_t exe_len;
	pid_t child;

	ck_assert_ptr_nonnull(pi);
	child = spawn_sleep();
	ck_assert_int_eq(procinfo_get(pi, &child, 1, &out), 1);
	ck_assert_int_eq(out.pid, child);
	ck_assert_int_eq(out.ppid, getpid());
	ck_assert_uint_eq(out.uid, geteuid());
	ck_assert_ptr_nonnull(pw);
	ck_assert_str_eq(out.user, pw->pw_name);
	ck_assert_str_eq(out.comm, "sleep");
	ck_assert_str_eq(out.cmdline, "sleep 30");
	snprintf(cgroup, sizeof cgroup, "/proc/%d/exe", (int)child);
	exe_len = readlink(cgroup, exe, sizeof exe - 1);
	ck_assert_int_gt(exe_len, 0);
	exe[exe_len] = '\0';
	ck_assert_ptr_nonnull(out.exe);
	ck_assert_str_eq(out.exe, exe);
	/* The same clock ticks owners reads from stat field 22: the identity is one. */
	ck_assert_uint_eq(out.start_time, proctest_start(child));
	proc_cgroup_v2(child, cgroup, sizeof cgroup);
	if (cgroup[0] != '\0') {
		/* At the v2 root, systemd's v1 hierarchy (hybrid hosts) may say more. */
		ck_assert_ptr_nonnull(out.cgroup);
		if (strcmp(cgroup, "/") != 0)
			ck_assert_str_eq(out.cgroup, cgroup);
	}
	proc_fini(&out);
	reap(child);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_our_own_start_time_is_stat_field_22)
{
	struct procinfo *pi = procinfo_new();
	int32_t self = getpid();
	struct pt_proc out;

	ck_assert_int_eq(procinfo_get(pi, &self, 1, &out), 1);
	ck_assert_uint_eq(out.start_time, proctest_start(self));
	ck_assert_int_eq(out.ppid, getppid());
	proc_fini(&out);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_a_second_call_is_answered_from_the_cache)
{
	struct procinfo *pi = procinfo_new();
	struct pt_proc out;
	pid_t child = spawn_sleep();

	ck_assert_int_eq(procinfo_get(pi, &child, 1, &out), 1);
	proc_fini(&out);
	ck_assert_uint_eq(stats(pi).selects, 1);
	ck_assert_uint_eq(stats(pi).pids_queried, 1);
	ck_assert_int_eq(procinfo_get(pi, &child, 1, &out), 1);
	ck_assert_str_eq(out.cmdline, "sleep 30");
	proc_fini(&out);
	ck_assert_uint_eq(stats(pi).selects, 1);
	ck_assert_uint_eq(stats(pi).hits, 1);
	ck_assert_uint_eq(stats(pi).cached, 1);
	reap(child);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_a_renamed_process_is_shown_renamed_within_ten_calls)
{
	struct procinfo *pi = procinfo_new();
	struct pt_proc out;
	int go[2], i, renamed_at = -1;
	uint64_t start;
	pid_t child;
	char c;

	ck_assert_int_eq(pipe(go), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(go[1]);
		prctl(PR_SET_NAME, "pt-before", 0, 0, 0);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		/* Same pid, same start time, another name: what execve does to a server too. */
		prctl(PR_SET_NAME, "pt-after", 0, 0, 0);
		pause();
		_exit(0);
	}
	close(go[0]);
	for (i = 0; i < 500; i++) {
		char comm[32];

		proc_file(child, "comm", comm, sizeof comm);
		if (strncmp(comm, "pt-before", 9) == 0)
			break;
		usleep(10000);
	}
	start = proctest_start(child);
	ck_assert_int_eq(procinfo_get_known(pi, &child, &start, 1, &out), 1);
	ck_assert_str_eq(out.comm, "pt-before");
	proc_fini(&out);

	ck_assert_int_eq(write(go[1], "x", 1), 1);
	for (i = 0; i < 500; i++) {
		char comm[32];

		proc_file(child, "comm", comm, sizeof comm);
		if (strncmp(comm, "pt-after", 8) == 0)
			break;
		usleep(10000);
	}
	for (i = 1; i <= 10 && renamed_at < 0; i++) {
		ck_assert_int_eq(procinfo_get_known(pi, &child, &start, 1, &out), 1);
		if (strcmp(out.comm, "pt-after") == 0)
			renamed_at = i;
		proc_fini(&out);
	}
	/* Not at once (the cache answers), but within ten calls. */
	ck_assert_int_gt(renamed_at, 1);
	ck_assert_int_le(renamed_at, 10);
	kill(child, SIGKILL);
	reap(child);
	close(go[1]);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_only_new_pids_are_queried)
{
	struct procinfo *pi = procinfo_new();
	int32_t pids[2];
	struct pt_proc out[2];
	pid_t a = spawn_sleep(), b = spawn_sleep();

	pids[0] = a;
	ck_assert_int_eq(procinfo_get(pi, pids, 1, out), 1);
	proc_fini(&out[0]);
	pids[1] = b;
	ck_assert_int_eq(procinfo_get(pi, pids, 2, out), 2);
	ck_assert_int_eq(out[0].pid, a);
	ck_assert_int_eq(out[1].pid, b);
	proc_fini(&out[0]);
	proc_fini(&out[1]);
	ck_assert_uint_eq(stats(pi).selects, 2);
	ck_assert_uint_eq(stats(pi).pids_queried, 2);
	ck_assert_uint_eq(stats(pi).cached, 2);
	reap(a);
	reap(b);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_pids_not_asked_for_are_forgotten)
{
	struct procinfo *pi = procinfo_new();
	int32_t pids[2];
	struct pt_proc out[2];
	pid_t a = spawn_sleep(), b = spawn_sleep();

	pids[0] = a;
	pids[1] = b;
	ck_assert_int_eq(procinfo_get(pi, pids, 2, out), 2);
	proc_fini(&out[0]);
	proc_fini(&out[1]);
	ck_assert_int_eq(procinfo_get(pi, &pids[1], 1, out), 1);
	proc_fini(&out[0]);
	ck_assert_uint_eq(stats(pi).cached, 1);
	/* a was forgotten: asking again queries libproc2 again. */
	ck_assert_int_eq(procinfo_get(pi, &pids[0], 1, out), 1);
	ck_assert_int_eq(out[0].pid, a);
	proc_fini(&out[0]);
	ck_assert_uint_eq(stats(pi).selects, 2);
	ck_assert_uint_eq(stats(pi).pids_queried, 3);
	reap(a);
	reap(b);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_a_vanished_pid_gets_a_question_mark)
{
	struct procinfo *pi;
	int32_t pids[2];
	struct pt_proc out[2];
	int status;
	pid_t dead = fork();

	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	pi = procinfo_new();
	ck_assert_int_eq(waitpid(dead, &status, 0), dead);
	pids[0] = getpid();
	pids[1] = dead;
	ck_assert_int_eq(procinfo_get(pi, pids, 2, out), 1);
	ck_assert_int_eq(out[0].pid, getpid());
	ck_assert_int_eq(out[1].pid, dead);
	ck_assert_str_eq(out[1].comm, "?");
	ck_assert_str_eq(out[1].cmdline, "");
	ck_assert_ptr_null(out[1].user);
	ck_assert_uint_eq(out[1].start_time, 0);
	proc_fini(&out[0]);
	proc_fini(&out[1]);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_a_zombie_has_an_empty_command_line)
{
	struct procinfo *pi;
	char comm[64];
	struct pt_proc out;
	int status;
	pid_t z = fork();

	ck_assert_int_ge(z, 0);
	if (z == 0)
		_exit(0);
	pi = procinfo_new();
	proctest_wait_zombie(z);
	proc_file(getpid(), "comm", comm, sizeof comm);
	comm[strcspn(comm, "\n")] = '\0';
	ck_assert_int_eq(procinfo_get(pi, &z, 1, &out), 1);
	ck_assert_str_eq(out.cmdline, "");
	ck_assert_str_eq(out.comm, comm);
	proc_fini(&out);
	ck_assert_int_eq(waitpid(z, &status, 0), z);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_an_argv_of_a_lone_dash_is_kept)
{
	struct procinfo *pi = procinfo_new();
	struct pt_proc out;
	int in[2], status;
	pid_t sh;

	/* sh named "-" with no arguments waits on stdin: an argv that is exactly {"-"}. */
	ck_assert_int_eq(pipe(in), 0);
	sh = fork();
	ck_assert_int_ge(sh, 0);
	if (sh == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		dup2(null, 1);
		dup2(null, 2);
		close(in[1]);
		execl("/bin/sh", "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	wait_comm(sh, "sh"); /* comm comes from the file run, not argv[0] */
	ck_assert_int_eq(procinfo_get(pi, &sh, 1, &out), 1);
	ck_assert_str_eq(out.cmdline, "-");
	proc_fini(&out);
	close(in[1]);
	ck_assert_int_eq(waitpid(sh, &status, 0), sh);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_a_known_identity_with_another_start_time_is_vanished)
{
	struct procinfo *pi = procinfo_new();
	int32_t self = getpid();
	uint64_t start = proctest_start(self), wrong = start + 1;
	struct pt_proc out;

	ck_assert_int_eq(procinfo_get_known(pi, &self, &start, 1, &out), 1);
	ck_assert_uint_eq(out.start_time, start);
	proc_fini(&out);
	ck_assert_uint_eq(stats(pi).selects, 1);
	/* The cache holds (self, start): a different start time is not a hit. */
	ck_assert_int_eq(procinfo_get_known(pi, &self, &wrong, 1, &out), 0);
	ck_assert_str_eq(out.comm, "?");
	proc_fini(&out);
	ck_assert_uint_eq(stats(pi).selects, 2);
	ck_assert_int_eq(procinfo_get_known(pi, &self, &start, 1, &out), 1);
	proc_fini(&out);
	ck_assert_uint_eq(stats(pi).selects, 2);
	ck_assert_uint_eq(stats(pi).hits, 1);
	procinfo_free(pi);
}
END_TEST

START_TEST(test_more_pids_than_one_select_takes_are_split)
{
	struct procinfo *pi = procinfo_new();
	int32_t pids[300];
	struct pt_proc *out = calloc(300, sizeof *out);
	size_t i;

	/* Pids above PID_MAX_LIMIT (4194304): they cannot exist. */
	pids[0] = getpid();
	for (i = 1; i < 300; i++)
		pids[i] = (int32_t)(4194304 + i);
	ck_assert_int_eq(procinfo_get(pi, pids, 300, out), 1);
	ck_assert_int_eq(out[0].pid, getpid());
	ck_assert_str_eq(out[299].comm, "?");
	ck_assert_uint_eq(stats(pi).selects, 2);
	ck_assert_uint_eq(stats(pi).pids_queried, 300);
	for (i = 0; i < 300; i++)
		proc_fini(&out[i]);
	free(out);
	procinfo_free(pi);
}
END_TEST

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

START_TEST(test_unit_from_cgroup_table)
{
	static const struct {
		const char *cgroup;
		const char *unit; /* NULL: none */
	} cases[] = {
		{ NULL, NULL }, { "", NULL }, { "/", NULL }, { "/user.slice", NULL },
		{ "/system.slice/nginx.service", "nginx.service" },
		{ "/system.slice/nginx.service/", "nginx.service" },
		{ "/system.slice/nginx.service/workers", "nginx.service" },
		{ "/init.scope", "init.scope" },
		{ "/user.slice/user-1000.slice/session-3.scope", "session-3.scope" },
		{ "/user.slice/user-1000.slice/user@1000.service/app.slice/foo.scope",
			"foo.scope" },
		{ "/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service",
			"pipewire.service" },
		{ "/user.slice/user-1000.slice/user@1000.service/init.scope", "init.scope" },
		{ "/system.slice/docker-" ID64 ".scope", "docker:0123456789ab" },
		{ "/docker/" ID64, "docker:0123456789ab" },
		{ "/system.slice/containerd.service/"
		  "kubepods-burstable-pod1.slice:cri-containerd:" ID64,
			"containerd.service" },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b.slice/"
		  "cri-containerd-" ID64 ".scope",
			"containerd:0123456789ab" },
		{ "/kubepods/besteffort/pod1a2b3c/" ID64, "kubepods:0123456789ab" },
		{ "/machine.slice/libpod-" ID64 ".scope/container", "podman:0123456789ab" },
		{ "/system.slice/crio-" ID64 ".scope", "crio:0123456789ab" },
		{ "/system.slice/docker-notanid.scope", "docker-notanid.scope" },
		{ "/system.slice/docker.service", "docker.service" },
		{ "/lxc.payload.web1/system.slice/nginx.service", "lxc:web1" },
		{ "/some/random/path", NULL },
		{ "/" ID64, NULL }, /* an id under no known runtime */
	};
	size_t i;
	char *u;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		u = procinfo_unit_from_cgroup(cases[i].cgroup);
		if (cases[i].unit == NULL)
			ck_assert_msg(u == NULL, "%s gave %s", cases[i].cgroup, u);
		else
			ck_assert_msg(u != NULL && strcmp(u, cases[i].unit) == 0,
				"%s gave %s, want %s", cases[i].cgroup, u != NULL ? u : "NULL",
				cases[i].unit);
		free(u);
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("procinfo");
	TCase *live = tcase_create("live");
	TCase *pure = tcase_create("pure");

	tcase_add_test(live, test_a_forked_sleep_is_described_exactly);
	tcase_add_test(live, test_our_own_start_time_is_stat_field_22);
	tcase_add_test(live, test_a_second_call_is_answered_from_the_cache);
	tcase_add_test(live, test_a_renamed_process_is_shown_renamed_within_ten_calls);
	tcase_add_test(live, test_only_new_pids_are_queried);
	tcase_add_test(live, test_pids_not_asked_for_are_forgotten);
	tcase_add_test(live, test_a_vanished_pid_gets_a_question_mark);
	tcase_add_test(live, test_a_zombie_has_an_empty_command_line);
	tcase_add_test(live, test_an_argv_of_a_lone_dash_is_kept);
	tcase_add_test(live, test_a_known_identity_with_another_start_time_is_vanished);
	tcase_add_test(live, test_more_pids_than_one_select_takes_are_split);
	suite_add_tcase(s, live);
	tcase_add_test(pure, test_unit_from_cgroup_table);
	suite_add_tcase(s, pure);
	return s;
}
