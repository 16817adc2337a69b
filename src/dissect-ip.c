/*
 * dissect-ip.c — IPv4 (options, fragments) and IPv6 (extension headers walked, fragment
 * header).  The IPv4 total length and IPv6 payload length bound everything above, so link
 * padding never reaches the transport payload.
 */
#include "config.h"

#include <string.h>

#include "dissect.h"

#define IPV6_EXT_MAX	16

/*
 * Cuts the datagram of claimed length *len out of r (positioned at the IP header).  A length
 * longer than what the frame (or an enclosing length, as PPPoE's) holds is a lie: malformed,
 * and the bytes there bound the datagram instead (as Wireshark does, what is there is still
 * decoded).  A datagram cut by the snap length is not damage by itself: truncation is counted
 * at the header it cuts, or else in the payload.
 */
static void
bound_datagram(struct pkt *p, struct rd *r, uint64_t *len)
{
	uint64_t room = r->end == p->frame.end ? pkt_wire_left(p, r) : rd_left(r);

	if (*len > room) {
		pkt_damage(p, LAYER_NET, 0);
		*len = room;
	}
	rd_limit(r, (size_t)*len);
}

void
dissect_ipv4(struct pkt *p, struct rd r)
{
	struct rd ip = r;
	uint8_t vihl = rd_u8(&r);
	unsigned ihl = (vihl & 0x0f) * 4u;

	rd_skip(&r, 1);			/* TOS */
	uint16_t total = rd_be16(&r);
	uint16_t id = rd_be16(&r);
	uint16_t fragoff = rd_be16(&r);
	rd_skip(&r, 1);			/* TTL */
	uint8_t proto = rd_u8(&r);
	rd_skip(&r, 2);			/* checksum */
	uint8_t src[4], dst[4];
	rd_copy(&r, src, 4);
	rd_copy(&r, dst, 4);
	if (r.bad) {
		pkt_damage_read(p, LAYER_NET, &r);
		return;
	}
	if ((vihl >> 4) != 4 || ihl < 20) {
		pkt_damage(p, LAYER_NET, 0);
		return;
	}
	p->ipver = 4;
	p->what = LW_IP;
	p->proto = proto;
	p->frag_id = id;
	addr_from_v4(&p->src, src);
	addr_from_v4(&p->dst, dst);
	/* A zero total length is what TCP segmentation offload leaves in outgoing packets. */
	uint64_t len = total != 0 ? total : pkt_wire_left(p, &ip);
	if (len < ihl) {
		pkt_damage(p, LAYER_NET, 0);
		return;
	}
	bound_datagram(p, &ip, &len);
	if (len < ihl) {
		pkt_damage(p, LAYER_NET, 0);
		return;
	}
	p->net = ip;
	if (ihl > 20)
		p->ip_options = 1;
	rd_skip(&ip, ihl);
	if (ip.bad) {
		pkt_damage_read(p, LAYER_NET, &ip);
		return;
	}
	uint16_t off = fragoff & 0x1fff;
	if (off != 0) {
		p->frag = FRAG_LATER;
		p->payload = ip;
		p->payload_len = (uint32_t)(len - ihl);
		return;
	}
	if (fragoff & 0x2000)
		p->frag = FRAG_FIRST;
	dissect_transport(p, proto, ip, (uint32_t)(len - ihl));
}

void
dissect_ipv6(struct pkt *p, struct rd r)
{
	struct rd ip = r;
	uint32_t vtcfl = rd_be32(&r);
	uint16_t plen = rd_be16(&r);
	uint8_t nh = rd_u8(&r);
	rd_skip(&r, 1);			/* hop limit */
	uint8_t src[16], dst[16];
	rd_copy(&r, src, 16);
	rd_copy(&r, dst, 16);
	if (r.bad) {
		pkt_damage_read(p, LAYER_NET, &r);
		return;
	}
	if ((vtcfl >> 28) != 6) {
		pkt_damage(p, LAYER_NET, 0);
		return;
	}
	p->ipver = 6;
	p->what = LW_IP;
	addr_from_v6(&p->src, src);
	addr_from_v6(&p->dst, dst);
	/* Payload length 0 with a hop-by-hop header is a jumbogram: the frame bounds it. */
	uint64_t len = plen != 0 || nh != 0 ? 40u + plen : pkt_wire_left(p, &ip);
	bound_datagram(p, &ip, &len);
	if (len < 40) {
		pkt_damage(p, LAYER_NET, 0);
		return;
	}
	p->net = ip;
	rd_skip(&ip, 40);
	uint64_t ext = 0;

	for (int i = 0; i < IPV6_EXT_MAX; i++) {
		struct rd h = ip;
		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
		case 139:	/* HIP */
		case 140: {	/* shim6 */
			uint8_t next = rd_u8(&h);
			unsigned hl = (rd_u8(&h) + 1u) * 8;
			rd_skip(&ip, hl);
			if (h.bad || ip.bad) {
				pkt_damage_read(p, LAYER_NET, &ip);
				return;
			}
			nh = next;
			ext += hl;
			p->ip_options = 1;
			continue;
		}
		case 51: {	/* AH: length in 4-byte units, minus 2 */
			uint8_t next = rd_u8(&h);
			unsigned hl = (rd_u8(&h) + 2u) * 4;
			rd_skip(&ip, hl);
			if (h.bad || ip.bad) {
				pkt_damage_read(p, LAYER_NET, &ip);
				return;
			}
			nh = next;
			ext += hl;
			p->ip_options = 1;
			continue;
		}
		case 44: {	/* fragment */
			uint8_t next = rd_u8(&ip);
			rd_skip(&ip, 1);
			uint16_t offm = rd_be16(&ip);
			uint32_t id = rd_be32(&ip);
			if (ip.bad) {
				pkt_damage_read(p, LAYER_NET, &ip);
				return;
			}
			ext += 8;
			p->ip_options = 1;
			p->frag_id = id;
			p->proto = next;
			if ((offm >> 3) != 0) {
				p->frag = FRAG_LATER;
				p->payload = ip;
				p->payload_len = len - 40 > ext ? (uint32_t)(len - 40 - ext) : 0;
				return;
			}
			if (offm & 1)
				p->frag = FRAG_FIRST;
			nh = next;
			continue;
		}
		default:
			break;
		}
		break;
	}
	p->proto = nh;
	if (nh == 59)		/* no next header */
		return;
	if (len - 40 < ext) {
		pkt_damage(p, LAYER_NET, 0);
		return;
	}
	dissect_transport(p, nh, ip, (uint32_t)(len - 40 - ext));
}
