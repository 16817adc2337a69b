/*
 * test-quic.c — the ClientHello read from QUIC Initial packets (quic.h, and detect.h over it):
 * the Initial keys of RFC 9001 A.1 and RFC 9369 A.1; CRYPTO frames out of order, repeated, among
 * PADDING, PING and ACK; packets sealed by the generator's own sealer (tests/gen/msg-quic.c) for
 * v1, v2, split and coalesced; and every way a datagram is cut, forged or not an Initial, which
 * must be counted, never crash.  Per-flow state: made on the first Initial, freed once read.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "msg.h"
#include "quic.h"
#include "strpool.h"

static void
hex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		for (int j = 0; j < 2; j++) {
			char c = s[2 * i + j];
			v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
		}
		out[i] = (uint8_t)v;
	}
}

static const uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };
static const uint8_t scid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

/* RFC 9001 A.1 and RFC 9369 A.1: the client's keys for DCID 0x8394c8f03e515708. */
static void
keys_rfc(void **state)
{
	(void)state;
	static const struct {
		uint32_t	 v;
		const char	*key, *iv, *hp;
	} want[] = {
		{ QUIC_GEN_V1, "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
		    "9f50449e04a0e810283a1e9933adedd2" },
		{ QUIC_GEN_V2, "8b1a0bc121284290a29e0971b5cd045d", "91f73e2351d8fa91660e909f",
		    "45b95e15235d6f45a6b19cbcb0294ba9" },
	};
	uint8_t key[16], iv[12], hp[16], k2[16], iv2[12], hp2[16], x[16];

	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		struct span d = { dcid, sizeof dcid };
		assert_int_equal(quic_client_keys(want[i].v, d, key, iv, hp), 0);
		hex(want[i].key, x, 16);
		assert_memory_equal(key, x, 16);
		hex(want[i].iv, x, 12);
		assert_memory_equal(iv, x, 12);
		hex(want[i].hp, x, 16);
		assert_memory_equal(hp, x, 16);
		/* The generator's sealer derives the same. */
		quic_gen_keys(want[i].v, dcid, sizeof dcid, k2, iv2, hp2);
		assert_memory_equal(key, k2, 16);
		assert_memory_equal(iv, iv2, 12);
		assert_memory_equal(hp, hp2, 16);
	}
	struct span d = { dcid, sizeof dcid }, none = { dcid, 0 };
	assert_int_equal(quic_client_keys(0x12345678, d, key, iv, hp), -1);
	assert_int_equal(quic_client_keys(QUIC_GEN_V1, none, key, iv, hp), -1);
	assert_string_equal(quic_code_name(quic_version_code(1)), "v1");
	assert_string_equal(quic_code_name(quic_version_code(QUIC_GEN_V2)), "v2");
	assert_string_equal(quic_code_name(quic_version_code(0xff00001d)), "draft-29");
	assert_string_equal(quic_code_name(quic_version_code(0xff00001c)), "draft-28");
	assert_null(quic_code_name(quic_version_code(0x51303530)));	/* gQUIC Q050 */
}

struct hello {
	uint8_t		 rec[TLS_HELLO_MAX];
	const uint8_t	*m;		/* the handshake message inside rec */
	size_t		 n;
};

static void
make_hello(struct hello *h, const char *sni)
{
	struct rng r;
	uint8_t sid[32];

	rng_seed(&r, 19, 1);
	h->n = tls_client_hello(h->rec, &r, sni, 1, "h3,h3-29", sid) - 5;
	h->m = h->rec + 5;
}

/* CRYPTO frames, tail first among PADDING, PING and ACKs, the head repeated: one Hello. */
static void
frames_reorder(void **state)
{
	(void)state;
	struct hello h;
	uint8_t f[4096];
	size_t k = 0;

	make_hello(&h, "frames.example");
	size_t a = h.n / 3, b = 2 * h.n / 3;
	struct quic_hello *q = quic_hello_new();
	k += quic_crypto_frame(f + k, b, h.m + b, h.n - b);
	f[k++] = 0x00;
	f[k++] = 0x00;
	f[k++] = 0x01;
	/* ACK: largest 5, delay 0, one more range, first range 0, then gap 0 length 1. */
	memcpy(f + k, "\x02\x05\x00\x01\x00\x00\x01", 7);
	k += 7;
	k += quic_crypto_frame(f + k, 0, h.m, a);
	assert_int_equal(quic_hello_frames(q, rd_make(f, k)), QUIC_MORE);
	assert_int_equal(quic_hello_message(q).n, 0);
	k = 0;
	/* ACK with ECN counts, then the middle and the head again. */
	memcpy(f + k, "\x03\x05\x00\x00\x00\x01\x02\x03", 8);
	k += 8;
	k += quic_crypto_frame(f + k, a, h.m + a, b - a);
	k += quic_crypto_frame(f + k, 0, h.m, a);
	assert_int_equal(quic_hello_frames(q, rd_make(f, k)), QUIC_DONE);
	struct span m = quic_hello_message(q);
	assert_int_equal(m.n, h.n);
	assert_memory_equal(m.p, h.m, h.n);
	quic_hello_free(q);
}

/* What no ClientHello is made of: given up, or waited on, never read past. */
static void
frames_hostile(void **state)
{
	(void)state;
	struct hello h;
	uint8_t f[4096], bad[64];
	size_t k;

	make_hello(&h, "hostile.example");
	/* A ServerHello first: not a client's Hello. */
	struct quic_hello *q = quic_hello_new();
	memcpy(bad, h.m, 8);
	bad[0] = 2;
	k = quic_crypto_frame(f, 0, bad, 8);
	assert_int_equal(quic_hello_frames(q, rd_make(f, k)), QUIC_GIVE_UP);
	quic_hello_free(q);
	/* A Hello longer than QUIC_HELLO_MAX. */
	q = quic_hello_new();
	memcpy(bad, "\x01\x01\x00\x00", 4);
	k = quic_crypto_frame(f, 0, bad, 4);
	assert_int_equal(quic_hello_frames(q, rd_make(f, k)), QUIC_GIVE_UP);
	quic_hello_free(q);
	/* A frame longer than the packet, an offset past the buffer, a STREAM frame. */
	q = quic_hello_new();
	k = quic_crypto_frame(f, 0, h.m, h.n);
	f[2] = 0x7f;				/* its length byte pair now claims more */
	assert_int_equal(quic_hello_frames(q, rd_make(f, k - 1)), QUIC_MORE);
	k = quic_crypto_frame(f, 1u << 20, h.m, 16);
	assert_int_equal(quic_hello_frames(q, rd_make(f, k)), QUIC_MORE);
	f[0] = 0x08;
	memcpy(f + 1, "\x00\x00\x00", 3);
	k = 4 + quic_crypto_frame(f + 4, 0, h.m, h.n);
	assert_int_equal(quic_hello_frames(q, rd_make(f, k)), QUIC_MORE);
	quic_hello_free(q);
	/* Every cut of a good frame sequence: whole or waiting, never more. */
	k = quic_crypto_frame(f, 0, h.m, h.n);
	for (size_t n = 0; n <= k; n++) {
		q = quic_hello_new();
		enum quic_status st = quic_hello_frames(q, rd_make(f, n));
		assert_int_equal(st, n == k ? QUIC_DONE : QUIC_MORE);
		quic_hello_free(q);
	}
}

/* A sealed client Initial carrying frames f[0..k). */
static size_t
seal(uint8_t *out, uint32_t v, uint16_t pn, const uint8_t *f, size_t k, size_t pad)
{
	return quic_gen_initial(out, v, dcid, sizeof dcid, scid, sizeof scid, pn, f, k, pad);
}

/* Split over two Initials (sent in either order), v2, coalesced before and after a
 * Handshake packet: each reads the one Hello. */
static void
datagrams(void **state)
{
	(void)state;
	struct hello h;
	uint8_t f[4096], p1[QUIC_GEN_PACKET_MAX], p2[QUIC_GEN_PACKET_MAX], d[3000];
	unsigned skipped = 0;
	struct rng r;

	rng_seed(&r, 7, 7);
	make_hello(&h, "split.example");
	size_t half = h.n / 2, k = quic_crypto_frame(f, half, h.m + half, h.n - half);
	size_t n1 = seal(p1, QUIC_GEN_V1, 0, f, k, 1200);
	k = quic_crypto_frame(f, 0, h.m, half);
	size_t n2 = seal(p2, QUIC_GEN_V1, 1, f, k, 1200);
	for (int order = 0; order < 2; order++) {
		struct quic_hello *q = quic_hello_new();
		assert_int_equal(quic_hello_datagram(q, (struct span){ order ? p2 : p1,
		    order ? n2 : n1 }, &skipped), QUIC_MORE);
		assert_int_equal(quic_hello_version(q), 1);
		assert_int_equal(quic_hello_datagram(q, (struct span){ order ? p1 : p2,
		    order ? n1 : n2 }, &skipped), QUIC_DONE);
		assert_int_equal(quic_hello_message(q).n, h.n);
		assert_memory_equal(quic_hello_message(q).p, h.m, h.n);
		quic_hello_free(q);
	}
	k = quic_crypto_frame(f, 0, h.m, h.n);
	for (int v2 = 0; v2 < 2; v2++) {
		uint32_t v = v2 ? QUIC_GEN_V2 : QUIC_GEN_V1;
		for (int hs_first = 0; hs_first < 2; hs_first++) {
			size_t n = 0;
			if (hs_first)
				n += quic_gen_handshake(d, v, dcid, 8, scid, 8, &r, 200);
			n += seal(d + n, v, 0, f, k, 900);
			if (!hs_first)
				n += quic_gen_handshake(d + n, v, dcid, 8, scid, 8, &r, 200);
			assert_true(quic_is_initial((struct span){ d, n }) == !hs_first);
			struct quic_hello *q = quic_hello_new();
			assert_int_equal(quic_hello_datagram(q, (struct span){ d, n }, &skipped),
			    QUIC_DONE);
			assert_int_equal(quic_hello_version(q), v);
			quic_hello_free(q);
		}
	}
	assert_int_equal(skipped, 0);
}

/* Cut at every length, forged, or not an Initial at all: counted, no Hello, no crash. */
static void
damage(void **state)
{
	(void)state;
	struct hello h;
	uint8_t f[4096], p[QUIC_GEN_PACKET_MAX], x[QUIC_GEN_PACKET_MAX];
	unsigned skipped;
	struct quic_hello *q;

	make_hello(&h, "damage.example");
	size_t k = quic_crypto_frame(f, 0, h.m, h.n), n = seal(p, QUIC_GEN_V1, 0, f, k, 1200);
	for (size_t cut = 1; cut < n; cut++) {
		skipped = 0;
		q = quic_hello_new();
		assert_int_equal(quic_hello_datagram(q, (struct span){ p, cut }, &skipped),
		    QUIC_MORE);
		assert_int_equal(skipped, 1);
		quic_hello_free(q);
	}
	/* A byte changed anywhere after the DCID: the tag, the Length or the header fails. */
	for (size_t i = 6 + sizeof dcid; i < n; i += 97) {
		memcpy(x, p, n);
		x[i] ^= 0x20;
		skipped = 0;
		q = quic_hello_new();
		assert_int_not_equal(quic_hello_datagram(q, (struct span){ x, n }, &skipped),
		    QUIC_DONE);
		assert_true(skipped >= 1);
		quic_hello_free(q);
	}
	/* Version negotiation, Retry, an unknown version, a Length too short for the sample. */
	static const uint8_t vn[] = { 0xc0, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 1 };
	uint8_t retry[64] = { 0xf0, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0 };
	uint8_t unknown[64] = { 0xc0, 0x12, 0x34, 0x56, 0x78, 8 };
	uint8_t short_len[64];
	memcpy(short_len, p, 1 + 4 + 1 + 8 + 1 + 8 + 1);
	memcpy(short_len + 24, "\x40\x0c", 2);		/* Length 12 */
	const struct span bad[] = { { vn, sizeof vn }, { retry, sizeof retry },
	    { unknown, sizeof unknown }, { short_len, 24 + 2 + 12 } };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		skipped = 0;
		q = quic_hello_new();
		assert_int_equal(quic_hello_datagram(q, bad[i], &skipped), QUIC_MORE);
		assert_int_equal(skipped, 1);
		quic_hello_free(q);
	}
	/* A short header (1-RTT) is no Initial and no fault. */
	skipped = 0;
	q = quic_hello_new();
	uint8_t one_rtt[40] = { 0x40 };
	assert_int_equal(quic_hello_datagram(q, (struct span){ one_rtt, sizeof one_rtt },
	    &skipped), QUIC_MORE);
	assert_int_equal(skipped, 0);
	quic_hello_free(q);
}

/* At most QUIC_INITIALS_MAX Initials are opened for one connection. */
static void
bounded(void **state)
{
	(void)state;
	uint8_t p[QUIC_GEN_PACKET_MAX], ping = 0x01;
	unsigned skipped = 0;
	struct quic_hello *q = quic_hello_new();
	enum quic_status st = QUIC_MORE;
	int i;

	for (i = 0; i < 20 && st == QUIC_MORE; i++) {
		size_t n = seal(p, QUIC_GEN_V1, (uint16_t)i, &ping, 1, 1200);
		st = quic_hello_datagram(q, (struct span){ p, n }, &skipped);
	}
	assert_int_equal(st, QUIC_GIVE_UP);
	assert_int_equal(i, QUIC_INITIALS_MAX);
	quic_hello_free(q);
}

/* Through detection: state made on the first Initial, freed once the Hello is read. */
static void
detect_flow(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct flow_app a;
	struct hello h;
	uint8_t f[4096], p1[QUIC_GEN_PACKET_MAX], p2[QUIC_GEN_PACKET_MAX];

	make_hello(&h, "detect.example");
	size_t half = h.n / 2, k = quic_crypto_frame(f, half, h.m + half, h.n - half);
	size_t n1 = seal(p1, QUIC_GEN_V1, 0, f, k, 1200);
	k = quic_crypto_frame(f, 0, h.m, half);
	size_t n2 = seal(p2, QUIC_GEN_V1, 1, f, k, 1200);

	detect_init(&a);
	assert_int_equal(detect_packet(&a, sp, 0, 0, 0, (struct span){ p1, n1 }, 50000, 443), 0);
	assert_int_equal(a.proto, AP_QUIC);
	assert_true(a.dir[0].is_quic && a.dir[0].quic != NULL);
	assert_false(a.dir[0].done);
	assert_null(a.sni);
	assert_int_equal(detect_packet(&a, sp, 0, 0, 0, (struct span){ p2, n2 }, 50000, 443), 0);
	assert_string_equal(a.sni, "detect.example");
	assert_string_equal(a.alpn, "h3");
	assert_int_equal(a.quic_ver, 1);
	assert_int_equal(a.tls_offered, 0x0304);
	assert_false(a.dir[0].is_quic);
	assert_null(a.dir[0].buf);
	assert_true(a.dir[0].done);
	detect_fini(&a);

	/* A connection whose Hello never completes: freed after DETECT_PACKETS datagrams. */
	detect_init(&a);
	for (int i = 0; i < DETECT_PACKETS; i++)
		detect_packet(&a, sp, 0, 0, 0, (struct span){ p1, n1 }, 50000, 443);
	assert_null(a.dir[0].buf);
	assert_true(a.dir[0].done);
	assert_null(a.sni);
	detect_fini(&a);

	/* Left half-read: detect_fini frees it (the sanitizers see a leak otherwise). */
	detect_init(&a);
	detect_packet(&a, sp, 0, 0, 0, (struct span){ p1, n1 }, 50000, 443);
	assert_true(a.dir[0].is_quic);
	detect_fini(&a);

	/* Not QUIC, or QUIC without an Initial (the server's side): no state at all. */
	static const uint8_t dns[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'f', 'o',
		'o', 0, 0, 1, 0, 1 };
	detect_init(&a);
	detect_packet(&a, sp, 0, 0, 0, (struct span){ dns, sizeof dns }, 50000, 53);
	assert_int_equal(a.proto, AP_DNS);
	assert_false(a.dir[0].is_quic);
	assert_null(a.dir[0].buf);
	detect_fini(&a);
	detect_init(&a);
	detect_packet(&a, sp, 0, 1, 0, (struct span){ p1, n1 }, 50000, 443);
	assert_int_equal(a.proto, AP_QUIC);
	assert_false(a.dir[1].is_quic);
	detect_fini(&a);
	strpool_free(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_rfc),
		cmocka_unit_test(frames_reorder),
		cmocka_unit_test(frames_hostile),
		cmocka_unit_test(datagrams),
		cmocka_unit_test(damage),
		cmocka_unit_test(bounded),
		cmocka_unit_test(detect_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
