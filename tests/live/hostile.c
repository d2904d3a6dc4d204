/* hostile.c — a listener process whose name and command line are whatever a test wants. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * usage: hostile listen PORT READY [COMMFILE [ARGVFILE]]
 *        hostile empty PORT READY
 *        hostile leader PORT READY
 *
 * Each listens on 127.0.0.1:PORT, writes its pid to READY (atomically) and waits for SIGTERM.
 * listen: re-executes itself with the NUL-separated arguments of ARGVFILE as its whole argv
 * (any bytes, any length the kernel takes) and then names itself with the bytes of COMMFILE.
 * empty: re-executes itself with an empty argv, so its command line is empty.
 * Both listen only once re-executed and named: no sample can see the socket held under the
 * command line they start with.
 * leader: the main thread exits and a second thread keeps the socket: the process is led by a
 * zombie (state Z, empty command line) that still owns a listener.
 * Exit status 2 on any setup failure, with the reason on stderr.
 */

#define HOSTILE_ENV_READY "HOSTILE_READY"
#define HOSTILE_ENV_COMM "HOSTILE_COMM"
#define HOSTILE_ENV_PORT "HOSTILE_PORT"

static void
die(const char *what)
{
	fprintf(stderr, "hostile: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* The whole file in a malloc'd buffer with a NUL after it, its length in *len. */
static char *
slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || buf == NULL)
		die(path);
	while ((r = read(fd, buf + n, cap - 1 - n)) > 0) {
		n += (size_t)r;
		if (n == cap - 1 && (buf = realloc(buf, cap *= 2)) == NULL)
			die("realloc");
	}
	if (r < 0)
		die(path);
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
listen_on(const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int one = 1, s;

	sin.sin_port = htons((uint16_t)atoi(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(s, 16) < 0)
		die("bind/listen");
}

static void
ready(const char *path)
{
	char tmp[4096], line[32];
	int fd, n;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	n = snprintf(line, sizeof line, "%d\n", (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0)
		die(path);
}

static void
wait_forever(void)
{
	for (;;)
		pause();
}

static void *
hold(void *arg)
{
	(void)arg;
	wait_forever();
	return NULL;
}

/* After the re-exec: take the name, listen, report ready, wait. */
static int
stage2(void)
{
	const char *commfile = getenv(HOSTILE_ENV_COMM);
	char comm[16] = "";
	size_t len = 0;
	char *c;

	if (commfile != NULL && *commfile != '\0') {
		c = slurp(commfile, &len);
		memcpy(comm, c, len < 15 ? len : 15);
		free(c);
		if (prctl(PR_SET_NAME, comm, 0, 0, 0) < 0)
			die("PR_SET_NAME");
	}
	listen_on(getenv(HOSTILE_ENV_PORT));
	ready(getenv(HOSTILE_ENV_READY));
	wait_forever();
	return 0;
}

static void
reexec(char **argv)
{
	execv("/proc/self/exe", argv);
	die("execv /proc/self/exe");
}

int
main(int argc, char **argv)
{
	static char *empty[] = { NULL };
	char *buf, **args;
	size_t len, n, i, k;
	pthread_t t;

	if (getenv(HOSTILE_ENV_READY) != NULL)
		return stage2();
	if (argc < 4) {
		fprintf(stderr,
		        "usage: hostile listen|empty|leader PORT READY [COMMFILE [ARGVFILE]]\n");
		return 2;
	}
	if (strcmp(argv[1], "leader") == 0) {
		listen_on(argv[2]);
		if (pthread_create(&t, NULL, hold, NULL) != 0)
			die("pthread_create");
		ready(argv[3]);
		pthread_exit(NULL);
	}
	setenv(HOSTILE_ENV_READY, argv[3], 1);
	setenv(HOSTILE_ENV_PORT, argv[2], 1);
	if (strcmp(argv[1], "empty") == 0)
		reexec(empty);
	if (strcmp(argv[1], "listen") != 0) {
		fprintf(stderr, "hostile: unknown mode %s\n", argv[1]);
		return 2;
	}
	if (argc > 4)
		setenv(HOSTILE_ENV_COMM, argv[4], 1);
	if (argc <= 5)
		reexec(argv);
	buf = slurp(argv[5], &len);
	for (n = 0, i = 0; i < len; i++)
		n += buf[i] == '\0';
	if (len > 0 && buf[len - 1] != '\0')
		n++;
	if ((args = calloc(n + 1, sizeof *args)) == NULL)
		die("calloc");
	/* The last argument may lack its NUL: slurp put one after the file. */
	for (i = 0, k = 0; k < n; k++) {
		args[k] = buf + i;
		i += strlen(buf + i) + 1;
	}
	reexec(args);
	return 2;
}
