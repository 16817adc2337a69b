/*
 * pkt.h — one packet as the dissectors leave it: link addresses, IP endpoints, ports, the
 * transport payload (bounded by the IP length, so Ethernet padding is never payload) and which
 * layer, if any, was cut short by the snap length (truncated) or lied about a length (malformed).
 * It lives on the stack of analysis_step() for one packet; every pointer in it is borrowed from
 * the capture's buffer.
 */
#ifndef IOT_PKT_H
#define IOT_PKT_H

#include <stdint.h>

#include "addr.h"
#include "capture.h"
#include "reader.h"

enum layer {
	LAYER_LINK,
	LAYER_NET,
	LAYER_TRANSPORT,
	LAYER_APP,
	LAYER_COUNT
};

enum frag {
	FRAG_NONE,
	FRAG_FIRST,		/* offset 0, more to come: carries the transport header */
	FRAG_LATER		/* no transport header */
};

/* What the link layer found, for the packets overview. */
enum link_what {
	LW_NONE,
	LW_IP,
	LW_ARP,
	LW_OTHER,		/* a non-IP protocol: EAPOL, LLC, loopback test… */
	LW_WLAN_MGMT,		/* 802.11 management or control frame */
	LW_WLAN_PROTECTED,	/* 802.11 data we cannot read (WEP/WPA) */
	LW_WLAN_NULL,		/* 802.11 data frame without a body */
	LW_UNSUPPORTED		/* a link type we do not decode */
};

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20
#define TH_ECE	0x40
#define TH_CWR	0x80

struct pkt {
	/*
	 * Zeroed for every packet (dissect_packet): the flags and small fields.  What follows
	 * is set by the dissector that finds it and read only when a flag above says so
	 * (addresses when ipver is set, MACs when has_*_mac), so it is not cleared: clearing
	 * the whole struct cost more than decoding the packet.
	 */
	enum link_what	 what;
	uint8_t		 has_src_mac, has_dst_mac;
	uint8_t		 nvlan;
	uint8_t		 ipver;		/* 0, 4 or 6 */
	uint8_t		 proto;		/* IP protocol of the transport (after IPv6 extensions) */
	uint8_t		 frag;
	uint8_t		 ip_options;	/* IPv4 options or IPv6 extension headers present */
	uint8_t		 has_ports;
	uint8_t		 tcp_flags;
	uint8_t		 icmp_type, icmp_code;
	uint8_t		 wire_trailer;	/* bytes ending the wire frame that are no packet (FCS) */
	uint8_t		 trunc_layer;	/* 1 + layer first cut by the snap length, 0 if none */
	uint8_t		 bad_layer;	/* 1 + layer first found malformed, 0 if none */
	uint16_t	 vlan;		/* outermost VLAN id */
	uint16_t	 ethertype;
	uint16_t	 sport, dport;
	uint32_t	 frag_id;
	uint32_t	 seq, ack;
	uint32_t	 payload_len;	/* transport payload length the headers claim */
#define PKT_ZEROED_END	cap
	const struct cap_pkt *cap;
	struct rd	 frame;		/* the whole captured frame, for offsets within it */
	struct rd	 net;		/* the IP datagram (or ARP body), bounded by its length */
	struct rd	 payload;	/* transport payload present in the capture */
	uint8_t		 src_mac[6], dst_mac[6];
	struct addr	 src, dst;
};

/* Records damage at a layer: truncated when bytes are missing because of the snap length. */
static inline void
pkt_damage(struct pkt *p, enum layer l, int snaplen_cut)
{
	if (snaplen_cut) {
		if (p->trunc_layer == 0)
			p->trunc_layer = (uint8_t)(l + 1);
	} else if (p->bad_layer == 0)
		p->bad_layer = (uint8_t)(l + 1);
}

/*
 * Damage from a failed read on cursor r: when r ran to the end of the captured frame and the
 * frame was longer on the wire, the snap length cut it (truncated); a cursor bounded by a
 * length field that ran out earlier means the packet lied (malformed).
 */
static inline void
pkt_damage_read(struct pkt *p, enum layer l, const struct rd *r)
{
	pkt_damage(p, l, p->cap->caplen < p->cap->wirelen && r->end == p->frame.end);
}

/* Bytes of the frame on the wire from cursor r's position on (the capture may hold fewer). */
static inline uint64_t
pkt_wire_left(const struct pkt *p, const struct rd *r)
{
	uint64_t at = rd_offset(&p->frame, r) + p->wire_trailer;
	return p->cap->wirelen > at ? p->cap->wirelen - at : 0;
}

#endif
