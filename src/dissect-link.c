/*
 * dissect-link.c — link layers: Ethernet with 802.1Q/QinQ tags and LLC/SNAP, PPPoE sessions,
 * Linux cooked SLL and SLL2, BSD NULL and LOOP, raw IP, 802.11 with and without radiotap (data
 * frames through LLC/SNAP; protected frames counted, not decoded).
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stddef.h>
#include <string.h>

#include "dissect.h"

#define ET_IPV4		0x0800
#define ET_ARP		0x0806
#define ET_RARP		0x8035
#define ET_VLAN		0x8100
#define ET_QINQ		0x88a8
#define ET_QINQ_OLD1	0x9100
#define ET_QINQ_OLD2	0x9200
#define ET_IPV6		0x86dd
#define ET_PPPOE_SESS	0x8864
#define VLAN_MAX	8

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2	276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4	228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6	229
#endif

static void
dissect_llc(struct pkt *p, struct rd r)
{
	struct rd h = r;
	uint8_t dsap = rd_u8(&h), ssap = rd_u8(&h), ctrl = rd_u8(&h);

	if (h.bad) {
		pkt_damage_read(p, LAYER_LINK, &h);
		return;
	}
	/* Only SNAP (AA AA 03, then OUI and Ethertype) carries IP; other LLC does not. */
	if (dsap != 0xaa || ssap != 0xaa || ctrl != 0x03) {
		p->what = LW_OTHER;
		return;
	}
	rd_skip(&h, 3);
	uint16_t type = rd_be16(&h);
	if (h.bad) {
		pkt_damage_read(p, LAYER_LINK, &h);
		return;
	}
	dissect_ethertype(p, type, h);
}

static void
dissect_pppoe(struct pkt *p, struct rd r)
{
	rd_skip(&r, 4);			/* version/type, code, session id */
	uint16_t len = rd_be16(&r);
	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	int short_len = 0;
	struct rd ppp = rd_sub(&r, len, &short_len);
	if (short_len && len > pkt_wire_left(p, &ppp)) {
		pkt_damage(p, LAYER_LINK, 0);	/* longer than the frame: a lie */
		return;
	}
	uint16_t proto = rd_be16(&ppp);
	if (ppp.bad) {
		pkt_damage_read(p, LAYER_LINK, &ppp);
		return;
	}
	if (proto == 0x0021)
		dissect_ipv4(p, ppp);
	else if (proto == 0x0057)
		dissect_ipv6(p, ppp);
	else
		p->what = LW_OTHER;
}

void
dissect_ethertype(struct pkt *p, uint16_t type, struct rd r)
{
	/* 802.1Q, 802.1ad and the pre-standard QinQ tags, outermost first. */
	while (type == ET_VLAN || type == ET_QINQ || type == ET_QINQ_OLD1 || type == ET_QINQ_OLD2) {
		uint16_t tci = rd_be16(&r);
		type = rd_be16(&r);
		if (r.bad) {
			pkt_damage_read(p, LAYER_LINK, &r);
			return;
		}
		if (p->nvlan++ == 0)
			p->vlan = tci & 0x0fff;
		if (p->nvlan > VLAN_MAX) {
			pkt_damage(p, LAYER_LINK, 0);
			return;
		}
	}
	if (type <= 1500) {		/* an 802.3 length: LLC follows */
		dissect_llc(p, r);
		return;
	}
	p->ethertype = type;
	switch (type) {
	case ET_IPV4:
		dissect_ipv4(p, r);
		break;
	case ET_IPV6:
		dissect_ipv6(p, r);
		break;
	case ET_ARP:
	case ET_RARP:
		p->what = LW_ARP;
		p->net = r;
		break;
	case ET_PPPOE_SESS:
		dissect_pppoe(p, r);
		break;
	default:
		p->what = LW_OTHER;
		break;
	}
}

static void
dissect_ether(struct pkt *p, struct rd r)
{
	rd_copy(&r, p->dst_mac, 6);
	rd_copy(&r, p->src_mac, 6);
	uint16_t type = rd_be16(&r);

	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	p->has_src_mac = p->has_dst_mac = 1;
	dissect_ethertype(p, type, r);
}

/* SLL and SLL2 differ only in field order; both carry the sender's link address. */
static void
dissect_sll_common(struct pkt *p, uint16_t hatype, uint16_t halen, const uint8_t addr[8],
    uint16_t proto, struct rd r)
{
	if (hatype == 1 && halen == 6) {	/* ARPHRD_ETHER */
		memcpy(p->src_mac, addr, 6);
		p->has_src_mac = 1;
	}
	/* Protocol values below 1536 are Linux's LINUX_SLL_P_* codes, not Ethertypes. */
	if (proto == 0x0004)			/* 802.2 LLC frame */
		dissect_llc(p, r);
	else if (proto < 1536)
		p->what = LW_OTHER;
	else
		dissect_ethertype(p, proto, r);
}

static void
dissect_sll(struct pkt *p, struct rd r)
{
	uint8_t addr[8];

	rd_skip(&r, 2);				/* packet type */
	uint16_t hatype = rd_be16(&r);
	uint16_t halen = rd_be16(&r);
	rd_copy(&r, addr, 8);
	uint16_t proto = rd_be16(&r);
	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	dissect_sll_common(p, hatype, halen, addr, proto, r);
}

static void
dissect_sll2(struct pkt *p, struct rd r)
{
	uint8_t addr[8];

	uint16_t proto = rd_be16(&r);
	rd_skip(&r, 2 + 4);			/* reserved, interface index */
	uint16_t hatype = rd_be16(&r);
	rd_skip(&r, 1);				/* packet type */
	uint8_t halen = rd_u8(&r);
	rd_copy(&r, addr, 8);
	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	dissect_sll_common(p, hatype, halen, addr, proto, r);
}

/* BSD NULL (host byte order of the capturing machine) and LOOP (network order). */
static void
dissect_null(struct pkt *p, struct rd r, int network_order)
{
	uint32_t af = network_order ? rd_be32(&r) : rd_le32(&r);

	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	if (!network_order && af > 0xffff)	/* written on a big-endian host */
		af = __builtin_bswap32(af);
	switch (af) {
	case 2:					/* AF_INET everywhere */
		dissect_ipv4(p, r);
		break;
	case 10: case 24: case 28: case 30:	/* AF_INET6: Linux, NetBSD/OpenBSD, FreeBSD, macOS */
		dissect_ipv6(p, r);
		break;
	default:
		p->what = LW_OTHER;
		break;
	}
}

static void
dissect_raw(struct pkt *p, struct rd r)
{
	int v = rd_peek(&r, 0);

	if (v < 0) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	if ((v >> 4) == 4)
		dissect_ipv4(p, r);
	else if ((v >> 4) == 6)
		dissect_ipv6(p, r);
	else
		pkt_damage(p, LAYER_NET, 0);
}

static void
dissect_80211(struct pkt *p, struct rd r)
{
	uint8_t a1[6], a2[6], a3[6], a4[6];
	uint16_t fc = rd_le16(&r);
	unsigned type = (fc >> 2) & 3, subtype = (fc >> 4) & 0xf, flags = fc >> 8;
	int to_ds = flags & 0x01, from_ds = flags & 0x02;

	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	if ((fc & 3) != 0) {			/* protocol version is always 0 */
		pkt_damage(p, LAYER_LINK, 0);
		return;
	}
	if (type != 2) {
		p->what = LW_WLAN_MGMT;
		return;
	}
	rd_skip(&r, 2);				/* duration */
	rd_copy(&r, a1, 6);
	rd_copy(&r, a2, 6);
	rd_copy(&r, a3, 6);
	rd_skip(&r, 2);				/* sequence control */
	if (to_ds && from_ds)
		rd_copy(&r, a4, 6);
	if (subtype & 0x8) {			/* QoS data */
		rd_skip(&r, 2);
		if (flags & 0x80)		/* +HTC */
			rd_skip(&r, 4);
	}
	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	const uint8_t *da = to_ds ? a3 : a1;
	const uint8_t *sa = from_ds ? (to_ds ? a4 : a3) : a2;
	memcpy(p->dst_mac, da, 6);
	memcpy(p->src_mac, sa, 6);
	p->has_src_mac = p->has_dst_mac = 1;
	if (subtype & 0x4) {			/* null function, CF-ack/poll without data */
		p->what = LW_WLAN_NULL;
		return;
	}
	if (flags & 0x40) {
		p->what = LW_WLAN_PROTECTED;
		return;
	}
	dissect_llc(p, r);
}

static void
dissect_radiotap(struct pkt *p, struct rd r)
{
	struct rd hdr = r;
	uint8_t version = rd_u8(&r);
	rd_skip(&r, 1);
	uint16_t len = rd_le16(&r);
	uint32_t present = rd_le32(&r), first = present;
	int cut = 0;

	if (r.bad) {
		pkt_damage_read(p, LAYER_LINK, &r);
		return;
	}
	if (version != 0 || len < 8) {
		pkt_damage(p, LAYER_LINK, 0);
		return;
	}
	struct rd rt = rd_sub(&hdr, len, &cut);
	if (cut) {
		pkt_damage(p, LAYER_LINK, len <= pkt_wire_left(p, &rt));
		return;
	}
	const struct rd rt_start = rt;
	rd_skip(&rt, 8);
	for (int i = 0; (present & 0x80000000u) && i < 64; i++)
		present = rd_le32(&rt);
	/* TSFT (8 bytes, 8-aligned) precedes Flags; Flags bit 0x10 means a trailing FCS. */
	uint8_t rflags = 0;
	if (first & 1) {
		size_t off = rd_offset(&rt_start, &rt);
		rd_skip(&rt, (8 - off % 8) % 8);
		rd_skip(&rt, 8);
	}
	if (first & 2)
		rflags = rd_u8(&rt);
	if (rt.bad) {
		pkt_damage(p, LAYER_LINK, 0);
		return;
	}
	if (rflags & 0x10) {
		/* The FCS ends the wire frame; drop whatever part of it was captured. */
		uint32_t wire = p->cap->wirelen, cap = p->cap->caplen;
		uint32_t body_end = wire >= 4 ? wire - 4 : 0;
		rd_trim_tail(&hdr, cap > body_end ? cap - body_end : 0);
		p->wire_trailer = 4;
	}
	if (rflags & 0x40) {			/* frame failed its FCS check */
		p->what = LW_OTHER;
		return;
	}
	dissect_80211(p, hdr);
}

int
dissect_link_supported(int dlt)
{
	switch (dlt) {
	case DLT_NULL:
	case DLT_EN10MB:
	case DLT_RAW:
	case 14:		/* DLT_RAW on OpenBSD */
	case 101:		/* LINKTYPE_RAW */
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_IEEE802_11:
	case DLT_IEEE802_11_RADIO:
	case DLT_IPV4:
	case DLT_IPV6:
		return 1;
	default:
		return 0;
	}
}

void
dissect_link(struct pkt *p, int dlt, struct rd r)
{
	switch (dlt) {
	case DLT_EN10MB:
		dissect_ether(p, r);
		break;
	case DLT_NULL:
		dissect_null(p, r, 0);
		break;
	case DLT_LOOP:
		dissect_null(p, r, 1);
		break;
	case DLT_RAW:
	case 14:
	case 101:
		dissect_raw(p, r);
		break;
	case DLT_IPV4:
		dissect_ipv4(p, r);
		break;
	case DLT_IPV6:
		dissect_ipv6(p, r);
		break;
	case DLT_LINUX_SLL:
		dissect_sll(p, r);
		break;
	case DLT_LINUX_SLL2:
		dissect_sll2(p, r);
		break;
	case DLT_IEEE802_11:
		dissect_80211(p, r);
		break;
	case DLT_IEEE802_11_RADIO:
		dissect_radiotap(p, r);
		break;
	default:
		p->what = LW_UNSUPPORTED;
		break;
	}
}

void
dissect_packet(struct pkt *p, const struct cap_pkt *cap)
{
	/*
	 * The frame cursor is passed from a register, not read back from *p: a load just after
	 * the zeroing of *p stalls on store forwarding, which measured as the costliest step of
	 * decoding a packet.
	 */
	struct rd frame = rd_make(cap->data, cap->caplen);

	memset(p, 0, offsetof(struct pkt, PKT_ZEROED_END));
	p->cap = cap;
	p->frame = frame;
	p->net = p->payload = rd_make(cap->data, 0);
	dissect_link(p, cap->linktype, frame);
}
