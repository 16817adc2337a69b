/*
 * scen-evil.c — hostile strings wherever a device may put text: terminal escapes (ESC [ 2 J,
 * OSC 0, 2 and 52 titles and clipboard writes), C1 CSI both as the raw byte 0x9b and as U+009B
 * in UTF-8, invalid UTF-8, U+202E (right-to-left override), spreadsheet formulas and values of
 * several KB, in a DHCP host name and vendor class, DNS query and answer names, a TLS SNI, HTTP
 * Host, User-Agent, Basic credentials and a form password, mDNS names and an SSDP SERVER.
 * Every report and message of iotscope must show them escaped (tests/e2e/output-safety.sh).
 *
 * Two devices behind the demo's router: "cam" (192.168.1.66) takes a DHCP lease, resolves a
 * name, says hello over TLS and logs in over HTTP; "hub" (192.168.1.67) announces itself by
 * mDNS and SSDP.  The --truth file holds the capture and count lines of the demo's layout.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "msg.h"
#include "scen.h"
#include "xmem.h"

#define EV_MSS		1460
#define EV_WIN		64240
#define EV_LONG		3000	/* bytes of a long value: more than a cell holds */

/* The pieces: C literals end each hex escape so the next character is not read into it. */
#define CLEAR	"\x1b[2J"
#define OSC0	"\x1b]0;pwned\x07"
#define OSC2	"\x1b]2;pwned\x07"
#define OSC52	"\x1b]52;c;cHduZWQ=\x07"	/* "pwned" to the clipboard */
#define CSI8	"\x9b" "31m"			/* C1 CSI, the raw byte */
#define CSIU	"\xc2\x9b" "32m"		/* C1 CSI as UTF-8 (U+009B) */
#define BADU8	"\xff\xc0\x80"			/* never UTF-8; an overlong NUL */
#define RLO	"\xe2\x80\xae"			/* U+202E */

static const uint8_t cam_mac[6] = { 0xc0, 0x56, 0xe3, 0x66, 0x66, 0x01 };
static const uint8_t cam_ip[4] = { 192, 168, 1, 66 };
static const uint8_t hub_mac[6] = { 0x00, 0x17, 0x88, 0x66, 0x66, 0x02 };
static const uint8_t hub_ip[4] = { 192, 168, 1, 67 };
static const uint8_t web_ip[4] = { 45, 33, 32, 156 };
static const uint8_t tls_ip[4] = { 45, 33, 32, 157 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mdns4[4] = { 224, 0, 0, 251 };
static const uint8_t ssdp4[4] = { 239, 255, 255, 250 };

static const char dhcp_name[] = "=cam" CLEAR OSC0 CSI8 CSIU BADU8 RLO "gpj.exe";
static const char dhcp_vendor[] = "+vendor" OSC52 OSC2 BADU8 RLO;
/* Labels may hold any byte but '.', which the writer takes for a separator; ev_dns adds two
 * long labels, for a name near the 255 bytes DNS allows. */
static const char dns_head[] = "evil" CLEAR "." OSC0 "." CSI8 CSIU RLO;
static const char http_host[] = "host" CLEAR OSC0 CSI8 ".example";
static const char mdns_host[] = "@hub" CLEAR OSC0 ".local";
static const char mdns_inst[] = "Hub" OSC2 CSI8 RLO "._hap._tcp.local";
static const char ssdp_server[] = "-2+3 " CLEAR OSC52 CSIU " UPnP/1.0 hub/1.0";
/* user:password of the Basic header; the form's user and password, URL-encoded. */
static const char basic_cred[] = "adm" CLEAR "in:pa" OSC0 "ss" CSI8 RLO;
static const char form_user[] = "-2%2B3%1B%5B2J";
static const char form_pass[] = "%3Dcmd%7C%27%20%2FC%20calc%27%21A0%1B%5D52%3Bc%3BcHduZWQ%3D"
    "%07%C2%9B%E2%80%AE%9B";

struct ev_conn {
	struct ep	 end[2];	/* 0: the client, 1: the server */
	uint32_t	 isn[2];
	uint32_t	 sent[2];	/* payload bytes each end has sent */
};

struct evil {
	struct rng	 rng;
	struct sink	 sink;
	uint64_t	 ts;
	int		 nconv;
	int		 err;
	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 buf[16384];
};

static void
ev_frame(struct evil *e, size_t len, uint32_t gap_us)
{
	if (sink_frame(&e->sink, e->ts, e->frame, len) != 0)
		e->err = 1;
	e->ts += US(gap_us);
}

static struct ep
ev_ep(const uint8_t *mac, const uint8_t *ip, uint16_t port, uint8_t ttl, struct rng *r)
{
	struct ep p;

	memset(&p, 0, sizeof p);
	memcpy(p.mac, mac, 6);
	memcpy(p.ip, ip, 4);
	p.port = port;
	p.ttl = ttl;
	p.ipid = (uint16_t)rng_u32(r);
	return p;
}

/* One segment from end `from`, acknowledging everything the peer has sent. */
static void
ev_seg(struct evil *e, struct ev_conn *c, int from, uint8_t flags, const uint8_t *p, size_t n,
    uint32_t gap_us)
{
	struct tcpseg t;

	memset(&t, 0, sizeof t);
	t.flags = flags;
	t.seq = c->isn[from] + (flags & TH_SYN ? 0 : 1) + c->sent[from];
	t.ack = flags & TH_ACK ? c->isn[!from] + 1 + c->sent[!from] : 0;
	t.win = EV_WIN;
	ev_frame(e, pb_tcp(e->frame, &c->end[from], &c->end[!from], 0, &t, p, n), gap_us);
	c->sent[from] += (uint32_t)n;
}

static void
ev_open(struct evil *e, struct ev_conn *c, const uint8_t *sip, uint16_t sport)
{
	memset(c, 0, sizeof *c);
	c->end[0] = ev_ep(cam_mac, cam_ip, (uint16_t)rng_range(&e->rng, 33000, 60999), 64,
	    &e->rng);
	c->end[1] = ev_ep(demo_hosts[H_ROUTER].mac, sip, sport, 52, &e->rng);
	c->isn[0] = rng_u32(&e->rng);
	c->isn[1] = rng_u32(&e->rng);
	e->nconv++;
	ev_seg(e, c, 0, TH_SYN, NULL, 0, 30000);
	ev_seg(e, c, 1, TH_SYN | TH_ACK, NULL, 0, 300);
	ev_seg(e, c, 0, TH_ACK, NULL, 0, 400);
}

/* n bytes from `from` in MSS-sized segments, then the peer's ACK. */
static void
ev_send(struct evil *e, struct ev_conn *c, int from, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t off = 0; off < n; off += EV_MSS) {
		size_t k = n - off < EV_MSS ? n - off : EV_MSS;
		ev_seg(e, c, from, off + k == n ? TH_ACK | TH_PSH : TH_ACK, b + off, k, 120);
	}
	ev_seg(e, c, !from, TH_ACK, NULL, 0, 20000);
}

static void
ev_close(struct evil *e, struct ev_conn *c)
{
	ev_seg(e, c, 0, TH_FIN | TH_ACK, NULL, 0, 300);
	c->sent[0]++;
	ev_seg(e, c, 1, TH_FIN | TH_ACK, NULL, 0, 300);
	c->sent[1]++;
	ev_seg(e, c, 0, TH_ACK, NULL, 0, 200000);
}

static void
ev_dhcp(struct evil *e)
{
	static const uint8_t mask[4] = { 255, 255, 255, 0 }, params[] = { 1, 3, 6, 12, 15 };
	const uint8_t *rip = demo_hosts[H_ROUTER].ip;
	struct dhcp_args a;
	struct ep cl = ev_ep(cam_mac, (const uint8_t[4]){ 0, 0, 0, 0 }, 68, 64, &e->rng);
	struct ep srv = ev_ep(demo_hosts[H_ROUTER].mac, rip, 67, 64, &e->rng), any;
	uint8_t msg[DHCP_MAX];
	size_t n;

	memset(&any, 0, sizeof any);
	memcpy(any.mac, bcast_mac, 6);
	memset(any.ip, 0xff, 4);
	memset(&a, 0, sizeof a);
	a.xid = rng_u32(&e->rng);
	a.chaddr = cam_mac;
	a.hostname = dhcp_name;
	a.vendor_class = dhcp_vendor;
	a.params = params;
	a.nparams = sizeof params;
	a.requested = cam_ip;
	a.mask = mask;
	a.router = rip;
	a.dns = rip;
	a.lease_s = 86400;
	a.domain = "lan";
	static const int types[4] = { DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK };
	for (int i = 0; i < 4; i++) {
		int client = i % 2 == 0;
		a.type = types[i];
		a.yiaddr = client ? NULL : cam_ip;
		a.server = i == 0 ? NULL : rip;
		n = dhcp_build(msg, &a);
		any.port = client ? 67 : 68;
		ev_frame(e, pb_udp(e->frame, client ? &cl : &srv, &any, 0, msg, n), 3000);
	}
}

/* A long run of every piece, cut to n bytes at a piece's end. */
static size_t
ev_long(char *out, size_t n)
{
	static const char *const pieces[] = { CLEAR, OSC0, OSC2, OSC52, CSI8, CSIU, BADU8, RLO,
	    "x" };
	size_t o = 0;

	for (size_t i = 0;; i++) {
		const char *p = pieces[i % (sizeof pieces / sizeof *pieces)];
		size_t k = strlen(p);
		if (o + k > n)
			break;
		memcpy(out + o, p, k);
		o += k;
	}
	out[o] = '\0';
	return o;
}

static void
ev_dns(struct evil *e)
{
	struct ep cl = ev_ep(cam_mac, cam_ip, (uint16_t)rng_range(&e->rng, 33000, 60999), 64,
	    &e->rng);
	struct ep srv = ev_ep(demo_hosts[H_ROUTER].mac, demo_hosts[H_ROUTER].ip, 53, 64, &e->rng);
	uint16_t id = (uint16_t)rng_u32(&e->rng);
	char dns_name[256], l1[64], l2[64];
	struct dnsw w;

	ev_long(l1, 63);
	ev_long(l2, 60);
	snprintf(dns_name, sizeof dns_name, "%s.%s.%s.example", dns_head, l1, l2);
	dnsw_init(&w, e->buf, 1400);
	dnsw_header(&w, id, 0x0100, 1, 0, 0, 0);
	dnsw_question(&w, dns_name, DNS_A, DNS_IN);
	ev_frame(e, pb_udp(e->frame, &cl, &srv, 0, w.p, w.n), 9000);
	dnsw_init(&w, e->buf, 1400);
	dnsw_header(&w, id, 0x8180, 1, 2, 0, 0);
	dnsw_question(&w, dns_name, DNS_A, DNS_IN);
	dnsw_rr_addr(&w, dns_name, DNS_A, DNS_IN, 60, web_ip);
	dnsw_rr_addr(&w, dns_name, DNS_A, DNS_IN, 60, tls_ip);
	ev_frame(e, pb_udp(e->frame, &srv, &cl, 0, w.p, w.n), 50000);
}

static void
ev_tls(struct evil *e)
{
	struct ev_conn c;
	char sni[EV_LONG + 64];
	uint8_t *hello = xmalloc(TLS_HELLO_MAX), sid[32];
	size_t n;

	/* The SNI: the pieces, then a long tail, in a Hello that spans two segments. */
	n = (size_t)snprintf(sni, sizeof sni, "sni%s%s%s%s%s", CLEAR, OSC0, CSI8, CSIU, RLO);
	ev_long(sni + n, 2000);
	ev_open(e, &c, tls_ip, 443);
	n = tls_client_hello(hello, &e->rng, sni, 1, "h2", sid);
	ev_send(e, &c, 0, hello, n);
	n = tls_server_flight(hello, &e->rng, 1, sid, 2400);
	ev_send(e, &c, 1, hello, n);
	ev_close(e, &c);
	free(hello);
}

static void
ev_http(struct evil *e)
{
	struct ev_conn c;
	char ua[EV_LONG + 1], b64[128], body[EV_LONG + 512], *req = (char *)e->buf;
	static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK";
	size_t n;

	ev_long(ua, EV_LONG);
	base64_encode(b64, (const uint8_t *)basic_cred, strlen(basic_cred));
	/* A long password: the pattern takes its first 256 characters, the rest is context. */
	n = (size_t)snprintf(body, sizeof body, "user=%s&password=%s", form_user, form_pass);
	while (n + 12 < EV_LONG)
		n += (size_t)snprintf(body + n, sizeof body - n, "%%1B%%5B2J");
	n = (size_t)snprintf(req, sizeof e->buf, "POST /login HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: %s\r\n"
	    "Authorization: Basic %s\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: %zu\r\n\r\n%s", http_host, ua, b64, n, body);
	ev_open(e, &c, web_ip, 80);
	ev_send(e, &c, 0, req, n);
	ev_send(e, &c, 1, reply, sizeof reply - 1);
	ev_close(e, &c);
}

static void
ev_mdns(struct evil *e)
{
	struct ep hub = ev_ep(hub_mac, hub_ip, 5353, 255, &e->rng), m4;
	static const char *const txt[] = { "md=" CLEAR OSC0, "id=" CSI8 RLO };
	struct dnsw w;

	memset(&m4, 0, sizeof m4);
	memcpy(m4.ip, mdns4, 4);
	pb_mcast_mac(m4.mac, mdns4, 0);
	m4.port = 5353;
	dnsw_init(&w, e->buf, 1400);
	dnsw_header(&w, 0, 0x8400, 0, 4, 0, 0);
	dnsw_rr_name(&w, "_hap._tcp.local", DNS_PTR, DNS_IN, 4500, mdns_inst);
	dnsw_rr_srv(&w, mdns_inst, DNS_IN | DNS_FLUSH, 120, 8080, mdns_host);
	dnsw_rr_txt(&w, mdns_inst, DNS_IN | DNS_FLUSH, 4500, txt, 2);
	dnsw_rr_addr(&w, mdns_host, DNS_A, DNS_IN | DNS_FLUSH, 120, hub_ip);
	ev_frame(e, pb_udp(e->frame, &hub, &m4, 0, w.p, w.n), 80000);
}

static void
ev_ssdp(struct evil *e)
{
	struct ep src = ev_ep(hub_mac, hub_ip, 1900, 4, &e->rng), dst;
	char *txt = (char *)e->buf;
	int n;

	memset(&dst, 0, sizeof dst);
	memcpy(dst.ip, ssdp4, 4);
	pb_mcast_mac(dst.mac, ssdp4, 0);
	dst.port = 1900;
	n = snprintf(txt, sizeof e->buf, "NOTIFY * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\n"
	    "CACHE-CONTROL: max-age=1800\r\n"
	    "LOCATION: http://192.168.1.67:80/" CLEAR OSC0 ".xml\r\n"
	    "NT: upnp:rootdevice\r\n"
	    "NTS: ssdp:alive\r\n"
	    "SERVER: %s\r\n"
	    "USN: uuid:" CSI8 RLO "::upnp:rootdevice\r\n\r\n", ssdp_server);
	ev_frame(e, pb_udp(e->frame, &src, &dst, 0, (const uint8_t *)txt, (size_t)n), 60000);
}

int
scen_evil(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct evil *e = xcalloc(1, sizeof *e);
	int rc;

	rng_seed(&e->rng, o->seed, 3);
	e->ts = T0_NS;
	if (sink_open(&e->sink, out, o->fmt, o->link, demo_hosts[H_ROUTER].mac, o->snaplen) != 0) {
		free(e);
		return -1;
	}
	if (truth != NULL)
		fprintf(truth, "# gen-capture evil ground truth; layout in tests/gen/scen-demo.c\n"
		    "capture\tstart=2026-03-14T09:00:00Z\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n",
		    o->seed, o->link_name, o->fmt_name);
	ev_dhcp(e);
	ev_mdns(e);
	ev_ssdp(e);
	ev_dns(e);
	ev_tls(e);
	ev_http(e);
	st->packets = e->sink.w.packets;
	st->flows = (uint64_t)e->nconv;
	st->first_ns = T0_NS;
	st->last_ns = e->ts;
	if (truth != NULL)
		fprintf(truth, "count\tpackets=%" PRIu64 "\ttcp_conversations=%d\n", st->packets,
		    e->nconv);
	rc = e->err ? -1 : 0;
	if (sink_close(&e->sink) != 0)
		rc = -1;
	st->file_bytes = e->sink.w.file_bytes;
	free(e);
	return rc;
}
