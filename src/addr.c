/*
 * addr.c — IPv4/IPv6 addresses in one 16-byte form, formatting and range classification.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "addr.h"
#include "hash.h"

static const uint8_t v4_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void
addr_from_v4(struct addr *a, const uint8_t v4[4])
{
	memcpy(a->b, v4_prefix, 12);
	memcpy(a->b + 12, v4, 4);
}

void
addr_from_v6(struct addr *a, const uint8_t v6[16])
{
	memcpy(a->b, v6, 16);
}

int
addr_is_v4(const struct addr *a)
{
	return memcmp(a->b, v4_prefix, 12) == 0;
}

int
addr_is_zero(const struct addr *a)
{
	static const uint8_t zero[16];
	return memcmp(a->b, zero, 16) == 0 ||
	    (addr_is_v4(a) && memcmp(a->b + 12, zero, 4) == 0);
}

int
addr_cmp(const struct addr *x, const struct addr *y)
{
	return memcmp(x->b, y->b, 16);
}

static enum addr_class
classify_v4(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];

	if (v == 0xffffffffu)
		return ADDR_BROADCAST;
	if ((v >> 24) == 0)
		return ADDR_UNSPEC;
	if ((v >> 24) == 10 || (v >> 20) == 0xac1 || (v >> 16) == 0xc0a8)
		return ADDR_PRIVATE;
	if ((v >> 24) == 127)
		return ADDR_LOOPBACK;
	if ((v >> 16) == 0xa9fe)
		return ADDR_LINKLOCAL;
	if ((v >> 22) == (100u << 2 | 1))	/* 100.64.0.0/10 */
		return ADDR_CGNAT;
	if ((v >> 28) == 0xe)
		return ADDR_MULTICAST;
	if ((v >> 28) == 0xf)
		return ADDR_RESERVED;
	if ((v >> 8) == 0xc00002 || (v >> 8) == 0xc63364 || (v >> 8) == 0xcb0071 ||
	    (v >> 17) == (0xc612u >> 1))	/* 192.0.2/24, 198.51.100/24, 203.0.113/24, 198.18/15 */
		return ADDR_DOC;
	return ADDR_PUBLIC;
}

enum addr_class
addr_classify(const struct addr *a)
{
	const uint8_t *b = a->b;

	if (addr_is_v4(a))
		return classify_v4(b + 12);
	if (b[0] == 0xff)
		return ADDR_MULTICAST;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return ADDR_LINKLOCAL;
	if ((b[0] & 0xfe) == 0xfc)
		return ADDR_PRIVATE;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return ADDR_DOC;
	static const uint8_t zero[15];
	if (memcmp(b, zero, 15) == 0)
		return b[15] == 1 ? ADDR_LOOPBACK : ADDR_UNSPEC;
	return ADDR_PUBLIC;
}

const char *
addr_class_name(enum addr_class c)
{
	switch (c) {
	case ADDR_PUBLIC:	return "public";
	case ADDR_PRIVATE:	return "private";
	case ADDR_LOOPBACK:	return "loopback";
	case ADDR_LINKLOCAL:	return "link-local";
	case ADDR_MULTICAST:	return "multicast";
	case ADDR_BROADCAST:	return "broadcast";
	case ADDR_CGNAT:	return "carrier-grade NAT";
	case ADDR_DOC:		return "documentation";
	case ADDR_UNSPEC:	return "unspecified";
	case ADDR_RESERVED:	return "reserved";
	}
	return "?";
}

int
addr_is_local(const struct addr *a)
{
	switch (addr_classify(a)) {
	case ADDR_PRIVATE:
	case ADDR_LOOPBACK:
	case ADDR_LINKLOCAL:
	case ADDR_CGNAT:
		return 1;
	default:
		return 0;
	}
}

char *
addr_fmt(const struct addr *a, char *buf, size_t len)
{
	if (addr_is_v4(a) && len >= 16) {
		/* By hand: glibc's inet_ntop formats IPv4 with sprintf, and reports print millions. */
		char *o = buf;
		for (int i = 12; i < 16; i++) {
			unsigned v = a->b[i];
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
			*o++ = i < 15 ? '.' : '\0';
		}
	} else if (addr_is_v4(a))
		inet_ntop(AF_INET, a->b + 12, buf, (socklen_t)len);
	else
		inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
	return buf;
}

int
addr_parse(struct addr *a, const char *s)
{
	uint8_t buf[16];

	if (inet_pton(AF_INET, s, buf) == 1) {
		addr_from_v4(a, buf);
		return 0;
	}
	if (inet_pton(AF_INET6, s, buf) == 1) {
		addr_from_v6(a, buf);
		return 0;
	}
	return -1;
}

uint64_t
addr_hash(const struct addr *a)
{
	return hash_bytes(a->b, 16, 0x9e3779b97f4a7c15ull);
}
