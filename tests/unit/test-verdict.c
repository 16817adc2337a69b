/*
 * test-verdict.c — the readability verdicts of verdict.h, one rule and its edges at a time:
 * too few bytes, encrypted protocols, media by magic, base64 and hex alphabets, random bytes
 * in a cleartext protocol, printable text, random and structured bytes of no known protocol,
 * and short random exchanges judged against what random bytes score rather than the fixed
 * 7.0 threshold, which is kept apart (verdict_fixed).
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
#include "entropy.h"
#include "strpool.h"
#include "verdict.h"

/* cmocka 1.1 compares integers only: a double comparison that prints both values. */
#define assert_near(a, b, eps) do {					\
	double a_ = (a), b_ = (b), e_ = (eps);				\
	if (!(a_ - b_ <= e_ && b_ - a_ <= e_))				\
		fail_msg("%s = %.15g, want %.15g within %g", #a, a_, b_, e_);	\
} while (0)

#define assert_verdict(got, want) do {					\
	enum verdict g_ = (got), w_ = (want);				\
	if (g_ != w_)							\
		fail_msg("%s: %s, want %s", #got, verdict_name(g_), verdict_name(w_));	\
} while (0)

static const struct verdict_opts defaults = { VERDICT_THRESHOLD, VERDICT_MIN_BYTES };

/*
 * xorshift64 (Marsaglia): a fixed seed, so every run judges the same bytes; its top byte
 * is as uniform as these tests need.
 */
static uint64_t
xs_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void
xs_fill(uint64_t *s, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(xs_next(s) >> 56);
}

/* Base64 (RFC 4648) of n bytes into out, which holds 4 * ((n + 2) / 3) bytes; no NUL. */
static size_t
b64_encode(const uint8_t *in, size_t n, uint8_t *out)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = (uint8_t)abc[v >> 18 & 63];
		out[o++] = (uint8_t)abc[v >> 12 & 63];
		out[o++] = i + 1 < n ? (uint8_t)abc[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? (uint8_t)abc[v & 63] : '=';
	}
	return o;
}

static size_t
hex_encode(const uint8_t *in, size_t n, uint8_t *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)digits[in[i] >> 4];
		out[2 * i + 1] = (uint8_t)digits[in[i] & 15];
	}
	return 2 * n;
}

/* The verdict of n bytes with app (or none) in direction dir; e receives the figures. */
static enum verdict
judge_opts(const void *p, size_t n, const struct flow_app *app, int dir,
    const struct verdict_opts *o, struct ent_figures *e)
{
	struct hist h;
	struct span s = { p, n };
	enum verdict v;

	hist_init(&h);
	entropy_count(&h, s);
	entropy_figures(&h, e);
	v = verdict_of(e, &h, app, dir, o);
	hist_fini(&h);
	return v;
}

static enum verdict
judge(const void *p, size_t n, const struct flow_app *app, struct ent_figures *e)
{
	return judge_opts(p, n, app, 0, &defaults, e);
}

static void
app_of(struct flow_app *a, enum app_proto p)
{
	detect_init(a);
	a->proto = (uint8_t)p;
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(V_UNKNOWN), "unknown");
	assert_string_equal(verdict_name(V_CLEARTEXT), "cleartext");
	assert_string_equal(verdict_name(V_ENCODED), "encoded");
	assert_string_equal(verdict_name(V_COMPRESSED), "compressed");
	assert_string_equal(verdict_name(V_ENCRYPTED), "encrypted");
	assert_string_equal(verdict_name(V_COUNT), "?");
	assert_string_equal(verdict_name((enum verdict)99), "?");
	assert_near(VERDICT_THRESHOLD, 7.0, 0);
	assert_int_equal(VERDICT_MIN_BYTES, 64);
}

static void
test_alphabet(void **state)
{
	(void)state;
	/* 22 hex digits, 9 more base64 characters, CR LF (in both), 4 in neither. */
	static const char s[] = "0123456789abcdefABCDEF" "ghGH+/=-_" "\r\n" "!@ \x80";
	struct hist h;
	struct span sp = { (const uint8_t *)s, sizeof s - 1 };
	double b64, hex;

	hist_init(&h);
	verdict_alphabet(&h, &b64, &hex);		/* empty: both shares 0, no division */
	assert_near(b64, 0, 0);
	assert_near(hex, 0, 0);
	entropy_count(&h, sp);
	assert_int_equal(h.total, 37);
	verdict_alphabet(&h, &b64, &hex);
	assert_near(b64, 33.0 / 37, 1e-12);
	assert_near(hex, 24.0 / 37, 1e-12);
	hist_fini(&h);
}

static void
test_too_few_bytes(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	uint8_t rnd[200];
	struct flow_app tls;
	struct ent_figures e;

	xs_fill(&seed, rnd, sizeof rnd);
	app_of(&tls, AP_TLS);
	/* 63 bytes are too few whatever they are, even in TLS: the first rule wins. */
	assert_verdict(judge(rnd, 63, NULL, &e), V_UNKNOWN);
	assert_verdict(judge(rnd, 63, &tls, &e), V_UNKNOWN);
	assert_verdict(judge("hello", 5, NULL, &e), V_UNKNOWN);
	assert_verdict(judge(rnd, 0, NULL, &e), V_UNKNOWN);
	assert_null(verdict_fixed(&e, &defaults));	/* no bytes, no fixed judgement */
	/* 64 are enough. */
	assert_verdict(judge(rnd, 64, &tls, &e), V_ENCRYPTED);

	/* min_bytes is the caller's. */
	struct verdict_opts o = { VERDICT_THRESHOLD, 201 };
	assert_verdict(judge_opts(rnd, 200, NULL, 0, &o, &e), V_UNKNOWN);
	o.min_bytes = 200;
	assert_verdict(judge_opts(rnd, 200, NULL, 0, &o, &e), V_ENCRYPTED);
	o.min_bytes = 1;
	assert_verdict(judge_opts(rnd, 0, NULL, 0, &o, &e), V_UNKNOWN);
}

static void
test_encrypted_protocols(void **state)
{
	(void)state;
	static const enum app_proto enc[] = { AP_TLS, AP_SSL2, AP_DTLS, AP_QUIC, AP_SSH };
	static const char text[] = "An encrypted protocol is encrypted whatever its bytes look "
	    "like: this is the inside of a TLS record as a broken test would see it.";
	uint64_t seed = 42;
	uint8_t rnd[1000];
	struct flow_app a;
	struct ent_figures e;

	xs_fill(&seed, rnd, sizeof rnd);
	for (size_t i = 0; i < sizeof enc / sizeof *enc; i++) {
		assert_true(detect_encrypted(enc[i]));
		app_of(&a, enc[i]);
		assert_verdict(judge(rnd, sizeof rnd, &a, &e), V_ENCRYPTED);
		assert_verdict(judge(text, sizeof text - 1, &a, &e), V_ENCRYPTED);
		/* Even with media recorded: the protocol's own encryption comes first. */
		a.dir[0].media = MEDIA_JPEG;
		assert_verdict(judge(rnd, sizeof rnd, &a, &e), V_ENCRYPTED);
	}
}

static void
test_random_no_protocol(void **state)
{
	(void)state;
	static const size_t sizes[] = { 64, 100, 256, 1000, 4096, 100000 };
	uint64_t seed = 7;
	static uint8_t rnd[100000];
	struct flow_app none;
	struct ent_figures e;

	xs_fill(&seed, rnd, sizeof rnd);
	app_of(&none, AP_NONE);
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		assert_verdict(judge(rnd, sizes[i], NULL, &e), V_ENCRYPTED);
		/* A flow_app that found nothing is the same as none at all. */
		assert_verdict(judge(rnd, sizes[i], &none, &e), V_ENCRYPTED);
		assert_true(e.printable < 0.80);
	}
	/* Long random runs also pass the fixed threshold. */
	assert_string_equal(verdict_fixed(&e, &defaults), "encrypted");
}

/*
 * The paper's 7.0 bits cannot be reached by 100 bytes (at most log2(100) = 6.64): judged
 * against the expected entropy of 100 random bytes they are encrypted, while the fixed
 * threshold calls them cleartext.
 */
static void
test_short_random(void **state)
{
	(void)state;
	uint64_t seed = 0xdeadbeefcafef00dULL;
	uint8_t rnd[100];
	struct ent_figures e;

	xs_fill(&seed, rnd, sizeof rnd);
	assert_verdict(judge(rnd, sizeof rnd, NULL, &e), V_ENCRYPTED);
	assert_int_equal(e.n, 100);
	assert_near(e.expected, entropy_expected_random(100), 0);
	assert_true(e.expected > 6.0 && e.expected < 6.64);
	assert_true(e.entropy < VERDICT_THRESHOLD);
	assert_true(e.entropy >= e.expected * (1 - VERDICT_RANDOM_MARGIN));
	assert_string_equal(verdict_fixed(&e, &defaults), "cleartext");

	/* 64 random bytes: about 5.8 bits expected, still encrypted. */
	xs_fill(&seed, rnd, 64);
	assert_verdict(judge(rnd, 64, NULL, &e), V_ENCRYPTED);
	assert_true(e.expected > 5.7 && e.expected < 5.9);
	assert_string_equal(verdict_fixed(&e, &defaults), "cleartext");

	/* The threshold is the caller's. */
	struct verdict_opts o = { 6.0, VERDICT_MIN_BYTES };
	xs_fill(&seed, rnd, sizeof rnd);
	assert_verdict(judge_opts(rnd, sizeof rnd, NULL, 0, &o, &e), V_ENCRYPTED);
	assert_string_equal(verdict_fixed(&e, &o), "encrypted");
}

static void
test_fixed(void **state)
{
	(void)state;
	struct ent_figures e;

	memset(&e, 0, sizeof e);
	assert_null(verdict_fixed(&e, &defaults));
	e.n = 1;
	e.entropy = 0;
	assert_string_equal(verdict_fixed(&e, &defaults), "cleartext");
	e.entropy = 6.999999;
	assert_string_equal(verdict_fixed(&e, &defaults), "cleartext");
	e.entropy = 7.0;			/* "below the threshold" is cleartext: 7.0 is not */
	assert_string_equal(verdict_fixed(&e, &defaults), "encrypted");
	e.entropy = 8.0;
	assert_string_equal(verdict_fixed(&e, &defaults), "encrypted");
}

static void
test_printable_text(void **state)
{
	(void)state;
	static const char text[] =
	    "POST /api/v1/telemetry HTTP/1.1\r\nHost: cloud.example.com\r\n"
	    "{\"device\": \"thermostat-7\", \"temperature\": 21.5, \"humidity\": 40.2, "
	    "\"battery\": 97, \"status\": \"ok\", \"firmware\": \"2.4.1\"}\n";
	struct flow_app a;
	struct ent_figures e;
	double b64, hex;
	struct hist h;
	struct span sp = { (const uint8_t *)text, sizeof text - 1 };

	hist_init(&h);
	entropy_count(&h, sp);
	verdict_alphabet(&h, &b64, &hex);
	hist_fini(&h);
	assert_true(b64 < 0.95);		/* spaces, quotes, colons: not an alphabet */
	assert_verdict(judge(text, sizeof text - 1, NULL, &e), V_CLEARTEXT);
	assert_near(e.printable, 1.0, 0);
	app_of(&a, AP_HTTP);
	assert_verdict(judge(text, sizeof text - 1, &a, &e), V_CLEARTEXT);
	app_of(&a, AP_MQTT);
	assert_verdict(judge(text, sizeof text - 1, &a, &e), V_CLEARTEXT);
}

/* 80% printable is cleartext; one byte less, and structured binary is encoded. */
static void
test_printable_edge(void **state)
{
	(void)state;
	static const char words[] = "the quick brown fox jumps over the lazy dog, again and "
	    "again and again, twice over";
	uint8_t buf[100];
	struct ent_figures e;

	assert_true(sizeof words - 1 >= 80);
	for (int printable = 80; printable >= 79; printable--) {
		memcpy(buf, words, (size_t)printable);
		/* The rest: bytes 0x80.., not printable and not in either alphabet. */
		for (int i = printable; i < 100; i++)
			buf[i] = (uint8_t)(0x80 + i - printable);
		enum verdict v = judge(buf, sizeof buf, NULL, &e);
		assert_near(e.printable, printable / 100.0, 1e-12);
		assert_true(e.entropy < e.expected * (1 - VERDICT_RANDOM_MARGIN));
		assert_verdict(v, printable == 80 ? V_CLEARTEXT : V_ENCODED);
	}
}

static void
test_base64(void **state)
{
	(void)state;
	uint64_t seed = 1;
	uint8_t rnd[750], enc[1000 + 8];
	struct flow_app a;
	struct ent_figures e;
	size_t n;

	xs_fill(&seed, rnd, sizeof rnd);
	n = b64_encode(rnd, sizeof rnd, enc);
	assert_int_equal(n, 1000);
	/* All printable, yet an alphabet first: encoded. */
	assert_verdict(judge(enc, n, NULL, &e), V_ENCODED);
	assert_near(e.printable, 1.0, 0);
	assert_true(e.entropy >= 4.5 && e.entropy <= 6.0);
	/* Below the random expectation, but encoded, not encrypted. */
	assert_true(e.entropy < e.expected * (1 - VERDICT_RANDOM_MARGIN));
	/* Base64 carried by a cleartext protocol is still encoded. */
	app_of(&a, AP_HTTP);
	assert_verdict(judge(enc, n, &a, &e), V_ENCODED);
	app_of(&a, AP_MQTT);
	assert_verdict(judge(enc, n, &a, &e), V_ENCODED);

	/* Line ends (MIME wraps at 76) do not spoil the alphabet. */
	uint8_t wrapped[1100];
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		wrapped[w++] = enc[i];
		if (i % 76 == 75) {
			wrapped[w++] = '\r';
			wrapped[w++] = '\n';
		}
	}
	assert_verdict(judge(wrapped, w, NULL, &e), V_ENCODED);

	/* A base64 alphabet with little entropy (4.5 bits needed) is plain text. */
	static const char low[] = "AAAABBBBCCCCDDDDAAAABBBBCCCCDDDDAAAABBBBCCCCDDDDAAAABBBBCCCC"
	    "DDDDAAAABBBBCCCCDDDD";
	assert_verdict(judge(low, sizeof low - 1, NULL, &e), V_CLEARTEXT);
	assert_near(e.entropy, 2.0, 1e-12);
}

/* 95 base64 characters in 100 is the alphabet; 94 is not. */
static void
test_base64_edge(void **state)
{
	(void)state;
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t buf[100];
	struct ent_figures e;

	for (int k = 95; k >= 94; k--) {
		for (int i = 0; i < 100; i++)
			buf[i] = i < k ? (uint8_t)abc[(i * 7) % 64] : '!';
		enum verdict v = judge(buf, sizeof buf, NULL, &e);
		assert_true(e.entropy >= 4.5);
		assert_near(e.printable, 1.0, 0);
		assert_verdict(v, k == 95 ? V_ENCODED : V_CLEARTEXT);
	}
}

static void
test_hex(void **state)
{
	(void)state;
	uint64_t seed = 3;
	uint8_t rnd[500], enc[1000];
	struct flow_app a;
	struct ent_figures e;
	size_t n;

	xs_fill(&seed, rnd, sizeof rnd);
	n = hex_encode(rnd, sizeof rnd, enc);
	assert_verdict(judge(enc, n, NULL, &e), V_ENCODED);
	assert_true(e.entropy >= 3.0 && e.entropy <= 4.0);	/* 16 symbols at most 4 bits */
	app_of(&a, AP_HTTP);
	assert_verdict(judge(enc, n, &a, &e), V_ENCODED);

	/* Hex digits with under 3 bits (a few digits only) are plain text. */
	static const char low[] = "0000111122223333000011112222333300001111222233330000111122223333"
	    "0000111122223333";
	assert_verdict(judge(low, sizeof low - 1, NULL, &e), V_CLEARTEXT);
	assert_near(e.entropy, 2.0, 1e-12);
}

/* Media seen by magic bytes is compressed, in a cleartext protocol or in none. */
static void
test_media(void **state)
{
	(void)state;
	static const enum app_proto protos[] = { AP_NONE, AP_HTTP, AP_RTSP, AP_MQTT, AP_FTP };
	uint64_t seed = 11;
	uint8_t rnd[2000];
	static const char text[] = "Media is judged by its magic bytes, not by its histogram: "
	    "whatever the direction's bytes, a recorded media type makes it compressed.";
	struct flow_app a;
	struct ent_figures e;

	xs_fill(&seed, rnd, sizeof rnd);
	for (size_t i = 0; i < sizeof protos / sizeof *protos; i++) {
		app_of(&a, protos[i]);
		a.dir[1].media = MEDIA_JPEG;
		assert_verdict(judge_opts(rnd, sizeof rnd, &a, 1, &defaults, &e), V_COMPRESSED);
		assert_verdict(judge_opts(text, sizeof text - 1, &a, 1, &defaults, &e),
		    V_COMPRESSED);
		/* The media belongs to its direction only. */
		assert_verdict(judge_opts(text, sizeof text - 1, &a, 0, &defaults, &e),
		    V_CLEARTEXT);
	}
}

/* Random-looking bytes in a protocol that does not encrypt are never called encrypted. */
static void
test_cleartext_protocol_never_encrypted(void **state)
{
	(void)state;
	uint64_t seed = 13;
	static uint8_t rnd[10000];
	struct flow_app a;
	struct ent_figures e;
	int n = 0;

	xs_fill(&seed, rnd, sizeof rnd);
	for (int p = AP_NONE + 1; p < AP_COUNT; p++) {
		if (detect_encrypted((enum app_proto)p))
			continue;
		n++;
		app_of(&a, (enum app_proto)p);
		assert_verdict(judge(rnd, sizeof rnd, &a, &e), V_COMPRESSED);
		assert_verdict(judge(rnd, 100, &a, &e), V_COMPRESSED);
		assert_verdict(judge(rnd, 64, &a, &e), V_COMPRESSED);
	}
	assert_int_equal(n, 14);		/* HTTP … DHCP */

	/* Binary, low-entropy bytes in a cleartext protocol are that protocol: cleartext. */
	uint8_t bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (uint8_t)(i % 4 == 0 ? i & 0x1f : 0);
	app_of(&a, AP_DNS);
	assert_verdict(judge(bin, sizeof bin, &a, &e), V_CLEARTEXT);
	assert_true(e.printable < 0.80);
}

/*
 * An unknown protocol's bytes are encrypted from 95% of the random expectation up, encoded
 * below: bytes spread evenly over k values give log2(k) bits exactly.
 */
static void
test_random_margin(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct ent_figures e;

	/* 256 bytes: about 7.18 bits expected, so the line is near 6.82. */
	for (int i = 0; i < 256; i++)
		buf[i] = (uint8_t)(0x80 | (i & 0x7f));	/* 128 values twice: 7 bits */
	assert_verdict(judge(buf, sizeof buf, NULL, &e), V_ENCRYPTED);
	assert_near(e.entropy, 7.0, 1e-12);
	assert_true(e.entropy >= e.expected * (1 - VERDICT_RANDOM_MARGIN));

	for (int i = 0; i < 256; i++)
		buf[i] = (uint8_t)(0x80 | (i & 0x3f));	/* 64 values four times: 6 bits */
	assert_verdict(judge(buf, sizeof buf, NULL, &e), V_ENCODED);
	assert_near(e.entropy, 6.0, 1e-12);
	assert_true(e.entropy < e.expected * (1 - VERDICT_RANDOM_MARGIN));
	assert_true(e.printable < 0.80);
}

static void
test_structured_binary(void **state)
{
	(void)state;
	/* A sensor's binary frames: a header, a counter, small readings, zero padding. */
	uint8_t buf[320];
	struct ent_figures e;

	for (int f = 0; f < 20; f++) {
		uint8_t *p = buf + 16 * f;
		static const uint8_t hdr[4] = { 0xaa, 0x55, 0x01, 0x0c };
		memcpy(p, hdr, 4);
		p[4] = (uint8_t)f;
		p[5] = (uint8_t)(f * 3 % 7);
		memset(p + 6, 0, 10);
	}
	assert_verdict(judge(buf, sizeof buf, NULL, &e), V_ENCODED);
	assert_string_equal(verdict_fixed(&e, &defaults), "cleartext");
}

/* Detection and verdict together, from payload bytes as the analysis sees them. */
static void
feed(struct flow_app *a, struct strpool *sp, int dir, uint32_t seq, const void *p, size_t n)
{
	struct span s = { p, n };

	detect_packet(a, sp, 1, dir, seq, s, 49152, 80);
}

static void
test_http_media_and_random(void **state)
{
	(void)state;
	static const char req[] = "GET /snapshot.jpg HTTP/1.1\r\nHost: camera.local\r\n"
	    "User-Agent: viewer/1.0\r\nAccept: image/*\r\n\r\n";
	static const char head_jpeg[] = "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
	    "Content-Length: 3000\r\n\r\n";
	static const char head_bin[] = "HTTP/1.1 200 OK\r\nContent-Type: "
	    "application/octet-stream\r\nContent-Length: 3000\r\n\r\n";
	static const uint8_t jfif[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F',
		0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00 };
	uint64_t seed = 17;
	uint8_t body[3000], resp[4096];
	struct strpool *sp = strpool_new();
	struct flow_app a;
	struct ent_figures e;
	size_t n;

	xs_fill(&seed, body, sizeof body);
	memcpy(body, jfif, sizeof jfif);
	n = sizeof head_jpeg - 1;
	memcpy(resp, head_jpeg, n);
	memcpy(resp + n, body, sizeof body);
	n += sizeof body;

	detect_init(&a);
	feed(&a, sp, 0, 1000, req, sizeof req - 1);
	feed(&a, sp, 1, 5000, resp, n);
	assert_int_equal(a.proto, AP_HTTP);
	assert_int_equal(a.dir[1].media, MEDIA_JPEG);
	assert_int_equal(a.dir[0].media, MEDIA_NONE);
	assert_verdict(judge_opts(resp, n, &a, 1, &defaults, &e), V_COMPRESSED);
	assert_string_equal(verdict_fixed(&e, &defaults), "encrypted");	/* the paper's mistake */
	assert_verdict(judge_opts(req, sizeof req - 1, &a, 0, &defaults, &e), V_CLEARTEXT);
	detect_fini(&a);

	/* The same random body without magic bytes: compressed, never encrypted. */
	xs_fill(&seed, body, sizeof body);
	assert_int_equal(detect_media((struct span){ body, sizeof body }), MEDIA_NONE);
	n = sizeof head_bin - 1;
	memcpy(resp, head_bin, n);
	memcpy(resp + n, body, sizeof body);
	n += sizeof body;
	detect_init(&a);
	feed(&a, sp, 0, 1000, req, sizeof req - 1);
	feed(&a, sp, 1, 5000, resp, n);
	assert_int_equal(a.proto, AP_HTTP);
	assert_int_equal(a.dir[1].media, MEDIA_NONE);
	assert_verdict(judge_opts(resp, n, &a, 1, &defaults, &e), V_COMPRESSED);
	assert_true(e.entropy >= e.expected * (1 - VERDICT_RANDOM_MARGIN));
	assert_string_equal(verdict_fixed(&e, &defaults), "encrypted");
	detect_fini(&a);
	strpool_free(sp);
}

/* A JPEG at the start of a stream no protocol claims is compressed too. */
static void
test_unknown_stream_media(void **state)
{
	(void)state;
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint64_t seed = 19;
	static uint8_t data[5000];
	struct strpool *sp = strpool_new();
	struct flow_app a;
	struct ent_figures e;

	xs_fill(&seed, data, sizeof data);
	memcpy(data, png, sizeof png);
	detect_init(&a);
	detect_packet(&a, sp, 1, 0, 77, (struct span){ data, sizeof data }, 40000, 9999);
	assert_int_equal(a.proto, AP_NONE);
	assert_int_equal(a.dir[0].media, MEDIA_PNG);
	assert_verdict(judge(data, sizeof data, &a, &e), V_COMPRESSED);
	detect_fini(&a);

	/* Without the magic the same bytes are encrypted. */
	data[0] = 0x88;
	detect_init(&a);
	detect_packet(&a, sp, 1, 0, 77, (struct span){ data, sizeof data }, 40000, 9999);
	assert_int_equal(a.dir[0].media, MEDIA_NONE);
	assert_verdict(judge(data, sizeof data, &a, &e), V_ENCRYPTED);
	detect_fini(&a);
	strpool_free(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_too_few_bytes),
		cmocka_unit_test(test_encrypted_protocols),
		cmocka_unit_test(test_random_no_protocol),
		cmocka_unit_test(test_short_random),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_printable_text),
		cmocka_unit_test(test_printable_edge),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_base64_edge),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_cleartext_protocol_never_encrypted),
		cmocka_unit_test(test_random_margin),
		cmocka_unit_test(test_structured_binary),
		cmocka_unit_test(test_http_media_and_random),
		cmocka_unit_test(test_unknown_stream_media),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
