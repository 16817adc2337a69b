/*
 * scen-stress.c — captures that test bounded time and memory, built from the specifications
 * (RFC 9112 messages, RFC 1035 names, RFC 9293 sequence numbers), one --shape at a time:
 *   longhdr  HTTP messages with --size-byte header lines and 100000 header lines; one never ends
 *   dnsloop  DNS (UDP 53, TCP 53) and mDNS with compression loops, chains, names past 255 octets
 *   tinyooo  --flows HTTP uploads of --size bytes each in 1- to 3-byte TCP segments, out of order
 *   snapcut  frames of five kinds cut at every byte of their headers and into their payload
 * The --truth file (key<TAB>value lines):
 *   count   packets=N  wire_bytes=B  captured_bytes=C
 *   leak    http-basic  value=V  user=U  port=P     (a credential iotscope must find)
 *   lost    http-basic  value=V  user=U             (one no bounded reassembly can recover)
 *   name    ip=A  name=N                            (an address a DNS answer names)
 *   noname  ip=A                                    (an answer that must be refused)
 *   expect  KEY=N                                   (overview counters: malformed, truncated, dns)
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

#define ST_MSS		1460
#define ST_HDR_LINES	100000

static const uint8_t st_router[6] = { 0x02, 0x53, 0x54, 0x00, 0x00, 0xfe };
static const uint8_t st_cam_mac[6] = { 0x02, 0x53, 0x54, 0x00, 0x00, 0x10 };
static const uint8_t st_cam_ip[4] = { 192, 168, 9, 10 };
static const uint8_t st_dev_mac[6] = { 0x02, 0x53, 0x54, 0x00, 0x00, 0x11 };
static const uint8_t st_dev_ip[4] = { 192, 168, 9, 11 };
static const uint8_t st_dns_ip[4] = { 192, 168, 9, 1 };

struct stress {
	struct rng	 rng;
	struct sink	 sink;
	FILE		*truth;
	uint64_t	 ts;
	uint64_t	 captured;
	int		 err;
	uint8_t		 frame[PB_FRAME_MAX];
};

struct st_conn {
	struct ep	 end[2];	/* 0: the client, 1: the server */
	uint32_t	 isn[2];
};

static void __attribute__((format(printf, 2, 3)))
st_truth(struct stress *s, const char *fmt, ...)
{
	va_list ap;

	if (s->truth == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(s->truth, fmt, ap);
	va_end(ap);
}

/* Writes the frame in s->frame; its captured length is what the sink's snaplen leaves. */
static void
st_emit(struct stress *s, size_t len, uint32_t gap_ns)
{
	uint64_t w = s->sink.wire_bytes;

	if (sink_frame(&s->sink, s->ts, s->frame, len) != 0)
		s->err = 1;
	w = s->sink.wire_bytes - w;
	s->captured += w < s->sink.snaplen ? w : s->sink.snaplen;
	s->ts += gap_ns;
}

static void
st_ep(struct ep *e, const uint8_t *mac, const uint8_t *ip, uint16_t port, uint8_t ttl)
{
	memset(e, 0, sizeof *e);
	memcpy(e->mac, mac, 6);
	memcpy(e->ip, ip, 4);
	e->port = port;
	e->ttl = ttl;
}

/* A segment from `from` with n bytes at stream offset off (sequence numbers wrap). */
static void
st_seg(struct stress *s, struct st_conn *c, int from, uint8_t flags, uint32_t off,
    const uint8_t *p, size_t n)
{
	struct tcpseg t;

	memset(&t, 0, sizeof t);
	t.flags = flags;
	t.seq = c->isn[from] + (flags & TH_SYN ? 0 : 1) + off;
	t.ack = flags & TH_ACK ? c->isn[!from] + 1 : 0;
	t.win = 64240;
	st_emit(s, pb_tcp(s->frame, &c->end[from], &c->end[!from], 0, &t, p, n), 20000);
}

static void
st_open(struct stress *s, struct st_conn *c, const uint8_t *sip, uint16_t sport,
    uint32_t cisn)
{
	st_ep(&c->end[0], st_cam_mac, st_cam_ip, (uint16_t)rng_range(&s->rng, 33000, 60999), 64);
	st_ep(&c->end[1], st_router, sip, sport, 52);
	c->isn[0] = cisn;
	c->isn[1] = rng_u32(&s->rng);
	st_seg(s, c, 0, TH_SYN, 0, NULL, 0);
	st_seg(s, c, 1, TH_SYN | TH_ACK, 0, NULL, 0);
	st_seg(s, c, 0, TH_ACK, 0, NULL, 0);
}

/* A whole message from `from` in MSS-sized segments, in order. */
static void
st_send(struct stress *s, struct st_conn *c, int from, uint32_t off, const uint8_t *p,
    size_t n)
{
	for (size_t i = 0; i < n; i += ST_MSS) {
		size_t k = n - i < ST_MSS ? n - i : ST_MSS;
		st_seg(s, c, from, TH_ACK | (i + k == n ? TH_PSH : 0), off + (uint32_t)i, p + i, k);
	}
}

static void
st_close(struct stress *s, struct st_conn *c, uint32_t cli, uint32_t srv)
{
	st_seg(s, c, 0, TH_FIN | TH_ACK, cli, NULL, 0);
	st_seg(s, c, 1, TH_FIN | TH_ACK, srv, NULL, 0);
	st_seg(s, c, 0, TH_ACK, cli + 1, NULL, 0);
}

/* A growing byte buffer for the messages. */
struct st_buf {
	uint8_t		*p;
	size_t		 n, cap;
};

static void
buf_put(struct st_buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		while (b->n + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL) {
			fprintf(stderr, "gen-capture: out of memory\n");
			exit(1);
		}
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void __attribute__((format(printf, 2, 3)))
buf_printf(struct st_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_put(b, tmp, (size_t)n);
}

static void
buf_fill(struct st_buf *b, int c, size_t n)
{
	uint8_t chunk[4096];

	memset(chunk, c, sizeof chunk);
	while (n > 0) {
		size_t k = n < sizeof chunk ? n : sizeof chunk;
		buf_put(b, chunk, k);
		n -= k;
	}
}

/* "Authorization: Basic <user:pass in base64>\r\n", and the leak line for it. */
static void
buf_basic(struct stress *s, struct st_buf *b, const char *kind, const char *user,
    const char *pass, uint16_t port)
{
	char plain[128], b64[192];
	int n = snprintf(plain, sizeof plain, "%s:%s", user, pass);

	b64[base64_encode(b64, (const uint8_t *)plain, (size_t)n)] = '\0';
	buf_printf(b, "Authorization: Basic %s\r\n", b64);
	st_truth(s, "%s\thttp-basic\tvalue=%s\tuser=%s\tport=%u\n", kind, pass, user, port);
}

/* ---- longhdr ------------------------------------------------------------------------- */

static const char st_ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

static void
st_exchange(struct stress *s, const uint8_t *sip, uint16_t port, const struct st_buf *req,
    const struct st_buf *rep, int fin)
{
	struct st_conn c;
	const uint8_t *rp = rep != NULL ? rep->p : (const uint8_t *)st_ok;
	size_t rn = rep != NULL ? rep->n : sizeof st_ok - 1;

	st_open(s, &c, sip, port, rng_u32(&s->rng));
	st_send(s, &c, 0, 0, req->p, req->n);
	if (fin) {	/* the client gives up mid-header: the server never answers */
		st_close(s, &c, (uint32_t)req->n, 0);
		return;
	}
	st_send(s, &c, 1, 0, rp, rn);
	st_close(s, &c, (uint32_t)req->n, (uint32_t)rn);
}

static void
shape_longhdr(struct stress *s, uint64_t size)
{
	static const uint8_t srv[4][4] = { { 203, 0, 113, 80 }, { 203, 0, 113, 81 },
	    { 203, 0, 113, 82 }, { 203, 0, 113, 83 } };
	struct st_buf q = { 0 }, r = { 0 };

	/* 1. A Host and a Cookie line of --size bytes each, then the credentials. */
	buf_printf(&q, "GET /cfg HTTP/1.1\r\nHost: ");
	buf_fill(&q, 'h', size);
	buf_printf(&q, ".example\r\nCookie: sid=");
	buf_fill(&q, 'c', size);
	buf_printf(&q, "\r\n");
	buf_basic(s, &q, "leak", "longhdr", "after-long-lines", 80);
	buf_printf(&q, "Authorization: Bearer ");	/* a token no match can hold */
	buf_fill(&q, 'T', size);
	buf_printf(&q, "\r\n\r\n");
	st_exchange(s, srv[0], 80, &q, NULL, 0);

	/* 2. 100000 header lines each way, the credentials after them. */
	q.n = r.n = 0;
	buf_printf(&q, "GET /list HTTP/1.1\r\nHost: many.example\r\n");
	buf_printf(&r, "HTTP/1.1 200 OK\r\n");
	for (unsigned i = 0; i < ST_HDR_LINES; i++) {
		buf_printf(&q, "X-Opt-%06u: %u\r\n", i, i * 7);
		buf_printf(&r, "Set-Cookie: k%u=v%u\r\n", i, i);
	}
	buf_basic(s, &q, "leak", "manyhdr", "after-100k-lines", 8080);
	buf_printf(&q, "\r\n");
	buf_printf(&r, "Content-Length: 0\r\n\r\n");
	st_exchange(s, srv[1], 8080, &q, &r, 0);

	/* 3. A response with one --size-byte header line. */
	q.n = r.n = 0;
	buf_printf(&q, "GET /status HTTP/1.1\r\nHost: long-reply.example\r\n\r\n");
	buf_printf(&r, "HTTP/1.1 200 OK\r\nX-Long: ");
	buf_fill(&r, 'x', size);
	buf_printf(&r, "\r\nContent-Length: 0\r\n\r\n");
	st_exchange(s, srv[2], 80, &q, &r, 0);

	/* 4. A header never terminated: --size bytes without a line end, then FIN. */
	q.n = 0;
	buf_printf(&q, "POST /upload HTTP/1.1\r\nHost: never.example\r\n");
	buf_basic(s, &q, "leak", "noend", "never-terminated", 80);
	buf_printf(&q, "X-Never: ");
	buf_fill(&q, 'n', size);
	st_exchange(s, srv[3], 80, &q, NULL, 1);
	free(q.p);
	free(r.p);
}

/* ---- dnsloop ------------------------------------------------------------------------- */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A response header with one question, an answers, and the question name given raw. */
static size_t
dns_head(uint8_t *m, uint16_t id, uint16_t an, const uint8_t *qname, size_t qlen)
{
	put16(m, id);
	put16(m + 2, 0x8180);		/* response, RD, RA */
	put16(m + 4, 1);
	put16(m + 6, an);
	put16(m + 8, 0);
	put16(m + 10, 0);
	memcpy(m + 12, qname, qlen);
	put16(m + 12 + qlen, DNS_A);
	put16(m + 14 + qlen, DNS_IN);
	return 16 + qlen;
}

/* An RR at m+n: the owner name raw, then type, class, TTL and rdata. */
static size_t
dns_rr(uint8_t *m, size_t n, const uint8_t *name, size_t nlen, uint16_t type,
    const uint8_t *rdata, uint16_t rdlen)
{
	memcpy(m + n, name, nlen);
	n += nlen;
	put16(m + n, type);
	put16(m + n + 2, DNS_IN);
	put16(m + n + 4, 0);
	put16(m + n + 6, 300);
	put16(m + n + 8, rdlen);
	memcpy(m + n + 10, rdata, rdlen);
	return n + 10 + rdlen;
}

/* "example" in wire form with a first label of the given text. */
static size_t
dns_wire(uint8_t *w, const char *first)
{
	size_t k = strlen(first);

	w[0] = (uint8_t)k;
	memcpy(w + 1, first, k);
	memcpy(w + 1 + k, "\7example\0", 9);
	return k + 10;
}

/* Labels of 63, 63, 63 and last bytes, then "x": 196 + last octets on the wire. */
static size_t
dns_long(uint8_t *w, int last)
{
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		w[n++] = 63;
		memset(w + n, 'a' + i, 63);
		n += 63;
	}
	w[n++] = (uint8_t)last;
	memset(w + n, 'd', (size_t)last);
	n += (size_t)last;
	w[n++] = 1;
	w[n++] = 'x';
	w[n++] = 0;
	return n;
}

/*
 * The messages of the shape, each with one A answer for 198.51.100.K: *good says whether
 * iotscope must read it (name line) or refuse it (noname line).  Returns the length, 0 past
 * the last.
 */
static size_t
dns_case(uint8_t *m, int k, int *good, char *name, size_t namelen)
{
	uint8_t q[300], ptr[2], addr[4] = { 198, 51, 100, (uint8_t)k };
	uint8_t chain[2 * 70];
	size_t n, ql;
	int hops;

	*good = 0;
	name[0] = '\0';
	switch (k) {
	case 1:		/* the control: an ordinary answer, its name compressed */
		ql = dns_wire(q, "ok-ref");
		n = dns_head(m, 0x1001, 1, q, ql);
		put16(ptr, 0xc00c);
		*good = 1;
		snprintf(name, namelen, "ok-ref.example");
		return dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
	case 2:		/* the question name is a pointer to itself */
		put16(q, 0xc00c);
		n = dns_head(m, 0x1002, 1, q, 2);
		return dns_rr(m, n, q, 2, DNS_A, addr, 4);
	case 3:		/* two pointers to each other (the owner names at 32 and 34) */
		ql = dns_wire(q, "cycle");
		n = dns_head(m, 0x1003, 1, q, ql);
		put16(ptr, (uint16_t)(0xc000 | (n + 16)));	/* → the second RR's owner */
		n = dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
		put16(ptr, (uint16_t)(0xc000 | (n - 16)));	/* → the first RR's owner */
		put16(m + 6, 2);
		return dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
	case 4:		/* pointer chains of 63 and 64 pointers: 64 and 65 jumps */
	case 5:
		hops = k == 4 ? 63 : 64;
		ql = dns_wire(q, k == 4 ? "chain-ok" : "chain-over");
		n = dns_head(m, (uint16_t)(0x1000 + k), 2, q, ql);
		/* A private-use RR whose rdata is the chain, each pointer to the one before. */
		for (int i = 0; i < hops; i++) {
			size_t at = n + 2 + 10 + 2 * (size_t)i;
			put16(chain + 2 * i, (uint16_t)(0xc000 | (i == 0 ? 12 : at - 2)));
		}
		put16(ptr, 0xc00c);
		n = dns_rr(m, n, ptr, 2, 65280, chain, (uint16_t)(2 * hops));
		put16(ptr, (uint16_t)(0xc000 | (n - 2)));	/* → the chain's last pointer */
		if (k == 4) {
			*good = 1;
			snprintf(name, namelen, "chain-ok.example");
		}
		return dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
	case 6:		/* a pointer forward past the message's end */
		ql = dns_wire(q, "past-end");
		n = dns_head(m, 0x1006, 1, q, ql);
		put16(ptr, 0xc000 | 0x3fff);
		return dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
	case 7:		/* a name of 255 octets, the most RFC 1035 3.1 allows */
	case 8:		/* and of 256 */
		ql = dns_long(q, k == 7 ? 59 : 60);
		n = dns_head(m, (uint16_t)(0x1000 + k), 1, q, ql);
		put16(ptr, 0xc00c);
		if (k == 7) {
			char *o = name;
			*good = 1;
			for (int i = 0; i < 3; i++, o += 64)
				memset(o, 'a' + i, 63), o[63] = '.';
			memset(o, 'd', 59);
			memcpy(o + 59, ".x", 3);
		}
		return dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
	case 9:		/* a label of 64 bytes: its length has the 0x40 bit */
		q[0] = 64;
		memset(q + 1, 'l', 64);
		memcpy(q + 65, "\7example\0", 9);
		n = dns_head(m, 0x1009, 1, q, 74);
		put16(ptr, 0xc00c);
		return dns_rr(m, n, ptr, 2, DNS_A, addr, 4);
	default:
		return 0;
	}
}

static void
shape_dnsloop(struct stress *s, uint64_t nnames)
{
	static const uint8_t mdns_ip[4] = { 224, 0, 0, 251 }, flood_ip[4] = { 192, 168, 9, 77 };
	uint8_t m[1500], mlen[2];
	char name[300];
	struct ep cl, rs, dev, grp;
	struct st_conn c;
	uint32_t toff = 0;
	size_t n;
	int good, ncase = 0, nmsg = 0, nbad = 0;

	st_ep(&cl, st_cam_mac, st_cam_ip, 40053, 64);
	st_ep(&rs, st_router, st_dns_ip, 53, 64);
	st_ep(&dev, st_dev_mac, st_dev_ip, 5353, 255);
	st_ep(&grp, st_router, mdns_ip, 5353, 255);
	pb_mcast_mac(grp.mac, grp.ip, 0);
	st_open(s, &c, st_dns_ip, 53, rng_u32(&s->rng));
	for (int k = 1; (n = dns_case(m, k, &good, name, sizeof name)) > 0; k++) {
		/* Each message three ways: UDP from the resolver, mDNS from a device, TCP. */
		st_emit(s, pb_udp(s->frame, &rs, &cl, 0, m, n), 1000000);
		st_emit(s, pb_udp(s->frame, &dev, &grp, 0, m, n), 1000000);
		put16(mlen, (uint16_t)n);
		uint8_t tm[1502];
		memcpy(tm, mlen, 2);
		memcpy(tm + 2, m, n);
		st_seg(s, &c, 1, TH_ACK | TH_PSH, toff, tm, n + 2);
		toff += (uint32_t)n + 2;
		ncase++;
		if (good)
			st_truth(s, "name\tip=198.51.100.%d\tname=%s\n", k, name);
		else {
			st_truth(s, "noname\tip=198.51.100.%d\n", k);
			nbad++;
		}
	}
	st_close(s, &c, 0, toff);

	/* --size names for one address, 32 to an mDNS answer. */
	for (uint64_t i = 0; i < nnames; i += 32) {
		struct dnsw w;
		dnsw_init(&w, m, sizeof m);
		uint16_t an = (uint16_t)(nnames - i < 32 ? nnames - i : 32);
		dnsw_header(&w, 0, 0x8400, 0, an, 0, 0);
		for (uint16_t j = 0; j < an; j++) {
			char host[64];
			snprintf(host, sizeof host, "flood-%07" PRIu64 ".local", i + j);
			dnsw_rr_addr(&w, host, DNS_A, DNS_IN | DNS_FLUSH, 120, flood_ip);
		}
		st_emit(s, pb_udp(s->frame, &dev, &grp, 0, w.p, w.n), 100000);
		nmsg++;
	}
	st_truth(s, "expect\tmalformed_application=%d\n", 3 * nbad);
	st_truth(s, "expect\tdns=%d\n", 2 * ncase);	/* UDP and TCP */
	st_truth(s, "expect\tmdns=%d\n", ncase + nmsg);
	st_truth(s, "flood\tip=192.168.9.77\tnames=%" PRIu64 "\n", nnames);
}

/* ---- tinyooo ------------------------------------------------------------------------- */

/*
 * Flow i's delivery (i % 4): 0, blocks of eight 1-byte segments each sent last byte first,
 * the block's first byte again after it; 1, 3-byte segments advancing 1 or 2 bytes (each
 * overlapping the one before), every fifth sent twice; 2, 1- to 4-byte segments in swapped
 * pairs, the sequence numbers wrapping inside the credentials, and a 1-byte segment 2^31 - 16
 * ahead just before them; 3, the whole stream reversed, which no bounded reassembly recovers.
 */
struct st_tiny {
	struct st_conn	 c;
	struct st_buf	 b;
	uint32_t	 pos;		/* next stream offset to plan */
	int		 mode;
	uint32_t	 pend[16][2];	/* planned (offset, length) not yet sent */
	int		 npend, ipend;
	int		 jumped;
};

static void
tiny_plan(struct stress *s, struct st_tiny *t)
{
	uint32_t n = (uint32_t)t->b.n, k;

	t->npend = t->ipend = 0;
	switch (t->mode) {
	case 0:
		k = n - t->pos < 8 ? n - t->pos : 8;
		for (uint32_t i = 0; i < k; i++) {
			t->pend[i][0] = t->pos + k - 1 - i;
			t->pend[i][1] = 1;
		}
		t->pend[k][0] = t->pos;
		t->pend[k][1] = 1;
		t->npend = (int)k + 1;
		t->pos += k;
		break;
	case 1:
		k = n - t->pos < 3 ? n - t->pos : 3;
		t->pend[0][0] = t->pos;
		t->pend[0][1] = k;
		t->npend = 1;
		if (rng_below(&s->rng, 5) == 0) {
			t->pend[1][0] = t->pos;
			t->pend[1][1] = k;
			t->npend = 2;
		}
		t->pos += k < 2 ? k : 1 + rng_below(&s->rng, 2);
		break;
	case 2: {
		uint32_t a = 1 + rng_below(&s->rng, 4), b = 1 + rng_below(&s->rng, 4);
		if (a > n - t->pos)
			a = n - t->pos;
		if (b > n - t->pos - a)
			b = n - t->pos - a;
		if (b > 0) {
			t->pend[t->npend][0] = t->pos + a;
			t->pend[t->npend++][1] = b;
		}
		t->pend[t->npend][0] = t->pos;
		t->pend[t->npend++][1] = a;
		t->pos += a + b;
		break;
	}
	default:
		t->pend[0][0] = n - 1 - t->pos;
		t->pend[0][1] = 1;
		t->npend = 1;
		t->pos++;
		break;
	}
}

/* The next segment of flow t; 0 when its stream is all sent. */
static int
tiny_step(struct stress *s, struct st_tiny *t)
{
	if (t->ipend == t->npend) {
		if (t->pos >= t->b.n)
			return 0;
		tiny_plan(s, t);
	}
	uint32_t off = t->pend[t->ipend][0], len = t->pend[t->ipend][1];
	t->ipend++;
	if (t->mode == 2 && !t->jumped && off >= 16) {
		/* 2^31 - 16 bytes ahead: a segment no window can place, before the token. */
		t->jumped = 1;
		st_seg(s, &t->c, 0, TH_ACK, off + 0x7ffffff0u, (const uint8_t *)"J", 1);
		s->ts -= 19000;
	}
	st_seg(s, &t->c, 0, TH_ACK, off, t->b.p + off, len);
	s->ts -= 19000;		/* 1 µs apart, not the default 20 */
	return 1;
}

static void
shape_tinyooo(struct stress *s, uint64_t size, uint32_t nflows)
{
	struct st_tiny *t = xcalloc(nflows, sizeof *t);
	uint8_t sip[4] = { 203, 0, 113, 0 };
	uint32_t live = nflows;

	for (uint32_t i = 0; i < nflows; i++) {
		char user[32], pass[64];
		t[i].mode = (int)(i % 4);
		snprintf(user, sizeof user, "tiny%u", i);
		snprintf(pass, sizeof pass, "%s-pass-%u", i % 4 == 0 ? "window" : i % 4 == 1 ?
		    "overlap" : i % 4 == 2 ? "wrap" : "reversed", i);
		buf_printf(&t[i].b, "POST /api/v1/upload HTTP/1.1\r\nHost: tiny.example\r\n");
		size_t at = t[i].b.n;
		buf_basic(s, &t[i].b, i % 4 == 3 ? "lost" : "leak", user, pass, 80);
		buf_printf(&t[i].b, "Content-Length: %" PRIu64 "\r\n\r\n", size);
		/* Lines of 4 KiB, longer than what the scanner carries between pieces. */
		for (uint64_t j = 0; j < size; j += 4096) {
			uint64_t k = size - j < 4096 ? size - j : 4096;
			char line[4096];
			memset(line, 'a' + (int)(j / 4096 % 26), sizeof line);
			if (k == 4096)
				memcpy(line + 4094, "\r\n", 2);
			buf_put(&t[i].b, line, (size_t)k);
		}
		sip[3] = (uint8_t)(100 + i % 100);
		/* Mode 2: the ISN puts 2^32 in the middle of the token. */
		uint32_t isn = t[i].mode == 2 ? (uint32_t)(0u - 1u - (uint32_t)at - 30u) :
		    rng_u32(&s->rng);
		st_open(s, &t[i].c, sip, 80, isn);
	}
	/* Round robin over the flows, a segment each. */
	while (live > 0) {
		live = 0;
		for (uint32_t i = 0; i < nflows; i++)
			if (t[i].b.p != NULL && tiny_step(s, &t[i]))
				live++;
	}
	for (uint32_t i = 0; i < nflows; i++) {
		st_seg(s, &t[i].c, 1, TH_ACK | TH_PSH, 0, (const uint8_t *)st_ok, sizeof st_ok - 1);
		st_close(s, &t[i].c, (uint32_t)t[i].b.n, sizeof st_ok - 1);
		free(t[i].b.p);
	}
	free(t);
}

/* ---- snapcut ------------------------------------------------------------------------- */

/*
 * One frame written whole, then cut to every length from 1 to its own less one; the layer
 * each cut falls in is counted for the truth (hl: the ends of the link, network and
 * transport headers).
 */
static void
snap_all(struct stress *s, size_t len, const size_t hl[3], uint64_t cut_at[4])
{
	uint32_t keep = s->sink.snaplen;
	uint64_t w = s->sink.wire_bytes;

	st_emit(s, len, 1000);
	w = s->sink.wire_bytes - w;		/* with the link's padding */
	for (uint32_t k = 1; k < w; k++) {
		s->sink.snaplen = k;
		st_emit(s, len, 1000);
		int l = k < hl[0] ? 0 : k < hl[1] ? 1 : k < hl[2] ? 2 : 3;
		cut_at[l]++;
	}
	s->sink.snaplen = keep;
}

static void
shape_snapcut(struct stress *s)
{
	static const char names[4][12] = { "link", "network", "transport", "application" };
	static const uint8_t srv[4] = { 203, 0, 113, 90 };
	uint64_t cut_at[4] = { 0, 0, 0, 0 };
	struct st_buf q = { 0 };
	struct ep a, b;
	struct tcpseg t;
	uint8_t dns[512];
	size_t n, hl[3];
	int good;
	char name[300];

	st_ep(&a, st_cam_mac, st_cam_ip, 41000, 64);
	st_ep(&b, st_router, srv, 80, 52);
	memset(&t, 0, sizeof t);
	t.flags = TH_ACK | TH_PSH;
	t.seq = 1000;
	t.ack = 2000;
	t.win = 64240;
	buf_printf(&q, "GET /snap HTTP/1.1\r\nHost: cut.example\r\n");
	buf_basic(s, &q, "leak", "snapcut", "whole-copy-first", 80);
	buf_printf(&q, "\r\n");
	/* TCP over IPv4 with an HTTP request. */
	hl[0] = 14, hl[1] = 34, hl[2] = 54;
	snap_all(s, pb_tcp(s->frame, &a, &b, 0, &t, q.p, q.n), hl, cut_at);
	/* UDP over IPv4 with a DNS answer: the UDP header ends at 42. */
	b.port = 53;
	n = dns_case(dns, 1, &good, name, sizeof name);
	hl[2] = 42;
	snap_all(s, pb_udp(s->frame, &b, &a, 0, dns, n), hl, cut_at);
	/* TCP over IPv6. */
	memset(a.ip, 0, 16);
	memset(b.ip, 0, 16);
	a.ip[0] = 0xfd, a.ip[15] = 0x10;
	b.ip[0] = 0x20, b.ip[1] = 0x01, b.ip[2] = 0x0d, b.ip[3] = 0xb8, b.ip[15] = 0x90;
	b.port = 8080;
	hl[1] = 54, hl[2] = 74;
	snap_all(s, pb_tcp(s->frame, &a, &b, 1, &t, q.p, 24), hl, cut_at);
	/* ICMP echo over IPv4: its 8-byte header ends at 42. */
	memcpy(a.ip, st_cam_ip, 4);
	memcpy(b.ip, srv, 4);
	memset(a.ip + 4, 0, 12);
	memset(b.ip + 4, 0, 12);
	hl[1] = 34, hl[2] = 42;
	snap_all(s, pb_icmp_echo(s->frame, &a, &b, 0, 0, 7, 1, (const uint8_t *)"ping0123", 8),
	    hl, cut_at);
	/*
	 * ARP: the link header, then 28 bytes of ARP and padding to 60, all of it counted at the
	 * application layer, where iotscope reads what ARP says (its overview's convention).
	 */
	hl[0] = 14, hl[1] = 14, hl[2] = 14;
	static const uint8_t zero_mac[6];
	snap_all(s, pb_arp(s->frame, st_router, 1, st_cam_mac, st_cam_ip, zero_mac, srv), hl,
	    cut_at);
	free(q.p);
	uint64_t all = 0;
	for (int i = 0; i < 4; i++) {
		st_truth(s, "expect\ttruncated_%s=%" PRIu64 "\n", names[i], cut_at[i]);
		all += cut_at[i];
	}
	st_truth(s, "expect\ttruncated=%" PRIu64 "\n", all);
}

int
scen_stress(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct stress *s = xcalloc(1, sizeof *s);
	const char *shape = o->shape != NULL ? o->shape : "longhdr";
	int rc;

	rng_seed(&s->rng, o->seed, 11);
	s->truth = truth;
	s->ts = T0_NS;
	if (sink_open(&s->sink, out, o->fmt, o->link, st_router, o->snaplen) != 0) {
		free(s);
		return -1;
	}
	st_truth(s, "# gen-capture stress ground truth; layout in tests/gen/scen-stress.c\n");
	st_truth(s, "capture\tshape=%s\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n", shape, o->seed,
	    o->link_name, o->fmt_name);
	if (strcmp(shape, "longhdr") == 0)
		shape_longhdr(s, o->size_set ? o->size : 1u << 20);
	else if (strcmp(shape, "dnsloop") == 0)
		shape_dnsloop(s, o->size_set ? o->size : 20000);
	else if (strcmp(shape, "tinyooo") == 0)
		shape_tinyooo(s, o->size_set ? o->size : 1u << 20, o->flows_set ? o->flows : 4);
	else
		shape_snapcut(s);
	st->packets = s->sink.frames;
	st->flows = 0;
	st->first_ns = T0_NS;
	st->last_ns = s->ts;
	st_truth(s, "count\tpackets=%" PRIu64 "\twire_bytes=%" PRIu64 "\tcaptured_bytes=%" PRIu64
	    "\n", s->sink.frames, s->sink.wire_bytes, s->captured);
	rc = s->err ? -1 : 0;
	if (sink_close(&s->sink) != 0)
		rc = -1;
	st->file_bytes = s->sink.w.file_bytes;
	free(s);
	return rc;
}
