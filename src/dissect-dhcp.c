/*
 * dissect-dhcp.c — DHCP/BOOTP: client hardware address, message type, and the options that
 * name a device: host name (12), vendor class (60), requested address (50), client FQDN (81).
 */
#include "config.h"

#include <string.h>

#include "dissect.h"

#define DHCP_MAGIC	0x63825363u

static void
copy_opt(char *dst, size_t cap, struct rd v)
{
	size_t n = rd_left(&v);
	if (n >= cap)
		n = cap - 1;
	/* An embedded NUL (many clients pad with one) simply ends the string. */
	rd_copy(&v, dst, n);
	dst[n] = '\0';
}

/* Option 81 with the E flag carries the name as DNS labels without compression. */
static void
copy_labels(char *dst, size_t cap, struct rd v)
{
	size_t n = 0;

	dst[0] = '\0';
	while (rd_left(&v) > 0) {
		uint8_t len = rd_u8(&v);
		if (len == 0 || len > 63 || len > rd_left(&v) || n + len + 2 > cap)
			break;
		if (n > 0)
			dst[n++] = '.';
		rd_copy(&v, dst + n, len);
		n += len;
		dst[n] = '\0';
	}
}

enum dns_status
dhcp_parse(struct rd r, struct dhcp_info *d)
{
	memset(d, 0, sizeof *d);
	d->op = rd_u8(&r);
	uint8_t htype = rd_u8(&r);
	uint8_t hlen = rd_u8(&r);
	rd_skip(&r, 1 + 4 + 2 + 2);		/* hops, xid, secs, flags */
	rd_copy(&r, d->ciaddr, 4);
	rd_copy(&r, d->yiaddr, 4);
	rd_skip(&r, 8);				/* siaddr, giaddr */
	uint8_t chaddr[16];
	rd_copy(&r, chaddr, 16);
	rd_skip(&r, 64 + 128);			/* sname, file */
	uint32_t magic = rd_be32(&r);
	if (r.bad)
		return DNS_TRUNCATED;
	if ((d->op != 1 && d->op != 2) || magic != DHCP_MAGIC)
		return DNS_MALFORMED;
	if (htype == 1 && hlen == 6) {
		memcpy(d->chaddr, chaddr, 6);
		d->has_chaddr = 1;
	}
	while (rd_left(&r) > 0) {
		uint8_t code = rd_u8(&r);
		if (code == 0)			/* pad */
			continue;
		if (code == 255)		/* end */
			return DNS_OK;
		uint8_t len = rd_u8(&r);
		int cut = 0;
		struct rd v = rd_sub(&r, len, &cut);
		if (r.bad || cut)
			return DNS_TRUNCATED;
		switch (code) {
		case 53:
			d->msg_type = rd_u8(&v);
			break;
		case 12:
			copy_opt(d->hostname, sizeof d->hostname, v);
			break;
		case 60:
			copy_opt(d->vendor, sizeof d->vendor, v);
			break;
		case 50:
			if (len == 4) {
				rd_copy(&v, d->requested, 4);
				d->has_requested = 1;
			}
			break;
		case 81:
			/* flags, two obsolete rcode bytes, then the name (ASCII or wire format). */
		{
			uint8_t flags = rd_u8(&v);
			rd_skip(&v, 2);
			if (v.bad)
				break;
			if (flags & 0x04)
				copy_labels(d->fqdn, sizeof d->fqdn, v);
			else
				copy_opt(d->fqdn, sizeof d->fqdn, v);
			break;
		}
		default:
			break;
		}
	}
	return DNS_OK;
}
