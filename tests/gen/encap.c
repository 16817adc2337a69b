/*
 * encap.c — rewraps the scenario's Ethernet frames for each --link type.  Direction on SLL and
 * 802.11 is judged from the router, which is the capture host and the access point: a frame
 * whose source MAC is the router's is outgoing (fromDS), every other frame was sent by a station.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "encap.h"

#define ET_IPV4		0x0800
#define ET_IPV6		0x86dd

static const struct {
	const char	*name;
	enum encap_link	 link;
	uint16_t	 linktype;
} encap_table[] = {
	{ "ether", ENCAP_ETHER, 1 },
	{ "vlan", ENCAP_VLAN, 1 },
	{ "qinq", ENCAP_QINQ, 1 },
	{ "sll", ENCAP_SLL, 113 },
	{ "sll2", ENCAP_SLL2, 276 },
	{ "raw", ENCAP_RAW, 101 },
	{ "null", ENCAP_NULL, 0 },
	{ "loop", ENCAP_LOOP, 108 },
	{ "80211", ENCAP_80211, 105 },
	{ "radiotap", ENCAP_RADIOTAP, 127 },
};

int
encap_parse(const char *s, enum encap_link *l)
{
	for (size_t i = 0; i < sizeof encap_table / sizeof encap_table[0]; i++) {
		if (strcmp(s, encap_table[i].name) == 0) {
			*l = encap_table[i].link;
			return 0;
		}
	}
	return -1;
}

uint16_t
encap_linktype(enum encap_link l)
{
	for (size_t i = 0; i < sizeof encap_table / sizeof encap_table[0]; i++) {
		if (encap_table[i].link == l)
			return encap_table[i].linktype;
	}
	return 1;
}

/*
 * Finds the IP packet inside an unpadded Ethernet frame: sets *ip and returns its length, or
 * returns 0 for anything that is not IPv4 or IPv6 (ARP).
 */
size_t
encap_ip(const uint8_t *eth, size_t len, const uint8_t **ip)
{
	uint16_t et;

	if (len < 14)
		return 0;
	et = get_be16(eth + 12);
	if (et != ET_IPV4 && et != ET_IPV6)
		return 0;
	*ip = eth + 14;
	return len - 14;
}

static int
is_group(const uint8_t *mac)
{
	return mac[0] & 1;
}

static int
is_broadcast(const uint8_t *mac)
{
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	return memcmp(mac, bc, 6) == 0;
}

/* Linux packet type as the router's socket would report it. */
static uint16_t
sll_pkttype(const struct encap *e, const uint8_t *eth)
{
	if (memcmp(eth + 6, e->router_mac, 6) == 0)
		return 4;			/* PACKET_OUTGOING */
	if (is_broadcast(eth))
		return 1;			/* PACKET_BROADCAST */
	if (is_group(eth))
		return 2;			/* PACKET_MULTICAST */
	if (memcmp(eth, e->router_mac, 6) == 0)
		return 0;			/* PACKET_HOST */
	return 3;				/* PACKET_OTHERHOST */
}

/* 802.11 data frame header plus LLC/SNAP; returns its length (32). */
static size_t
put_80211(struct encap *e, const uint8_t *eth, uint8_t *o)
{
	const uint8_t *da = eth, *sa = eth + 6;
	int from_ap = memcmp(sa, e->router_mac, 6) == 0;
	uint16_t seq;

	o[0] = 0x08;				/* type 2 data, subtype 0 */
	if (from_ap) {
		o[1] = 0x02;			/* fromDS */
		memcpy(o + 4, da, 6);
		memcpy(o + 10, e->router_mac, 6);
		memcpy(o + 16, sa, 6);
		seq = e->seq_ap++;
	} else {
		o[1] = 0x01;			/* toDS */
		memcpy(o + 4, e->router_mac, 6);
		memcpy(o + 10, sa, 6);
		memcpy(o + 16, da, 6);
		seq = e->seq_sta++;
	}
	put_le16(o + 2, is_group(da) ? 0 : 44);	/* duration, microseconds */
	put_le16(o + 22, (uint16_t)((seq & 0x0fff) << 4));
	o[24] = 0xaa;
	o[25] = 0xaa;
	o[26] = 0x03;
	o[27] = 0;
	o[28] = 0;
	o[29] = 0;
	memcpy(o + 30, eth + 12, 2);
	return 32;
}

/*
 * Wraps one unpadded Ethernet frame of len bytes into out (room for len + ENCAP_MAX_EXTRA, and
 * at least ETH_MIN_FRAME + 8).  Returns 0 with *outlen set, or 1 when the link cannot carry the
 * frame (ARP on an IP-only link) and it must be dropped.
 */
int
encap_frame(struct encap *e, uint64_t ts_ns, const uint8_t *eth, size_t len, uint8_t *out,
    size_t *outlen)
{
	const uint8_t *ip;
	size_t iplen, n = 0, body = len - 14;
	uint16_t et = get_be16(eth + 12);

	switch (e->link) {
	case ENCAP_ETHER:
	case ENCAP_VLAN:
	case ENCAP_QINQ:
		memcpy(out, eth, 12);
		n = 12;
		if (e->link == ENCAP_QINQ) {
			put_be16(out + n, 0x88a8);
			put_be16(out + n + 2, 200);
			n += 4;
		}
		if (e->link != ENCAP_ETHER) {
			put_be16(out + n, 0x8100);
			put_be16(out + n + 2, 100);
			n += 4;
		}
		memcpy(out + n, eth + 12, len - 12);
		n += len - 12;
		if (n < ETH_MIN_FRAME) {
			memset(out + n, 0, ETH_MIN_FRAME - n);
			n = ETH_MIN_FRAME;
		}
		break;
	case ENCAP_SLL:
		put_be16(out, sll_pkttype(e, eth));
		put_be16(out + 2, 1);		/* ARPHRD_ETHER */
		put_be16(out + 4, 6);
		memcpy(out + 6, eth + 6, 6);
		memset(out + 12, 0, 2);
		put_be16(out + 14, et);
		memcpy(out + 16, eth + 14, body);
		n = 16 + body;
		break;
	case ENCAP_SLL2:
		put_be16(out, et);
		put_be16(out + 2, 0);
		put_be32(out + 4, 2);		/* interface index of the LAN port */
		put_be16(out + 8, 1);
		out[10] = (uint8_t)sll_pkttype(e, eth);
		out[11] = 6;
		memcpy(out + 12, eth + 6, 6);
		memset(out + 18, 0, 2);
		memcpy(out + 20, eth + 14, body);
		n = 20 + body;
		break;
	case ENCAP_RAW:
	case ENCAP_NULL:
	case ENCAP_LOOP:
		iplen = encap_ip(eth, len, &ip);
		if (iplen == 0)
			return 1;
		if (e->link == ENCAP_NULL) {
			put_le32(out, et == ET_IPV4 ? 2 : 30);
			n = 4;
		} else if (e->link == ENCAP_LOOP) {
			put_be32(out, et == ET_IPV4 ? 2 : 30);
			n = 4;
		}
		memcpy(out + n, ip, iplen);
		n += iplen;
		break;
	case ENCAP_80211:
		n = put_80211(e, eth, out);
		memcpy(out + n, eth + 14, body);
		n += body;
		break;
	case ENCAP_RADIOTAP:
		out[0] = 0;			/* version */
		out[1] = 0;
		put_le16(out + 2, 17);
		put_le32(out + 4, 0x00000003);	/* TSFT, Flags */
		put_le64(out + 8, ts_ns / 1000);	/* TSFT at offset 8: 8-byte aligned */
		out[16] = 0;			/* flags: no FCS, no short preamble */
		n = 17;
		n += put_80211(e, eth, out + n);
		memcpy(out + n, eth + 14, body);
		n += body;
		break;
	}
	*outlen = n;
	return 0;
}
