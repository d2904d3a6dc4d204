/* check_snapshot.c — aggregation of built samples into rows, and state across samples. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "porttop/addr.h"
#include "porttop/rules.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "unit.h"

/* A sample under construction. */
static struct pt_sock socks[64];
static size_t nsocks;
static struct pt_owner owners[32];
static size_t nowners;
static struct pt_proc procs[8];
static size_t nprocs;
static struct pt_sample sample;
static struct pt_build_opts opts;

static void
reset(void)
{
	memset(socks, 0, sizeof socks);
	nsocks = nowners = nprocs = 0;
	memset(&sample, 0, sizeof sample);
	sample.ephemeral.lo = 32768;
	sample.ephemeral.hi = 60999;
	sample.time_ms = 1000000;
	snapshot_opts_default(&opts);
}

static struct pt_sock *
sock(unsigned proto, unsigned state, const char *laddr, unsigned lport, const char *paddr,
	unsigned pport, uint32_t inode)
{
	struct pt_sock *s = &socks[nsocks++];
	unsigned fam, fam2;

	ck_assert_int_eq(addr_parse(laddr, &fam, s->laddr), 0);
	s->family = (uint8_t)fam;
	if (paddr != NULL) {
		ck_assert_int_eq(addr_parse(paddr, &fam2, s->paddr), 0);
		ck_assert_uint_eq(fam, fam2);
	}
	s->proto = (uint8_t)proto;
	s->state = (uint8_t)state;
	s->lport = (uint16_t)lport;
	s->pport = (uint16_t)pport;
	s->inode = inode;
	s->uid = 1000;
	if (state == PT_STATE_LISTEN)
		s->flags |= PT_SOCK_BACKLOG_KNOWN;
	if (s->family == PT_FAMILY_IPV6)
		s->flags |= PT_SOCK_V6ONLY_KNOWN;
	return s;
}

static struct pt_sock *
listen_tcp(const char *addr, unsigned port, uint32_t inode)
{
	struct pt_sock *s = sock(PT_PROTO_TCP, PT_STATE_LISTEN, addr, port, NULL, 0, inode);

	s->wqueue = 128;
	return s;
}

static void
owner(uint32_t inode, int32_t pid, int32_t fd)
{
	owners[nowners].inode = inode;
	owners[nowners].pid = pid;
	owners[nowners].fd = fd;
	owners[nowners].start_time = (uint64_t)pid * 10;
	nowners++;
}

static void
proc(int32_t pid, const char *comm)
{
	memset(&procs[nprocs], 0, sizeof procs[nprocs]);
	procs[nprocs].pid = pid;
	procs[nprocs].start_time = (uint64_t)pid * 10;
	procs[nprocs].comm = (char *)(uintptr_t)comm;
	procs[nprocs].cmdline = (char *)(uintptr_t)comm;
	nprocs++;
}

static int
owner_cmp(const void *a, const void *b)
{
	const struct pt_owner *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pid - y->pid;
}

static struct pt_snapshot *
build(const struct pt_snapshot *prev)
{
	qsort(owners, nowners, sizeof owners[0], owner_cmp);
	sample.socks = socks;
	sample.nsocks = nsocks;
	sample.owners = owners;
	sample.nowners = nowners;
	sample.procs = procs;
	sample.nprocs = nprocs;
	return snapshot_build(&sample, prev, &opts);
}

static const struct pt_listener *
row(const struct pt_snapshot *snap, unsigned proto, const char *addr, unsigned port)
{
	struct pt_key key;
	unsigned fam;

	memset(&key, 0, sizeof key);
	ck_assert_int_eq(addr_parse(addr, &fam, key.addr), 0);
	key.proto = (uint8_t)proto;
	key.family = (uint8_t)fam;
	key.port = (uint16_t)port;
	return snapshot_find(snap, &key);
}

START_TEST(test_dual_stack_any_counts_ipv4_and_ipv6_connections)
{
	struct pt_snapshot *snap;
	const struct pt_listener *l;

	reset();
	listen_tcp("::", 8080, 10)->v6only = 0;
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.1", 40000, 11);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "::1", 8080, "::1", 40001, 12);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40002, 13);
	snap = build(NULL);
	ck_assert_uint_eq(snap->nrows, 1);
	l = row(snap, PT_PROTO_TCP, "::", 8080);
	ck_assert_ptr_nonnull(l);
	ck_assert(l->cls.dual_stack);
	ck_assert_int_eq(l->cls.scope, PT_SCOPE_ALL);
	ck_assert_uint_eq(listener_established(l), 3);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_v6only_any_beside_ipv4_any_splits_connections_by_family)
{
	struct pt_snapshot *snap;

	reset();
	listen_tcp("::", 8080, 10)->v6only = 1;
	listen_tcp("0.0.0.0", 8080, 20);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40000, 11);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "192.0.2.1", 8080, "192.0.2.9", 40001, 12);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "::1", 8080, "::1", 40002, 13);
	snap = build(NULL);
	ck_assert_uint_eq(snap->nrows, 2);
	ck_assert(!row(snap, PT_PROTO_TCP, "::", 8080)->cls.dual_stack);
	ck_assert_uint_eq(listener_established(row(snap, PT_PROTO_TCP, "::", 8080)), 1);
	ck_assert_uint_eq(listener_established(row(snap, PT_PROTO_TCP, "0.0.0.0", 8080)), 2);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_specific_address_listener_gets_only_its_connections)
{
	struct pt_snapshot *snap;

	reset();
	listen_tcp("127.0.0.1", 5432, 10);
	listen_tcp("192.0.2.1", 5432, 11);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 5432, "127.0.0.1", 40000, 12);
	sock(PT_PROTO_TCP, PT_STATE_CLOSE_WAIT, "192.0.2.1", 5432, "192.0.2.7", 40001, 13);
	snap = build(NULL);
	ck_assert_uint_eq(listener_established(row(snap, PT_PROTO_TCP, "127.0.0.1", 5432)), 1);
	ck_assert_uint_eq(row(snap, PT_PROTO_TCP, "192.0.2.1", 5432)->conns[PT_STATE_CLOSE_WAIT], 1);
	ck_assert_uint_eq(listener_established(row(snap, PT_PROTO_TCP, "192.0.2.1", 5432)), 0);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_reuseport_group_folds_into_one_row_with_every_socket)
{
	struct pt_snapshot *snap;
	const struct pt_listener *l;

	reset();
	listen_tcp("0.0.0.0", 443, 10)->rqueue = 2;
	listen_tcp("0.0.0.0", 443, 11)->rqueue = 3;
	owner(10, 100, 3);
	owner(11, 101, 3);
	proc(100, "worker");
	proc(101, "worker");
	snap = build(NULL);
	ck_assert_uint_eq(snap->nrows, 1);
	l = &snap->rows[0];
	ck_assert_uint_eq(l->nsocks, 2);
	ck_assert_uint_eq(l->queued, 5);
	ck_assert_uint_eq(l->backlog, 256);
	ck_assert(l->backlog_known);
	ck_assert_uint_eq(l->nowners, 2);
	ck_assert_uint_eq(l->nprocs, 2);
	ck_assert_int_eq(l->procs[0]->pid, 100);
	ck_assert_int_eq(l->procs[1]->pid, 101);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_socket_shared_after_fork_lists_each_process_once)
{
	struct pt_snapshot *snap;
	const struct pt_listener *l;

	reset();
	listen_tcp("127.0.0.1", 8000, 10);
	owner(10, 200, 4);
	owner(10, 201, 4);
	owner(10, 200, 9); /* the same process holds it twice (dup) */
	proc(200, "master");
	proc(201, "worker");
	snap = build(NULL);
	l = &snap->rows[0];
	ck_assert_uint_eq(l->nowners, 3);
	ck_assert_uint_eq(l->nprocs, 2);
	ck_assert_str_eq(l->procs[0]->comm, "master");
	ck_assert_str_eq(l->procs[1]->comm, "worker");
	snapshot_free(snap);
}
END_TEST

START_TEST(test_udp_unconnected_is_a_row_and_connected_is_a_connection)
{
	struct pt_snapshot *snap;

	reset();
	sock(PT_PROTO_UDP, PT_STATE_CLOSE, "0.0.0.0", 5353, NULL, 0, 10);
	sock(PT_PROTO_UDP, PT_STATE_ESTABLISHED, "127.0.0.1", 5353, "127.0.0.1", 40000, 11);
	sock(PT_PROTO_UDP, PT_STATE_ESTABLISHED, "127.0.0.1", 41000, "127.0.0.1", 53, 12);
	sock(PT_PROTO_UDP, PT_STATE_CLOSE, "0.0.0.0", 0, NULL, 0, 13); /* unbound: no row */
	snap = build(NULL);
	ck_assert_uint_eq(snap->nrows, 1);
	ck_assert_uint_eq(snap->totals.listeners[PT_PROTO_UDP], 1);
	ck_assert_uint_eq(listener_established(row(snap, PT_PROTO_UDP, "0.0.0.0", 5353)), 1);
	ck_assert(!row(snap, PT_PROTO_UDP, "0.0.0.0", 5353)->backlog_known);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_unaccepted_connections_are_queued_not_established)
{
	struct pt_snapshot *snap;
	const struct pt_listener *l;

	reset();
	listen_tcp("127.0.0.1", 9000, 10)->rqueue = 2;
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 9000, "127.0.0.1", 40000, 0);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 9000, "127.0.0.1", 40001, 0);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 9000, "127.0.0.1", 40002, 55);
	sock(PT_PROTO_TCP, PT_STATE_TIME_WAIT, "127.0.0.1", 9000, "127.0.0.1", 40003, 0);
	snap = build(NULL);
	l = row(snap, PT_PROTO_TCP, "127.0.0.1", 9000);
	ck_assert_uint_eq(l->queued, 2);
	ck_assert_uint_eq(listener_established(l), 1);
	ck_assert_uint_eq(l->conns[PT_STATE_TIME_WAIT], 1);
	ck_assert_uint_eq(snap->totals.established, 3);
	ck_assert_uint_eq(snap->totals.time_wait, 1);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_stuck_after_n_samples_of_a_queue_that_does_not_shrink)
{
	static const uint32_t q[] = { 2, 2, 3, 3, 3, 1, 1 };
	static const bool stuck[] = { false, false, false, false, true, false, false };
	struct pt_snapshot *snap = NULL, *next;
	unsigned i;

	reset();
	opts.stuck_samples = 5;
	listen_tcp("127.0.0.1", 9000, 10);
	for (i = 0; i < sizeof q / sizeof q[0]; i++) {
		socks[0].rqueue = q[i];
		sample.time_ms += 1000;
		next = build(snap);
		snapshot_free(snap);
		snap = next;
		ck_assert_msg(!!(snap->rows[0].flags & PT_FLAG_STUCK) == stuck[i], "sample %u", i);
		ck_assert_uint_eq(snap->totals.stuck, stuck[i] ? 1 : 0);
	}
	ck_assert_uint_eq(snap->rows[0].qhist_len, 7);
	ck_assert_uint_eq(snap->rows[0].qhist[0], 2);
	ck_assert_uint_eq(snap->rows[0].qhist[6], 1);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_queue_history_keeps_the_last_sixty_samples)
{
	struct pt_snapshot *snap = NULL, *next;
	unsigned i;

	reset();
	listen_tcp("127.0.0.1", 9000, 10);
	for (i = 0; i < PT_QHIST + 5; i++) {
		socks[0].rqueue = i;
		next = build(snap);
		snapshot_free(snap);
		snap = next;
	}
	ck_assert_uint_eq(snap->rows[0].qhist_len, PT_QHIST);
	ck_assert_uint_eq(snap->rows[0].qhist[0], 5);
	ck_assert_uint_eq(snap->rows[0].qhist[PT_QHIST - 1], PT_QHIST + 4);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_first_sample_marks_nothing_new_and_later_arrivals_are_new)
{
	struct pt_snapshot *a, *b, *c;

	reset();
	listen_tcp("127.0.0.1", 80, 10);
	a = build(NULL);
	ck_assert_uint_eq(a->rows[0].flags & PT_FLAG_NEW, 0);
	listen_tcp("127.0.0.1", 81, 11);
	sample.time_ms += 1000;
	b = build(a);
	ck_assert_uint_eq(row(b, PT_PROTO_TCP, "127.0.0.1", 80)->flags & PT_FLAG_NEW, 0);
	ck_assert_uint_ne(row(b, PT_PROTO_TCP, "127.0.0.1", 81)->flags & PT_FLAG_NEW, 0);
	ck_assert_int_eq(row(b, PT_PROTO_TCP, "127.0.0.1", 81)->first_seen_ms, sample.time_ms);
	sample.time_ms += opts.new_ms;
	c = build(b);
	ck_assert_uint_eq(row(c, PT_PROTO_TCP, "127.0.0.1", 81)->flags & PT_FLAG_NEW, 0);
	ck_assert_int_eq(row(c, PT_PROTO_TCP, "127.0.0.1", 80)->first_seen_ms, 1000000);
	snapshot_free(a);
	snapshot_free(b);
	snapshot_free(c);
}
END_TEST

START_TEST(test_gone_row_stays_dimmed_with_its_owner_then_disappears)
{
	struct pt_snapshot *a, *b, *c, *d;
	const struct pt_listener *l;

	reset();
	listen_tcp("127.0.0.1", 80, 10);
	owner(10, 300, 5);
	proc(300, "httpd");
	a = build(NULL);
	nsocks = nowners = nprocs = 0;
	sample.time_ms += 1000;
	b = build(a);
	snapshot_free(a);
	ck_assert_uint_eq(b->nrows, 1);
	l = &b->rows[0];
	ck_assert_uint_ne(l->flags & PT_FLAG_GONE, 0);
	ck_assert_int_eq(l->gone_ms, sample.time_ms);
	ck_assert_uint_eq(l->nprocs, 1);
	ck_assert_str_eq(l->procs[0]->comm, "httpd");
	ck_assert_uint_eq(b->totals.listeners[PT_PROTO_TCP], 0);
	sample.time_ms += opts.gone_ms - 1;
	c = build(b);
	snapshot_free(b);
	ck_assert_uint_eq(c->nrows, 1);
	ck_assert_int_eq(c->rows[0].gone_ms, sample.time_ms - opts.gone_ms + 1);
	sample.time_ms += 1;
	d = build(c);
	snapshot_free(c);
	ck_assert_uint_eq(d->nrows, 0);
	snapshot_free(d);
}
END_TEST

START_TEST(test_restarted_service_keeps_its_row_and_first_seen)
{
	struct pt_snapshot *a, *b;
	const struct pt_listener *l;

	reset();
	listen_tcp("127.0.0.1", 80, 10);
	owner(10, 300, 5);
	proc(300, "httpd");
	a = build(NULL);
	reset();
	listen_tcp("127.0.0.1", 80, 99);
	owner(99, 400, 5);
	proc(400, "httpd");
	sample.time_ms += 5000;
	b = build(a);
	ck_assert_uint_eq(b->nrows, 1);
	l = &b->rows[0];
	ck_assert_int_eq(l->first_seen_ms, 1000000);
	ck_assert_uint_eq(l->flags & (PT_FLAG_GONE | PT_FLAG_NEW), 0);
	ck_assert_int_eq(l->procs[0]->pid, 400);
	snapshot_free(a);
	snapshot_free(b);
}
END_TEST

START_TEST(test_listener_back_after_gone_is_new_again_but_keeps_first_seen)
{
	struct pt_snapshot *a, *b, *c;
	const struct pt_listener *l;

	reset();
	listen_tcp("127.0.0.1", 80, 10);
	a = build(NULL);
	nsocks = 0;
	sample.time_ms += 1000;
	b = build(a);
	ck_assert_uint_ne(b->rows[0].flags & PT_FLAG_GONE, 0);
	listen_tcp("127.0.0.1", 80, 11);
	sample.time_ms += 1000;
	c = build(b);
	l = &c->rows[0];
	ck_assert_uint_eq(c->nrows, 1);
	ck_assert_uint_eq(l->flags & PT_FLAG_GONE, 0);
	ck_assert_uint_ne(l->flags & PT_FLAG_NEW, 0);
	ck_assert_int_eq(l->gone_ms, 0);
	ck_assert_int_eq(l->first_seen_ms, 1000000);
	snapshot_free(a);
	snapshot_free(b);
	snapshot_free(c);
}
END_TEST

START_TEST(test_ephemeral_flag_respects_range_and_reserved_ports)
{
	struct pt_port_set reserved;
	struct pt_snapshot *snap;

	reset();
	ck_assert_int_eq(ports_parse_set("40001", &reserved), 0);
	sample.reserved = &reserved;
	listen_tcp("127.0.0.1", 40000, 10);
	listen_tcp("127.0.0.1", 40001, 11);
	listen_tcp("127.0.0.1", 8080, 12);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 50000, "127.0.0.1", 8080, 13);
	snap = build(NULL);
	ck_assert_uint_ne(row(snap, PT_PROTO_TCP, "127.0.0.1", 40000)->flags & PT_FLAG_EPHEMERAL, 0);
	ck_assert_uint_eq(row(snap, PT_PROTO_TCP, "127.0.0.1", 40001)->flags & PT_FLAG_EPHEMERAL, 0);
	ck_assert_uint_eq(row(snap, PT_PROTO_TCP, "127.0.0.1", 8080)->flags & PT_FLAG_EPHEMERAL, 0);
	/* 40000, 40001 and 50000 are local ports in the range */
	ck_assert_uint_eq(snap->totals.ephemeral_used, 3);
	ck_assert_uint_eq(snap->totals.ephemeral_size, 28232);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_reachable_listener_is_exposed_unless_a_rule_expects_it)
{
	struct pt_snapshot *snap;
	struct pt_rules *rules;
	struct strbuf errors = STRBUF_INIT;

	reset();
	listen_tcp("0.0.0.0", 22, 10);
	listen_tcp("192.0.2.1", 80, 11);
	listen_tcp("127.0.0.1", 8080, 12);
	snap = build(NULL);
	ck_assert_uint_ne(row(snap, PT_PROTO_TCP, "0.0.0.0", 22)->flags & PT_FLAG_EXPOSED, 0);
	ck_assert_uint_ne(row(snap, PT_PROTO_TCP, "192.0.2.1", 80)->flags & PT_FLAG_EXPOSED, 0);
	ck_assert_uint_eq(row(snap, PT_PROTO_TCP, "127.0.0.1", 8080)->flags & PT_FLAG_EXPOSED, 0);
	ck_assert_uint_eq(snap->totals.exposed, 2);
	snapshot_free(snap);

	rules = rules_new();
	ck_assert_int_eq(rules_parse(rules, "tcp *:22\n", 9, "test", &errors), 0);
	opts.rules = rules;
	snap = build(NULL);
	ck_assert_uint_eq(row(snap, PT_PROTO_TCP, "0.0.0.0", 22)->flags & PT_FLAG_EXPOSED, 0);
	ck_assert_uint_eq(snap->totals.exposed, 1);
	snapshot_free(snap);
	rules_free(rules);
	strbuf_fini(&errors);
}
END_TEST

START_TEST(test_focus_lists_connections_with_their_local_client_process)
{
	struct pt_snapshot *snap;
	struct pt_owner client = { 21, 500, 7, 5000 };
	struct pt_key key;
	uint32_t *peers;
	size_t n;

	reset();
	listen_tcp("127.0.0.1", 6379, 10);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 6379, "127.0.0.1", 40000, 20);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 40000, "127.0.0.1", 6379, 21);
	sock(PT_PROTO_TCP, PT_STATE_ESTABLISHED, "127.0.0.1", 6379, "127.0.0.1", 40001, 22);
	proc(500, "redis-cli");
	key_from_sock(&key, &socks[0]);

	n = snapshot_peer_inodes(socks, nsocks, &key, false, &peers);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(peers[0], 21);
	free(peers);

	sample.client_owners = &client;
	sample.nclient_owners = 1;
	opts.focus = &key;
	snap = build(NULL);
	ck_assert(snap->has_focus);
	ck_assert_uint_eq(snap->nfocus_conns, 2);
	ck_assert_uint_eq(snap->focus_conns[0].sock.pport, 40000);
	ck_assert_ptr_nonnull(snap->focus_conns[0].client);
	ck_assert_str_eq(snap->focus_conns[0].client->comm, "redis-cli");
	ck_assert_ptr_null(snap->focus_conns[1].client);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_status_and_costs_are_carried_into_the_snapshot)
{
	struct pt_snapshot *snap;

	reset();
	sample.status = "owners of 3 sockets hidden";
	sample.cost_wall_us = 1234;
	sample.inconsistent = true;
	snap = build(NULL);
	ck_assert_str_eq(snap->status, "owners of 3 sockets hidden");
	ck_assert_uint_eq(snap->cost_wall_us, 1234);
	ck_assert(snap->inconsistent);
	ck_assert_uint_eq(snap->seq, 1);
	ck_assert_uint_eq(snap->refs, 1);
	snapshot_free(snap);
}
END_TEST

START_TEST(test_vanished_row_does_not_duplicate_the_live_rows_after_it)
{
	struct pt_snapshot *a, *b;

	reset();
	listen_tcp("127.0.0.1", 8080, 10);
	listen_tcp("127.0.0.1", 9090, 11);
	a = build(NULL);
	reset();
	sample.time_ms += 1000;
	listen_tcp("127.0.0.1", 9090, 11);
	b = build(a);
	ck_assert_uint_eq(b->nrows, 2);
	ck_assert(row(b, PT_PROTO_TCP, "127.0.0.1", 8080)->flags & PT_FLAG_GONE);
	ck_assert(!(row(b, PT_PROTO_TCP, "127.0.0.1", 9090)->flags & PT_FLAG_GONE));
	snapshot_free(a);
	snapshot_free(b);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("snapshot");

	tcase_add_test(tc, test_dual_stack_any_counts_ipv4_and_ipv6_connections);
	tcase_add_test(tc, test_v6only_any_beside_ipv4_any_splits_connections_by_family);
	tcase_add_test(tc, test_specific_address_listener_gets_only_its_connections);
	tcase_add_test(tc, test_reuseport_group_folds_into_one_row_with_every_socket);
	tcase_add_test(tc, test_socket_shared_after_fork_lists_each_process_once);
	tcase_add_test(tc, test_udp_unconnected_is_a_row_and_connected_is_a_connection);
	tcase_add_test(tc, test_unaccepted_connections_are_queued_not_established);
	tcase_add_test(tc, test_stuck_after_n_samples_of_a_queue_that_does_not_shrink);
	tcase_add_test(tc, test_queue_history_keeps_the_last_sixty_samples);
	tcase_add_test(tc, test_first_sample_marks_nothing_new_and_later_arrivals_are_new);
	tcase_add_test(tc, test_gone_row_stays_dimmed_with_its_owner_then_disappears);
	tcase_add_test(tc, test_restarted_service_keeps_its_row_and_first_seen);
	tcase_add_test(tc, test_listener_back_after_gone_is_new_again_but_keeps_first_seen);
	tcase_add_test(tc, test_ephemeral_flag_respects_range_and_reserved_ports);
	tcase_add_test(tc, test_reachable_listener_is_exposed_unless_a_rule_expects_it);
	tcase_add_test(tc, test_focus_lists_connections_with_their_local_client_process);
	tcase_add_test(tc, test_status_and_costs_are_carried_into_the_snapshot);
	tcase_add_test(tc, test_vanished_row_does_not_duplicate_the_live_rows_after_it);
	suite_add_tcase(s, tc);
	return s;
}
