/*
 * test-dns.c — the application-layer parsers: DNS names (compression, loops, limits, odd label
 * types) and records through the callback, DHCP options, ARP, and SSDP start lines and headers.
 * Messages are built byte by byte here so each test shows exactly what the parser is fed.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dissect.h"

struct msg {
	uint8_t		 b[2048];
	size_t		 n;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof m->b);
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put8(struct msg *m, uint8_t v)
{
	put(m, &v, 1);
}

static void
put16(struct msg *m, uint16_t v)
{
	put8(m, (uint8_t)(v >> 8));
	put8(m, (uint8_t)v);
}

static void
put32(struct msg *m, uint32_t v)
{
	put16(m, (uint16_t)(v >> 16));
	put16(m, (uint16_t)v);
}

/* A dotted name as uncompressed labels with the root label. */
static void
put_name(struct msg *m, const char *dotted)
{
	while (*dotted != '\0') {
		size_t l = strcspn(dotted, ".");
		put8(m, (uint8_t)l);
		put(m, dotted, l);
		dotted += l;
		if (*dotted == '.')
			dotted++;
	}
	put8(m, 0);
}

static void
put_ptr(struct msg *m, uint16_t off)
{
	put16(m, (uint16_t)(0xc000 | off));
}

static void
put_header(struct msg *m, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	m->n = 0;
	put16(m, 0xbeef);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

/* Resource record header after its owner name; rdlength follows from the caller. */
static void
put_rr(struct msg *m, uint16_t type, uint32_t ttl, uint16_t rdlen)
{
	put16(m, type);
	put16(m, 1);
	put32(m, ttl);
	put16(m, rdlen);
}

struct rec {
	enum dns_rr_kind kind;
	char		 name[DNS_NAME_MAX];
	uint16_t	 type, klass;
	uint32_t	 ttl;
	char		 target[DNS_NAME_MAX];
	uint8_t		 addr[16];
	int		 has_addr;
	uint16_t	 port;
};

struct recs {
	struct rec	 r[16];
	int		 n;
};

static void
collect(void *ctx, const struct dns_msg *hdr, const struct dns_rr *rr)
{
	struct recs *rs = ctx;
	struct rec *r = &rs->r[rs->n++];

	(void)hdr;
	assert_true(rs->n <= 16);
	memset(r, 0, sizeof *r);
	r->kind = rr->kind;
	snprintf(r->name, sizeof r->name, "%s", rr->name);
	r->type = rr->type;
	r->klass = rr->klass;
	r->ttl = rr->ttl;
	if (rr->target != NULL)
		snprintf(r->target, sizeof r->target, "%s", rr->target);
	if (rr->addr != NULL) {
		memcpy(r->addr, rr->addr, rr->type == DNS_TYPE_A ? 4 : 16);
		r->has_addr = 1;
	}
	r->port = rr->srv_port;
}

static enum dns_status
parse(const struct msg *m, struct recs *rs, struct dns_msg *hdr)
{
	memset(rs, 0, sizeof *rs);
	return dns_parse(rd_make(m->b, m->n), collect, rs, hdr);
}

/* Reads the name at off of m; out gets the name. */
static enum dns_status
name_at(const struct msg *m, size_t off, char *out)
{
	struct rd msg = rd_make(m->b, m->n);
	struct rd pos = rd_at(&msg, off);
	return dns_read_name(&msg, &pos, out);
}

static void
test_dns_question(void **state)
{
	(void)state;
	struct msg m;
	struct recs rs;
	struct dns_msg hdr;

	put_header(&m, 0x0100, 1, 0, 0, 0);
	put_name(&m, "www.example.com");
	put16(&m, DNS_TYPE_AAAA);
	put16(&m, 1);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_OK);
	assert_int_equal(hdr.id, 0xbeef);
	assert_int_equal(hdr.response, 0);
	assert_int_equal(hdr.qd, 1);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].kind, DNS_QUESTION);
	assert_string_equal(rs.r[0].name, "www.example.com");
	assert_int_equal(rs.r[0].type, DNS_TYPE_AAAA);
	assert_int_equal(rs.r[0].klass, 1);

	/* The root name is empty. */
	put_header(&m, 0x0100, 1, 0, 0, 0);
	put8(&m, 0);
	put16(&m, 2);
	put16(&m, 1);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_OK);
	assert_string_equal(rs.r[0].name, "");
}

static void
test_dns_records(void **state)
{
	(void)state;
	static const uint8_t v4[4] = { 93, 184, 216, 34 };
	static const uint8_t v6[16] = { 0x26, 0x06, 0x28, 0x00, [15] = 0x01 };
	struct msg m;
	struct recs rs;
	struct dns_msg hdr;

	put_header(&m, 0x8183, 1, 4, 0, 2);	/* response, rcode 3 */
	put_name(&m, "www.example.com");	/* offset 12 */
	put16(&m, DNS_TYPE_A);
	put16(&m, 1);
	/* www.example.com CNAME edge.example.com ("edge" + pointer to example.com at 16) */
	put_ptr(&m, 12);
	put_rr(&m, DNS_TYPE_CNAME, 300, 7);
	size_t edge = m.n;
	put8(&m, 4);
	put(&m, "edge", 4);
	put_ptr(&m, 16);
	put_ptr(&m, (uint16_t)edge);
	put_rr(&m, DNS_TYPE_A, 60, 4);
	put(&m, v4, 4);
	put_ptr(&m, (uint16_t)edge);
	put_rr(&m, DNS_TYPE_AAAA, 60, 16);
	put(&m, v6, 16);
	/* 34.216.184.93.in-addr.arpa PTR www.example.com */
	put_name(&m, "34.216.184.93.in-addr.arpa");
	put_rr(&m, DNS_TYPE_PTR, 10, 2);
	put_ptr(&m, 12);
	/* Additional: an SRV and a TXT (delivered without target). */
	put_name(&m, "_http._tcp.example.com");
	put_rr(&m, DNS_TYPE_SRV, 5, 6 + 2);
	put16(&m, 10);
	put16(&m, 20);
	put16(&m, 8080);
	put_ptr(&m, 12);
	put_ptr(&m, 12);
	put_rr(&m, DNS_TYPE_TXT, 5, 4);
	put(&m, "\003a=b", 4);

	assert_int_equal(parse(&m, &rs, &hdr), DNS_OK);
	assert_int_equal(hdr.response, 1);
	assert_int_equal(hdr.rcode, 3);
	assert_int_equal(hdr.an, 4);
	assert_int_equal(hdr.ar, 2);
	assert_int_equal(rs.n, 7);
	assert_int_equal(rs.r[1].kind, DNS_ANSWER);
	assert_string_equal(rs.r[1].name, "www.example.com");
	assert_int_equal(rs.r[1].type, DNS_TYPE_CNAME);
	assert_int_equal(rs.r[1].ttl, 300);
	assert_string_equal(rs.r[1].target, "edge.example.com");
	assert_string_equal(rs.r[2].name, "edge.example.com");
	assert_true(rs.r[2].has_addr);
	assert_memory_equal(rs.r[2].addr, v4, 4);
	assert_int_equal(rs.r[3].type, DNS_TYPE_AAAA);
	assert_memory_equal(rs.r[3].addr, v6, 16);
	assert_string_equal(rs.r[4].name, "34.216.184.93.in-addr.arpa");
	assert_string_equal(rs.r[4].target, "www.example.com");
	assert_int_equal(rs.r[5].kind, DNS_ADDITIONAL);
	assert_int_equal(rs.r[5].port, 8080);
	assert_string_equal(rs.r[5].target, "www.example.com");
	assert_int_equal(rs.r[6].type, DNS_TYPE_TXT);
	assert_string_equal(rs.r[6].target, "");
	assert_false(rs.r[6].has_addr);

	/* An A record of five bytes is impossible. */
	put_header(&m, 0x8180, 0, 1, 0, 0);
	put_name(&m, "a.b");
	put_rr(&m, DNS_TYPE_A, 1, 5);
	put(&m, "12345", 5);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_MALFORMED);
	/* rdlength past the end of the message. */
	put_header(&m, 0x8180, 0, 1, 0, 0);
	put_name(&m, "a.b");
	put_rr(&m, DNS_TYPE_A, 1, 4);
	put(&m, "12", 2);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_TRUNCATED);
}

static void
test_dns_pointer_loops(void **state)
{
	(void)state;
	struct msg m;
	struct recs rs;
	struct dns_msg hdr;
	char out[DNS_NAME_MAX];

	/* A question whose name points at itself. */
	put_header(&m, 0x0100, 1, 0, 0, 0);
	put_ptr(&m, 12);
	put16(&m, 1);
	put16(&m, 1);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_MALFORMED);
	assert_int_equal(rs.n, 0);

	/* Two pointers at each other: 12 → 14, 14 → 12. */
	put_header(&m, 0x0100, 0, 0, 0, 0);
	put_ptr(&m, 14);
	put_ptr(&m, 12);
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);
	assert_int_equal(name_at(&m, 14, out), DNS_MALFORMED);

	/* A forward pointer, even to a good name. */
	put_header(&m, 0x0100, 0, 0, 0, 0);
	put_ptr(&m, 14);
	put_name(&m, "ok");
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);
	assert_int_equal(name_at(&m, 14, out), DNS_OK);
	assert_string_equal(out, "ok");

	/* A label, then a pointer back into that same label: a loop through data. */
	put_header(&m, 0x0100, 0, 0, 0, 0);
	put8(&m, 1);
	put8(&m, 'x');
	put_ptr(&m, 12);
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);

	/* A chain of backward pointers is fine up to the jump cap, then refused. */
	put_header(&m, 0x0100, 0, 0, 0, 0);
	put_name(&m, "a");				/* 12..14 */
	for (int i = 0; i < 70; i++)
		put_ptr(&m, (uint16_t)(i == 0 ? 12 : 15 + 2 * (i - 1)));
	assert_int_equal(name_at(&m, 15 + 2 * 63, out), DNS_OK);	/* 64 jumps */
	assert_string_equal(out, "a");
	assert_int_equal(name_at(&m, 15 + 2 * 64, out), DNS_MALFORMED);

	/* A pointer cut in half. */
	put_header(&m, 0x0100, 0, 0, 0, 0);
	put8(&m, 0xc0);
	assert_int_equal(name_at(&m, 12, out), DNS_TRUNCATED);
}

static void
test_dns_position_after_name(void **state)
{
	(void)state;
	struct msg m;
	char out[DNS_NAME_MAX];

	put_header(&m, 0, 0, 0, 0, 0);
	put_name(&m, "example.com");			/* 12..24 */
	put8(&m, 3);
	put(&m, "www", 3);
	put_ptr(&m, 12);				/* 25..30 */
	put8(&m, 0xaa);
	struct rd msg = rd_make(m.b, m.n);
	struct rd pos = rd_at(&msg, 25);
	assert_int_equal(dns_read_name(&msg, &pos, out), DNS_OK);
	assert_string_equal(out, "www.example.com");
	assert_int_equal(rd_offset(&msg, &pos), 31);	/* just past the pointer */
	pos = rd_at(&msg, 12);
	assert_int_equal(dns_read_name(&msg, &pos, out), DNS_OK);
	assert_int_equal(rd_offset(&msg, &pos), 25);
}

static void
test_dns_limits_and_labels(void **state)
{
	(void)state;
	struct msg m;
	char out[DNS_NAME_MAX];
	char label[64];

	memset(label, 'a', 63);
	label[63] = '\0';
	/*
	 * Labels of 63, 63, 63 and 61 octets: 255 on the wire with their length octets and the
	 * root, the most RFC 1035 3.1 allows, 253 written out.
	 */
	put_header(&m, 0, 0, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		put8(&m, 63);
		put(&m, label, 63);
	}
	put8(&m, 61);
	put(&m, label, 61);
	put8(&m, 0);
	assert_int_equal(name_at(&m, 12, out), DNS_OK);
	assert_int_equal(strlen(out), 253);
	/* One octet more is refused, and so are four 63-octet labels (257). */
	m.b[12 + 3 * 64] = 62;
	m.n--;
	put8(&m, 'a');
	put8(&m, 0);
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);
	put_header(&m, 0, 0, 0, 0, 0);
	for (int i = 0; i < 4; i++) {
		put8(&m, 63);
		put(&m, label, 63);
	}
	put8(&m, 0);
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);
	/* The same through compression: a pointer does not reset the count. */
	put_header(&m, 0, 0, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		put8(&m, 63);
		put(&m, label, 63);
	}
	put8(&m, 61);
	put(&m, label, 61);
	put8(&m, 0);
	size_t p = m.n;
	put_ptr(&m, 12);
	assert_int_equal(name_at(&m, p, out), DNS_OK);
	p = m.n;
	put8(&m, 1);
	put8(&m, 'b');
	put_ptr(&m, 12);
	assert_int_equal(name_at(&m, p, out), DNS_MALFORMED);

	/* Label types 0x40 (extended) and 0x80 (reserved). */
	put_header(&m, 0, 0, 0, 0, 0);
	put8(&m, 0x41);
	put8(&m, 'x');
	put8(&m, 0);
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);
	m.b[12] = 0x81;
	assert_int_equal(name_at(&m, 12, out), DNS_MALFORMED);

	/* A NUL inside a label shows as '?', never cuts the string. */
	put_header(&m, 0, 0, 0, 0, 0);
	put8(&m, 3);
	put(&m, "a\0b", 3);
	put8(&m, 2);
	put(&m, "\0\0", 2);
	put8(&m, 0);
	assert_int_equal(name_at(&m, 12, out), DNS_OK);
	assert_string_equal(out, "a?b.??");

	/* A label longer than what is left. */
	put_header(&m, 0, 0, 0, 0, 0);
	put8(&m, 10);
	put(&m, "abc", 3);
	assert_int_equal(name_at(&m, 12, out), DNS_TRUNCATED);
}

static void
test_dns_counts_and_header(void **state)
{
	(void)state;
	struct msg m;
	struct recs rs;
	struct dns_msg hdr;

	/* Counts larger than the data: what is there is delivered, then truncated. */
	put_header(&m, 0x8180, 1, 5, 0, 0);
	put_name(&m, "x.y");
	put16(&m, 1);
	put16(&m, 1);
	put_ptr(&m, 12);
	put_rr(&m, DNS_TYPE_A, 1, 4);
	put32(&m, 0x01020304);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_TRUNCATED);
	assert_int_equal(rs.n, 2);
	assert_int_equal(hdr.an, 5);

	/* 65535 of everything over an empty body ends at once. */
	put_header(&m, 0x8180, 0xffff, 0xffff, 0xffff, 0xffff);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_TRUNCATED);
	assert_int_equal(rs.n, 0);

	/* Shorter than the header. */
	m.n = 11;
	assert_int_equal(parse(&m, &rs, &hdr), DNS_TRUNCATED);

	/* Opcode 7 is unassigned. */
	put_header(&m, 7 << 11, 0, 0, 0, 0);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_MALFORMED);

	/* A question cut after its name. */
	put_header(&m, 0, 1, 0, 0, 0);
	put_name(&m, "abcdef");
	put8(&m, 0);
	assert_int_equal(parse(&m, &rs, &hdr), DNS_TRUNCATED);
}

/* BOOTP fixed part with Ethernet chaddr and the magic cookie; options follow. */
static void
put_bootp(struct msg *m, uint8_t op, uint8_t htype, const uint8_t chaddr[6], uint32_t magic)
{
	m->n = 0;
	put8(m, op);
	put8(m, htype);
	put8(m, 6);
	put8(m, 0);
	put32(m, 0x12345678);			/* xid */
	put32(m, 0);				/* secs, flags */
	put32(m, 0xc0a8010a);			/* ciaddr 192.168.1.10 */
	put32(m, 0xc0a80114);			/* yiaddr 192.168.1.20 */
	put32(m, 0);
	put32(m, 0);
	put(m, chaddr, 6);
	uint8_t zero[192] = { 0 };
	put(m, zero, 10);
	put(m, zero, 192);			/* sname, file */
	put32(m, magic);
}

static const uint8_t chaddr[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };

static void
test_dhcp(void **state)
{
	(void)state;
	struct msg m;
	struct dhcp_info d;

	put_bootp(&m, 1, 1, chaddr, 0x63825363);
	put(&m, "\x35\x01\x03", 3);			/* 53: request */
	put(&m, "\x00\x00", 2);				/* pads */
	put(&m, "\x0c\x08lamp-01\x00", 10);		/* 12 with a trailing NUL */
	put(&m, "\x32\x04\xc0\xa8\x01\x32", 6);		/* 50: 192.168.1.50 */
	put(&m, "\x3c\x0audhcp 1.30", 12);		/* 60 */
	put(&m, "\x51\x0c\x01\x00\x00lamp.home", 14);	/* 81, ASCII */
	put(&m, "\xff", 1);
	put(&m, "\x0c\x03zzz", 5);			/* after the end: ignored */
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_OK);
	assert_int_equal(d.op, 1);
	assert_int_equal(d.msg_type, 3);
	assert_true(d.has_chaddr);
	assert_memory_equal(d.chaddr, chaddr, 6);
	assert_memory_equal(d.ciaddr, "\xc0\xa8\x01\x0a", 4);
	assert_memory_equal(d.yiaddr, "\xc0\xa8\x01\x14", 4);
	assert_string_equal(d.hostname, "lamp-01");
	assert_true(d.has_requested);
	assert_memory_equal(d.requested, "\xc0\xa8\x01\x32", 4);
	assert_string_equal(d.vendor, "udhcp 1.30");
	assert_string_equal(d.fqdn, "lamp.home");

	/* Option 81 with the E flag: DNS labels. */
	put_bootp(&m, 2, 1, chaddr, 0x63825363);
	put(&m, "\x35\x01\x05", 3);
	put(&m, "\x51\x15\x05\x00\x00\x04lamp\x07" "example\x03" "com\x00", 23);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_OK);
	assert_int_equal(d.op, 2);
	assert_int_equal(d.msg_type, 5);
	assert_string_equal(d.fqdn, "lamp.example.com");
	assert_false(d.has_requested);
	assert_string_equal(d.hostname, "");

	/* A requested address of the wrong size is ignored. */
	put_bootp(&m, 1, 1, chaddr, 0x63825363);
	put(&m, "\x32\x03\x01\x02\x03\xff", 6);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_OK);
	assert_false(d.has_requested);

	/* Not Ethernet: no client MAC. */
	put_bootp(&m, 1, 6, chaddr, 0x63825363);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_OK);
	assert_false(d.has_chaddr);
}

static void
test_dhcp_damage(void **state)
{
	(void)state;
	struct msg m;
	struct dhcp_info d;

	/* An option longer than the message: what came before it stays. */
	put_bootp(&m, 1, 1, chaddr, 0x63825363);
	put(&m, "\x35\x01\x01", 3);
	put(&m, "\x0c\x14shor", 6);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_TRUNCATED);
	assert_int_equal(d.msg_type, 1);
	assert_string_equal(d.hostname, "");

	/* An option code without its length byte. */
	put_bootp(&m, 1, 1, chaddr, 0x63825363);
	put8(&m, 12);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_TRUNCATED);

	/* No end option: the options simply run out. */
	put_bootp(&m, 1, 1, chaddr, 0x63825363);
	put(&m, "\x0c\x01x", 3);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_OK);
	assert_string_equal(d.hostname, "x");

	put_bootp(&m, 1, 1, chaddr, 0x63825364);
	put(&m, "\xff", 1);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_MALFORMED);
	put_bootp(&m, 3, 1, chaddr, 0x63825363);
	assert_int_equal(dhcp_parse(rd_make(m.b, m.n), &d), DNS_MALFORMED);

	/* Cut anywhere in the fixed part: truncated. */
	put_bootp(&m, 1, 1, chaddr, 0x63825363);
	for (size_t n = 0; n < m.n; n++)
		assert_int_equal(dhcp_parse(rd_make(m.b, n), &d), DNS_TRUNCATED);
}

static void
test_arp(void **state)
{
	(void)state;
	static const uint8_t tha[6] = { 0 };
	struct msg m;
	struct arp_info a;

	m.n = 0;
	put16(&m, 1);
	put16(&m, 0x0800);
	put8(&m, 6);
	put8(&m, 4);
	put16(&m, 2);				/* reply */
	put(&m, chaddr, 6);
	put32(&m, 0xc0a8010a);
	put(&m, tha, 6);
	put32(&m, 0xc0a80101);
	assert_int_equal(arp_parse(rd_make(m.b, m.n), &a), 0);
	assert_int_equal(a.op, 2);
	assert_memory_equal(a.sha, chaddr, 6);
	assert_memory_equal(a.spa, "\xc0\xa8\x01\x0a", 4);
	assert_memory_equal(a.tha, tha, 6);
	assert_memory_equal(a.tpa, "\xc0\xa8\x01\x01", 4);

	for (size_t n = 0; n < m.n; n++)
		assert_int_equal(arp_parse(rd_make(m.b, n), &a), -1);
	m.b[1] = 6;				/* IEEE 802 hardware */
	assert_int_equal(arp_parse(rd_make(m.b, m.n), &a), -1);
	m.b[1] = 1;
	m.b[5] = 16;				/* protocol address length 16 */
	assert_int_equal(arp_parse(rd_make(m.b, m.n), &a), -1);
}

static int
ssdp(const char *text, struct ssdp_info *s)
{
	return ssdp_parse(rd_make((const uint8_t *)text, strlen(text)), s);
}

static void
test_ssdp(void **state)
{
	(void)state;
	struct ssdp_info s;

	assert_int_equal(ssdp("NOTIFY * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\n"
	    "CACHE-CONTROL: max-age=100\r\n"
	    "LOCATION: http://192.168.1.2:80/description.xml\r\n"
	    "SERVER: Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0\r\n"
	    "USN: uuid:2f402f80-da50-11e1-9b23-001788255acc\r\n"
	    "\r\n", &s), 0);
	assert_int_equal(s.kind, 'N');
	assert_string_equal(s.server, "Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0");
	assert_string_equal(s.location, "http://192.168.1.2:80/description.xml");
	assert_string_equal(s.usn, "uuid:2f402f80-da50-11e1-9b23-001788255acc");

	/* Header names in any case, bare LF line ends, tabs before the value. */
	assert_int_equal(ssdp("M-SEARCH * HTTP/1.1\n"
	    "Host: 239.255.255.250:1900\n"
	    "user-agent:\tAndroid/13 UPnP/1.1 Chromecast/1.0\n"
	    "st: ssdp:all\n", &s), 0);
	assert_int_equal(s.kind, 'M');
	assert_string_equal(s.server, "Android/13 UPnP/1.1 Chromecast/1.0");
	assert_string_equal(s.location, "");

	assert_int_equal(ssdp("HTTP/1.1 200 OK\r\nServer: Sonos/70.3\r\nLocation: x\r\n", &s), 0);
	assert_int_equal(s.kind, 'R');
	assert_string_equal(s.server, "Sonos/70.3");
	assert_string_equal(s.location, "x");

	/* The headers end at the empty line; a name must be followed by its colon. */
	assert_int_equal(ssdp("NOTIFY * HTTP/1.1\r\nSERVERX: no\r\nSERVER : no\r\n\r\n"
	    "SERVER: body\r\n", &s), 0);
	assert_string_equal(s.server, "");

	assert_int_equal(ssdp("GET / HTTP/1.1\r\nServer: x\r\n", &s), -1);
	assert_int_equal(ssdp("", &s), -1);
	assert_int_equal(ssdp("NOTIFY", &s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_question),
		cmocka_unit_test(test_dns_records),
		cmocka_unit_test(test_dns_pointer_loops),
		cmocka_unit_test(test_dns_position_after_name),
		cmocka_unit_test(test_dns_limits_and_labels),
		cmocka_unit_test(test_dns_counts_and_header),
		cmocka_unit_test(test_dhcp),
		cmocka_unit_test(test_dhcp_damage),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_ssdp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
