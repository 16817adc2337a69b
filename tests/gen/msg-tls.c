/*
 * msg-tls.c — TLS handshake flights in the clear parts analysers read: ClientHello with SNI,
 * ALPN and (for 1.3) supported_versions and key_share; ServerHello; ChangeCipherSpec; and the
 * encrypted remainder as opaque records.  TLS 1.2 is a resumed session (ticket), so no
 * certificate is needed and none is faked.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "msg.h"

static const uint16_t suites12[] = {
	0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
	0x002f, 0x0035
};
static const uint16_t suites13[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8
};
static const uint16_t sigalgs[] = {
	0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601
};

static uint8_t *
u16(uint8_t *p, uint16_t v)
{
	put_be16(p, v);
	return p + 2;
}

/* Starts an extension; returns where its length goes. */
static uint8_t *
ext_begin(uint8_t **p, uint16_t type)
{
	uint8_t *len;

	*p = u16(*p, type);
	len = *p;
	*p += 2;
	return len;
}

static void
ext_end(uint8_t *len, const uint8_t *p)
{
	put_be16(len, (uint16_t)(p - len - 2));
}

/* Fills the record and handshake lengths once the body is written; returns the record size. */
static size_t
finish_record(uint8_t *rec, const uint8_t *end)
{
	size_t body = (size_t)(end - rec - 5);

	put_be16(rec + 3, (uint16_t)body);
	rec[6] = (uint8_t)((body - 4) >> 16);
	rec[7] = (uint8_t)((body - 4) >> 8);
	rec[8] = (uint8_t)(body - 4);
	return (size_t)(end - rec);
}

/*
 * A ClientHello record for sni.  alpn is a comma-separated list or NULL.  The 32-byte session id
 * is written to sid for the server to echo.
 */
size_t
tls_client_hello(uint8_t *out, struct rng *r, const char *sni, int v13, const char *alpn,
    uint8_t *sid)
{
	const uint16_t *suites = v13 ? suites13 : suites12;
	size_t nsuites = v13 ? sizeof suites13 / 2 : sizeof suites12 / 2;
	uint8_t *p = out, *exts, *l, *l2;
	size_t sl = strlen(sni);

	*p++ = 0x16;
	p = u16(p, 0x0301);
	p += 2;
	*p++ = 0x01;
	p += 3;
	p = u16(p, 0x0303);
	rng_fill(r, p, 32);
	p += 32;
	*p++ = 32;
	rng_fill(r, sid, 32);
	memcpy(p, sid, 32);
	p += 32;
	p = u16(p, (uint16_t)(nsuites * 2));
	for (size_t i = 0; i < nsuites; i++)
		p = u16(p, suites[i]);
	*p++ = 1;
	*p++ = 0;
	exts = p;
	p += 2;

	l = ext_begin(&p, 0x0000);		/* server_name */
	p = u16(p, (uint16_t)(sl + 3));
	*p++ = 0;
	p = u16(p, (uint16_t)sl);
	memcpy(p, sni, sl);
	p += sl;
	ext_end(l, p);
	l = ext_begin(&p, 0x0017);		/* extended_master_secret */
	ext_end(l, p);
	l = ext_begin(&p, 0xff01);		/* renegotiation_info */
	*p++ = 0;
	ext_end(l, p);
	l = ext_begin(&p, 0x000a);		/* supported_groups */
	p = u16(p, 6);
	p = u16(p, 0x001d);
	p = u16(p, 0x0017);
	p = u16(p, 0x0018);
	ext_end(l, p);
	l = ext_begin(&p, 0x000b);		/* ec_point_formats */
	*p++ = 1;
	*p++ = 0;
	ext_end(l, p);
	l = ext_begin(&p, 0x0023);		/* session_ticket: resume on 1.2 */
	if (!v13) {
		rng_fill(r, p, 192);
		p += 192;
	}
	ext_end(l, p);
	if (alpn != NULL) {
		l = ext_begin(&p, 0x0010);
		l2 = p;
		p += 2;
		for (const char *s = alpn; *s != '\0';) {
			const char *c = strchr(s, ',');
			size_t k = c ? (size_t)(c - s) : strlen(s);

			*p++ = (uint8_t)k;
			memcpy(p, s, k);
			p += k;
			s += k;
			if (*s == ',')
				s++;
		}
		put_be16(l2, (uint16_t)(p - l2 - 2));
		ext_end(l, p);
	}
	l = ext_begin(&p, 0x0005);		/* status_request */
	*p++ = 1;
	p = u16(p, 0);
	p = u16(p, 0);
	ext_end(l, p);
	l = ext_begin(&p, 0x000d);		/* signature_algorithms */
	p = u16(p, sizeof sigalgs);
	for (size_t i = 0; i < sizeof sigalgs / 2; i++)
		p = u16(p, sigalgs[i]);
	ext_end(l, p);
	if (v13) {
		l = ext_begin(&p, 0x002b);	/* supported_versions */
		*p++ = 4;
		p = u16(p, 0x0304);
		p = u16(p, 0x0303);
		ext_end(l, p);
		l = ext_begin(&p, 0x002d);	/* psk_key_exchange_modes */
		*p++ = 1;
		*p++ = 1;
		ext_end(l, p);
		l = ext_begin(&p, 0x0033);	/* key_share: x25519 */
		p = u16(p, 36);
		p = u16(p, 0x001d);
		p = u16(p, 32);
		rng_fill(r, p, 32);
		p += 32;
		ext_end(l, p);
	}
	put_be16(exts, (uint16_t)(p - exts - 2));
	return finish_record(out, p);
}

/*
 * The server's first flight: ServerHello echoing sid, ChangeCipherSpec, then the encrypted
 * rest — the Finished of a resumed 1.2 session, or for 1.3 one opaque record of enc_len bytes
 * standing for EncryptedExtensions, Certificate, CertificateVerify and Finished.
 */
size_t
tls_server_flight(uint8_t *out, struct rng *r, int v13, const uint8_t *sid, uint32_t enc_len)
{
	uint8_t *p = out, *exts, *l;

	*p++ = 0x16;
	p = u16(p, 0x0303);
	p += 2;
	*p++ = 0x02;
	p += 3;
	p = u16(p, 0x0303);
	rng_fill(r, p, 32);
	p += 32;
	*p++ = 32;
	memcpy(p, sid, 32);	/* 1.3 echoes it; on 1.2 the same id says the ticket resumed */
	p += 32;
	p = u16(p, v13 ? 0x1301 : 0xc02f);
	*p++ = 0;
	exts = p;
	p += 2;
	if (v13) {
		l = ext_begin(&p, 0x002b);
		p = u16(p, 0x0304);
		ext_end(l, p);
		l = ext_begin(&p, 0x0033);
		p = u16(p, 0x001d);
		p = u16(p, 32);
		rng_fill(r, p, 32);
		p += 32;
		ext_end(l, p);
	} else {
		l = ext_begin(&p, 0xff01);
		*p++ = 0;
		ext_end(l, p);
		l = ext_begin(&p, 0x0017);
		ext_end(l, p);
	}
	put_be16(exts, (uint16_t)(p - exts - 2));
	p = out + finish_record(out, p);

	memcpy(p, "\x14\x03\x03\x00\x01\x01", 6);
	p += 6;
	if (v13) {
		if (enc_len > TLS_HELLO_MAX - 200)
			enc_len = TLS_HELLO_MAX - 200;
		*p++ = 0x17;
		p = u16(p, 0x0303);
		p = u16(p, (uint16_t)enc_len);
	} else {
		enc_len = 40;
		*p++ = 0x16;
		p = u16(p, 0x0303);
		p = u16(p, (uint16_t)enc_len);
	}
	rng_fill(r, p, enc_len);
	p += enc_len;
	return (size_t)(p - out);
}

/* The client's ChangeCipherSpec and encrypted Finished. */
size_t
tls_client_finish(uint8_t *out, struct rng *r, int v13)
{
	uint8_t *p = out;
	uint16_t n = v13 ? 53 : 40;

	memcpy(p, "\x14\x03\x03\x00\x01\x01", 6);
	p += 6;
	*p++ = v13 ? 0x17 : 0x16;
	p = u16(p, 0x0303);
	p = u16(p, n);
	rng_fill(r, p, n);
	return 6 + 5 + n;
}
