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

#include <cmocka.h>

#include "dissect.h"
#include "frames.h"

#define LINKTYPE_RAW		101
#define LT_IPV4			228
#define LT_IPV6			229
#define LT_LINUX_SLL2		276

/* The frame under test: one at a time, so the tests share it. */
static struct fr_frame ut;

static void
test_ether_plain(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0x0800);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 4);
	assert_int_equal(ut.pkt.has_src_mac, 1);
	assert_int_equal(ut.pkt.has_dst_mac, 1);
	assert_memory_equal(ut.pkt.src_mac, fr_mac_a, 6);
	assert_memory_equal(ut.pkt.dst_mac, fr_mac_b, 6);
	assert_int_equal(ut.pkt.ethertype, 0x0800);
	assert_int_equal(ut.pkt.nvlan, 0);
	assert_int_equal(rd_offset(&ut.pkt.frame, &ut.pkt.net), 14);

	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0x86dd);
	fr_ip6_udp(&ut.fb);
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 6);
	assert_int_equal(ut.pkt.ethertype, 0x86dd);
}

static void
test_ether_vlan(void **state)
{
	(void)state;
	const struct fr_tag tag = { 0x8100, 0x2000 | 100 };	/* priority 1, VLAN 100 */

	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, &tag, 1, 0x0800);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 4);
	assert_int_equal(ut.pkt.nvlan, 1);
	assert_int_equal(ut.pkt.vlan, 100);
	assert_int_equal(ut.pkt.ethertype, 0x0800);
	assert_memory_equal(ut.pkt.src_mac, fr_mac_a, 6);
}

static void
test_ether_qinq(void **state)
{
	(void)state;
	const struct fr_tag tags[2] = { { 0x88a8, 200 }, { 0x8100, 300 } };

	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, tags, 2, 0x86dd);
	fr_ip6_udp(&ut.fb);
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 6);
	assert_int_equal(ut.pkt.nvlan, 2);
	assert_int_equal(ut.pkt.vlan, 200);		/* the outermost (service) tag */
	assert_int_equal(rd_offset(&ut.pkt.frame, &ut.pkt.net), 22);
}

static void
test_ether_8023_snap(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	size_t eth = fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0);
	fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
	fr_ip4_udp(&ut.fb);
	fb_set_be16(&ut.fb, eth + 12, (uint16_t)(ut.fb.len - 14));	/* an 802.3 length */
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 4);
	assert_int_equal(ut.pkt.ethertype, 0x0800);
	assert_memory_equal(ut.pkt.dst_mac, fr_mac_b, 6);

	/* Spanning tree: LLC without SNAP is not IP. */
	static const uint8_t stp[] = { 0x42, 0x42, 0x03, 0, 0, 0, 0, 0, 0, 0 };
	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, sizeof stp);
	fb_put(&ut.fb, stp, sizeof stp);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.what, LW_OTHER);
	assert_int_equal(ut.pkt.ipver, 0);
	assert_int_equal(ut.pkt.bad_layer, 0);
}

/*
 * An LLC/SNAP header cut by the snap length is link-layer truncation, like any other cut
 * header; today dissect_llc() calls the remains "other LLC" and records no damage.
 */
static void
test_llc_snap_cut(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	size_t eth = fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0);
	fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
	fr_ip4_udp(&ut.fb);
	fb_set_be16(&ut.fb, eth + 12, (uint16_t)(ut.fb.len - 14));
	for (uint32_t cut = 14; cut < 14 + sizeof fr_snap_ip4; cut++) {
		fr_frame_cut(&ut, DLT_EN10MB, cut);
		if (ut.pkt.trunc_layer != LAYER_LINK + 1)
			print_message("caplen %u cuts the SNAP header: trunc_layer %u, what %d\n",
			    cut, ut.pkt.trunc_layer, ut.pkt.what);
		assert_int_equal(ut.pkt.trunc_layer, LAYER_LINK + 1);
		assert_int_equal(ut.pkt.bad_layer, 0);
	}
}

/* Ethernet and a PPPoE session header for PPP protocol proto; returns where its length goes. */
static size_t
begin_pppoe(uint16_t proto)
{
	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0x8864);
	fb_u8(&ut.fb, 0x11);			/* version 1, type 1 */
	fb_u8(&ut.fb, 0);			/* code: session data */
	fb_be16(&ut.fb, 0x1234);		/* session id */
	size_t len = ut.fb.len;
	fb_be16(&ut.fb, 0);			/* length: set_pppoe_len */
	fb_be16(&ut.fb, proto);
	return len;
}

/* Sets the PPPoE length at len to what follows it (the PPP protocol on), plus delta. */
static void
set_pppoe_len(size_t len, int delta)
{
	fb_set_be16(&ut.fb, len, (uint16_t)(ut.fb.len - len - 2 + delta));
}

static void
test_ether_pppoe(void **state)
{
	(void)state;
	size_t len = begin_pppoe(0x0021);	/* PPP: IPv4 */
	fr_ip4_udp(&ut.fb);
	set_pppoe_len(len, 0);
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 4);
	assert_int_equal(ut.pkt.ethertype, 0x8864);

	len = begin_pppoe(0x0057);		/* PPP: IPv6 */
	fr_ip6_udp(&ut.fb);
	set_pppoe_len(len, 0);
	fr_frame_run(&ut, DLT_EN10MB);
	fr_check_udp(&ut.pkt, 6);
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
	size_t len = begin_pppoe(0x0021);
	fr_ip4_udp(&ut.fb);

	set_pppoe_len(len, 100);		/* past the frame */
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.trunc_layer, 0);
	assert_int_equal(ut.pkt.bad_layer, LAYER_LINK + 1);

	set_pppoe_len(len, -6);			/* inside the datagram */
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.trunc_layer, 0);
	assert_true(ut.pkt.bad_layer != 0);
}

static void
test_ether_arp_and_other(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0x0806);
	fb_put(&ut.fb, NULL, 28);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.what, LW_ARP);
	assert_int_equal(rd_left(&ut.pkt.net), 28);

	fr_frame_begin(&ut);
	fr_ether(&ut.fb, fr_mac_b, fr_mac_a, NULL, 0, 0x888e);	/* EAPOL */
	fb_put(&ut.fb, NULL, 20);
	fr_frame_run(&ut, DLT_EN10MB);
	assert_int_equal(ut.pkt.what, LW_OTHER);
	assert_int_equal(ut.pkt.ethertype, 0x888e);
}

static void
test_sll(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fr_sll(&ut.fb, 0, 1, 6, fr_mac_a, 0x0800);		/* to us, ARPHRD_ETHER */
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_LINUX_SLL);
	fr_check_udp(&ut.pkt, 4);
	assert_int_equal(ut.pkt.has_src_mac, 1);
	assert_int_equal(ut.pkt.has_dst_mac, 0);
	assert_memory_equal(ut.pkt.src_mac, fr_mac_a, 6);

	/* Not an Ethernet address (loopback, 772): no MAC. */
	fr_frame_begin(&ut);
	fr_sll(&ut.fb, 0, 772, 6, fr_mac_a, 0x86dd);
	fr_ip6_udp(&ut.fb);
	fr_frame_run(&ut, DLT_LINUX_SLL);
	fr_check_udp(&ut.pkt, 6);
	assert_int_equal(ut.pkt.has_src_mac, 0);

	/* Ethernet with a zero address length: no MAC either. */
	fr_frame_begin(&ut);
	fr_sll(&ut.fb, 0, 1, 0, NULL, 0x0800);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_LINUX_SLL);
	fr_check_udp(&ut.pkt, 4);
	assert_int_equal(ut.pkt.has_src_mac, 0);

	/* Protocol 4 is LINUX_SLL_P_802_2: an LLC frame follows. */
	fr_frame_begin(&ut);
	fr_sll(&ut.fb, 0, 1, 6, fr_mac_a, 0x0004);
	fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_LINUX_SLL);
	fr_check_udp(&ut.pkt, 4);
}

static void
test_sll2(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fr_sll2(&ut.fb, 0x86dd, 3, 1, 4, 6, fr_mac_c);	/* interface 3, Ethernet, outgoing */
	fr_ip6_udp(&ut.fb);
	fr_frame_run(&ut, LT_LINUX_SLL2);
	fr_check_udp(&ut.pkt, 6);
	assert_int_equal(ut.pkt.has_src_mac, 1);
	assert_int_equal(ut.pkt.has_dst_mac, 0);
	assert_memory_equal(ut.pkt.src_mac, fr_mac_c, 6);
	assert_int_equal(rd_offset(&ut.pkt.frame, &ut.pkt.net), 20);
}

static void
test_raw(void **state)
{
	(void)state;
	static const int dlts[] = { DLT_RAW, LINKTYPE_RAW, 14 };

	for (size_t i = 0; i < sizeof dlts / sizeof *dlts; i++) {
		fr_frame_begin(&ut);
		fr_ip4_udp(&ut.fb);
		fr_frame_run(&ut, dlts[i]);
		fr_check_udp(&ut.pkt, 4);
		assert_int_equal(ut.pkt.has_src_mac, 0);
		assert_int_equal(ut.pkt.has_dst_mac, 0);

		fr_frame_begin(&ut);
		fr_ip6_udp(&ut.fb);
		fr_frame_run(&ut, dlts[i]);
		fr_check_udp(&ut.pkt, 6);
	}

	/* Neither 4 nor 6 in the version nibble. */
	fr_frame_begin(&ut);
	fr_ip4_udp(&ut.fb);
	ut.buf[0] = 0x55;
	fr_frame_run(&ut, DLT_RAW);
	assert_int_equal(ut.pkt.ipver, 0);
	assert_int_equal(ut.pkt.bad_layer, LAYER_NET + 1);

	/* Nothing at all, cut by the snap length. */
	fr_cap(&ut.cap, DLT_RAW, ut.buf, 0, 40, 0);
	dissect_packet(&ut.pkt, &ut.cap);
	assert_int_equal(ut.pkt.trunc_layer, LAYER_LINK + 1);
}

static void
test_ipv4_ipv6_dlt(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, LT_IPV4);
	fr_check_udp(&ut.pkt, 4);

	fr_frame_begin(&ut);
	fr_ip6_udp(&ut.fb);
	fr_frame_run(&ut, LT_IPV6);
	fr_check_udp(&ut.pkt, 6);

	/* DLT_IPV4 says what follows: an IPv6 packet there is malformed. */
	fr_frame_run(&ut, LT_IPV4);
	assert_int_equal(ut.pkt.ipver, 0);
	assert_int_equal(ut.pkt.bad_layer, LAYER_NET + 1);
}

static void
null_frame(uint32_t af, int big_endian)
{
	fr_frame_begin(&ut);
	if (big_endian)
		fb_be32(&ut.fb, af);
	else
		fb_le32(&ut.fb, af);
	if (af == 2)
		fr_ip4_udp(&ut.fb);
	else
		fr_ip6_udp(&ut.fb);
}

static void
test_null(void **state)
{
	(void)state;
	static const uint32_t inet6[] = { 10, 24, 28, 30 };

	for (int be = 0; be <= 1; be++) {
		null_frame(2, be);
		fr_frame_run(&ut, DLT_NULL);
		fr_check_udp(&ut.pkt, 4);
		for (size_t i = 0; i < sizeof inet6 / sizeof *inet6; i++) {
			null_frame(inet6[i], be);
			fr_frame_run(&ut, DLT_NULL);
			fr_check_udp(&ut.pkt, 6);
		}
	}
	/* An address family that is not IP. */
	null_frame(7, 0);
	fr_frame_run(&ut, DLT_NULL);
	assert_int_equal(ut.pkt.what, LW_OTHER);
	assert_int_equal(ut.pkt.ipver, 0);
}

static void
test_loop(void **state)
{
	(void)state;
	null_frame(2, 1);
	fr_frame_run(&ut, DLT_LOOP);
	fr_check_udp(&ut.pkt, 4);
	null_frame(24, 1);
	fr_frame_run(&ut, DLT_LOOP);
	fr_check_udp(&ut.pkt, 6);
	/* LOOP is network order only: a little-endian 2 is not AF_INET. */
	null_frame(2, 0);
	fr_frame_run(&ut, DLT_LOOP);
	assert_int_equal(ut.pkt.what, LW_OTHER);
}

static void
test_unsupported(void **state)
{
	(void)state;
	static const int known[] = { DLT_NULL, DLT_EN10MB, DLT_RAW, 14, LINKTYPE_RAW, DLT_LOOP,
	    DLT_LINUX_SLL, LT_LINUX_SLL2, DLT_IEEE802_11, DLT_IEEE802_11_RADIO, LT_IPV4, LT_IPV6 };

	fr_frame_begin(&ut);
	fb_be16(&ut.fb, 0xff03);
	fb_be16(&ut.fb, 0x0021);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_PPP);
	assert_int_equal(ut.pkt.what, LW_UNSUPPORTED);
	assert_int_equal(ut.pkt.ipver, 0);
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.trunc_layer, 0);
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
