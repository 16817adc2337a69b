/*
 * sink.c — turns each scenario frame into a capture record.  On pcapng-mixed, interface 0 has
 * the --link encapsulation and interface 1 is LINKTYPE_RAW: even-numbered frames and all non-IP
 * frames go to interface 0, odd-numbered IP frames to interface 1 as bare IP packets.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sink.h"

int
sink_open(struct sink *s, FILE *fp, enum pcapw_format fmt, enum encap_link link,
    const uint8_t *router_mac, uint32_t snaplen)
{
	uint16_t lt[2];

	memset(&s->e, 0, sizeof s->e);
	s->e.link = link;
	memcpy(s->e.router_mac, router_mac, 6);
	s->mixed = fmt == PCAPW_PCAPNG_MIXED;
	s->snaplen = snaplen;
	s->frames = 0;
	s->wire_bytes = 0;
	lt[0] = encap_linktype(link);
	lt[1] = 101;
	return pcapw_open(&s->w, fp, fmt, lt, s->mixed ? 2 : 1, snaplen);
}

/* Writes one unpadded Ethernet frame stamped ts_ns (nanoseconds since the epoch). */
int
sink_frame(struct sink *s, uint64_t ts_ns, const uint8_t *eth, size_t len)
{
	const uint8_t *data = s->out, *ip;
	size_t n, iplen;
	int iface = 0;

	if (s->mixed && (s->frames & 1) && (iplen = encap_ip(eth, len, &ip)) > 0) {
		data = ip;
		n = iplen;
		iface = 1;
	} else if (encap_frame(&s->e, ts_ns, eth, len, s->out, &n) != 0) {
		s->frames++;
		return 0;
	}
	s->frames++;
	s->wire_bytes += n;
	return pcapw_packet(&s->w, iface, ts_ns, data, n < s->snaplen ? (uint32_t)n : s->snaplen,
	    (uint32_t)n);
}

int
sink_close(struct sink *s)
{
	return pcapw_close(&s->w);
}
