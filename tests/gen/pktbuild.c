/*
 * pktbuild.c — frame builders.  The Internet checksum is summed over native 32-bit words (RFC
 * 1071: the one's-complement sum does not depend on byte order as long as the result is stored
 * the same way it was summed), which keeps a gigabyte of checksums cheap and still gives the
 * same bytes on every host.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "pktbuild.h"

#define ET_IPV4		0x0800
#define ET_IPV6		0x86dd
#define ET_ARP		0x0806

/* One's-complement sum of n bytes at p, in native order, not yet folded. */
static uint64_t
csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
	uint32_t w;
	uint16_t h;

	while (n >= 4) {
		memcpy(&w, p, 4);
		sum += w;
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		n -= 2;
	}
	if (n == 1) {
		uint8_t last[2] = { p[0], 0 };

		memcpy(&h, last, 2);
		sum += h;
	}
	return sum;
}

/* Folds and complements; stores the checksum at dst in the order it was summed. */
static void
csum_store(uint8_t *dst, uint64_t sum)
{
	uint16_t c;

	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	c = (uint16_t)~sum;
	memcpy(dst, &c, 2);
}

static size_t
put_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put_be16(f + 12, type);
	return 14;
}

/* Ethernet + IP header for a transport payload of tlen bytes; returns the header bytes. */
static size_t
put_ip(uint8_t *f, struct ep *src, const struct ep *dst, int v6, uint8_t proto, size_t tlen,
    int df)
{
	uint8_t *ip = f + 14;

	put_eth(f, dst->mac, src->mac, v6 ? ET_IPV6 : ET_IPV4);
	if (v6) {
		put_be32(ip, 0x60000000u | (src->flowlabel & 0xfffff));
		put_be16(ip + 4, (uint16_t)tlen);
		ip[6] = proto;
		ip[7] = src->ttl;
		memcpy(ip + 8, src->ip, 16);
		memcpy(ip + 24, dst->ip, 16);
		return 14 + 40;
	}
	ip[0] = 0x45;
	ip[1] = 0;
	put_be16(ip + 2, (uint16_t)(20 + tlen));
	put_be16(ip + 4, src->ipid++);
	put_be16(ip + 6, df ? 0x4000 : 0);
	ip[8] = src->ttl;
	ip[9] = proto;
	ip[10] = 0;
	ip[11] = 0;
	memcpy(ip + 12, src->ip, 4);
	memcpy(ip + 16, dst->ip, 4);
	csum_store(ip + 10, csum_add(0, ip, 20));
	return 14 + 20;
}

/* Transport checksum over the pseudo-header and the segment at t of tlen bytes. */
static void
put_l4_csum(uint8_t *f, int v6, uint8_t proto, uint8_t *t, size_t tlen, size_t csum_off)
{
	uint8_t ph[40];
	size_t phlen;
	uint64_t sum;

	if (v6) {
		memcpy(ph, f + 14 + 8, 32);
		put_be32(ph + 32, (uint32_t)tlen);
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		phlen = 40;
	} else {
		memcpy(ph, f + 14 + 12, 8);
		ph[8] = 0;
		ph[9] = proto;
		put_be16(ph + 10, (uint16_t)tlen);
		phlen = 12;
	}
	t[csum_off] = t[csum_off + 1] = 0;
	sum = csum_add(csum_add(0, ph, phlen), t, tlen);
	csum_store(t + csum_off, sum);
	if (proto == 17 && t[csum_off] == 0 && t[csum_off + 1] == 0)
		t[csum_off] = t[csum_off + 1] = 0xff;	/* UDP sends zero as all ones */
}

/* Offset of the TCP payload in a frame, so callers can fill it in place before pb_tcp. */
size_t
pb_tcp_payload_off(int v6, size_t optlen)
{
	return 14 + (v6 ? 40 : 20) + 20 + optlen;
}

/*
 * Builds a TCP segment from src to dst.  pl may be NULL when the caller already wrote the
 * payload at pb_tcp_payload_off().  Returns the frame length.
 */
size_t
pb_tcp(uint8_t *f, struct ep *src, const struct ep *dst, int v6, const struct tcpseg *s,
    const uint8_t *pl, size_t n)
{
	size_t thl = 20 + s->optlen, off = pb_tcp_payload_off(v6, s->optlen);
	size_t hl;
	uint8_t *t;

	if (pl != NULL)
		memmove(f + off, pl, n);
	hl = put_ip(f, src, dst, v6, 6, thl + n, 1);
	t = f + hl;
	put_be16(t, src->port);
	put_be16(t + 2, dst->port);
	put_be32(t + 4, s->seq);
	put_be32(t + 8, s->ack);
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = s->flags;
	put_be16(t + 14, s->win);
	put_be16(t + 18, 0);		/* urgent pointer */
	if (s->optlen > 0)
		memcpy(t + 20, s->opt, s->optlen);
	put_l4_csum(f, v6, 6, t, thl + n, 16);
	return hl + thl + n;
}

size_t
pb_udp(uint8_t *f, struct ep *src, const struct ep *dst, int v6, const uint8_t *pl, size_t n)
{
	size_t hl = put_ip(f, src, dst, v6, 17, 8 + n, 0);
	uint8_t *u = f + hl;

	put_be16(u, src->port);
	put_be16(u + 2, dst->port);
	put_be16(u + 4, (uint16_t)(8 + n));
	memmove(u + 8, pl, n);
	put_l4_csum(f, v6, 17, u, 8 + n, 6);
	return hl + 8 + n;
}

/* ICMP or ICMPv6 echo request (reply == 0) or reply. */
size_t
pb_icmp_echo(uint8_t *f, struct ep *src, const struct ep *dst, int v6, int reply, uint16_t id,
    uint16_t seq, const uint8_t *data, size_t n)
{
	uint8_t proto = v6 ? 58 : 1;
	size_t hl = put_ip(f, src, dst, v6, proto, 8 + n, 1);
	uint8_t *c = f + hl;

	if (v6)
		c[0] = reply ? 129 : 128;
	else
		c[0] = reply ? 0 : 8;
	c[1] = 0;
	c[2] = c[3] = 0;
	put_be16(c + 4, id);
	put_be16(c + 6, seq);
	memmove(c + 8, data, n);
	if (v6)
		put_l4_csum(f, 1, 58, c, 8 + n, 2);
	else
		csum_store(c + 2, csum_add(0, c, 8 + n));
	return hl + 8 + n;
}

/*
 * IGMPv2 message (RFC 2236) about group: 0x16 membership report, 0x17 leave group.  IPv4 with
 * TTL 1 and the Router Alert option, as hosts send it.
 */
size_t
pb_igmp(uint8_t *f, struct ep *src, const struct ep *dst, uint8_t type, const uint8_t *group)
{
	uint8_t *ip = f + 14, *g = ip + 24;

	put_eth(f, dst->mac, src->mac, ET_IPV4);
	ip[0] = 0x46;			/* 24-byte header: one option word */
	ip[1] = 0xc0;			/* DSCP CS6, network control */
	put_be16(ip + 2, 24 + 8);
	put_be16(ip + 4, src->ipid++);
	put_be16(ip + 6, 0);
	ip[8] = 1;
	ip[9] = 2;
	ip[10] = ip[11] = 0;
	memcpy(ip + 12, src->ip, 4);
	memcpy(ip + 16, dst->ip, 4);
	ip[20] = 0x94;			/* Router Alert (RFC 2113), value 0 */
	ip[21] = 4;
	ip[22] = ip[23] = 0;
	csum_store(ip + 10, csum_add(0, ip, 24));
	g[0] = type;
	g[1] = 0;
	g[2] = g[3] = 0;
	memcpy(g + 4, group, 4);
	csum_store(g + 2, csum_add(0, g, 8));
	return 14 + 24 + 8;
}

/* ARP over Ethernet for IPv4; op 1 request, 2 reply. */
size_t
pb_arp(uint8_t *f, const uint8_t *ethdst, int op, const uint8_t *sha, const uint8_t *spa,
    const uint8_t *tha, const uint8_t *tpa)
{
	uint8_t *a = f + 14;

	put_eth(f, ethdst, sha, ET_ARP);
	put_be16(a, 1);
	put_be16(a + 2, ET_IPV4);
	a[4] = 6;
	a[5] = 4;
	put_be16(a + 6, (uint16_t)op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	return 14 + 28;
}

/* The Ethernet group address an IPv4 or IPv6 multicast destination maps to. */
void
pb_mcast_mac(uint8_t *mac, const uint8_t *ip, int v6)
{
	if (v6) {
		mac[0] = 0x33;
		mac[1] = 0x33;
		memcpy(mac + 2, ip + 12, 4);
	} else {
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = ip[1] & 0x7f;
		mac[4] = ip[2];
		mac[5] = ip[3];
	}
}
