/*
 * test-detect-tls.c — TLS, SSLv2 and DTLS detection (detect.h): the version a ClientHello
 * offers and a ServerHello chooses, SNI, ALPN; Hellos cut at every length, split over
 * segments at every point, lengths that run past the record, names holding control bytes,
 * records that are not Hellos.  Every Hello is built byte by byte here from its RFC.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "detect-util.h"

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
client_hello(struct dt_msg *m, struct ch *o)
{
	size_t rec, hs, cs, exts, e, l;

	dt_put8(m, 22);				/* handshake */
	dt_put16(m, 0x0301);			/* legacy_record_version */
	rec = o->rec_len_at = dt_open_len(m, 2);
	dt_put8(m, 1);				/* client_hello */
	hs = o->hs_len_at = dt_open_len(m, 3);
	dt_put16(m, o->version);
	for (int i = 0; i < 32; i++)		/* random */
		dt_put8(m, (unsigned)(i * 37 + 11));
	dt_put8(m, 32);				/* legacy_session_id */
	for (int i = 0; i < 32; i++)
		dt_put8(m, 0xa0u + (unsigned)i);
	cs = dt_open_len(m, 2);
	dt_put16(m, 0x1301);			/* TLS_AES_128_GCM_SHA256 */
	dt_put16(m, 0x1302);
	dt_put16(m, 0xc02f);			/* ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	dt_close_len(m, cs, 2);
	dt_put8(m, 1);				/* legacy_compression_methods: null */
	dt_put8(m, 0);
	exts = o->exts_len_at = dt_open_len(m, 2);

	dt_put16(m, 11);			/* ec_point_formats: uncompressed */
	o->ext0_len_at = m->n;
	dt_put16(m, 2);
	dt_put8(m, 1);
	dt_put8(m, 0);
	if (o->big) {
		dt_put16(m, 51);		/* key_share */
		e = dt_open_len(m, 2);
		l = dt_open_len(m, 2);
		dt_put16(m, 0x11ec);		/* X25519MLKEM768 */
		dt_put16(m, 1216);
		for (int i = 0; i < 1216; i++)
			dt_put8(m, (unsigned)(i * 131 + 7));
		dt_put16(m, 0x001d);		/* x25519 */
		dt_put16(m, 32);
		for (int i = 0; i < 32; i++)
			dt_put8(m, (unsigned)(i * 29 + 3));
		dt_close_len(m, l, 2);
		dt_close_len(m, e, 2);
		dt_put16(m, 21);		/* padding (RFC 7685) */
		dt_put16(m, 400);
		dt_fill(m, 0, 400);
	}
	if (o->sni != NULL) {
		size_t n = o->sni_len != 0 ? o->sni_len : strlen(o->sni);
		dt_put16(m, 0);			/* server_name */
		e = dt_open_len(m, 2);
		l = dt_open_len(m, 2);		/* server_name_list */
		dt_put8(m, o->sni_type);
		dt_put16(m, (unsigned)n);
		dt_put(m, o->sni, n);
		o->sni_end = m->n;
		dt_close_len(m, l, 2);
		dt_close_len(m, e, 2);
	}
	if (o->alpn) {
		dt_put16(m, 16);		/* application_layer_protocol_negotiation */
		e = dt_open_len(m, 2);
		l = dt_open_len(m, 2);
		dt_put8(m, 2);
		dt_puts(m, "h2");
		o->alpn_end = m->n;
		dt_put8(m, 8);
		dt_puts(m, "http/1.1");
		dt_close_len(m, l, 2);
		dt_close_len(m, e, 2);
	}
	if (o->versions != NULL) {
		dt_put16(m, 43);		/* supported_versions */
		e = dt_open_len(m, 2);
		l = dt_open_len(m, 1);
		for (const uint16_t *v = o->versions; *v != 0; v++)
			dt_put16(m, *v);
		dt_close_len(m, l, 1);
		dt_close_len(m, e, 2);
	}
	dt_put16(m, 10);			/* supported_groups */
	e = dt_open_len(m, 2);
	l = dt_open_len(m, 2);
	dt_put16(m, 0x001d);
	dt_put16(m, 0x0017);
	dt_close_len(m, l, 2);
	dt_close_len(m, e, 2);

	dt_close_len(m, exts, 2);
	dt_close_len(m, hs, 3);
	dt_close_len(m, rec, 2);
}

/* A ServerHello choosing version (1.3 through supported_versions) and alpn if given. */
static void
server_hello(struct dt_msg *m, uint16_t version, const char *alpn)
{
	size_t rec, hs, exts, e, l;

	dt_put8(m, 22);
	dt_put16(m, 0x0303);
	rec = dt_open_len(m, 2);
	dt_put8(m, 2);				/* server_hello */
	hs = dt_open_len(m, 3);
	dt_put16(m, version >= 0x0304 ? 0x0303 : version);	/* legacy_version */
	for (int i = 0; i < 32; i++)
		dt_put8(m, (unsigned)(i * 53 + 1));
	dt_put8(m, 32);				/* legacy_session_id_echo */
	for (int i = 0; i < 32; i++)
		dt_put8(m, 0xa0u + (unsigned)i);
	dt_put16(m, version >= 0x0304 ? 0x1301 : 0xc02f);
	dt_put8(m, 0);
	exts = dt_open_len(m, 2);
	if (version >= 0x0304) {
		dt_put16(m, 43);
		dt_put16(m, 2);
		dt_put16(m, version);
		dt_put16(m, 51);		/* key_share: x25519 */
		dt_put16(m, 36);
		dt_put16(m, 0x001d);
		dt_put16(m, 32);
		for (int i = 0; i < 32; i++)
			dt_put8(m, (unsigned)(i * 17 + 5));
	} else {
		dt_put16(m, 0xff01);		/* renegotiation_info, empty */
		dt_put16(m, 1);
		dt_put8(m, 0);
	}
	if (alpn != NULL) {
		dt_put16(m, 16);
		e = dt_open_len(m, 2);
		l = dt_open_len(m, 2);
		dt_put8(m, (unsigned)strlen(alpn));
		dt_puts(m, alpn);
		dt_close_len(m, l, 2);
		dt_close_len(m, e, 2);
	}
	dt_close_len(m, exts, 2);
	dt_close_len(m, hs, 3);
	dt_close_len(m, rec, 2);
}

/* The ClientHello most tests use: TLS 1.3 offered, SNI example.com, ALPN h2. */
static void
default_hello(struct dt_msg *m, struct ch *o)
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
test_tls_version_names(void **state)
{
	(void)state;
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

static void
test_tls13(void **state)
{
	(void)state;
	struct dt_msg ch, sh;
	struct ch o;
	struct dt_flow f;

	default_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0304, "http/1.1");

	dt_flow_start(&f, 1, 51000, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_offered, 0x0304);
	assert_int_equal(f.a.tls_version, 0);
	assert_string_equal(f.a.sni, "example.com");
	assert_string_equal(f.a.alpn, "h2");		/* the first offered */
	assert_true(f.a.dir[0].done);
	assert_null(f.a.dir[0].buf);
	assert_false(f.a.dir[1].done);

	dt_flow_send(&f, 1, sh.b, sh.n);
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
	dt_flow_send(&f, 0, appdata, sizeof appdata);
	dt_flow_send(&f, 1, appdata, sizeof appdata);
	assert_int_equal(f.a.tls_version, 0x0304);
	dt_flow_end(&f);
}

static void
test_tls12(void **state)
{
	(void)state;
	struct dt_msg ch, sh;
	struct ch o = { .version = 0x0303, .sni = "iot.example.net" };
	struct dt_flow f;

	memset(&ch, 0, sizeof ch);
	client_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0303, NULL);

	dt_flow_start(&f, 1, 51001, 8883);
	dt_flow_send(&f, 0, ch.b, ch.n);
	dt_flow_send(&f, 1, sh.b, sh.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_offered, 0x0303);
	assert_int_equal(f.a.tls_version, 0x0303);
	assert_string_equal(tls_version_name(f.a.tls_version), "TLS 1.2");
	assert_string_equal(f.a.sni, "iot.example.net");
	assert_null(f.a.alpn);
	dt_flow_end(&f);

	/* TLS 1.0 both ways; and a ServerHello alone, which says what was chosen. */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0301, .sni = "old.example" };
	client_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0301, NULL);
	dt_flow_start(&f, 1, 51002, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	dt_flow_send(&f, 1, sh.b, sh.n);
	assert_int_equal(f.a.tls_offered, 0x0301);
	assert_int_equal(f.a.tls_version, 0x0301);
	dt_flow_end(&f);

	dt_flow_start(&f, 1, 51003, 443);
	dt_flow_send(&f, 1, sh.b, sh.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_int_equal(f.a.tls_version, 0x0301);
	assert_int_equal(f.a.tls_offered, 0);
	assert_null(f.a.sni);
	dt_flow_end(&f);
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
		struct dt_msg ch;
		struct ch o = { .version = cases[i].legacy, .sni = "v.example",
			.versions = cases[i].list };
		struct dt_flow f;

		memset(&ch, 0, sizeof ch);
		client_hello(&ch, &o);
		dt_flow_start(&f, 1, 52000, 443);
		dt_flow_send(&f, 0, ch.b, ch.n);
		if (f.a.tls_offered != cases[i].want)
			fail_msg("case %zu: offered %#x, want %#x", i, f.a.tls_offered,
			    cases[i].want);
		dt_flow_end(&f);
	}
}

/* The server's direction waits for the ServerHello's version, over several segments. */
static void
test_tls_server_hello_segments(void **state)
{
	(void)state;
	struct dt_msg ch, sh;
	struct ch o;
	struct dt_flow f;

	default_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0304, NULL);
	dt_flow_start(&f, 1, 52001, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	dt_flow_send(&f, 1, sh.b, 5);			/* the record header alone */
	assert_int_equal(f.a.tls_version, 0);
	assert_false(f.a.dir[1].done);
	dt_flow_send(&f, 1, sh.b + 5, 40);
	assert_int_equal(f.a.tls_version, 0);
	assert_false(f.a.dir[1].done);
	dt_flow_send(&f, 1, sh.b + 45, sh.n - 45);
	assert_int_equal(f.a.tls_version, 0x0304);
	assert_true(f.a.dir[1].done);
	dt_flow_end(&f);
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
	struct dt_msg ch;
	struct ch o;
	size_t bogus = 0, first = 0;
	char seen[300] = "";

	default_hello(&ch, &o);
	for (size_t len = 1; len <= ch.n; len++) {
		struct dt_flow f;

		dt_flow_start(&f, 1, 52002, 443);
		dt_flow_send(&f, 0, ch.b, len);
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
		dt_flow_end(&f);
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
	struct dt_msg ch;
	struct ch o = { .version = 0x0303, .sni = "device.example.com", .alpn = 1,
		.versions = v13, .big = 1 };
	struct dt_flow f;
	const size_t mss = 1448;

	memset(&ch, 0, sizeof ch);
	client_hello(&ch, &o);
	assert_true(ch.n > mss && o.sni_end > mss);
	dt_flow_start(&f, 1, 52003, 443);
	dt_flow_send(&f, 0, ch.b, mss);
	dt_flow_send(&f, 0, ch.b + mss, ch.n - mss);
	assert_proto(f.a.proto, AP_TLS);
	int sni_ok = f.a.sni != NULL && strcmp(f.a.sni, "device.example.com") == 0;
	uint16_t offered = f.a.tls_offered;
	dt_flow_end(&f);
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
	struct dt_msg ch;
	struct ch o;
	size_t wrong = 0, first = 0;

	default_hello(&ch, &o);
	for (size_t k = 1; k < ch.n; k++) {
		struct dt_flow f;

		dt_flow_start(&f, 1, 52004, 443);
		dt_flow_send(&f, 0, ch.b, k);
		dt_flow_send(&f, 0, ch.b + k, ch.n - k);
		int ok = f.a.proto == AP_TLS && f.a.sni != NULL &&
		    strcmp(f.a.sni, "example.com") == 0 && f.a.tls_offered == 0x0304;
		if (!ok && wrong++ == 0)
			first = k;
		dt_flow_end(&f);
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
	struct dt_msg ch;
	struct ch o;
	struct dt_flow f;

	/* The first extension claims 0xffff bytes: it swallows the rest, names included. */
	default_hello(&ch, &o);
	dt_set16(&ch, o.ext0_len_at, 0xffff);
	dt_flow_start(&f, 1, 52005, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_null(f.a.sni);
	assert_null(f.a.alpn);
	assert_int_equal(f.a.tls_offered, 0x0303);	/* supported_versions swallowed too */
	dt_flow_end(&f);

	/*
	 * The extensions block, or the handshake, claims more than the record holds: lengths
	 * are clamped to what is there, and the extensions inside are whole.
	 */
	default_hello(&ch, &o);
	dt_set16(&ch, o.exts_len_at, 0xffff);
	dt_flow_start(&f, 1, 52006, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_string_equal(f.a.sni, "example.com");
	assert_int_equal(f.a.tls_offered, 0x0304);
	dt_flow_end(&f);

	default_hello(&ch, &o);
	ch.b[o.hs_len_at] = 0xff;
	ch.b[o.hs_len_at + 1] = 0xff;
	ch.b[o.hs_len_at + 2] = 0xff;
	dt_flow_start(&f, 1, 52007, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_string_equal(f.a.sni, "example.com");
	dt_flow_end(&f);

	/*
	 * A whole record whose host name runs past its end: the record, handshake and
	 * extensions lengths agree with a record that stops four bytes into the name.
	 */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = "example.com" };
	client_hello(&ch, &o);
	size_t cut = o.sni_end - 7;
	dt_set16(&ch, o.rec_len_at, (unsigned)(cut - 5));
	ch.b[o.hs_len_at] = 0;
	dt_set16(&ch, o.hs_len_at + 1, (unsigned)(cut - 9));
	dt_set16(&ch, o.exts_len_at, (unsigned)(cut - o.exts_len_at - 2));
	dt_flow_start(&f, 1, 52008, 443);
	dt_flow_send(&f, 0, ch.b, cut);
	assert_proto(f.a.proto, AP_TLS);
	char seen[16] = "";
	int got = f.a.sni != NULL;
	if (got)
		snprintf(seen, sizeof seen, "%s", f.a.sni);
	dt_flow_end(&f);
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
	struct dt_msg ch;
	struct ch o;
	struct dt_flow f;

	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = ctl, .versions = v13 };
	client_hello(&ch, &o);
	dt_flow_start(&f, 1, 52010, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	dt_assert_raw(f.a.sni, ctl, sizeof ctl - 1);
	dt_flow_end(&f);

	/* The pool holds NUL-free strings: the name ends at its NUL. */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = nul, .sni_len = sizeof nul - 1 };
	client_hello(&ch, &o);
	dt_flow_start(&f, 1, 52011, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_string_equal(f.a.sni, "good.example");
	dt_flow_end(&f);

	/* Longer than DNS allows: the first 255 bytes. */
	memset(longname, 'a', sizeof longname);
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = longname, .sni_len = sizeof longname };
	client_hello(&ch, &o);
	dt_flow_start(&f, 1, 52012, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	dt_assert_raw(f.a.sni, longname, 255);
	dt_flow_end(&f);

	/* An empty name, and a name_type other than host_name, give none. */
	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = "", .alpn = 1 };
	client_hello(&ch, &o);
	dt_flow_start(&f, 1, 52013, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_null(f.a.sni);
	assert_string_equal(f.a.alpn, "h2");
	dt_flow_end(&f);

	memset(&ch, 0, sizeof ch);
	o = (struct ch){ .version = 0x0303, .sni = "typed.example", .sni_type = 1 };
	client_hello(&ch, &o);
	dt_flow_start(&f, 1, 52014, 443);
	dt_flow_send(&f, 0, ch.b, ch.n);
	assert_proto(f.a.proto, AP_TLS);
	assert_null(f.a.sni);
	dt_flow_end(&f);
}

/* What looks like TLS but is not a Hello; and SSLv2. */
static void
test_tls_not_hello(void **state)
{
	(void)state;
	struct dt_msg ch;
	struct ch o;

	default_hello(&ch, &o);
	ch.b[0] = 23;					/* application data */
	assert_proto(dt_one(1, 0, ch.b, ch.n, 52020, 443), AP_NONE);
	default_hello(&ch, &o);
	ch.b[5] = 11;					/* certificate */
	assert_proto(dt_one(1, 0, ch.b, ch.n, 52021, 443), AP_NONE);
	default_hello(&ch, &o);
	ch.b[1] = 2;					/* record version 2.1 */
	assert_proto(dt_one(1, 0, ch.b, ch.n, 52022, 443), AP_NONE);
	default_hello(&ch, &o);
	ch.b[6] = ch.b[7] = 0;
	ch.b[8] = 37;					/* hello shorter than its fields */
	assert_proto(dt_one(1, 0, ch.b, ch.n, 52023, 443), AP_NONE);
	default_hello(&ch, &o);
	assert_proto(dt_one(0, 0, ch.b, ch.n, 52024, 443), AP_NONE);	/* TLS is TCP */

	/* SSLv2-compatible ClientHello: length with the top bit, type 1, version 3.1. */
	static const uint8_t ssl2[] = { 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00,
		0x00, 0x10, 0x00, 0x00, 0x04, 0x00, 0x00, 0x05, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x80,
		0x07, 0x00, 0xc0, 0x03, 0x00, 0x80, 0x00, 0x00, 0x09, 0x06, 0x00, 0x40, 0x00, 0x00,
		0x64, 0x00, 0x00, 0x62, 0x00, 0x00, 0x03, 0x06, 0x00, 0x80 };
	assert_proto(dt_one(1, 0, ssl2, sizeof ssl2, 52025, 443), AP_SSL2);
}

/*
 * The ServerHello split in two at every point.  Its ALPN comes last, after the
 * supported_versions that says 1.3: wherever the cut falls, the whole is read.
 */
static void
test_tls_server_hello_split(void **state)
{
	(void)state;
	struct dt_msg ch, sh;
	struct ch o;
	size_t bad = 0, first = 0;
	char seen[64] = "";

	default_hello(&ch, &o);
	memset(&sh, 0, sizeof sh);
	server_hello(&sh, 0x0304, "http/1.1");
	for (size_t k = 1; k < sh.n; k++) {
		struct dt_flow f;

		dt_flow_start(&f, 1, 52030, 443);
		dt_flow_send(&f, 0, ch.b, ch.n);
		dt_flow_send(&f, 1, sh.b, k);
		dt_flow_send(&f, 1, sh.b + k, sh.n - k);
		int ok = f.a.proto == AP_TLS && f.a.tls_version == 0x0304 && f.a.alpn != NULL &&
		    strcmp(f.a.alpn, "http/1.1") == 0 && f.a.dir[1].done;
		if (!ok && bad++ == 0) {
			first = k;
			snprintf(seen, sizeof seen, "version %#x, ALPN \"%s\"", f.a.tls_version,
			    f.a.alpn != NULL ? f.a.alpn : "(none)");
		}
		dt_flow_end(&f);
	}
	if (bad > 0)
		fail_msg("%zu of %zu cuts of a %zu-byte ServerHello misread it; first at %zu: %s",
		    bad, sh.n - 1, sh.n, first, seen);
}

/* DTLS (RFC 6347 4.1): a record of content type 22 or 23, version 254.x, over UDP. */
static void
test_dtls(void **state)
{
	(void)state;
	/* DTLS 1.2 ClientHello record: content type 22, version 254.253. */
	static const uint8_t dtls[] = { 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 1, 0,
		0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0x04, 0xfe, 0xfd, 0, 0 };
	static const uint8_t dtls_app[] = { 23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 4, 1, 2,
		3, 4 };

	assert_proto(dt_one(0, 0, dtls, sizeof dtls, 50702, 5684), AP_DTLS);
	assert_proto(dt_one(0, 0, dtls_app, sizeof dtls_app, 50702, 5684), AP_DTLS);
}

/* Both Hellos cut at every length, on every transport, direction and recognising port. */
static void
test_tls_every_prefix(void **state)
{
	(void)state;
	struct dt_msg s[2];
	struct ch o;

	default_hello(&s[0], &o);
	memset(&s[1], 0, sizeof s[1]);
	server_hello(&s[1], 0x0304, "h2");
	dt_every_prefix(s, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_version_names),
		cmocka_unit_test(test_tls13),
		cmocka_unit_test(test_tls12),
		cmocka_unit_test(test_tls_offered_versions),
		cmocka_unit_test(test_tls_server_hello_segments),
		cmocka_unit_test(test_tls_server_hello_split),
		cmocka_unit_test(test_tls_truncated),
		cmocka_unit_test(test_tls_hello_two_segments),
		cmocka_unit_test(test_tls_split_everywhere),
		cmocka_unit_test(test_tls_lengths_overflow),
		cmocka_unit_test(test_tls_sni_hostile),
		cmocka_unit_test(test_tls_not_hello),
		cmocka_unit_test(test_dtls),
		cmocka_unit_test(test_tls_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
