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
#include <string.h>

#include <cmocka.h>

#include "dissect.h"
#include "frames.h"

static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t mac_c[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0c };
static const uint8_t mac_d[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0d };
static const uint8_t ip4_a[4] = { 192, 168, 1, 10 };
static const uint8_t ip4_b[4] = { 8, 8, 8, 8 };
static const uint8_t ip6_a[16] = { 0xfe, 0x80, [15] = 0x0a };
static const uint8_t ip6_b[16] = { 0x20, 0x01, 0x48, 0x60, [14] = 0x88, [15] = 0x88 };
static const uint8_t snap_ip4[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
static const uint8_t snap_ip6[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd };
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

static void
test_80211_ds_bits(void **state)
{
	(void)state;
	/* IBSS: a1 DA, a2 SA, a3 BSSID. */
	begin();
	put_80211(&fr, 0x08, 0x00, mac_b, mac_a, mac_c, NULL);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	run(DLT_IEEE802_11);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);

	/* To the AP: a1 BSSID, a2 SA, a3 DA. */
	begin();
	put_80211(&fr, 0x08, 0x01, mac_c, mac_a, mac_b, NULL);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	run(DLT_IEEE802_11);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);

	/* From the AP: a1 DA, a2 BSSID, a3 SA. */
	begin();
	put_80211(&fr, 0x08, 0x02, mac_b, mac_c, mac_a, NULL);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	run(DLT_IEEE802_11);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);

	/* WDS: a1 RA, a2 TA, a3 DA, a4 SA. */
	begin();
	put_80211(&fr, 0x08, 0x03, mac_c, mac_d, mac_b, mac_a);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	run(DLT_IEEE802_11);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);
}

static void
test_80211_qos(void **state)
{
	(void)state;
	begin();
	put_80211(&fr, 0x88, 0x01, mac_c, mac_a, mac_b, NULL);
	fb_le16(&fr, 0x0005);			/* QoS control: TID 5 */
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	run(DLT_IEEE802_11);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);

	/* +HTC (order bit on a QoS frame) adds four bytes of HT control. */
	begin();
	put_80211(&fr, 0x88, 0x81, mac_c, mac_a, mac_b, NULL);
	fb_le16(&fr, 0);
	fb_le32(&fr, 0);
	fb_put(&fr, snap_ip6, sizeof snap_ip6);
	put_ip6_udp(&fr);
	run(DLT_IEEE802_11);
	check_udp(&pk, 6);
}

static void
test_80211_null_protected_mgmt(void **state)
{
	(void)state;
	begin();
	put_80211(&fr, 0x48, 0x01, mac_c, mac_a, mac_b, NULL);	/* null function */
	run(DLT_IEEE802_11);
	assert_int_equal(pk.what, LW_WLAN_NULL);
	check_wlan(&pk, mac_a, mac_b);
	assert_int_equal(pk.bad_layer, 0);

	begin();
	put_80211(&fr, 0xc8, 0x01, mac_c, mac_a, mac_b, NULL);	/* QoS null */
	fb_le16(&fr, 0);
	run(DLT_IEEE802_11);
	assert_int_equal(pk.what, LW_WLAN_NULL);

	begin();
	put_80211(&fr, 0x08, 0x41, mac_c, mac_a, mac_b, NULL);	/* protected */
	fb_put(&fr, NULL, 40);
	run(DLT_IEEE802_11);
	assert_int_equal(pk.what, LW_WLAN_PROTECTED);
	check_wlan(&pk, mac_a, mac_b);
	assert_int_equal(pk.ipver, 0);

	begin();
	put_80211(&fr, 0x80, 0x00, mac_b, mac_a, mac_a, NULL);	/* beacon */
	fb_put(&fr, NULL, 12);
	run(DLT_IEEE802_11);
	assert_int_equal(pk.what, LW_WLAN_MGMT);
	assert_int_equal(pk.bad_layer, 0);

	begin();
	fb_u8(&fr, 0xd4);					/* ACK (control) */
	fb_u8(&fr, 0);
	fb_le16(&fr, 0);
	fb_put(&fr, mac_a, 6);
	run(DLT_IEEE802_11);
	assert_int_equal(pk.what, LW_WLAN_MGMT);

	fbuf[0] = 0xd5;						/* protocol version 1 */
	run(DLT_IEEE802_11);
	assert_int_equal(pk.bad_layer, LAYER_LINK + 1);
}

/* Radiotap with TSFT and Flags (length 17), then an 802.11 data frame with IPv4/UDP. */
static void
put_radiotap_frame(uint8_t rflags, int fcs)
{
	struct fb *f = &fr;

	begin();
	fb_u8(f, 0);				/* version */
	fb_u8(f, 0);
	fb_le16(f, 17);
	fb_le32(f, 0x00000003);			/* TSFT, Flags */
	fb_le32(f, 0x11223344);
	fb_le32(f, 0x55667788);
	fb_u8(f, rflags);
	put_80211(f, 0x08, 0x01, mac_c, mac_a, mac_b, NULL);
	fb_put(f, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(f);
	if (fcs)
		fb_be32(f, 0xdeadbeef);
}

static void
test_radiotap(void **state)
{
	(void)state;
	put_radiotap_frame(0, 0);
	run(DLT_IEEE802_11_RADIO);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);

	/* Flags 0x10: the last four bytes are the FCS, never payload. */
	put_radiotap_frame(0x10, 1);
	run(DLT_IEEE802_11_RADIO);
	check_udp(&pk, 4);
	assert_ptr_equal(pk.payload.end, fbuf + fr.len - 4);

	/* Flags 0x40: the frame failed its FCS check and is not decoded. */
	put_radiotap_frame(0x50, 1);
	run(DLT_IEEE802_11_RADIO);
	assert_int_equal(pk.what, LW_OTHER);
	assert_int_equal(pk.ipver, 0);

	/* Radiotap version 1 and a length under 8 are malformed. */
	put_radiotap_frame(0, 0);
	fbuf[0] = 1;
	run(DLT_IEEE802_11_RADIO);
	assert_int_equal(pk.bad_layer, LAYER_LINK + 1);
	fbuf[0] = 0;
	fbuf[2] = 4;
	run(DLT_IEEE802_11_RADIO);
	assert_int_equal(pk.bad_layer, LAYER_LINK + 1);
}

/* A second present word moves TSFT to offset 16 (8-aligned) and Flags to 24. */
static void
test_radiotap_extended_present(void **state)
{
	(void)state;
	begin();
	fb_u8(&fr, 0);
	fb_u8(&fr, 0);
	fb_le16(&fr, 25);
	fb_le32(&fr, 0x80000003);		/* TSFT, Flags, another word follows */
	fb_le32(&fr, 0x00000000);
	fb_put(&fr, NULL, 4);			/* alignment padding for TSFT */
	fb_put(&fr, NULL, 8);			/* TSFT */
	fb_u8(&fr, 0x10);			/* Flags: FCS at end */
	put_80211(&fr, 0x08, 0x02, mac_b, mac_c, mac_a, NULL);
	fb_put(&fr, snap_ip4, sizeof snap_ip4);
	put_ip4_udp(&fr);
	fb_be32(&fr, 0xcafebabe);
	run(DLT_IEEE802_11_RADIO);
	check_udp(&pk, 4);
	check_wlan(&pk, mac_a, mac_b);
	assert_ptr_equal(pk.payload.end, fbuf + fr.len - 4);
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
	uint32_t wire = (uint32_t)fr.len;
	fr_cap(&cp, DLT_IEEE802_11_RADIO, fbuf, wire - 4 - 2, wire, 0);
	dissect_packet(&pk, &cp);
	assert_int_equal(pk.what, LW_IP);
	assert_int_equal(pk.trunc_layer, 0);	/* only payload is missing */
	assert_int_equal(pk.bad_layer, 0);
	assert_int_equal(pk.has_ports, 1);
	assert_int_equal(pk.payload_len, sizeof body);
	assert_int_equal(rd_left(&pk.payload), sizeof body - 2);
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
	size_t ip = 17 + 24 + sizeof snap_ip4;
	fr_ip4_len(&fr, ip, 0);
	run(DLT_IEEE802_11_RADIO);
	assert_int_equal(pk.what, LW_IP);
	assert_int_equal(rd_left(&pk.payload), sizeof body);
	assert_int_equal(pk.trunc_layer, 0);
	assert_int_equal(pk.payload_len, sizeof body);
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
