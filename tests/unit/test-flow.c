/*
 * test-flow.c — the flow table: both directions in one flow, who initiated, TCP port reuse,
 * IPv4 against IPv6 keys, growth to 100,000 flows, fragments charged to their first fragment's
 * flow, the flag letters; and port reuse once more through the whole pipeline from a pcap file.
 * Under a memory limit: flows taken out and their slots reused, the clock that picks them, a
 * fragment of a flow taken out; and keys crafted to collide that no longer pile up.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "flow.h"
#include "frames.h"
#include "pkt.h"

static struct cap_pkt cap0;

/* A pkt as the dissectors leave it, with only what the flow table reads. */
static void
mkpkt(struct pkt *p, int ipver, const char *src, uint16_t sport, const char *dst,
    uint16_t dport, uint8_t proto, uint8_t flags, uint32_t seq)
{
	memset(p, 0, sizeof *p);
	p->cap = &cap0;
	p->what = LW_IP;
	p->ipver = (uint8_t)ipver;
	assert_int_equal(addr_parse(&p->src, src), 0);
	assert_int_equal(addr_parse(&p->dst, dst), 0);
	p->proto = proto;
	p->has_ports = proto == 6 || proto == 17;
	p->sport = sport;
	p->dport = dport;
	p->tcp_flags = flags;
	p->seq = seq;
}

/*
 * The pipeline (analysis.c) keeps the TCP state that flow_lookup() reads to spot port reuse:
 * closed after FIN or RST, the first SYN's sequence number.  This is the same bookkeeping.
 */
static struct flow *
lookup(struct flow_table *t, const struct pkt *p, int *dir)
{
	struct flow *f = flow_lookup(t, p, dir);

	assert_non_null(f);
	if (p->proto == 6) {
		if (p->tcp_flags & (TH_FIN | TH_RST))
			f->closed = 1;
		if ((p->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN && !f->syn_seen) {
			f->syn_seen = 1;
			f->syn_seq = p->seq;
		}
	}
	return f;
}

/* Every table test gets a fresh table, freed by the teardown even when the test fails. */
static int
table_setup(void **state)
{
	*state = flow_table_new();
	return 0;
}

static int
table_teardown(void **state)
{
	flow_table_free(*state);
	return 0;
}

#define TABLE_TEST(f)	cmocka_unit_test_setup_teardown(f, table_setup, table_teardown)

static void
test_both_directions(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	struct addr a;
	int dir = -1;

	mkpkt(&p, 4, "192.168.1.10", 40000, "8.8.8.8", 53, 17, 0, 0);
	struct flow *f = lookup(t, &p, &dir);
	assert_int_equal(dir, 0);
	assert_int_equal(f->id, 0);
	assert_int_equal(flow_count(t), 1);
	addr_parse(&a, "192.168.1.10");
	assert_memory_equal(&f->key.a, &a, sizeof a);
	assert_int_equal(f->key.pa, 40000);
	assert_int_equal(f->key.pb, 53);
	assert_int_equal(f->key.ipver, 4);

	mkpkt(&p, 4, "8.8.8.8", 53, "192.168.1.10", 40000, 17, 0, 0);
	assert_ptr_equal(lookup(t, &p, &dir), f);
	assert_int_equal(dir, 1);

	/* Another source port is another conversation. */
	mkpkt(&p, 4, "192.168.1.10", 40001, "8.8.8.8", 53, 17, 0, 0);
	assert_ptr_not_equal(lookup(t, &p, &dir), f);
	assert_int_equal(flow_count(t), 2);

	/* Same endpoints and ports in both places (a host talking to itself). */
	mkpkt(&p, 4, "127.0.0.1", 7, "127.0.0.1", 7, 17, 0, 0);
	struct flow *self = lookup(t, &p, &dir);
	assert_int_equal(dir, 0);
	assert_ptr_equal(lookup(t, &p, &dir), self);
	assert_int_equal(flow_count(t), 3);
}

static void
test_initiator(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	struct addr a;
	int dir = -1;

	/* SYN from the client: the client is side a. */
	mkpkt(&p, 4, "10.0.0.5", 50000, "10.0.0.1", 22, 6, TH_SYN, 1);
	struct flow *f = lookup(t, &p, &dir);
	assert_int_equal(dir, 0);
	addr_parse(&a, "10.0.0.5");
	assert_memory_equal(&f->key.a, &a, sizeof a);

	/* A SYN-ACK seen first (its SYN was missed): its receiver initiated the connection. */
	mkpkt(&p, 4, "10.0.0.1", 443, "10.0.0.7", 51000, 6, TH_SYN | TH_ACK, 9);
	f = lookup(t, &p, &dir);
	assert_int_equal(dir, 1);
	addr_parse(&a, "10.0.0.7");
	assert_memory_equal(&f->key.a, &a, sizeof a);
	assert_int_equal(f->key.pa, 51000);
	assert_int_equal(f->key.pb, 443);
	mkpkt(&p, 4, "10.0.0.7", 51000, "10.0.0.1", 443, 6, TH_ACK, 2);
	assert_ptr_equal(lookup(t, &p, &dir), f);
	assert_int_equal(dir, 0);

	/* Mid-stream data from the server seen first: the first sender is side a. */
	mkpkt(&p, 4, "10.0.0.1", 8080, "10.0.0.9", 52000, 6, TH_ACK | TH_PSH, 7);
	f = lookup(t, &p, &dir);
	assert_int_equal(dir, 0);
	addr_parse(&a, "10.0.0.1");
	assert_memory_equal(&f->key.a, &a, sizeof a);
}

static void
handshake(struct flow_table *t, uint32_t isn, struct flow **f)
{
	struct pkt p;
	int dir;

	mkpkt(&p, 4, "192.168.1.2", 33000, "192.168.1.3", 1883, 6, TH_SYN, isn);
	*f = lookup(t, &p, &dir);
	assert_int_equal(dir, 0);
	mkpkt(&p, 4, "192.168.1.3", 1883, "192.168.1.2", 33000, 6, TH_SYN | TH_ACK, 77);
	assert_ptr_equal(lookup(t, &p, &dir), *f);
	assert_int_equal(dir, 1);
	mkpkt(&p, 4, "192.168.1.2", 33000, "192.168.1.3", 1883, 6, TH_ACK, isn + 1);
	assert_ptr_equal(lookup(t, &p, &dir), *f);
}

static void
test_port_reuse(void **state)
{
	struct flow_table *t = *state;
	struct flow *f1, *f2, *f3;
	struct pkt p;
	int dir;

	handshake(t, 1000, &f1);
	/* A retransmitted SYN on an open connection stays in it. */
	mkpkt(&p, 4, "192.168.1.2", 33000, "192.168.1.3", 1883, 6, TH_SYN, 1000);
	assert_ptr_equal(lookup(t, &p, &dir), f1);
	mkpkt(&p, 4, "192.168.1.2", 33000, "192.168.1.3", 1883, 6, TH_FIN | TH_ACK, 1001);
	assert_ptr_equal(lookup(t, &p, &dir), f1);
	mkpkt(&p, 4, "192.168.1.3", 1883, "192.168.1.2", 33000, 6, TH_FIN | TH_ACK, 78);
	assert_ptr_equal(lookup(t, &p, &dir), f1);
	/* After FIN, the same SYN once more is a late retransmission, not a new connection. */
	mkpkt(&p, 4, "192.168.1.2", 33000, "192.168.1.3", 1883, 6, TH_SYN, 1000);
	assert_ptr_equal(lookup(t, &p, &dir), f1);
	assert_int_equal(flow_count(t), 1);

	/* A SYN with another initial sequence number: a new connection on the same ports. */
	handshake(t, 5000, &f2);
	assert_ptr_not_equal(f2, f1);
	assert_int_equal(f2->id, 1);
	assert_int_equal(flow_count(t), 2);
	assert_ptr_equal(flow_get(t, 0), f1);	/* the old one stays */
	assert_int_equal(f1->closed, 1);
	assert_int_equal(f2->closed, 0);

	/* RST closes too; the reply direction opening it again also counts. */
	mkpkt(&p, 4, "192.168.1.3", 1883, "192.168.1.2", 33000, 6, TH_RST, 0);
	assert_ptr_equal(lookup(t, &p, &dir), f2);
	mkpkt(&p, 4, "192.168.1.3", 1883, "192.168.1.2", 33000, 6, TH_SYN, 424242);
	f3 = lookup(t, &p, &dir);
	assert_int_equal(dir, 0);
	assert_int_equal(f3->id, 2);
	assert_int_equal(flow_count(t), 3);

	/* UDP never reuses: FIN bits mean nothing there. */
	mkpkt(&p, 4, "192.168.1.2", 5000, "192.168.1.3", 5000, 17, 0, 0);
	struct flow *u = lookup(t, &p, &dir);
	u->closed = 1;
	mkpkt(&p, 4, "192.168.1.2", 5000, "192.168.1.3", 5000, 17, TH_SYN, 99);
	assert_ptr_equal(lookup(t, &p, &dir), u);
}

/* IPv4 addresses are stored mapped into ::ffff:0:0/96: an IPv6 packet between the mapped
 * addresses is still another flow. */
static void
test_v4_v6_distinct(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	int dir;

	mkpkt(&p, 4, "10.0.0.1", 1000, "10.0.0.2", 2000, 17, 0, 0);
	struct flow *f4 = lookup(t, &p, &dir);
	mkpkt(&p, 6, "::ffff:10.0.0.1", 1000, "::ffff:10.0.0.2", 2000, 17, 0, 0);
	struct flow *f6 = lookup(t, &p, &dir);
	assert_ptr_not_equal(f4, f6);
	assert_int_equal(f6->key.ipver, 6);
	mkpkt(&p, 6, "::ffff:10.0.0.2", 2000, "::ffff:10.0.0.1", 1000, 17, 0, 0);
	assert_ptr_equal(lookup(t, &p, &dir), f6);
	assert_int_equal(dir, 1);

	/* Same endpoints, another protocol. */
	mkpkt(&p, 4, "10.0.0.1", 1000, "10.0.0.2", 2000, 6, TH_ACK, 0);
	assert_ptr_not_equal(lookup(t, &p, &dir), f4);
	assert_int_equal(flow_count(t), 3);

	/* ICMP has no ports: one flow per pair of hosts. */
	mkpkt(&p, 6, "2001:db8::1", 0, "2001:db8::2", 0, 58, 0, 0);
	p.icmp_type = 128;
	struct flow *ic = lookup(t, &p, &dir);
	mkpkt(&p, 6, "2001:db8::2", 0, "2001:db8::1", 0, 58, 0, 0);
	assert_ptr_equal(lookup(t, &p, &dir), ic);
	assert_int_equal(dir, 1);
}

static void
many_pkt(struct pkt *p, uint32_t i, int reverse)
{
	char a[32], b[32];

	snprintf(a, sizeof a, "10.%u.%u.%u", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
	snprintf(b, sizeof b, "172.16.%u.%u", (i >> 8) & 0xff, i & 0xff);
	if (reverse)
		mkpkt(p, 4, b, 443, a, (uint16_t)(1024 + i % 50000), 6, TH_ACK, i);
	else
		mkpkt(p, 4, a, (uint16_t)(1024 + i % 50000), b, 443, 6, TH_SYN, i);
}

static void
test_many_flows(void **state)
{
	enum { N = 100000 };
	struct flow_table *t = *state;
	size_t small = flow_table_bytes(t);
	struct pkt p;
	int dir;

	for (uint32_t i = 0; i < N; i++) {
		many_pkt(&p, i, 0);
		struct flow *f = flow_lookup(t, &p, &dir);
		assert_int_equal(f->id, i);
		assert_int_equal(dir, 0);
	}
	assert_int_equal(flow_count(t), N);
	assert_true(flow_table_bytes(t) > small);
	for (uint32_t i = 0; i < N; i++) {
		many_pkt(&p, i, i % 2);
		struct flow *f = flow_lookup(t, &p, &dir);
		if (f->id != i || dir != (int)(i % 2))
			fail_msg("flow %u came back as %u, dir %d", i, f->id, dir);
		assert_ptr_equal(flow_get(t, i), f);
		assert_int_equal(f->key.pa, 1024 + i % 50000);
	}
	assert_int_equal(flow_count(t), N);
}

/* A later fragment: no transport header, so no ports; only its datagram's ID places it. */
static void
mkfrag(struct pkt *p, int ipver, const char *src, const char *dst, uint32_t id)
{
	mkpkt(p, ipver, src, 0, dst, 0, 17, 0, 0);
	p->has_ports = 0;
	p->frag = FRAG_LATER;
	p->frag_id = id;
}

static void
test_fragments(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	int dir = -1;

	mkfrag(&p, 4, "192.168.1.5", "192.168.1.6", 77);
	assert_null(flow_lookup_fragment(t, &p, &dir));	/* nothing seen yet */

	/* The first fragment carries the ports and makes the flow (the reply's direction). */
	mkpkt(&p, 4, "192.168.1.6", 4000, "192.168.1.5", 5000, 17, 0, 0);
	struct flow *g = lookup(t, &p, &dir);
	mkpkt(&p, 4, "192.168.1.5", 5000, "192.168.1.6", 4000, 17, 0, 0);
	p.frag = FRAG_FIRST;
	p.frag_id = 77;
	struct flow *f = lookup(t, &p, &dir);
	assert_ptr_equal(f, g);
	assert_int_equal(dir, 1);

	mkfrag(&p, 4, "192.168.1.5", "192.168.1.6", 77);
	dir = -1;
	assert_ptr_equal(flow_lookup_fragment(t, &p, &dir), f);
	assert_int_equal(dir, 1);

	p.frag_id = 78;					/* another datagram */
	assert_null(flow_lookup_fragment(t, &p, &dir));
	p.frag_id = 77;
	p.proto = 6;					/* another protocol */
	assert_null(flow_lookup_fragment(t, &p, &dir));
	p.proto = 17;
	mkfrag(&p, 4, "192.168.1.6", "192.168.1.5", 77);	/* reversed */
	assert_null(flow_lookup_fragment(t, &p, &dir));
	mkfrag(&p, 4, "192.168.1.5", "192.168.1.9", 77);	/* another host */
	assert_null(flow_lookup_fragment(t, &p, &dir));

	/* IPv6 fragments, initiator's direction. */
	mkpkt(&p, 6, "fd00::1", 6000, "fd00::2", 7000, 17, 0, 0);
	p.frag = FRAG_FIRST;
	p.frag_id = 0xdeadbeef;
	struct flow *h = lookup(t, &p, &dir);
	mkfrag(&p, 6, "fd00::1", "fd00::2", 0xdeadbeef);
	assert_ptr_equal(flow_lookup_fragment(t, &p, &dir), h);
	assert_int_equal(dir, 0);
}

/* Every third flow kept: the rest taken out, their slots reused, the index still exact. */
static void
test_remove_reuse(void **state)
{
	enum { N = 20000 };
	struct flow_table *t = *state;
	struct pkt p;
	int dir;

	for (uint32_t i = 0; i < N; i++) {
		many_pkt(&p, i, 0);
		lookup(t, &p, &dir);
	}
	for (uint32_t i = 0; i < N; i++)
		if (i % 3 != 0)
			flow_remove(t, flow_get(t, i));
	assert_int_equal(flow_count(t), (N + 2) / 3);
	assert_int_equal(flow_slots(t), N);
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(flow_held(flow_get(t, i)), i % 3 == 0);
		if (i % 3 != 0)
			continue;
		many_pkt(&p, i, i % 2);
		struct flow *f = flow_lookup(t, &p, &dir);
		if (f->id != i || dir != (int)(i % 2))
			fail_msg("flow %u came back as %u, dir %d", i, f->id, dir);
	}
	/* New flows take the free slots: no new ids, and each is found again. */
	for (uint32_t i = N; i < N + N - (N + 2) / 3; i++) {
		many_pkt(&p, i, 0);
		struct flow *f = lookup(t, &p, &dir);
		assert_true(f->id < N && f->id % 3 != 0);
	}
	assert_int_equal(flow_slots(t), N);
	assert_int_equal(flow_count(t), N);
	for (uint32_t i = 0; i < 2 * N - (N + 2) / 3; i++) {
		if (i < N && i % 3 != 0)
			continue;
		many_pkt(&p, i, 1);
		struct flow *f = flow_lookup(t, &p, &dir);
		assert_int_equal(dir, 1);
		assert_int_equal(f->key.pa, 1024 + i % 50000);
	}
	assert_int_equal(flow_count(t), N);
}

/* The clock: a flow seen since the hand passed gets a second chance. */
static void
test_victim(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	int dir;

	assert_null(flow_victim(t));
	for (uint32_t i = 0; i < 8; i++) {
		many_pkt(&p, i, 0);
		lookup(t, &p, &dir);
	}
	/* All new (marked): the first turn clears them, the second takes the first. */
	struct flow *v = flow_victim(t);
	assert_int_equal(v->id, 0);
	flow_remove(t, v);
	flow_get(t, 2)->ref = 1;			/* a packet of flow 2 */
	v = flow_victim(t);
	assert_int_equal(v->id, 1);
	flow_remove(t, v);
	v = flow_victim(t);
	assert_int_equal(v->id, 3);			/* 2 was passed by */
	flow_remove(t, v);
	/* A new flow takes the last slot freed; the hand goes on, round to 2. */
	many_pkt(&p, 100, 0);
	assert_int_equal(lookup(t, &p, &dir)->id, 3);
	for (uint32_t want = 4; want < 8; want++) {
		v = flow_victim(t);
		assert_int_equal(v->id, want);
		flow_remove(t, v);
	}
	assert_int_equal(flow_victim(t)->id, 2);
	assert_int_equal(flow_count(t), 2);
}

/* A flow taken out: its later fragments are no longer charged, not even to its slot's heir. */
static void
test_fragment_after_remove(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	int dir;

	mkpkt(&p, 4, "192.168.1.5", 5000, "192.168.1.6", 4000, 17, 0, 0);
	p.frag = FRAG_FIRST;
	p.frag_id = 9;
	struct flow *f = lookup(t, &p, &dir);
	mkfrag(&p, 4, "192.168.1.5", "192.168.1.6", 9);
	assert_ptr_equal(flow_lookup_fragment(t, &p, &dir), f);
	flow_remove(t, f);
	assert_null(flow_lookup_fragment(t, &p, &dir));
	mkpkt(&p, 4, "10.0.0.1", 1, "10.0.0.2", 2, 17, 0, 0);
	assert_ptr_equal(lookup(t, &p, &dir), f);	/* the same slot, another flow */
	mkfrag(&p, 4, "192.168.1.5", "192.168.1.6", 9);
	assert_null(flow_lookup_fragment(t, &p, &dir));
}

/*
 * Keys chosen so that the unkeyed hash of earlier versions gave them all one value (each
 * endpoint's word was (w0 ^ rot32(w1) ^ port) * K: an IPv4 source a.b.7.9 with port
 * C ^ (a | b << 8) always gave the same word), so every lookup walked one chain of tens of
 * thousands of flows.  With the random key they spread like any others.
 */
static uint64_t
old_endpoint_word(const struct addr *a, uint16_t port)
{
	uint64_t w0, w1;

	memcpy(&w0, a->b, 8);
	memcpy(&w1, a->b + 8, 8);
	return (w0 ^ (w1 << 32 | w1 >> 32) ^ port) * 0x9e3779b97f4a7c15ull;
}

static void
test_crafted_collisions(void **state)
{
	enum { N = 40000 };
	struct flow_table *t = *state;
	struct pkt p;
	char src[32];
	int dir;
	uint64_t first = 0;

	for (uint32_t i = 0; i < N; i++) {
		unsigned a = i & 0xff, b = i >> 8;
		snprintf(src, sizeof src, "%u.%u.7.9", a, b);
		mkpkt(&p, 4, src, (uint16_t)(0x5555 ^ (a | b << 8)), "192.168.1.1", 80, 6,
		    TH_SYN, i);
		uint64_t w = old_endpoint_word(&p.src, p.sport);
		if (i == 0)
			first = w;
		assert_true(w == first);	/* the premise: all one value before */
		lookup(t, &p, &dir);
	}
	assert_int_equal(flow_count(t), N);
	/* Linear probing at half load: runs of a few dozen at most, not N. */
	assert_true(flow_probe_max(t) < 100);
}

/*
 * flow.h allows packets with addresses only.  A UDP header cut after its ports leaves sport
 * and dport set with has_ports 0: lookup() hashes and matches such a packet with ports 0, but
 * flow_new() keys the flow with the ports it was given, so the same packet never finds its
 * flow again and every copy makes a new one.  (analysis.c drops such TCP/UDP packets before
 * the table today, so only direct users of the table meet this.)
 */
static void
test_no_ports_same_flow(void **state)
{
	struct flow_table *t = *state;
	struct pkt p;
	int dir;

	mkpkt(&p, 4, "192.168.1.5", 1234, "192.168.1.6", 80, 17, 0, 0);
	p.has_ports = 0;
	struct flow *f = lookup(t, &p, &dir);
	assert_ptr_equal(lookup(t, &p, &dir), f);
	assert_int_equal(flow_count(t), 1);
}

static void
test_flags_str(void **state)
{
	(void)state;
	char buf[16], small[3];

	assert_string_equal(flow_flags_str(0, buf, sizeof buf), "");
	assert_string_equal(flow_flags_str(TH_SYN, buf, sizeof buf), "S");
	assert_string_equal(flow_flags_str(TH_SYN | TH_ACK, buf, sizeof buf), "SA");
	assert_string_equal(flow_flags_str(TH_FIN | TH_PSH | TH_ACK, buf, sizeof buf), "FPA");
	assert_string_equal(flow_flags_str(0xff, buf, sizeof buf), "FSRPAUEC");
	assert_string_equal(flow_flags_str(TH_RST | TH_URG | TH_ECE | TH_CWR, buf, sizeof buf),
	    "RUEC");
	assert_string_equal(flow_flags_str(0xff, small, sizeof small), "FS");

	assert_string_equal(flow_proto_name(6, buf, sizeof buf), "TCP");
	assert_string_equal(flow_proto_name(58, buf, sizeof buf), "ICMPv6");
	assert_string_equal(flow_proto_name(253, buf, sizeof buf), "IP-253");
	/* Fixed names land in buf too: a caller may print buf (ICMP, ICMPv6, IGMP: no ports). */
	static const struct { uint8_t proto; const char *name; } named[] = {
		{ 1, "ICMP" }, { 58, "ICMPv6" }, { 2, "IGMP" }, { 17, "UDP" }, { 255, "IP-255" },
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		memset(buf, 'x', sizeof buf);
		buf[sizeof buf - 1] = '\0';
		assert_ptr_equal(flow_proto_name(named[i].proto, buf, sizeof buf), buf);
		assert_string_equal(buf, named[i].name);
	}
	assert_string_equal(flow_proto_name(58, small, sizeof small), "IC");	/* cut, terminated */
}

static void
write_tcp(FILE *fp, int64_t us, const char *from, uint8_t flags, uint32_t seq)
{
	static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t mac_s[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const uint8_t ip_c[4] = { 192, 168, 1, 2 }, ip_s[4] = { 192, 168, 1, 3 };
	int client = strcmp(from, "client") == 0;
	uint8_t buf[128];
	struct fb f;
	struct fr_ip4 h = { .proto = 6 };
	struct fr_tcp t = { .flags = flags, .seq = seq };

	memcpy(h.src, client ? ip_c : ip_s, 4);
	memcpy(h.dst, client ? ip_s : ip_c, 4);
	t.sport = client ? 33000 : 1883;
	t.dport = client ? 1883 : 33000;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, client ? mac_s : mac_c, client ? mac_c : mac_s, NULL, 0, 0x0800);
	size_t ip = fr_ip4(&f, &h);
	fr_tcp(&f, &t);
	fr_ip4_done(&f, ip);
	fr_pcap_write(fp, us, buf, (uint32_t)f.len, (uint32_t)f.len);
}

/* The same reuse rules with the pipeline doing the TCP bookkeeping itself. */
static void
test_port_reuse_pipeline(void **state)
{
	struct fr_run *r = *state;

	fr_run_open(r, DLT_EN10MB);
	write_tcp(r->fp, 1, "client", TH_SYN, 100);
	write_tcp(r->fp, 2, "server", TH_SYN | TH_ACK, 900);
	write_tcp(r->fp, 3, "client", TH_ACK, 101);
	write_tcp(r->fp, 4, "client", TH_FIN | TH_ACK, 101);
	write_tcp(r->fp, 5, "server", TH_FIN | TH_ACK, 901);
	write_tcp(r->fp, 6, "client", TH_SYN, 100);		/* late retransmission */
	write_tcp(r->fp, 7, "client", TH_SYN, 7000);		/* new connection */
	write_tcp(r->fp, 8, "server", TH_SYN | TH_ACK, 8000);
	write_tcp(r->fp, 9, "client", TH_SYN, 7000);		/* its retransmission */
	fr_run_analyse(r, 4);
	const struct flow_table *t = analysis_flows(r->a);
	assert_int_equal(flow_count(t), 2);
	const struct flow *f1 = flow_get(t, 0), *f2 = flow_get(t, 1);
	assert_int_equal(f1->pkts[0] + f1->pkts[1], 6);
	assert_int_equal(f2->pkts[0], 2);
	assert_int_equal(f2->pkts[1], 1);
	assert_int_equal(f1->tcp_flags[0], TH_SYN | TH_ACK | TH_FIN);
	assert_int_equal(f2->syn_seq, 7000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TABLE_TEST(test_both_directions),
		TABLE_TEST(test_initiator),
		TABLE_TEST(test_port_reuse),
		TABLE_TEST(test_v4_v6_distinct),
		TABLE_TEST(test_many_flows),
		TABLE_TEST(test_fragments),
		TABLE_TEST(test_no_ports_same_flow),
		TABLE_TEST(test_remove_reuse),
		TABLE_TEST(test_victim),
		TABLE_TEST(test_fragment_after_remove),
		TABLE_TEST(test_crafted_collisions),
		cmocka_unit_test(test_flags_str),
		FR_RUN_TEST(test_port_reuse_pipeline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
