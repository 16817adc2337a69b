/*
 * scen-quic.c — QUIC connections from the demo's phone whose ClientHello must be read from
 * protected Initial packets (issue 19): split over two Initials with its CRYPTO frames out of
 * order and one repeated, as Chrome sends it; QUIC version 2; an Initial coalesced with a
 * Handshake packet in one datagram; and Initials that cannot be read (cut by the datagram's
 * end, too short for the header protection sample), which must be counted, not crash.
 *
 * The --truth file: a capture line, then
 *   flow  client=IP:PORT  server=IP:PORT  proto=P  sni=NAME|-  alpn=ALPN|-  (in flow order)
 *   count  packets=N  quic_unread=N
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "msg.h"
#include "scen.h"
#include "xmem.h"

struct quicgen {
	struct rng	 rng;
	struct sink	 sink;
	FILE		*truth;
	uint64_t	 ts;
	int		 err;
	unsigned	 unread;		/* Initials the reader must count as unread */
	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 hello[TLS_HELLO_MAX];
	uint8_t		 frames[QUIC_GEN_PACKET_MAX];
	uint8_t		 dgram[2 * QUIC_GEN_PACKET_MAX];
};

static void __attribute__((format(printf, 2, 3)))
qg_truth(struct quicgen *s, const char *fmt, ...)
{
	va_list ap;

	if (s->truth == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(s->truth, fmt, ap);
	va_end(ap);
}

static struct ep
qg_ep(struct quicgen *s, const uint8_t *mac, const uint8_t *ip, int v6, uint16_t port,
    uint8_t ttl)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, mac, 6);
	memcpy(e.ip, ip, v6 ? 16 : 4);
	e.port = port;
	e.ttl = ttl;
	e.ipid = (uint16_t)rng_u32(&s->rng);
	e.flowlabel = rng_u32(&s->rng) & 0xfffff;
	return e;
}

static void
qg_send(struct quicgen *s, struct ep *from, const struct ep *to, int v6, const uint8_t *p,
    size_t n, uint32_t gap_us)
{
	size_t len = pb_udp(s->frame, from, to, v6, p, n);

	if (sink_frame(&s->sink, s->ts, s->frame, len) != 0)
		s->err = 1;
	s->ts += US(gap_us);
}

/* The ClientHello handshake message (no record layer: QUIC carries it in CRYPTO frames). */
static size_t
qg_hello(struct quicgen *s, const char *sni, const uint8_t **msg)
{
	uint8_t sid[32];
	size_t n = tls_client_hello(s->hello, &s->rng, sni, 1, "h3", sid);

	*msg = s->hello + 5;
	return n - 5;
}

static void
qg_cid(struct quicgen *s, uint8_t *cid, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cid[i] = (uint8_t)rng_u32(&s->rng);
}

static void
qg_flow(struct quicgen *s, const struct ep *cl, const struct ep *srv, int v6, const char *proto,
    const char *sni)
{
	char a[64], b[64];

	demo_ip_str(a, sizeof a, cl->ip, v6);
	demo_ip_str(b, sizeof b, srv->ip, v6);
	qg_truth(s, "flow\tclient=%s%s%s:%u\tserver=%s%s%s:%u\tproto=%s\tsni=%s\talpn=%s\n",
	    v6 ? "[" : "", a, v6 ? "]" : "", cl->port, v6 ? "[" : "", b, v6 ? "]" : "", srv->port,
	    proto, sni != NULL ? sni : "-", sni != NULL ? "h3" : "-");
}

/* A server's answer: to an observer, opaque bytes behind a long header. */
static void
qg_answer(struct quicgen *s, struct ep *srv, const struct ep *cl, int v6, uint32_t v,
    const uint8_t *dcid)
{
	uint8_t scid[8];
	size_t n;

	qg_cid(s, scid, sizeof scid);
	n = quic_gen_handshake(s->dgram, v, dcid, 8, scid, sizeof scid, &s->rng, 300);
	qg_send(s, srv, cl, v6, s->dgram, n, 40000);
}

/* The ClientHello in two Initials: the tail first, then the head (after a PING), the middle
 * with the head again in the second. */
static void
qg_split(struct quicgen *s)
{
	static const uint8_t srv_ip[4] = { 142, 250, 74, 46 };
	const char *sni = "split.quic.example";
	struct ep cl = qg_ep(s, demo_hosts[H_PHONE].mac, demo_hosts[H_PHONE].ip, 0, 50501, 64);
	struct ep srv = qg_ep(s, demo_hosts[H_ROUTER].mac, srv_ip, 0, 443, 119);
	uint8_t dcid[8], scid[8];
	const uint8_t *m;
	size_t n = qg_hello(s, sni, &m), a = n / 3, b = 2 * n / 3, k, len;

	qg_cid(s, dcid, sizeof dcid);
	qg_cid(s, scid, sizeof scid);
	k = quic_crypto_frame(s->frames, b, m + b, n - b);
	s->frames[k++] = 0x01;				/* PING */
	k += quic_crypto_frame(s->frames + k, 0, m, a);
	len = quic_gen_initial(s->dgram, QUIC_GEN_V1, dcid, 8, scid, 8, 0, s->frames, k, 1200);
	qg_send(s, &cl, &srv, 0, s->dgram, len, 800);
	k = quic_crypto_frame(s->frames, a, m + a, b - a);
	k += quic_crypto_frame(s->frames + k, 0, m, a);
	len = quic_gen_initial(s->dgram, QUIC_GEN_V1, dcid, 8, scid, 8, 1, s->frames, k, 1200);
	qg_send(s, &cl, &srv, 0, s->dgram, len, 30000);
	qg_answer(s, &srv, &cl, 0, QUIC_GEN_V1, scid);
	qg_flow(s, &cl, &srv, 0, "QUIC v1 (TLS 1.3)", sni);
}

/* QUIC version 2 (RFC 9369), over IPv6: its own salt, labels and packet type numbers. */
static void
qg_v2(struct quicgen *s)
{
	static const uint8_t srv_ip[16] = { 0x26, 0x07, 0xf8, 0xb0, 0x40, 0x05, 0x08, 0x0f, 0, 0,
		0, 0, 0, 0, 0x20, 0x0e };
	const char *sni = "v2.quic.example";
	struct ep cl = qg_ep(s, demo_hosts[H_PHONE].mac, demo_phone_gl6, 1, 50502, 64);
	struct ep srv = qg_ep(s, demo_hosts[H_ROUTER].mac, srv_ip, 1, 443, 118);
	uint8_t dcid[8], scid[8];
	const uint8_t *m;
	size_t n = qg_hello(s, sni, &m), k, len;

	qg_cid(s, dcid, sizeof dcid);
	qg_cid(s, scid, sizeof scid);
	k = quic_crypto_frame(s->frames, 0, m, n);
	len = quic_gen_initial(s->dgram, QUIC_GEN_V2, dcid, 8, scid, 8, 0, s->frames, k, 1200);
	qg_send(s, &cl, &srv, 1, s->dgram, len, 30000);
	qg_answer(s, &srv, &cl, 1, QUIC_GEN_V2, scid);
	qg_flow(s, &cl, &srv, 1, "QUIC v2 (TLS 1.3)", sni);
}

/* An Initial and a Handshake packet in one datagram (RFC 9000 12.2). */
static void
qg_coalesced(struct quicgen *s)
{
	static const uint8_t srv_ip[4] = { 172, 217, 16, 142 };
	const char *sni = "coalesced.quic.example";
	struct ep cl = qg_ep(s, demo_hosts[H_PHONE].mac, demo_hosts[H_PHONE].ip, 0, 50503, 64);
	struct ep srv = qg_ep(s, demo_hosts[H_ROUTER].mac, srv_ip, 0, 443, 119);
	uint8_t dcid[8], scid[8];
	const uint8_t *m;
	size_t n = qg_hello(s, sni, &m), k, len;

	qg_cid(s, dcid, sizeof dcid);
	qg_cid(s, scid, sizeof scid);
	k = quic_crypto_frame(s->frames, 0, m, n);
	len = quic_gen_initial(s->dgram, QUIC_GEN_V1, dcid, 8, scid, 8, 0, s->frames, k, 900);
	len += quic_gen_handshake(s->dgram + len, QUIC_GEN_V1, dcid, 8, scid, 8, &s->rng, 300);
	qg_send(s, &cl, &srv, 0, s->dgram, len, 30000);
	qg_answer(s, &srv, &cl, 0, QUIC_GEN_V1, scid);
	qg_flow(s, &cl, &srv, 0, "QUIC v1 (TLS 1.3)", sni);
}

/*
 * Initials that cannot be read: one cut by the datagram's end (its Length promises 1200
 * bytes), one whose Length leaves no room for the 16-byte sample.  Both counted, no name.
 */
static void
qg_truncated(struct quicgen *s)
{
	static const uint8_t srv_ip[4] = { 142, 250, 185, 78 };
	struct ep cl = qg_ep(s, demo_hosts[H_PHONE].mac, demo_hosts[H_PHONE].ip, 0, 50504, 64);
	struct ep srv = qg_ep(s, demo_hosts[H_ROUTER].mac, srv_ip, 0, 443, 119);
	uint8_t dcid[8], scid[8];
	const uint8_t *m;
	size_t n = qg_hello(s, "truncated.quic.example", &m), k, len;

	qg_cid(s, dcid, sizeof dcid);
	qg_cid(s, scid, sizeof scid);
	k = quic_crypto_frame(s->frames, 0, m, n);
	len = quic_gen_initial(s->dgram, QUIC_GEN_V1, dcid, 8, scid, 8, 0, s->frames, k, 1200);
	qg_send(s, &cl, &srv, 0, s->dgram, len / 2, 2000);
	/* Header to the Length (1 + 4 + 1 + 8 + 1 + 8 + 1 token), then Length 12. */
	len = 24;
	s->dgram[len++] = 0x40;
	s->dgram[len++] = 12;
	len += 12;
	qg_send(s, &cl, &srv, 0, s->dgram, len, 30000);
	s->unread += 2;
	qg_flow(s, &cl, &srv, 0, "QUIC", NULL);
}

int
scen_quic(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct quicgen *s = xcalloc(1, sizeof *s);
	int rc;

	rng_seed(&s->rng, o->seed, 19);
	s->truth = truth;
	s->ts = T0_NS;
	if (sink_open(&s->sink, out, o->fmt, o->link, demo_hosts[H_ROUTER].mac, o->snaplen) != 0) {
		free(s);
		return -1;
	}
	qg_truth(s, "# gen-capture quic ground truth; layout in tests/gen/scen-quic.c\n");
	qg_truth(s, "capture\tstart=2026-03-14T09:00:00Z\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n",
	    o->seed, o->link_name, o->fmt_name);
	qg_split(s);
	qg_v2(s);
	qg_coalesced(s);
	qg_truncated(s);
	st->packets = s->sink.w.packets;
	st->flows = 4;
	st->first_ns = T0_NS;
	st->last_ns = s->ts;
	qg_truth(s, "count\tpackets=%" PRIu64 "\tquic_unread=%u\n", st->packets, s->unread);
	rc = s->err ? -1 : 0;
	if (sink_close(&s->sink) != 0)
		rc = -1;
	st->file_bytes = s->sink.w.file_bytes;
	free(s);
	return rc;
}
