/*
 * dissect-arp.c — ARP (and RARP) for Ethernet hardware and IPv4 protocol addresses: the
 * sender pair ties a MAC to an IP.
 */
#include "config.h"

#include "dissect.h"

int
arp_parse(struct rd r, struct arp_info *a)
{
	uint16_t htype = rd_be16(&r);
	uint16_t ptype = rd_be16(&r);
	uint8_t hlen = rd_u8(&r);
	uint8_t plen = rd_u8(&r);

	a->op = rd_be16(&r);
	if (r.bad || htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4)
		return -1;
	rd_copy(&r, a->sha, 6);
	rd_copy(&r, a->spa, 4);
	rd_copy(&r, a->tha, 6);
	rd_copy(&r, a->tpa, 4);
	return r.bad ? -1 : 0;
}
