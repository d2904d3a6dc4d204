/* check_procnet.c — the /proc/net/{tcp,tcp6,udp,udp6} reader on fixture text and live. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "porttop/model.h"
#include "porttop/procnet.h"
#include "porttop/sockdiag.h"
#include "unit.h"

/*
 * The kernel prints each 32-bit word of an address as a host-order integer, so the text
 * depends on the byte order of the machine that wrote it. These are the words as a
 * little-endian kernel (x86-64, arm64) prints them, and as a big-endian one would.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define V4_LOOPBACK "0100007F"
#define V4_10_0_0_2 "0200000A"
#define V6_LOOPBACK "00000000000000000000000001000000"
#define V6_MAPPED_LOOPBACK "0000000000000000FFFF00000100007F"
#define V6_DOC "B80D0120000000000000000042000000" /* 2001:db8::42 */
#else
#define V4_LOOPBACK "7F000001"
#define V4_10_0_0_2 "0A000002"
#define V6_LOOPBACK "00000000000000000000000000000001"
#define V6_MAPPED_LOOPBACK "00000000000000000000FFFF7F000001"
#define V6_DOC "20010DB8000000000000000000000042"
#endif
#define V4_ANY "00000000"
#define V6_ANY "00000000000000000000000000000000"

#define TCP_HEADING                                                                                \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "      \
	"timeout inode                                                     \n"

/*
 * As Linux 6.18 writes /proc/net/tcp: a listener, its connection both ways, a TIME_WAIT.
 * The listener's tx_queue is made non-zero to show it is not taken for a backlog.
 */
static const char tcp_text[] = TCP_HEADING
	"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0A 00000001:00000003 00:00000000 00000000  "
	"1000        0 16632 1 0000000000000000 100 0 0 10 0                     \n"
	"   1: " V4_LOOPBACK ":1F90 " V4_10_0_0_2
	":D431 01 00000010:00000020 02:000000F4 00000000  "
	"1000        0 16700 1 0000000000000000 20 4 30 10 -1                    \n"
	"   2: " V4_10_0_0_2 ":D431 " V4_LOOPBACK
	":1F90 01 00000000:00000000 00:00000000 00000000  "
	"   0        0 16701 1 0000000000000000 20 4 30 10 -1                    \n"
	"   3: " V4_LOOPBACK ":D432 " V4_LOOPBACK
	":1F90 06 00000000:00000000 03:00001770 00000000  "
	"   0        0 0 3 0000000000000000                                      \n";

static const char tcp6_text[] = TCP_HEADING
	"   0: " V6_LOOPBACK ":0277 " V6_ANY ":0000 0A 00000000:00000000 00:00000000 00000000     "
	"0        0 20001 1 0000000000000000 100 0 0 10 0\n"
	"   1: " V6_ANY ":01BB " V6_ANY ":0000 0A 00000000:00000000 00:00000000 00000000     "
	"0        0 20002 1 0000000000000000 100 0 0 10 0\n"
	"   2: " V6_MAPPED_LOOPBACK ":01BB " V6_MAPPED_LOOPBACK ":C000 01 00000000:00000000 "
	"00:00000000 00000000    33        0 20003 1 0000000000000000 20 4 1 10 -1\n"
	"   3: " V6_DOC ":01BB " V6_DOC ":C001 0C 00000000:00000000 00:00000000 00000000    33 "
	"       0 0 1 0000000000000000\n";

static const char udp_text[] =
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	"timeout inode ref pointer drops             \n"
	"  512: " V4_ANY ":0035 " V4_ANY ":0000 07 00000000:00000000 00:00000000 00000000   101 "
	"       0 31000 2 0000000000000000 0         \n"
	"  770: " V4_LOOPBACK ":D433 " V4_LOOPBACK ":0035 01 00000000:00000100 00:00000000 00000000"
	"     0        0 31001 2 0000000000000000 5          \n";

static const uint8_t lo4[16] = { 127, 0, 0, 1 };
static const uint8_t ten2[16] = { 10, 0, 0, 2 };
static const uint8_t lo6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t mapped_lo[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
static const uint8_t doc6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42 };
static const uint8_t zero16[16];

static int
parse(const char *text, unsigned proto, unsigned family, unsigned what, struct pt_sockvec *out,
	unsigned *bad)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	int r;

	/* Exactly the text, no NUL after it: AddressSanitizer catches any read past the end. */
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	r = procnet_parse(copy, len, proto, family, what, out, bad);
	free(copy);
	return r;
}

START_TEST(test_tcp_table_gives_listener_connections_and_time_wait)
{
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	ck_assert_int_eq(parse(tcp_text, PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_ALL, &sv, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(sv.len, 4);

	ck_assert_uint_eq(sv.v[0].proto, PT_PROTO_TCP);
	ck_assert_uint_eq(sv.v[0].family, PT_FAMILY_IPV4);
	ck_assert_uint_eq(sv.v[0].state, PT_STATE_LISTEN);
	ck_assert_mem_eq(sv.v[0].laddr, lo4, 16);
	ck_assert_uint_eq(sv.v[0].lport, 8080);
	ck_assert_mem_eq(sv.v[0].paddr, zero16, 16);
	ck_assert_uint_eq(sv.v[0].pport, 0);
	ck_assert_uint_eq(sv.v[0].rqueue, 3); /* the accept queue */
	ck_assert_uint_eq(sv.v[0].wqueue, 0); /* the backlog: not in this table */
	ck_assert_uint_eq(sv.v[0].uid, 1000);
	ck_assert_uint_eq(sv.v[0].inode, 16632);
	ck_assert_uint_eq(sv.v[0].flags, PT_SOCK_PROCNET);
	ck_assert_uint_eq(sv.v[0].cookie, 0);

	ck_assert_uint_eq(sv.v[1].state, PT_STATE_ESTABLISHED);
	ck_assert_mem_eq(sv.v[1].paddr, ten2, 16);
	ck_assert_uint_eq(sv.v[1].pport, 54321);
	ck_assert_uint_eq(sv.v[1].wqueue, 0x10);
	ck_assert_uint_eq(sv.v[1].rqueue, 0x20);
	ck_assert_uint_eq(sv.v[1].inode, 16700);

	ck_assert_mem_eq(sv.v[2].laddr, ten2, 16);
	ck_assert_uint_eq(sv.v[2].uid, 0);

	ck_assert_uint_eq(sv.v[3].state, PT_STATE_TIME_WAIT);
	ck_assert_uint_eq(sv.v[3].inode, 0);
	sockvec_fini(&sv);
}
END_TEST

START_TEST(test_tcp6_words_are_host_order_integers_of_network_order_bytes)
{
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	ck_assert_int_eq(
		parse(tcp6_text, PT_PROTO_TCP, PT_FAMILY_IPV6, SOCKDIAG_ALL, &sv, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(sv.len, 4);
	ck_assert_uint_eq(sv.v[0].family, PT_FAMILY_IPV6);
	ck_assert_mem_eq(sv.v[0].laddr, lo6, 16);
	ck_assert_uint_eq(sv.v[0].lport, 631);
	ck_assert_mem_eq(sv.v[1].laddr, zero16, 16);
	ck_assert_uint_eq(sv.v[1].lport, 443);
	ck_assert_mem_eq(sv.v[2].laddr, mapped_lo, 16);
	ck_assert_mem_eq(sv.v[2].paddr, mapped_lo, 16);
	ck_assert_uint_eq(sv.v[2].pport, 0xC000);
	ck_assert_uint_eq(sv.v[2].uid, 33);
	ck_assert_mem_eq(sv.v[3].laddr, doc6, 16);
	/* v6only is not in this table: unknown, not guessed. */
	ck_assert_uint_eq(sv.v[0].flags, PT_SOCK_PROCNET);
	ck_assert_uint_eq(sv.v[1].flags, PT_SOCK_PROCNET);
	sockvec_fini(&sv);
}
END_TEST

START_TEST(test_request_socket_state_is_reported_as_syn_recv)
{
	struct pt_sockvec sv;

	sockvec_init(&sv);
	ck_assert_int_eq(
		parse(tcp6_text, PT_PROTO_TCP, PT_FAMILY_IPV6, SOCKDIAG_ALL, &sv, NULL), 0);
	ck_assert_uint_eq(sv.len, 4);
	ck_assert_uint_eq(sv.v[3].state, PT_STATE_SYN_RECV);
	ck_assert_uint_eq(sv.v[3].inode, 0);
	sockvec_fini(&sv);
}
END_TEST

START_TEST(test_udp_table_gives_bound_and_connected_sockets)
{
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	ck_assert_int_eq(parse(udp_text, PT_PROTO_UDP, PT_FAMILY_IPV4, SOCKDIAG_UDP, &sv, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(sv.len, 2);
	ck_assert_uint_eq(sv.v[0].proto, PT_PROTO_UDP);
	ck_assert_uint_eq(sv.v[0].state, PT_STATE_CLOSE);
	ck_assert_uint_eq(sv.v[0].lport, 53);
	ck_assert_uint_eq(sv.v[0].uid, 101);
	ck_assert_uint_eq(sv.v[0].inode, 31000);
	ck_assert_uint_eq(sv.v[1].state, PT_STATE_ESTABLISHED);
	ck_assert_uint_eq(sv.v[1].pport, 53);
	ck_assert_uint_eq(sv.v[1].rqueue, 0x100);
	sockvec_fini(&sv);
}
END_TEST

START_TEST(test_what_selects_listeners_or_connections_like_sockdiag)
{
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	parse(tcp_text, PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_TCP_LISTEN, &sv, &bad);
	ck_assert_uint_eq(bad, 0); /* lines not asked for are not malformed */
	ck_assert_uint_eq(sv.len, 1);
	ck_assert_uint_eq(sv.v[0].state, PT_STATE_LISTEN);
	sockvec_fini(&sv);

	sockvec_init(&sv);
	parse(tcp_text, PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_TCP_CONNS, &sv, NULL);
	ck_assert_uint_eq(sv.len, 3);
	ck_assert_uint_eq(sv.v[2].state, PT_STATE_TIME_WAIT);
	sockvec_fini(&sv);

	sockvec_init(&sv);
	parse(tcp_text, PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_UDP, &sv, NULL);
	parse(udp_text, PT_PROTO_UDP, PT_FAMILY_IPV4, SOCKDIAG_TCP_LISTEN, &sv, NULL);
	ck_assert_uint_eq(sv.len, 0);
	sockvec_fini(&sv);
}
END_TEST

static unsigned
bad_lines(const char *text, unsigned family)
{
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	ck_assert_int_eq(parse(text, PT_PROTO_TCP, family, SOCKDIAG_ALL, &sv, &bad), 0);
	ck_assert_uint_eq(sv.len, 0);
	sockvec_fini(&sv);
	return bad;
}

#define GOOD_TAIL " 0A 00000000:00000000 00:00000000 00000000  1000        0 16632 1 0 100\n"

START_TEST(test_malformed_lines_are_skipped_and_counted)
{
	/* Each line breaks the format in one place. */
	static const char *const lines[] = {
		"   0: " V4_LOOPBACK ":1F90\n",                          /* short */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0A\n",       /* short */
		"   0: 0100007G:1F90 " V4_ANY ":0000" GOOD_TAIL,         /* non-hex */
		"   0: 100007F:1F90 " V4_ANY ":0000" GOOD_TAIL,          /* 7 digits */
		"   0: 0100007F0:1F90 " V4_ANY ":0000" GOOD_TAIL,        /* 9 digits */
		"   0: " V4_LOOPBACK ":1F900 " V4_ANY ":0000" GOOD_TAIL, /* port > 16 bits */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":" GOOD_TAIL,      /* no port */
		"   0: " V4_LOOPBACK "-1F90 " V4_ANY ":0000" GOOD_TAIL,  /* no colon */
		"   0 " V4_LOOPBACK ":1F90 " V4_ANY ":0000" GOOD_TAIL,   /* slot colon */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 00 0:0 00:0 0 0 0 1\n",  /* state 0 */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0E 0:0 00:0 0 0 0 1\n",  /* state 14 */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 10A 0:0 00:0 0 0 0 1\n", /* 3 digits */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0A 100000000:0 00:0 0 0 0 1\n", /* tx */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY
		":0000 0A 0:0 00:0 0 4294967296 0 1\n", /* uid */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY
		":0000 0A 0:0 00:0 0 0 0 4294967296\n",                               /* inode */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0A 0:0 00:0 0 0 0 12x\n", /* inode */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0A 0:0 00:0 0 0 0\n",     /* no inode */
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000 0A 0:0 00:0 0 -1 0 1\n",  /* uid < 0 */
		"\xff\xfe garbage\n",
		"   0: " V6_LOOPBACK ":0277 " V4_ANY ":0000" GOOD_TAIL, /* an IPv6 address here */
	};
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(
			bad_lines(lines[i], PT_FAMILY_IPV4) == 1, "line %zu: %s", i, lines[i]);
	/* Text that ends inside an address (no newline): nothing past its end is read. */
	ck_assert_uint_eq(bad_lines("   0: 0100", PT_FAMILY_IPV4), 1);
	ck_assert_uint_eq(bad_lines("   0: " V4_LOOPBACK ":1F90 000000", PT_FAMILY_IPV4), 1);
	ck_assert_uint_eq(
		bad_lines("   0: " V6_LOOPBACK ":0277 0000000000000000000000", PT_FAMILY_IPV6), 1);
	/* An IPv4 address where IPv6 is expected. */
	ck_assert_uint_eq(
		bad_lines("   0: " V4_LOOPBACK ":1F90 " V6_ANY ":0000" GOOD_TAIL, PT_FAMILY_IPV6),
		1);
}
END_TEST

START_TEST(test_good_lines_around_bad_ones_are_kept)
{
	static const char text[] = TCP_HEADING
		"   0: " V4_LOOPBACK ":1F90 " V4_ANY ":0000" GOOD_TAIL "   1: " V4_LOOPBACK
		":1F91\n"
		"\n"
		"   2: " V4_LOOPBACK ":1F92 " V4_ANY ":0000" GOOD_TAIL "   3: junk\n"
		"   4: " V4_LOOPBACK ":1F93 " V4_ANY ":0000 0A 0:0 00:0 0 0 0 7"; /* no newline */
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	ck_assert_int_eq(parse(text, PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_ALL, &sv, &bad), 0);
	ck_assert_uint_eq(bad, 2);
	ck_assert_uint_eq(sv.len, 3);
	ck_assert_uint_eq(sv.v[0].lport, 0x1F90);
	ck_assert_uint_eq(sv.v[1].lport, 0x1F92);
	ck_assert_uint_eq(sv.v[2].lport, 0x1F93);
	ck_assert_uint_eq(sv.v[2].inode, 7);
	sockvec_fini(&sv);
}
END_TEST

START_TEST(test_empty_text_and_heading_alone_give_nothing)
{
	struct pt_sockvec sv;
	unsigned bad = 99;

	sockvec_init(&sv);
	ck_assert_int_eq(parse("", PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_ALL, &sv, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(
		parse(TCP_HEADING, PT_PROTO_TCP, PT_FAMILY_IPV4, SOCKDIAG_ALL, &sv, &bad), 0);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(sv.len, 0);
	sockvec_fini(&sv);
}
END_TEST

/* --- procnet_dump on a fake proc tree ---------------------------------------------------- */

static char fake_root[4096];

static void
fake_write(const char *name, const char *text)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof path, "%s/net/%s", fake_root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
fake_setup(void)
{
	char path[4200];

	snprintf(fake_root, sizeof fake_root, "%s/check_procnet.XXXXXX", unit_tmpdir());
	ck_assert_ptr_nonnull(mkdtemp(fake_root));
	snprintf(path, sizeof path, "%s/net", fake_root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void
fake_teardown(void)
{
	static const char *const names[] = { "tcp", "tcp6", "udp", "udp6" };
	char path[4200];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/net/%s", fake_root, names[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
	snprintf(path, sizeof path, "%s/net", fake_root);
	rmdir(path);
	rmdir(fake_root);
}

START_TEST(test_dump_reads_the_tables_what_asks_for_and_skips_missing_ones)
{
	struct pt_sockvec sv;

	fake_write("tcp", tcp_text);
	fake_write("udp", udp_text);
	/* no tcp6, no udp6: a kernel without IPv6 */
	sockvec_init(&sv);
	ck_assert_int_eq(procnet_dump(fake_root, SOCKDIAG_ALL, &sv), 0);
	ck_assert_uint_eq(sv.len, 6);
	ck_assert_uint_eq(sv.v[0].proto, PT_PROTO_TCP);
	ck_assert_uint_eq(sv.v[4].proto, PT_PROTO_UDP);
	sockvec_fini(&sv);

	fake_write("tcp6", tcp6_text);
	sockvec_init(&sv);
	ck_assert_int_eq(procnet_dump(fake_root, SOCKDIAG_TCP_LISTEN, &sv), 0);
	ck_assert_uint_eq(sv.len, 3);
	ck_assert_uint_eq(sv.v[0].family, PT_FAMILY_IPV4);
	ck_assert_uint_eq(sv.v[1].family, PT_FAMILY_IPV6);
	ck_assert_uint_eq(sv.v[2].family, PT_FAMILY_IPV6);
	sockvec_fini(&sv);
}
END_TEST

START_TEST(test_dump_reports_an_unreadable_table)
{
	struct pt_sockvec sv;
	char path[4200];

	/* A folder where the table should be: reading it fails with EISDIR. */
	snprintf(path, sizeof path, "%s/net/tcp", fake_root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	sockvec_init(&sv);
	ck_assert_int_eq(procnet_dump(fake_root, SOCKDIAG_TCP_LISTEN, &sv), -EISDIR);
	ck_assert_int_eq(procnet_dump(fake_root, SOCKDIAG_UDP, &sv), 0);
	sockvec_fini(&sv);
	rmdir(path);
}
END_TEST

/* --- live --------------------------------------------------------------------------------- */

/* A TCP listener on addr port 0 (backlog 5) and what sock_diag says about it. */
static void
live_compare(int family, const char *addr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct pt_sockvec pn, sd;
	const struct pt_sock *p = NULL, *d = NULL;
	struct sockdiag *diag;
	socklen_t len;
	struct stat st;
	size_t i;
	int fd;

	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		a4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, addr, &a4->sin_addr), 1);
		len = sizeof *a4;
	} else {
		a6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, addr, &a6->sin6_addr), 1);
		len = sizeof *a6;
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	ck_assert_int_eq(listen(fd, 5), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);

	sockvec_init(&pn);
	sockvec_init(&sd);
	ck_assert_int_eq(procnet_dump("/proc", SOCKDIAG_TCP_LISTEN, &pn), 0);
	diag = sockdiag_open();
	ck_assert_ptr_nonnull(diag);
	ck_assert_int_eq(sockdiag_dump(diag, SOCKDIAG_TCP_LISTEN, &sd, NULL), 0);
	sockdiag_close(diag);
	for (i = 0; i < pn.len; i++)
		if (pn.v[i].inode == st.st_ino)
			p = &pn.v[i];
	for (i = 0; i < sd.len; i++)
		if (sd.v[i].inode == st.st_ino)
			d = &sd.v[i];
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(p->family, family == AF_INET ? PT_FAMILY_IPV4 : PT_FAMILY_IPV6);
	ck_assert_uint_eq(p->family, d->family);
	ck_assert_uint_eq(p->state, PT_STATE_LISTEN);
	ck_assert_uint_eq(p->lport, ntohs(family == AF_INET ? a4->sin_port : a6->sin6_port));
	ck_assert_uint_eq(p->lport, d->lport);
	ck_assert_mem_eq(p->laddr, d->laddr, 16);
	if (family == AF_INET6)
		ck_assert_mem_eq(p->laddr, &a6->sin6_addr, 16);
	else
		ck_assert_mem_eq(p->laddr, &a4->sin_addr, 4);
	ck_assert_uint_eq(p->uid, d->uid);
	ck_assert_uint_eq(p->rqueue, d->rqueue);
	ck_assert_uint_eq(p->flags, PT_SOCK_PROCNET);
	sockvec_fini(&sd);
	sockvec_fini(&pn);
	close(fd);
}

START_TEST(test_live_ipv6_loopback_listener_matches_sockdiag)
{
	live_compare(AF_INET6, "::1");
}
END_TEST

START_TEST(test_live_ipv4_loopback_listener_matches_sockdiag)
{
	live_compare(AF_INET, "127.0.0.1");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("procnet");
	TCase *tc = tcase_create("parse");
	TCase *fake = tcase_create("fake proc");
	TCase *live = tcase_create("live");

	tcase_add_test(tc, test_tcp_table_gives_listener_connections_and_time_wait);
	tcase_add_test(tc, test_tcp6_words_are_host_order_integers_of_network_order_bytes);
	tcase_add_test(tc, test_request_socket_state_is_reported_as_syn_recv);
	tcase_add_test(tc, test_udp_table_gives_bound_and_connected_sockets);
	tcase_add_test(tc, test_what_selects_listeners_or_connections_like_sockdiag);
	tcase_add_test(tc, test_malformed_lines_are_skipped_and_counted);
	tcase_add_test(tc, test_good_lines_around_bad_ones_are_kept);
	tcase_add_test(tc, test_empty_text_and_heading_alone_give_nothing);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(fake, fake_setup, fake_teardown);
	tcase_add_test(fake, test_dump_reads_the_tables_what_asks_for_and_skips_missing_ones);
	tcase_add_test(fake, test_dump_reports_an_unreadable_table);
	suite_add_tcase(s, fake);

	tcase_add_test(live, test_live_ipv6_loopback_listener_matches_sockdiag);
	tcase_add_test(live, test_live_ipv4_loopback_listener_matches_sockdiag);
	suite_add_tcase(s, live);
	return s;
}
