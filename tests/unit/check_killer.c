/* check_killer.c — the pidfd killer against real listener processes. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "porttop/fileio.h"
#include "porttop/killer.h"
#include "porttop/procfd.h"
#include "proctest.h"
#include "unit.h"

/* A child holding a listening socket on 127.0.0.1, driven through a command pipe. */
struct listener {
	pid_t pid;
	int cmd;   /* write end: commands */
	int reply; /* read end: replies */
	struct pt_owner target;
};

/* What the child reports once it listens. */
struct listener_hello {
	int32_t fd;
	uint32_t inode;
};

static void
listener_main(int cmd, int reply)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct listener_hello hello;
	struct stat st;
	int s, null;
	char c;

	/* Check's handlers (they signal the whole process group) must not run in the target. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(s, 8) < 0 ||
		fstat(s, &st) < 0)
		_exit(2);
	hello.fd = s;
	hello.inode = (uint32_t)st.st_ino;
	if (write(reply, &hello, sizeof hello) != (ssize_t)sizeof hello)
		_exit(3);
	while (read(cmd, &c, 1) == 1) {
		switch (c) {
		case 'c': /* let go of the socket; the fd number now holds /dev/null */
			null = open("/dev/null", O_RDONLY);
			dup2(null, s);
			close(null);
			break;
		case 'm': /* keep the socket under another number */
			dup2(s, 50);
			close(s);
			break;
		default: /* ping */ break;
		}
		if (write(reply, "k", 1) != 1)
			_exit(4);
	}
	_exit(0);
}

static void
listener_start(struct listener *l)
{
	struct listener_hello hello;
	int cmd[2], reply[2];

	ck_assert_int_eq(pipe(cmd), 0);
	ck_assert_int_eq(pipe(reply), 0);
	l->pid = fork();
	ck_assert_int_ge(l->pid, 0);
	if (l->pid == 0) {
		close(cmd[1]);
		close(reply[0]);
		listener_main(cmd[0], reply[1]);
	}
	close(cmd[0]);
	close(reply[1]);
	l->cmd = cmd[1];
	l->reply = reply[0];
	ck_assert_int_eq(read(l->reply, &hello, sizeof hello), (ssize_t)sizeof hello);
	l->target.pid = l->pid;
	l->target.fd = hello.fd;
	l->target.inode = hello.inode;
	l->target.start_time = proctest_start(l->pid);
}

/* Send a command and wait for its reply: true when the child answered (it is alive and well). */
static bool
listener_do(struct listener *l, char c)
{
	char k;

	return write(l->cmd, &c, 1) == 1 && read(l->reply, &k, 1) == 1 && k == 'k';
}

/* The child is alive, was never stopped or signalled, and still answers. */
static void
assert_untouched(struct listener *l)
{
	int status;

	ck_assert_int_eq(waitpid(l->pid, &status, WNOHANG), 0);
	ck_assert(listener_do(l, 'p'));
	ck_assert_int_eq(waitpid(l->pid, &status, WNOHANG), 0);
}

static void
listener_stop(struct listener *l)
{
	int status;

	kill(l->pid, SIGKILL);
	waitpid(l->pid, &status, 0);
	close(l->cmd);
	close(l->reply);
}

START_TEST(test_term_through_the_pidfd_ends_the_listener)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL;
	int status;

	listener_start(&l);
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, ":8080", &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(killer_pid(k), l.pid);
	ck_assert_int_ge(killer_fd(k), 0);
	ck_assert_int_eq(killer_wait(k, 0), 0);
	ck_assert_int_eq(killer_signal(k, SIGTERM, &cause), 0);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(killer_wait(k, 5000), 1);
	ck_assert_int_eq(waitpid(l.pid, &status, 0), l.pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	/* Gone now: a second signal is refused, not sent to whoever gets the pid next. */
	ck_assert_int_eq(killer_signal(k, SIGKILL, &cause), -ESRCH);
	ck_assert_ptr_nonnull(cause);
	killer_free(k);
	free(cause);
	close(l.cmd);
	close(l.reply);
}
END_TEST

START_TEST(test_wait_times_out_on_a_live_process)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL;

	listener_start(&l);
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, ":8080", &cause), 0);
	ck_assert_int_eq(killer_wait(k, 50), 0);
	assert_untouched(&l);
	killer_free(k);
	listener_stop(&l);
}
END_TEST

START_TEST(test_a_wrong_start_time_is_refused_and_nothing_is_signalled)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL, want[128];
	struct pt_owner other;

	listener_start(&l);
	other = l.target;
	other.start_time++;
	ck_assert_int_eq(killer_open(&k, "/proc", &other, ":8080", &cause), -ESTALE);
	ck_assert_ptr_null(k);
	snprintf(want, sizeof want, "target changed: pid %d is now another process", (int)l.pid);
	ck_assert_str_eq(cause, want);
	assert_untouched(&l);
	free(cause);
	listener_stop(&l);
}
END_TEST

START_TEST(test_a_listener_that_let_go_of_its_socket_is_refused)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL, want[128];

	listener_start(&l);
	ck_assert(listener_do(&l, 'c'));
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, ":8080", &cause), -ESTALE);
	ck_assert_ptr_null(k);
	snprintf(want, sizeof want, "target changed: pid %d no longer holds :8080", (int)l.pid);
	ck_assert_str_eq(cause, want);
	assert_untouched(&l);
	free(cause);
	listener_stop(&l);
}
END_TEST

START_TEST(test_every_signal_rechecks_the_target)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL, want[128];

	listener_start(&l);
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, ":8080", &cause), 0);
	/* Between confirming and sending, the process closes the listener. */
	ck_assert(listener_do(&l, 'c'));
	ck_assert_int_eq(killer_signal(k, SIGTERM, &cause), -ESTALE);
	snprintf(want, sizeof want, "target changed: pid %d no longer holds :8080", (int)l.pid);
	ck_assert_str_eq(cause, want);
	assert_untouched(&l);
	killer_free(k);
	free(cause);
	listener_stop(&l);
}
END_TEST

START_TEST(test_a_socket_moved_to_another_fd_is_still_the_target)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL;
	int status;

	listener_start(&l);
	ck_assert(listener_do(&l, 'm'));
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, NULL, &cause), 0);
	ck_assert_int_eq(killer_signal(k, SIGINT, &cause), 0);
	ck_assert_int_eq(killer_wait(k, 5000), 1);
	ck_assert_int_eq(waitpid(l.pid, &status, 0), l.pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGINT);
	killer_free(k);
	close(l.cmd);
	close(l.reply);
}
END_TEST

START_TEST(test_an_exited_pid_is_reported_as_exited)
{
	struct pt_owner t = { .inode = 12345, .fd = 3, .start_time = 1 };
	struct killer *k = NULL;
	char *cause = NULL, want[64];
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	t.pid = pid;
	ck_assert_int_eq(killer_open(&k, "/proc", &t, ":8080", &cause), -ESRCH);
	ck_assert_ptr_null(k);
	snprintf(want, sizeof want, "pid %d has exited", (int)pid);
	ck_assert_str_eq(cause, want);
	free(cause);
}
END_TEST

START_TEST(test_a_zombie_is_reported_as_exited)
{
	struct listener l;
	struct killer *k = NULL;
	char *cause = NULL, want[64];
	int status;

	listener_start(&l);
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, ":8080", &cause), 0);
	close(l.cmd); /* the child leaves its loop and exits; nobody reaps it yet */
	ck_assert_int_eq(killer_wait(k, 5000), 1);
	ck_assert_int_eq(killer_signal(k, SIGTERM, &cause), -ESRCH);
	snprintf(want, sizeof want, "pid %d has exited", (int)l.pid);
	ck_assert_str_eq(cause, want);
	killer_free(k);
	k = NULL;
	ck_assert_int_eq(killer_open(&k, "/proc", &l.target, ":8080", &cause), -ESRCH);
	ck_assert_ptr_null(k);
	ck_assert_int_eq(waitpid(l.pid, &status, 0), l.pid);
	ck_assert(WIFEXITED(status));
	free(cause);
	close(l.reply);
}
END_TEST

START_TEST(test_a_zombie_leader_still_holding_its_socket_is_killed)
{
	struct pt_owner target = { 0 };
	struct killer *k = NULL;
	char *cause = NULL;
	uint32_t inode;
	int status, fd;
	pid_t z = proctest_zombie_leader(&inode, &fd);

	/* Its fds are read through its live thread: PROC/PID/fd/FD is gone. */
	target.inode = inode;
	target.pid = z;
	target.fd = fd;
	target.start_time = proctest_start(z);
	ck_assert_int_eq(killer_open(&k, "/proc", &target, ":8080", &cause), 0);
	ck_assert_int_eq(killer_signal(k, SIGKILL, &cause), 0);
	ck_assert_int_eq(killer_wait(k, 5000), 1);
	ck_assert_int_eq(waitpid(z, &status, 0), z);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	killer_free(k);
	free(cause);
}
END_TEST

/* What the unprivileged child of the permission test got. */
struct denied_report {
	int r;
	char cause[256];
};

START_TEST(test_an_unprivileged_user_may_not_kill_roots_listener)
{
	struct denied_report rep;
	struct listener l = { .pid = 0 };
	struct pt_owner target;
	struct killer *k = NULL;
	char *cause = NULL;
	int pfd[2], status;
	pid_t child;

	if (geteuid() == 0) {
		/* A root listener, and a child that turns into nobody to try to kill it. */
		listener_start(&l);
		target = l.target;
		ck_assert_int_eq(pipe(pfd), 0);
		child = fork();
		ck_assert_int_ge(child, 0);
		if (child == 0) {
			close(pfd[0]);
			memset(&rep, 0, sizeof rep);
			if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
				setresuid(65534, 65534, 65534) < 0)
				_exit(2);
			rep.r = killer_open(&k, "/proc", &target, ":8080", &cause);
			if (rep.r == 0)
				rep.r = killer_signal(k, SIGKILL, &cause);
			snprintf(rep.cause, sizeof rep.cause, "%s", cause != NULL ? cause : "");
			_exit(write(pfd[1], &rep, sizeof rep) == (ssize_t)sizeof rep ? 0 : 3);
		}
		close(pfd[1]);
		ck_assert_int_eq(read(pfd[0], &rep, sizeof rep), (ssize_t)sizeof rep);
		close(pfd[0]);
		ck_assert_int_eq(waitpid(child, &status, 0), child);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	} else {
		/* Already unprivileged: pid 1 belongs to root. */
		target.pid = 1;
		target.fd = 0;
		target.inode = 1;
		target.start_time = proctest_start(1);
		rep.r = killer_open(&k, "/proc", &target, ":8080", &cause);
		snprintf(rep.cause, sizeof rep.cause, "%s", cause != NULL ? cause : "");
		free(cause);
	}
	ck_assert_int_eq(rep.r, -EPERM);
	ck_assert_str_eq(
		rep.cause, "not permitted: owned by root \xe2\x80\x94 run porttop as root");
	if (l.pid != 0) {
		assert_untouched(&l);
		listener_stop(&l);
	}
}
END_TEST

START_TEST(test_signal_names_parse_every_spelling)
{
	ck_assert_int_eq(killer_signal_parse("TERM"), SIGTERM);
	ck_assert_int_eq(killer_signal_parse("SIGTERM"), SIGTERM);
	ck_assert_int_eq(killer_signal_parse("term"), SIGTERM);
	ck_assert_int_eq(killer_signal_parse("sigTerm"), SIGTERM);
	ck_assert_int_eq(killer_signal_parse("15"), SIGTERM);
	ck_assert_int_eq(killer_signal_parse("kill"), SIGKILL);
	ck_assert_int_eq(killer_signal_parse("9"), SIGKILL);
	ck_assert_int_eq(killer_signal_parse("SIGUSR2"), SIGUSR2);
	ck_assert_int_eq(killer_signal_parse("cont"), SIGCONT);
	ck_assert_int_eq(killer_signal_parse(NULL), -1);
	ck_assert_int_eq(killer_signal_parse(""), -1);
	ck_assert_int_eq(killer_signal_parse("SIG"), -1);
	ck_assert_int_eq(killer_signal_parse("TERMX"), -1);
	ck_assert_int_eq(killer_signal_parse("SIGSIGTERM"), -1);
	ck_assert_int_eq(killer_signal_parse("0"), -1);
	ck_assert_int_eq(killer_signal_parse("-15"), -1);
	ck_assert_int_eq(killer_signal_parse("15x"), -1);
	ck_assert_int_eq(killer_signal_parse("99999999999999999999"), -1);
	ck_assert_str_eq(killer_signal_name(SIGTERM), "TERM");
	ck_assert_str_eq(killer_signal_name(SIGHUP), "HUP");
	ck_assert_ptr_null(killer_signal_name(0));
	ck_assert_ptr_null(killer_signal_name(1000));
}
END_TEST

START_TEST(test_the_menu_offers_term_first_then_the_rest_in_order)
{
	static const int want[] = {
		SIGTERM,
		SIGINT,
		SIGHUP,
		SIGKILL,
		SIGUSR1,
		SIGUSR2,
		SIGQUIT,
		SIGSTOP,
		SIGCONT,
	};
	unsigned i;

	ck_assert_uint_eq(killer_menu_len, sizeof want / sizeof want[0]);
	for (i = 0; i < killer_menu_len; i++) {
		ck_assert_int_eq(killer_menu[i], want[i]);
		ck_assert_ptr_nonnull(killer_signal_name(killer_menu[i]));
		ck_assert_int_eq(killer_signal_parse(killer_signal_name(killer_menu[i])), want[i]);
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("killer");
	TCase *live = tcase_create("live");
	TCase *names = tcase_create("names");

	tcase_add_test(live, test_term_through_the_pidfd_ends_the_listener);
	tcase_add_test(live, test_wait_times_out_on_a_live_process);
	tcase_add_test(live, test_a_wrong_start_time_is_refused_and_nothing_is_signalled);
	tcase_add_test(live, test_a_listener_that_let_go_of_its_socket_is_refused);
	tcase_add_test(live, test_every_signal_rechecks_the_target);
	tcase_add_test(live, test_a_socket_moved_to_another_fd_is_still_the_target);
	tcase_add_test(live, test_an_exited_pid_is_reported_as_exited);
	tcase_add_test(live, test_a_zombie_is_reported_as_exited);
	tcase_add_test(live, test_a_zombie_leader_still_holding_its_socket_is_killed);
	tcase_add_test(live, test_an_unprivileged_user_may_not_kill_roots_listener);
	suite_add_tcase(s, live);
	tcase_add_test(names, test_signal_names_parse_every_spelling);
	tcase_add_test(names, test_the_menu_offers_term_first_then_the_rest_in_order);
	suite_add_tcase(s, names);
	return s;
}
