/* no_sockdiag.c — run a program in which netlink sock_diag sockets cannot be opened. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>

/*
 * usage: no_sockdiag EPROTONOSUPPORT|EACCES PROGRAM [ARG]...
 *
 * Installs a seccomp filter under which socket(AF_NETLINK, *, NETLINK_SOCK_DIAG) fails with
 * the given errno (as in a container whose profile refuses it), everything else is allowed,
 * then executes PROGRAM. Exit 77 on an architecture it has no filter for, 2 on setup errors.
 */

#if defined(__x86_64__)
#define NO_SOCKDIAG_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NO_SOCKDIAG_ARCH AUDIT_ARCH_AARCH64
#endif

int
main(int argc, char **argv)
{
#ifdef NO_SOCKDIAG_ARCH
	/* The low 32 bits of a 64-bit argument, on a little-endian machine. */
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NO_SOCKDIAG_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NETLINK_SOCK_DIAG, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO), /* | errno, set below */
	};
	struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: no_sockdiag EPROTONOSUPPORT|EACCES PROGRAM [ARG]...\n");
		return 2;
	}
	if (strcmp(argv[1], "EPROTONOSUPPORT") == 0)
		err = EPROTONOSUPPORT;
	else if (strcmp(argv[1], "EACCES") == 0)
		err = EACCES;
	else {
		fprintf(stderr, "no_sockdiag: unknown errno %s\n", argv[1]);
		return 2;
	}
	filter[sizeof filter / sizeof filter[0] - 1].k = SECCOMP_RET_ERRNO | (unsigned)err;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
		fprintf(stderr, "no_sockdiag: seccomp: %s\n", strerror(errno));
		return 2;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "no_sockdiag: %s: %s\n", argv[2], strerror(errno));
	return 2;
#else
	(void)argc;
	(void)argv;
	printf("SKIP: no seccomp filter for this architecture\n");
	return 77;
#endif
}
