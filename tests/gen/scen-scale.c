/*
 * scen-scale.c — capture shapes for the scale benchmark (make bench), each the large-N case of
 * something a capture can hold many of:
 *   stations  --devices stations (1000), each its own device, looking up --names names (400)
 *             that CDN-style share --addrs public addresses (20), then speaking HTTP (Host) and
 *             TLS (SNI) to four of them: many devices, many names per address.
 *   udpflows  --flows short UDP exchanges (one request, one answer) from four stations to
 *             --addrs public addresses (4096) on random ports: many flows; with --addrs as
 *             large as --flows, many destinations.
 * Stations sit in 10.0.0.0/8 behind one router MAC; one frame every 2 µs.
 *
 * The --truth file: count  packets=N  wire_bytes=B  flows=F  devices=D
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "msg.h"
#include "rng.h"
#include "scen.h"
#include "sink.h"

#define SC_GAP_NS	2000
#define SC_CONNS	4

static const uint8_t sc_router[6] = { 0x02, 0x53, 0x43, 0x00, 0x00, 0xfe };

struct sc {
	struct sink	 sink;
	struct rng	 rng;
	uint64_t	 ts;
	uint64_t	 flows;
	int		 err;
	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 buf[8192];
};

static void
station(struct ep *e, uint32_t i)
{
	memset(e, 0, sizeof *e);
	e->mac[0] = 0x02;
	e->mac[1] = 0x53;
	e->mac[2] = 0x43;
	e->mac[3] = (uint8_t)(i >> 16);
	e->mac[4] = (uint8_t)(i >> 8);
	e->mac[5] = (uint8_t)i;
	e->ip[0] = 10;
	e->ip[1] = (uint8_t)((i + 1) >> 16);
	e->ip[2] = (uint8_t)((i + 1) >> 8);
	e->ip[3] = (uint8_t)(i + 1);
	e->ttl = 64;
}

/* Public address k of the pool: 23.x.y.z, never a network or broadcast address. */
static void
remote(struct ep *e, uint32_t k)
{
	memset(e, 0, sizeof *e);
	memcpy(e->mac, sc_router, 6);
	e->ip[0] = 23;
	e->ip[1] = (uint8_t)(k / 250 / 250);
	e->ip[2] = (uint8_t)(k / 250 % 250);
	e->ip[3] = (uint8_t)(1 + k % 250);
	e->ttl = 52;
}

static void
emit(struct sc *s, size_t len)
{
	s->err |= sink_frame(&s->sink, s->ts, s->frame, len) != 0;
	s->ts += SC_GAP_NS;
}

/* One TCP connection: handshake, one request, one answer, FIN both ways. */
static void
tcp_conn(struct sc *s, struct ep *cl, struct ep *sv, const uint8_t *req, size_t reqlen,
    const uint8_t *ans, size_t anslen)
{
	uint32_t cs = (uint32_t)rng_next(&s->rng), ss = (uint32_t)rng_next(&s->rng);
	struct tcpseg t;

	memset(&t, 0, sizeof t);
	t.win = 64240;
	t.flags = TH_SYN;
	t.seq = cs;
	emit(s, pb_tcp(s->frame, cl, sv, 0, &t, NULL, 0));
	t.flags = TH_SYN | TH_ACK;
	t.seq = ss;
	t.ack = cs + 1;
	emit(s, pb_tcp(s->frame, sv, cl, 0, &t, NULL, 0));
	t.flags = TH_ACK | TH_PSH;
	t.seq = cs + 1;
	t.ack = ss + 1;
	emit(s, pb_tcp(s->frame, cl, sv, 0, &t, req, reqlen));
	t.seq = ss + 1;
	t.ack = cs + 1 + (uint32_t)reqlen;
	emit(s, pb_tcp(s->frame, sv, cl, 0, &t, ans, anslen));
	t.flags = TH_FIN | TH_ACK;
	t.seq = cs + 1 + (uint32_t)reqlen;
	t.ack = ss + 1 + (uint32_t)anslen;
	emit(s, pb_tcp(s->frame, cl, sv, 0, &t, NULL, 0));
	t.seq = ss + 1 + (uint32_t)anslen;
	t.ack = cs + 2 + (uint32_t)reqlen;
	emit(s, pb_tcp(s->frame, sv, cl, 0, &t, NULL, 0));
	t.flags = TH_ACK;
	t.seq = cs + 2 + (uint32_t)reqlen;
	t.ack = ss + 2 + (uint32_t)anslen;
	emit(s, pb_tcp(s->frame, cl, sv, 0, &t, NULL, 0));
	s->flows++;
}

static void
name_of(char *buf, size_t len, uint32_t k)
{
	snprintf(buf, len, "n%u.edge.cdn-scale.example.net", (unsigned)k);
}

/* Station cl asks the router for name k, answered with address k % addrs. */
static void
lookup(struct sc *s, struct ep *cl, struct ep *rt, uint32_t k, uint32_t addrs)
{
	char name[64];
	struct ep a;
	struct dnsw w;

	name_of(name, sizeof name, k);
	remote(&a, k % addrs);
	cl->port = (uint16_t)(20000 + k % 40000);
	dnsw_init(&w, s->buf, sizeof s->buf);
	dnsw_header(&w, (uint16_t)k, 0x0100, 1, 0, 0, 0);
	dnsw_question(&w, name, DNS_A, DNS_IN);
	emit(s, pb_udp(s->frame, cl, rt, 0, w.p, w.n));
	dnsw_init(&w, s->buf, sizeof s->buf);
	dnsw_header(&w, (uint16_t)k, 0x8180, 1, 1, 0, 0);
	dnsw_question(&w, name, DNS_A, DNS_IN);
	dnsw_rr_addr(&w, name, DNS_A, DNS_IN, 300, a.ip);
	emit(s, pb_udp(s->frame, rt, cl, 0, w.p, w.n));
	s->flows++;
}

static int
finish(struct sc *s, const struct gen_opts *o, FILE *truth, struct gen_stats *st,
    uint32_t devices)
{
	st->packets = s->sink.frames;
	st->file_bytes = s->sink.w.file_bytes;
	st->flows = s->flows;
	st->first_ns = T0_NS;
	st->last_ns = s->ts;
	if (sink_close(&s->sink) != 0)
		s->err = 1;
	if (truth != NULL)
		fprintf(truth, "# gen-capture scale ground truth; layout in tests/gen/scen-scale.c\n"
		    "count\tpackets=%" PRIu64 "\twire_bytes=%" PRIu64 "\tflows=%" PRIu64
		    "\tdevices=%" PRIu32 "\n", s->sink.frames, s->sink.wire_bytes, s->flows,
		    devices);
	(void)o;
	return s->err ? -1 : 0;
}

int
scen_stations(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	static struct sc s;
	struct ep cl, rt, sv;
	char name[64];

	memset(&s, 0, sizeof s);
	rng_seed(&s.rng, o->seed, 11);
	s.ts = T0_NS;
	if (sink_open(&s.sink, out, o->fmt, o->link, sc_router, o->snaplen) != 0)
		return -1;
	memset(&rt, 0, sizeof rt);
	memcpy(rt.mac, sc_router, 6);
	rt.ip[0] = 10;
	rt.ttl = 64;
	rt.port = 53;
	for (uint32_t d = 0; d < o->devices && !s.err; d++) {
		station(&cl, d);
		for (uint32_t k = 0; k < o->names; k++)
			lookup(&s, &cl, &rt, k, o->addrs);
		for (uint32_t c = 0; c < SC_CONNS; c++) {
			uint32_t k = (d + c * 7) % o->names;
			size_t n;
			name_of(name, sizeof name, k);
			remote(&sv, k % o->addrs);
			cl.port = (uint16_t)(40000 + c);
			if (c % 2 == 0) {
				sv.port = 80;
				n = (size_t)snprintf((char *)s.buf, sizeof s.buf,
				    "GET /status HTTP/1.1\r\nHost: %s\r\nUser-Agent: scale/1\r\n\r\n",
				    name);
				tcp_conn(&s, &cl, &sv, s.buf, n,
				    (const uint8_t *)"HTTP/1.1 204 No Content\r\n\r\n", 27);
			} else {
				uint8_t sid[32], hello[TLS_HELLO_MAX];
				sv.port = 443;
				n = tls_client_hello(hello, &s.rng, name, 1, "h2", sid);
				size_t an = tls_server_flight(s.buf, &s.rng, 1, sid, 0);
				tcp_conn(&s, &cl, &sv, hello, n, s.buf, an);
			}
		}
	}
	return finish(&s, o, truth, st, o->devices);
}

int
scen_udpflows(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	static struct sc s;
	struct ep cl[4], sv;
	uint8_t req[64], ans[128];

	memset(&s, 0, sizeof s);
	rng_seed(&s.rng, o->seed, 13);
	s.ts = T0_NS;
	if (sink_open(&s.sink, out, o->fmt, o->link, sc_router, o->snaplen) != 0)
		return -1;
	for (uint32_t i = 0; i < 4; i++)
		station(&cl[i], i);
	for (uint32_t i = 0; i < o->flows && !s.err; i++) {
		struct ep *c = &cl[i % 4];
		uint32_t j = i / 4;
		remote(&sv, j % o->addrs);
		/* (station, port, address, port) never repeats: the port pair counts up. */
		c->port = (uint16_t)(1024 + (j / o->addrs) % 64512);
		sv.port = (uint16_t)(1 + rng_next(&s.rng) % 65535);
		rng_fill(&s.rng, req, sizeof req);
		rng_fill(&s.rng, ans, sizeof ans);
		emit(&s, pb_udp(s.frame, c, &sv, 0, req, 20 + i % 40));
		emit(&s, pb_udp(s.frame, &sv, c, 0, ans, 40 + i % 80));
		s.flows++;
	}
	return finish(&s, o, truth, st, 4);
}
