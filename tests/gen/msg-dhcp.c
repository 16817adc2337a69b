/*
 * msg-dhcp.c — DHCP messages (RFC 2131/2132) over a BOOTP frame.  Client messages carry the
 * fingerprinting options analysers look at (12 host name, 60 vendor class, 55 parameter list);
 * every message is padded to the 300-byte BOOTP minimum as common clients and servers do.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "msg.h"

#define BOOTP_MIN	300

static uint8_t *
opt(uint8_t *p, uint8_t code, const void *v, size_t n)
{
	p[0] = code;
	p[1] = (uint8_t)n;
	memcpy(p + 2, v, n);
	return p + 2 + n;
}

size_t
dhcp_build(uint8_t *b, const struct dhcp_args *a)
{
	int client = a->type == DHCPDISCOVER || a->type == DHCPREQUEST;
	uint8_t t = (uint8_t)a->type, *p;
	size_t n;

	memset(b, 0, DHCP_MAX);
	b[0] = client ? 1 : 2;		/* BOOTREQUEST, BOOTREPLY */
	b[1] = 1;			/* Ethernet */
	b[2] = 6;
	b[3] = 0;
	put_be32(b + 4, a->xid);
	put_be16(b + 8, a->secs);
	put_be16(b + 10, 0x8000);	/* broadcast: the client has no address yet */
	if (!client && a->yiaddr != NULL)
		memcpy(b + 16, a->yiaddr, 4);
	if (!client && a->server != NULL)
		memcpy(b + 20, a->server, 4);
	memcpy(b + 28, a->chaddr, 6);
	put_be32(b + 236, 0x63825363);
	p = b + 240;
	p = opt(p, 53, &t, 1);
	if (client) {
		uint8_t cid[7];

		cid[0] = 1;
		memcpy(cid + 1, a->chaddr, 6);
		p = opt(p, 61, cid, sizeof cid);
		if (a->requested != NULL)
			p = opt(p, 50, a->requested, 4);
		if (a->type == DHCPREQUEST && a->server != NULL)
			p = opt(p, 54, a->server, 4);
		p = opt(p, 57, (const uint8_t[]){ 0x05, 0xdc }, 2);
		if (a->hostname != NULL)
			p = opt(p, 12, a->hostname, strlen(a->hostname));
		if (a->vendor_class != NULL)
			p = opt(p, 60, a->vendor_class, strlen(a->vendor_class));
		if (a->params != NULL)
			p = opt(p, 55, a->params, a->nparams);
	} else {
		uint8_t v[4];

		p = opt(p, 54, a->server, 4);
		put_be32(v, a->lease_s);
		p = opt(p, 51, v, 4);
		put_be32(v, a->lease_s / 2);
		p = opt(p, 58, v, 4);
		put_be32(v, a->lease_s / 8 * 7);
		p = opt(p, 59, v, 4);
		p = opt(p, 1, a->mask, 4);
		p = opt(p, 3, a->router, 4);
		p = opt(p, 6, a->dns, 4);
		if (a->domain != NULL)
			p = opt(p, 15, a->domain, strlen(a->domain));
	}
	*p++ = 255;
	n = (size_t)(p - b);
	return n < BOOTP_MIN ? BOOTP_MIN : n;
}
