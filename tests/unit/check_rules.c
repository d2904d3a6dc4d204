/* check_rules.c — expected-service rules: parsing, messages, matching, rules for a listener. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "porttop/addr.h"
#include "porttop/fileio.h"
#include "porttop/model.h"
#include "porttop/rules.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "unit.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A listener row as snapshot_build would make one; only what the rules read matters. */
static struct pt_listener *
make_listener(unsigned proto, const char *addr, uint16_t port, uint32_t uid)
{
	static struct pt_listener l;
	unsigned family;

	memset(&l, 0, sizeof l);
	l.key.proto = (uint8_t)proto;
	ck_assert_msg(addr_parse(addr, &family, l.key.addr) == 0, "bad test address %s", addr);
	l.key.family = (uint8_t)family;
	l.key.port = port;
	l.uid = uid;
	return &l;
}

static struct pt_proc
make_proc(const char *comm, const char *user, uint32_t uid, const char *cmdline)
{
	struct pt_proc p;

	memset(&p, 0, sizeof p);
	p.pid = 100;
	p.uid = uid;
	p.comm = (char *)(uintptr_t)comm; /* borrowed: never freed here */
	p.user = (char *)(uintptr_t)user;
	p.cmdline = (char *)(uintptr_t)cmdline;
	return p;
}

/* A rule set from text that must parse without errors. */
static struct pt_rules *
rules_of(const char *text)
{
	struct pt_rules *r = rules_new();
	struct strbuf err = STRBUF_INIT;

	ck_assert_msg(rules_parse(r, text, strlen(text), "t", &err) == 0, "%s: %s", text,
		strbuf_str(&err));
	strbuf_fini(&err);
	return r;
}

/* The one message a single bad line produces. */
static void
assert_bad(const char *line, size_t len, const char *message)
{
	struct pt_rules *r = rules_new();
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(rules_parse(r, line, len, "f", &err), 1);
	ck_assert_str_eq(strbuf_str(&err), message);
	ck_assert_uint_eq(rules_count(r), 0);
	strbuf_fini(&err);
	rules_free(r);
}
#define BAD(line, message) assert_bad((line), strlen(line), (message))

START_TEST(test_examples_parse_into_canonical_text_with_origins)
{
	static const char text[] = "# expected services\n"
				   "tcp *:22 sshd\n"
				   "\n"
				   "udp 0.0.0.0:5353 avahi-daemon\n"
				   "   \t  \n"
				   "tcp *:8000-8100 user=alice\n"
				   "* [::1]:53\n"
				   "tcp [::]:443 /usr/sbin/nginx\n"
				   "tcp *:9090 uid=1000";
	static const char *const want[][2] = {
		{ "tcp *:22 sshd", "/etc/porttop/expected.conf:2" },
		{ "udp 0.0.0.0:5353 avahi-daemon", "/etc/porttop/expected.conf:4" },
		{ "tcp *:8000-8100 user=alice", "/etc/porttop/expected.conf:6" },
		{ "* [::1]:53", "/etc/porttop/expected.conf:7" },
		{ "tcp [::]:443 /usr/sbin/nginx", "/etc/porttop/expected.conf:8" },
		{ "tcp *:9090 uid=1000", "/etc/porttop/expected.conf:9" },
	};
	struct pt_rules *r = rules_new();
	struct strbuf err = STRBUF_INIT;
	size_t i;

	ck_assert_int_eq(
		rules_parse(r, text, strlen(text), "/etc/porttop/expected.conf", &err), 0);
	ck_assert_str_eq(strbuf_str(&err), "");
	ck_assert_uint_eq(rules_count(r), NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		ck_assert_str_eq(rules_text(r, i), want[i][0]);
		ck_assert_str_eq(rules_origin(r, i), want[i][1]);
	}
	ck_assert_ptr_null(rules_text(r, NELEM(want)));
	ck_assert_ptr_null(rules_origin(r, NELEM(want)));
	strbuf_fini(&err);
	rules_free(r);
}
END_TEST

START_TEST(test_whitespace_comments_and_crlf_are_tolerated)
{
	static const char text[] = "\ttcp\t\t*:22   sshd   # the ssh daemon\r\n"
				   "udp *:0053-53#dns\n"
				   "  # indented comment\n"
				   "* 192.0.2.1:80 sshd user=alice \t \n"
				   "tcp *:81 user=alice sshd\n"
				   "tcp [2001:DB8:0:0::1]:443\n"
				   "tcp [::ffff:192.0.2.7]:8443\n";
	struct pt_rules *r = rules_of(text);

	ck_assert_uint_eq(rules_count(r), 6);
	ck_assert_str_eq(rules_text(r, 0), "tcp *:22 sshd");
	ck_assert_str_eq(rules_text(r, 1), "udp *:53");
	ck_assert_str_eq(rules_text(r, 2), "* 192.0.2.1:80 sshd user=alice");
	ck_assert_str_eq(rules_origin(r, 2), "t:4");
	ck_assert_str_eq(rules_text(r, 3), "tcp *:81 sshd user=alice");
	ck_assert_str_eq(rules_text(r, 4), "tcp [2001:db8::1]:443");
	ck_assert_str_eq(rules_text(r, 5), "tcp 192.0.2.7:8443"); /* mapped: the IPv4 address */
	rules_free(r);
}
END_TEST

START_TEST(test_quoted_fields_hold_spaces_hashes_and_escapes)
{
	static const char text[] = "tcp *:1 \"Web Content\"\n"
				   "tcp *:2 \"a#b\" # comment\n"
				   "tcp *:3 \"user=x\"\n"
				   "tcp *:4 \"q\\\"\\\\\\x1b\"\n"
				   "tcp *:5 sp\"lit \"name\n"
				   "tcp *:6 user=\"John Doe\"\n"
				   "tcp *:7 caf\xc3\xa9\n"
				   "tcp \"*:8\" \"sshd\"\n";
	struct pt_rules *r = rules_of(text);

	ck_assert_uint_eq(rules_count(r), 8);
	ck_assert_str_eq(rules_text(r, 0), "tcp *:1 \"Web Content\"");
	ck_assert_str_eq(rules_text(r, 1), "tcp *:2 \"a#b\"");
	ck_assert_str_eq(rules_text(r, 2), "tcp *:3 \"user=x\"");
	ck_assert_str_eq(rules_text(r, 3), "tcp *:4 \"q\\\"\\\\\\x1b\"");
	ck_assert_str_eq(rules_text(r, 4), "tcp *:5 \"split name\"");
	ck_assert_str_eq(rules_text(r, 5), "tcp *:6 user=\"John Doe\"");
	ck_assert_str_eq(rules_text(r, 6), "tcp *:7 \"caf\\xc3\\xa9\""); /* printable ASCII only */
	ck_assert_str_eq(rules_text(r, 7), "tcp *:8 sshd");
	rules_free(r);
}
END_TEST

START_TEST(test_bad_protocol)
{
	BAD("tcpx *:22\n", "f:1: unknown protocol 'tcpx' (use tcp, udp or *)\n");
	BAD("TCP *:22\n", "f:1: unknown protocol 'TCP' (use tcp, udp or *)\n");
	BAD("tcp=1 *:22\n", "f:1: unknown protocol 'tcp=1' (use tcp, udp or *)\n");
}
END_TEST

START_TEST(test_bad_address_and_port)
{
	BAD("tcp\n", "f:1: expected ADDRESS:PORT after the protocol\n");
	BAD("tcp # no address\n", "f:1: expected ADDRESS:PORT after the protocol\n");
	BAD("tcp 22\n", "f:1: expected ADDRESS:PORT, not '22'\n");
	BAD("tcp [::1]\n", "f:1: expected ADDRESS:PORT, not '[::1]'\n");
	BAD("tcp [::1:53\n", "f:1: expected ADDRESS:PORT, not '[::1:53'\n");
	BAD("tcp x=*:22\n", "f:1: expected ADDRESS:PORT, not 'x=*:22'\n");
	BAD("tcp ::1:53\n", "f:1: an IPv6 address needs brackets, as in [::1]:53\n");
	BAD("tcp localhost:80\n", "f:1: bad address 'localhost' (use *, an IPv4 address or an "
				  "IPv6 address in brackets)\n");
	BAD("tcp :80\n", "f:1: bad address '' (use *, an IPv4 address or an IPv6 address in "
			 "brackets)\n");
	BAD("tcp [1.2.3.4]:80\n", "f:1: bad address '1.2.3.4' (use *, an IPv4 address or an "
				  "IPv6 address in brackets)\n");
	BAD("tcp [fe80::1%eth0]:80\n", "f:1: bad address 'fe80::1%eth0' (use *, an IPv4 address "
				       "or an IPv6 address in brackets)\n");
	BAD("tcp 256.0.0.1:80\n", "f:1: bad address '256.0.0.1' (use *, an IPv4 address or an "
				  "IPv6 address in brackets)\n");
	BAD("tcp *:\n", "f:1: missing port in '*:'\n");
	BAD("tcp *:http\n", "f:1: bad port 'http'\n");
	BAD("tcp *:-5\n", "f:1: bad port ''\n");
	BAD("tcp *:5-\n", "f:1: bad port ''\n");
	BAD("tcp *:1-2-3\n", "f:1: bad port '2-3'\n");
	BAD("tcp *:+22\n", "f:1: bad port '+22'\n");
	BAD("tcp *:70000\n", "f:1: port 70000 out of range (1-65535)\n");
	BAD("tcp *:0\n", "f:1: port 0 out of range (1-65535)\n");
	BAD("tcp *:1-65536\n", "f:1: port 65536 out of range (1-65535)\n");
	BAD("tcp *:99999999999999999999999999\n",
		"f:1: port 99999999999999999999999999 out of range (1-65535)\n");
	BAD("tcp *:9000-8000\n", "f:1: range 9000-8000 is backwards\n");
}
END_TEST

START_TEST(test_bad_process_and_options)
{
	BAD("tcp *:22 sshd nginx\n", "f:1: unexpected 'nginx': a rule names one process\n");
	BAD("tcp *:22 group=wheel\n",
		"f:1: unknown option 'group=wheel' (use user=NAME or uid=N)\n");
	BAD("tcp *:22 user=\n", "f:1: missing value after 'user='\n");
	BAD("tcp *:22 uid=\n", "f:1: missing value after 'uid='\n");
	BAD("tcp *:22 uid=abc\n", "f:1: bad uid 'abc'\n");
	BAD("tcp *:22 uid=-1\n", "f:1: bad uid '-1'\n");
	BAD("tcp *:22 uid=4294967295\n", "f:1: uid '4294967295' out of range\n");
	BAD("tcp *:22 uid=99999999999999999999\n",
		"f:1: uid '99999999999999999999' out of range\n");
	BAD("tcp *:22 user=a uid=1\n", "f:1: more than one user= or uid=\n");
	BAD("tcp *:22 user=a user=b\n", "f:1: more than one user= or uid=\n");
	BAD("tcp *:22 \"\"\n", "f:1: empty process name\n");
	BAD("tcp *:22 \"ssh\n", "f:1: unterminated quote in '\"ssh'\n");
	BAD("tcp *:22 \"ssh\\\n", "f:1: unterminated quote in '\"ssh\\\\'\n"); /* \ shown as \\ */
	BAD("tcp *:22 \"a\\qb\"\n", "f:1: unknown escape '\\\\q' (use \\\", \\\\ or \\xNN)\n");
	BAD("tcp *:22 \"a\\x4\"\n", "f:1: unknown escape '\\\\x' (use \\\", \\\\ or \\xNN)\n");
	BAD("tcp *:22 \"a\\x00\"\n", "f:1: \\x00 is not allowed\n");
}
END_TEST

START_TEST(test_hostile_bytes_are_reported_safely)
{
	static const char nul[] = "tcp *:22 ss\0hd\n";
	struct strbuf line = STRBUF_INIT, want = STRBUF_INIT;
	size_t i;

	assert_bad(nul, sizeof nul - 1, "f:1: the line contains a NUL byte\n");
	/* a message never carries control bytes to the terminal */
	BAD("tcp\033]0;pwned\a *:22\n",
		"f:1: unknown protocol 'tcp\\e]0;pwned\\a' (use tcp, udp or *)\n");
	/* a huge field is quoted only in part */
	for (i = 0; i < 100000; i++)
		strbuf_addch(&line, 'a');
	strbuf_addstr(&line, " *:22\n");
	strbuf_addstr(&want, "f:1: unknown protocol '");
	for (i = 0; i < 40; i++)
		strbuf_addch(&want, 'a');
	strbuf_addstr(&want, "...' (use tcp, udp or *)\n");
	assert_bad(line.buf, line.len, want.buf);
	strbuf_reset(&line);
	strbuf_reset(&want);
	strbuf_addstr(&line, "tcp *:");
	for (i = 0; i < 50; i++)
		strbuf_addch(&line, '9');
	strbuf_addstr(&want, "f:1: port ");
	for (i = 0; i < 40; i++)
		strbuf_addch(&want, '9');
	strbuf_addstr(&want, "... out of range (1-65535)\n");
	assert_bad(line.buf, line.len, want.buf);
	strbuf_fini(&line);
	strbuf_fini(&want);
}
END_TEST

START_TEST(test_bad_lines_are_skipped_and_the_rest_applies)
{
	static const char text[] = "tcp *:22 sshd\n"
				   "tcpx *:23\n"
				   "# fine\n"
				   "udp *:70000\n"
				   "udp *:5353 avahi-daemon\n"
				   "tcp *:9000-8000";
	struct pt_rules *r = rules_new();
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(rules_parse(r, text, strlen(text), "/home/a/.config/porttop/expected",
				 &err),
		3);
	ck_assert_str_eq(strbuf_str(&err),
		"/home/a/.config/porttop/expected:2: unknown protocol 'tcpx' (use tcp, udp or *)\n"
		"/home/a/.config/porttop/expected:4: port 70000 out of range (1-65535)\n"
		"/home/a/.config/porttop/expected:6: range 9000-8000 is backwards\n");
	ck_assert_uint_eq(rules_count(r), 2);
	ck_assert_str_eq(rules_text(r, 0), "tcp *:22 sshd");
	ck_assert_str_eq(rules_origin(r, 1), "/home/a/.config/porttop/expected:5");
	/* a second source adds to the same set, errors may be NULL */
	ck_assert_int_eq(rules_parse(r, "bad\ntcp *:1\n", 11, "other", NULL), 1);
	ck_assert_uint_eq(rules_count(r), 3);
	ck_assert_str_eq(rules_origin(r, 2), "other:2");
	strbuf_fini(&err);
	rules_free(r);
}
END_TEST

START_TEST(test_many_bad_lines_are_summarised)
{
	struct pt_rules *r = rules_new();
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *last;
	size_t i, lines = 0;

	for (i = 0; i < RULES_ERRORS_MAX + 10; i++)
		strbuf_addstr(&text, "nonsense\n");
	strbuf_addstr(&text, "tcp *:22\n");
	ck_assert_int_eq(rules_parse(r, text.buf, text.len, "f", &err), RULES_ERRORS_MAX + 10);
	for (i = 0; i < err.len; i++)
		lines += err.buf[i] == '\n';
	ck_assert_uint_eq(lines, RULES_ERRORS_MAX + 1);
	last = strstr(err.buf, "f:50: ");
	ck_assert_ptr_nonnull(last);
	ck_assert_ptr_null(strstr(err.buf, "f:51: "));
	ck_assert_ptr_nonnull(strstr(err.buf, "\nf: 10 more bad lines\n"));
	ck_assert_uint_eq(rules_count(r), 1);
	strbuf_fini(&text);
	strbuf_fini(&err);
	rules_free(r);
}
END_TEST

/* A file in the test folder with contents (len bytes); the path is returned in path. */
static void
write_file(struct strbuf *path, const char *name, const char *contents, size_t len)
{
	char *cause = NULL;

	strbuf_reset(path);
	strbuf_printf(path, "%s/check_rules.%ld.%s", unit_tmpdir(), (long)getpid(), name);
	ck_assert_msg(fileio_write_atomic(path->buf, contents, len, 0600, &cause) == 0, "%s",
		cause != NULL ? cause : "");
}

START_TEST(test_load_file_reads_rules_and_reports_bad_lines)
{
	static const char text[] = "tcp *:22 sshd\nudp *:99999\n";
	struct pt_rules *r = rules_new();
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;

	write_file(&path, "good", text, strlen(text));
	ck_assert_int_eq(rules_load_file(r, path.buf, &err), 1);
	strbuf_printf(&want, "%s:2: port 99999 out of range (1-65535)\n", path.buf);
	ck_assert_str_eq(strbuf_str(&err), want.buf);
	ck_assert_uint_eq(rules_count(r), 1);
	strbuf_reset(&want);
	strbuf_printf(&want, "%s:1", path.buf);
	ck_assert_str_eq(rules_origin(r, 0), want.buf);
	unlink(path.buf);
	strbuf_fini(&path);
	strbuf_fini(&err);
	strbuf_fini(&want);
	rules_free(r);
}
END_TEST

START_TEST(test_load_missing_file_is_empty_not_an_error)
{
	struct pt_rules *r = rules_new();
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(rules_load_file(r, "/nonexistent/porttop/expected", &err), 0);
	ck_assert_str_eq(strbuf_str(&err), "");
	ck_assert_uint_eq(rules_count(r), 0);
	strbuf_fini(&err);
	rules_free(r);
}
END_TEST

START_TEST(test_load_unreadable_file_is_an_error_with_a_message)
{
	struct pt_rules *r = rules_new();
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;

	/* a folder: fails even for root */
	strbuf_printf(&path, "%s/check_rules.%ld.dir", unit_tmpdir(), (long)getpid());
	ck_assert_int_eq(mkdir(path.buf, 0700), 0);
	ck_assert_int_eq(rules_load_file(r, path.buf, &err), -EISDIR);
	strbuf_printf(&want, "%s: %s\n", path.buf, strerror(EISDIR));
	ck_assert_str_eq(strbuf_str(&err), want.buf);
	rmdir(path.buf);

	/* no permission (root reads anything, so only as another user) */
	if (geteuid() != 0) {
		strbuf_reset(&err);
		strbuf_reset(&want);
		write_file(&path, "noperm", "tcp *:22\n", 9);
		ck_assert_int_eq(chmod(path.buf, 0), 0);
		ck_assert_int_eq(rules_load_file(r, path.buf, &err), -EACCES);
		strbuf_printf(&want, "%s: %s\n", path.buf, strerror(EACCES));
		ck_assert_str_eq(strbuf_str(&err), want.buf);
		unlink(path.buf);
	}
	ck_assert_uint_eq(rules_count(r), 0);
	strbuf_fini(&path);
	strbuf_fini(&err);
	strbuf_fini(&want);
	rules_free(r);
}
END_TEST

START_TEST(test_load_refuses_a_huge_file)
{
	struct pt_rules *r = rules_new();
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
	char *big = malloc(RULES_FILE_MAX + 1);

	ck_assert_ptr_nonnull(big);
	memset(big, '#', RULES_FILE_MAX + 1);
	write_file(&path, "big", big, RULES_FILE_MAX + 1);
	ck_assert_int_eq(rules_load_file(r, path.buf, &err), -EFBIG);
	strbuf_printf(&want, "%s: larger than 1048576 bytes: not a rules file\n", path.buf);
	ck_assert_str_eq(strbuf_str(&err), want.buf);
	unlink(path.buf);
	/* exactly the limit is fine */
	write_file(&path, "limit", big, RULES_FILE_MAX);
	strbuf_reset(&err);
	ck_assert_int_eq(rules_load_file(r, path.buf, &err), 0);
	ck_assert_str_eq(strbuf_str(&err), "");
	unlink(path.buf);
	free(big);
	strbuf_fini(&path);
	strbuf_fini(&err);
	strbuf_fini(&want);
	rules_free(r);
}
END_TEST

/* Whether text (one or more rules) expects l owned by procs. */
static bool
expects(const char *text, const struct pt_listener *l, struct pt_proc *const *procs, size_t n)
{
	struct pt_rules *r = rules_of(text);
	bool yes = rules_expect(r, l, procs, n);

	rules_free(r);
	return yes;
}

START_TEST(test_process_name_matches_any_owner)
{
	struct pt_proc a = make_proc("bash", "root", 0, "bash");
	struct pt_proc b = make_proc("sshd", "root", 0, "/usr/sbin/sshd -D");
	struct pt_proc *both[] = { &a, &b }, *only_a[] = { &a };
	const struct pt_listener *l = make_listener(PT_PROTO_TCP, "0.0.0.0", 22, 0);

	ck_assert(expects("tcp *:22 sshd", l, both, 2));
	ck_assert(!expects("tcp *:22 sshd", l, only_a, 1));
	ck_assert(!expects("tcp *:22 ssh", l, both, 2));
	ck_assert(!expects("tcp *:22 sshd2", l, both, 2));
	ck_assert(!expects("tcp *:22 SSHD", l, both, 2));
}
END_TEST

START_TEST(test_unknown_owners_never_match_a_process_or_user)
{
	struct pt_listener *l = make_listener(PT_PROTO_TCP, "0.0.0.0", 22, 1000);

	ck_assert(!expects("tcp *:22 sshd", l, NULL, 0));
	ck_assert(!expects("tcp *:22 /usr/sbin/sshd", l, NULL, 0));
	ck_assert(!expects("tcp *:22 user=root", l, NULL, 0));
	ck_assert(expects("tcp *:22", l, NULL, 0));
	ck_assert(expects("tcp *:22 uid=1000", l, NULL, 0)); /* the socket's own uid is known */
	ck_assert(!expects("tcp *:22 uid=0", l, NULL, 0));
}
END_TEST

START_TEST(test_path_matches_argv0)
{
	struct pt_proc plain = make_proc("nginx", "root", 0, "/usr/sbin/nginx");
	struct pt_proc args = make_proc("nginx", "root", 0, "/usr/sbin/nginx -g daemon off;");
	struct pt_proc longer = make_proc("nginx-debug", "root", 0, "/usr/sbin/nginx-debug");
	struct pt_proc rewritten =
		make_proc("nginx", "root", 0, "nginx: master process /usr/sbin/nginx");
	struct pt_proc spaced = make_proc("x", "root", 0, "/opt/My App/x --serve");
	struct pt_proc kthread = make_proc("kworker", "root", 0, "");
	struct pt_proc nocmd = make_proc("nginx", "root", 0, NULL);
	struct pt_proc *p[1];
	const struct pt_listener *l = make_listener(PT_PROTO_TCP, "::", 443, 0);

	p[0] = &plain;
	ck_assert(expects("tcp [::]:443 /usr/sbin/nginx", l, p, 1));
	p[0] = &args;
	ck_assert(expects("tcp [::]:443 /usr/sbin/nginx", l, p, 1));
	ck_assert(!expects("tcp [::]:443 /usr/sbin/ngin", l, p, 1));
	ck_assert(!expects("tcp [::]:443 /usr/bin/nginx", l, p, 1));
	p[0] = &longer;
	ck_assert(!expects("tcp [::]:443 /usr/sbin/nginx", l, p, 1));
	p[0] = &rewritten; /* argv rewritten: the path cannot be seen */
	ck_assert(!expects("tcp [::]:443 /usr/sbin/nginx", l, p, 1));
	ck_assert(expects("tcp [::]:443 nginx", l, p, 1));
	p[0] = &spaced;
	ck_assert(expects("tcp [::]:443 \"/opt/My App/x\"", l, p, 1));
	p[0] = &kthread;
	ck_assert(!expects("tcp [::]:443 /usr/sbin/nginx", l, p, 1));
	p[0] = &nocmd;
	ck_assert(!expects("tcp [::]:443 /usr/sbin/nginx", l, p, 1));
	/* a path is never compared with the command name */
	p[0] = &plain;
	ck_assert(!expects("tcp [::]:443 /nginx", l, p, 1));
}
END_TEST

START_TEST(test_long_names_match_the_kernels_cut_comm)
{
	struct pt_proc cut = make_proc("systemd-resolve", "systemd-resolve", 991, "x");
	struct pt_proc shorter = make_proc("systemd-resol", "x", 991, "x");
	struct pt_proc *p[] = { &cut };
	const struct pt_listener *l = make_listener(PT_PROTO_UDP, "127.0.0.53", 53, 991);

	ck_assert(expects("udp *:53 systemd-resolved", l, p, 1));
	ck_assert(expects("udp *:53 systemd-resolve", l, p, 1));
	ck_assert(!expects("udp *:53 systemd-resolvx-long", l, p, 1));
	p[0] = &shorter;
	ck_assert(!expects("udp *:53 systemd-resolved", l, p, 1));
	ck_assert(!expects("udp *:53 systemd-resol-extra", l, p, 1));
}
END_TEST

START_TEST(test_user_and_uid)
{
	struct pt_proc alice = make_proc("python3", "alice", 1000, "python3 -m http.server");
	struct pt_proc nameless = make_proc("python3", NULL, 1234, "python3");
	struct pt_proc bob = make_proc("node", "bob", 1001, "node");
	struct pt_proc *p[2] = { &bob, &alice };
	const struct pt_listener *l = make_listener(PT_PROTO_TCP, "0.0.0.0", 8000, 0);

	ck_assert(expects("tcp *:8000-8100 user=alice", l, p, 2));
	ck_assert(!expects("tcp *:8000-8100 user=carol", l, p, 2));
	ck_assert(expects("tcp *:8000 uid=1000", l, p, 2)); /* an owner's uid */
	ck_assert(expects("tcp *:8000 uid=0", l, p, 2));    /* the socket's uid */
	ck_assert(!expects("tcp *:8000 uid=7", l, p, 2));
	/* process and user must hold for the same owner */
	ck_assert(expects("tcp *:8000 python3 user=alice", l, p, 2));
	ck_assert(!expects("tcp *:8000 node user=alice", l, p, 2));
	ck_assert(expects("tcp *:8000 node uid=1001", l, p, 2));
	ck_assert(expects("tcp *:8000 node uid=0", l, p, 2)); /* socket uid, with node */
	ck_assert(!expects("tcp *:8000 node uid=1000", l, p, 2));
	p[0] = &nameless;
	ck_assert(!expects("tcp *:8000 user=alice", l, p, 1));
	ck_assert(expects("tcp *:8000 uid=1234", l, p, 1));
}
END_TEST

START_TEST(test_protocol_and_port_range)
{
	struct pt_listener *l = make_listener(PT_PROTO_TCP, "0.0.0.0", 8000, 0);

	ck_assert(expects("tcp *:8000", l, NULL, 0));
	ck_assert(expects("* *:8000", l, NULL, 0));
	ck_assert(!expects("udp *:8000", l, NULL, 0));
	l->key.proto = PT_PROTO_UDP;
	ck_assert(expects("udp *:8000", l, NULL, 0));
	ck_assert(expects("* *:8000", l, NULL, 0));
	ck_assert(!expects("tcp *:8000", l, NULL, 0));
	l->key.proto = PT_PROTO_TCP;
	l->key.port = 7999;
	ck_assert(!expects("tcp *:8000-8100", l, NULL, 0));
	l->key.port = 8000;
	ck_assert(expects("tcp *:8000-8100", l, NULL, 0));
	l->key.port = 8100;
	ck_assert(expects("tcp *:8000-8100", l, NULL, 0));
	l->key.port = 8101;
	ck_assert(!expects("tcp *:8000-8100", l, NULL, 0));
	l->key.port = 65535;
	ck_assert(expects("tcp *:1-65535", l, NULL, 0));
}
END_TEST

/* Which bind addresses each rule address matches. */
static const struct {
	const char *rule;
	const char *bind;
	bool match;
} addr_matrix[] = {
	{ "*", "0.0.0.0", true },
	{ "*", "::", true },
	{ "*", "127.0.0.1", true },
	{ "*", "192.0.2.1", true },
	{ "*", "fe80::1", true },
	{ "0.0.0.0", "0.0.0.0", true },
	{ "0.0.0.0", "::", false },
	{ "0.0.0.0", "192.0.2.1", false },
	{ "0.0.0.0", "::ffff:0.0.0.0", true }, /* the same IPv4 wildcard */
	{ "[::]", "::", true },
	{ "[::]", "0.0.0.0", false },
	{ "[::]", "2001:db8::1", false },
	{ "[::1]", "::1", true },
	{ "[::1]", "127.0.0.1", false },
	{ "127.0.0.1", "127.0.0.1", true },
	{ "127.0.0.1", "127.0.0.2", false },
	{ "192.0.2.1", "192.0.2.1", true },
	{ "192.0.2.1", "::ffff:192.0.2.1", true },
	{ "[::ffff:192.0.2.1]", "192.0.2.1", true },
	{ "[::ffff:192.0.2.1]", "::ffff:192.0.2.1", true },
	{ "192.0.2.1", "192.0.2.2", false },
	{ "[2001:db8::1]", "2001:db8::1", true },
	{ "[2001:db8::1]", "2001:db8::2", false },
	{ "[fe80::1]", "fe80::1", true },
};

START_TEST(test_address_matrix)
{
	char text[128];
	size_t i;

	for (i = 0; i < NELEM(addr_matrix); i++) {
		snprintf(text, sizeof text, "tcp %s:80", addr_matrix[i].rule);
		ck_assert_msg(expects(text, make_listener(PT_PROTO_TCP, addr_matrix[i].bind, 80, 0),
				      NULL, 0) == addr_matrix[i].match,
			"rule %s, bind %s: expected %s", text, addr_matrix[i].bind,
			addr_matrix[i].match ? "a match" : "no match");
	}
}
END_TEST

START_TEST(test_empty_and_null_sets_expect_nothing)
{
	struct pt_rules *r = rules_new();
	const struct pt_listener *l = make_listener(PT_PROTO_TCP, "0.0.0.0", 22, 0);

	ck_assert(!rules_expect(r, l, NULL, 0));
	ck_assert(!rules_expect(NULL, l, NULL, 0));
	ck_assert_uint_eq(rules_count(NULL), 0);
	ck_assert_ptr_null(rules_text(NULL, 0));
	rules_free(r);
	rules_free(NULL);
}
END_TEST

/* Listeners and owners whose rule must be exactly this text, parse back and match. */
static const struct {
	unsigned proto;
	const char *addr;
	uint16_t port;
	const char *comm; /* NULL: no owner process */
	const char *rule;
} format_cases[] = {
	{ PT_PROTO_TCP, "0.0.0.0", 8080, "python3", "tcp 0.0.0.0:8080 python3" },
	{ PT_PROTO_UDP, "::", 5353, "avahi-daemon", "udp [::]:5353 avahi-daemon" },
	{ PT_PROTO_TCP, "::1", 631, "cupsd", "tcp [::1]:631 cupsd" },
	{ PT_PROTO_TCP, "fe80::1", 22, "sshd", "tcp [fe80::1]:22 sshd" },
	{ PT_PROTO_TCP, "192.0.2.1", 1, NULL, "tcp 192.0.2.1:1" },
	{ PT_PROTO_TCP, "::ffff:192.0.2.1", 65535, "x", "tcp 192.0.2.1:65535 x" }, /* as IPv4 */
	{ PT_PROTO_TCP, "0.0.0.0", 3000, "Web Content", "tcp 0.0.0.0:3000 \"Web Content\"" },
	{ PT_PROTO_TCP, "0.0.0.0", 3001, "a\"b\\c", "tcp 0.0.0.0:3001 \"a\\\"b\\\\c\"" },
	{ PT_PROTO_TCP, "0.0.0.0", 3002, "#x", "tcp 0.0.0.0:3002 \"#x\"" },
	{ PT_PROTO_TCP, "0.0.0.0", 3003, "user=x", "tcp 0.0.0.0:3003 \"user=x\"" },
	{ PT_PROTO_TCP, "0.0.0.0", 3004, "\033]0;pwned\a",
		"tcp 0.0.0.0:3004 \"\\x1b]0;pwned\\x07\"" },
	{ PT_PROTO_TCP, "0.0.0.0", 3005, "caf\xc3\xa9", "tcp 0.0.0.0:3005 \"caf\\xc3\\xa9\"" },
	{ PT_PROTO_TCP, "0.0.0.0", 3006, "kworker/0:1", "tcp 0.0.0.0:3006 kworker/0:1" },
	{ PT_PROTO_TCP, "0.0.0.0", 3007, "/weird", "tcp 0.0.0.0:3007" }, /* would read as a path */
	{ PT_PROTO_TCP, "0.0.0.0", 3008, "", "tcp 0.0.0.0:3008" },
	{ PT_PROTO_TCP, "0.0.0.0", 3009, "*", "tcp 0.0.0.0:3009 *" },
};

START_TEST(test_format_for_round_trips_and_is_exact)
{
	struct strbuf out = STRBUF_INIT;
	struct pt_proc proc, other;
	struct pt_proc *procs[1];
	struct pt_listener *l;
	struct pt_rules *r;
	uint16_t port;
	size_t i;

	other = make_proc("zzother", "root", 0, "zzother");
	for (i = 0; i < NELEM(format_cases); i++) {
		port = format_cases[i].port;
		l = make_listener(format_cases[i].proto, format_cases[i].addr, port, 0);
		proc = make_proc(format_cases[i].comm, "root", 0, "/bin/x");
		procs[0] = &proc;
		strbuf_reset(&out);
		strbuf_addstr(&out, "prefix:"); /* appends */
		rules_format_for(&out, l, format_cases[i].comm != NULL ? &proc : NULL);
		ck_assert_str_eq(out.buf + 7, format_cases[i].rule);
		r = rules_of(out.buf + 7);
		ck_assert_uint_eq(rules_count(r), 1);
		ck_assert_str_eq(rules_text(r, 0), format_cases[i].rule); /* already canonical */
		ck_assert_msg(rules_expect(r, l, procs, 1), "%s does not match", out.buf + 7);
		/* and nothing else: another port, protocol, address or process */
		l->key.port = port == 65535 ? 1 : port + 1;
		ck_assert(!rules_expect(r, l, procs, 1));
		l->key.port = port;
		l->key.proto = format_cases[i].proto == PT_PROTO_TCP ? PT_PROTO_UDP : PT_PROTO_TCP;
		ck_assert(!rules_expect(r, l, procs, 1));
		l->key.proto = (uint8_t)format_cases[i].proto;
		l->key.addr[l->key.family == PT_FAMILY_IPV4 ? 3 : 15] ^= 0x40;
		ck_assert(!rules_expect(r, l, procs, 1));
		l->key.addr[l->key.family == PT_FAMILY_IPV4 ? 3 : 15] ^= 0x40;
		procs[0] = &other;
		ck_assert(rules_expect(r, l, procs, 1) ==
			(format_cases[i].comm == NULL || format_cases[i].comm[0] == '\0' ||
				format_cases[i].comm[0] == '/'));
		rules_free(r);
	}
	strbuf_fini(&out);
}
END_TEST

/* A tiny deterministic generator: the same bytes on every run. */
static uint32_t
next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16;
}

START_TEST(test_random_input_never_crashes_and_canonical_text_is_stable)
{
	static const char alphabet[] = "tcpud*:[]0123456789.-/ \t\n#\"\\x=abfusrie\r\0\377";
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct pt_rules *r, *again;
	uint32_t state = 42;
	size_t round, i, len;

	for (round = 0; round < 3000; round++) {
		strbuf_reset(&text);
		strbuf_reset(&err);
		/* start most lines like a rule so that parsing gets past the first fields */
		if (round % 2 == 0)
			strbuf_addstr(&text, round % 4 == 0 ? "tcp *:" : "udp [");
		len = next_random(&state) % 60;
		for (i = 0; i < len; i++)
			strbuf_addch(&text, alphabet[next_random(&state) % (sizeof alphabet - 1)]);
		r = rules_new();
		rules_parse(r, text.buf, text.len, "fuzz", &err);
		for (i = 0; i < rules_count(r); i++) {
			again = rules_of(rules_text(r, i));
			ck_assert_uint_eq(rules_count(again), 1);
			ck_assert_str_eq(rules_text(again, 0), rules_text(r, i));
			rules_free(again);
		}
		rules_free(r);
	}
	strbuf_fini(&text);
	strbuf_fini(&err);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *parse = tcase_create("parse");
	TCase *load = tcase_create("load");
	TCase *match = tcase_create("match");

	tcase_add_test(parse, test_examples_parse_into_canonical_text_with_origins);
	tcase_add_test(parse, test_whitespace_comments_and_crlf_are_tolerated);
	tcase_add_test(parse, test_quoted_fields_hold_spaces_hashes_and_escapes);
	tcase_add_test(parse, test_bad_protocol);
	tcase_add_test(parse, test_bad_address_and_port);
	tcase_add_test(parse, test_bad_process_and_options);
	tcase_add_test(parse, test_hostile_bytes_are_reported_safely);
	tcase_add_test(parse, test_bad_lines_are_skipped_and_the_rest_applies);
	tcase_add_test(parse, test_many_bad_lines_are_summarised);
	tcase_add_test(parse, test_random_input_never_crashes_and_canonical_text_is_stable);
	suite_add_tcase(s, parse);
	tcase_add_test(load, test_load_file_reads_rules_and_reports_bad_lines);
	tcase_add_test(load, test_load_missing_file_is_empty_not_an_error);
	tcase_add_test(load, test_load_unreadable_file_is_an_error_with_a_message);
	tcase_add_test(load, test_load_refuses_a_huge_file);
	suite_add_tcase(s, load);
	tcase_add_test(match, test_process_name_matches_any_owner);
	tcase_add_test(match, test_unknown_owners_never_match_a_process_or_user);
	tcase_add_test(match, test_path_matches_argv0);
	tcase_add_test(match, test_long_names_match_the_kernels_cut_comm);
	tcase_add_test(match, test_user_and_uid);
	tcase_add_test(match, test_protocol_and_port_range);
	tcase_add_test(match, test_address_matrix);
	tcase_add_test(match, test_empty_and_null_sets_expect_nothing);
	tcase_add_test(match, test_format_for_round_trips_and_is_exact);
	suite_add_tcase(s, match);
	return s;
}
