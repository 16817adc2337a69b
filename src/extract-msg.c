/*
 * extract-msg.c — secrets in binary messages: MQTT CONNECT and SNMP communities (see
 * extract.h).  Every field is read through the bounds-checked reader; lengths come from the
 * packet and are never trusted beyond what is there.
 */
#include "config.h"

#include <string.h>

#include "extract.h"
#include "reader.h"

/* MQTT variable byte integer (remaining length, property length): -1 when bad. */
static long
mqtt_varint(struct rd *r)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		if (rd_left(r) == 0)
			return -2;			/* not all here yet */
		uint8_t b = rd_u8(r);
		v |= (long)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	return -1;
}

/* A 2-byte-length string; its bytes in *s and the offset of its first byte from base. */
static int
mqtt_str(struct rd *r, const uint8_t *base, const uint8_t **s, size_t *n, size_t *at)
{
	size_t len = rd_be16(r);

	if (r->bad || rd_left(r) < len)
		return -1;
	*s = r->p;
	*n = len;
	*at = rd_offset(&(struct rd){ base, r->end, 0 }, r);
	rd_skip(r, len);
	return 0;
}

int
ext_mqtt_connect(int dir, const uint8_t *b, size_t n, uint64_t off, const struct ext_emit *e)
{
	struct rd r = rd_make(b, n);

	if (n == 0)
		return 0;
	if (b[0] != 0x10)
		return -1;
	rd_skip(&r, 1);
	long rem = mqtt_varint(&r);
	if (rem == -2)
		return 0;
	if (rem < 0)
		return -1;
	if (rd_left(&r) < (size_t)rem)
		return rem > 65536 ? -1 : 0;		/* wait for the rest, within reason */
	struct rd m = rd_sub(&r, (size_t)rem, NULL);
	const uint8_t *name;
	size_t nlen, at;
	if (mqtt_str(&m, b, &name, &nlen, &at) < 0 ||
	    !((nlen == 4 && memcmp(name, "MQTT", 4) == 0) ||
	    (nlen == 6 && memcmp(name, "MQIsdp", 6) == 0)))
		return -1;
	uint8_t level = rd_u8(&m), flags = rd_u8(&m);
	rd_skip(&m, 2);					/* keep alive */
	if (m.bad)
		return -1;
	if (level == 5) {
		long plen = mqtt_varint(&m);
		if (plen < 0)
			return -1;
		rd_skip(&m, (size_t)plen);
	}
	const uint8_t *id, *user = NULL, *pass = NULL, *s;
	size_t idn, idat, un = 0, uat = 0, pn = 0, pat = 0, sn, sat;
	if (mqtt_str(&m, b, &id, &idn, &idat) < 0)
		return -1;
	if (flags & 0x04) {				/* will: properties (v5), topic, payload */
		if (level == 5) {
			long plen = mqtt_varint(&m);
			if (plen < 0)
				return -1;
			rd_skip(&m, (size_t)plen);
		}
		if (mqtt_str(&m, b, &s, &sn, &sat) < 0 || mqtt_str(&m, b, &s, &sn, &sat) < 0)
			return -1;
	}
	if ((flags & 0x80) && mqtt_str(&m, b, &user, &un, &uat) < 0)
		return -1;
	if ((flags & 0x40) && mqtt_str(&m, b, &pass, &pn, &pat) < 0)
		return -1;
	const uint8_t *msg = b;
	size_t msglen = rd_offset(&(struct rd){ b, b + n, 0 }, &r);
	char ubuf[EXT_USER];
	if (idn > 0)
		e->found(e->ctx, dir, "mqtt-client-id", CAT_IDENTIFIER, SEV_LOW, id, idn, NULL, id,
		    idn, off + idat, msg, msglen);
	ubuf[0] = '\0';
	if (user != NULL) {
		size_t k = un < sizeof ubuf - 1 ? un : sizeof ubuf - 1;
		memcpy(ubuf, user, k);
		ubuf[k] = '\0';
		e->found(e->ctx, dir, "mqtt-username", CAT_IDENTIFIER, SEV_MEDIUM, user, un, NULL,
		    user, un, off + uat, msg, msglen);
	}
	if (pass != NULL)
		e->found(e->ctx, dir, "mqtt-password", CAT_CREDENTIAL, SEV_HIGH, pass, pn,
		    ubuf[0] != '\0' ? ubuf : NULL, pass, pn, off + pat, msg, msglen);
	return 1;
}

/* A BER length (short or long form up to 4 bytes); -1 when bad. */
static long
ber_len(struct rd *r)
{
	uint8_t b = rd_u8(r);

	if (b < 0x80)
		return b;
	int k = b & 0x7f;
	if (k == 0 || k > 4)
		return -1;
	long v = 0;
	while (k-- > 0)
		v = v << 8 | rd_u8(r);
	return r->bad ? -1 : v;
}

void
ext_snmp(int dir, const uint8_t *b, size_t n, uint64_t off, const struct ext_emit *e)
{
	struct rd r = rd_make(b, n);

	if (rd_u8(&r) != 0x30 || ber_len(&r) < 0)
		return;
	if (rd_u8(&r) != 0x02)				/* version INTEGER */
		return;
	long vl = ber_len(&r);
	if (vl < 1 || vl > 4)
		return;
	long version = 0;
	for (long i = 0; i < vl; i++)
		version = version << 8 | rd_u8(&r);
	if (r.bad || (version != 0 && version != 1))	/* v3 has no community */
		return;
	if (rd_u8(&r) != 0x04)				/* community OCTET STRING */
		return;
	long cl = ber_len(&r);
	if (cl < 0 || r.bad || rd_left(&r) < (size_t)cl)
		return;
	const uint8_t *c = r.p;
	size_t at = (size_t)(c - b);
	/* The PDU must follow: a context-specific constructed tag (GetRequest … Report). */
	rd_skip(&r, (size_t)cl);
	uint8_t pdu = rd_u8(&r);
	if (r.bad || pdu < 0xa0 || pdu > 0xa8)
		return;
	e->found(e->ctx, dir, "snmp-community",
	    CAT_CREDENTIAL, SEV_HIGH, c, (size_t)cl, NULL, c, (size_t)cl, off + at, b,
	    n < 64 ? n : 64);
}
