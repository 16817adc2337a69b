/*
 * test-detect.c — protocol detection from payload (detect.h): TLS Hellos (version offered and
 * chosen, SNI, ALPN), HTTP and RTSP heads, MQTT CONNECT, SSH and mail/FTP greetings, Telnet
 * negotiation, DNS, mDNS, SSDP, CoAP, NTP, QUIC, DTLS, DHCP, media magic and the port guess;
 * then hostile input: every prefix of every sample, Hellos split at every point, lengths that
 * run past the record, names holding control bytes, random garbage.  Every message is built
 * byte by byte here from its RFC or specification, and handed over in a heap block of its
 * exact size so AddressSanitizer sees a read one byte past it.
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

#include "detect.h"
#include "strpool.h"

struct msg {
	uint8_t		 b[4096];
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
put8(struct msg *m, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(m, &b, 1);
}

static void
put16(struct msg *m, unsigned v)
{
	put8(m, v >> 8 & 0xff);
	put8(m, v & 0xff);
}

static void
put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void
puts_(struct msg *m, const char *s)
{
	put(m, s, strlen(s));
}

static void
fill(struct msg *m, unsigned v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(m, v);
}

/* A length field of width bytes, written when its contents are complete (close_len). */
static size_t
open_len(struct msg *m, int width)
{
	size_t at = m->n;

	fill(m, 0, (size_t)width);
	return at;
}

static void
close_len(struct msg *m, size_t at, int width)
{
	size_t len = m->n - at - (size_t)width;

	for (int i = 0; i < width; i++)
		m->b[at + (size_t)i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

static void
set16(struct msg *m, size_t at, unsigned v)
{
	m->b[at] = (uint8_t)(v >> 8);
	m->b[at + 1] = (uint8_t)v;
}

/*
 * A flow as the analysis feeds it: payloads in order, TCP sequence numbers advancing, each
 * payload copied into a heap block of its own exact size.
 */
struct flow {
	struct flow_app	 a;
	struct strpool	*sp;
	int		 tcp;
	uint16_t	 cport, sport;
	uint32_t	 seq[2];
};

static void
flow_start(struct flow *f, int tcp, uint16_t cport, uint16_t sport)
{
	memset(f, 0, sizeof *f);
	detect_init(&f->a);
	f->sp = strpool_new();
	f->tcp = tcp;
	f->cport = cport;
	f->sport = sport;
	f->seq[0] = 0x10000000;
	f->seq[1] = 0xfffffff0;		/* wraps while the server talks */
}

static void
flow_send(struct flow *f, int dir, const void *p, size_t n)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);

	assert_non_null(copy);
	if (n > 0)
		memcpy(copy, p, n);
	detect_packet(&f->a, f->sp, f->tcp, dir, f->seq[dir], (struct span){ copy, n },
	    f->cport, f->sport);
	f->seq[dir] += (uint32_t)n;
	free(copy);
}

static void
flow_end(struct flow *f)
{
	detect_fini(&f->a);
	assert_null(f->a.dir[0].buf);
	assert_null(f->a.dir[1].buf);
	strpool_free(f->sp);
}

/* One payload in a fresh flow: the protocol found. */
static enum app_proto
one(int tcp, int dir, const void *p, size_t n, uint16_t cport, uint16_t sport)
{
	struct flow f;
	enum app_proto proto;

	flow_start(&f, tcp, cport, sport);
	flow_send(&f, dir, p, n);
	proto = (enum app_proto)f.a.proto;
	flow_end(&f);
	return proto;
}

#define assert_proto(got, want) do {					\
	enum app_proto g_ = (got), w_ = (want);				\
	if (g_ != w_)							\
		fail_msg("%s: %s, want %s", #got,			\
		    g_ == AP_NONE ? "none" : app_proto_name(g_),	\
		    w_ == AP_NONE ? "none" : app_proto_name(w_));	\
} while (0)

/* A string field recorded raw: exactly these n bytes, then the pool's NUL. */
static void
assert_raw(const char *got, const void *want, size_t n)
{
	if (got == NULL)
		fail_msg("NULL, want %zu bytes", n);
	if (strlen(got) != n || memcmp(got, want, n) != 0)
		fail_msg("\"%s\" (%zu bytes), want %zu bytes", got, strlen(got), n);
}

/*
 * TLS Hellos (RFC 8446 4.1.2-4.1.3, RFC 5246 7.4.1.2).  The ClientHello's extensions, in
 * order: ec_point_formats (RFC 8422), then optionally a large key_share and padding (as a
 * post-quantum ClientHello carries, which no longer fits one segment), server_name (RFC 6066),
 * ALPN (RFC 7301), supported_versions, supported_groups.
 */
struct ch {
	uint16_t	 version;	/* legacy_version */
	const char	*sni;		/* NULL: no server_name */
	size_t		 sni_len;	/* 0: strlen(sni) */
	unsigned	 sni_type;	/* name_type, 0 host_name */
	int		 alpn;		/* offer "h2", "http/1.1" */
	const uint16_t	*versions;	/* supported_versions, 0-terminated; NULL: none */
	int		 big;		/* key_share with X25519MLKEM768 and 400 bytes of padding */
	/* Offsets filled in by client_hello(). */
	size_t		 rec_len_at, hs_len_at, exts_len_at, ext0_len_at;
	size_t		 sni_end;	/* just past the host name */
	size_t		 alpn_end;	/* just past the first protocol name */
};

static const uint16_t v13[] = { 0x3a3a, 0x0304, 0x0303, 0 };	/* GREASE first, as browsers */

static void
client_hello(struct msg *m, struct ch *o)
{
	size_t rec, hs, cs, exts, e, l;

	put8(m, 22);				/* handshake */
	put16(m, 0x0301);			/* legacy_record_version */
	rec = o->rec_len_at = open_len(m, 2);
	put8(m, 1);				/* client_hello */
	hs = o->hs_len_at = open_len(m, 3);
	put16(m, o->version);
	for (int i = 0; i < 32; i++)		/* random */
		put8(m, (unsigned)(i * 37 + 11));
	put8(m, 32);				/* legacy_session_id */
	for (int i = 0; i < 32; i++)
		put8(m, 0xa0u + (unsigned)i);
	cs = open_len(m, 2);
	put16(m, 0x1301);			/* TLS_AES_128_GCM_SHA256 */
	put16(m, 0x1302);
	put16(m, 0xc02f);			/* ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	close_len(m, cs, 2);
	put8(m, 1);				/* legacy_compression_methods: null */
	put8(m, 0);
	exts = o->exts_len_at = open_len(m, 2);

	put16(m, 11);				/* ec_point_formats: uncompressed */
	o->ext0_len_at = m->n;
	put16(m, 2);
	put8(m, 1);
	put8(m, 0);
	if (o->big) {
		put16(m, 51);			/* key_share */
		e = open_len(m, 2);
		l = open_len(m, 2);
		put16(m, 0x11ec);		/* X25519MLKEM768 */
		put16(m, 1216);
		for (int i = 0; i < 1216; i++)
			put8(m, (unsigned)(i * 131 + 7));
		put16(m, 0x001d);		/* x25519 */
		put16(m, 32);
		for (int i = 0; i < 32; i++)
			put8(m, (unsigned)(i * 29 + 3));
		close_len(m, l, 2);
		close_len(m, e, 2);
		put16(m, 21);			/* padding (RFC 7685) */
		put16(m, 400);
		fill(m, 0, 400);
	}
	if (o->sni != NULL) {
		size_t n = o->sni_len != 0 ? o->sni_len : strlen(o->sni);
		put16(m, 0);			/* server_name */
		e = open_len(m, 2);
		l = open_len(m, 2);		/* server_name_list */
		put8(m, o->sni_type);
		put16(m, (unsigned)n);
		put(m, o->sni, n);
		o->sni_end = m->n;
		close_len(m, l, 2);
		close_len(m, e, 2);
	}
	if (o->alpn) {
		put16(m, 16);			/* application_layer_protocol_negotiation */
		e = open_len(m, 2);
		l = open_len(m, 2);
		put8(m, 2);
		puts_(m, "h2");
		o->alpn_end = m->n;
		put8(m, 8);
		puts_(m, "http/1.1");
		close_len(m, l, 2);
		close_len(m, e, 2);
	}
	if (o->versions != NULL) {
		put16(m, 43);			/* supported_versions */
		e = open_len(m, 2);
		l = open_len(m, 1);
		for (const uint16_t *v = o->versions; *v != 0; v++)
			put16(m, *v);
		close_len(m, l, 1);
		close_len(m, e, 2);
	}
	put16(m, 10);				/* supported_groups */
	e = open_len(m, 2);
	l = open_len(m, 2);
	put16(m, 0x001d);
	put16(m, 0x0017);
	close_len(m, l, 2);
	close_len(m, e, 2);

	close_len(m, exts, 2);
	close_len(m, hs, 3);
	close_len(m, rec, 2);
}

/* A ServerHello choosing version (1.3 through supported_versions) and alpn if given. */
static void
server_hello(struct msg *m, uint16_t version, const char *alpn)
{
	size_t rec, hs, exts, e, l;

	put8(m, 22);
	put16(m, 0x0303);
	rec = open_len(m, 2);
	put8(m, 2);				/* server_hello */
	hs = open_len(m, 3);
	put16(m, version >= 0x0304 ? 0x0303 : version);	/* legacy_version */
	for (int i = 0; i < 32; i++)
		put8(m, (unsigned)(i * 53 + 1));
	put8(m, 32);				/* legacy_session_id_echo */
	for (int i = 0; i < 32; i++)
		put8(m, 0xa0u + (unsigned)i);
	put16(m, version >= 0x0304 ? 0x1301 : 0xc02f);
	put8(m, 0);
	exts = open_len(m, 2);
	if (version >= 0x0304) {
		put16(m, 43);
		put16(m, 2);
		put16(m, version);
		put16(m, 51);			/* key_share: x25519 */
		put16(m, 36);
		put16(m, 0x001d);
		put16(m, 32);
		for (int i = 0; i < 32; i++)
			put8(m, (unsigned)(i * 17 + 5));
	} else {
		put16(m, 0xff01);		/* renegotiation_info, empty */
		put16(m, 1);
		put8(m, 0);
	}
	if (alpn != NULL) {
		put16(m, 16);
		e = open_len(m, 2);
		l = open_len(m, 2);
		put8(m, (unsigned)strlen(alpn));
		puts_(m, alpn);
		close_len(m, l, 2);
		close_len(m, e, 2);
	}
	close_len(m, exts, 2);
	close_len(m, hs, 3);
	close_len(m, rec, 2);
}

/* The ClientHello most tests use: TLS 1.3 offered, SNI example.com, ALPN h2. */
static void
default_hello(struct msg *m, struct ch *o)
{
	memset(m, 0, sizeof *m);
	memset(o, 0, sizeof *o);
	o->version = 0x0303;
	o->sni = "example.com";
	o->alpn = 1;
	o->versions = v13;
	client_hello(m, o);
}

static void
test_names(void **state)
{
	(void)state;
	static const char *const protos[AP_COUNT] = { NULL, "TLS", "SSLv2", "DTLS", "QUIC",
		"SSH", "HTTP", "RTSP", "MQTT", "FTP", "Telnet", "SMTP", "POP3", "IMAP", "DNS",
		"mDNS", "SSDP", "CoAP", "NTP", "DHCP" };
	static const char *const media[] = { NULL, "JPEG", "PNG", "MP4", "H.264", "gzip", "zip",
		"GIF", "WebP", "cab", "7z", "xz", "bzip2", "zstd" };

	for (int p = 0; p < AP_COUNT; p++) {
		if (protos[p] == NULL)
			assert_null(app_proto_name((enum app_proto)p));
		else
			assert_string_equal(app_proto_name((enum app_proto)p), protos[p]);
		int enc = p == AP_TLS || p == AP_SSL2 || p == AP_DTLS || p == AP_QUIC ||
		    p == AP_SSH;
		assert_int_equal(detect_encrypted((enum app_proto)p), enc);
	}
	assert_null(app_proto_name(AP_COUNT));
	assert_null(app_proto_name((enum app_proto)200));
	for (int m = 0; m <= MEDIA_ZSTD; m++) {
		if (media[m] == NULL)
			assert_null(media_name((enum media)m));
		else
			assert_string_equal(media_name((enum media)m), media[m]);
	}
	assert_null(media_name((enum media)(MEDIA_ZSTD + 1)));

	assert_null(tls_version_name(0));
	assert_string_equal(tls_version_name(0x0200), "SSL 2.0");
	assert_string_equal(tls_version_name(0x0300), "SSL 3.0");
	assert_string_equal(tls_version_name(0x0301), "TLS 1.0");
	assert_string_equal(tls_version_name(0x0302), "TLS 1.1");
	assert_string_equal(tls_version_name(0x0303), "TLS 1.2");
	assert_string_equal(tls_version_name(0x0304), "TLS 1.3");
	assert_string_equal(tls_version_name(0xfeff), "DTLS 1.0");
	assert_string_equal(tls_version_name(0xfefd), "DTLS 1.2");
	assert_string_equal(tls_version_name(0xfefc), "DTLS 1.3");
	assert_null(tls_version_name(0x0305));
	assert_null(tls_version_name(0x7f1c));	/* a TLS 1.3 draft */
	assert_null(tls_version_name(0x3a3a));	/* GREASE */
}

/* Media magic: each sample, every shorter prefix of it, and near misses. */
static void
test_media_magic(void **state)
{
	(void)state;
	static const struct {
		const char	*b;
		size_t		 n;
		size_t		 need;	/* bytes the magic needs */
		enum media	 m;
	} cases[] = {
		{ "\xff\xd8\xff\xe0\x00\x10JFIF\0", 11, 3, MEDIA_JPEG },
		{ "\xff\xd8\xff\xdb\x00\x43", 6, 3, MEDIA_JPEG },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, 8, MEDIA_PNG },
		{ "\x00\x00\x00\x20" "ftypisom\0\0\2\0", 16, 8, MEDIA_MP4 },
		{ "\x00\x00\x00\x18" "ftypmp42", 12, 8, MEDIA_MP4 },
		{ "\x1f\x8b\x08\x00\0\0\0\0\0\x03", 10, 2, MEDIA_GZIP },
		{ "PK\x03\x04\x14\0\0\0\x08\0", 10, 4, MEDIA_ZIP },
		{ "GIF89a\x01\0\x01\0", 10, 6, MEDIA_GIF },
		{ "GIF87a", 6, 6, MEDIA_GIF },
		{ "RIFF\x24\0\0\0WEBPVP8 ", 16, 12, MEDIA_WEBP },
		{ "MSCF\0\0\0\0\x10\x20", 10, 8, MEDIA_CAB },
		{ "7z\xbc\xaf\x27\x1c\0\x04", 8, 6, MEDIA_7Z },
		{ "\xfd" "7zXZ\0\0\x04", 8, 6, MEDIA_XZ },
		{ "BZh91AY&SY", 10, 4, MEDIA_BZIP2 },
		{ "\x28\xb5\x2f\xfd\x04\x58", 6, 4, MEDIA_ZSTD },
		{ "\x00\x00\x00\x01\x67\x42\xc0\x1e", 8, 5, MEDIA_H264 },	/* SPS */
		{ "\x00\x00\x01\x65\x88\x84", 6, 4, MEDIA_H264 },		/* IDR slice */
		{ "\x00\x00\x00\x01\x41\x9a", 6, 5, MEDIA_H264 },		/* non-IDR slice */
	};
	static const struct {
		const char	*b;
		size_t		 n;
	} misses[] = {
		{ "\xff\xd8\xfe", 3 }, { "\x89PNG\r\n\x1a", 7 }, { "\x1f\x8c", 2 },
		{ "PK\x05\x06", 4 }, { "GIF88a", 6 }, { "RIFF\x24\0\0\0WAVEfmt ", 16 },
		{ "BZh0", 4 }, { "BZh:", 4 }, { "MSCF\x01\0\0\0", 8 },
		{ "\x00\x00\x00\x01\x09\xf0", 6 },	/* access unit delimiter: not a picture */
		{ "\x00\x00\x02\x65", 4 }, { "\x00\x00\x00\x20" "ftpyisom", 12 },
		{ "GET / HTTP/1.1\r\n", 16 }, { "", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		for (size_t k = 0; k <= cases[i].n; k++) {
			uint8_t *p = malloc(k + 1);
			memcpy(p, cases[i].b, k);
			enum media m = detect_media((struct span){ p, k });
			enum media want = k >= cases[i].need ? cases[i].m : MEDIA_NONE;
			free(p);
			if (m != want)
				fail_msg("case %zu, %zu bytes: %s, want %s", i, k,
				    media_name(m), media_name(want));
		}
	}
	for (size_t i = 0; i < sizeof misses / sizeof *misses; i++) {
		uint8_t *p = malloc(misses[i].n + 1);
		memcpy(p, misses[i].b, misses[i].n);
		enum media m = detect_media((struct span){ p, misses[i].n });
		free(p);
		if (m != MEDIA_NONE)
			fail_msg("miss %zu: %s", i, media_name(m));
	}
}

static void
test_tls13(void **state)
{
	(void)state;
	struct msg ch, sh;
	struct ch o;
	struct flow f;

	default_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0304, "http/1.1");

	flow_start(&f, 1, 51000, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_offered, 0x0304);
	assert_int_equal(f.a.tls_version, 0);
	assert_string_equal(f.a.sni, "example.com");
	assert_string_equal(f.a.alpn, "h2");		/* the first offered */
	assert_true(f.a.dir[0].done);
	assert_null(f.a.dir[0].buf);
	assert_false(f.a.dir[1].done);

	flow_send(&f, 1, sh.b, sh.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_version, 0x0304);	/* supported_versions, not legacy 1.2 */
	assert_int_equal(f.a.tls_offered, 0x0304);
	assert_string_equal(tls_version_name(f.a.tls_version), "TLS 1.3");
	assert_string_equal(f.a.alpn, "http/1.1");	/* the server's choice wins */
	assert_string_equal(f.a.sni, "example.com");
	assert_false(f.a.guessed);
	assert_int_equal(f.a.over_tls, AP_NONE);
	assert_null(f.a.http_host);
	assert_null(f.a.banner);
	assert_true(f.a.dir[1].done);
	assert_int_equal(f.a.dir[0].media, MEDIA_NONE);
	assert_int_equal(f.a.dir[1].media, MEDIA_NONE);
	/* Later records change nothing. */
	static const uint8_t appdata[] = { 23, 3, 3, 0, 4, 1, 2, 3, 4 };
	flow_send(&f, 0, appdata, sizeof appdata);
	flow_send(&f, 1, appdata, sizeof appdata);
	assert_int_equal(f.a.tls_version, 0x0304);
	flow_end(&f);
}

static void
test_tls12(void **state)
{
	(void)state;
	struct msg ch, sh;
	struct ch o = { .version = 0x0303, .sni = "iot.example.net" };
	struct flow f;

	memset(&ch, 0, sizeof ch);
	client_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0303, NULL);

	flow_start(&f, 1, 51001, 8883);
	flow_send(&f, 0, ch.b, ch.n);
	flow_send(&f, 1, sh.b, sh.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_offered, 0x0303);
	assert_int_equal(f.a.tls_version, 0x0303);
	assert_string_equal(tls_version_name(f.a.tls_version), "TLS 1.2");
	assert_string_equal(f.a.sni, "iot.example.net");
	assert_null(f.a.alpn);
	flow_end(&f);

	/* TLS 1.0 both ways; and a ServerHello alone, which says what was chosen. */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0301, .sni = "old.example" };
	client_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0301, NULL);
	flow_start(&f, 1, 51002, 443);
	flow_send(&f, 0, ch.b, ch.n);
	flow_send(&f, 1, sh.b, sh.n);
	assert_int_equal(f.a.tls_offered, 0x0301);
	assert_int_equal(f.a.tls_version, 0x0301);
	flow_end(&f);

	flow_start(&f, 1, 51003, 443);
	flow_send(&f, 1, sh.b, sh.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_version, 0x0301);
	assert_int_equal(f.a.tls_offered, 0);
	assert_null(f.a.sni);
	flow_end(&f);
}

/* supported_versions: GREASE (0x?a?a) and drafts above 1.3 are not versions offered. */
static void
test_tls_offered_versions(void **state)
{
	(void)state;
	static const uint16_t grease_12[] = { 0x0a0a, 0xfafa, 0x0303, 0 };
	static const uint16_t draft[] = { 0x7f1c, 0x0303, 0 };
	static const uint16_t only13[] = { 0x0304, 0 };
	static const struct {
		uint16_t	 legacy;
		const uint16_t	*list;
		uint16_t	 want;
	} cases[] = {
		{ 0x0303, v13, 0x0304 }, { 0x0303, grease_12, 0x0303 },
		{ 0x0303, draft, 0x0303 }, { 0x0303, only13, 0x0304 },
		{ 0x0301, grease_12, 0x0303 }, { 0x0302, NULL, 0x0302 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct msg ch;
		struct ch o = { .version = cases[i].legacy, .sni = "v.example",
			.versions = cases[i].list };
		struct flow f;

		memset(&ch, 0, sizeof ch);
		client_hello(&ch, &o);
		flow_start(&f, 1, 52000, 443);
		flow_send(&f, 0, ch.b, ch.n);
		if (f.a.tls_offered != cases[i].want)
			fail_msg("case %zu: offered %#x, want %#x", i, f.a.tls_offered,
			    cases[i].want);
		flow_end(&f);
	}
}

/* The server's direction waits for the ServerHello's version, over several segments. */
static void
test_tls_server_hello_segments(void **state)
{
	(void)state;
	struct msg ch, sh;
	struct ch o;
	struct flow f;

	default_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0304, NULL);
	flow_start(&f, 1, 52001, 443);
	flow_send(&f, 0, ch.b, ch.n);
	flow_send(&f, 1, sh.b, 5);			/* the record header alone */
	assert_int_equal(f.a.tls_version, 0);
	assert_false(f.a.dir[1].done);
	flow_send(&f, 1, sh.b + 5, 40);
	assert_int_equal(f.a.tls_version, 0);
	assert_false(f.a.dir[1].done);
	flow_send(&f, 1, sh.b + 45, sh.n - 45);
	assert_int_equal(f.a.tls_version, 0x0304);
	assert_true(f.a.dir[1].done);
	flow_end(&f);
}

/*
 * A ClientHello cut at every length, as a short capture or a connection reset leaves it: no
 * read past the bytes, TLS once the record header, handshake header and version are in, and
 * an SNI (or ALPN) only when the whole name is: a cut name is not the name.
 */
static void
test_tls_truncated(void **state)
{
	(void)state;
	struct msg ch;
	struct ch o;
	size_t bogus = 0, first = 0;
	char seen[300] = "";

	default_hello(&ch, &o);
	for (size_t len = 1; len <= ch.n; len++) {
		struct flow f;

		flow_start(&f, 1, 52002, 443);
		flow_send(&f, 0, ch.b, len);
		/* 5 (record) + 4 (handshake) + 2 (legacy_version) bytes say "TLS". */
		if (f.a.proto != (len >= 11 ? AP_TLS : AP_NONE))
			fail_msg("%zu bytes: protocol %d", len, f.a.proto);
		assert_true(f.a.tls_offered == 0 || f.a.tls_offered == 0x0303 ||
		    f.a.tls_offered == 0x0304);
		int sni_ok = len >= o.sni_end ? f.a.sni != NULL &&
		    strcmp(f.a.sni, "example.com") == 0 : f.a.sni == NULL;
		int alpn_ok = len >= o.alpn_end ? f.a.alpn != NULL &&
		    strcmp(f.a.alpn, "h2") == 0 : f.a.alpn == NULL;
		if ((!sni_ok || !alpn_ok) && bogus++ == 0) {
			first = len;
			snprintf(seen, sizeof seen, "SNI \"%s\", ALPN \"%s\"",
			    f.a.sni != NULL ? f.a.sni : "(none)",
			    f.a.alpn != NULL ? f.a.alpn : "(none)");
		}
		if (len == ch.n)
			assert_int_equal(f.a.tls_offered, 0x0304);
		flow_end(&f);
	}
	if (bogus > 0)
		fail_msg("%zu of %zu prefixes report a partial name; first at %zu bytes "
		    "(name complete at %zu): %s", bogus, ch.n, first, o.sni_end, seen);
}

/*
 * A post-quantum ClientHello (an ML-KEM key share, padding) is larger than one segment; with
 * the server_name after the key share, the name is in the second segment.  detect.h: "a
 * ClientHello ... split over segments is still read whole".
 */
static void
test_tls_hello_two_segments(void **state)
{
	(void)state;
	struct msg ch;
	struct ch o = { .version = 0x0303, .sni = "device.example.com", .alpn = 1,
		.versions = v13, .big = 1 };
	struct flow f;
	const size_t mss = 1448;

	memset(&ch, 0, sizeof ch);
	client_hello(&ch, &o);
	assert_true(ch.n > mss && o.sni_end > mss);
	flow_start(&f, 1, 52003, 443);
	flow_send(&f, 0, ch.b, mss);
	flow_send(&f, 0, ch.b + mss, ch.n - mss);
	assert_proto(f.a.proto, AP_TLS);
	int sni_ok = f.a.sni != NULL && strcmp(f.a.sni, "device.example.com") == 0;
	uint16_t offered = f.a.tls_offered;
	flow_end(&f);
	if (!sni_ok || offered != 0x0304)
		fail_msg("ClientHello of %zu bytes in segments of %zu + %zu: %s SNI, offered "
		    "%#x; want device.example.com and 0x304", ch.n, mss, ch.n - mss,
		    sni_ok ? "the" : "no", offered);
}

/* The default ClientHello split in two at every point: the whole is always read. */
static void
test_tls_split_everywhere(void **state)
{
	(void)state;
	struct msg ch;
	struct ch o;
	size_t wrong = 0, first = 0;

	default_hello(&ch, &o);
	for (size_t k = 1; k < ch.n; k++) {
		struct flow f;

		flow_start(&f, 1, 52004, 443);
		flow_send(&f, 0, ch.b, k);
		flow_send(&f, 0, ch.b + k, ch.n - k);
		int ok = f.a.proto == AP_TLS && f.a.sni != NULL &&
		    strcmp(f.a.sni, "example.com") == 0 && f.a.tls_offered == 0x0304;
		if (!ok && wrong++ == 0)
			first = k;
		flow_end(&f);
	}
	if (wrong > 0)
		fail_msg("%zu of %zu split points lose the SNI or version; the first at %zu",
		    wrong, ch.n - 1, first);
}

/* Lengths inside a Hello that run past what holds them. */
static void
test_tls_lengths_overflow(void **state)
{
	(void)state;
	struct msg ch;
	struct ch o;
	struct flow f;

	/* The first extension claims 0xffff bytes: it swallows the rest, names included. */
	default_hello(&ch, &o);
	set16(&ch, o.ext0_len_at, 0xffff);
	flow_start(&f, 1, 52005, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_null(f.a.sni);
	assert_null(f.a.alpn);
	assert_int_equal(f.a.tls_offered, 0x0303);	/* supported_versions swallowed too */
	flow_end(&f);

	/*
	 * The extensions block, or the handshake, claims more than the record holds: lengths
	 * are clamped to what is there, and the extensions inside are whole.
	 */
	default_hello(&ch, &o);
	set16(&ch, o.exts_len_at, 0xffff);
	flow_start(&f, 1, 52006, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_string_equal(f.a.sni, "example.com");
	assert_int_equal(f.a.tls_offered, 0x0304);
	flow_end(&f);

	default_hello(&ch, &o);
	ch.b[o.hs_len_at] = 0xff;
	ch.b[o.hs_len_at + 1] = 0xff;
	ch.b[o.hs_len_at + 2] = 0xff;
	flow_start(&f, 1, 52007, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_string_equal(f.a.sni, "example.com");
	flow_end(&f);

	/*
	 * A whole record whose host name runs past its end: the record, handshake and
	 * extensions lengths agree with a record that stops four bytes into the name.
	 */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = "example.com" };
	client_hello(&ch, &o);
	size_t cut = o.sni_end - 7;
	set16(&ch, o.rec_len_at, (unsigned)(cut - 5));
	ch.b[o.hs_len_at] = 0;
	set16(&ch, o.hs_len_at + 1, (unsigned)(cut - 9));
	set16(&ch, o.exts_len_at, (unsigned)(cut - o.exts_len_at - 2));
	flow_start(&f, 1, 52008, 443);
	flow_send(&f, 0, ch.b, cut);
	assert_proto(f.a.proto, AP_TLS);
	char seen[16] = "";
	int got = f.a.sni != NULL;
	if (got)
		snprintf(seen, sizeof seen, "%s", f.a.sni);
	flow_end(&f);
	if (got)
		fail_msg("host name of 11 bytes with 4 in the record: SNI \"%s\", want none",
		    seen);
}

/* Names are kept as sent (output escapes them), bounded, and only host_name counts. */
static void
test_tls_sni_hostile(void **state)
{
	(void)state;
	static const char ctl[] = "\x1b]0;owned\x07\x1b[2Jcam\r\n.example\x7f\x9b" "1m";
	static const char nul[] = "good.example\0.evil.example";
	char longname[300];
	struct msg ch;
	struct ch o;
	struct flow f;

	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = ctl, .versions = v13 };
	client_hello(&ch, &o);
	flow_start(&f, 1, 52010, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_raw(f.a.sni, ctl, sizeof ctl - 1);
	flow_end(&f);

	/* The pool holds NUL-free strings: the name ends at its NUL. */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = nul, .sni_len = sizeof nul - 1 };
	client_hello(&ch, &o);
	flow_start(&f, 1, 52011, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_string_equal(f.a.sni, "good.example");
	flow_end(&f);

	/* Longer than DNS allows: the first 255 bytes. */
	memset(longname, 'a', sizeof longname);
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = longname, .sni_len = sizeof longname };
	client_hello(&ch, &o);
	flow_start(&f, 1, 52012, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_raw(f.a.sni, longname, 255);
	flow_end(&f);

	/* An empty name, and a name_type other than host_name, give none. */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = "", .alpn = 1 };
	client_hello(&ch, &o);
	flow_start(&f, 1, 52013, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_null(f.a.sni);
	assert_string_equal(f.a.alpn, "h2");
	flow_end(&f);

	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = "typed.example", .sni_type = 1 };
	client_hello(&ch, &o);
	flow_start(&f, 1, 52014, 443);
	flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_null(f.a.sni);
	flow_end(&f);
}

/* What looks like TLS but is not a Hello; and SSLv2. */
static void
test_tls_not_hello(void **state)
{
	(void)state;
	struct msg ch;
	struct ch o;

	default_hello(&ch, &o);
	ch.b[0] = 23;					/* application data */
	assert_proto(one(1, 0, ch.b, ch.n, 52020, 443), AP_NONE);
	default_hello(&ch, &o);
	ch.b[5] = 11;					/* certificate */
	assert_proto(one(1, 0, ch.b, ch.n, 52021, 443), AP_NONE);
	default_hello(&ch, &o);
	ch.b[1] = 2;					/* record version 2.1 */
	assert_proto(one(1, 0, ch.b, ch.n, 52022, 443), AP_NONE);
	default_hello(&ch, &o);
	ch.b[6] = ch.b[7] = 0;
	ch.b[8] = 37;					/* hello shorter than its fields */
	assert_proto(one(1, 0, ch.b, ch.n, 52023, 443), AP_NONE);
	default_hello(&ch, &o);
	assert_proto(one(0, 0, ch.b, ch.n, 52024, 443), AP_NONE);	/* TLS is TCP */

	/* SSLv2-compatible ClientHello: length with the top bit, type 1, version 3.1. */
	static const uint8_t ssl2[] = { 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00,
		0x00, 0x10, 0x00, 0x00, 0x04, 0x00, 0x00, 0x05, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x80,
		0x07, 0x00, 0xc0, 0x03, 0x00, 0x80, 0x00, 0x00, 0x09, 0x06, 0x00, 0x40, 0x00, 0x00,
		0x64, 0x00, 0x00, 0x62, 0x00, 0x00, 0x03, 0x06, 0x00, 0x80 };
	assert_proto(one(1, 0, ssl2, sizeof ssl2, 52025, 443), AP_SSL2);
}

static void
test_http_request(void **state)
{
	(void)state;
	static const char req[] = "POST /api/v1/upload?id=7 HTTP/1.1\r\n"
	    "Host: cloud.example.com:8080\r\nUser-Agent: sensor/2.1\r\n"
	    "Content-Type: application/json\r\nContent-Length: 20\r\n\r\n"
	    "{\"temperature\":21.5}";
	static const char resp[] = "HTTP/1.1 201 Created\r\nServer: nginx\r\n"
	    "content-type:\ttext/plain; charset=utf-8\r\nContent-Length: 7\r\n\r\ncreated";
	struct flow f;

	flow_start(&f, 1, 40000, 8080);
	flow_send(&f, 0, req, sizeof req - 1);
	assert_proto(f.a.proto, AP_HTTP);
	assert_string_equal(f.a.http_method, "POST");
	assert_string_equal(f.a.http_host, "cloud.example.com:8080");
	assert_string_equal(f.a.http_ctype, "application/json");
	assert_true(f.a.dir[0].done);			/* the body's first bytes are in */
	assert_int_equal(f.a.dir[0].media, MEDIA_NONE);
	flow_send(&f, 1, resp, sizeof resp - 1);
	assert_proto(f.a.proto, AP_HTTP);
	assert_string_equal(f.a.http_method, "POST");
	assert_string_equal(f.a.http_ctype, "text/plain; charset=utf-8");	/* the response's */
	assert_false(f.a.guessed);
	flow_end(&f);

	/* Every method the table knows; header names in any case; no Host. */
	static const char *const methods[] = { "GET", "PUT", "HEAD", "DELETE", "OPTIONS",
		"PATCH", "CONNECT", "TRACE", "PROPFIND", "SUBSCRIBE", "NOTIFY" };
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
		char buf[128];
		int n = snprintf(buf, sizeof buf, "%s /x HTTP/1.0\r\nHOST: h%zu.example\r\n\r\n",
		    methods[i], i);
		char host[32];
		snprintf(host, sizeof host, "h%zu.example", i);
		flow_start(&f, 1, 40001, 80);
		flow_send(&f, 0, buf, (size_t)n);
		assert_proto(f.a.proto, AP_HTTP);
		assert_string_equal(f.a.http_method, methods[i]);
		assert_string_equal(f.a.http_host, host);
		assert_null(f.a.http_ctype);
		flow_end(&f);
	}
	static const char nohost[] = "GET / HTTP/1.0\r\nHostname: not-it\r\n\r\n";
	flow_start(&f, 1, 40002, 80);
	flow_send(&f, 0, nohost, sizeof nohost - 1);
	assert_proto(f.a.proto, AP_HTTP);
	assert_null(f.a.http_host);
	flow_end(&f);

	/* A method needs its space: "GETS" and "get" are not HTTP. */
	assert_proto(one(1, 0, "GETS / HTTP/1.1\r\n\r\n", 19, 40003, 80), AP_NONE);
	assert_proto(one(1, 0, "get / HTTP/1.1\r\n\r\n", 18, 40004, 80), AP_NONE);
	/* A response alone is HTTP too. */
	assert_proto(one(1, 1, resp, sizeof resp - 1, 40005, 80), AP_HTTP);
}

/* A request head split over segments is read whole: no Host cut at a segment's end. */
static void
test_http_split_head(void **state)
{
	(void)state;
	static const char req[] = "GET /stream HTTP/1.1\r\nHost: camera.example.com\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\nAccept: */*\r\n\r\n";
	size_t wrong = 0, first = 0;
	char seen[200] = "";

	for (size_t k = 1; k < sizeof req - 1; k++) {
		struct flow f;

		flow_start(&f, 1, 40010, 80);
		flow_send(&f, 0, req, k);
		flow_send(&f, 0, req + k, sizeof req - 1 - k);
		int ok = f.a.proto == AP_HTTP && f.a.http_method != NULL &&
		    strcmp(f.a.http_method, "GET") == 0 && f.a.http_host != NULL &&
		    strcmp(f.a.http_host, "camera.example.com") == 0 && f.a.http_ctype != NULL &&
		    strcmp(f.a.http_ctype, "application/x-www-form-urlencoded") == 0;
		if (!ok && wrong++ == 0) {
			first = k;
			snprintf(seen, sizeof seen, "Host \"%s\", Content-Type \"%s\"",
			    f.a.http_host != NULL ? f.a.http_host : "(none)",
			    f.a.http_ctype != NULL ? f.a.http_ctype : "(none)");
		}
		flow_end(&f);
	}
	if (wrong > 0)
		fail_msg("%zu of %zu split points misread the head; first at %zu: %s", wrong,
		    sizeof req - 2, first, seen);
}

/* Media in an HTTP body, by magic, in the direction that carries it. */
static void
test_http_media(void **state)
{
	(void)state;
	static const char get[] = "GET /snapshot.jpg HTTP/1.1\r\nHost: 192.168.1.20\r\n\r\n";
	static const char head[] = "HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n"
	    "Content-Length: 1000\r\n\r\n";
	static const uint8_t jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F',
		0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00 };
	static const char post[] = "POST /upload HTTP/1.1\r\nHost: cloud.example\r\n"
	    "Content-Type: application/zip\r\nContent-Length: 100\r\n\r\n"
	    "PK\x03\x04\x14\x00\x00\x00\x08\x00";
	struct msg m;
	struct flow f;

	memset(&m, 0, sizeof m);
	puts_(&m, head);
	put(&m, jpeg, sizeof jpeg);
	flow_start(&f, 1, 40020, 80);
	flow_send(&f, 0, get, sizeof get - 1);
	assert_false(f.a.dir[0].done);		/* a GET has no body: still gathering */
	flow_send(&f, 1, m.b, m.n);
	assert_int_equal(f.a.dir[1].media, MEDIA_JPEG);
	assert_int_equal(f.a.dir[0].media, MEDIA_NONE);
	assert_string_equal(f.a.http_ctype, "image/jpeg");
	assert_true(f.a.dir[1].done);
	flow_end(&f);

	/* The head in one segment, the body in the next: detection waits for it. */
	flow_start(&f, 1, 40021, 80);
	flow_send(&f, 0, get, sizeof get - 1);
	flow_send(&f, 1, head, sizeof head - 1);
	assert_false(f.a.dir[1].done);
	assert_int_equal(f.a.dir[1].media, MEDIA_NONE);
	flow_send(&f, 1, jpeg, sizeof jpeg);
	assert_int_equal(f.a.dir[1].media, MEDIA_JPEG);
	assert_true(f.a.dir[1].done);
	flow_end(&f);

	/* An upload: the client's direction carries the archive. */
	flow_start(&f, 1, 40022, 80);
	flow_send(&f, 0, post, sizeof post - 1);
	assert_int_equal(f.a.dir[0].media, MEDIA_ZIP);
	assert_int_equal(f.a.dir[1].media, MEDIA_NONE);
	assert_string_equal(f.a.http_ctype, "application/zip");
	flow_end(&f);

	/* Other magic in a response body. */
	static const struct {
		const char	*b;
		size_t		 n;
		enum media	 m;
	} bodies[] = {
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, MEDIA_PNG },
		{ "\x00\x00\x00\x20" "ftypisom\0\0\2\0", 16, MEDIA_MP4 },
		{ "\x1f\x8b\x08\x00\0\0\0\0\0\x03", 10, MEDIA_GZIP },
		{ "<html><body>hi</body></html>", 28, MEDIA_NONE },
	};
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		memset(&m, 0, sizeof m);
		puts_(&m, "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n");
		put(&m, bodies[i].b, bodies[i].n);
		flow_start(&f, 1, 40023, 80);
		flow_send(&f, 1, m.b, m.n);
		assert_proto(f.a.proto, AP_HTTP);
		if (f.a.dir[1].media != bodies[i].m)
			fail_msg("body %zu: %s", i, media_name((enum media)f.a.dir[1].media));
		flow_end(&f);
	}
}

static void
test_rtsp(void **state)
{
	(void)state;
	static const char options[] = "OPTIONS rtsp://192.168.1.64:554/Streaming/Channels/101 "
	    "RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: LibVLC/3.0.18\r\n\r\n";
	static const char describe[] = "DESCRIBE rtsp://cam.local/live RTSP/1.0\r\nCSeq: 3\r\n"
	    "Accept: application/sdp\r\n\r\n";
	static const char star[] = "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n";
	static const char reply[] = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nPublic: OPTIONS, DESCRIBE, "
	    "SETUP, PLAY\r\n\r\n";
	static const char http_options[] = "OPTIONS * HTTP/1.1\r\nHost: h.example\r\n\r\n";

	assert_proto(one(1, 0, options, sizeof options - 1, 50000, 554), AP_RTSP);
	assert_proto(one(1, 0, describe, sizeof describe - 1, 50001, 8554), AP_RTSP);
	assert_proto(one(1, 0, star, sizeof star - 1, 50002, 554), AP_RTSP);
	assert_proto(one(1, 1, reply, sizeof reply - 1, 50003, 554), AP_RTSP);
	/* A reply's status line from the client, an OPTIONS over HTTP: not RTSP. */
	assert_proto(one(1, 0, reply, sizeof reply - 1, 50004, 554), AP_NONE);
	assert_proto(one(1, 0, http_options, sizeof http_options - 1, 50005, 80), AP_HTTP);

	struct flow f;
	flow_start(&f, 1, 50006, 554);
	flow_send(&f, 0, options, sizeof options - 1);
	flow_send(&f, 1, reply, sizeof reply - 1);
	assert_proto(f.a.proto, AP_RTSP);
	assert_null(f.a.http_method);			/* RTSP heads are not read as HTTP */
	assert_true(f.a.dir[0].done);
	flow_end(&f);
}

/* MQTT 3.1.1 section 3.1 (CONNECT), and 3.1's "MQIsdp". */
static void
mqtt_connect(struct msg *m, int v31, size_t payload_extra)
{
	struct msg body;

	memset(&body, 0, sizeof body);
	put16(&body, v31 ? 6 : 4);
	puts_(&body, v31 ? "MQIsdp" : "MQTT");
	put8(&body, v31 ? 3 : 4);			/* protocol level */
	put8(&body, payload_extra > 0 ? 0xc2 : 0x02);	/* user, password, clean session */
	put16(&body, 60);				/* keep alive */
	put16(&body, 10);
	puts_(&body, "sensor-001");
	if (payload_extra > 0) {
		put16(&body, 5);
		puts_(&body, "alice");
		put16(&body, (unsigned)payload_extra);
		fill(&body, 'p', payload_extra);
	}
	memset(m, 0, sizeof *m);
	put8(m, 0x10);
	for (size_t len = body.n;;) {		/* remaining length, 7 bits a byte */
		unsigned b = len & 0x7f;
		len >>= 7;
		put8(m, b | (len > 0 ? 0x80 : 0));
		if (len == 0)
			break;
	}
	put(m, body.b, body.n);
}

static void
test_mqtt(void **state)
{
	(void)state;
	struct msg m;

	mqtt_connect(&m, 0, 0);
	assert_int_equal(m.b[1], 22);			/* 10 + 2 + 10 */
	assert_proto(one(1, 0, m.b, m.n, 45000, 1883), AP_MQTT);
	assert_proto(one(1, 0, m.b, m.n, 45000, 9999), AP_MQTT);	/* any port */
	assert_proto(one(1, 1, m.b, m.n, 45000, 1883), AP_NONE);	/* clients connect */
	mqtt_connect(&m, 1, 0);
	assert_proto(one(1, 0, m.b, m.n, 45001, 1883), AP_MQTT);
	mqtt_connect(&m, 0, 300);			/* a two-byte remaining length */
	assert_true(m.b[1] & 0x80);
	assert_proto(one(1, 0, m.b, m.n, 45002, 1883), AP_MQTT);

	mqtt_connect(&m, 0, 0);
	m.b[5] = 'X';					/* "MQTX" */
	assert_proto(one(1, 0, m.b, m.n, 45003, 1883), AP_NONE);
	mqtt_connect(&m, 0, 0);
	m.b[0] = 0x20;					/* CONNACK's type */
	assert_proto(one(1, 0, m.b, m.n, 45004, 1883), AP_NONE);
	/* A remaining length of five bytes, or one too short for the header. */
	static const uint8_t five[] = { 0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 4, 'M', 'Q', 'T',
		'T', 4, 2, 0, 60 };
	assert_proto(one(1, 0, five, sizeof five, 45005, 1883), AP_NONE);
	static const uint8_t tiny[] = { 0x10, 9, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0 };
	assert_proto(one(1, 0, tiny, sizeof tiny, 45006, 1883), AP_NONE);
}

static void
test_ssh(void **state)
{
	(void)state;
	static const char server[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
	static const char client[] = "SSH-2.0-dropbear_2022.83\r\n";
	struct flow f;
	char longb[300];

	flow_start(&f, 1, 50100, 22);
	flow_send(&f, 1, server, sizeof server - 1);
	assert_proto(f.a.proto, AP_SSH);
	assert_string_equal(f.a.banner, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
	flow_send(&f, 0, client, sizeof client - 1);
	assert_string_equal(f.a.banner, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
	flow_end(&f);

	flow_start(&f, 1, 50101, 2222);
	flow_send(&f, 0, client, sizeof client - 1);
	assert_proto(f.a.proto, AP_SSH);
	assert_string_equal(f.a.banner, "SSH-2.0-dropbear_2022.83");
	flow_end(&f);

	/* A banner without its line end, and one too long: the first 128 bytes. */
	flow_start(&f, 1, 50102, 22);
	flow_send(&f, 1, "SSH-1.99-Cisco-1.25", 19);
	assert_string_equal(f.a.banner, "SSH-1.99-Cisco-1.25");
	flow_end(&f);
	memcpy(longb, "SSH-2.0-", 8);
	memset(longb + 8, 'x', sizeof longb - 8);
	flow_start(&f, 1, 50103, 22);
	flow_send(&f, 1, longb, sizeof longb);
	assert_raw(f.a.banner, longb, 128);
	flow_end(&f);
}

/* Server greetings (the server speaks first) and client commands of the mail protocols. */
static void
test_greetings(void **state)
{
	(void)state;
	static const struct {
		int		 dir;
		const char	*s;
		uint16_t	 sport;
		enum app_proto	 p;
		const char	*banner;	/* NULL: not checked */
	} cases[] = {
		{ 1, "220 (vsFTPd 3.0.3)\r\n", 21, AP_FTP, "220 (vsFTPd 3.0.3)" },
		{ 1, "220 ProFTPD Server (Debian) [::ffff:10.0.0.5]\r\n", 2121, AP_FTP,
		    "220 ProFTPD Server (Debian) [::ffff:10.0.0.5]" },
		{ 1, "220 Welcome to the camera\r\n", 21, AP_FTP, "220 Welcome to the camera" },
		{ 1, "220 Welcome to the camera\r\n", 2121, AP_NONE, NULL },
		{ 1, "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n", 25, AP_SMTP,
		    "220 mx.example.org ESMTP Postfix (Debian/GNU)" },
		{ 1, "220-smtp.example.com ESMTP ready\r\n220 ok\r\n", 587, AP_SMTP,
		    "220-smtp.example.com ESMTP ready" },
		{ 0, "EHLO client.example\r\n", 25, AP_SMTP, NULL },
		{ 0, "HELO client.example\r\n", 2525, AP_SMTP, NULL },
		{ 1, "+OK Dovecot ready.\r\n", 110, AP_POP3, NULL },
		{ 1, "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.\r\n", 143,
		    AP_IMAP, NULL },
		{ 0, "USER anonymous\r\n", 21, AP_FTP, NULL },
		{ 0, "USER anonymous\r\n", 2121, AP_NONE, NULL },
		{ 0, "USER alice\r\n", 110, AP_POP3, NULL },
		{ 0, "AUTH TLS\r\n", 21, AP_FTP, NULL },
		/* The server's words from the client, and the client's from the server. */
		{ 0, "220 (vsFTPd 3.0.3)\r\n", 21, AP_NONE, NULL },
		{ 0, "+OK Dovecot ready.\r\n", 110, AP_NONE, NULL },
		{ 1, "EHLO client.example\r\n", 25, AP_NONE, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct flow f;

		flow_start(&f, 1, 50200, cases[i].sport);
		flow_send(&f, cases[i].dir, cases[i].s, strlen(cases[i].s));
		if (f.a.proto != cases[i].p)
			fail_msg("case %zu (%s): %s", i, cases[i].s,
			    f.a.proto == AP_NONE ? "none" : app_proto_name(f.a.proto));
		if (cases[i].banner != NULL)
			assert_string_equal(f.a.banner, cases[i].banner);
		flow_end(&f);
	}
}

/* Telnet (RFC 854): a session opens with IAC WILL/WONT/DO/DONT options. */
static void
test_telnet(void **state)
{
	(void)state;
	/* IAC DO TERMINAL-TYPE, DO TERMINAL-SPEED, DO X-DISPLAY-LOCATION, DO NEW-ENVIRON */
	static const uint8_t server[] = { 0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23,
		0xff, 0xfd, 0x27 };
	/* BusyBox telnetd: IAC DO ECHO, DO NAWS, WILL ECHO, WILL SUPPRESS-GO-AHEAD */
	static const uint8_t busybox[] = { 0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01,
		0xff, 0xfb, 0x03 };
	static const uint8_t client[] = { 0xff, 0xfb, 0x18 };
	static const uint8_t wont[] = { 0xff, 0xfc, 0x20 };
	static const uint8_t dont[] = { 0xff, 0xfe, 0x01 };
	static const uint8_t sb[] = { 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0 };
	static const uint8_t iac_iac[] = { 0xff, 0xff, 0x41 };

	assert_proto(one(1, 1, server, sizeof server, 50300, 23), AP_TELNET);
	assert_proto(one(1, 1, busybox, sizeof busybox, 50301, 23), AP_TELNET);
	assert_proto(one(1, 0, client, sizeof client, 50302, 2323), AP_TELNET);
	assert_proto(one(1, 0, wont, sizeof wont, 50303, 23), AP_TELNET);
	assert_proto(one(1, 0, dont, sizeof dont, 50304, 23), AP_TELNET);
	assert_proto(one(1, 0, sb, sizeof sb, 50305, 23), AP_NONE);	/* SB does not open */
	assert_proto(one(1, 0, iac_iac, sizeof iac_iac, 50306, 23), AP_NONE);
	assert_proto(one(1, 0, server, 1, 50307, 23), AP_NONE);
}

/* RFC 1035 4.1: a query for example.com A, built by hand. */
static void
dns_query(struct msg *m, uint16_t id, uint16_t flags, const char *const *labels,
    uint16_t qtype, uint16_t qclass, uint16_t an)
{
	memset(m, 0, sizeof *m);
	put16(m, id);
	put16(m, flags);
	put16(m, 1);				/* QDCOUNT */
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	for (size_t i = 0; labels[i] != NULL; i++) {
		put8(m, (unsigned)strlen(labels[i]));
		puts_(m, labels[i]);
	}
	put8(m, 0);
	put16(m, qtype);
	put16(m, qclass);
	if (an > 0) {
		put16(m, 0xc00c);		/* the question's name */
		put16(m, qtype);
		put16(m, 1);
		put32(m, 300);
		put16(m, 4);
		put32(m, 0x5db8d822);		/* 93.184.216.34 */
	}
}

static void
test_dns(void **state)
{
	(void)state;
	static const char *const example[] = { "example", "com", NULL };
	static const char *const hap[] = { "_hap", "_tcp", "local", NULL };
	struct msg q, tcp;

	dns_query(&q, 0x1234, 0x0100, example, 1, 1, 0);
	assert_int_equal(q.n, 29);
	assert_proto(one(0, 0, q.b, q.n, 53000, 53), AP_DNS);
	assert_proto(one(0, 1, q.b, q.n, 53, 53000), AP_DNS);
	/* Off port 53, the shape says DNS: one question whose fields end the datagram. */
	assert_proto(one(0, 0, q.b, q.n, 40000, 40001), AP_DNS);
	q.n--;						/* one byte short of QCLASS */
	assert_proto(one(0, 0, q.b, q.n, 40000, 40001), AP_NONE);
	q.n++;
	put8(&q, 0);					/* a byte past it */
	assert_proto(one(0, 0, q.b, q.n, 40000, 40001), AP_NONE);
	assert_proto(one(0, 0, q.b, q.n, 53000, 53), AP_DNS);
	/* A response. */
	dns_query(&q, 0x1234, 0x8180, example, 1, 1, 1);
	assert_proto(one(0, 1, q.b, q.n, 40000, 40001), AP_DNS);
	/* Opcode 6 and up do not exist; twenty questions are not a query. */
	dns_query(&q, 0x1234, 0x3100, example, 1, 1, 0);
	assert_proto(one(0, 0, q.b, q.n, 53000, 53), AP_NONE);
	dns_query(&q, 0x1234, 0x0100, example, 1, 1, 0);
	set16(&q, 4, 20);
	assert_proto(one(0, 0, q.b, q.n, 53000, 53), AP_NONE);
	/* Counts all zero say nothing, even on port 53. */
	static const uint8_t zeros[12];
	assert_proto(one(0, 0, zeros, sizeof zeros, 53000, 53), AP_NONE);

	/* DNS over TCP: a two-byte length first (RFC 1035 4.2.2), judged on port 53. */
	dns_query(&q, 0xbeef, 0x0100, example, 28, 1, 0);
	memset(&tcp, 0, sizeof tcp);
	put16(&tcp, (unsigned)q.n);
	put(&tcp, q.b, q.n);
	assert_proto(one(1, 0, tcp.b, tcp.n, 53001, 53), AP_DNS);
	assert_proto(one(1, 0, tcp.b, tcp.n, 53001, 5353), AP_NONE);

	/* mDNS (RFC 6762): id 0, a PTR question with the unicast-response bit. */
	dns_query(&q, 0, 0, hap, 12, 0x8001, 0);
	assert_proto(one(0, 0, q.b, q.n, 5353, 5353), AP_MDNS);
	dns_query(&q, 0, 0x8400, hap, 12, 1, 1);
	assert_proto(one(0, 0, q.b, q.n, 5353, 5353), AP_MDNS);
	/* LLMNR (RFC 4795) on 5355 is DNS-shaped. */
	assert_proto(one(0, 0, q.b, q.n, 50000, 5355), AP_DNS);
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

	assert_proto(one(0, 0, msearch, sizeof msearch - 1, 50400, 1900), AP_SSDP);
	assert_proto(one(0, 0, msearch, sizeof msearch - 1, 50400, 50401), AP_SSDP);
	assert_proto(one(0, 0, notify, sizeof notify - 1, 1900, 1900), AP_SSDP);
	assert_proto(one(0, 1, reply, sizeof reply - 1, 50400, 1900), AP_SSDP);
	assert_proto(one(0, 1, reply, sizeof reply - 1, 1900, 50400), AP_SSDP);
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

	assert_proto(one(0, 0, get, sizeof get, 50500, 5683), AP_COAP);
	assert_proto(one(0, 1, content, sizeof content, 50500, 5683), AP_COAP);
	assert_proto(one(0, 0, get, sizeof get, 50500, 50501), AP_COAP);
	assert_proto(one(0, 0, reset, sizeof reset, 50500, 5683), AP_COAP);
	assert_proto(one(0, 0, v2, sizeof v2, 50500, 5683), AP_NONE);
	assert_proto(one(0, 0, tkl9, sizeof tkl9, 50500, 5683), AP_NONE);
	assert_proto(one(0, 0, code_3, sizeof code_3, 50500, 5683), AP_NONE);
	/* A CoAP header is 4 bytes: two are not a message, even on the CoAP port. */
	assert_proto(one(0, 0, get, 2, 50500, 5683), AP_NONE);
	assert_proto(one(0, 0, get, 2, 50500, 50501), AP_NONE);
}

/*
 * What CoAP's four-byte header must not swallow: a version of 1 is the top bits 01, which
 * every QUIC short header (RFC 9000 17.3: form 0, fixed bit 1) and every ASCII letter from
 * '@' to 'O' has.  The SSDP answer to an M-SEARCH often comes from an ephemeral port.
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
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint8_t b[100];
	int coap = 0;

	assert_true(one(0, 1, reply, sizeof reply - 1, 50400, 50401) != AP_COAP);
	assert_true(one(0, 0, short_hdr, sizeof short_hdr, 50700, 443) != AP_COAP);
	/* Random datagrams between ephemeral ports: CoAP should be rare, not 1 in 13. */
	for (int i = 0; i < 10000; i++) {
		for (size_t k = 0; k < sizeof b; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			b[k] = (uint8_t)(x >> 56);
		}
		coap += one(0, 0, b, sizeof b, 50800, 50801) == AP_COAP;
	}
	if (coap > 50)
		fail_msg("%d of 10000 random datagrams taken for CoAP", coap);
}

/* NTP (RFC 5905 7.3): LI, VN, Mode in the first byte; 48 bytes. */
static void
ntp_packet(struct msg *m, uint8_t first, uint8_t stratum, int server)
{
	memset(m, 0, sizeof *m);
	put8(m, first);
	put8(m, stratum);
	put8(m, server ? 6 : 0);		/* poll */
	put8(m, server ? 0xe9 : 0);		/* precision */
	put32(m, server ? 0x00000010 : 0);	/* root delay */
	put32(m, server ? 0x00000020 : 0);	/* root dispersion */
	put32(m, server ? 0xc0a80101 : 0);	/* reference id */
	fill(m, 0, 8);				/* reference timestamp */
	fill(m, 0, 8);				/* origin */
	fill(m, 0, 8);				/* receive */
	put32(m, 0xe9f3a1b2);			/* transmit, 2024 */
	put32(m, 0x12345678);
	assert_int_equal(m->n, 48);
}

static void
test_ntp(void **state)
{
	(void)state;
	struct msg m;

	ntp_packet(&m, 0x23, 0, 0);			/* LI 0, VN 4, client */
	assert_proto(one(0, 0, m.b, m.n, 50600, 123), AP_NTP);
	assert_proto(one(0, 0, m.b, m.n, 123, 123), AP_NTP);
	ntp_packet(&m, 0x1b, 0, 0);			/* VN 3, as SNTP clients send */
	assert_proto(one(0, 0, m.b, m.n, 50600, 123), AP_NTP);
	ntp_packet(&m, 0x24, 2, 1);			/* server */
	assert_proto(one(0, 1, m.b, m.n, 50600, 123), AP_NTP);
	ntp_packet(&m, 0x23, 0, 0);
	assert_proto(one(0, 0, m.b, 47, 50600, 123), AP_NONE);	/* too short */
	assert_proto(one(0, 0, m.b, m.n, 50600, 50601), AP_NONE);	/* port needed */
	ntp_packet(&m, 0x03, 0, 0);			/* VN 0 */
	assert_proto(one(0, 0, m.b, m.n, 50600, 123), AP_NONE);

	/*
	 * LI 3 (clock not synchronised), VN 4, client, every other field zero but the
	 * transmit time: what systemd-timesyncd sends.  Not QUIC, whose long header it
	 * resembles (first byte 0xe3, then a zero "version").
	 */
	ntp_packet(&m, 0xe3, 0, 0);
	assert_proto(one(0, 0, m.b, m.n, 50600, 123), AP_NTP);
}

/* QUIC long headers (RFC 9000 17.2), QUIC v2 (RFC 9369), gQUIC, and DTLS (RFC 6347). */
static void
quic_initial(struct msg *m, uint32_t version, uint8_t dcid_len)
{
	memset(m, 0, sizeof *m);
	put8(m, 0xc3);				/* long, fixed bit, Initial, 4-byte packet number */
	put32(m, version);
	put8(m, dcid_len);
	for (unsigned i = 0; i < dcid_len; i++)
		put8(m, 0x80 + i);
	put8(m, 0);				/* SCID length */
	put8(m, 0);				/* token length */
	put16(m, 0x4000 | 1162);		/* length, a 2-byte varint */
	put32(m, 0);				/* packet number */
	while (m->n < 1200)
		put8(m, (unsigned)(m->n * 7));
}

static void
test_quic_dtls(void **state)
{
	(void)state;
	struct msg m;

	quic_initial(&m, 1, 8);
	assert_proto(one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	assert_proto(one(0, 0, m.b, m.n, 50700, 4433), AP_QUIC);
	quic_initial(&m, 0x6b3343cf, 8);		/* QUIC v2 */
	assert_proto(one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	quic_initial(&m, 0xff00001d, 20);		/* draft-29, the longest DCID */
	assert_proto(one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	quic_initial(&m, 0x51303530, 8);		/* gQUIC "Q050" in a long header */
	assert_proto(one(0, 0, m.b, m.n, 50700, 443), AP_QUIC);
	quic_initial(&m, 1, 21);			/* DCID longer than 20 */
	assert_true(one(0, 0, m.b, m.n, 50700, 4433) != AP_QUIC);
	quic_initial(&m, 0x12345678, 8);		/* an unknown version */
	assert_true(one(0, 0, m.b, m.n, 50700, 4433) != AP_QUIC);
	quic_initial(&m, 1, 8);
	m.b[0] = 0x43;					/* a short header: indistinct */
	assert_true(one(0, 0, m.b, m.n, 50700, 4433) != AP_QUIC);
	quic_initial(&m, 1, 8);
	assert_proto(one(0, 0, m.b, 5, 50700, 443), AP_NONE);	/* no DCID length */

	/* gQUIC Q043: public flags 0x0d, an 8-byte connection id, the version. */
	static const uint8_t q043[] = { 0x0d, 1, 2, 3, 4, 5, 6, 7, 8, 'Q', '0', '4', '3', 0x01,
		0xa0, 0x01 };
	assert_proto(one(0, 0, q043, sizeof q043, 50701, 443), AP_QUIC);

	/* DTLS 1.2 ClientHello record: content type 22, version 254.253. */
	static const uint8_t dtls[] = { 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 1, 0,
		0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0x04, 0xfe, 0xfd, 0, 0 };
	assert_proto(one(0, 0, dtls, sizeof dtls, 50702, 5684), AP_DTLS);
	static const uint8_t dtls_app[] = { 23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 4, 1, 2,
		3, 4 };
	assert_proto(one(0, 0, dtls_app, sizeof dtls_app, 50702, 5684), AP_DTLS);
}

/* DHCP (RFC 2131): 236 bytes of BOOTP, the magic cookie, options. */
static void
test_dhcp(void **state)
{
	(void)state;
	struct msg m;

	memset(&m, 0, sizeof m);
	put8(&m, 1);			/* BOOTREQUEST */
	put8(&m, 1);
	put8(&m, 6);
	put8(&m, 0);
	put32(&m, 0x3903f326);		/* xid */
	put16(&m, 0);
	put16(&m, 0x8000);		/* broadcast */
	fill(&m, 0, 16);		/* ciaddr yiaddr siaddr giaddr */
	put(&m, "\x00\x0b\x82\x01\xfc\x42", 6);
	fill(&m, 0, 10 + 64 + 128);
	assert_int_equal(m.n, 236);
	put32(&m, 0x63825363);
	put(&m, "\x35\x01\x01\xff", 4);	/* DHCPDISCOVER, end */
	assert_proto(one(0, 0, m.b, m.n, 68, 67), AP_DHCP);
	assert_proto(one(0, 1, m.b, m.n, 67, 68), AP_DHCP);
	assert_true(one(0, 0, m.b, m.n, 40000, 40001) != AP_DHCP);
	m.b[236] = 0x64;				/* a wrong cookie */
	assert_true(one(0, 0, m.b, m.n, 68, 67) != AP_DHCP);
}

static void
test_guess(void **state)
{
	(void)state;
	static const struct {
		int		 tcp;
		uint16_t	 cport, sport;
		enum app_proto	 p;
	} cases[] = {
		{ 1, 50000, 443, AP_TLS }, { 1, 50000, 8883, AP_TLS }, { 1, 50000, 80, AP_HTTP },
		{ 1, 50000, 22, AP_SSH }, { 1, 50000, 554, AP_RTSP }, { 1, 50000, 1883, AP_MQTT },
		{ 1, 50000, 23, AP_TELNET }, { 1, 50000, 143, AP_IMAP }, { 1, 50000, 53, AP_DNS },
		{ 0, 50000, 53, AP_DNS }, { 0, 50000, 443, AP_QUIC }, { 0, 50000, 5684, AP_DTLS },
		{ 0, 50000, 123, AP_NTP }, { 0, 68, 67, AP_DHCP }, { 0, 50000, 1900, AP_SSDP },
		{ 0, 50000, 5683, AP_COAP }, { 0, 5353, 5353, AP_MDNS },
		/* The server's port first, then the client's. */
		{ 1, 1883, 50000, AP_MQTT }, { 1, 80, 443, AP_TLS },
		{ 1, 50000, 50001, AP_NONE }, { 0, 50000, 80, AP_NONE }, { 1, 50000, 123, AP_NONE },
	};
	struct flow_app a;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		detect_init(&a);
		detect_guess(&a, cases[i].tcp, cases[i].cport, cases[i].sport);
		if (a.proto != cases[i].p)
			fail_msg("case %zu: %d, want %d", i, a.proto, cases[i].p);
		assert_int_equal(a.guessed, cases[i].p != AP_NONE);
	}
	/* The payload's word stands. */
	detect_init(&a);
	a.proto = AP_SSH;
	detect_guess(&a, 1, 50000, 443);
	assert_int_equal(a.proto, AP_SSH);
	assert_false(a.guessed);
}

/* How a TCP direction is gathered: in order, bounded, given up on. */
static void
test_tcp_gathering(void **state)
{
	(void)state;
	static const char req[] = "GET /a HTTP/1.1\r\nHost: seq.example\r\n\r\n";
	uint8_t junk[600];
	struct flow f;

	/* A segment past a hole waits; the missing one, then the later one, complete it. */
	flow_start(&f, 1, 51000, 80);
	detect_packet(&f.a, f.sp, 1, 0, 1000, (struct span){ (const uint8_t *)req, 4 },
	    51000, 80);
	detect_packet(&f.a, f.sp, 1, 0, 1010, (struct span){ (const uint8_t *)req + 10,
	    sizeof req - 11 }, 51000, 80);
	assert_proto(f.a.proto, AP_HTTP);		/* "GET " was enough */
	assert_null(f.a.http_host);
	assert_int_equal(f.a.dir[0].len, 4);
	detect_packet(&f.a, f.sp, 1, 0, 1004, (struct span){ (const uint8_t *)req + 4, 6 },
	    51000, 80);
	assert_int_equal(f.a.dir[0].len, 10);
	detect_packet(&f.a, f.sp, 1, 0, 1010, (struct span){ (const uint8_t *)req + 10,
	    sizeof req - 11 }, 51000, 80);
	assert_string_equal(f.a.http_host, "seq.example");
	flow_end(&f);

	/* Nothing recognisable: the direction is given up after DETECT_PACKETS segments. */
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 151 + 0x80);
	flow_start(&f, 1, 51001, 7777);
	for (int i = 0; i < DETECT_PACKETS; i++) {
		assert_false(f.a.dir[0].done);
		flow_send(&f, 0, junk, 100);
	}
	assert_true(f.a.dir[0].done);
	assert_null(f.a.dir[0].buf);
	assert_proto(f.a.proto, AP_NONE);
	flow_end(&f);

	/* Or after DETECT_HEAD bytes. */
	flow_start(&f, 1, 51002, 7777);
	for (int i = 0; i < 7; i++)
		flow_send(&f, 0, junk, sizeof junk);
	assert_true(f.a.dir[0].done);
	assert_int_equal(f.a.dir[0].len, 0);
	flow_end(&f);

	/* Out-of-order segments only: given up after twice DETECT_PACKETS. */
	flow_start(&f, 1, 51003, 7777);
	flow_send(&f, 0, junk, 10);
	for (int i = 0; i < 2 * DETECT_PACKETS; i++)
		detect_packet(&f.a, f.sp, 1, 0, 0x10000000u + 5000, (struct span){ junk, 10 },
		    51003, 7777);
	assert_true(f.a.dir[0].done);
	flow_end(&f);

	/* UDP: each datagram alone, at most DETECT_PACKETS of them. */
	flow_start(&f, 0, 51004, 7777);
	for (int i = 0; i < DETECT_PACKETS; i++)
		flow_send(&f, 0, junk, 100);
	assert_true(f.a.dir[0].done);
	assert_null(f.a.dir[0].buf);
	flow_end(&f);

	/* An empty payload is no packet. */
	flow_start(&f, 1, 51005, 80);
	flow_send(&f, 0, req, 0);
	assert_false(f.a.dir[0].started);
	flow_end(&f);
}

/*
 * Every sample above, cut at every length, over TCP and UDP, in both directions and on the
 * ports that switch recognisers on: nothing is read past the bytes given (AddressSanitizer,
 * exact-size blocks) and what is recorded stays within its bounds.
 */
static void
check_bounds(const struct flow_app *a)
{
	assert_true(a->proto < AP_COUNT);
	assert_true(a->dir[0].media <= MEDIA_ZSTD && a->dir[1].media <= MEDIA_ZSTD);
	assert_true(a->sni == NULL || strlen(a->sni) <= 255);
	assert_true(a->alpn == NULL || strlen(a->alpn) <= 64);
	assert_true(a->http_host == NULL || strlen(a->http_host) <= 255);
	assert_true(a->http_ctype == NULL || strlen(a->http_ctype) <= 128);
	assert_true(a->http_method == NULL || strlen(a->http_method) <= 16);
	assert_true(a->banner == NULL || strlen(a->banner) <= 128);
	assert_true(a->dir[0].len <= DETECT_HEAD && a->dir[1].len <= DETECT_HEAD);
}

static void
test_every_prefix(void **state)
{
	(void)state;
	static const uint16_t ports[] = { 21, 25, 53, 67, 110, 123, 443, 554, 1883, 1900, 5353,
		5355, 5683, 40000 };
	static const char *const example[] = { "example", "com", NULL };
	struct msg s[16];
	size_t ns = 0;
	struct ch o;

	default_hello(&s[ns++], &o);
	memset(&s[ns], 0, sizeof s[ns]);
	server_hello(&s[ns++], 0x0304, "h2");
	mqtt_connect(&s[ns++], 0, 200);
	dns_query(&s[ns++], 1, 0x0100, example, 1, 1, 1);
	ntp_packet(&s[ns++], 0xe3, 0, 0);
	quic_initial(&s[ns++], 1, 8);
	memset(&s[ns], 0, sizeof s[ns]);
	puts_(&s[ns++], "POST /u HTTP/1.1\r\nHost: h\r\nContent-Type: image/png\r\n\r\n"
	    "\x89PNG\r\n\x1a\n");
	memset(&s[ns], 0, sizeof s[ns]);
	puts_(&s[ns++], "DESCRIBE rtsp://c/l RTSP/1.0\r\nCSeq: 3\r\n\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	puts_(&s[ns++], "SSH-2.0-x\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	puts_(&s[ns++], "220 ftp FTP ready\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	puts_(&s[ns++], "M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	put(&s[ns++], "\x41\x01\x8c\x2a\x7a\xb4temp", 9);
	memset(&s[ns], 0, sizeof s[ns]);
	put(&s[ns++], "\x0d\x01\x02\x03\x04\x05\x06\x07\x08Q043\x01", 14);
	memset(&s[ns], 0, sizeof s[ns]);
	put(&s[ns++], "\x00\x00\x00\x20" "ftypisom", 12);

	for (size_t i = 0; i < ns; i++)
		for (size_t len = 1; len <= s[i].n; len++)
			for (int tcp = 0; tcp < 2; tcp++)
				for (int dir = 0; dir < 2; dir++)
					for (size_t p = 0; p < sizeof ports / sizeof *ports;
					    p++) {
						struct flow f;
						flow_start(&f, tcp, 50000, ports[p]);
						flow_send(&f, dir, s[i].b, len);
						flow_send(&f, !dir, s[i].b, len);
						check_bounds(&f.a);
						flow_end(&f);
					}
}

/* Random payloads of random lengths: no crash, bounds kept. */
static void
test_garbage(void **state)
{
	(void)state;
	static const uint16_t ports[] = { 21, 53, 80, 123, 443, 1883, 1900, 5353, 5683, 9999 };
	uint64_t x = 0x2545f4914f6cdd1dULL;
	uint8_t buf[1500];

	for (int i = 0; i < 3000; i++) {
		struct flow f;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = 1 + (size_t)(x % sizeof buf);
		uint16_t port = ports[(x >> 20) % (sizeof ports / sizeof *ports)];
		int tcp = (int)(x >> 40 & 1);
		for (size_t k = 0; k < n; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[k] = (uint8_t)(x >> 56);
		}
		/* Some start as a protocol would, so recognisers read further. */
		static const uint8_t starts[][6] = { { 22, 3, 1, 5, 0, 1 }, { 0x10, 0x7f, 0, 4,
			'M', 'Q' }, { 'G', 'E', 'T', ' ', '/', ' ' }, { 0xc3, 0, 0, 0, 1, 8 },
			{ 0x12, 0x34, 0x01, 0x00, 0x00, 0x01 } };
		if (i % 2 == 0 && n >= 6)
			memcpy(buf, starts[(i / 2) % 5], 6);
		flow_start(&f, tcp, 50000, port);
		flow_send(&f, 0, buf, n);
		flow_send(&f, 1, buf, n / 2 + 1);
		flow_send(&f, 0, buf, n);
		check_bounds(&f.a);
		flow_end(&f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_media_magic),
		cmocka_unit_test(test_tls13),
		cmocka_unit_test(test_tls12),
		cmocka_unit_test(test_tls_offered_versions),
		cmocka_unit_test(test_tls_server_hello_segments),
		cmocka_unit_test(test_tls_truncated),
		cmocka_unit_test(test_tls_hello_two_segments),
		cmocka_unit_test(test_tls_split_everywhere),
		cmocka_unit_test(test_tls_lengths_overflow),
		cmocka_unit_test(test_tls_sni_hostile),
		cmocka_unit_test(test_tls_not_hello),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_http_split_head),
		cmocka_unit_test(test_http_media),
		cmocka_unit_test(test_rtsp),
		cmocka_unit_test(test_mqtt),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_greetings),
		cmocka_unit_test(test_telnet),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ssdp),
		cmocka_unit_test(test_coap),
		cmocka_unit_test(test_coap_lookalikes),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_quic_dtls),
		cmocka_unit_test(test_dhcp),
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_tcp_gathering),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
