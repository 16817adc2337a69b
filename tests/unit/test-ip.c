/*
 * test-ip.c — the IP and transport dissectors: IPv4 lengths, options and fragments, IPv6
 * extension headers, TCP and UDP header damage, ICMP; then every truncation point of four
 * whole frames, cut by the snap length (truncated) and with a wire length that lies (malformed).
 */
#include "config.h"

#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dissect.h"
#include "frames.h"

#define LT_LINUX_SLL2	276

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t ip4_a[4] = { 10, 0, 0, 1 };
static const uint8_t ip4_b[4] = { 93, 184, 216, 34 };
static const uint8_t ip6_a[16] = { 0xfd, 0x00, [15] = 0x01 };
static const uint8_t ip6_b[16] = { 0x26, 0x06, 0x28, 0x00, [15] = 0x02 };
static const uint8_t snap_ip4[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
static const uint8_t data10[10] = "0123456789";

static void
ip4_hdr(struct fr_ip4 *h, uint8_t proto)
{
	memset(h, 0, sizeof *h);
	memcpy(h->src, ip4_a, 4);
	memcpy(h->dst, ip4_b, 4);
	h->proto = proto;
	h->id = 0x4242;
}

static void
run(struct pkt *p, struct cap_pkt *c, int dlt, const struct fb *f)
{
	fr_cap(c, dlt, f->buf, (uint32_t)f->len, (uint32_t)f->len, 0);
	dissect_packet(p, c);
}

/* Ethernet / IPv4 (optional options) / TCP with n bytes of data; returns the IP offset. */
static size_t
eth_ip4_tcp(struct fb *f, uint8_t *buf, size_t cap, const uint8_t *opts, size_t optlen,
    size_t n)
{
	struct fr_ip4 h;
	const struct fr_tcp t = { .sport = 51000, .dport = 443, .seq = 1000, .ack = 2000,
	    .flags = TH_ACK | TH_PSH };

	fb_init(f, buf, cap);
	fr_ether(f, mac_b, mac_a, NULL, 0, 0x0800);
	ip4_hdr(&h, 6);
	h.opts = opts;
	h.optlen = optlen;
	size_t ip = fr_ip4(f, &h);
	fr_tcp(f, &t);
	fb_put(f, data10, n);
	fr_ip4_done(f, ip);
	return ip;
}

static void
test_ip4_options(void **state)
{
	(void)state;
	static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 };	/* router alert */
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;

	eth_ip4_tcp(&f, buf, sizeof buf, ra, sizeof ra, 10);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.ip_options, 1);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 51000);
	assert_int_equal(p.dport, 443);
	assert_int_equal(p.seq, 1000);
	assert_int_equal(p.ack, 2000);
	assert_int_equal(p.tcp_flags, TH_ACK | TH_PSH);
	assert_int_equal(p.payload_len, 10);
	assert_memory_equal(p.payload.p, data10, 10);
	assert_int_equal(rd_left(&p.net), 24 + 20 + 10);
	assert_int_equal(p.frag, FRAG_NONE);
	assert_int_equal(p.frag_id, 0x4242);

	eth_ip4_tcp(&f, buf, sizeof buf, NULL, 0, 10);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.ip_options, 0);
}

/* Ethernet pads short frames to 60 bytes: the IP total length, not the frame, ends payload. */
static void
test_ip4_padding(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;

	eth_ip4_tcp(&f, buf, sizeof buf, NULL, 0, 0);
	fb_put(&f, NULL, 60 - f.len);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.payload_len, 0);
	assert_int_equal(rd_left(&p.payload), 0);
	assert_int_equal(rd_left(&p.net), 40);
	assert_int_equal(p.bad_layer, 0);

	eth_ip4_tcp(&f, buf, sizeof buf, NULL, 0, 3);
	fb_put(&f, "\xff\xff\xff", 3);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.payload_len, 3);
	assert_int_equal(rd_left(&p.payload), 3);
}

/* TCP segmentation offload leaves total length 0 in sent packets: the frame bounds them. */
static void
test_ip4_total_zero(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;

	size_t ip = eth_ip4_tcp(&f, buf, sizeof buf, NULL, 0, 10);
	fr_ip4_len(&f, ip, 0);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(rd_left(&p.payload), 10);
	assert_int_equal(p.trunc_layer, 0);
	assert_int_equal(p.bad_layer, 0);
}

static void
test_ip4_total_vs_capture(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;

	/*
	 * Longer than captured, within the wire length: the snap length cut the payload, which
	 * is no header damage (the overview counts it as cut in the payload).
	 */
	eth_ip4_tcp(&f, buf, sizeof buf, NULL, 0, 10);
	fr_cap(&c, DLT_EN10MB, buf, (uint32_t)f.len - 4, (uint32_t)f.len, 0);
	dissect_packet(&p, &c);
	assert_int_equal(p.trunc_layer, 0);
	assert_int_equal(p.bad_layer, 0);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(rd_left(&p.payload), 6);

	/* Longer than the frame on the wire: a lie.  The frame bounds what is decoded. */
	size_t ip = eth_ip4_tcp(&f, buf, sizeof buf, NULL, 0, 10);
	fr_ip4_len(&f, ip, 40 + 10 + 100);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.bad_layer, LAYER_NET + 1);
	assert_int_equal(p.trunc_layer, 0);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(rd_left(&p.payload), 10);

	/* Shorter than its own header. */
	fr_ip4_len(&f, ip, 12);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.bad_layer, LAYER_NET + 1);
	assert_int_equal(p.has_ports, 0);
}

static void
test_ip4_bad_header(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;
	struct fr_ip4 h;

	ip4_hdr(&h, 17);
	h.ihl = 4;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x0800);
	size_t ip = fr_ip4(&f, &h);
	fr_udp(&f, 1, 2);
	fr_ip4_done(&f, ip);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.bad_layer, LAYER_NET + 1);
	assert_int_equal(p.ipver, 0);
	assert_int_equal(p.has_ports, 0);

	/* Ethertype IPv4, version nibble 6. */
	h.ihl = 0;
	h.version = 6;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x0800);
	ip = fr_ip4(&f, &h);
	fr_udp(&f, 1, 2);
	fr_ip4_done(&f, ip);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.bad_layer, LAYER_NET + 1);
	assert_int_equal(p.ipver, 0);
}

static void
test_ip4_fragments(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;
	struct fr_ip4 h;

	/* First fragment: UDP header claims 8 + 60 bytes, 8 + 40 travel here. */
	ip4_hdr(&h, 17);
	h.fragoff = 0x2000;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x0800);
	size_t ip = fr_ip4(&f, &h);
	size_t u = fr_udp(&f, 5000, 6000);
	fb_put(&f, NULL, 40);
	fr_udp_len(&f, u, 68);
	fr_ip4_done(&f, ip);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.frag, FRAG_FIRST);
	assert_int_equal(p.frag_id, 0x4242);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.sport, 5000);
	assert_int_equal(p.dport, 6000);
	assert_int_equal(p.payload_len, 40);
	assert_int_equal(p.bad_layer, 0);

	/* A later fragment: offset 48 bytes, no transport header, all of it payload. */
	h.fragoff = 48 / 8;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x0800);
	ip = fr_ip4(&f, &h);
	fb_put(&f, data10, 10);
	fr_ip4_done(&f, ip);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.frag, FRAG_LATER);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.has_ports, 0);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(rd_left(&p.payload), 10);
	assert_ptr_equal(p.payload.p, buf + 14 + 20);
	assert_int_equal(p.bad_layer, 0);
}

/* Ethernet / IPv6 / the given extension headers / UDP with 10 bytes; returns the IP offset. */
static size_t
eth_ip6(struct fb *f, uint8_t *buf, size_t cap, const uint8_t *types, int n, uint8_t last)
{
	fb_init(f, buf, cap);
	fr_ether(f, mac_b, mac_a, NULL, 0, 0x86dd);
	size_t ip = fr_ip6(f, ip6_a, ip6_b, n > 0 ? types[0] : last);
	for (int i = 0; i < n; i++) {
		uint8_t next = i + 1 < n ? types[i + 1] : last;
		if (types[i] == 44)
			fr_ip6_frag(f, next, 0, 0, 0x77);
		else
			fr_ip6_ext(f, types[i], next, types[i] == 51 ? 24 : 8u << (i % 2));
	}
	if (last == 17) {
		size_t u = fr_udp(f, 5353, 5353);
		fb_put(f, data10, 10);
		fr_udp_done(f, u);
	} else if (last == 6) {
		const struct fr_tcp t = { .sport = 22, .dport = 40000, .flags = TH_SYN };
		fr_tcp(f, &t);
		fb_put(f, data10, 10);
	}
	fr_ip6_done(f, ip);
	return ip;
}

static void
test_ip6_ext_headers(void **state)
{
	(void)state;
	static const uint8_t chain[] = { 0, 43, 60, 44, 51, 60 };
	uint8_t buf[256];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;
	struct addr a;

	/* Each kind alone, then all chained. */
	for (size_t i = 0; i <= sizeof chain; i++) {
		int n = i < sizeof chain ? 1 : (int)sizeof chain;
		const uint8_t *types = i < sizeof chain ? &chain[i] : chain;
		uint8_t last = i % 2 ? 6 : 17;
		eth_ip6(&f, buf, sizeof buf, types, n, last);
		run(&p, &c, DLT_EN10MB, &f);
		assert_int_equal(p.ipver, 6);
		assert_int_equal(p.ip_options, 1);
		assert_int_equal(p.proto, last);
		assert_int_equal(p.has_ports, 1);
		assert_int_equal(p.payload_len, 10);
		assert_memory_equal(p.payload.p, data10, 10);
		assert_int_equal(p.bad_layer, 0);
		assert_int_equal(p.trunc_layer, 0);
		assert_int_equal(p.frag, FRAG_NONE);	/* offset 0, no more fragments */
	}
	addr_from_v6(&a, ip6_b);
	assert_memory_equal(&p.dst, &a, sizeof a);
	assert_int_equal(p.frag_id, 0x77);
}

static void
test_ip6_fragments(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;

	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x86dd);
	size_t ip = fr_ip6(&f, ip6_a, ip6_b, 44);
	fr_ip6_frag(&f, 17, 0, 1, 0xabcdef01);
	size_t u = fr_udp(&f, 4000, 4001);
	fb_put(&f, NULL, 32);
	fr_udp_len(&f, u, 1000);
	fr_ip6_done(&f, ip);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.frag, FRAG_FIRST);
	assert_int_equal(p.frag_id, 0xabcdef01);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.sport, 4000);
	assert_int_equal(p.payload_len, 32);
	assert_int_equal(p.bad_layer, 0);

	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x86dd);
	ip = fr_ip6(&f, ip6_a, ip6_b, 0);
	fr_ip6_ext(&f, 0, 44, 8);
	fr_ip6_frag(&f, 17, 5, 0, 0xabcdef01);
	fb_put(&f, data10, 10);
	fr_ip6_done(&f, ip);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.frag, FRAG_LATER);
	assert_int_equal(p.frag_id, 0xabcdef01);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.has_ports, 0);
	assert_int_equal(p.payload_len, 10);
	assert_memory_equal(p.payload.p, data10, 10);
}

static void
test_ip6_no_next_jumbo_cap(void **state)
{
	(void)state;
	uint8_t types[17];
	uint8_t buf[512];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;

	eth_ip6(&f, buf, sizeof buf, NULL, 0, 59);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.proto, 59);
	assert_int_equal(p.has_ports, 0);
	assert_int_equal(p.bad_layer, 0);
	assert_int_equal(rd_left(&p.payload), 0);

	/* Payload length 0 behind a hop-by-hop header: a jumbogram, bounded by the frame. */
	static const uint8_t hbh = 0;
	size_t ip = eth_ip6(&f, buf, sizeof buf, &hbh, 1, 17);
	fr_ip6_len(&f, ip, 0);
	fr_udp_len(&f, ip + 40 + 8, 0);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(rd_left(&p.payload), 10);
	assert_int_equal(p.bad_layer, 0);
	assert_int_equal(p.trunc_layer, 0);

	/* 16 extension headers are walked; the walk stops at the 17th, which stays the protocol. */
	memset(types, 60, sizeof types);
	eth_ip6(&f, buf, sizeof buf, types, 16, 17);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.has_ports, 1);
	eth_ip6(&f, buf, sizeof buf, types, 17, 17);
	run(&p, &c, DLT_EN10MB, &f);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.proto, 60);
	assert_int_equal(p.has_ports, 0);
	assert_int_equal(p.trunc_layer, 0);
}

static void
test_tcp_header(void **state)
{
	(void)state;
	static const uint8_t opts[12] = { 2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7, 1, 0 };
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;
	struct fr_ip4 h;
	struct fr_tcp t = { .sport = 1, .dport = 80, .seq = 0xfffffff0u, .flags = TH_SYN | TH_ECE |
	    TH_CWR, .opts = opts, .optlen = sizeof opts };

	ip4_hdr(&h, 6);
	fb_init(&f, buf, sizeof buf);
	size_t ip = fr_ip4(&f, &h);
	fr_tcp(&f, &t);
	fb_put(&f, data10, 4);
	fr_ip4_done(&f, ip);
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.seq, 0xfffffff0u);
	assert_int_equal(p.tcp_flags, TH_SYN | TH_ECE | TH_CWR);
	assert_int_equal(p.payload_len, 4);
	assert_ptr_equal(p.payload.p, buf + 20 + 32);
	assert_int_equal(p.bad_layer, 0);

	/* Data offset 4 words: malformed, though the ports still place the segment. */
	buf[20 + 12] = 0x40;
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.bad_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.dport, 80);

	/* Data offset past the datagram. */
	buf[20 + 12] = 0xf0;
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.bad_layer, LAYER_TRANSPORT + 1);

	/* Cut by the snap length in the options: truncated at the transport header. */
	buf[20 + 12] = 0x80;
	fr_cap(&c, DLT_RAW, buf, 20 + 24, (uint32_t)f.len, 0);
	dissect_packet(&p, &c);
	assert_int_equal(p.trunc_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(p.bad_layer, 0);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(rd_left(&p.payload), 0);

	/* Cut before the flags: no ports, truncated at the transport header. */
	fr_cap(&c, DLT_RAW, buf, 20 + 10, (uint32_t)f.len, 0);
	dissect_packet(&p, &c);
	assert_int_equal(p.trunc_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(p.bad_layer, 0);
	assert_int_equal(p.has_ports, 0);
}

static void
test_udp_length(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;
	struct fr_ip4 h;

	ip4_hdr(&h, 17);
	fb_init(&f, buf, sizeof buf);
	size_t ip = fr_ip4(&f, &h);
	size_t u = fr_udp(&f, 53, 33000);
	fb_put(&f, data10, 10);
	fr_ip4_done(&f, ip);

	fr_udp_len(&f, u, 4);			/* under its own header */
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.bad_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.sport, 53);
	assert_int_equal(p.payload_len, 10);

	fr_udp_len(&f, u, 200);			/* past the IP payload */
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.bad_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(p.has_ports, 1);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(rd_left(&p.payload), 10);

	fr_udp_len(&f, u, 12);			/* shorter than the IP payload: UDP wins */
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.bad_layer, 0);
	assert_int_equal(p.payload_len, 4);
	assert_int_equal(rd_left(&p.payload), 4);
}

static void
test_icmp(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct cap_pkt c;
	struct pkt p;
	struct fr_ip4 h;

	ip4_hdr(&h, 1);
	fb_init(&f, buf, sizeof buf);
	size_t ip = fr_ip4(&f, &h);
	fb_be32(&f, 0x08000000);		/* echo request */
	fb_be32(&f, 0x00010002);
	fb_put(&f, data10, 10);
	fr_ip4_done(&f, ip);
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.proto, 1);
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.icmp_code, 0);
	assert_int_equal(p.has_ports, 0);
	assert_int_equal(p.payload_len, 10);

	fb_init(&f, buf, sizeof buf);
	ip = fr_ip6(&f, ip6_a, ip6_b, 58);
	fb_be32(&f, 0x01040000);		/* destination unreachable, port unreachable */
	fb_be32(&f, 0);
	fb_put(&f, data10, 10);
	fr_ip6_done(&f, ip);
	run(&p, &c, DLT_RAW, &f);
	assert_int_equal(p.proto, 58);
	assert_int_equal(p.icmp_type, 1);
	assert_int_equal(p.icmp_code, 4);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(p.bad_layer, 0);
}

/*
 * Every truncation point of one frame.  link_len ends the link-layer headers; hdr_end ends
 * the transport header; the frame ends with plen payload bytes.  A cut by the snap length
 * (wirelen stays whole) is truncation at the layer whose header it cuts — link, network
 * (net_end is where the IP headers end) or transport — and none when it falls in the
 * payload; never malformation.  With wirelen == caplen the cut is a lie: malformed at the
 * link layer, or at the network layer whose length now exceeds the frame; never truncated.
 * Returns the number of bad cut points.
 */
static int
cut_everywhere(const char *name, int dlt, const uint8_t *buf, size_t len, size_t link_len,
    size_t net_end, size_t hdr_end, size_t plen, int wire_is_cap)
{
	struct cap_pkt c;
	struct pkt p;
	int bad = 0;

	for (size_t cut = 0; cut <= len; cut++) {
		fr_cap(&c, dlt, buf, (uint32_t)cut, wire_is_cap ? (uint32_t)cut : (uint32_t)len, 0);
		dissect_packet(&p, &c);
		unsigned cutl = cut >= hdr_end ? 0 : cut < link_len ? LAYER_LINK + 1 :
		    cut < net_end ? LAYER_NET + 1 : LAYER_TRANSPORT + 1;
		unsigned lie = cut == len ? 0 : cut < link_len ? LAYER_LINK + 1 : LAYER_NET + 1;
		unsigned tr = wire_is_cap ? 0 : cutl, mal = wire_is_cap ? lie : 0;
		int ok = p.trunc_layer == tr && p.bad_layer == mal;
		if (cut >= hdr_end) {
			size_t got = cut - hdr_end;
			ok = ok && p.has_ports && rd_left(&p.payload) == got &&
			    p.payload_len == (wire_is_cap ? got : plen);
		}
		if (!ok && bad++ < 8)
			print_message("%s%s: caplen %zu of %zu: trunc_layer %u (want %u), "
			    "bad_layer %u (want %u), what %d, ports %d\n", name,
			    wire_is_cap ? " (wirelen = caplen)" : "", cut, len, p.trunc_layer, tr,
			    p.bad_layer, mal, p.what, p.has_ports);
	}
	return bad;
}

static void
both_ways(const char *name, int dlt, const struct fb *f, size_t link_len, size_t net_end,
    size_t hdr_end)
{
	size_t plen = f->len - hdr_end;
	int bad = cut_everywhere(name, dlt, f->buf, f->len, link_len, net_end, hdr_end, plen, 0);

	bad += cut_everywhere(name, dlt, f->buf, f->len, link_len, net_end, hdr_end, plen, 1);
	assert_int_equal(bad, 0);
}

static void
test_cut_ether_ip4_tcp(void **state)
{
	(void)state;
	static const uint8_t nop4[4] = { 1, 1, 1, 0 };
	uint8_t buf[128];
	struct fb f;
	struct fr_ip4 h;
	const struct fr_tcp t = { .sport = 1, .dport = 2, .flags = TH_ACK, .opts = nop4,
	    .optlen = 4 };

	ip4_hdr(&h, 6);
	h.opts = nop4;
	h.optlen = 4;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, mac_b, mac_a, NULL, 0, 0x0800);
	size_t ip = fr_ip4(&f, &h);
	fr_tcp(&f, &t);
	size_t hdr_end = f.len;
	fb_put(&f, data10, 10);
	fr_ip4_done(&f, ip);
	both_ways("ether/ipv4/tcp", DLT_EN10MB, &f, 14, hdr_end - 24, hdr_end);
}

static void
test_cut_ether_ip6_ext_udp(void **state)
{
	(void)state;
	static const uint8_t chain[3] = { 0, 60, 44 };
	uint8_t buf[256];
	struct fb f;

	eth_ip6(&f, buf, sizeof buf, chain, 3, 17);
	both_ways("ether/ipv6+ext/udp", DLT_EN10MB, &f, 14, f.len - 18, f.len - 10);
}

static void
test_cut_sll2(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct fb f;
	struct fr_ip4 h;

	fb_init(&f, buf, sizeof buf);
	fb_be16(&f, 0x0800);
	fb_be16(&f, 0);
	fb_be32(&f, 2);
	fb_be16(&f, 1);
	fb_u8(&f, 0);
	fb_u8(&f, 6);
	fb_put(&f, mac_a, 6);
	fb_put(&f, NULL, 2);
	ip4_hdr(&h, 17);
	size_t ip = fr_ip4(&f, &h);
	size_t u = fr_udp(&f, 123, 123);
	fb_put(&f, data10, 10);
	fr_udp_done(&f, u);
	fr_ip4_done(&f, ip);
	both_ways("sll2/ipv4/udp", LT_LINUX_SLL2, &f, 20, f.len - 18, f.len - 10);
}

static void
test_cut_radiotap_80211(void **state)
{
	(void)state;
	uint8_t buf[160];
	struct fb f;
	struct fr_ip4 h;

	fb_init(&f, buf, sizeof buf);
	fb_u8(&f, 0);
	fb_u8(&f, 0);
	fb_le16(&f, 17);
	fb_le32(&f, 3);				/* TSFT, Flags */
	fb_put(&f, NULL, 8);
	fb_u8(&f, 0);
	fb_u8(&f, 0x08);			/* data, to the AP */
	fb_u8(&f, 0x01);
	fb_le16(&f, 0);
	fb_put(&f, mac_b, 6);
	fb_put(&f, mac_a, 6);
	fb_put(&f, mac_b, 6);
	fb_le16(&f, 0);
	fb_put(&f, snap_ip4, sizeof snap_ip4);
	size_t link_len = f.len;
	ip4_hdr(&h, 17);
	size_t ip = fr_ip4(&f, &h);
	size_t u = fr_udp(&f, 5353, 5353);
	fb_put(&f, data10, 10);
	fr_udp_done(&f, u);
	fr_ip4_done(&f, ip);
	both_ways("radiotap/802.11/ipv4/udp", DLT_IEEE802_11_RADIO, &f, link_len, f.len - 18,
	    f.len - 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip4_options),
		cmocka_unit_test(test_ip4_padding),
		cmocka_unit_test(test_ip4_total_zero),
		cmocka_unit_test(test_ip4_total_vs_capture),
		cmocka_unit_test(test_ip4_bad_header),
		cmocka_unit_test(test_ip4_fragments),
		cmocka_unit_test(test_ip6_ext_headers),
		cmocka_unit_test(test_ip6_fragments),
		cmocka_unit_test(test_ip6_no_next_jumbo_cap),
		cmocka_unit_test(test_tcp_header),
		cmocka_unit_test(test_udp_length),
		cmocka_unit_test(test_icmp),
		cmocka_unit_test(test_cut_ether_ip4_tcp),
		cmocka_unit_test(test_cut_ether_ip6_ext_udp),
		cmocka_unit_test(test_cut_sll2),
		cmocka_unit_test(test_cut_radiotap_80211),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
