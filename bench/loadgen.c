/* loadgen.c — a reproducible socket load for the benchmark: listeners, held connections, filler. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Process layout. The parent forks P servers, then K clients, then (with --queue) one
 * process holding a listener that never accepts plus the connections waiting in its queue.
 * Every child reports over one pipe: a server writes 'L' once its listeners are up and 'A'
 * once it has accepted every connection aimed at it; a client writes 'C' once all of its
 * connections are established; the queue process writes 'Q'. Any child writes 'E' and a
 * message on stderr when it fails. The parent writes the ready file only when every byte it
 * expects has come, then waits for SIGTERM/SIGINT, kills and reaps its children and exits.
 * Children die with the parent (PR_SET_PDEATHSIG), so a killed parent leaves nothing behind.
 * SIGUSR1 to the parent makes server 0 open one more TCP listener (127.0.0.1, the ports after
 * the others): a new listener in a running server, for bench/samplebench --new-listener.
 *
 * Listener l of server p has global index g = p * L + l, port base + g, and kind g % 4:
 * TCP 127.0.0.1, TCP 0.0.0.0, TCP [::] dual-stack, UDP 0.0.0.0 (UDP on [::] every other
 * time). Connection j goes to TCP listener j % T (T = TCP listeners, in global order) and
 * is made by client j / per_client; a dual-stack listener is reached over ::1 and
 * 127.0.0.1 alternately, so IPv4-mapped connections are in the mix.
 */

#define LOADGEN_PORT_BASE 20000
#define LOADGEN_PER_CLIENT 8000
#define LOADGEN_READY_TIMEOUT_S 120
#define LOADGEN_FD_MARGIN 64

enum loadgen_kind {
	LOADGEN_TCP4_LOOPBACK,
	LOADGEN_TCP4_ANY,
	LOADGEN_TCP6_DUAL,
	LOADGEN_UDP,
	LOADGEN_NKINDS
};

struct loadgen_opts {
	unsigned servers;
	unsigned listeners; /* per server */
	unsigned conns;
	unsigned per_client;
	unsigned filler; /* extra non-listening fds per server and client */
	unsigned queue;  /* connections left in the accept queue of one extra listener */
	unsigned port_base;
	bool unshare;
	const char *ready;
};

static volatile sig_atomic_t loadgen_stop;
static volatile sig_atomic_t loadgen_more; /* SIGUSR1s not yet acted on */
static pid_t *loadgen_kids;
static size_t loadgen_nkids;

static void loadgen_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
loadgen_die(const char *fmt, ...)
{
	va_list ap;

	fputs("loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
loadgen_usage(FILE *fp)
{
	fputs("Usage: loadgen [OPTION]...\n"
	      "Make listeners and held loopback connections for the porttop benchmark.\n"
	      "\n"
	      "  -P, --servers=N      server processes (default 4)\n"
	      "  -L, --listeners=N    listeners per server: TCP 127.0.0.1, 0.0.0.0, [::] "
	      "dual-stack\n"
	      "                       and UDP in turn (default 8)\n"
	      "  -C, --conns=N        established loopback connections, both ends held (default "
	      "0)\n"
	      "      --per-client=N   connections per client process (default 8000)\n"
	      "  -F, --filler=N       extra fds (files, unix socket pairs) per process (default "
	      "0)\n"
	      "  -Q, --queue=N        a listener that never accepts, with N connections queued\n"
	      "      --port-base=N    first listener port (default 20000)\n"
	      "      --unshare        make a private network namespace first (lo is brought up)\n"
	      "  -r, --ready=FILE     write FILE (key=value lines) once everything is in place\n"
	      "\n"
	      "Runs until SIGTERM or SIGINT, then kills and reaps every process it made. SIGUSR1\n"
	      "makes the first server open one more listener.\n",
	        fp);
}

static unsigned
loadgen_number(const char *opt, const char *arg, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v > max)
		loadgen_die("%s: '%s' is not a number up to %lu", opt, arg, max);
	return (unsigned)v;
}

static void
loadgen_parse(int argc, char **argv, struct loadgen_opts *o)
{
	static const struct option longopts[] = {
		{ "servers", required_argument, NULL, 'P' },
		{ "listeners", required_argument, NULL, 'L' },
		{ "conns", required_argument, NULL, 'C' },
		{ "per-client", required_argument, NULL, 'c' },
		{ "filler", required_argument, NULL, 'F' },
		{ "queue", required_argument, NULL, 'Q' },
		{ "port-base", required_argument, NULL, 'b' },
		{ "unshare", no_argument, NULL, 'u' },
		{ "ready", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->servers = 4;
	o->listeners = 8;
	o->per_client = LOADGEN_PER_CLIENT;
	o->port_base = LOADGEN_PORT_BASE;
	while ((c = getopt_long(argc, argv, "P:L:C:F:Q:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'P': o->servers = loadgen_number("--servers", optarg, 1024); break;
		case 'L': o->listeners = loadgen_number("--listeners", optarg, 1024); break;
		case 'C': o->conns = loadgen_number("--conns", optarg, 1000000); break;
		case 'c': o->per_client = loadgen_number("--per-client", optarg, 100000); break;
		case 'F': o->filler = loadgen_number("--filler", optarg, 100000); break;
		case 'Q': o->queue = loadgen_number("--queue", optarg, 4096); break;
		case 'b': o->port_base = loadgen_number("--port-base", optarg, 65535); break;
		case 'u': o->unshare = true; break;
		case 'r': o->ready = optarg; break;
		case 'h': loadgen_usage(stdout); exit(0);
		default: loadgen_usage(stderr); exit(2);
		}
	}
	if (optind < argc)
		loadgen_die("unexpected argument '%s'", argv[optind]);
	if (o->servers == 0 || o->listeners == 0)
		loadgen_die("--servers and --listeners must be at least 1");
	if (o->per_client == 0)
		loadgen_die("--per-client must be at least 1");
	if ((unsigned long)o->port_base + (unsigned long)o->servers * o->listeners + 1 > 65535)
		loadgen_die("ports past 65535: lower --port-base, --servers or --listeners");
}

/* --- the namespace ------------------------------------------------------------------------ */

/* Bring lo up: a new network namespace starts with it down. */
static void
loadgen_lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		loadgen_die("socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		loadgen_die("SIOCGIFFLAGS lo: %s", strerror(errno));
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			loadgen_die("cannot bring lo up: %s", strerror(errno));
	}
	close(fd);
}

/* Best effort: a sysctl of this network namespace. */
static void
loadgen_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0)
		fprintf(stderr, "loadgen: %s: %s (ignored)\n", path, strerror(errno));
	close(fd);
}

/* As many descriptors as the hard limit allows; returns the limit. */
static unsigned long
loadgen_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur == RLIM_INFINITY ? ULONG_MAX : (unsigned long)rl.rlim_cur;
}

/* --- children ----------------------------------------------------------------------------- */

/* What a child does first: die with the parent, default signals. */
static void
loadgen_child_init(pid_t parent)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(1);
	/* The parent may have died between fork and prctl. */
	if (getppid() != parent)
		_exit(1);
}

static void
loadgen_report(int fd, char c)
{
	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void loadgen_child_fail(int fd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3), noreturn));

static void
loadgen_child_fail(int fd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "loadgen[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	loadgen_report(fd, 'E');
	_exit(1);
}

/* Hold n extra descriptors: /dev/null and unix socket pairs, half each. */
static void
loadgen_filler(int rfd, unsigned n)
{
	int nul, sv[2];
	unsigned i;

	if (n == 0)
		return;
	if ((nul = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		loadgen_child_fail(rfd, "/dev/null: %s", strerror(errno));
	for (i = 1; i < n; i++) {
		if (i % 2 == 1 && i + 1 < n) {
			if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
				loadgen_child_fail(rfd, "socketpair: %s", strerror(errno));
			i++;
		} else if (fcntl(nul, F_DUPFD_CLOEXEC, 0) < 0)
			loadgen_child_fail(rfd, "dup: %s", strerror(errno));
	}
}

static enum loadgen_kind
loadgen_kind_of(unsigned g)
{
	return (enum loadgen_kind)(g % LOADGEN_NKINDS);
}

static bool
loadgen_is_tcp(unsigned g)
{
	return loadgen_kind_of(g) != LOADGEN_UDP;
}

/* The global index of TCP listener t (in global order). */
static unsigned
loadgen_tcp_index(unsigned t)
{
	/* Three of every four listeners are TCP. */
	return t / 3 * LOADGEN_NKINDS + t % 3;
}

static unsigned
loadgen_ntcp(const struct loadgen_opts *o)
{
	unsigned total = o->servers * o->listeners, n = 0, g;

	for (g = 0; g < total; g++)
		n += loadgen_is_tcp(g);
	return n;
}

/* Connections aimed at server p. */
static unsigned
loadgen_expected(const struct loadgen_opts *o, unsigned p)
{
	unsigned ntcp = loadgen_ntcp(o), t, n = 0;

	if (ntcp == 0)
		return 0;
	for (t = 0; t < ntcp; t++) {
		unsigned per = o->conns / ntcp + (t < o->conns % ntcp);

		if (loadgen_tcp_index(t) / o->listeners == p)
			n += per;
	}
	return n;
}

/* A bound (and for TCP, listening) socket for listener g; exits the child on failure. */
static int
loadgen_listener(int rfd, const struct loadgen_opts *o, unsigned g, int backlog)
{
	enum loadgen_kind k = loadgen_kind_of(g);
	uint16_t port = (uint16_t)(o->port_base + g);
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	int one = 1, zero = 0, fd, family, type;
	bool v6 = k == LOADGEN_TCP6_DUAL || (k == LOADGEN_UDP && g / LOADGEN_NKINDS % 2 == 1);

	family = v6 ? AF_INET6 : AF_INET;
	type = (k == LOADGEN_UDP ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC | SOCK_NONBLOCK;
	if ((fd = socket(family, type, 0)) < 0)
		loadgen_child_fail(rfd, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (v6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
		memset(&a6, 0, sizeof a6);
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons(port);
		a6.sin6_addr = in6addr_any;
		if (bind(fd, (struct sockaddr *)&a6, sizeof a6) < 0)
			loadgen_child_fail(rfd, "bind [::]:%u: %s", port, strerror(errno));
	} else {
		memset(&a4, 0, sizeof a4);
		a4.sin_family = AF_INET;
		a4.sin_port = htons(port);
		a4.sin_addr.s_addr =
		        htonl(k == LOADGEN_TCP4_LOOPBACK ? INADDR_LOOPBACK : INADDR_ANY);
		if (bind(fd, (struct sockaddr *)&a4, sizeof a4) < 0)
			loadgen_child_fail(rfd, "bind port %u: %s", port, strerror(errno));
	}
	if (k != LOADGEN_UDP && listen(fd, backlog) < 0)
		loadgen_child_fail(rfd, "listen port %u: %s", port, strerror(errno));
	return fd;
}

static void
loadgen_on_usr1(int sig)
{
	(void)sig;
	loadgen_more++;
}

/* A TCP listener on 127.0.0.1, port base + g, never accepted from: 0 or -1 with errno. */
static int
loadgen_extra_listener(const struct loadgen_opts *o, unsigned g)
{
	struct sockaddr_in a4;
	int fd, one = 1;

	if (o->port_base + g > 65535) {
		errno = ERANGE;
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a4, 0, sizeof a4);
	a4.sin_family = AF_INET;
	a4.sin_port = htons((uint16_t)(o->port_base + g));
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a4, sizeof a4) < 0 || listen(fd, 128) < 0) {
		close(fd);
		return -1;
	}
	return 0;
}

/* Server p: its listeners, then accept forever, holding every accepted socket. */
static void __attribute__((noreturn))
loadgen_server(int rfd, const struct loadgen_opts *o, unsigned p)
{
	struct pollfd *pfd = calloc(o->listeners, sizeof *pfd);
	unsigned expected = loadgen_expected(o, p), accepted = 0, l, n = 0;
	unsigned extra = 0;
	struct sigaction sa;
	bool done = false;
	int fd;

	if (pfd == NULL)
		loadgen_child_fail(rfd, "out of memory");
	prctl(PR_SET_NAME, "lg-server");
	/* No SA_RESTART: the signal ends the poll below. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loadgen_on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (l = 0; l < o->listeners; l++) {
		unsigned g = p * o->listeners + l;

		fd = loadgen_listener(rfd, o, g, 65535);
		if (loadgen_is_tcp(g)) {
			pfd[n].fd = fd;
			pfd[n++].events = POLLIN;
		}
	}
	loadgen_filler(rfd, o->filler);
	loadgen_report(rfd, 'L');
	for (;;) {
		if (!done && accepted >= expected) {
			loadgen_report(rfd, 'A');
			done = true;
		}
		while (loadgen_more > 0) {
			/* Listeners of all servers end at port base + P * L - 1. */
			loadgen_more--;
			if (loadgen_extra_listener(o, o->servers * o->listeners + extra++) < 0)
				fprintf(stderr, "loadgen: extra listener: %s\n", strerror(errno));
		}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			loadgen_child_fail(rfd, "poll: %s", strerror(errno));
		}
		for (l = 0; l < n; l++) {
			if (!(pfd[l].revents & POLLIN))
				continue;
			while ((fd = accept4(pfd[l].fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
				accepted++;
			if (errno == EMFILE || errno == ENFILE)
				loadgen_child_fail(rfd, "accept: %s after %u connections",
				        strerror(errno), accepted);
		}
	}
}

/* One blocking connect to port (over IPv6 ::1 when v6); the fd, or -errno. */
static int
loadgen_connect(uint16_t port, bool v6)
{
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	int fd, r;

	if ((fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (v6) {
		memset(&a6, 0, sizeof a6);
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons(port);
		a6.sin6_addr = in6addr_loopback;
		r = connect(fd, (struct sockaddr *)&a6, sizeof a6);
	} else {
		memset(&a4, 0, sizeof a4);
		a4.sin_family = AF_INET;
		a4.sin_port = htons(port);
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		r = connect(fd, (struct sockaddr *)&a4, sizeof a4);
	}
	if (r < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* Client k: connections [first, last), held open. */
static void __attribute__((noreturn))
loadgen_client(int rfd, const struct loadgen_opts *o, unsigned first, unsigned last)
{
	unsigned ntcp = loadgen_ntcp(o), j, g;
	int r;

	prctl(PR_SET_NAME, "lg-client");
	loadgen_filler(rfd, o->filler);
	for (j = first; j < last; j++) {
		g = loadgen_tcp_index(j % ntcp);
		r = loadgen_connect((uint16_t)(o->port_base + g),
		        loadgen_kind_of(g) == LOADGEN_TCP6_DUAL && j / ntcp % 2 == 0);
		if (r == -EINTR) {
			j--;
			continue;
		}
		if (r < 0)
			loadgen_child_fail(
			        rfd, "connect to port %u: %s", o->port_base + g, strerror(-r));
	}
	loadgen_report(rfd, 'C');
	for (;;)
		pause();
}

/* A listener (port base - 1) that never accepts, and n connections waiting in its queue. */
static void __attribute__((noreturn)) loadgen_queue(int rfd, const struct loadgen_opts *o)
{
	uint16_t port = (uint16_t)(o->port_base - 1);
	struct sockaddr_in a4;
	struct pollfd pfd;
	unsigned i;
	int lfd, fd, one = 1;

	prctl(PR_SET_NAME, "lg-queue");
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		loadgen_child_fail(rfd, "socket: %s", strerror(errno));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a4, 0, sizeof a4);
	a4.sin_family = AF_INET;
	a4.sin_port = htons(port);
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a4, sizeof a4) < 0 || listen(lfd, (int)o->queue) < 0)
		loadgen_child_fail(rfd, "listen 127.0.0.1:%u: %s", port, strerror(errno));
	/* The kernel queues backlog + 1 before it drops SYNs: stay within that. */
	for (i = 0; i < o->queue; i++) {
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
			loadgen_child_fail(rfd, "socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&a4, sizeof a4) < 0 && errno != EINPROGRESS)
			loadgen_child_fail(rfd, "connect to the queue: %s", strerror(errno));
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 5000) != 1)
			loadgen_child_fail(rfd, "queued connection %u did not complete", i);
	}
	loadgen_report(rfd, 'Q');
	for (;;)
		pause();
}

/* --- the parent --------------------------------------------------------------------------- */

static void
loadgen_on_signal(int sig)
{
	if (sig == SIGUSR1) {
		if (loadgen_nkids > 0)
			kill(loadgen_kids[0], SIGUSR1);
		return;
	}
	loadgen_stop = sig;
}

static pid_t
loadgen_spawn(int rfd_w, int rfd_r, pid_t parent)
{
	pid_t pid = fork();

	if (pid < 0)
		loadgen_die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(rfd_r);
		loadgen_child_init(parent);
		return 0;
	}
	loadgen_kids[loadgen_nkids++] = pid;
	return pid;
}

static void
loadgen_reap_all(void)
{
	size_t i;

	for (i = 0; i < loadgen_nkids; i++)
		kill(loadgen_kids[i], SIGKILL);
	for (i = 0; i < loadgen_nkids; i++)
		while (waitpid(loadgen_kids[i], NULL, 0) < 0 && errno == EINTR)
			;
	loadgen_nkids = 0;
}

/* Report bytes read so far, by kind: one wait may read the reports another waits for. */
static unsigned loadgen_got[256];

/*
 * Read report bytes until want of kind have come; false on a child's 'E', a signal, a dead
 * child (EOF cannot happen: we hold the write end) or the timeout.
 */
static bool
loadgen_wait(int rfd, unsigned want, char kind, const char *what)
{
	struct timespec start, now;
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	unsigned char c;
	int r, status;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (loadgen_got[(unsigned char)kind] < want) {
		if (loadgen_stop)
			return false;
		if (waitpid(-1, &status, WNOHANG) > 0) {
			fprintf(stderr, "loadgen: a child exited while waiting for %s\n", what);
			return false;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > LOADGEN_READY_TIMEOUT_S) {
			fprintf(stderr, "loadgen: timed out waiting for %s (%u of %u)\n", what,
			        loadgen_got[(unsigned char)kind], want);
			return false;
		}
		r = poll(&pfd, 1, 200);
		if (r <= 0)
			continue;
		if (read(rfd, &c, 1) != 1)
			continue;
		if (c == 'E')
			return false;
		loadgen_got[c]++;
	}
	return true;
}

static void
loadgen_write_ready(const struct loadgen_opts *o, unsigned nclients)
{
	char tmp[PATH_MAX];
	FILE *fp;
	size_t i;

	if (o->ready == NULL)
		return;
	if (snprintf(tmp, sizeof tmp, "%s.tmp", o->ready) >= (int)sizeof tmp)
		loadgen_die("ready path too long");
	if ((fp = fopen(tmp, "we")) == NULL)
		loadgen_die("%s: %s", tmp, strerror(errno));
	fprintf(fp, "pid=%d\n", (int)getpid());
	fprintf(fp, "servers=%u\nclients=%u\n", o->servers, nclients);
	fprintf(fp, "listeners=%u\ntcp_listeners=%u\n", o->servers * o->listeners + (o->queue > 0),
	        loadgen_ntcp(o) + (o->queue > 0));
	fprintf(fp, "conns=%u\nqueued=%u\nfiller=%u\n", o->conns, o->queue, o->filler);
	/* Every TCP socket made: listeners, both ends of each connection, queued pairs. */
	fprintf(fp, "tcp_sockets=%u\n",
	        loadgen_ntcp(o) + 2 * o->conns + (o->queue > 0 ? 1 + 2 * o->queue : 0));
	fputs("pids=", fp);
	for (i = 0; i < loadgen_nkids; i++)
		fprintf(fp, "%s%d", i > 0 ? "," : "", (int)loadgen_kids[i]);
	fputc('\n', fp);
	if (fclose(fp) != 0 || rename(tmp, o->ready) != 0)
		loadgen_die("%s: %s", o->ready, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct loadgen_opts o;
	struct sigaction sa;
	sigset_t block, old;
	unsigned long nofile;
	unsigned nclients, p, k, first, last, per_server;
	pid_t parent = getpid();
	int pipefd[2];
	bool ok;

	loadgen_parse(argc, argv, &o);
	if (o.unshare && unshare(CLONE_NEWNET) < 0)
		loadgen_die("unshare(CLONE_NEWNET): %s (needs root)", strerror(errno));
	loadgen_lo_up();
	/* Room for every listener's queue while the servers catch up (this namespace only). */
	loadgen_sysctl("/proc/sys/net/core/somaxconn", "65535");
	loadgen_sysctl("/proc/sys/net/ipv4/tcp_max_syn_backlog", "65535");

	nofile = loadgen_raise_nofile();
	nclients = (o.conns + o.per_client - 1) / o.per_client;
	per_server = 0;
	for (p = 0; p < o.servers; p++)
		if (loadgen_expected(&o, p) > per_server)
			per_server = loadgen_expected(&o, p);
	if ((unsigned long)per_server + o.listeners + o.filler + LOADGEN_FD_MARGIN > nofile)
		loadgen_die("a server would hold %u sockets but may open only %lu: add --servers",
		        per_server + o.listeners + o.filler, nofile);
	if ((unsigned long)o.per_client + o.filler + LOADGEN_FD_MARGIN > nofile)
		loadgen_die("a client may open only %lu descriptors: lower --per-client", nofile);

	loadgen_kids = calloc(o.servers + nclients + 1, sizeof *loadgen_kids);
	if (loadgen_kids == NULL)
		loadgen_die("out of memory");
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		loadgen_die("pipe: %s", strerror(errno));

	/* Signals wait until the children are tracked; then they end the wait loops. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loadgen_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR1);

	ok = true;
	sigprocmask(SIG_BLOCK, &block, &old);
	for (p = 0; p < o.servers; p++)
		if (loadgen_spawn(pipefd[1], pipefd[0], parent) == 0)
			loadgen_server(pipefd[1], &o, p);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ok = loadgen_wait(pipefd[0], o.servers, 'L', "the listeners");

	for (k = 0; ok && k < nclients; k++) {
		first = k * o.per_client;
		last = first + o.per_client < o.conns ? first + o.per_client : o.conns;
		sigprocmask(SIG_BLOCK, &block, &old);
		if (loadgen_spawn(pipefd[1], pipefd[0], parent) == 0)
			loadgen_client(pipefd[1], &o, first, last);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (ok && o.queue > 0) {
		sigprocmask(SIG_BLOCK, &block, &old);
		if (loadgen_spawn(pipefd[1], pipefd[0], parent) == 0)
			loadgen_queue(pipefd[1], &o);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	ok = ok && loadgen_wait(pipefd[0], nclients, 'C', "the connections");
	ok = ok && loadgen_wait(pipefd[0], o.servers, 'A', "the accepts");
	ok = ok && (o.queue == 0 || loadgen_wait(pipefd[0], 1, 'Q', "the accept queue"));

	if (ok) {
		loadgen_write_ready(&o, nclients);
		sigprocmask(SIG_BLOCK, &block, &old);
		while (!loadgen_stop)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	loadgen_reap_all();
	if (o.ready != NULL)
		unlink(o.ready);
	return ok ? 0 : 1;
}
