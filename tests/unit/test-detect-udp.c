/*
 * test-detect-udp.c — detection of the datagram protocols (detect.h): DNS (and DNS over TCP),
 * mDNS, LLMNR, SSDP, CoAP and what must not pass for it, NTP, QUIC (v1, v2, drafts, version
 * negotiation, Google's Q043/Q046/Q050), DHCP; each sample cut at every length.  Every
 * message is built byte by byte here from its RFC or specification.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "detect-util.h"

/* RFC 1035 4.1: a query for example.com A, built by hand. */
static void
dns_query(struct dt_msg *m, uint16_t id, uint16_t flags, const char *const *labels,
    uint16_t qtype, uint16_t qclass, uint16_t an)
{
	memset(m, 0, sizeof *m);
	dt_put16(m, id);
	dt_put16(m, flags);
	dt_put16(m, 1);				/* QDCOUNT */
	dt_put16(m, an);
	dt_put16(m, 0);
	dt_put16(m, 0);
	for (size_t i = 0; labels[i] != NULL; i++) {
		dt_put8(m, (unsigned)strlen(labels[i]));
		dt_puts(m, labels[i]);
	}
	dt_put8(m, 0);
	dt_put16(m, qtype);
	dt_put16(m, qclass);
	if (an > 0) {
		dt_put16(m, 0xc00c);		/* the question's name */
		dt_put16(m, qtype);
		dt_put16(m, 1);
		dt_put32(m, 300);
		dt_put16(m, 4);
		dt_put32(m, 0x5db8d822);	/* 93.184.216.34 */
	}
}

static void
test_dns(void **state)
{
	(void)state;
	static const char *const example[] = { "example", "com", NULL };
	static const char *const hap[] = { "_hap", "_tcp", "local", NULL };
	struct dt_msg q, tcp;

	dns_query(&q, 0x1234, 0x0100, example, 1, 1, 0);
	assert_int_equal(q.n, 29);
	assert_proto(dt_one(0, 0, q.b, q.n, 53000, 53), AP_DNS);
	assert_proto(dt_one(0, 1, q.b, q.n, 53, 53000), AP_DNS);
	/* Off port 53, the shape says DNS: one question whose fields end the datagram. */
	assert_proto(dt_one(0, 0, q.b, q.n, 40000, 40001), AP_DNS);
	q.n--;						/* one byte short of QCLASS */
	assert_proto(dt_one(0, 0, q.b, q.n, 40000, 40001), AP_NONE);
	q.n++;
	dt_put8(&q, 0);					/* a byte past it */
	assert_proto(dt_one(0, 0, q.b, q.n, 40000, 40001), AP_NONE);
	assert_proto(dt_one(0, 0, q.b, q.n, 53000, 53), AP_DNS);
	/* A response. */
	dns_query(&q, 0x1234, 0x8180, example, 1, 1, 1);
	assert_proto(dt_one(0, 1, q.b, q.n, 40000, 40001), AP_DNS);
	/* Opcode 6 and up do not exist; twenty questions are not a query. */
	dns_query(&q, 0x1234, 0x3100, example, 1, 1, 0);
	assert_proto(dt_one(0, 0, q.b, q.n, 53000, 53), AP_NONE);
	dns_query(&q, 0x1234, 0x0100, example, 1, 1, 0);
	dt_set16(&q, 4, 20);
	assert_proto(dt_one(0, 0, q.b, q.n, 53000, 53), AP_NONE);
	/* Counts all zero say nothing, even on port 53. */
	static const uint8_t zeros[12];
	assert_proto(dt_one(0, 0, zeros, sizeof zeros, 53000, 53), AP_NONE);

	/* DNS over TCP: a two-byte length first (RFC 1035 4.2.2), judged on port 53. */
	dns_query(&q, 0xbeef, 0x0100, example, 28, 1, 0);
	memset(&tcp, 0, sizeof tcp);
	dt_put16(&tcp, (unsigned)q.n);
	dt_put(&tcp, q.b, q.n);
	assert_proto(dt_one(1, 0, tcp.b, tcp.n, 53001, 53), AP_DNS);
	assert_proto(dt_one(1, 0, tcp.b, tcp.n, 53001, 5353), AP_NONE);

	/* mDNS (RFC 6762): id 0, a PTR question with the unicast-response bit. */
	dns_query(&q, 0, 0, hap, 12, 0x8001, 0);
	assert_proto(dt_one(0, 0, q.b, q.n, 5353, 5353), AP_MDNS);
	dns_query(&q, 0, 0x8400, hap, 12, 1, 1);
	assert_proto(dt_one(0, 0, q.b, q.n, 5353, 5353), AP_MDNS);
	/* LLMNR (RFC 4795) on 5355 is DNS-shaped. */
	assert_proto(dt_one(0, 0, q.b, q.n, 50000, 5355), AP_DNS);
}

static void
test_ssdp(void **state)
{
	(void)state;
	static const char msearch[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
	    "MAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n";
	static const char notify[] = "NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
	    "NT: upnp:rootdevice\r\nNTS: ssdp:alive\r\nLOCATION: http://192.168.1.1:5000/"
	    "rootDesc.xml\r\n\r\n";
	static const char reply[] = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
	    "ST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n";

	assert_proto(dt_one(0, 0, msearch, sizeof msearch - 1, 50400, 1900), AP_SSDP);
	assert_proto(dt_one(0, 0, msearch, sizeof msearch - 1, 50400, 50401), AP_SSDP);
	assert_proto(dt_one(0, 0, notify, sizeof notify - 1, 1900, 1900), AP_SSDP);
	assert_proto(dt_one(0, 1, reply, sizeof reply - 1, 50400, 1900), AP_SSDP);
	assert_proto(dt_one(0, 1, reply, sizeof reply - 1, 1900, 50400), AP_SSDP);
}

/* CoAP (RFC 7252 3): version 1, type, token length, code class.detail, message id. */
static void
test_coap(void **state)
{
	(void)state;
	/* CON GET, token 0x7a, Uri-Path "sensors" then "temp" (options 11, delta 0). */
	static const uint8_t get[] = { 0x41, 0x01, 0x8c, 0x2a, 0x7a, 0xb7, 's', 'e', 'n', 's',
		'o', 'r', 's', 0x04, 't', 'e', 'm', 'p' };
	/* ACK 2.05 Content, token 0x7a, Content-Format 0 (text/plain), payload "21.5". */
	static const uint8_t content[] = { 0x61, 0x45, 0x8c, 0x2a, 0x7a, 0xc0, 0xff, '2', '1',
		'.', '5' };
	static const uint8_t reset[] = { 0x70, 0x00, 0x8c, 0x2b };	/* RST, empty */
	static const uint8_t v2[] = { 0x81, 0x01, 0x8c, 0x2a, 0x7a };	/* version 2 */
	static const uint8_t tkl9[] = { 0x49, 0x01, 0x8c, 0x2a, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t code_3[] = { 0x40, 0x61, 0x8c, 0x2a };	/* class 3 unused */

	assert_proto(dt_one(0, 0, get, sizeof get, 50500, 5683), AP_COAP);
	assert_proto(dt_one(0, 1, content, sizeof content, 50500, 5683), AP_COAP);
	assert_proto(dt_one(0, 0, get, sizeof get, 50500, 50501), AP_COAP);
	assert_proto(dt_one(0, 0, reset, sizeof reset, 50500, 5683), AP_COAP);
	assert_proto(dt_one(0, 0, v2, sizeof v2, 50500, 5683), AP_NONE);
	assert_proto(dt_one(0, 0, tkl9, sizeof tkl9, 50500, 5683), AP_NONE);
	assert_proto(dt_one(0, 0, code_3, sizeof code_3, 50500, 5683), AP_NONE);
	/* A CoAP header is 4 bytes: two are not a message, even on the CoAP port. */
	assert_proto(dt_one(0, 0, get, 2, 50500, 5683), AP_NONE);
	assert_proto(dt_one(0, 0, get, 2, 50500, 50501), AP_NONE);

	/*
	 * Options parse to the end, or to a payload marker with payload after it; off the CoAP
	 * port every option number must be registered (option 2 is not).
	 */
	static const uint8_t marker_only[] = { 0x41, 0x01, 0x8c, 0x2a, 0x7a, 0xb4, 't', 'e',
		'm', 'p', 0xff };
	static const uint8_t opt_past[] = { 0x41, 0x01, 0x8c, 0x2a, 0x7a, 0xb7, 't', 'e', 'm',
		'p' };
	static const uint8_t delta15[] = { 0x41, 0x01, 0x8c, 0x2a, 0x7a, 0xf4, 't', 'e', 'm',
		'p' };
	static const uint8_t opt2[] = { 0x41, 0x01, 0x8c, 0x2a, 0x7a, 0x24, 't', 'e', 'm', 'p' };
	/* Block2 (option 23): an extended delta of 13 + 10. */
	static const uint8_t block2[] = { 0x41, 0x01, 0x8c, 0x2a, 0x7a, 0xd1, 0x0a, 0x02 };
	assert_proto(dt_one(0, 0, marker_only, sizeof marker_only, 50500, 5683), AP_NONE);
	assert_proto(dt_one(0, 0, opt_past, sizeof opt_past, 50500, 5683), AP_NONE);
	assert_proto(dt_one(0, 0, delta15, sizeof delta15, 50500, 5683), AP_NONE);
	assert_proto(dt_one(0, 0, opt2, sizeof opt2, 50500, 5683), AP_COAP);
	assert_proto(dt_one(0, 1, opt2, sizeof opt2, 5683, 50501), AP_COAP);
	assert_proto(dt_one(0, 0, opt2, sizeof opt2, 50500, 50501), AP_NONE);
	assert_proto(dt_one(0, 0, block2, sizeof block2, 50500, 50501), AP_COAP);
	assert_proto(dt_one(0, 0, block2, 6, 50500, 5683), AP_NONE);	/* extended delta cut */
	/* An empty message is the header alone, and only on the CoAP port. */
	assert_proto(dt_one(0, 0, reset, sizeof reset, 50500, 50501), AP_NONE);
}

/*
 * What CoAP's four-byte header must not swallow: a version of 1 is the top bits 01, which
 * every QUIC short header (RFC 9000 17.3: form 0, fixed bit 1) and every ASCII letter from
 * '@' to 'O' has.  The SSDP answer to an M-SEARCH often comes from an ephemeral port.  (Random
 * datagrams: test_random_payloads in test-detect.c.)
 */
static void
test_coap_lookalikes(void **state)
{
	(void)state;
	static const char reply[] = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\n"
	    "ST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n";
	/* 1-RTT: form 0, fixed 1, then protected bits; an 8-byte DCID; packet number... */
	static const uint8_t short_hdr[] = { 0x45, 0x5e, 0x91, 0x07, 0xc2, 0x33, 0x8a, 0x10,
		0x6f, 0xd4, 0x2b, 0x99, 0x01, 0xee, 0x73, 0x5c, 0x18, 0xa7, 0x3d, 0x62 };

	assert_true(dt_one(0, 1, reply, sizeof reply - 1, 50400, 50401) != AP_COAP);
	assert_true(dt_one(0, 0, short_hdr, sizeof short_hdr, 50700, 443) != AP_COAP);
}

/* NTP (RFC 5905 7.3): LI, VN, Mode in the first byte; 48 bytes. */
static void
ntp_packet(struct dt_msg *m, uint8_t first, uint8_t stratum, int server)
{
	memset(m, 0, sizeof *m);
	dt_put8(m, first);
	dt_put8(m, stratum);
	dt_put8(m, server ? 6 : 0);		/* poll */
	dt_put8(m, server ? 0xe9 : 0);		/* precision */
	dt_put32(m, server ? 0x00000010 : 0);	/* root delay */
	dt_put32(m, server ? 0x00000020 : 0);	/* root dispersion */
	dt_put32(m, server ? 0xc0a80101 : 0);	/* reference id */
	dt_fill(m, 0, 8);			/* reference timestamp */
	dt_fill(m, 0, 8);			/* origin */
	dt_fill(m, 0, 8);			/* receive */
	dt_put32(m, 0xe9f3a1b2);		/* transmit, 2024 */
	dt_put32(m, 0x12345678);
	assert_int_equal(m->n, 48);
}

static void
test_ntp(void **state)
{
	(void)state;
	struct dt_msg m;

	ntp_packet(&m, 0x23, 0, 0);			/* LI 0, VN 4, client */
	assert_proto(dt_one(0, 0, m.b, m.n, 50600, 123), AP_NTP);
	assert_proto(dt_one(0, 0, m.b, m.n, 123, 123), AP_NTP);
	ntp_packet(&m, 0x1b, 0, 0);			/* VN 3, as SNTP clients send */
	assert_proto(dt_one(0, 0, m.b, m.n, 50600, 123), AP_NTP);
	ntp_packet(&m, 0x24, 2, 1);			/* server */
	assert_proto(dt_one(0, 1, m.b, m.n, 50600, 123), AP_NTP);
	ntp_packet(&m, 0x23, 0, 0);
	assert_proto(dt_one(0, 0, m.b, 47, 50600, 123), AP_NONE);	/* too short */
	assert_proto(dt_one(0, 0, m.b, m.n, 50600, 50601), AP_NONE);	/* port needed */
	ntp_packet(&m, 0x03, 0, 0);			/* VN 0 */
	assert_proto(dt_one(0, 0, m.b, m.n, 50600, 123), AP_NONE);

	/*
	 * LI 3 (clock not synchronised), VN 4, client, every other field zero but the
	 * transmit time: what systemd-timesyncd sends.  Not QUIC, whose long header it
	 * resembles (first byte 0xe3, then a zero "version").
	 */
	ntp_packet(&m, 0xe3, 0, 0);
	assert_proto(dt_one(0, 0, m.b, m.n, 50600, 123), AP_NTP);
}

/* QUIC long headers (RFC 9000 17.2), QUIC v2 (RFC 9369), gQUIC. */
static void
quic_initial(struct dt_msg *m, uint32_t version, uint8_t dcid_len)
{
	memset(m, 0, sizeof *m);
	dt_put8(m, 0xc3);			/* long, fixed bit, Initial, 4-byte packet number */
	dt_put32(m, version);
	dt_put8(m, dcid_len);
	for (unsigned i = 0; i < dcid_len; i++)
		dt_put8(m, 0x80 + i);
	dt_put8(m, 0);				/* SCID length */
	dt_put8(m, 0);				/* token length */
	dt_put16(m, 0x4000 | 1162);		/* length, a 2-byte varint */
	dt_put32(m, 0);				/* packet number */
	while (m->n < 1200)
		dt_put8(m, (unsigned)(m->n * 7));
}

static void
test_quic(void **state)
{
	(void)state;
	struct dt_msg m;

	quic_initial(&m, 1, 8);
	assert_proto(dt_one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	assert_proto(dt_one(0, 0, m.b, m.n, 50700, 4433), AP_QUIC);
	quic_initial(&m, 0x6b3343cf, 8);		/* QUIC v2 */
	assert_proto(dt_one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	quic_initial(&m, 0xff00001d, 20);		/* draft-29, the longest DCID */
	assert_proto(dt_one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	quic_initial(&m, 0x51303530, 8);		/* gQUIC "Q050" in a long header */
	assert_proto(dt_one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	quic_initial(&m, 1, 21);			/* DCID longer than 20 */
	assert_true(dt_one(0, 0, m.b, m.n, 50700, 4433) != AP_QUIC);
	quic_initial(&m, 0x12345678, 8);		/* an unknown version */
	assert_true(dt_one(0, 0, m.b, m.n, 50700, 4433) != AP_QUIC);
	quic_initial(&m, 1, 8);
	m.b[0] = 0x43;					/* a short header: indistinct */
	assert_true(dt_one(0, 0, m.b, m.n, 50700, 4433) != AP_QUIC);
	quic_initial(&m, 1, 8);
	assert_proto(dt_one(0, 0, m.b, 5, 50700, 443), AP_NONE);	/* no DCID length */

	/* gQUIC Q043: public flags 0x0d, an 8-byte connection id, the version. */
	static const uint8_t q043[] = { 0x0d, 1, 2, 3, 4, 5, 6, 7, 8, 'Q', '0', '4', '3', 0x01,
		0xa0, 0x01 };
	assert_proto(dt_one(0, 0, q043, sizeof q043, 50701, 443), AP_QUIC);

	/*
	 * Version negotiation (RFC 9000 17.2.1): version 0, both connection ids, then a list
	 * of whole, non-zero versions.  A list cut short, empty, or holding a zero is not one.
	 */
	memset(&m, 0, sizeof m);
	dt_put8(&m, 0xa5);			/* form 1, the rest unused */
	dt_put32(&m, 0);
	dt_put8(&m, 8);
	dt_fill(&m, 0x11, 8);
	dt_put8(&m, 8);
	dt_fill(&m, 0x22, 8);
	size_t list = m.n;
	dt_put32(&m, 1);
	dt_put32(&m, 0x6b3343cf);
	assert_proto(dt_one(0, 1, m.b, m.n, 50703, 4433), AP_QUIC);
	assert_true(dt_one(0, 1, m.b, m.n - 2, 50703, 4433) != AP_QUIC);
	assert_true(dt_one(0, 1, m.b, list, 50703, 4433) != AP_QUIC);
	m.b[list + 4] = m.b[list + 5] = m.b[list + 6] = m.b[list + 7] = 0;
	assert_true(dt_one(0, 1, m.b, m.n, 50703, 4433) != AP_QUIC);
}

/* Google QUIC Q046 Initial: a long header, "Q046", then 0x50 (DCID 8 as a nibble, no SCID). */
static void
test_quic_q046(void **state)
{
	(void)state;
	struct dt_msg m;

	memset(&m, 0, sizeof m);
	dt_put8(&m, 0xc3);
	dt_puts(&m, "Q046");
	dt_put8(&m, 0x50);
	for (unsigned i = 1; i <= 8; i++)
		dt_put8(&m, i);
	dt_fill(&m, 0, 1200 - m.n);
	assert_proto(dt_one(0, 0, m.b, m.n, 50704, 443), AP_QUIC);
}

/* DHCP (RFC 2131): 236 bytes of BOOTP, the magic cookie, options. */
static void
test_dhcp(void **state)
{
	(void)state;
	struct dt_msg m;

	memset(&m, 0, sizeof m);
	dt_put8(&m, 1);			/* BOOTREQUEST */
	dt_put8(&m, 1);
	dt_put8(&m, 6);
	dt_put8(&m, 0);
	dt_put32(&m, 0x3903f326);	/* xid */
	dt_put16(&m, 0);
	dt_put16(&m, 0x8000);		/* broadcast */
	dt_fill(&m, 0, 16);		/* ciaddr yiaddr siaddr giaddr */
	dt_put(&m, "\x00\x0b\x82\x01\xfc\x42", 6);
	dt_fill(&m, 0, 10 + 64 + 128);
	assert_int_equal(m.n, 236);
	dt_put32(&m, 0x63825363);
	dt_put(&m, "\x35\x01\x01\xff", 4);	/* DHCPDISCOVER, end */
	assert_proto(dt_one(0, 0, m.b, m.n, 68, 67), AP_DHCP);
	assert_proto(dt_one(0, 1, m.b, m.n, 67, 68), AP_DHCP);
	assert_true(dt_one(0, 0, m.b, m.n, 40000, 40001) != AP_DHCP);
	m.b[236] = 0x64;				/* a wrong cookie */
	assert_true(dt_one(0, 0, m.b, m.n, 68, 67) != AP_DHCP);
}

/* Every sample above cut at every length. */
static void
test_udp_every_prefix(void **state)
{
	(void)state;
	static const char *const example[] = { "example", "com", NULL };
	struct dt_msg s[8];
	size_t ns = 0;

	dns_query(&s[ns++], 1, 0x0100, example, 1, 1, 1);
	ntp_packet(&s[ns++], 0xe3, 0, 0);
	quic_initial(&s[ns++], 1, 8);
	memset(&s[ns], 0, sizeof s[ns]);
	dt_puts(&s[ns++], "M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	dt_put(&s[ns++], "\x41\x01\x8c\x2a\x7a\xb4temp", 9);
	memset(&s[ns], 0, sizeof s[ns]);
	dt_put(&s[ns++], "\x0d\x01\x02\x03\x04\x05\x06\x07\x08Q043\x01", 14);
	memset(&s[ns], 0, sizeof s[ns]);
	dt_put(&s[ns++], "\xc3Q046\x50\x01\x02\x03\x04\x05\x06\x07\x08\x00", 15);
	dt_every_prefix(s, ns);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ssdp),
		cmocka_unit_test(test_coap),
		cmocka_unit_test(test_coap_lookalikes),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_quic),
		cmocka_unit_test(test_quic_q046),
		cmocka_unit_test(test_dhcp),
		cmocka_unit_test(test_udp_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
