/*
 * dissect-transport.c — TCP, UDP, SCTP ports and ICMP/ICMPv6 type and code; the payload is
 * what follows the transport header inside the IP-bounded datagram.
 */
#include "config.h"

#include <netinet/in.h>

#include "dissect.h"

#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP	132
#endif

static void
dissect_tcp(struct pkt *p, struct rd r, uint32_t claimed)
{
	p->sport = rd_be16(&r);
	p->dport = rd_be16(&r);
	p->seq = rd_be32(&r);
	p->ack = rd_be32(&r);
	uint16_t offflags = rd_be16(&r);
	if (r.bad) {
		pkt_damage_read(p, LAYER_TRANSPORT, &r);
		return;
	}
	/*
	 * Ports, sequence numbers and the header length place a segment in its connection
	 * (Wireshark draws the same line), even when a tiny first fragment cuts the rest.
	 */
	p->has_ports = 1;
	rd_skip(&r, 6);			/* window, checksum, urgent pointer */
	if (r.bad) {
		pkt_damage_read(p, LAYER_TRANSPORT, &r);
		return;
	}
	p->tcp_flags = (uint8_t)(offflags & 0xff);
	unsigned doff = (offflags >> 12) * 4u;
	if (doff < 20 || doff > claimed) {
		pkt_damage(p, LAYER_TRANSPORT, 0);
		return;
	}
	rd_skip(&r, doff - 20);		/* options */
	if (r.bad) {
		pkt_damage_read(p, LAYER_TRANSPORT, &r);
		return;
	}
	p->payload = r;
	p->payload_len = claimed - doff;
}

static void
dissect_udp(struct pkt *p, struct rd r, uint32_t claimed)
{
	p->sport = rd_be16(&r);
	p->dport = rd_be16(&r);
	uint16_t len = rd_be16(&r);
	rd_skip(&r, 2);			/* checksum */
	if (r.bad) {
		pkt_damage_read(p, LAYER_TRANSPORT, &r);
		return;
	}
	/* A complete header places the datagram in its conversation, whatever it claims. */
	p->has_ports = 1;
	uint32_t ulen = len;
	if (len == 0 && p->ipver == 6)	/* jumbogram: the IP layer bounds it */
		ulen = claimed;
	/* The first fragment of a datagram holds only part of what the UDP length covers. */
	if (p->frag == FRAG_FIRST)
		ulen = claimed;
	if (ulen < 8 || ulen > claimed) {
		pkt_damage(p, LAYER_TRANSPORT, 0);
		ulen = claimed >= 8 ? claimed : 8;
	}
	rd_limit(&r, ulen - 8);
	p->payload = r;
	p->payload_len = ulen - 8;
}

static void
dissect_icmp(struct pkt *p, struct rd r, uint32_t claimed)
{
	p->icmp_type = rd_u8(&r);
	p->icmp_code = rd_u8(&r);
	rd_skip(&r, 6);			/* checksum and the rest of the header */
	if (r.bad) {
		pkt_damage_read(p, LAYER_TRANSPORT, &r);
		return;
	}
	p->payload = r;
	p->payload_len = claimed >= 8 ? claimed - 8 : 0;
}

void
dissect_transport(struct pkt *p, uint8_t proto, struct rd r, uint32_t claimed)
{
	p->proto = proto;
	switch (proto) {
	case IPPROTO_TCP:
		dissect_tcp(p, r, claimed);
		break;
	case IPPROTO_UDP:
		dissect_udp(p, r, claimed);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		dissect_icmp(p, r, claimed);
		break;
	case IPPROTO_SCTP:
		p->sport = rd_be16(&r);
		p->dport = rd_be16(&r);
		if (r.bad) {
			pkt_damage_read(p, LAYER_TRANSPORT, &r);
			return;
		}
		p->has_ports = 1;
		rd_skip(&r, 8);
		p->payload = r;
		p->payload_len = claimed >= 12 ? claimed - 12 : 0;
		break;
	default:
		p->payload = r;
		p->payload_len = claimed;
		break;
	}
}
