/*
 * scen-splitauth.c — TCP delivery corner cases around cleartext secrets, segment by segment:
 * flow A cuts an HTTP Basic token across two segments; flow B sends one in three segments that
 * arrive out of order (the second is lost before the capture point, the third arrives, the
 * second is retransmitted) and repeats the first later as a duplicate; flow C sends 100000
 * bytes of 'a' to port 8080 in MSS-sized segments, for pattern engines that backtrack.
 *
 * The --truth file has the demo's layout (see scen-demo.c): capture, conv and leak lines, and
 *   run  flow=F  dir=D  offset=N  bytes=M  byte=B    (M bytes of B from offset N)
 *   count  packets=N  tcp_conversations=M
 * Leak offsets count each payload byte once, however often it was sent.
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

#define SA_MSS		1460
#define SA_WIN		64240
#define SA_RUN		100000

static const uint8_t snap_ip[4] = { 3, 121, 45, 16 };	/* AWS eu-central-1, as in the demo */
static const uint8_t plug_ip[4] = { 34, 117, 59, 81 };	/* Google Cloud, as in the demo */
static const char reply[] = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\n\r\nOK";

/* One connection, its segments written straight to the sink in the order given. */
struct sa_conn {
	struct ep	 end[2];	/* 0: the client, 1: the server */
	uint32_t	 isn[2];
	uint32_t	 rcv[2];	/* what each end acknowledges of the peer's: bytes, FIN */
};

struct splitauth {
	struct rng	 rng;
	struct sink	 sink;
	FILE		*truth;
	uint64_t	 ts;		/* when the next frame goes out */
	int		 nconv;
	int		 err;
	uint8_t		 frame[PB_FRAME_MAX];
};

static void __attribute__((format(printf, 2, 3)))
sa_truth(struct splitauth *s, const char *fmt, ...)
{
	va_list ap;

	if (s->truth == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(s->truth, fmt, ap);
	va_end(ap);
}

/*
 * A segment from end `from` carrying n bytes at offset off of its stream (p may be NULL for
 * none), then gap_us until the next frame.  The ACK field is what `from` has received.
 */
static void
sa_seg(struct splitauth *s, struct sa_conn *c, int from, uint8_t flags, uint32_t off,
    const uint8_t *p, size_t n, uint32_t gap_us)
{
	static const uint8_t mss[4] = { 2, 4, SA_MSS >> 8, SA_MSS & 0xff };
	struct tcpseg t;
	size_t len;

	memset(&t, 0, sizeof t);
	t.flags = flags;
	t.seq = c->isn[from] + (flags & TH_SYN ? 0 : 1) + off;
	t.ack = flags & TH_ACK ? c->isn[!from] + 1 + c->rcv[from] : 0;
	t.win = SA_WIN;
	if (flags & TH_SYN) {
		t.opt = mss;
		t.optlen = sizeof mss;
	}
	len = pb_tcp(s->frame, &c->end[from], &c->end[!from], 0, &t, p, n);
	if (sink_frame(&s->sink, s->ts, s->frame, len) != 0)
		s->err = 1;
	s->ts += US(gap_us);
}

/* A pure ACK from `from` for the first rcv bytes of the peer's stream. */
static void
sa_ack(struct splitauth *s, struct sa_conn *c, int from, uint32_t rcv, uint32_t gap_us)
{
	c->rcv[from] = rcv;
	sa_seg(s, c, from, TH_ACK, 0, NULL, 0, gap_us);
}

/* A client on the LAN host h to a public server: the handshake, and the conv truth line. */
static void
sa_open(struct splitauth *s, struct sa_conn *c, int h, const uint8_t *sip, uint16_t sport,
    uint8_t sttl, char *cb, char *sb)
{
	memset(c, 0, sizeof *c);
	memcpy(c->end[0].mac, demo_hosts[h].mac, 6);
	memcpy(c->end[0].ip, demo_hosts[h].ip, 4);
	c->end[0].port = (uint16_t)rng_range(&s->rng, 33000, 60999);
	c->end[0].ttl = demo_hosts[h].ttl;
	c->end[0].ipid = (uint16_t)rng_u32(&s->rng);
	memcpy(c->end[1].mac, demo_hosts[H_ROUTER].mac, 6);
	memcpy(c->end[1].ip, sip, 4);
	c->end[1].port = sport;
	c->end[1].ttl = sttl;
	c->end[1].ipid = (uint16_t)rng_u32(&s->rng);
	c->isn[0] = rng_u32(&s->rng);
	c->isn[1] = rng_u32(&s->rng);
	demo_ep_str(cb, 64, &c->end[0], 0);
	demo_ep_str(sb, 64, &c->end[1], 0);
	sa_truth(s, "conv\ttcp\t%s\t%s\n", cb, sb);
	s->nconv++;

	sa_seg(s, c, 0, TH_SYN, 0, NULL, 0, 30000);
	sa_seg(s, c, 1, TH_SYN | TH_ACK, 0, NULL, 0, 300);
	sa_seg(s, c, 0, TH_ACK, 0, NULL, 0, 400);
}

/* The client closes after the server has sent srv bytes and it has sent cli bytes. */
static void
sa_close(struct splitauth *s, struct sa_conn *c, uint32_t cli, uint32_t srv)
{
	c->rcv[0] = srv;
	c->rcv[1] = cli;
	sa_seg(s, c, 0, TH_FIN | TH_ACK, cli, NULL, 0, 30000);
	c->rcv[1] = cli + 1;
	sa_seg(s, c, 1, TH_FIN | TH_ACK, srv, NULL, 0, 300);
	c->rcv[0] = srv + 1;
	sa_seg(s, c, 0, TH_ACK, cli + 1, NULL, 0, 200000);
}

/* Where the n bytes at needle first occur in the len bytes at hay; aborts when they do not. */
static uint32_t
sa_find(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return (uint32_t)i;
	fprintf(stderr, "gen-capture: splitauth: '%s' not in its request\n", needle);
	abort();
}

/*
 * Writes a GET with Basic credentials for user:pass to req (room for 512 bytes); returns its
 * length and sets *tok and *toklen to where the base64 token is.
 */
static size_t
sa_request(char *req, const char *path, const char *user, const char *pass, uint32_t *tok,
    size_t *toklen)
{
	char plain[64], b64[96];
	int n;

	n = snprintf(plain, sizeof plain, "%s:%s", user, pass);
	*toklen = base64_encode(b64, (const uint8_t *)plain, (size_t)n);
	n = snprintf(req, 512, "GET %s HTTP/1.1\r\n"
	    "Host: snap.camvendor.example-cloud.com\r\n"
	    "User-Agent: HikCam/5.7.3 (Linux; armv7l)\r\n"
	    "Authorization: Basic %s\r\n"
	    "Accept: */*\r\n\r\n", path, b64);
	*tok = sa_find(req, (size_t)n, "Authorization: Basic ") + 21;
	return (size_t)n;
}

/* Flow A: the token cut in its middle by the segment boundary. */
static void
sa_flow_split(struct splitauth *s)
{
	struct sa_conn c;
	char cb[64], sb[64], req[512];
	uint32_t tok, cut;
	size_t len, toklen, rlen = sizeof reply - 1;

	sa_open(s, &c, H_CAM, snap_ip, 80, 52, cb, sb);
	len = sa_request(req, "/api/v1/snapshot", "admin", "split-pass", &tok, &toklen);
	cut = tok + (uint32_t)toklen / 2;
	sa_seg(s, &c, 0, TH_ACK, 0, (const uint8_t *)req, cut, 150);
	sa_seg(s, &c, 0, TH_ACK | TH_PSH, cut, (const uint8_t *)req + cut, len - cut, 30000);
	sa_ack(s, &c, 1, (uint32_t)len, 9000);
	sa_seg(s, &c, 1, TH_ACK | TH_PSH, 0, (const uint8_t *)reply, rlen, 40000);
	sa_ack(s, &c, 0, (uint32_t)rlen, 500000);
	sa_close(s, &c, (uint32_t)len, (uint32_t)rlen);
	sa_truth(s, "leak\thttp-basic\tvalue=split-pass\tflow=%s>%s\tdir=0\toffset=%" PRIu32
	    "\tuser=admin\n", cb, sb, tok);
}

/*
 * Flow B: segments 1, 3, then 2 again after the loss of its first copy (which the capture
 * never saw), then a spurious copy of 1; the token spans all three.
 */
static void
sa_flow_reorder(struct splitauth *s)
{
	struct sa_conn c;
	char cb[64], sb[64], req[512];
	const uint8_t *r = (const uint8_t *)req;
	uint32_t tok, c1, c2, n;
	size_t len, toklen, rlen = sizeof reply - 1;

	sa_open(s, &c, H_CAM, snap_ip, 80, 52, cb, sb);
	len = sa_request(req, "/api/v1/status", "user2", "retrans-pass", &tok, &toklen);
	n = (uint32_t)len;
	c1 = tok + (uint32_t)toklen / 3;
	c2 = tok + 2 * (uint32_t)toklen / 3;
	sa_seg(s, &c, 0, TH_ACK, 0, r, c1, 120);
	sa_seg(s, &c, 0, TH_ACK | TH_PSH, c2, r + c2, n - c2, 30000);
	sa_ack(s, &c, 1, c1, 200000);	/* out of order: the server acks at once */
	sa_seg(s, &c, 0, TH_ACK, c1, r + c1, c2 - c1, 30000);
	sa_ack(s, &c, 1, n, 250000);
	sa_seg(s, &c, 0, TH_ACK, 0, r, c1, 30000);	/* spurious, the first copy's timer */
	sa_ack(s, &c, 1, n, 8000);	/* a duplicate ACK for old data */
	sa_seg(s, &c, 1, TH_ACK | TH_PSH, 0, (const uint8_t *)reply, rlen, 40000);
	sa_ack(s, &c, 0, (uint32_t)rlen, 500000);
	sa_close(s, &c, n, (uint32_t)rlen);
	sa_truth(s, "leak\thttp-basic\tvalue=retrans-pass\tflow=%s>%s\tdir=0\toffset=%" PRIu32
	    "\tuser=user2\n", cb, sb, tok);
}

/* Flow C: SA_RUN bytes of 'a' to the plug's telemetry port, acked every second segment. */
static void
sa_flow_run(struct splitauth *s)
{
	struct sa_conn c;
	char cb[64], sb[64];
	uint8_t *run = xmalloc(SA_RUN);
	uint32_t off, k;
	int nseg = 0, last;

	memset(run, 'a', SA_RUN);
	sa_open(s, &c, H_PLUG, plug_ip, 8080, 119, cb, sb);
	for (off = 0; off < SA_RUN; off += k) {
		k = SA_RUN - off < SA_MSS ? SA_RUN - off : SA_MSS;
		last = off + k == SA_RUN;
		sa_seg(s, &c, 0, last ? TH_ACK | TH_PSH : TH_ACK, off, run + off, k, 120);
		if (++nseg % 2 == 0 || last)
			sa_ack(s, &c, 1, off + k, 150);
	}
	free(run);
	sa_close(s, &c, SA_RUN, 0);
	sa_truth(s, "run\tflow=%s>%s\tdir=0\toffset=0\tbytes=%d\tbyte=a\n", cb, sb, SA_RUN);
}

int
scen_splitauth(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct splitauth *s = xcalloc(1, sizeof *s);
	int rc;

	rng_seed(&s->rng, o->seed, 2);
	s->truth = truth;
	s->ts = T0_NS;
	if (sink_open(&s->sink, out, o->fmt, o->link, demo_hosts[H_ROUTER].mac, o->snaplen) != 0) {
		free(s);
		return -1;
	}
	sa_truth(s, "# gen-capture splitauth ground truth; layout in tests/gen/scen-splitauth.c\n");
	sa_truth(s, "capture\tstart=2026-03-14T09:00:00Z\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n",
	    o->seed, o->link_name, o->fmt_name);
	sa_flow_split(s);
	sa_flow_reorder(s);
	sa_flow_run(s);
	st->packets = s->sink.w.packets;
	st->flows = (uint64_t)s->nconv;
	st->first_ns = T0_NS;
	st->last_ns = s->ts;
	sa_truth(s, "count\tpackets=%" PRIu64 "\ttcp_conversations=%d\n", st->packets, s->nconv);
	rc = s->err ? -1 : 0;
	if (sink_close(&s->sink) != 0)
		rc = -1;
	st->file_bytes = s->sink.w.file_bytes;
	free(s);
	return rc;
}
