/*
 * test-wlan.c — dissect_packet() over 802.11 (DLT_IEEE802_11) and radiotap
 * (DLT_IEEE802_11_RADIO): addresses by the DS bits, QoS and +HTC headers, null, protected and
 * management frames, radiotap's TSFT alignment and FCS flag.  Each data frame carries a small
 * UDP datagram behind LLC/SNAP so the test can check what the link layer handed up.
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

/* The frame under test: one at a time, so the tests share it. */
static struct fr_frame ut;

/* 802.11 header: fc0 is type/subtype, fc1 the flags; a4 only when both DS bits are set. */
static void
put_80211(struct fb *f, uint8_t fc0, uint8_t fc1, const uint8_t *a1, const uint8_t *a2,
    const uint8_t *a3, const uint8_t *a4)
{
	fb_u8(f, fc0);
	fb_u8(f, fc1);
	fb_le16(f, 0);				/* duration */
	fb_put(f, a1, 6);
	fb_put(f, a2, 6);
	fb_put(f, a3, 6);
	fb_le16(f, 0x10);			/* sequence control */
	if (a4 != NULL)
		fb_put(f, a4, 6);
}

static void
check_wlan(const struct pkt *p, const uint8_t *sa, const uint8_t *da)
{
	assert_int_equal(p->has_src_mac, 1);
	assert_int_equal(p->has_dst_mac, 1);
	assert_memory_equal(p->src_mac, sa, 6);
	assert_memory_equal(p->dst_mac, da, 6);
}

/* One frame from fr_mac_a to fr_mac_b (fr_mac_c the BSSID) by each setting of the DS bits. */
static void
test_80211_ds_bits(void **state)
{
	(void)state;
	static const struct {
		uint8_t		 fc1;
		const uint8_t	*a1, *a2, *a3, *a4;
	} ds[] = {
		/* IBSS: a1 DA, a2 SA, a3 BSSID. */
		{ 0x00, fr_mac_b, fr_mac_a, fr_mac_c, NULL },
		/* To the AP: a1 BSSID, a2 SA, a3 DA. */
		{ 0x01, fr_mac_c, fr_mac_a, fr_mac_b, NULL },
		/* From the AP: a1 DA, a2 BSSID, a3 SA. */
		{ 0x02, fr_mac_b, fr_mac_c, fr_mac_a, NULL },
		/* WDS: a1 RA, a2 TA, a3 DA, a4 SA. */
		{ 0x03, fr_mac_c, fr_mac_d, fr_mac_b, fr_mac_a },
	};

	for (size_t i = 0; i < sizeof ds / sizeof *ds; i++) {
		fr_frame_begin(&ut);
		put_80211(&ut.fb, 0x08, ds[i].fc1, ds[i].a1, ds[i].a2, ds[i].a3, ds[i].a4);
		fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
		fr_ip4_udp(&ut.fb);
		fr_frame_run(&ut, DLT_IEEE802_11);
		fr_check_udp(&ut.pkt, 4);
		check_wlan(&ut.pkt, fr_mac_a, fr_mac_b);
	}
}

static void
test_80211_qos(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	put_80211(&ut.fb, 0x88, 0x01, fr_mac_c, fr_mac_a, fr_mac_b, NULL);
	fb_le16(&ut.fb, 0x0005);			/* QoS control: TID 5 */
	fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
	fr_ip4_udp(&ut.fb);
	fr_frame_run(&ut, DLT_IEEE802_11);
	fr_check_udp(&ut.pkt, 4);
	check_wlan(&ut.pkt, fr_mac_a, fr_mac_b);

	/* +HTC (order bit on a QoS frame) adds four bytes of HT control. */
	fr_frame_begin(&ut);
	put_80211(&ut.fb, 0x88, 0x81, fr_mac_c, fr_mac_a, fr_mac_b, NULL);
	fb_le16(&ut.fb, 0);
	fb_le32(&ut.fb, 0);
	fb_put(&ut.fb, fr_snap_ip6, sizeof fr_snap_ip6);
	fr_ip6_udp(&ut.fb);
	fr_frame_run(&ut, DLT_IEEE802_11);
	fr_check_udp(&ut.pkt, 6);
}

static void
test_80211_null_protected_mgmt(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	put_80211(&ut.fb, 0x48, 0x01, fr_mac_c, fr_mac_a, fr_mac_b, NULL);	/* null function */
	fr_frame_run(&ut, DLT_IEEE802_11);
	assert_int_equal(ut.pkt.what, LW_WLAN_NULL);
	check_wlan(&ut.pkt, fr_mac_a, fr_mac_b);
	assert_int_equal(ut.pkt.bad_layer, 0);

	fr_frame_begin(&ut);
	put_80211(&ut.fb, 0xc8, 0x01, fr_mac_c, fr_mac_a, fr_mac_b, NULL);	/* QoS null */
	fb_le16(&ut.fb, 0);
	fr_frame_run(&ut, DLT_IEEE802_11);
	assert_int_equal(ut.pkt.what, LW_WLAN_NULL);

	fr_frame_begin(&ut);
	put_80211(&ut.fb, 0x08, 0x41, fr_mac_c, fr_mac_a, fr_mac_b, NULL);	/* protected */
	fb_put(&ut.fb, NULL, 40);
	fr_frame_run(&ut, DLT_IEEE802_11);
	assert_int_equal(ut.pkt.what, LW_WLAN_PROTECTED);
	check_wlan(&ut.pkt, fr_mac_a, fr_mac_b);
	assert_int_equal(ut.pkt.ipver, 0);

	fr_frame_begin(&ut);
	put_80211(&ut.fb, 0x80, 0x00, fr_mac_b, fr_mac_a, fr_mac_a, NULL);	/* beacon */
	fb_put(&ut.fb, NULL, 12);
	fr_frame_run(&ut, DLT_IEEE802_11);
	assert_int_equal(ut.pkt.what, LW_WLAN_MGMT);
	assert_int_equal(ut.pkt.bad_layer, 0);

	fr_frame_begin(&ut);
	fb_u8(&ut.fb, 0xd4);					/* ACK (control) */
	fb_u8(&ut.fb, 0);
	fb_le16(&ut.fb, 0);
	fb_put(&ut.fb, fr_mac_a, 6);
	fr_frame_run(&ut, DLT_IEEE802_11);
	assert_int_equal(ut.pkt.what, LW_WLAN_MGMT);

	ut.buf[0] = 0xd5;					/* protocol version 1 */
	fr_frame_run(&ut, DLT_IEEE802_11);
	assert_int_equal(ut.pkt.bad_layer, LAYER_LINK + 1);
}

/* Radiotap with TSFT and Flags (length 17), then an 802.11 data frame with IPv4/UDP. */
static void
put_radiotap_frame(uint8_t rflags, int fcs)
{
	struct fb *f = &ut.fb;

	fr_frame_begin(&ut);
	fb_u8(f, 0);				/* version */
	fb_u8(f, 0);
	fb_le16(f, 17);
	fb_le32(f, 0x00000003);			/* TSFT, Flags */
	fb_le32(f, 0x11223344);
	fb_le32(f, 0x55667788);
	fb_u8(f, rflags);
	put_80211(f, 0x08, 0x01, fr_mac_c, fr_mac_a, fr_mac_b, NULL);
	fb_put(f, fr_snap_ip4, sizeof fr_snap_ip4);
	fr_ip4_udp(f);
	if (fcs)
		fb_be32(f, 0xdeadbeef);
}

static void
test_radiotap(void **state)
{
	(void)state;
	put_radiotap_frame(0, 0);
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	fr_check_udp(&ut.pkt, 4);
	check_wlan(&ut.pkt, fr_mac_a, fr_mac_b);

	/* Flags 0x10: the last four bytes are the FCS, never payload. */
	put_radiotap_frame(0x10, 1);
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	fr_check_udp(&ut.pkt, 4);
	assert_ptr_equal(ut.pkt.payload.end, ut.buf + ut.fb.len - 4);

	/* Flags 0x40: the frame failed its FCS check and is not decoded. */
	put_radiotap_frame(0x50, 1);
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	assert_int_equal(ut.pkt.what, LW_OTHER);
	assert_int_equal(ut.pkt.ipver, 0);

	/* Radiotap version 1 and a length under 8 are malformed. */
	put_radiotap_frame(0, 0);
	ut.buf[0] = 1;
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	assert_int_equal(ut.pkt.bad_layer, LAYER_LINK + 1);
	ut.buf[0] = 0;
	ut.buf[2] = 4;
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	assert_int_equal(ut.pkt.bad_layer, LAYER_LINK + 1);
}

/* A second present word moves TSFT to offset 16 (8-aligned) and Flags to 24. */
static void
test_radiotap_extended_present(void **state)
{
	(void)state;
	fr_frame_begin(&ut);
	fb_u8(&ut.fb, 0);
	fb_u8(&ut.fb, 0);
	fb_le16(&ut.fb, 25);
	fb_le32(&ut.fb, 0x80000003);			/* TSFT, Flags, another word follows */
	fb_le32(&ut.fb, 0x00000000);
	fb_put(&ut.fb, NULL, 4);			/* alignment padding for TSFT */
	fb_put(&ut.fb, NULL, 8);			/* TSFT */
	fb_u8(&ut.fb, 0x10);				/* Flags: FCS at end */
	put_80211(&ut.fb, 0x08, 0x02, fr_mac_b, fr_mac_c, fr_mac_a, NULL);
	fb_put(&ut.fb, fr_snap_ip4, sizeof fr_snap_ip4);
	fr_ip4_udp(&ut.fb);
	fb_be32(&ut.fb, 0xcafebabe);
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	fr_check_udp(&ut.pkt, 4);
	check_wlan(&ut.pkt, fr_mac_a, fr_mac_b);
	assert_ptr_equal(ut.pkt.payload.end, ut.buf + ut.fb.len - 4);
}

/*
 * When the snap length cut the frame, its FCS was not captured: trimming four bytes anyway
 * throws away bytes that are there.  Here the capture lacks the FCS and the last two payload
 * bytes, so three payload bytes are present and all of them must be payload.
 */
static void
test_radiotap_fcs_snaplen(void **state)
{
	(void)state;
	put_radiotap_frame(0x10, 1);
	fr_frame_cut(&ut, DLT_IEEE802_11_RADIO, (uint32_t)ut.fb.len - 4 - 2);
	assert_int_equal(ut.pkt.what, LW_IP);
	assert_int_equal(ut.pkt.trunc_layer, 0);	/* only payload is missing */
	assert_int_equal(ut.pkt.bad_layer, 0);
	assert_int_equal(ut.pkt.has_ports, 1);
	assert_int_equal(ut.pkt.payload_len, sizeof fr_body);
	assert_int_equal(rd_left(&ut.pkt.payload), sizeof fr_body - 2);
}

/*
 * A datagram bounded by the frame (IPv4 total length 0, as TCP segmentation offload leaves it)
 * must end where the FCS starts: the FCS is neither payload nor a sign of truncation.
 */
static void
test_radiotap_fcs_frame_bounded(void **state)
{
	(void)state;
	put_radiotap_frame(0x10, 1);
	size_t ip = 17 + 24 + sizeof fr_snap_ip4;
	fr_ip4_len(&ut.fb, ip, 0);
	fr_frame_run(&ut, DLT_IEEE802_11_RADIO);
	assert_int_equal(ut.pkt.what, LW_IP);
	assert_int_equal(rd_left(&ut.pkt.payload), sizeof fr_body);
	assert_int_equal(ut.pkt.trunc_layer, 0);
	assert_int_equal(ut.pkt.payload_len, sizeof fr_body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_80211_ds_bits),
		cmocka_unit_test(test_80211_qos),
		cmocka_unit_test(test_80211_null_protected_mgmt),
		cmocka_unit_test(test_radiotap),
		cmocka_unit_test(test_radiotap_extended_present),
		cmocka_unit_test(test_radiotap_fcs_snaplen),
		cmocka_unit_test(test_radiotap_fcs_frame_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
