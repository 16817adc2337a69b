/*
 * bench-net.c — the benchmark's hosts and its datagram exchanges.  Fifty devices with real
 * vendor OUIs sit behind an AVM router on 192.168.178.0/24; two thousand servers get addresses
 * in blocks their cloud providers really announce, names under vendor domains, and a role
 * (web, MQTT broker, proprietary protocol).  DNS, NTP, SSDP/mDNS and ICMP flows are short lists
 * of prebuilt frames.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bytes.h"
#include "msg.h"
#include "xmem.h"

static const struct {
	uint8_t		 oui[3];
	const char	*kind;
	uint8_t		 ttl;
	int		 ts_opt;
	int		 v6;
} dev_kinds[] = {
	{ { 0x24, 0x0a, 0xc4 }, "esp32-plug", 255, 0, 0 },	/* Espressif */
	{ { 0x1c, 0x90, 0xff }, "tuya-bulb", 255, 0, 0 },	/* Tuya Smart */
	{ { 0xc0, 0x56, 0xe3 }, "ip-camera", 64, 1, 0 },	/* Hikvision */
	{ { 0x2c, 0xaa, 0x8e }, "wyze-cam", 64, 1, 0 },		/* Wyze Labs */
	{ { 0x68, 0xdb, 0xf5 }, "echo-speaker", 64, 1, 1 },	/* Amazon */
	{ { 0x3c, 0x8d, 0x20 }, "nest-display", 64, 1, 1 },	/* Google */
	{ { 0xa4, 0x83, 0xe7 }, "iphone", 64, 1, 1 },		/* Apple */
	{ { 0xd0, 0xd0, 0x03 }, "smart-tv", 64, 1, 1 },		/* Samsung */
	{ { 0x54, 0x2a, 0x1b }, "sonos-speaker", 64, 1, 0 },	/* Sonos */
	{ { 0x54, 0xe0, 0x19 }, "ring-doorbell", 64, 1, 0 },	/* Ring */
	{ { 0xd0, 0x4d, 0x2c }, "roku-stick", 64, 1, 0 },	/* Roku */
	{ { 0x64, 0x16, 0x66 }, "nest-thermostat", 64, 1, 1 },	/* Nest Labs */
	{ { 0xa4, 0x45, 0x19 }, "robot-vacuum", 64, 1, 0 },	/* Xiaomi */
	{ { 0x00, 0x17, 0x88 }, "hue-bridge", 64, 1, 1 },	/* Philips Lighting */
	{ { 0x00, 0x24, 0xe4 }, "wifi-scale", 64, 0, 0 },	/* Withings */
	{ { 0x60, 0x3a, 0x7c }, "kasa-plug", 64, 0, 0 },	/* TP-Link */
};

static const uint8_t router_mac[6] = { 0x98, 0x9b, 0xcb, 0x52, 0x07, 0x11 };	/* AVM */
static const uint8_t lan6[8] = { 0x2a, 0x02, 0x80, 0x71, 0x5a, 0x1c, 0x4e, 0x00 };

/* Provider blocks: AWS, CloudFront, Google, GCP, Azure, Alibaba, Cloudflare, Akamai. */
static const struct {
	uint8_t		 net[4];
	uint8_t		 len;
	uint8_t		 ttl;		/* as seen at the router */
} v4_blocks[] = {
	{ { 52, 0, 0, 0 }, 11, 238 }, { { 54, 72, 0, 0 }, 13, 239 }, { { 3, 64, 0, 0 }, 12, 52 },
	{ { 18, 184, 0, 0 }, 13, 51 }, { { 13, 224, 0, 0 }, 14, 246 },
	{ { 142, 250, 0, 0 }, 15, 117 }, { { 34, 64, 0, 0 }, 10, 119 },
	{ { 35, 184, 0, 0 }, 13, 121 }, { { 20, 33, 0, 0 }, 16, 110 },
	{ { 40, 64, 0, 0 }, 10, 108 },
	{ { 47, 88, 0, 0 }, 14, 46 }, { { 47, 254, 0, 0 }, 16, 48 }, { { 104, 16, 0, 0 }, 13, 57 },
	{ { 23, 32, 0, 0 }, 11, 55 },
};

static const uint8_t v6_blocks[][4] = {
	{ 0x26, 0x06, 0x47, 0x00 },	/* Cloudflare */
	{ 0x2a, 0x00, 0x14, 0x50 },	/* Google */
	{ 0x26, 0x00, 0x1f, 0x18 },	/* AWS */
};

static const char *const name_prefix[] = {
	"api", "mqtt", "cdn", "telemetry", "update", "events", "media", "push", "edge", "auth",
	"device", "stream", "logs", "ota", "sync"
};
static const char *const name_domain[] = {
	"camvendor.example-cloud.com", "plugvendor.example-cloud.com",
	"hubvendor.example-cloud.com", "tvvendor.example-cloud.com",
	"speakervendor.example-cloud.com", "vacuumvendor.example-cloud.com",
	"bulbvendor.example-cloud.com", "scalevendor.example-cloud.com",
	"doorbellvendor.example-cloud.com", "thermovendor.example-cloud.com",
	"iot.eu-central-1.example-cloud.net", "iot.us-east-1.example-cloud.net"
};

static const uint8_t ntp_servers[][4] = {
	{ 162, 159, 200, 1 }, { 162, 159, 200, 123 }, { 216, 239, 35, 0 }, { 216, 239, 35, 4 },
	{ 129, 6, 15, 28 }, { 17, 253, 34, 253 }, { 194, 58, 202, 20 }
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
eui64(uint8_t *ip6, const uint8_t *prefix, const uint8_t *mac)
{
	memcpy(ip6, prefix, 8);
	ip6[8] = mac[0] ^ 0x02;
	ip6[9] = mac[1];
	ip6[10] = mac[2];
	ip6[11] = 0xff;
	ip6[12] = 0xfe;
	ip6[13] = mac[3];
	ip6[14] = mac[4];
	ip6[15] = mac[5];
}

static void
make_server(struct bench *b, struct bench_srv *s, enum bench_role role, uint32_t i)
{
	struct rng *r = &b->rng;
	uint32_t k = rng_below(r, NELEM(v4_blocks));
	uint32_t host = rng_u32(r) & (0xffffffffu >> v4_blocks[k].len);
	uint32_t net = (uint32_t)v4_blocks[k].net[0] << 24 | (uint32_t)v4_blocks[k].net[1] << 16 |
	    (uint32_t)v4_blocks[k].net[2] << 8 | v4_blocks[k].net[3];
	uint32_t a = net | host;
	const char *pfx;

	if ((a & 0xff) == 0 || (a & 0xff) == 255)
		a ^= 0x11;
	put_be32(s->ip, a);
	s->ttl = (uint8_t)(v4_blocks[k].ttl - rng_below(r, 4));
	s->role = role;
	s->has6 = role == ROLE_WEB && rng_pct(r, 15);
	if (s->has6) {
		memcpy(s->ip6, v6_blocks[rng_below(r, NELEM(v6_blocks))], 4);
		rng_fill(r, s->ip6 + 4, 12);
		s->ip6[8] = s->ip6[9] = s->ip6[10] = s->ip6[11] = 0;
	}
	switch (role) {
	case ROLE_MQTT:
		pfx = "mqtt";
		break;
	case ROLE_BIN:
		pfx = "m2";
		break;
	default:
		pfx = name_prefix[rng_below(r, NELEM(name_prefix))];
		break;
	}
	snprintf(s->name, sizeof s->name, "%s%u.%s", pfx, (unsigned)(i % 97),
	    name_domain[rng_below(r, NELEM(name_domain))]);
}

void
bench_net_init(struct bench *b)
{
	static const uint32_t role_share[3] = { 1700, 220, 80 };
	uint32_t at = 0;

	memcpy(b->router_mac, router_mac, 6);
	b->router_ip[0] = 192;
	b->router_ip[1] = 168;
	b->router_ip[2] = 178;
	b->router_ip[3] = 1;
	for (int i = 0; i < BENCH_NDEV; i++) {
		struct bench_dev *d = &b->dev[i];
		uint32_t k = (uint32_t)i % NELEM(dev_kinds);

		memcpy(d->mac, dev_kinds[k].oui, 3);
		rng_fill(&b->rng, d->mac + 3, 3);
		memcpy(d->ip, b->router_ip, 3);
		d->ip[3] = (uint8_t)(20 + i);
		d->ttl = dev_kinds[k].ttl;
		d->ts_opt = dev_kinds[k].ts_opt;
		d->has6 = dev_kinds[k].v6;
		if (d->has6)
			eui64(d->ip6, lan6, d->mac);
		d->next_port = (uint16_t)rng_range(&b->rng, 33000, 60000);
		d->kind = dev_kinds[k].kind;
	}
	b->srv = xcalloc(BENCH_NSRV, sizeof *b->srv);
	for (int role = 0; role < 3; role++) {
		b->role_start[role] = at;
		b->role_count[role] = role_share[role];
		for (uint32_t i = 0; i < role_share[role]; i++, at++)
			make_server(b, &b->srv[at], (enum bench_role)role, at);
	}
}

struct bench_dev *
bench_pick_dev(struct bench *b)
{
	return &b->dev[rng_below(&b->rng, BENCH_NDEV)];
}

/* Popular servers get most flows: the product of two uniforms leans towards index 0. */
const struct bench_srv *
bench_pick_srv(struct bench *b, enum bench_role role)
{
	uint32_t n = b->role_count[role];
	uint64_t i = (uint64_t)rng_below(&b->rng, n) * rng_below(&b->rng, n) / n;

	return &b->srv[b->role_start[role] + (uint32_t)i];
}

/* The next ephemeral port of a device, in the Linux range. */
uint16_t
bench_port(struct bench_dev *d)
{
	uint16_t p = d->next_port;

	d->next_port = p >= 60999 ? 32768 : (uint16_t)(p + 1 + (p & 3));
	return p;
}

struct ep
bench_ep_dev(struct bench *b, const struct bench_dev *d, int v6, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, d->mac, 6);
	if (v6)
		memcpy(e.ip, d->ip6, 16);
	else
		memcpy(e.ip, d->ip, 4);
	e.port = port;
	e.ttl = d->ttl;
	e.ipid = (uint16_t)rng_u32(&b->rng);
	e.flowlabel = rng_u32(&b->rng) & 0xfffff;
	return e;
}

struct ep
bench_ep_srv(struct bench *b, const struct bench_srv *s, int v6, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, b->router_mac, 6);
	if (v6)
		memcpy(e.ip, s->ip6, 16);
	else
		memcpy(e.ip, s->ip, 4);
	e.port = port;
	e.ttl = s->ttl;
	e.ipid = (uint16_t)rng_u32(&b->rng);
	e.flowlabel = rng_u32(&b->rng) & 0xfffff;
	return e;
}

static struct ep
router_ep(struct bench *b, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, b->router_mac, 6);
	memcpy(e.ip, b->router_ip, 4);
	e.port = port;
	e.ttl = 64;
	e.ipid = (uint16_t)rng_u32(&b->rng);
	return e;
}

/* One query and its answer, from the same socket; AAAA when aaaa is set. */
static void
dns_one(struct bench *b, struct flow *f, uint64_t delay, struct ep *cl, struct ep *rt,
    const struct bench_srv *s, int aaaa)
{
	uint16_t id = (uint16_t)rng_u32(&b->rng);
	int cname = !aaaa && rng_pct(&b->rng, 20), extra = aaaa ? 0 : (int)rng_below(&b->rng, 3);
	uint8_t addr[16];
	char target[96];
	struct dnsw w;
	size_t len;
	int n = aaaa ? s->has6 : 1 + extra;

	dnsw_init(&w, b->buf, sizeof b->buf);
	dnsw_header(&w, id, 0x0100, 1, 0, 0, 0);
	dnsw_question(&w, s->name, aaaa ? DNS_AAAA : DNS_A, DNS_IN);
	len = pb_udp(b->frame, cl, rt, 0, w.p, w.n);
	flow_add_frame(f, delay, b->frame, len);

	dnsw_init(&w, b->buf, sizeof b->buf);
	dnsw_header(&w, id, 0x8180, 1, (uint16_t)(n + cname), 0, 0);
	dnsw_question(&w, s->name, aaaa ? DNS_AAAA : DNS_A, DNS_IN);
	snprintf(target, sizeof target, "%s", s->name);
	if (cname) {
		snprintf(target, sizeof target, "edge-%u.cdn.example-cloud.net",
		    (unsigned)rng_below(&b->rng, 4000));
		dnsw_rr_name(&w, s->name, DNS_CNAME, DNS_IN, 300, target);
	}
	for (int i = 0; i < n; i++) {
		if (aaaa)
			memcpy(addr, s->ip6, 16);
		else {
			memcpy(addr, s->ip, 4);
			if (i > 0)
				addr[3] = (uint8_t)(addr[3] + 1 + rng_below(&b->rng, 50));
		}
		dnsw_rr_addr(&w, target, aaaa ? DNS_AAAA : DNS_A, DNS_IN,
		    rng_range(&b->rng, 30, 3600), addr);
	}
	len = pb_udp(b->frame, rt, cl, 0, w.p, w.n);
	flow_add_frame(f, rng_pct(&b->rng, 70) ? rng_range64(&b->rng, 150000, 1500000) :
	    rng_range64(&b->rng, 8000000, 60000000), b->frame, len);
}

/* Device d looks up s at the router: A, and AAAA too from IPv6-capable devices. */
void
bench_dns(struct bench *b, struct flow *f, uint64_t delay, struct bench_dev *d,
    const struct bench_srv *s)
{
	struct ep cl = bench_ep_dev(b, d, 0, bench_port(d)), rt = router_ep(b, 53);

	dns_one(b, f, delay, &cl, &rt, s, 0);
	if (d->has6)
		dns_one(b, f, rng_range64(&b->rng, 20000, 200000), &cl, &rt, s, 1);
}

/* One to three NTP polls; at is roughly when the first is sent, for the timestamps. */
void
bench_ntp(struct bench *b, struct flow *f, struct bench_dev *d, uint64_t at)
{
	const uint8_t *sip = ntp_servers[rng_below(&b->rng, NELEM(ntp_servers))];
	struct bench_srv s;
	struct ep cl = bench_ep_dev(b, d, 0, bench_port(d)), srv;
	uint8_t req[NTP_LEN], rep[NTP_LEN];
	int n = (int)rng_range(&b->rng, 1, 3);

	memset(&s, 0, sizeof s);
	memcpy(s.ip, sip, 4);
	s.ttl = (uint8_t)rng_range(&b->rng, 50, 58);
	srv = bench_ep_srv(b, &s, 0, 123);
	for (int i = 0; i < n; i++) {
		uint64_t rtt = rng_range64(&b->rng, 5000000, 40000000), gap = i ? 2000000000 : 0;
		size_t len;

		at += gap;
		ntp_request(req, at, &b->rng);
		len = pb_udp(b->frame, &cl, &srv, 0, req, NTP_LEN);
		flow_add_frame(f, gap, b->frame, len);
		ntp_reply(rep, req, at + rtt / 2, at + rtt / 2 + 30000, &b->rng);
		len = pb_udp(b->frame, &srv, &cl, 0, rep, NTP_LEN);
		flow_add_frame(f, rtt, b->frame, len);
		at += rtt;
	}
}

/* An SSDP M-SEARCH or a one-shot mDNS query, with unicast answers from other devices. */
void
bench_mcast(struct bench *b, struct flow *f, struct bench_dev *d)
{
	static const uint8_t ssdp4[4] = { 239, 255, 255, 250 }, mdns4[4] = { 224, 0, 0, 251 };
	static const char *const services[] = { "_googlecast._tcp.local", "_hap._tcp.local",
	    "_airplay._tcp.local", "_spotify-connect._tcp.local", "_sonos._tcp.local" };
	int ssdp = rng_pct(&b->rng, 50), nresp = (int)rng_range(&b->rng, 1, 3);
	struct ep cl = bench_ep_dev(b, d, 0, bench_port(d)), grp;
	char txt[700];
	size_t len;
	int n;

	memset(&grp, 0, sizeof grp);
	memcpy(grp.ip, ssdp ? ssdp4 : mdns4, 4);
	pb_mcast_mac(grp.mac, grp.ip, 0);
	grp.port = ssdp ? 1900 : 5353;
	cl.ttl = ssdp ? 4 : 255;
	if (ssdp) {
		n = snprintf(txt, sizeof txt, "M-SEARCH * HTTP/1.1\r\n"
		    "HOST: 239.255.255.250:1900\r\n"
		    "MAN: \"ssdp:discover\"\r\n"
		    "MX: 2\r\n"
		    "ST: ssdp:all\r\n"
		    "USER-AGENT: Linux/5.10 UPnP/1.1 %s/1.0\r\n\r\n", d->kind);
		len = pb_udp(b->frame, &cl, &grp, 0, (const uint8_t *)txt, (size_t)n);
	} else {
		struct dnsw w;

		dnsw_init(&w, b->buf, sizeof b->buf);
		dnsw_header(&w, 0, 0, 1, 0, 0, 0);
		dnsw_question(&w, services[rng_below(&b->rng, NELEM(services))], DNS_PTR, DNS_IN);
		len = pb_udp(b->frame, &cl, &grp, 0, w.p, w.n);
	}
	flow_add_frame(f, 0, b->frame, len);

	for (int i = 0; i < nresp; i++) {
		struct bench_dev *o = bench_pick_dev(b);
		struct ep src = bench_ep_dev(b, o, 0, ssdp ? 1900 : 5353), dst = cl;
		uint64_t delay = rng_range64(&b->rng, 2000000, 400000000);

		if (o == d)
			continue;
		if (ssdp) {
			n = snprintf(txt, sizeof txt, "HTTP/1.1 200 OK\r\n"
			    "CACHE-CONTROL: max-age=1800\r\n"
			    "EXT:\r\n"
			    "LOCATION: http://%u.%u.%u.%u:%u/description.xml\r\n"
			    "SERVER: Linux/4.9 UPnP/1.0 %s/2.3\r\n"
			    "ST: upnp:rootdevice\r\n"
			    "USN: uuid:%02x%02x%02x%02x-1dd2-11b2-a000-%02x%02x%02x%02x%02x%02x"
			    "::upnp:rootdevice\r\n\r\n", o->ip[0], o->ip[1], o->ip[2], o->ip[3],
			    rng_range(&b->rng, 1400, 49999), o->kind, o->mac[0], o->mac[1],
			    o->mac[2], o->mac[3], o->mac[0], o->mac[1], o->mac[2], o->mac[3],
			    o->mac[4], o->mac[5]);
			len = pb_udp(b->frame, &src, &dst, 0, (const uint8_t *)txt, (size_t)n);
		} else {
			struct dnsw w;
			char inst[128], host[64];

			snprintf(host, sizeof host, "%s-%02x%02x.local", o->kind, o->mac[4],
			    o->mac[5]);
			snprintf(inst, sizeof inst, "%s %02X%02X._googlecast._tcp.local", o->kind,
			    o->mac[4], o->mac[5]);
			dnsw_init(&w, b->buf, sizeof b->buf);
			dnsw_header(&w, 0, 0x8400, 0, 1, 0, 2);
			dnsw_rr_name(&w, "_googlecast._tcp.local", DNS_PTR, DNS_IN, 120, inst);
			dnsw_rr_srv(&w, inst, DNS_IN | DNS_FLUSH, 120, 8009, host);
			dnsw_rr_addr(&w, host, DNS_A, DNS_IN | DNS_FLUSH, 120, o->ip);
			len = pb_udp(b->frame, &src, &dst, 0, w.p, w.n);
		}
		flow_add_frame(f, delay, b->frame, len);
	}
}

/* One to four echo requests a second apart, to a server or a public resolver. */
void
bench_icmp(struct bench *b, struct flow *f, struct bench_dev *d)
{
	static const uint8_t resolvers[][4] = { { 8, 8, 8, 8 }, { 1, 1, 1, 1 }, { 9, 9, 9, 9 } };
	const struct bench_srv *s = bench_pick_srv(b, ROLE_WEB);
	struct bench_srv tmp;
	struct ep cl = bench_ep_dev(b, d, 0, 0), srv;
	uint16_t id = (uint16_t)rng_u32(&b->rng);
	uint8_t data[56];
	int n = (int)rng_range(&b->rng, 1, 4);

	if (rng_pct(&b->rng, 50)) {
		memset(&tmp, 0, sizeof tmp);
		memcpy(tmp.ip, resolvers[rng_below(&b->rng, NELEM(resolvers))], 4);
		tmp.ttl = 117;
		s = &tmp;
	}
	srv = bench_ep_srv(b, s, 0, 0);
	for (int i = 0; i < n; i++) {
		size_t len;

		rng_fill(&b->rng, data, 8);
		for (size_t j = 8; j < sizeof data; j++)
			data[j] = (uint8_t)j;
		len = pb_icmp_echo(b->frame, &cl, &srv, 0, 0, id, (uint16_t)(i + 1), data,
		    sizeof data);
		flow_add_frame(f, i ? 1000000000ull : 0, b->frame, len);
		len = pb_icmp_echo(b->frame, &srv, &cl, 0, 1, id, (uint16_t)(i + 1), data,
		    sizeof data);
		flow_add_frame(f, rng_range64(&b->rng, 4000000, 60000000), b->frame, len);
	}
}
