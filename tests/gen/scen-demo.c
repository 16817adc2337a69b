/*
 * scen-demo.c — the demo: a small home network behind a TP-Link router (192.168.1.1, also DHCP
 * and DNS server, and the capture host), five IoT devices and a phone, about 60 s of traffic from
 * 2026-03-14 09:00:00 UTC.  Every MAC prefix is a real IEEE OUI of the named vendor; every cloud
 * address sits in a block its provider really uses.
 *
 * The --truth file is text, one fact per line, fields separated by one TAB (two spaces below).
 * The first field says what the line is; "key=value" fields name their value; a flow is
 * CLIENT>SERVER with IPv4 as a.b.c.d:port and IPv6 as [addr]:port; lines starting # are notes:
 *   capture  start=2026-03-14T09:00:00Z  seed=N  link=L  format=F
 *   router  mac=M  ip=A  vendor=V
 *   device  HOSTNAME  mac=M  ip=A  vendor=V  vendor_class=C  [ip6=A]
 *   dns  NAME  ADDRESS        (per A/AAAA answer, for the CNAME owner and target)
 *   cname  NAME  TARGET
 *   tls  SNI  1.2|1.3  client=C  server=S  [alpn=P]
 *   credential  http-basic  user=U  password=P  flow=F
 *   credential  mqtt  client_id=I  user=U  password=P  flow=F
 *   leak  KIND  value=V  flow=F  dir=D  offset=N  [user=U]   (every planted leak, below)
 *   http  METHOD  URI  host=H  flow=F  [content_type=T  bytes=N]
 *   pii  json  flow=F  email=E  (plus the other personal fields)
 *   jpeg  flow=F  bytes=N
 *   base64  flow=F  bytes=N
 *   port-mismatch  flow=F  expected=tls  seen=http
 *   mqtt  publish  topic=T  flow=F  count=N
 *   ntp  flow=F
 *   icmp  echo  client=C  server=S  count=N
 *   ssdp  HOSTNAME  location=URL  server=S  usn=U
 *   mdns  HOSTNAME  name=N  ip=A  service=S  instance=I  port=P    (the responder)
 *   mdns  HOSTNAME  query=Q  query=Q  src6=A                       (the browser)
 *   conv  tcp  C  S      (every TCP connection)
 *   count  packets=N  tcp_conversations=M  (N counts frames written for this --link)
 *
 * A leak line says where one secret or personal value crosses the wire.  D is 0 when the
 * client sends it, 1 when the server does.  N is the offset, in that direction's TCP payload
 * stream (0 is the first payload byte that end sent in the connection), of the value's first
 * byte as it is on the wire; it is found in the bytes the flow sends, never counted by hand.
 * V is the value decoded where the wire encodes it, and N points at the encoded text:
 *   http-basic  V the password, U the user, N the base64 token's first byte
 *   mqtt-client-id, mqtt-username, mqtt-password (U the username)  N the first byte after
 *               the string's 2-byte length
 *   aws-access-key, signature, mac, username, serial   query parameters; V exactly as on the
 *               wire (the signature stays URL-encoded)
 *   api-token   an X-Api-Token header;  access-token  a JSON "access_token" string
 *   email, password (U the email)   a URL-encoded login form; V decoded
 *   email, weight, height, age, sex, serial   one line per field of the scale's JSON body (its
 *               user, weight_kg, height_cm, age, sex and device_serial), V the field's text
 *               without quotes, N its first byte inside any quotes
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "demo.h"
#include "msg.h"
#include "scen.h"
#include "xmem.h"

struct dserver {
	const char	*name;
	uint8_t		 ip[16];
	int		 v6;
	uint8_t		 ttl;		/* as it arrives at the router */
};

enum {
	S_CAM_API1, S_CAM_API2, S_CAM_SNAP, S_SCALE, S_NTP1, S_NTP2, S_PLUG, S_MQTT, S_STATUS,
	S_PHONE, S_PHONE6, S_DNS8, S_CAM_FDS, S_CAM_EVENTS, S_PLUG_FW, S_PHONE_LOGIN, NSERVERS
};

static const struct dserver servers[NSERVERS] = {
	{ "d3k4p9wzq1x7ab.cloudfront.net", { 52, 84, 150, 21 }, 0, 246 },
	{ "d3k4p9wzq1x7ab.cloudfront.net", { 52, 84, 150, 77 }, 0, 246 },
	{ "snap.camvendor.example-cloud.com", { 3, 121, 45, 16 }, 0, 52 },
	{ "measure.scalevendor.example-cloud.com", { 47, 254, 130, 44 }, 0, 48 },
	{ "pool.ntp.org", { 162, 159, 200, 123 }, 0, 57 },
	{ "pool.ntp.org", { 162, 159, 200, 1 }, 0, 57 },
	{ "telemetry.plugvendor.example-cloud.com", { 34, 117, 59, 81 }, 0, 119 },
	{ "mqtt.hubvendor.example-cloud.com", { 18, 196, 72, 14 }, 0, 51 },
	{ "status.hubvendor.example-cloud.com", { 20, 50, 2, 30 }, 0, 110 },
	{ "app.phonevendor.example-cloud.com", { 142, 250, 185, 78 }, 0, 117 },
	{ "cdn.phonevendor.example-cloud.com",
	    { 0x26, 0x06, 0x47, 0x00, 0x30, 0x31, 0, 0, 0, 0, 0, 0, 0x68, 0x15, 0x3a, 0x2c },
	    1, 57 },
	{ "dns.google", { 8, 8, 8, 8 }, 0, 117 },
	{ "fds.camvendor.example-cloud.com", { 3, 122, 18, 77 }, 0, 52 },
	{ "events.camvendor.example-cloud.com", { 18, 194, 33, 120 }, 0, 51 },
	{ "fw.plugvendor.example-cloud.com", { 34, 117, 188, 166 }, 0, 119 },
	{ "account.phonevendor.example-cloud.com", { 142, 250, 186, 46 }, 0, 117 },
};

/* The scale's measurement, field by field as its JSON body carries them, in this order. */
static const struct {
	const char	*name;
	const char	*value;
	int		 quoted;
	const char	*kind;		/* of its leak line */
} scale_fields[] = {
	{ "user", "alice@example.com", 1, "email" },
	{ "weight_kg", "72.5", 0, "weight" },
	{ "height_cm", "168", 0, "height" },
	{ "age", "34", 0, "age" },
	{ "sex", "female", 1, "sex" },
	{ "device_serial", "SC-2291-7781", 1, "serial" },
};

/* Resolves one server's name for host h: an A query with its single address. */
static void
dns_simple(struct demo *d, struct flow *f, uint64_t delay_ns, int h, int s, uint64_t resp_ns)
{
	uint8_t a[1][16];

	memset(a, 0, sizeof a);
	memcpy(a[0], servers[s].ip, servers[s].v6 ? 16 : 4);
	demo_dns(d, f, delay_ns, h, servers[s].name, servers[s].v6 ? DNS_AAAA : DNS_A, NULL,
	    (const uint8_t (*)[16])a, 1, resp_ns);
}

/*
 * Sets up f's TCP connection from host h to a server, starting tcp_delay_ns after f's last
 * datagram, and writes both endpoints for the truth file to cbuf and sbuf (64 bytes each).
 */
static void
tcp_setup(struct demo *d, struct flow *f, int h, const uint8_t *ip, int v6, uint16_t port,
    uint8_t ttl, struct script *sc, int closer, uint64_t tcp_delay_ns, char *cbuf, char *sbuf)
{
	struct tcpflow *t = &f->tcp;

	tcpflow_init(t, d->r, &d->pool, v6, demo_hosts[h].ts_opt, script_next, sc);
	t->end[0] = demo_ep_host(d, h, demo_port(d));
	if (v6)
		memcpy(t->end[0].ip, demo_phone_gl6, 16);
	t->end[1] = demo_ep_remote(d, ip, v6, port, ttl);
	t->closer = closer;
	f->has_tcp = 1;
	f->tcp_delay_ns = tcp_delay_ns;
	demo_ep_str(cbuf, 64, &t->end[0], v6);
	demo_ep_str(sbuf, 64, &t->end[1], v6);
	demo_truth(d, "conv\ttcp\t%s\t%s\n", cbuf, sbuf);
	d->ntcp++;
}

static void
tcp_to_server(struct demo *d, struct flow *f, int h, int s, uint16_t port, struct script *sc,
    int closer, char *cbuf, char *sbuf)
{
	tcp_setup(d, f, h, servers[s].ip, servers[s].v6, port, servers[s].ttl, sc, closer,
	    demo_us(d, 300, 2500), cbuf, sbuf);
}

/*
 * Writes the leak line of a value that end dir of sc sends.  wire is the value's text on the
 * wire, found where the leadlen bytes at lead are first followed by it in that direction;
 * value is what the line states (decoded).  user may be NULL.  Not finding it is our bug.
 */
static void
leak_at(struct demo *d, struct script *sc, int dir, const char *kind, const char *value,
    const void *lead, size_t leadlen, const char *wire, const char *user, const char *cb,
    const char *sb)
{
	size_t wlen = strlen(wire);
	uint8_t *needle = xmalloc(leadlen + wlen);
	int64_t at;

	memcpy(needle, lead, leadlen);
	memcpy(needle + leadlen, wire, wlen);
	at = script_find(sc, dir, needle, leadlen + wlen);
	free(needle);
	if (at < 0) {
		fprintf(stderr, "gen-capture: demo: %s '%s' not in its flow\n", kind, wire);
		abort();
	}
	demo_truth(d, "leak\t%s\tvalue=%s\tflow=%s>%s\tdir=%d\toffset=%" PRId64 "%s%s\n", kind,
	    value, cb, sb, dir, at + (int64_t)leadlen, user ? "\tuser=" : "", user ? user : "");
}

/* A leak in text the client sends: wire right after lead. */
static void
leak(struct demo *d, struct script *sc, const char *kind, const char *value, const char *lead,
    const char *wire, const char *user, const char *cb, const char *sb)
{
	leak_at(d, sc, 0, kind, value, lead, strlen(lead), wire, user, cb, sb);
}

/* A leak in an MQTT UTF-8 string the client sends: found with its 2-byte length. */
static void
leak_mqtt(struct demo *d, struct script *sc, const char *kind, const char *str,
    const char *user, const char *cb, const char *sb)
{
	uint8_t len[2];

	put_be16(len, (uint16_t)strlen(str));
	leak_at(d, sc, 0, kind, str, len, 2, str, user, cb, sb);
}

/* The HTTP Date header for an offset of sec seconds into the capture. */
static const char *
http_date(char *b, size_t sz, unsigned sec)
{
	snprintf(b, sz, "Sat, 14 Mar 2026 09:%02u:%02u GMT", sec / 60, sec % 60);
	return b;
}

/* A len-byte baseline JPEG of w x h with random entropy-coded data; the caller frees it. */
static uint8_t *
jpeg_new(struct demo *d, size_t len, uint16_t w, uint16_t h)
{
	uint8_t *jpeg = xmalloc(len);
	size_t k = jpeg_head(jpeg, w, h);

	rng_fill(d->r, jpeg + k, len - k - 2);
	for (size_t i = k; i < len - 2; i++)
		if (jpeg[i] == 0xff)
			jpeg[i] = 0xfe;	/* entropy-coded data carries no markers */
	jpeg[len - 2] = 0xff;
	jpeg[len - 1] = 0xd9;
	return jpeg;
}

/* Adds a TLS handshake to sc for sni; alpn may be NULL. */
static void
tls_handshake(struct demo *d, struct script *sc, const char *sni, int v13, const char *alpn)
{
	uint8_t sid[32];
	size_t n;

	n = tls_client_hello(d->buf, d->r, sni, v13, alpn, sid);
	script_add(sc, 0, demo_us(d, 100, 600), d->buf, n);
	n = tls_server_flight(d->buf, d->r, v13, sid, rng_range(d->r, 2400, 3600));
	script_add(sc, 1, demo_ms(d, 1, 6), d->buf, n);
	n = tls_client_finish(d->buf, d->r, v13);
	script_add(sc, 0, demo_us(d, 300, 2000), d->buf, n);
}

/* An encrypted close_notify alert. */
static void
tls_close(struct demo *d, struct script *sc, int v13, uint64_t delay)
{
	uint8_t *p = d->buf;
	uint16_t n = v13 ? 19 : 26;

	p[0] = v13 ? 0x17 : 0x15;
	put_be16(p + 1, 0x0303);
	put_be16(p + 3, n);
	rng_fill(d->r, p + 5, n);
	script_add(sc, 0, delay, p, 5 + (size_t)n);
}

static void
camera_flows(struct demo *d)
{
	static const char user[] = "admin", pass[] = "cam-pass-1234";
	const char *api = "api.camvendor.example-cloud.com";
	const char *snap = servers[S_CAM_SNAP].name;
	uint8_t a[2][16];
	struct flow *f;
	struct script *sc;
	char cb[64], sb[64], date[40], b64[64], body[256], plain[40];
	uint8_t *jpeg;
	size_t jlen = 20480;
	int n;

	/* TLS 1.2 to the vendor API behind a CNAME to CloudFront. */
	memset(a, 0, sizeof a);
	memcpy(a[0], servers[S_CAM_API1].ip, 4);
	memcpy(a[1], servers[S_CAM_API2].ip, 4);
	f = flow_new();
	demo_dns(d, f, 0, H_CAM, api, DNS_A, servers[S_CAM_API1].name,
	    (const uint8_t (*)[16])a, 2, demo_ms(d, 12, 35));
	sc = demo_script(d);
	tls_handshake(d, sc, api, 0, "http/1.1");
	script_add_tls(sc, 0, MS(2), 0, 1100);
	script_add_tls(sc, 1, MS(25), 0, 5800);
	script_add_tls(sc, 0, MS(400), 0, 700);
	script_add_tls(sc, 1, MS(18), 0, 2900);
	tls_close(d, sc, 0, MS(900));
	tcp_to_server(d, f, H_CAM, S_CAM_API1, 443, sc, 0, cb, sb);
	demo_start(d, f, AT(8, 0));
	demo_truth(d, "tls\t%s\t1.2\tclient=%s\tserver=%s\talpn=http/1.1\n", api, cb, sb);

	/* Cleartext snapshot request with Basic credentials. */
	f = flow_new();
	dns_simple(d, f, 0, H_CAM, S_CAM_SNAP, demo_ms(d, 15, 40));
	sc = demo_script(d);
	n = snprintf(plain, sizeof plain, "%s:%s", user, pass);
	base64_encode(b64, (const uint8_t *)plain, (size_t)n);
	script_addf(sc, 0, US(300), "GET /api/v1/snapshot HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: HikCam/5.7.3 (Linux; armv7l)\r\n"
	    "Authorization: Basic %s\r\n"
	    "Accept: */*\r\n"
	    "Connection: keep-alive\r\n\r\n", snap, b64);
	n = snprintf(body, sizeof body, "{\"status\":\"ok\",\"next\":\"/api/v1/upload\","
	    "\"max_bytes\":1048576}");
	script_addf(sc, 1, MS(9), "HTTP/1.1 200 OK\r\n"
	    "Server: nginx\r\n"
	    "Date: %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: keep-alive\r\n\r\n%s", http_date(date, sizeof date, 11), n, body);
	tcp_to_server(d, f, H_CAM, S_CAM_SNAP, 80, sc, 0, cb, sb);
	demo_start(d, f, AT(11, 0));
	demo_truth(d, "credential\thttp-basic\tuser=%s\tpassword=%s\tflow=%s>%s\n", user, pass,
	    cb, sb);
	leak(d, sc, "http-basic", pass, "Authorization: Basic ", b64, user, cb, sb);
	demo_truth(d, "http\tGET\t/api/v1/snapshot\thost=%s\tflow=%s>%s\n", snap, cb, sb);

	/* A JPEG uploaded in the clear. */
	jpeg = jpeg_new(d, jlen, 1280, 720);
	f = flow_new();
	sc = demo_script(d);
	script_addf(sc, 0, US(250), "POST /api/v1/upload?cam=cam-livingroom HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: HikCam/5.7.3 (Linux; armv7l)\r\n"
	    "Content-Type: image/jpeg\r\n"
	    "Content-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", snap, jlen);
	script_add(sc, 0, US(60), jpeg, jlen);
	n = snprintf(body, sizeof body, "{\"id\":\"img-5f2c91\",\"stored\":true}");
	script_addf(sc, 1, MS(30), "HTTP/1.1 200 OK\r\n"
	    "Server: nginx\r\n"
	    "Date: %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: close\r\n\r\n%s", http_date(date, sizeof date, 13), n, body);
	tcp_to_server(d, f, H_CAM, S_CAM_SNAP, 80, sc, 1, cb, sb);
	f->tcp_delay_ns = 0;
	demo_start(d, f, AT(13, 100));
	free(jpeg);
	demo_truth(d, "http\tPOST\t/api/v1/upload?cam=cam-livingroom\thost=%s\tflow=%s>%s"
	    "\tcontent_type=image/jpeg\tbytes=%zu\n", snap, cb, sb, jlen);
	demo_truth(d, "jpeg\tflow=%s>%s\tbytes=%zu\n", cb, sb, jlen);
}

static void
scale_flows(struct demo *d)
{
	const char *host = servers[S_SCALE].name;
	struct flow *f = flow_new();
	struct script *sc = demo_script(d);
	char cb[64], sb[64], date[40], body[256], resp[64], lead[64];
	size_t nf = sizeof scale_fields / sizeof scale_fields[0];
	int n = 0, m;

	dns_simple(d, f, 0, H_SCALE, S_SCALE, demo_ms(d, 20, 45));
	for (size_t i = 0; i < nf; i++)
		n += snprintf(body + n, sizeof body - (size_t)n, "%c\"%s\":%s%s%s",
		    i ? ',' : '{', scale_fields[i].name, scale_fields[i].quoted ? "\"" : "",
		    scale_fields[i].value, scale_fields[i].quoted ? "\"" : "");
	n += snprintf(body + n, sizeof body - (size_t)n, "}");
	script_addf(sc, 0, US(400), "POST /api/measure HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: WBS06/1.4.2\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: close\r\n\r\n%s", host, n, body);
	m = snprintf(resp, sizeof resp, "{\"status\":0,\"stored\":true}");
	script_addf(sc, 1, MS(14), "HTTP/1.1 200 OK\r\n"
	    "Server: Tengine\r\n"
	    "Date: %s\r\n"
	    "Content-Type: application/json;charset=UTF-8\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: close\r\n\r\n%s", http_date(date, sizeof date, 15), m, resp);
	tcp_to_server(d, f, H_SCALE, S_SCALE, 80, sc, 1, cb, sb);
	demo_start(d, f, AT(15, 0));
	demo_truth(d, "http\tPOST\t/api/measure\thost=%s\tflow=%s>%s\tcontent_type=application/json"
	    "\tbytes=%d\n", host, cb, sb, n);
	demo_truth(d, "pii\tjson\tflow=%s>%s\temail=alice@example.com\tweight_kg=72.5"
	    "\theight_cm=168\tage=34\tsex=female\tdevice_serial=SC-2291-7781\n", cb, sb);
	for (size_t i = 0; i < nf; i++) {
		snprintf(lead, sizeof lead, "\"%s\":%s", scale_fields[i].name,
		    scale_fields[i].quoted ? "\"" : "");
		leak(d, sc, scale_fields[i].kind, scale_fields[i].value, lead,
		    scale_fields[i].value, NULL, cb, sb);
	}
}

static void
plug_flows(struct demo *d)
{
	const char *host = servers[S_PLUG].name;
	uint8_t a[2][16], req[NTP_LEN], rep[NTP_LEN], raw[2304];
	struct flow *f;
	struct script *sc;
	struct ep cl, srv;
	char cb[64], sb[64], *b64;
	uint64_t t, rx;
	size_t len, blen;

	/* NTP after resolving the pool. */
	memset(a, 0, sizeof a);
	memcpy(a[0], servers[S_NTP1].ip, 4);
	memcpy(a[1], servers[S_NTP2].ip, 4);
	f = flow_new();
	demo_dns(d, f, 0, H_PLUG, "pool.ntp.org", DNS_A, NULL, (const uint8_t (*)[16])a, 2,
	    demo_ms(d, 18, 30));
	demo_start(d, f, AT(17, 0));

	f = flow_new();
	t = AT(17, 80);
	cl = demo_ep_host(d, H_PLUG, 123);
	srv = demo_ep_remote(d, servers[S_NTP1].ip, 0, 123, servers[S_NTP1].ttl);
	ntp_request(req, t, d->r);
	len = pb_udp(d->frame, &cl, &srv, 0, req, NTP_LEN);
	flow_add_frame(f, 0, d->frame, len);
	rx = t + MS(9);
	ntp_reply(rep, req, rx, rx + US(40), d->r);
	len = pb_udp(d->frame, &srv, &cl, 0, rep, NTP_LEN);
	flow_add_frame(f, MS(18), d->frame, len);
	demo_start(d, f, t);
	{
		char c2[64], s2[64];

		demo_truth(d, "ntp\tflow=%s>%s\n", demo_ep_str(c2, sizeof c2, &cl, 0),
		    demo_ep_str(s2, sizeof s2, &srv, 0));
	}

	/* Base64 telemetry over plain HTTP on 8080. */
	f = flow_new();
	dns_simple(d, f, 0, H_PLUG, S_PLUG, demo_ms(d, 15, 30));
	rng_fill(d->r, raw, sizeof raw);
	b64 = xmalloc(4 * sizeof raw / 3 + 4);
	blen = base64_encode(b64, raw, sizeof raw);
	sc = demo_script(d);
	script_addf(sc, 0, US(500), "POST /v1/telemetry HTTP/1.1\r\n"
	    "Host: %s:8080\r\n"
	    "User-Agent: ESP32HTTPClient\r\n"
	    "Content-Type: text/plain\r\n"
	    "Content-Length: %zu\r\n\r\n", host, blen);
	script_add(sc, 0, US(80), b64, blen);
	script_addf(sc, 1, MS(11), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: text/plain\r\n"
	    "Content-Length: 2\r\n\r\nOK");
	tcp_to_server(d, f, H_PLUG, S_PLUG, 8080, sc, 0, cb, sb);
	demo_start(d, f, AT(18, 500));
	free(b64);
	demo_truth(d, "http\tPOST\t/v1/telemetry\thost=%s:8080\tflow=%s>%s\tcontent_type=text/plain"
	    "\tbytes=%zu\n", host, cb, sb, blen);
	demo_truth(d, "base64\tflow=%s>%s\tbytes=%zu\n", cb, sb, blen);
}

static void
hub_flows(struct demo *d)
{
	static const char cid[] = "hub-hall-01", user[] = "hubuser", pass[] = "mqtt-secret-99";
	const char *broker = servers[S_MQTT].name, *status = servers[S_STATUS].name;
	struct flow *f;
	struct script *sc;
	char cb[64], sb[64], js[128], body[128];
	uint8_t *p = d->buf;
	size_t n;
	int npub = 0, k;

	/* MQTT in the clear, with credentials. */
	f = flow_new();
	dns_simple(d, f, 0, H_HUB, S_MQTT, demo_ms(d, 20, 40));
	sc = demo_script(d);
	n = mqtt_connect(p, cid, user, pass, 60);
	script_add(sc, 0, US(300), p, n);
	script_add(sc, 1, MS(3), p, mqtt_connack(p));
	script_add(sc, 0, US(500), p, mqtt_subscribe(p, 1, "home/hall/cmd"));
	script_add(sc, 1, MS(2), p, mqtt_suback(p, 1));
	for (int i = 0; i < 4; i++) {
		k = snprintf(js, sizeof js, "{\"temp_c\":%u.%u,\"hum\":%u,\"ts\":%u}",
		    21 + i / 2, (unsigned)rng_below(d->r, 10), 40 + i,
		    1773478822u + 10u * (unsigned)i);
		script_add(sc, 0, i ? MS(10000) : MS(2000), p,
		    mqtt_publish(p, "home/hall/temp", (const uint8_t *)js, (size_t)k, 0, 0));
		npub++;
	}
	script_add(sc, 0, MS(1500), p, mqtt_simple(p, MQTT_PINGREQ));
	script_add(sc, 1, MS(1), p, mqtt_simple(p, MQTT_PINGRESP));
	k = snprintf(js, sizeof js, "{\"light\":\"hall\",\"on\":true}");
	script_add(sc, 1, MS(1200), p,
	    mqtt_publish(p, "home/hall/cmd", (const uint8_t *)js, (size_t)k, 1, 7));
	script_add(sc, 0, MS(4), p, mqtt_puback(p, 7));
	script_add(sc, 0, MS(3000), p, mqtt_simple(p, MQTT_DISCONNECT));
	tcp_to_server(d, f, H_HUB, S_MQTT, 1883, sc, 0, cb, sb);
	demo_start(d, f, AT(20, 0));
	demo_truth(d, "credential\tmqtt\tclient_id=%s\tuser=%s\tpassword=%s\tflow=%s>%s\n",
	    cid, user, pass, cb, sb);
	leak_mqtt(d, sc, "mqtt-client-id", cid, NULL, cb, sb);
	leak_mqtt(d, sc, "mqtt-username", user, NULL, cb, sb);
	leak_mqtt(d, sc, "mqtt-password", pass, user, cb, sb);
	demo_truth(d, "mqtt\tpublish\ttopic=home/hall/temp\tflow=%s>%s\tcount=%d\n", cb, sb, npub);
	demo_truth(d, "mqtt\tpublish\ttopic=home/hall/cmd\tflow=%s>%s\tcount=1\n", cb, sb);

	/* MQTT over TLS 1.2 to the same broker (name already cached). */
	f = flow_new();
	sc = demo_script(d);
	tls_handshake(d, sc, broker, 0, NULL);
	script_add_tls(sc, 0, MS(1), 0, 96);
	script_add_tls(sc, 1, MS(4), 0, 4);
	for (int i = 0; i < 3; i++) {
		script_add_tls(sc, 0, MS(5000), 0, (uint32_t)rng_range(d->r, 80, 180));
		script_add_tls(sc, 1, MS(3), 0, 4);
	}
	tls_close(d, sc, 0, MS(2000));
	tcp_to_server(d, f, H_HUB, S_MQTT, 8883, sc, 0, cb, sb);
	f->tcp_delay_ns = 0;
	demo_start(d, f, AT(21, 0));
	demo_truth(d, "tls\t%s\t1.2\tclient=%s\tserver=%s\n", broker, cb, sb);

	/* Plain HTTP on the TLS port. */
	f = flow_new();
	dns_simple(d, f, 0, H_HUB, S_STATUS, demo_ms(d, 20, 40));
	sc = demo_script(d);
	script_addf(sc, 0, US(300), "GET /status HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: hub-hall/2.1.4\r\n"
	    "Accept: application/json\r\n\r\n", status);
	k = snprintf(body, sizeof body, "{\"status\":\"online\",\"fw\":\"2.1.4\"}");
	script_addf(sc, 1, MS(8), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n\r\n%s", k, body);
	tcp_to_server(d, f, H_HUB, S_STATUS, 443, sc, 0, cb, sb);
	demo_start(d, f, AT(24, 0));
	demo_truth(d, "http\tGET\t/status\thost=%s\tflow=%s>%s\n", status, cb, sb);
	demo_truth(d, "port-mismatch\tflow=%s>%s\texpected=tls\tseen=http\n", cb, sb);
}

static void
phone_flows(struct demo *d)
{
	const char *app = servers[S_PHONE].name, *cdn = servers[S_PHONE6].name;
	struct flow *f;
	struct script *sc;
	struct ep cl, srv;
	uint8_t a[1][16], data[56];
	char cb[64], sb[64];
	size_t len;

	/* TLS 1.3 over IPv4. */
	f = flow_new();
	dns_simple(d, f, 0, H_PHONE, S_PHONE, demo_ms(d, 8, 20));
	sc = demo_script(d);
	tls_handshake(d, sc, app, 1, "h2,http/1.1");
	script_add_tls(sc, 1, MS(1), 1, 233);		/* NewSessionTicket */
	script_add_tls(sc, 0, MS(1), 1, 900);
	script_add_tls(sc, 1, MS(30), 1, 7500);
	script_add_tls(sc, 0, MS(700), 1, 400);
	script_add_tls(sc, 1, MS(22), 1, 12000);
	tls_close(d, sc, 1, MS(1500));
	tcp_to_server(d, f, H_PHONE, S_PHONE, 443, sc, 0, cb, sb);
	demo_start(d, f, AT(26, 0));
	demo_truth(d, "tls\t%s\t1.3\tclient=%s\tserver=%s\talpn=h2\n", app, cb, sb);

	/* An AAAA lookup, then TLS 1.3 over global IPv6. */
	f = flow_new();
	memset(a, 0, sizeof a);
	memcpy(a[0], servers[S_PHONE6].ip, 16);
	demo_dns(d, f, 0, H_PHONE, cdn, DNS_AAAA, NULL, (const uint8_t (*)[16])a, 1,
	    demo_ms(d, 15, 30));
	sc = demo_script(d);
	tls_handshake(d, sc, cdn, 1, "h2,http/1.1");
	script_add_tls(sc, 0, MS(1), 1, 650);
	script_add_tls(sc, 1, MS(15), 1, 9000);
	tls_close(d, sc, 1, MS(800));
	tcp_setup(d, f, H_PHONE, servers[S_PHONE6].ip, 1, 443, servers[S_PHONE6].ttl, sc, 0,
	    MS(1), cb, sb);
	demo_start(d, f, AT(30, 0));
	demo_truth(d, "tls\t%s\t1.3\tclient=%s\tserver=%s\talpn=h2\n", cdn, cb, sb);

	/* Four pings to a public resolver, by address. */
	f = flow_new();
	cl = demo_ep_host(d, H_PHONE, 0);
	srv = demo_ep_remote(d, servers[S_DNS8].ip, 0, 0, servers[S_DNS8].ttl);
	for (uint16_t i = 1; i <= 4; i++) {
		memset(data, 0, 8);
		put_be32(data, (uint32_t)(1773478835u + i - 1));
		for (size_t j = 8; j < sizeof data; j++)
			data[j] = (uint8_t)j;
		len = pb_icmp_echo(d->frame, &cl, &srv, 0, 0, 0x1f2e, i, data, sizeof data);
		flow_add_frame(f, i > 1 ? MS(1000) : 0, d->frame, len);
		len = pb_icmp_echo(d->frame, &srv, &cl, 0, 1, 0x1f2e, i, data, sizeof data);
		flow_add_frame(f, demo_ms(d, 9, 14), d->frame, len);
	}
	demo_start(d, f, AT(35, 0));
	demo_truth(d, "icmp\techo\tclient=192.168.1.30\tserver=8.8.8.8\tcount=4\n");
}

/*
 * The camera's further cleartext calls: a clip PUT to a Galaxy FDS-style object store whose
 * URL is signed with an AWS-style access key id and signature, and a motion event with an API
 * token header and an access token in its JSON.
 */
static void
camera_leak_flows(struct demo *d)
{
	static const char key[] = "AKIAIOSFODNN7DEMOKEY";
	static const char sig[] = "q3Zk8c0P%2Bv1Yx9Rw2mTq4aLhB7s%3D";
	static const char api_token[] = "9f2c4e7a1b3d5f60718293a4b5c6d7e8";
	static const char access_token[] = "tok_5Fh8Kq2LmN7pR4sT";
	const char *fds = servers[S_CAM_FDS].name, *ev = servers[S_CAM_EVENTS].name;
	struct flow *f;
	struct script *sc;
	char cb[64], sb[64], date[40], uri[160], body[128];
	uint8_t *jpeg;
	size_t jlen = 2048;
	int n;

	/* The motion event first, then the clip it recorded. */
	f = flow_new();
	dns_simple(d, f, 0, H_CAM, S_CAM_EVENTS, demo_ms(d, 15, 40));
	sc = demo_script(d);
	n = snprintf(body, sizeof body, "{\"access_token\":\"%s\",\"event\":\"motion\"}",
	    access_token);
	script_addf(sc, 0, US(300), "POST /api/v2/events HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: HikCam/5.7.3 (Linux; armv7l)\r\n"
	    "X-Api-Token: %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: close\r\n\r\n%s", ev, api_token, n, body);
	script_addf(sc, 1, MS(12), "HTTP/1.1 200 OK\r\n"
	    "Server: nginx\r\n"
	    "Date: %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: 11\r\n"
	    "Connection: close\r\n\r\n{\"ok\":true}", http_date(date, sizeof date, 36));
	tcp_to_server(d, f, H_CAM, S_CAM_EVENTS, 80, sc, 1, cb, sb);
	demo_start(d, f, AT(36, 0));
	demo_truth(d, "http\tPOST\t/api/v2/events\thost=%s\tflow=%s>%s"
	    "\tcontent_type=application/json\tbytes=%d\n", ev, cb, sb, n);
	leak(d, sc, "api-token", api_token, "X-Api-Token: ", api_token, NULL, cb, sb);
	leak(d, sc, "access-token", access_token, "\"access_token\":\"", access_token, NULL, cb,
	    sb);

	/* The clip's thumbnail, PUT to a presigned URL. */
	f = flow_new();
	dns_simple(d, f, 0, H_CAM, S_CAM_FDS, demo_ms(d, 15, 40));
	jpeg = jpeg_new(d, jlen, 320, 180);
	snprintf(uri, sizeof uri, "/upload/clip-0001.jpg?GalaxyAccessKeyId=%s"
	    "&Expires=1773482400&Signature=%s", key, sig);
	sc = demo_script(d);
	script_addf(sc, 0, US(300), "PUT %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: HikCam/5.7.3 (Linux; armv7l)\r\n"
	    "Content-Type: image/jpeg\r\n"
	    "Content-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", uri, fds, jlen);
	script_add(sc, 0, US(40), jpeg, jlen);
	script_addf(sc, 1, MS(20), "HTTP/1.1 200 OK\r\n"
	    "Server: Galaxy-FDS\r\n"
	    "Date: %s\r\n"
	    "Content-Length: 0\r\n"
	    "Connection: close\r\n\r\n", http_date(date, sizeof date, 37));
	tcp_to_server(d, f, H_CAM, S_CAM_FDS, 80, sc, 1, cb, sb);
	demo_start(d, f, AT(36, 700));
	free(jpeg);
	demo_truth(d, "http\tPUT\t%s\thost=%s\tflow=%s>%s\tcontent_type=image/jpeg\tbytes=%zu\n",
	    uri, fds, cb, sb, jlen);
	demo_truth(d, "jpeg\tflow=%s>%s\tbytes=%zu\n", cb, sb, jlen);
	leak(d, sc, "aws-access-key", key, "GalaxyAccessKeyId=", key, NULL, cb, sb);
	leak(d, sc, "signature", sig, "&Signature=", sig, NULL, cb, sb);
}

/* The plug asks for a firmware update with its MAC, owner and serial in the URL. */
static void
plug_update_flow(struct demo *d)
{
	static const char mac[] = "50:C7:BF:12:34:56", user[] = "alice.smith";
	static const char serial[] = "SN4F7A21B9C3";
	const char *host = servers[S_PLUG_FW].name;
	struct flow *f = flow_new();
	struct script *sc = demo_script(d);
	char cb[64], sb[64], uri[128], body[64];
	int n;

	dns_simple(d, f, 0, H_PLUG, S_PLUG_FW, demo_ms(d, 15, 30));
	snprintf(uri, sizeof uri, "/firmware/check?mac=%s&username=%s&serial=%s&ver=1.0.3", mac,
	    user, serial);
	script_addf(sc, 0, US(500), "GET %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: ESP32HTTPClient\r\n"
	    "Connection: close\r\n\r\n", uri, host);
	n = snprintf(body, sizeof body, "{\"update\":false,\"latest\":\"1.0.3\"}");
	script_addf(sc, 1, MS(10), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %d\r\n"
	    "Connection: close\r\n\r\n%s", n, body);
	tcp_to_server(d, f, H_PLUG, S_PLUG_FW, 80, sc, 1, cb, sb);
	demo_start(d, f, AT(19, 500));
	demo_truth(d, "http\tGET\t%s\thost=%s\tflow=%s>%s\n", uri, host, cb, sb);
	leak(d, sc, "mac", mac, "?mac=", mac, NULL, cb, sb);
	leak(d, sc, "username", user, "&username=", user, NULL, cb, sb);
	leak(d, sc, "serial", serial, "&serial=", serial, NULL, cb, sb);
}

/* The vendor app's login, a URL-encoded form over plain HTTP. */
static void
phone_login_flow(struct demo *d)
{
	static const char email[] = "alice@example.com", email_enc[] = "alice%40example.com";
	static const char pass[] = "Sup3r+Secret", pass_enc[] = "Sup3r%2BSecret";
	const char *host = servers[S_PHONE_LOGIN].name;
	struct flow *f = flow_new();
	struct script *sc = demo_script(d);
	char cb[64], sb[64], date[40], body[96];
	int n;

	dns_simple(d, f, 0, H_PHONE, S_PHONE_LOGIN, demo_ms(d, 8, 20));
	n = snprintf(body, sizeof body, "email=%s&password=%s", email_enc, pass_enc);
	script_addf(sc, 0, US(400), "POST /login HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: okhttp/4.12.0\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: %d\r\n"
	    "Accept-Encoding: gzip\r\n\r\n%s", host, n, body);
	script_addf(sc, 1, MS(25), "HTTP/1.1 200 OK\r\n"
	    "Server: nginx\r\n"
	    "Date: %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: 11\r\n\r\n{\"ok\":true}", http_date(date, sizeof date, 25));
	tcp_to_server(d, f, H_PHONE, S_PHONE_LOGIN, 80, sc, 0, cb, sb);
	demo_start(d, f, AT(25, 0));
	demo_truth(d, "http\tPOST\t/login\thost=%s\tflow=%s>%s"
	    "\tcontent_type=application/x-www-form-urlencoded\tbytes=%d\n", host, cb, sb, n);
	leak(d, sc, "email", email, "\r\n\r\nemail=", email_enc, NULL, cb, sb);
	leak(d, sc, "password", pass, "&password=", pass_enc, email, cb, sb);
}

int
scen_demo(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct demo *d = xcalloc(1, sizeof *d);
	char mb[18];
	int rc;

	rng_seed(&d->rng, o->seed, 1);
	d->r = &d->rng;
	pool_init(&d->pool, 1u << 20, o->seed);
	d->truth = truth;
	if (sink_open(&d->sink, out, o->fmt, o->link, demo_hosts[H_ROUTER].mac, o->snaplen) != 0) {
		free(d);
		return -1;
	}
	sched_init(&d->sched, &d->sink);

	demo_truth(d, "# gen-capture demo ground truth; layout in tests/gen/scen-demo.c\n");
	demo_truth(d, "capture\tstart=2026-03-14T09:00:00Z\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n",
	    o->seed, o->link_name, o->fmt_name);
	demo_truth(d, "router\tmac=%s\tip=192.168.1.1\tvendor=%s\n",
	    demo_mac_str(mb, demo_hosts[H_ROUTER].mac), demo_hosts[H_ROUTER].vendor);
	demo_dhcp(d, H_CAM, AT(0, 200));
	demo_dhcp(d, H_PLUG, AT(0, 850));
	demo_dhcp(d, H_SCALE, AT(1, 600));
	demo_dhcp(d, H_HUB, AT(2, 300));
	demo_dhcp(d, H_PHONE, AT(3, 100));
	demo_ssdp(d, AT(4, 0));
	demo_mdns(d);
	camera_flows(d);
	scale_flows(d);
	plug_flows(d);
	hub_flows(d);
	phone_flows(d);
	demo_arp(d, H_PHONE, AT(40, 0));
	demo_arp(d, H_CAM, AT(41, 300));
	/*
	 * The leak flows draw from a random stream of their own, at setup and as they run, so
	 * adding them left every conversation above as it was, byte for byte and to the
	 * microsecond: figures other tests hold stay true.
	 */
	rng_seed(&d->rng_late, o->seed, 2);
	d->r = &d->rng_late;
	camera_leak_flows(d);
	plug_update_flow(d);
	phone_login_flow(d);

	rc = sched_run(&d->sched, NULL, NULL);
	st->packets = d->sink.w.packets;
	st->flows = (uint64_t)d->ntcp;
	st->first_ns = T0_NS;
	st->last_ns = d->sched.last_ts;
	demo_truth(d, "count\tpackets=%" PRIu64 "\ttcp_conversations=%d\n", st->packets, d->ntcp);
	if (sink_close(&d->sink) != 0)
		rc = -1;
	st->file_bytes = d->sink.w.file_bytes;
	sched_fini(&d->sched);
	for (size_t i = 0; i < d->nscripts; i++)
		script_free(d->scripts[i]);
	free(d->scripts);
	pool_fini(&d->pool);
	free(d);
	return rc;
}

