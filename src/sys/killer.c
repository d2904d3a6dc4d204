/* killer.c — signal a listener's owner through a pidfd, never a recycled pid. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/clock.h"
#include "porttop/fileio.h"
#include "porttop/killer.h"
#include "porttop/pidfd.h"
#include "porttop/procfd.h"
#include "porttop/strbuf.h"
#include "porttop/xalloc.h"

struct killer {
	int pidfd;
	int procfd;
	struct pt_owner target;
	uint32_t tid; /* 0: its fds are read in PROC/PID/fd; else through this thread */
	char *what;   /* owned; the socket in messages, ":8080" */
};

static void killer_cause(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
killer_cause(char **cause, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	free(*cause);
	*cause = strbuf_detach(&sb);
}

/*
 * The effective uid of the process, from the Uid line of its status (real, effective, saved,
 * filesystem); the owner of its /proc folder when that cannot be read.
 */
static int
killer_owner_uid(const struct killer *k, uid_t *uid)
{
	char path[32], buf[4096], *line, *real_end, *eff_end;
	unsigned long eff;
	struct stat st;

	snprintf(path, sizeof path, "%d/status", (int)k->target.pid);
	if (fileio_read_small(k->procfd, path, buf, sizeof buf) > 0 &&
		(line = strstr(buf, "\nUid:")) != NULL) {
		errno = 0;
		(void)strtoul(line + 5, &real_end, 10);
		eff = strtoul(real_end, &eff_end, 10);
		if (errno == 0 && real_end != line + 5 && eff_end != real_end && eff <= UINT32_MAX) {
			*uid = (uid_t)eff;
			return 0;
		}
	}
	snprintf(path, sizeof path, "%d", (int)k->target.pid);
	if (fstatat(k->procfd, path, &st, 0) < 0)
		return -errno;
	*uid = st.st_uid;
	return 0;
}

/* The name of the user owning the process, "uid N" when it has none. */
static char *
killer_owner_name(const struct killer *k)
{
	struct passwd pw, *res = NULL;
	struct strbuf sb = STRBUF_INIT;
	long size = sysconf(_SC_GETPW_R_SIZE_MAX);
	char *buf;
	uid_t uid;
	int r;

	if (killer_owner_uid(k, &uid) < 0)
		return xstrdup("another user");
	if (size < 1024)
		size = 1024;
	for (;;) {
		buf = xmalloc((size_t)size);
		r = getpwuid_r(uid, &pw, buf, (size_t)size, &res);
		if (r != ERANGE || size > (1L << 20))
			break;
		free(buf);
		size *= 2;
	}
	if (r == 0 && res != NULL)
		strbuf_addstr(&sb, res->pw_name);
	else
		strbuf_printf(&sb, "uid %u", (unsigned)uid);
	free(buf);
	return strbuf_detach(&sb);
}

static int
killer_denied(const struct killer *k, char **cause)
{
	char *user = killer_owner_name(k);

	if (geteuid() == 0)
		killer_cause(
			cause, "not permitted: pid %d is owned by %s", (int)k->target.pid, user);
	else
		killer_cause(
			cause, "not permitted: owned by %s \xe2\x80\x94 run porttop as root", user);
	free(user);
	return -EPERM;
}

static int
killer_exited(const struct killer *k, char **cause)
{
	killer_cause(cause, "pid %d has exited", (int)k->target.pid);
	return -ESRCH;
}

static int
killer_changed(const struct killer *k, char **cause)
{
	killer_cause(
		cause, "target changed: pid %d no longer holds %s", (int)k->target.pid, k->what);
	return -ESTALE;
}

/*
 * Whether the target's descriptors are now to be read through another thread: its main
 * thread has exited (a zombie leader lists no fds), or the thread we read them through has.
 */
static bool
killer_thread_moved(struct killer *k)
{
	uint32_t tid;

	if (procfd_fd_thread(k->procfd, (uint32_t)k->target.pid, &tid) < 0 || tid == k->tid)
		return false;
	k->tid = tid;
	return true;
}

/* Whether the target's fd FD links to the target socket: 1 yes, 0 no, -errno. */
static int
killer_fd_holds(struct killer *k, int32_t fd)
{
	char path[64], target[64];
	uint32_t inode;
	ssize_t n;

	if (procfd_link_path(path, sizeof path, (uint32_t)k->target.pid, k->tid, fd) == NULL)
		return 0;
	n = readlinkat(k->procfd, path, target, sizeof target);
	if (n < 0 && errno == ENOENT && killer_thread_moved(k))
		return killer_fd_holds(k, fd);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	return procfd_parse_link(target, (size_t)n, &inode) == 0 && inode == k->target.inode;
}

/* Any fd of the process that holds the target socket: its number, -ENOENT, or -errno. */
static int
killer_find_fd(struct killer *k)
{
	char path[48];
	struct dirent *d;
	DIR *dir;
	int fd, r = -ENOENT;
	long v;
	char *end;

	if (procfd_dir_path(path, sizeof path, (uint32_t)k->target.pid, k->tid) == NULL)
		return -EINVAL;
	fd = openat(k->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (dir == NULL) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((d = readdir(dir)) != NULL) {
		v = strtol(d->d_name, &end, 10);
		if (*end != '\0' || end == d->d_name || v < 0 || v > INT32_MAX)
			continue;
		if (killer_fd_holds(k, (int32_t)v) == 1) {
			r = (int)v;
			break;
		}
	}
	closedir(dir);
	return r;
}

/*
 * The identity check every signal goes through: the pidfd's process is alive, it is the target
 * (start time), and it still holds the socket.
 */
static int
killer_verify(struct killer *k, char **cause)
{
	struct pollfd pfd = { .fd = k->pidfd, .events = POLLIN };
	char path[32], buf[1024];
	uint64_t start;
	ssize_t n;
	int r;

	if (poll(&pfd, 1, 0) > 0)
		return killer_exited(k, cause);
	snprintf(path, sizeof path, "%d/stat", (int)k->target.pid);
	n = fileio_read_small(k->procfd, path, buf, sizeof buf);
	if (n == -ENOENT || n == -ESRCH)
		return killer_exited(k, cause);
	if (n < 0) {
		killer_cause(cause, "cannot read /proc/%d/stat: %s", (int)k->target.pid,
			strerror((int)-n));
		return (int)n;
	}
	if (procfd_parse_stat_start(buf, (size_t)n, &start) < 0 || start != k->target.start_time) {
		/* The pid names another process: the one the user chose is gone. */
		killer_cause(
			cause, "target changed: pid %d is now another process", (int)k->target.pid);
		return -ESTALE;
	}

	r = killer_fd_holds(k, k->target.fd);
	if (r == 1)
		return 0;
	if (r == -EACCES || r == -EPERM)
		return killer_denied(k, cause);
	/* It may hold the socket under another number (dup2 and close). */
	r = killer_find_fd(k);
	if (r >= 0) {
		k->target.fd = r;
		return 0;
	}
	if (r == -EACCES || r == -EPERM)
		return killer_denied(k, cause);
	if (r == -ENOENT && poll(&pfd, 1, 0) > 0)
		return killer_exited(k, cause);
	return killer_changed(k, cause);
}

int
killer_open(struct killer **out, const char *proc_root, const struct pt_owner *target,
	const char *port_text, char **cause)
{
	struct killer *k = NULL;
	struct strbuf sb = STRBUF_INIT;
	int r;

	*out = NULL;
	k = xcalloc(1, sizeof *k);
	k->pidfd = -1;
	k->target = *target;
	if (port_text != NULL)
		strbuf_addstr(&sb, port_text);
	else
		strbuf_printf(&sb, "socket:[%u]", (unsigned)target->inode);
	k->what = strbuf_detach(&sb);
	k->procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (k->procfd < 0) {
		r = -errno;
		killer_cause(cause, "cannot open %s: %s", proc_root, strerror(-r));
		goto fail;
	}
	if (target->pid <= 0) {
		r = -EINVAL;
		killer_cause(cause, "no process to signal");
		goto fail;
	}

	/* Open the pidfd first: a start time that matches after this means the pidfd is it. */
	r = pidfd_open_pid(target->pid);
	if (r == -ESRCH) {
		r = killer_exited(k, cause);
		goto fail;
	}
	if (r < 0) {
		killer_cause(cause,
			"cannot pin pid %d (pidfd_open: %s): not signalling by bare pid",
			(int)target->pid, strerror(-r));
		goto fail;
	}
	k->pidfd = r;
	if ((r = killer_verify(k, cause)) < 0)
		goto fail;
	*out = k;
	return 0;

fail:
	killer_free(k);
	return r;
}

void
killer_free(struct killer *k)
{
	if (k == NULL)
		return;
	if (k->pidfd >= 0)
		close(k->pidfd);
	if (k->procfd >= 0)
		close(k->procfd);
	free(k->what);
	free(k);
}

int
killer_signal(struct killer *k, int sig, char **cause)
{
	int r;

	if ((r = killer_verify(k, cause)) < 0)
		return r;
	r = pidfd_signal(k->pidfd, sig);
	if (r == -ESRCH)
		return killer_exited(k, cause);
	if (r == -EPERM)
		return killer_denied(k, cause);
	if (r < 0)
		killer_cause(cause, "cannot signal pid %d: %s", (int)k->target.pid, strerror(-r));
	return r;
}

int
killer_wait(struct killer *k, int timeout_ms)
{
	struct pollfd pfd = { .fd = k->pidfd, .events = POLLIN };
	int64_t deadline = clock_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0), left;
	int r;

	for (;;) {
		left = deadline - clock_mono_ms();
		if (left < 0)
			left = 0;
		r = poll(&pfd, 1, (int)left);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int
killer_fd(const struct killer *k)
{
	return k->pidfd;
}

int32_t
killer_pid(const struct killer *k)
{
	return k->target.pid;
}

/* --- signal names ------------------------------------------------------------------------- */

const int killer_menu[] = {
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
const unsigned killer_menu_len = sizeof killer_menu / sizeof killer_menu[0];

static const struct {
	int sig;
	const char *name;
} killer_names[] = {
	{ SIGHUP, "HUP" },
	{ SIGINT, "INT" },
	{ SIGQUIT, "QUIT" },
	{ SIGILL, "ILL" },
	{ SIGTRAP, "TRAP" },
	{ SIGABRT, "ABRT" },
	{ SIGBUS, "BUS" },
	{ SIGFPE, "FPE" },
	{ SIGKILL, "KILL" },
	{ SIGUSR1, "USR1" },
	{ SIGSEGV, "SEGV" },
	{ SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" },
	{ SIGALRM, "ALRM" },
	{ SIGTERM, "TERM" },
	{ SIGCHLD, "CHLD" },
	{ SIGCONT, "CONT" },
	{ SIGSTOP, "STOP" },
	{ SIGTSTP, "TSTP" },
	{ SIGTTIN, "TTIN" },
	{ SIGTTOU, "TTOU" },
	{ SIGURG, "URG" },
	{ SIGXCPU, "XCPU" },
	{ SIGXFSZ, "XFSZ" },
	{ SIGVTALRM, "VTALRM" },
	{ SIGPROF, "PROF" },
	{ SIGWINCH, "WINCH" },
	{ SIGIO, "IO" },
	{ SIGPWR, "PWR" },
	{ SIGSYS, "SYS" },
};

const char *
killer_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof killer_names / sizeof killer_names[0]; i++)
		if (killer_names[i].sig == sig)
			return killer_names[i].name;
	return NULL;
}

int
killer_signal_parse(const char *name)
{
	size_t i;
	long v;
	char *end;

	if (name == NULL || *name == '\0')
		return -1;
	if (*name >= '0' && *name <= '9') {
		errno = 0;
		v = strtol(name, &end, 10);
		if (errno != 0 || *end != '\0' || v <= 0 || v > 64)
			return -1;
		return killer_signal_name((int)v) != NULL ? (int)v : -1;
	}
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof killer_names / sizeof killer_names[0]; i++)
		if (strcasecmp(killer_names[i].name, name) == 0)
			return killer_names[i].sig;
	return -1;
}
