/*
 * test-link.c — dissect_packet() over the wired link types: Ethernet (VLAN, QinQ, 802.3
 * LLC/SNAP, PPPoE), Linux SLL and SLL2, raw IP, BSD NULL and LOOP, and an unsupported DLT
 * (802.11 and radiotap are in test-wlan.c).  Each frame carries a small IPv4 or IPv6 UDP
 * datagram so the test can check that the link layer handed the right bytes up.
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

#define LINKTYPE_RAW		101
#define LT_IPV4			228
#define LT_IPV6			229
#define LT_LINUX_SLL2		276

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t mac_c[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0c };
static const uint8_t ip4_a[4] = { 192, 168, 1, 10 };
static const uint8_t ip4_b[4] = { 8, 8, 8, 8 };
static const uint8_t ip6_a[16] = { 0xfe, 0x80, [15] = 0x0a };
static const uint8_t ip6_b[16] = { 0x20, 0x01, 0x48, 0x60, [14] = 0x88, [15] = 0x88 };
static const uint8_t snap_ip4[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
static const uint8_t body[5] = { 'h', 'e', 'l', 'l', 'o' };

/* IPv4/UDP 192.168.1.10:40000 → 8.8.8.8:53 carrying body. */
static void
put_ip4_udp(struct fb *f)
{
	struct fr_ip4 h = { .proto = 17 };

	memcpy(h.src, ip4_a, 4);
	memcpy(h.dst, ip4_b, 4);
	size_t ip = fr_ip4(f, &h);
	size_t u = fr_udp(f, 40000, 53);
	fb_put(f, body, sizeof body);
	fr_udp_done(f, u);
	fr_ip4_done(f, ip);
}

/* IPv6/UDP fe80::a:40000 → 2001:4860::8888:53 carrying body. */
static void
put_ip6_udp(struct fb *f)
{
	size_t ip = fr_ip6(f, ip6_a, ip6_b, 17);
	size_t u = fr_udp(f, 40000, 53);
	fb_put(f, body, sizeof body);
	fr_udp_done(f, u);
	fr_ip6_done(f, ip);
}

/* The frame under test: one at a time, so the tests share it. */
static uint8_t fbuf[256];
static struct fb fr;
static struct cap_pkt cp;
static struct pkt pk;

static void
begin(void)
{
	fb_init(&fr, fbuf, sizeof fbuf);
}

/* Dissects the frame as built, captured whole. */
static void
run(int dlt)
{
	fr_cap(&cp, dlt, fbuf, (uint32_t)fr.len, (uint32_t)fr.len, 1000);
	dissect_packet(&pk, &cp);
}

static void
check_udp(const struct pkt *p, int ipver)
{
	struct addr a, b;

	if (ipver == 4) {
		addr_from_v4(&a, ip4_a);
		addr_from_v4(&b, ip4_b);
	} else {
		addr_from_v6(&a, ip6_a);
		addr_from_v6(&b, ip6_b);
	}
	assert_int_equal(p->what, LW_IP);
	assert_int_equal(p->ipver, ipver);
	assert_memory_equal(&p->src, &a, sizeof a);
	assert_memory_equal(&p->dst, &b, sizeof b);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->has_ports, 1);
	assert_int_equal(p->sport, 40000);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, sizeof body);
	assert_int_equal(rd_left(&p->payload), sizeof body);
	assert_memory_equal(p->payload.p, body, sizeof body);
	assert_int_equal(p->trunc_layer, 0);
	assert_int_equal(p->bad_layer, 0);
}

static void
test_ether_plain(void **state)
{
	(void)state;
	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x0800);
	put_ip4_udp(&fr);
	run(DLT_EN10MB);
	check_udp(&pk, 4);
	assert_int_equal(pk.has_src_mac, 1);
	assert_int_equal(pk.has_dst_mac, 1);
	assert_memory_equal(pk.src_mac, mac_a, 6);
	assert_memory_equal(pk.dst_mac, mac_b, 6);
	assert_int_equal(pk.ethertype, 0x0800);
	assert_int_equal(pk.nvlan, 0);
	assert_int_equal(rd_offset(&pk.frame, &pk.net), 14);

	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x86dd);
	put_ip6_udp(&fr);
	run(DLT_EN10MB);
	check_udp(&pk, 6);
	assert_int_equal(pk.ethertype, 0x86dd);
}

static void
test_ether_vlan(void **state)
{
	(void)state;
	const struct fr_tag tag = { 0x8100, 0x2000 | 100 };	/* priority 1, VLAN 100 */

	begin();
	fr_ether(&fr, mac_b, mac_a, &tag, 1, 0x0800);
	put_ip4_udp(&fr);
	run(DLT_EN10MB);
	check_udp(&pk, 4);
	assert_int_equal(pk.nvlan, 1);
	assert_int_equal(pk.vlan, 100);
	assert_int_equal(pk.ethertype, 0x0800);
	assert_memory_equal(pk.src_mac, mac_a, 6);
}

static void
test_ether_qinq(void **state)
{
	(void)state;
	const struct fr_tag tags[2] = { { 0x88a8, 200 }, { 0x8100, 300 } };

	begin();
	fr_ether(&fr, mac_b, mac_a, tags, 2, 0x86dd);
	put_ip6_udp(&fr);
	run(DLT_EN10MB);
	check_udp(&pk, 6);
	assert_int_equal(pk.nvlan, 2);
	assert_int_equal(pk.vlan, 200);		/* the outermost (service) tag */
	assert_int_equal(rd_offset(&pk.frame, &pk.net), 22);
}

static void
test_ether_8023_snap(void **state)
{
	(void)state;
	begin();
	size_t eth = fr_ether(&fr, mac_b, mac_a, NULL, 0, 0);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	fb_set_be16(&fr, eth + 12, (uint16_t)(fr.len - 14));	/* an 802.3 length */
	run(DLT_EN10MB);
	check_udp(&pk, 4);
	assert_int_equal(pk.ethertype, 0x0800);
	assert_memory_equal(pk.dst_mac, mac_b, 6);

	/* Spanning tree: LLC without SNAP is not IP. */
	static const uint8_t stp[] = { 0x42, 0x42, 0x03, 0, 0, 0, 0, 0, 0, 0 };
	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, sizeof stp);
	fb_put(&fr, stp, sizeof stp);
	run(DLT_EN10MB);
	assert_int_equal(pk.what, LW_OTHER);
	assert_int_equal(pk.ipver, 0);
	assert_int_equal(pk.bad_layer, 0);
}

/*
 * An LLC/SNAP header cut by the snap length is link-layer truncation, like any other cut
 * header; today dissect_llc() calls the remains "other LLC" and records no damage.
 */
static void
test_llc_snap_cut(void **state)
{
	(void)state;
	begin();
	size_t eth = fr_ether(&fr, mac_b, mac_a, NULL, 0, 0);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	fb_set_be16(&fr, eth + 12, (uint16_t)(fr.len - 14));
	for (uint32_t cut = 14; cut < 14 + sizeof snap_ip4; cut++) {
		fr_cap(&cp, DLT_EN10MB, fbuf, cut, (uint32_t)fr.len, 0);
		dissect_packet(&pk, &cp);
		if (pk.trunc_layer != LAYER_LINK + 1)
			print_message("caplen %u cuts the SNAP header: trunc_layer %u, what %d\n",
			    cut, pk.trunc_layer, pk.what);
		assert_int_equal(pk.trunc_layer, LAYER_LINK + 1);
		assert_int_equal(pk.bad_layer, 0);
	}
}

static void
test_ether_pppoe(void **state)
{
	(void)state;
	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x8864);
	fb_u8(&fr, 0x11);			/* version 1, type 1 */
	fb_u8(&fr, 0);				/* code: session data */
	fb_be16(&fr, 0x1234);			/* session id */
	size_t len = fr.len;
	fb_be16(&fr, 0);
	fb_be16(&fr, 0x0021);			/* PPP: IPv4 */
	put_ip4_udp(&fr);
	fb_set_be16(&fr, len, (uint16_t)(fr.len - len - 2));
	run(DLT_EN10MB);
	check_udp(&pk, 4);
	assert_int_equal(pk.ethertype, 0x8864);

	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x8864);
	fb_be32(&fr, 0x11001234);
	len = fr.len;
	fb_be16(&fr, 0);
	fb_be16(&fr, 0x0057);			/* PPP: IPv6 */
	put_ip6_udp(&fr);
	fb_set_be16(&fr, len, (uint16_t)(fr.len - len - 2));
	run(DLT_EN10MB);
	check_udp(&pk, 6);
}

/*
 * A PPPoE length that disagrees with the frame is a lie, not the snap length at work: with the
 * whole frame captured it must count as malformed.  Today dissect_pppoe() ignores the short
 * flag of its rd_sub(), and a length shorter than the IP datagram reaches bound_datagram(),
 * which calls any shortfall within the wire length truncation.
 */
static void
test_pppoe_length_lies(void **state)
{
	(void)state;
	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x8864);
	fb_be32(&fr, 0x11001234);
	size_t len = fr.len;
	fb_be16(&fr, 0);
	fb_be16(&fr, 0x0021);
	put_ip4_udp(&fr);

	fb_set_be16(&fr, len, (uint16_t)(fr.len - len - 2 + 100));	/* past the frame */
	run(DLT_EN10MB);
	assert_int_equal(pk.trunc_layer, 0);
	assert_int_equal(pk.bad_layer, LAYER_LINK + 1);

	fb_set_be16(&fr, len, (uint16_t)(fr.len - len - 2 - 6));	/* inside the datagram */
	run(DLT_EN10MB);
	assert_int_equal(pk.trunc_layer, 0);
	assert_true(pk.bad_layer != 0);
}

static void
test_ether_arp_and_other(void **state)
{
	(void)state;
	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x0806);
	fb_put(&fr, NULL, 28);
	run(DLT_EN10MB);
	assert_int_equal(pk.what, LW_ARP);
	assert_int_equal(rd_left(&pk.net), 28);

	begin();
	fr_ether(&fr, mac_b, mac_a, NULL, 0, 0x888e);	/* EAPOL */
	fb_put(&fr, NULL, 20);
	run(DLT_EN10MB);
	assert_int_equal(pk.what, LW_OTHER);
	assert_int_equal(pk.ethertype, 0x888e);
}

static void
put_sll(struct fb *f, uint16_t hatype, uint16_t halen, const uint8_t *addr, uint16_t proto)
{
	uint8_t a8[8] = { 0 };

	if (addr != NULL)
		memcpy(a8, addr, 6);
	fb_be16(f, 0);				/* packet type: to us */
	fb_be16(f, hatype);
	fb_be16(f, halen);
	fb_put(f, a8, 8);
	fb_be16(f, proto);
}

static void
test_sll(void **state)
{
	(void)state;
	begin();
	put_sll(&fr, 1, 6, mac_a, 0x0800);
	put_ip4_udp(&fr);
	run(DLT_LINUX_SLL);
	check_udp(&pk, 4);
	assert_int_equal(pk.has_src_mac, 1);
	assert_int_equal(pk.has_dst_mac, 0);
	assert_memory_equal(pk.src_mac, mac_a, 6);

	/* Not an Ethernet address (loopback, 772): no MAC. */
	begin();
	put_sll(&fr, 772, 6, mac_a, 0x86dd);
	put_ip6_udp(&fr);
	run(DLT_LINUX_SLL);
	check_udp(&pk, 6);
	assert_int_equal(pk.has_src_mac, 0);

	/* Ethernet with a zero address length: no MAC either. */
	begin();
	put_sll(&fr, 1, 0, NULL, 0x0800);
	put_ip4_udp(&fr);
	run(DLT_LINUX_SLL);
	check_udp(&pk, 4);
	assert_int_equal(pk.has_src_mac, 0);

	/* Protocol 4 is LINUX_SLL_P_802_2: an LLC frame follows. */
	begin();
	put_sll(&fr, 1, 6, mac_a, 0x0004);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	run(DLT_LINUX_SLL);
	check_udp(&pk, 4);
}

static void
test_sll2(void **state)
{
	(void)state;
	uint8_t a8[8] = { 0 };

	memcpy(a8, mac_c, 6);
	begin();
	fb_be16(&fr, 0x86dd);			/* protocol */
	fb_be16(&fr, 0);				/* reserved */
	fb_be32(&fr, 3);				/* interface index */
	fb_be16(&fr, 1);				/* ARPHRD_ETHER */
	fb_u8(&fr, 4);				/* outgoing */
	fb_u8(&fr, 6);
	fb_put(&fr, a8, 8);
	put_ip6_udp(&fr);
	run(LT_LINUX_SLL2);
	check_udp(&pk, 6);
	assert_int_equal(pk.has_src_mac, 1);
	assert_int_equal(pk.has_dst_mac, 0);
	assert_memory_equal(pk.src_mac, mac_c, 6);
	assert_int_equal(rd_offset(&pk.frame, &pk.net), 20);
}

static void
test_raw(void **state)
{
	(void)state;
	static const int dlts[] = { DLT_RAW, LINKTYPE_RAW, 14 };

	for (size_t i = 0; i < sizeof dlts / sizeof *dlts; i++) {
		begin();
		put_ip4_udp(&fr);
		run(dlts[i]);
		check_udp(&pk, 4);
		assert_int_equal(pk.has_src_mac, 0);
		assert_int_equal(pk.has_dst_mac, 0);

		begin();
		put_ip6_udp(&fr);
		run(dlts[i]);
		check_udp(&pk, 6);
	}

	/* Neither 4 nor 6 in the version nibble. */
	begin();
	put_ip4_udp(&fr);
	fbuf[0] = 0x55;
	run(DLT_RAW);
	assert_int_equal(pk.ipver, 0);
	assert_int_equal(pk.bad_layer, LAYER_NET + 1);

	/* Nothing at all, cut by the snap length. */
	fr_cap(&cp, DLT_RAW, fbuf, 0, 40, 0);
	dissect_packet(&pk, &cp);
	assert_int_equal(pk.trunc_layer, LAYER_LINK + 1);
}

static void
test_ipv4_ipv6_dlt(void **state)
{
	(void)state;
	begin();
	put_ip4_udp(&fr);
	run(LT_IPV4);
	check_udp(&pk, 4);

	begin();
	put_ip6_udp(&fr);
	run(LT_IPV6);
	check_udp(&pk, 6);

	/* DLT_IPV4 says what follows: an IPv6 packet there is malformed. */
	run(LT_IPV4);
	assert_int_equal(pk.ipver, 0);
	assert_int_equal(pk.bad_layer, LAYER_NET + 1);
}

static void
null_frame(uint32_t af, int big_endian)
{
	begin();
	if (big_endian)
		fb_be32(&fr, af);
	else
		fb_le32(&fr, af);
	if (af == 2)
		put_ip4_udp(&fr);
	else
		put_ip6_udp(&fr);
}

static void
test_null(void **state)
{
	(void)state;
	static const uint32_t inet6[] = { 10, 24, 28, 30 };

	for (int be = 0; be <= 1; be++) {
		null_frame(2, be);
		run(DLT_NULL);
		check_udp(&pk, 4);
		for (size_t i = 0; i < sizeof inet6 / sizeof *inet6; i++) {
			null_frame(inet6[i], be);
			run(DLT_NULL);
			check_udp(&pk, 6);
		}
	}
	/* An address family that is not IP. */
	null_frame(7, 0);
	run(DLT_NULL);
	assert_int_equal(pk.what, LW_OTHER);
	assert_int_equal(pk.ipver, 0);
}

static void
test_loop(void **state)
{
	(void)state;
	null_frame(2, 1);
	run(DLT_LOOP);
	check_udp(&pk, 4);
	null_frame(24, 1);
	run(DLT_LOOP);
	check_udp(&pk, 6);
	/* LOOP is network order only: a little-endian 2 is not AF_INET. */
	null_frame(2, 0);
	run(DLT_LOOP);
	assert_int_equal(pk.what, LW_OTHER);
}

static void
test_unsupported(void **state)
{
	(void)state;
	static const int known[] = { DLT_NULL, DLT_EN10MB, DLT_RAW, 14, LINKTYPE_RAW, DLT_LOOP,
	    DLT_LINUX_SLL, LT_LINUX_SLL2, DLT_IEEE802_11, DLT_IEEE802_11_RADIO, LT_IPV4, LT_IPV6 };

	begin();
	fb_be16(&fr, 0xff03);
	fb_be16(&fr, 0x0021);
	put_ip4_udp(&fr);
	run(DLT_PPP);
	assert_int_equal(pk.what, LW_UNSUPPORTED);
	assert_int_equal(pk.ipver, 0);
	assert_int_equal(pk.bad_layer, 0);
	assert_int_equal(pk.trunc_layer, 0);
	assert_false(dissect_link_supported(DLT_PPP));
	assert_false(dissect_link_supported(147));
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		assert_true(dissect_link_supported(known[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ether_plain),
		cmocka_unit_test(test_ether_vlan),
		cmocka_unit_test(test_ether_qinq),
		cmocka_unit_test(test_ether_8023_snap),
		cmocka_unit_test(test_llc_snap_cut),
		cmocka_unit_test(test_ether_pppoe),
		cmocka_unit_test(test_pppoe_length_lies),
		cmocka_unit_test(test_ether_arp_and_other),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_ipv4_ipv6_dlt),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
