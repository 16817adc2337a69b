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

static const uint8_t ip4_a[4] = { 10, 0, 0, 1 };
static const uint8_t ip4_b[4] = { 93, 184, 216, 34 };
static const uint8_t ip6_a[16] = { 0xfd, 0x00, [15] = 0x01 };
static const uint8_t ip6_b[16] = { 0x26, 0x06, 0x28, 0x00, [15] = 0x02 };
static const uint8_t data10[10] = "0123456789";

/* The frame under test: one at a time, so the tests share it. */
static struct fr_frame ut;

static void
ip4_hdr(struct fr_ip4 *h, uint8_t proto)
{
	memset(h, 0, sizeof *h);
	memcpy(h->src, ip4_a, 4);
	memcpy(h->dst, ip4_b, 4);
	h->proto = proto;
	h->id = 0x4242;
}

/* IPv4 / UDP port to port carrying data10, every length set. */
static void
put_ip4_udp10(uint16_t port)
{
	struct fr_ip4 h;

	ip4_hdr(&h, 17);
	size_t ip = fr_ip4(&ut.fb, &h);
	size_t u = fr_udp(&ut.fb, port, port);
	fb_put(&ut.fb, data10, 10);
	fr_udp_done(&ut.fb, u);
	fr_ip4_done(&ut.fb, ip);
}

/* Starts the frame under test with an Ethernet header from fr_mac_a to fr_mac_b. */
static void
begin_ether(uint16_t type)
{
	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, type);
}

/* Starts the frame under test with a bare IPv4 header (no link layer); returns its offset. */
static size_t
begin_ip4(uint8_t proto)
{
	struct fr_ip4 h;

	ip4_hdr(&h, proto);
	fr_frame_begin(&ut);
	return fr_ip4(&ut.fb, &h);
}

/* Ethernet / IPv4 (optional options) / TCP with n bytes of data; returns the IP offset. */
static size_t
eth_ip4_tcp(const uint8_t *opts, size_t optlen, size_t n)
{
	struct fr_ip4 h;
	const struct fr_tcp t = { .sport = 51000, .dport = 443, .seq = 1000, .ack = 2000,
	    .flags = TH_ACK | TH_PSH };

	begin_ether(0x0800);
	ip4_hdr(&h, 6);
	h.opts = opts;
	h.optlen = optlen;
	size_t ip = fr_ip4(&ut.fb, &h);
	fr_tcp(&ut.fb, &t);
	fb_put(&ut.fb, data10, n);
	fr_ip4_done(&ut.fb, ip);
	return ip;
}

static void
test_ip4_options(void **state)
{
	(void)state;
	static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 };	/* router alert */

	eth_ip4_tcp(ra, sizeof ra, 10);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.ipver, 4);
	assert_int_equal(ut.pkt.ip_options, 1);
	assert_int_equal(ut.pkt.proto, 6);
	assert_int_equal(ut.pkt.sport, 51000);
	assert_int_equal(ut.pkt.dport, 443);
	assert_int_equal(ut.pkt.seq, 1000);
	assert_int_equal(ut.pkt.ack, 2000);
	assert_int_equal(ut.pkt.tcp_flags, TH_ACK | TH_PSH);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_memory_equal(ut.pkt.payload.p, data10, 10);
	assert_int_equal(rd_left(&ut.pkt.net), 24 + 20 + 10);
	assert_int_equal(ut.pkt.frag, FRAG_NONE);
	assert_int_equal(ut.pkt.frag_id, 0x4242);

	eth_ip4_tcp(NULL, 0, 10);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.ip_options, 0);
}

/* Ethernet pads short frames to 60 bytes: the IP total length, not the frame, ends payload. */
static void
test_ip4_padding(void **state)
{
	(void)state;
	eth_ip4_tcp(NULL, 0, 0);
	fb_put(&ut.fb, NULL, 60 - ut.fb.len);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.payload_len, 0);
	assert_int_equal(rd_left(&ut.pkt.payload), 0);
	assert_int_equal(rd_left(&ut.pkt.net), 40);
	assert_int_equal(ut.pkt.bad_layer, 0);

	eth_ip4_tcp(NULL, 0, 3);
	fb_put(&ut.fb, "\xff\xff\xff", 3);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.payload_len, 3);
	assert_int_equal(rd_left(&ut.pkt.payload), 3);
}

/* TCP segmentation offload leaves total length 0 in sent packets: the frame bounds them. */
static void
test_ip4_total_zero(void **state)
{
	(void)state;
	size_t ip = eth_ip4_tcp(NULL, 0, 10);
	fr_ip4_len(&ut.fb, ip, 0);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.ipver, 4);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(rd_left(&ut.pkt.payload), 10);
	assert_int_equal(ut.pkt.trunc_layer, 0);
	assert_int_equal(ut.pkt.bad_layer, 0);
}

static void
test_ip4_total_vs_capture(void **state)
{
	(void)state;
	/*
	 * Longer than captured, within the wire length: the snap length cut the payload, which
	 * is no header damage (the overview counts it as cut in the payload).
	 */
	eth_ip4_tcp(NULL, 0, 10);
	fr_frame_cut(&ut, DLT_EN10MB, (uint32_t)ut.fb.len - 4);
	assert_int_equal(ut.pkt.trunc_layer, 0);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(rd_left(&ut.pkt.payload), 6);

	/* Longer than the frame on the wire: a lie.  The frame bounds what is decoded. */
	size_t ip = eth_ip4_tcp(NULL, 0, 10);
	fr_ip4_len(&ut.fb, ip, 40 + 10 + 100);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.bad_layer, LAYER_NET + 1);
	assert_int_equal(ut.pkt.trunc_layer, 0);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(rd_left(&ut.pkt.payload), 10);

	/* Shorter than its own header. */
	fr_ip4_len(&ut.fb, ip, 12);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.bad_layer, LAYER_NET + 1);
	assert_int_equal(ut.pkt.has_ports, 0);
}

/* A header length under five words, then version 6 behind ethertype IPv4. */
static void
test_ip4_bad_header(void **state)
{
	(void)state;
	static const struct {
		uint8_t	 ihl, version;
	} bad[] = { { 4, 0 }, { 0, 6 } };
	struct fr_ip4 h;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ip4_hdr(&h, 17);
		h.ihl = bad[i].ihl;
		h.version = bad[i].version;
		begin_ether(0x0800);
		size_t ip = fr_ip4(&ut.fb, &h);
		fr_udp(&ut.fb, 1, 2);
		fr_ip4_done(&ut.fb, ip);
		fr_frame_run(&ut, DLT_EN10MB);
		assert_int_equal(ut.pkt.bad_layer, LAYER_NET + 1);
		assert_int_equal(ut.pkt.ipver, 0);
		assert_int_equal(ut.pkt.has_ports, 0);
	}
}

static void
test_ip4_fragments(void **state)
{
	(void)state;
	struct fr_ip4 h;

	/* First fragment: UDP header claims 8 + 60 bytes, 8 + 40 travel here. */
	ip4_hdr(&h, 17);
	h.fragoff = 0x2000;
	begin_ether(0x0800);
	size_t ip = fr_ip4(&ut.fb, &h);
	size_t u = fr_udp(&ut.fb, 5000, 6000);
	fb_put(&ut.fb, NULL, 40);
	fr_udp_len(&ut.fb, u, 68);
	fr_ip4_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.frag, FRAG_FIRST);
	assert_int_equal(ut.pkt.frag_id, 0x4242);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.sport, 5000);
	assert_int_equal(ut.pkt.dport, 6000);
	assert_int_equal(ut.pkt.payload_len, 40);
	assert_int_equal(ut.pkt.bad_layer, 0);

	/* A later fragment: offset 48 bytes, no transport header, all of it payload. */
	h.fragoff = 48 / 8;
	begin_ether(0x0800);
	ip = fr_ip4(&ut.fb, &h);
	fb_put(&ut.fb, data10, 10);
	fr_ip4_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.frag, FRAG_LATER);
	assert_int_equal(ut.pkt.proto, 17);
	assert_int_equal(ut.pkt.has_ports, 0);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(rd_left(&ut.pkt.payload), 10);
	assert_ptr_equal(ut.pkt.payload.p, ut.buf + 14 + 20);
	assert_int_equal(ut.pkt.bad_layer, 0);
}

/* Ethernet / IPv6 / the given extension headers / UDP with 10 bytes; returns the IP offset. */
static size_t
eth_ip6(const uint8_t *types, int n, uint8_t last)
{
	struct fb *f = &ut.fb;

	begin_ether(0x86dd);
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
	struct addr a;

	/* Each kind alone, then all chained. */
	for (size_t i = 0; i <= sizeof chain; i++) {
		int n = i < sizeof chain ? 1 : (int)sizeof chain;
		const uint8_t *types = i < sizeof chain ? &chain[i] : chain;
		uint8_t last = i % 2 ? 6 : 17;
		eth_ip6(types, n, last);
		fr_frame_run(&ut, DLT_EN10MB);
		assert_int_equal(ut.pkt.ipver, 6);
		assert_int_equal(ut.pkt.ip_options, 1);
		assert_int_equal(ut.pkt.proto, last);
		assert_int_equal(ut.pkt.has_ports, 1);
		assert_int_equal(ut.pkt.payload_len, 10);
		assert_memory_equal(ut.pkt.payload.p, data10, 10);
		assert_int_equal(ut.pkt.bad_layer, 0);
		assert_int_equal(ut.pkt.trunc_layer, 0);
		assert_int_equal(ut.pkt.frag, FRAG_NONE);	/* offset 0, no more fragments */
	}
	addr_from_v6(&a, ip6_b);
	assert_memory_equal(&ut.pkt.dst, &a, sizeof a);
	assert_int_equal(ut.pkt.frag_id, 0x77);
}

static void
test_ip6_fragments(void **state)
{
	(void)state;
	begin_ether(0x86dd);
	size_t ip = fr_ip6(&ut.fb, ip6_a, ip6_b, 44);
	fr_ip6_frag(&ut.fb, 17, 0, 1, 0xabcdef01);
	size_t u = fr_udp(&ut.fb, 4000, 4001);
	fb_put(&ut.fb, NULL, 32);
	fr_udp_len(&ut.fb, u, 1000);
	fr_ip6_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.frag, FRAG_FIRST);
	assert_int_equal(ut.pkt.frag_id, 0xabcdef01);
	assert_int_equal(ut.pkt.proto, 17);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.sport, 4000);
	assert_int_equal(ut.pkt.payload_len, 32);
	assert_int_equal(ut.pkt.bad_layer, 0);

	begin_ether(0x86dd);
	ip = fr_ip6(&ut.fb, ip6_a, ip6_b, 0);
	fr_ip6_ext(&ut.fb, 0, 44, 8);
	fr_ip6_frag(&ut.fb, 17, 5, 0, 0xabcdef01);
	fb_put(&ut.fb, data10, 10);
	fr_ip6_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.frag, FRAG_LATER);
	assert_int_equal(ut.pkt.frag_id, 0xabcdef01);
	assert_int_equal(ut.pkt.proto, 17);
	assert_int_equal(ut.pkt.has_ports, 0);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_memory_equal(ut.pkt.payload.p, data10, 10);
}

static void
test_ip6_no_next_jumbo_cap(void **state)
{
	(void)state;
	uint8_t types[17];

	eth_ip6(NULL, 0, 59);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.proto, 59);
	assert_int_equal(ut.pkt.has_ports, 0);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(rd_left(&ut.pkt.payload), 0);

	/* Payload length 0 behind a hop-by-hop header: a jumbogram, bounded by the frame. */
	static const uint8_t hbh = 0;
	size_t ip = eth_ip6(&hbh, 1, 17);
	fr_ip6_len(&ut.fb, ip, 0);
	fr_udp_len(&ut.fb, ip + 40 + 8, 0);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(rd_left(&ut.pkt.payload), 10);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.trunc_layer, 0);

	/* 16 extension headers are walked; the walk stops at the 17th, which stays the protocol. */
	memset(types, 60, sizeof types);
	eth_ip6(types, 16, 17);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.proto, 17);
	assert_int_equal(ut.pkt.has_ports, 1);
	eth_ip6(types, 17, 17);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.ipver, 6);
	assert_int_equal(ut.pkt.proto, 60);
	assert_int_equal(ut.pkt.has_ports, 0);
	assert_int_equal(ut.pkt.trunc_layer, 0);
}

static void
test_tcp_header(void **state)
{
	(void)state;
	static const uint8_t opts[12] = { 2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7, 1, 0 };
	struct fr_tcp t = { .sport = 1, .dport = 80, .seq = 0xfffffff0u, .flags = TH_SYN | TH_ECE |
	    TH_CWR, .opts = opts, .optlen = sizeof opts };

	size_t ip = begin_ip4(6);
	fr_tcp(&ut.fb, &t);
	fb_put(&ut.fb, data10, 4);
	fr_ip4_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.seq, 0xfffffff0u);
	assert_int_equal(ut.pkt.tcp_flags, TH_SYN | TH_ECE | TH_CWR);
	assert_int_equal(ut.pkt.payload_len, 4);
	assert_ptr_equal(ut.pkt.payload.p, ut.buf + 20 + 32);
	assert_int_equal(ut.pkt.bad_layer, 0);

	/* Data offset 4 words: malformed, though the ports still place the segment. */
	ut.buf[20 + 12] = 0x40;
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.bad_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.dport, 80);

	/* Data offset past the datagram. */
	ut.buf[20 + 12] = 0xf0;
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.bad_layer, LAYER_TRANSPORT + 1);

	/* Cut by the snap length in the options: truncated at the transport header. */
	ut.buf[20 + 12] = 0x80;
	fr_frame_cut(&ut, DLT_RAW, 20 + 24);
	assert_int_equal(ut.pkt.trunc_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(rd_left(&ut.pkt.payload), 0);

	/* Cut before the flags: no ports, truncated at the transport header. */
	fr_frame_cut(&ut, DLT_RAW, 20 + 10);
	assert_int_equal(ut.pkt.trunc_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.has_ports, 0);
}

static void
test_udp_length(void **state)
{
	(void)state;
	size_t ip = begin_ip4(17);
	size_t u = fr_udp(&ut.fb, 53, 33000);
	fb_put(&ut.fb, data10, 10);
	fr_ip4_done(&ut.fb, ip);

	fr_udp_len(&ut.fb, u, 4);			/* under its own header */
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.bad_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.sport, 53);
	assert_int_equal(ut.pkt.payload_len, 10);

	fr_udp_len(&ut.fb, u, 200);			/* past the IP payload */
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.bad_layer, LAYER_TRANSPORT + 1);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(rd_left(&ut.pkt.payload), 10);

	fr_udp_len(&ut.fb, u, 12);			/* shorter than the IP payload: UDP wins */
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.payload_len, 4);
	assert_int_equal(rd_left(&ut.pkt.payload), 4);
}

static void
test_icmp(void **state)
{
	(void)state;
	size_t ip = begin_ip4(1);
	fb_be32(&ut.fb, 0x08000000);		/* echo request */
	fb_be32(&ut.fb, 0x00010002);
	fb_put(&ut.fb, data10, 10);
	fr_ip4_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.proto, 1);
	assert_int_equal(ut.pkt.icmp_type, 8);
	assert_int_equal(ut.pkt.icmp_code, 0);
	assert_int_equal(ut.pkt.has_ports, 0);
	assert_int_equal(ut.pkt.payload_len, 10);

	fr_frame_begin(&ut);
	ip = fr_ip6(&ut.fb, ip6_a, ip6_b, 58);
	fb_be32(&ut.fb, 0x01040000);		/* destination unreachable, port unreachable */
	fb_be32(&ut.fb, 0);
	fb_put(&ut.fb, data10, 10);
	fr_ip6_done(&ut.fb, ip);
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.proto, 58);
	assert_int_equal(ut.pkt.icmp_type, 1);
	assert_int_equal(ut.pkt.icmp_code, 4);
	assert_int_equal(ut.pkt.payload_len, 10);
	assert_int_equal(ut.pkt.bad_layer, 0);
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
	struct fr_ip4 h;
	const struct fr_tcp t = { .sport = 1, .dport = 2, .flags = TH_ACK, .opts = nop4,
	    .optlen = 4 };

	ip4_hdr(&h, 6);
	h.opts = nop4;
	h.optlen = 4;
	begin_ether(0x0800);
	size_t ip = fr_ip4(&ut.fb, &h);
	fr_tcp(&ut.fb, &t);
	size_t hdr_end = ut.fb.len;
	fb_put(&ut.fb, data10, 10);
	fr_ip4_done(&ut.fb, ip);
	both_ways("ether/ipv4/tcp", DLT_EN10MB, &ut.fb, 14, hdr_end - 24, hdr_end);
}

static void
test_cut_ether_ip6_ext_udp(void **state)
{
	(void)state;
	static const uint8_t chain[3] = { 0, 60, 44 };

	eth_ip6(chain, 3, 17);
	both_ways("ether/ipv6+ext/udp", DLT_EN10MB, &ut.fb, 14, ut.fb.len - 18, ut.fb.len - 10);
}

static void
test_cut_sll2(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fr_sll2(&ut.fb, 0x0800, 2, 1, 0, 6, fr_mac_a);	/* interface 2, Ethernet, to us */
	put_ip4_udp10(123);
	both_ways("sll2/ipv4/udp", LT_LINUX_SLL2, &ut.fb, 20, ut.fb.len - 18, ut.fb.len - 10);
}

static void
test_cut_radiotap_80211(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fb_u8(&ut.fb, 0);
	fb_u8(&ut.fb, 0);
	fb_le16(&ut.fb, 17);
	fb_le32(&ut.fb, 3);			/* TSFT, Flags */
	fb_put(&ut.fb, NULL, 8);
	fb_u8(&ut.fb, 0);
	fb_u8(&ut.fb, 0x08);			/* data, to the AP */
	fb_u8(&ut.fb, 0x01);
	fb_le16(&ut.fb, 0);
	fb_put(&ut.fb, fr_mac_b, 6);
	fb_put(&ut.fb, fr_mac_a, 6);
	fb_put(&ut.fb, fr_mac_b, 6);
	fb_le16(&ut.fb, 0);
	fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
	size_t link_len = ut.fb.len;
	put_ip4_udp10(5353);
	both_ways("radiotap/802.11/ipv4/udp", DLT_IEEE802_11_RADIO, &ut.fb, link_len,
	    ut.fb.len - 18, ut.fb.len - 10);
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
