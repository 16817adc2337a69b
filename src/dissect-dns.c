/*
 * dissect-dns.c — DNS, mDNS and LLMNR messages: questions, and A/AAAA/CNAME/PTR/SRV records.
 * Compression pointers must point strictly backwards (RFC 1035 4.1.4 only ever needs that),
 * which makes loops impossible, and at most 64 are followed; names are capped at 255 octets
 * on the wire, length octets and root included (RFC 1035 3.1), and record counts by the
 * bytes actually present.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dissect.h"

#define DNS_JUMPS_MAX	64
#define DNS_WIRE_MAX	255	/* octets of a name on the wire (RFC 1035 3.1) */

enum dns_status
dns_read_name(const struct rd *msg, struct rd *pos, char *out)
{
	struct rd cur = *pos;
	size_t olen = 0, wire = 1, lowest = rd_offset(msg, pos);	/* wire: the root octet */
	int jumped = 0, jumps = 0;

	out[0] = '\0';
	for (;;) {
		uint8_t len = rd_u8(&cur);
		if (cur.bad)
			return DNS_TRUNCATED;
		if (len == 0)
			break;
		if ((len & 0xc0) == 0xc0) {
			uint8_t lo = rd_u8(&cur);
			if (cur.bad)
				return DNS_TRUNCATED;
			size_t target = (size_t)(len & 0x3f) << 8 | lo;
			if (!jumped) {
				*pos = cur;
				jumped = 1;
			}
			/* Strictly backwards from the lowest point reached so far: no loops. */
			if (target >= lowest || ++jumps > DNS_JUMPS_MAX)
				return DNS_MALFORMED;
			lowest = target;
			cur = rd_at(msg, target);
			continue;
		}
		if ((len & 0xc0) != 0)		/* 0x40 extended and 0x80 reserved label types */
			return DNS_MALFORMED;
		/* 255 octets on the wire are at most 253 written out: DNS_NAME_MAX holds them. */
		wire += 1u + len;
		if (wire > DNS_WIRE_MAX)
			return DNS_MALFORMED;
		if (olen > 0)
			out[olen++] = '.';
		rd_copy(&cur, out + olen, len);
		if (cur.bad)
			return DNS_TRUNCATED;
		/* A NUL inside a label would cut the C string: show it as a visible byte. */
		for (size_t i = olen; i < olen + len; i++)
			if (out[i] == '\0')
				out[i] = '?';
		olen += len;
	}
	out[olen] = '\0';
	if (!jumped)
		*pos = cur;
	return DNS_OK;
}

static enum dns_status
read_rr(const struct rd *msg, struct rd *r, struct dns_rr *rr, char *name, char *target,
    int question)
{
	enum dns_status st = dns_read_name(msg, r, name);

	if (st != DNS_OK)
		return st;
	rr->name = name;
	rr->type = rd_be16(r);
	rr->klass = rd_be16(r);
	rr->target = NULL;
	rr->addr = NULL;
	rr->ttl = 0;
	rr->srv_port = 0;
	if (question)
		return r->bad ? DNS_TRUNCATED : DNS_OK;
	rr->ttl = rd_be32(r);
	uint16_t rdlen = rd_be16(r);
	if (r->bad)
		return DNS_TRUNCATED;
	int cut = 0;
	struct rd data = rd_sub(r, rdlen, &cut);
	if (cut)
		return DNS_TRUNCATED;
	switch (rr->type) {
	case DNS_TYPE_A:
	case DNS_TYPE_AAAA: {
		size_t want = rr->type == DNS_TYPE_A ? 4 : 16;
		if (rdlen != want)
			return DNS_MALFORMED;
		rr->addr = rd_span(&data).p;
		break;
	}
	case DNS_TYPE_CNAME:
	case DNS_TYPE_PTR:
	case DNS_TYPE_NS:
		st = dns_read_name(msg, &data, target);
		if (st != DNS_OK)
			return st;
		rr->target = target;
		break;
	case DNS_TYPE_SRV:
		rd_skip(&data, 4);		/* priority, weight */
		rr->srv_port = rd_be16(&data);
		if (data.bad)
			return DNS_MALFORMED;
		st = dns_read_name(msg, &data, target);
		if (st != DNS_OK)
			return st;
		rr->target = target;
		break;
	default:
		break;
	}
	return DNS_OK;
}

enum dns_status
dns_parse(struct rd msg, dns_rr_fn fn, void *ctx, struct dns_msg *hdr)
{
	struct rd r = msg;
	char name[DNS_NAME_MAX], target[DNS_NAME_MAX];
	struct dns_rr rr;

	memset(hdr, 0, sizeof *hdr);
	hdr->id = rd_be16(&r);
	uint16_t flags = rd_be16(&r);
	hdr->qd = rd_be16(&r);
	hdr->an = rd_be16(&r);
	hdr->ns = rd_be16(&r);
	hdr->ar = rd_be16(&r);
	if (r.bad)
		return DNS_TRUNCATED;
	hdr->response = (flags & 0x8000) != 0;
	hdr->rcode = flags & 0x000f;
	if ((flags >> 11 & 0xf) > 6)		/* opcodes above 6 are unassigned */
		return DNS_MALFORMED;

	const uint16_t counts[4] = { hdr->qd, hdr->an, hdr->ns, hdr->ar };
	for (int section = 0; section < 4; section++) {
		for (unsigned i = 0; i < counts[section]; i++) {
			/* A record needs at least 5 bytes (question) or 11: counts cannot lie past that. */
			if (rd_left(&r) < (section == 0 ? 5u : 11u))
				return DNS_TRUNCATED;
			enum dns_status st = read_rr(&msg, &r, &rr, name, target, section == 0);
			if (st != DNS_OK)
				return st;
			rr.kind = (enum dns_rr_kind)section;
			if (fn != NULL)
				fn(ctx, hdr, &rr);
		}
	}
	return DNS_OK;
}
