/*
 * scen-demo.c — the demo: a small home network behind a TP-Link router (192.168.1.1, also DHCP
 * and DNS server, and the capture host), five IoT devices and a phone, about 60 s of traffic from
 * 2026-03-14 09:00:00 UTC.  Every MAC prefix is a real IEEE OUI of the named vendor; every cloud
 * address sits in a block its provider really uses.
 *
 * The --truth file is UTF-8 text, one fact per line, fields separated by TABs; the first field
 * says what the line is, a "key=value" field names its value, flows are CLIENT>SERVER with
 * IPv4 as a.b.c.d:port and IPv6 as [addr]:port:
 *   capture	start=2026-03-14T09:00:00Z	seed=N	link=L	format=F
 *   router	mac=M	ip=A	vendor=V
 *   device	HOSTNAME	mac=M	ip=A	vendor=V	vendor_class=C	[ip6=A]
 *   dns	NAME	ADDRESS				(one line per A/AAAA answer)
 *   cname	NAME	TARGET
 *   tls	SNI	1.2|1.3	client=C	server=S	[alpn=P]
 *   credential	http-basic	user=U	password=P	flow=F
 *   credential	mqtt	client_id=I	user=U	password=P	flow=F
 *   http	METHOD	URI	host=H	flow=F	[content_type=T	bytes=N]
 *   pii	json	flow=F	email=E	(plus the other personal fields)
 *   jpeg	flow=F	bytes=N
 *   base64	flow=F	bytes=N
 *   port-mismatch	flow=F	expected=tls	seen=http
 *   mqtt	publish	topic=T	flow=F	count=N
 *   ntp	flow=F
 *   icmp	echo	client=C	server=S	count=N
 *   ssdp	HOSTNAME	location=URL	server=S	usn=U
 *   mdns	HOSTNAME	name=N	ip=A	service=S	instance=I	port=P
 *   conv	tcp	C	S			(every TCP connection)
 *   count	packets=N	tcp_conversations=M	(N counts frames written for this --link)
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "msg.h"
#include "pktbuild.h"
#include "rng.h"
#include "scen.h"
#include "sched.h"
#include "script.h"
#include "xmem.h"

#define T0_NS		(1773478800ull * 1000000000ull)
#define MS(x)		((uint64_t)(x) * 1000000ull)
#define US(x)		((uint64_t)(x) * 1000ull)
#define AT(s, ms)	(T0_NS + (uint64_t)(s) * 1000000000ull + MS(ms))

struct dhost {
	const char	*name;
	const char	*vendor;	/* IEEE registrant of the OUI */
	const char	*vendor_class;	/* DHCP option 60 */
	uint8_t		 mac[6];
	uint8_t		 ip[4];
	uint8_t		 ttl;
	int		 ts_opt;	/* its TCP stack uses timestamps */
	const uint8_t	*params;	/* DHCP option 55 */
	size_t		 nparams;
};

enum { H_ROUTER, H_CAM, H_PLUG, H_SCALE, H_HUB, H_PHONE, NHOSTS };

static const uint8_t prl_udhcp[] = { 1, 3, 6, 12, 15, 28, 42 };
static const uint8_t prl_lwip[] = { 1, 3, 28, 6, 15, 44, 46, 47, 31, 33, 121, 43 };
static const uint8_t prl_android[] = { 1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108 };

static const struct dhost hosts[NHOSTS] = {
	{ "router", "TP-LINK TECHNOLOGIES CO.,LTD.", NULL,
	    { 0x50, 0xc7, 0xbf, 0x3a, 0x81, 0x01 }, { 192, 168, 1, 1 }, 64, 1, NULL, 0 },
	{ "cam-livingroom", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "udhcp 1.30.1",
	    { 0xc0, 0x56, 0xe3, 0x4d, 0x21, 0x9a }, { 192, 168, 1, 20 }, 64, 1,
	    prl_udhcp, sizeof prl_udhcp },
	{ "plug-kitchen", "Espressif Inc.", "ESP32-lwIP-2.1",
	    { 0x24, 0x0a, 0xc4, 0x5e, 0x12, 0xf3 }, { 192, 168, 1, 21 }, 255, 0,
	    prl_lwip, sizeof prl_lwip },
	{ "scale-bathroom", "Withings", "Withings WBS06",
	    { 0x00, 0x24, 0xe4, 0x7a, 0x3b, 0x11 }, { 192, 168, 1, 22 }, 64, 0,
	    prl_lwip, sizeof prl_lwip },
	{ "hub-hall", "Philips Lighting BV", "udhcp 1.24.2",
	    { 0x00, 0x17, 0x88, 0x6f, 0xa2, 0x04 }, { 192, 168, 1, 23 }, 64, 1,
	    prl_udhcp, sizeof prl_udhcp },
	{ "pixel-phone", "Google, Inc.", "android-dhcp-14",
	    { 0x3c, 0x8d, 0x20, 0x91, 0x5c, 0xe7 }, { 192, 168, 1, 30 }, 64, 1,
	    prl_android, sizeof prl_android },
};

/* The phone's SLAAC addresses (EUI-64 of its MAC) in a Deutsche Telekom-style /56. */
static const uint8_t phone_ll6[16] = {
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x3e, 0x8d, 0x20, 0xff, 0xfe, 0x91, 0x5c, 0xe7
};
static const uint8_t phone_gl6[16] = {
	0x2a, 0x02, 0x80, 0x71, 0x5a, 0x1c, 0x4e, 0x00, 0x3e, 0x8d, 0x20, 0xff, 0xfe, 0x91,
	0x5c, 0xe7
};
static const uint8_t mdns6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb };
static const uint8_t mdns4[4] = { 224, 0, 0, 251 };
static const uint8_t ssdp4[4] = { 239, 255, 255, 250 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct dserver {
	const char	*name;
	uint8_t		 ip[16];
	int		 v6;
	uint8_t		 ttl;		/* as it arrives at the router */
};

enum {
	S_CAM_API1, S_CAM_API2, S_CAM_SNAP, S_SCALE, S_NTP1, S_NTP2, S_PLUG, S_MQTT, S_STATUS,
	S_PHONE, S_PHONE6, S_DNS8, NSERVERS
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
};

struct demo {
	struct rng	 rng;
	struct pool	 pool;
	struct sched	 sched;
	struct sink	 sink;
	FILE		*truth;
	struct script	**scripts;
	size_t		 nscripts;
	size_t		 cap;
	int		 ntcp;
	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 buf[65536];
};

static void
tprintf(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tprintf(struct demo *d, const char *fmt, ...)
{
	va_list ap;

	if (d->truth == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(d->truth, fmt, ap);
	va_end(ap);
}

static const char *
mac_str(char *b, const uint8_t *m)
{
	snprintf(b, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return b;
}

static const char *
ip_str(char *b, size_t sz, const uint8_t *ip, int v6)
{
	if (inet_ntop(v6 ? AF_INET6 : AF_INET, ip, b, (socklen_t)sz) == NULL)
		snprintf(b, sz, "?");
	return b;
}

/* "a.b.c.d:port" or "[v6]:port" of an endpoint. */
static const char *
ep_str(char *b, size_t sz, const struct ep *e, int v6)
{
	char ip[INET6_ADDRSTRLEN];

	ip_str(ip, sizeof ip, e->ip, v6);
	snprintf(b, sz, v6 ? "[%s]:%u" : "%s:%u", ip, e->port);
	return b;
}

static struct ep
ep_host(struct demo *d, int h, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, hosts[h].mac, 6);
	memcpy(e.ip, hosts[h].ip, 4);
	e.port = port;
	e.ttl = hosts[h].ttl;
	e.ipid = (uint16_t)rng_u32(&d->rng);
	e.flowlabel = rng_u32(&d->rng) & 0xfffff;
	return e;
}

/* A remote address as seen on the LAN: behind the router's MAC. */
static struct ep
ep_remote(struct demo *d, const uint8_t *ip, int v6, uint16_t port, uint8_t ttl)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, hosts[H_ROUTER].mac, 6);
	memcpy(e.ip, ip, v6 ? 16 : 4);
	e.port = port;
	e.ttl = ttl;
	e.ipid = (uint16_t)rng_u32(&d->rng);
	e.flowlabel = rng_u32(&d->rng) & 0xfffff;
	return e;
}

static uint16_t
ephemeral(struct demo *d)
{
	return (uint16_t)rng_range(&d->rng, 33000, 60999);
}

static struct script *
demo_script(struct demo *d)
{
	struct script *s = script_new();

	if (d->nscripts == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->scripts = xrealloc(d->scripts, d->cap * sizeof *d->scripts);
	}
	d->scripts[d->nscripts++] = s;
	return s;
}

/*
 * Adds to f a query from host h to the router's DNS and the router's answer resp_ns later: an
 * optional CNAME, then n addresses (A, or AAAA when qtype says so) owned by the last name.
 */
static void
dns_pair(struct demo *d, struct flow *f, uint64_t delay_ns, int h, const char *qname,
    uint16_t qtype, const char *cname, const uint8_t (*addrs)[16], int n, uint64_t resp_ns)
{
	struct ep cl = ep_host(d, h, ephemeral(d)), srv = ep_host(d, H_ROUTER, 53);
	uint16_t id = (uint16_t)rng_u32(&d->rng);
	int v6 = qtype == DNS_AAAA;
	struct dnsw w;
	size_t len;
	char ipb[64];

	dnsw_init(&w, d->buf, 1400);
	dnsw_header(&w, id, 0x0100, 1, 0, 0, 0);
	dnsw_question(&w, qname, qtype, DNS_IN);
	len = pb_udp(d->frame, &cl, &srv, 0, w.p, w.n);
	flow_add_frame(f, delay_ns, d->frame, len);

	dnsw_init(&w, d->buf, 1400);
	dnsw_header(&w, id, 0x8180, 1, (uint16_t)(n + (cname ? 1 : 0)), 0, 0);
	dnsw_question(&w, qname, qtype, DNS_IN);
	if (cname != NULL) {
		dnsw_rr_name(&w, qname, DNS_CNAME, DNS_IN, 300, cname);
		tprintf(d, "cname\t%s\t%s\n", qname, cname);
	}
	for (int i = 0; i < n; i++) {
		const char *owner = cname ? cname : qname;

		dnsw_rr_addr(&w, owner, qtype, DNS_IN, v6 ? 300 : 60, addrs[i]);
		tprintf(d, "dns\t%s\t%s\n", owner, ip_str(ipb, sizeof ipb, addrs[i], v6));
		if (cname != NULL)
			tprintf(d, "dns\t%s\t%s\n", qname, ipb);
	}
	len = pb_udp(d->frame, &srv, &cl, 0, w.p, w.n);
	flow_add_frame(f, resp_ns, d->frame, len);
}

/* Resolves one server's name for host h: an A query with its single address. */
static void
dns_simple(struct demo *d, struct flow *f, uint64_t delay_ns, int h, int s, uint64_t resp_ns)
{
	uint8_t a[1][16];

	memset(a, 0, sizeof a);
	memcpy(a[0], servers[s].ip, servers[s].v6 ? 16 : 4);
	dns_pair(d, f, delay_ns, h, servers[s].name, servers[s].v6 ? DNS_AAAA : DNS_A, NULL,
	    (const uint8_t (*)[16])a, 1, resp_ns);
}

/*
 * Sets up f's TCP connection from host h to a server; the connection starts tcp_delay_ns after
 * f's last datagram.  Returns the client's endpoint string for the truth file in cbuf.
 */
static void
tcp_setup(struct demo *d, struct flow *f, int h, const uint8_t *ip, int v6, uint16_t port,
    uint8_t ttl, struct script *sc, int closer, uint64_t tcp_delay_ns, char *cbuf, char *sbuf)
{
	struct tcpflow *t = &f->tcp;

	tcpflow_init(t, &d->rng, &d->pool, v6, hosts[h].ts_opt, script_next, sc);
	t->end[0] = ep_host(d, h, ephemeral(d));
	if (v6)
		memcpy(t->end[0].ip, phone_gl6, 16);
	t->end[1] = ep_remote(d, ip, v6, port, ttl);
	t->closer = closer;
	f->has_tcp = 1;
	f->tcp_delay_ns = tcp_delay_ns;
	ep_str(cbuf, 64, &t->end[0], v6);
	ep_str(sbuf, 64, &t->end[1], v6);
	tprintf(d, "conv\ttcp\t%s\t%s\n", cbuf, sbuf);
	d->ntcp++;
}

static void
tcp_to_server(struct demo *d, struct flow *f, int h, int s, uint16_t port, struct script *sc,
    int closer, char *cbuf, char *sbuf)
{
	tcp_setup(d, f, h, servers[s].ip, servers[s].v6, port, servers[s].ttl, sc, closer,
	    US(rng_range(&d->rng, 300, 2500)), cbuf, sbuf);
}

/* The HTTP Date header for an offset of sec seconds into the capture. */
static const char *
http_date(char *b, size_t sz, unsigned sec)
{
	snprintf(b, sz, "Sat, 14 Mar 2026 09:%02u:%02u GMT", sec / 60, sec % 60);
	return b;
}

static void
dhcp_flow(struct demo *d, int h, uint64_t start)
{
	struct flow *f = flow_new();
	struct dhcp_args a;
	struct ep cl, srv, any;
	uint8_t mask[4] = { 255, 255, 255, 0 }, zero[4] = { 0, 0, 0, 0 }, buf[DHCP_MAX];
	const uint8_t *rip = hosts[H_ROUTER].ip;
	size_t n, len;
	char mb[18];

	memset(&a, 0, sizeof a);
	a.xid = rng_u32(&d->rng);
	a.chaddr = hosts[h].mac;
	a.hostname = hosts[h].name;
	a.vendor_class = hosts[h].vendor_class;
	a.params = hosts[h].params;
	a.nparams = hosts[h].nparams;
	a.requested = hosts[h].ip;	/* remembered from the previous lease */
	a.mask = mask;
	a.router = rip;
	a.dns = rip;
	a.lease_s = 86400;
	a.domain = "lan";

	cl = ep_host(d, h, 68);
	memcpy(cl.ip, zero, 4);
	cl.ipid = 0;
	srv = ep_host(d, H_ROUTER, 67);
	memset(&any, 0, sizeof any);
	memcpy(any.mac, bcast_mac, 6);
	memset(any.ip, 0xff, 4);

	a.type = DHCPDISCOVER;
	n = dhcp_build(buf, &a);
	any.port = 67;
	len = pb_udp(d->frame, &cl, &any, 0, buf, n);
	flow_add_frame(f, 0, d->frame, len);

	a.type = DHCPOFFER;
	a.yiaddr = hosts[h].ip;
	a.server = rip;
	n = dhcp_build(buf, &a);
	any.port = 68;
	len = pb_udp(d->frame, &srv, &any, 0, buf, n);
	flow_add_frame(f, MS(rng_range(&d->rng, 2, 9)), d->frame, len);

	a.type = DHCPREQUEST;
	a.secs = 0;
	n = dhcp_build(buf, &a);
	any.port = 67;
	len = pb_udp(d->frame, &cl, &any, 0, buf, n);
	flow_add_frame(f, MS(rng_range(&d->rng, 4, 30)), d->frame, len);

	a.type = DHCPACK;
	n = dhcp_build(buf, &a);
	any.port = 68;
	len = pb_udp(d->frame, &srv, &any, 0, buf, n);
	flow_add_frame(f, US(rng_range(&d->rng, 600, 3000)), d->frame, len);

	/* The fresh client asks for its gateway's MAC. */
	len = pb_arp(d->frame, bcast_mac, 1, hosts[h].mac, hosts[h].ip, zero, rip);
	flow_add_frame(f, MS(rng_range(&d->rng, 40, 250)), d->frame, len);
	len = pb_arp(d->frame, hosts[h].mac, 2, hosts[H_ROUTER].mac, rip, hosts[h].mac,
	    hosts[h].ip);
	flow_add_frame(f, US(rng_range(&d->rng, 150, 900)), d->frame, len);
	sched_add(&d->sched, f, start);

	if (h == H_PHONE)
		tprintf(d, "device\t%s\tmac=%s\tip=192.168.1.%u\tvendor=%s\tvendor_class=%s"
		    "\tip6=2a02:8071:5a1c:4e00:3e8d:20ff:fe91:5ce7\n", hosts[h].name,
		    mac_str(mb, hosts[h].mac), hosts[h].ip[3], hosts[h].vendor,
		    hosts[h].vendor_class);
	else
		tprintf(d, "device\t%s\tmac=%s\tip=192.168.1.%u\tvendor=%s\tvendor_class=%s\n",
		    hosts[h].name, mac_str(mb, hosts[h].mac), hosts[h].ip[3], hosts[h].vendor,
		    hosts[h].vendor_class);
}

/* The router refreshing its neighbour entry for host h. */
static void
arp_refresh(struct demo *d, int h, uint64_t start)
{
	static const uint8_t zero[6];
	struct flow *f = flow_new();
	size_t len;

	len = pb_arp(d->frame, bcast_mac, 1, hosts[H_ROUTER].mac, hosts[H_ROUTER].ip, zero,
	    hosts[h].ip);
	flow_add_frame(f, 0, d->frame, len);
	len = pb_arp(d->frame, hosts[H_ROUTER].mac, 2, hosts[h].mac, hosts[h].ip,
	    hosts[H_ROUTER].mac, hosts[H_ROUTER].ip);
	flow_add_frame(f, US(rng_range(&d->rng, 500, 4000)), d->frame, len);
	sched_add(&d->sched, f, start);
}

static void
ssdp_notify(struct demo *d, uint64_t start)
{
	static const char *const nts[2] = { "upnp:rootdevice",
	    "urn:schemas-upnp-org:device:Basic:1" };
	const char *uuid = "uuid:b7c1e9a2-4f3d-4c1a-9e21-240ac45e12f3";
	struct flow *f = flow_new();
	struct ep src = ep_host(d, H_PLUG, 1900), dst;
	char txt[600];
	size_t len;
	int n = 0;

	memset(&dst, 0, sizeof dst);
	memcpy(dst.ip, ssdp4, 4);
	pb_mcast_mac(dst.mac, ssdp4, 0);
	dst.port = 1900;
	src.ttl = 4;		/* UPnP Device Architecture: multicast TTL 4 */
	for (int i = 0; i < 2; i++) {
		n = snprintf(txt, sizeof txt, "NOTIFY * HTTP/1.1\r\n"
		    "HOST: 239.255.255.250:1900\r\n"
		    "CACHE-CONTROL: max-age=1800\r\n"
		    "LOCATION: http://192.168.1.21:49153/setup.xml\r\n"
		    "NT: %s\r\n"
		    "NTS: ssdp:alive\r\n"
		    "SERVER: lwIP/2.1.2 UPnP/1.0 plug-kitchen/1.4.7\r\n"
		    "USN: %s::%s\r\n\r\n", nts[i], uuid, nts[i]);
		len = pb_udp(d->frame, &src, &dst, 0, (const uint8_t *)txt, (size_t)n);
		flow_add_frame(f, MS(rng_range(&d->rng, 20, 120)), d->frame, len);
	}
	sched_add(&d->sched, f, start);
	tprintf(d, "ssdp\tplug-kitchen\tlocation=http://192.168.1.21:49153/setup.xml"
	    "\tserver=lwIP/2.1.2 UPnP/1.0 plug-kitchen/1.4.7\tusn=%s::upnp:rootdevice\n", uuid);
}

/* The hub's records: PTR, SRV, TXT and A, as answers (announce) or additionals (reply). */
static size_t
mdns_hub_records(struct dnsw *w, int announce)
{
	static const char *const txt[] = { "c#=2", "ff=1", "id=00:17:88:6F:A2:04",
	    "md=Hall Hub", "pv=1.1", "s#=1", "sf=0", "ci=2" };

	dnsw_header(w, 0, 0x8400, 0, announce ? 4 : 1, 0, announce ? 0 : 3);
	dnsw_rr_name(w, "_hap._tcp.local", DNS_PTR, DNS_IN, 4500, "Hall Hub._hap._tcp.local");
	dnsw_rr_srv(w, "Hall Hub._hap._tcp.local", DNS_IN | DNS_FLUSH, 120, 8080,
	    "hub-hall.local");
	dnsw_rr_txt(w, "Hall Hub._hap._tcp.local", DNS_IN | DNS_FLUSH, 4500, txt,
	    (int)(sizeof txt / sizeof txt[0]));
	dnsw_rr_addr(w, "hub-hall.local", DNS_A, DNS_IN | DNS_FLUSH, 120, hosts[H_HUB].ip);
	return w->n;
}

static void
mdns_flows(struct demo *d)
{
	struct flow *f;
	struct ep hub = ep_host(d, H_HUB, 5353), ph = ep_host(d, H_PHONE, 5353), m4, m6;
	struct dnsw w;
	size_t len;

	memset(&m4, 0, sizeof m4);
	memcpy(m4.ip, mdns4, 4);
	pb_mcast_mac(m4.mac, mdns4, 0);
	m4.port = 5353;
	memset(&m6, 0, sizeof m6);
	memcpy(m6.ip, mdns6, 16);
	pb_mcast_mac(m6.mac, mdns6, 1);
	m6.port = 5353;
	hub.ttl = 255;
	ph.ttl = 255;

	/* RFC 6762 8.3: announce at least twice, one second apart. */
	f = flow_new();
	for (int i = 0; i < 2; i++) {
		dnsw_init(&w, d->buf, 1400);
		mdns_hub_records(&w, 1);
		len = pb_udp(d->frame, &hub, &m4, 0, w.p, w.n);
		flow_add_frame(f, i ? MS(1000) : 0, d->frame, len);
	}
	sched_add(&d->sched, f, AT(4, 500));

	/* The phone browses over IPv6 and IPv4; the hub answers on IPv4. */
	f = flow_new();
	dnsw_init(&w, d->buf, 1400);
	dnsw_header(&w, 0, 0, 2, 0, 0, 0);
	dnsw_question(&w, "_hap._tcp.local", DNS_PTR, DNS_IN);
	dnsw_question(&w, "_googlecast._tcp.local", DNS_PTR, DNS_IN);
	memcpy(ph.ip, phone_ll6, 16);
	len = pb_udp(d->frame, &ph, &m6, 1, w.p, w.n);
	flow_add_frame(f, 0, d->frame, len);
	memset(ph.ip, 0, 16);
	memcpy(ph.ip, hosts[H_PHONE].ip, 4);
	len = pb_udp(d->frame, &ph, &m4, 0, w.p, w.n);
	flow_add_frame(f, US(rng_range(&d->rng, 200, 800)), d->frame, len);
	dnsw_init(&w, d->buf, 1400);
	mdns_hub_records(&w, 0);
	len = pb_udp(d->frame, &hub, &m4, 0, w.p, w.n);
	flow_add_frame(f, MS(rng_range(&d->rng, 20, 120)), d->frame, len);
	sched_add(&d->sched, f, AT(6, 200));

	tprintf(d, "mdns\thub-hall\tname=hub-hall.local\tip=192.168.1.23\tservice=_hap._tcp.local"
	    "\tinstance=Hall Hub._hap._tcp.local\tport=8080\n");
	tprintf(d, "mdns\tpixel-phone\tquery=_hap._tcp.local\tquery=_googlecast._tcp.local"
	    "\tsrc6=fe80::3e8d:20ff:fe91:5ce7\n");
}

/* Adds a TLS handshake to sc for sni; alpn may be NULL. */
static void
tls_handshake(struct demo *d, struct script *sc, const char *sni, int v13, const char *alpn)
{
	uint8_t sid[32];
	size_t n;

	n = tls_client_hello(d->buf, &d->rng, sni, v13, alpn, sid);
	script_add(sc, 0, US(rng_range(&d->rng, 100, 600)), d->buf, n);
	n = tls_server_flight(d->buf, &d->rng, v13, sid, rng_range(&d->rng, 2400, 3600));
	script_add(sc, 1, MS(rng_range(&d->rng, 1, 6)), d->buf, n);
	n = tls_client_finish(d->buf, &d->rng, v13);
	script_add(sc, 0, US(rng_range(&d->rng, 300, 2000)), d->buf, n);
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
	rng_fill(&d->rng, p + 5, n);
	script_add(sc, 0, delay, p, 5 + (size_t)n);
}

static void
camera_flows(struct demo *d)
{
	static const char auth_plain[] = "admin:cam-pass-1234";
	const char *api = "api.camvendor.example-cloud.com";
	const char *snap = servers[S_CAM_SNAP].name;
	uint8_t a[2][16];
	struct flow *f;
	struct script *sc;
	char cb[64], sb[64], date[40], b64[64], body[256];
	uint8_t *jpeg;
	size_t jlen = 20480;
	int n;

	/* TLS 1.2 to the vendor API behind a CNAME to CloudFront. */
	memset(a, 0, sizeof a);
	memcpy(a[0], servers[S_CAM_API1].ip, 4);
	memcpy(a[1], servers[S_CAM_API2].ip, 4);
	f = flow_new();
	dns_pair(d, f, 0, H_CAM, api, DNS_A, servers[S_CAM_API1].name,
	    (const uint8_t (*)[16])a, 2, MS(rng_range(&d->rng, 12, 35)));
	sc = demo_script(d);
	tls_handshake(d, sc, api, 0, "http/1.1");
	script_add_tls(sc, 0, MS(2), 0, 1100);
	script_add_tls(sc, 1, MS(25), 0, 5800);
	script_add_tls(sc, 0, MS(400), 0, 700);
	script_add_tls(sc, 1, MS(18), 0, 2900);
	tls_close(d, sc, 0, MS(900));
	tcp_to_server(d, f, H_CAM, S_CAM_API1, 443, sc, 0, cb, sb);
	sched_add(&d->sched, f, AT(8, 0));
	tprintf(d, "tls\t%s\t1.2\tclient=%s\tserver=%s\talpn=http/1.1\n", api, cb, sb);

	/* Cleartext snapshot request with Basic credentials. */
	f = flow_new();
	dns_simple(d, f, 0, H_CAM, S_CAM_SNAP, MS(rng_range(&d->rng, 15, 40)));
	sc = demo_script(d);
	base64_encode(b64, (const uint8_t *)auth_plain, strlen(auth_plain));
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
	sched_add(&d->sched, f, AT(11, 0));
	tprintf(d, "credential\thttp-basic\tuser=admin\tpassword=cam-pass-1234\tflow=%s>%s\n",
	    cb, sb);
	tprintf(d, "http\tGET\t/api/v1/snapshot\thost=%s\tflow=%s>%s\n", snap, cb, sb);

	/* A JPEG uploaded in the clear. */
	jpeg = xmalloc(jlen);
	{
		static const uint8_t soi[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I',
		    'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00, 0xff, 0xdb,
		    0x00, 0x43, 0x00 };

		memcpy(jpeg, soi, sizeof soi);
		rng_fill(&d->rng, jpeg + sizeof soi, jlen - sizeof soi - 2);
		jpeg[jlen - 2] = 0xff;
		jpeg[jlen - 1] = 0xd9;
	}
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
	sched_add(&d->sched, f, AT(13, 100));
	free(jpeg);
	tprintf(d, "http\tPOST\t/api/v1/upload?cam=cam-livingroom\thost=%s\tflow=%s>%s"
	    "\tcontent_type=image/jpeg\tbytes=%zu\n", snap, cb, sb, jlen);
	tprintf(d, "jpeg\tflow=%s>%s\tbytes=%zu\n", cb, sb, jlen);
}

static void
scale_flows(struct demo *d)
{
	const char *host = servers[S_SCALE].name;
	struct flow *f = flow_new();
	struct script *sc = demo_script(d);
	char cb[64], sb[64], date[40], body[256], resp[64];
	int n, m;

	dns_simple(d, f, 0, H_SCALE, S_SCALE, MS(rng_range(&d->rng, 20, 45)));
	n = snprintf(body, sizeof body, "{\"user\":\"alice@example.com\",\"weight_kg\":72.5,"
	    "\"height_cm\":168,\"age\":34,\"sex\":\"female\",\"device_serial\":\"SC-2291-7781\"}");
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
	sched_add(&d->sched, f, AT(15, 0));
	tprintf(d, "http\tPOST\t/api/measure\thost=%s\tflow=%s>%s\tcontent_type=application/json"
	    "\tbytes=%d\n", host, cb, sb, n);
	tprintf(d, "pii\tjson\tflow=%s>%s\temail=alice@example.com\tweight_kg=72.5"
	    "\theight_cm=168\tage=34\tsex=female\tdevice_serial=SC-2291-7781\n", cb, sb);
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
	dns_pair(d, f, 0, H_PLUG, "pool.ntp.org", DNS_A, NULL, (const uint8_t (*)[16])a, 2,
	    MS(rng_range(&d->rng, 18, 30)));
	sched_add(&d->sched, f, AT(17, 0));

	f = flow_new();
	t = AT(17, 80);
	cl = ep_host(d, H_PLUG, 123);
	srv = ep_remote(d, servers[S_NTP1].ip, 0, 123, servers[S_NTP1].ttl);
	ntp_request(req, t, &d->rng);
	len = pb_udp(d->frame, &cl, &srv, 0, req, NTP_LEN);
	flow_add_frame(f, 0, d->frame, len);
	rx = t + MS(9);
	ntp_reply(rep, req, rx, rx + US(40), &d->rng);
	len = pb_udp(d->frame, &srv, &cl, 0, rep, NTP_LEN);
	flow_add_frame(f, MS(18), d->frame, len);
	sched_add(&d->sched, f, t);
	{
		char c2[64], s2[64];

		tprintf(d, "ntp\tflow=%s>%s\n", ep_str(c2, sizeof c2, &cl, 0),
		    ep_str(s2, sizeof s2, &srv, 0));
	}

	/* Base64 telemetry over plain HTTP on 8080. */
	f = flow_new();
	dns_simple(d, f, 0, H_PLUG, S_PLUG, MS(rng_range(&d->rng, 15, 30)));
	rng_fill(&d->rng, raw, sizeof raw);
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
	sched_add(&d->sched, f, AT(18, 500));
	free(b64);
	tprintf(d, "http\tPOST\t/v1/telemetry\thost=%s:8080\tflow=%s>%s\tcontent_type=text/plain"
	    "\tbytes=%zu\n", host, cb, sb, blen);
	tprintf(d, "base64\tflow=%s>%s\tbytes=%zu\n", cb, sb, blen);
}

static void
hub_flows(struct demo *d)
{
	const char *broker = servers[S_MQTT].name, *status = servers[S_STATUS].name;
	struct flow *f;
	struct script *sc;
	char cb[64], sb[64], js[128], body[128];
	uint8_t *p = d->buf;
	size_t n;
	int npub = 0, k;

	/* MQTT in the clear, with credentials. */
	f = flow_new();
	dns_simple(d, f, 0, H_HUB, S_MQTT, MS(rng_range(&d->rng, 20, 40)));
	sc = demo_script(d);
	n = mqtt_connect(p, "hub-hall-01", "hubuser", "mqtt-secret-99", 60);
	script_add(sc, 0, US(300), p, n);
	script_add(sc, 1, MS(3), p, mqtt_connack(p));
	script_add(sc, 0, US(500), p, mqtt_subscribe(p, 1, "home/hall/cmd"));
	script_add(sc, 1, MS(2), p, mqtt_suback(p, 1));
	for (int i = 0; i < 4; i++) {
		k = snprintf(js, sizeof js, "{\"temp_c\":%u.%u,\"hum\":%u,\"ts\":%u}",
		    21 + i / 2, (unsigned)rng_below(&d->rng, 10), 40 + i,
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
	sched_add(&d->sched, f, AT(20, 0));
	tprintf(d, "credential\tmqtt\tclient_id=hub-hall-01\tuser=hubuser\tpassword=mqtt-secret-99"
	    "\tflow=%s>%s\n", cb, sb);
	tprintf(d, "mqtt\tpublish\ttopic=home/hall/temp\tflow=%s>%s\tcount=%d\n", cb, sb, npub);
	tprintf(d, "mqtt\tpublish\ttopic=home/hall/cmd\tflow=%s>%s\tcount=1\n", cb, sb);

	/* MQTT over TLS 1.2 to the same broker (name already cached). */
	f = flow_new();
	sc = demo_script(d);
	tls_handshake(d, sc, broker, 0, NULL);
	script_add_tls(sc, 0, MS(1), 0, 96);
	script_add_tls(sc, 1, MS(4), 0, 4);
	for (int i = 0; i < 3; i++) {
		script_add_tls(sc, 0, MS(5000), 0, (uint32_t)rng_range(&d->rng, 80, 180));
		script_add_tls(sc, 1, MS(3), 0, 4);
	}
	tls_close(d, sc, 0, MS(2000));
	tcp_to_server(d, f, H_HUB, S_MQTT, 8883, sc, 0, cb, sb);
	f->tcp_delay_ns = 0;
	sched_add(&d->sched, f, AT(21, 0));
	tprintf(d, "tls\t%s\t1.2\tclient=%s\tserver=%s\n", broker, cb, sb);

	/* Plain HTTP on the TLS port. */
	f = flow_new();
	dns_simple(d, f, 0, H_HUB, S_STATUS, MS(rng_range(&d->rng, 20, 40)));
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
	sched_add(&d->sched, f, AT(24, 0));
	tprintf(d, "http\tGET\t/status\thost=%s\tflow=%s>%s\n", status, cb, sb);
	tprintf(d, "port-mismatch\tflow=%s>%s\texpected=tls\tseen=http\n", cb, sb);
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
	dns_simple(d, f, 0, H_PHONE, S_PHONE, MS(rng_range(&d->rng, 8, 20)));
	sc = demo_script(d);
	tls_handshake(d, sc, app, 1, "h2,http/1.1");
	script_add_tls(sc, 1, MS(1), 1, 233);		/* NewSessionTicket */
	script_add_tls(sc, 0, MS(1), 1, 900);
	script_add_tls(sc, 1, MS(30), 1, 7500);
	script_add_tls(sc, 0, MS(700), 1, 400);
	script_add_tls(sc, 1, MS(22), 1, 12000);
	tls_close(d, sc, 1, MS(1500));
	tcp_to_server(d, f, H_PHONE, S_PHONE, 443, sc, 0, cb, sb);
	sched_add(&d->sched, f, AT(26, 0));
	tprintf(d, "tls\t%s\t1.3\tclient=%s\tserver=%s\talpn=h2\n", app, cb, sb);

	/* An AAAA lookup, then TLS 1.3 over global IPv6. */
	f = flow_new();
	memset(a, 0, sizeof a);
	memcpy(a[0], servers[S_PHONE6].ip, 16);
	dns_pair(d, f, 0, H_PHONE, cdn, DNS_AAAA, NULL, (const uint8_t (*)[16])a, 1,
	    MS(rng_range(&d->rng, 15, 30)));
	sc = demo_script(d);
	tls_handshake(d, sc, cdn, 1, "h2,http/1.1");
	script_add_tls(sc, 0, MS(1), 1, 650);
	script_add_tls(sc, 1, MS(15), 1, 9000);
	tls_close(d, sc, 1, MS(800));
	tcp_setup(d, f, H_PHONE, servers[S_PHONE6].ip, 1, 443, servers[S_PHONE6].ttl, sc, 0,
	    MS(1), cb, sb);
	sched_add(&d->sched, f, AT(30, 0));
	tprintf(d, "tls\t%s\t1.3\tclient=%s\tserver=%s\talpn=h2\n", cdn, cb, sb);

	/* Four pings to a public resolver, by address. */
	f = flow_new();
	cl = ep_host(d, H_PHONE, 0);
	srv = ep_remote(d, servers[S_DNS8].ip, 0, 0, servers[S_DNS8].ttl);
	for (uint16_t i = 1; i <= 4; i++) {
		memset(data, 0, 8);
		put_be32(data, (uint32_t)(1773478835u + i - 1));
		for (size_t j = 8; j < sizeof data; j++)
			data[j] = (uint8_t)j;
		len = pb_icmp_echo(d->frame, &cl, &srv, 0, 0, 0x1f2e, i, data, sizeof data);
		flow_add_frame(f, i > 1 ? MS(1000) : 0, d->frame, len);
		len = pb_icmp_echo(d->frame, &srv, &cl, 0, 1, 0x1f2e, i, data, sizeof data);
		flow_add_frame(f, MS(rng_range(&d->rng, 9, 14)), d->frame, len);
	}
	sched_add(&d->sched, f, AT(35, 0));
	tprintf(d, "icmp\techo\tclient=192.168.1.30\tserver=8.8.8.8\tcount=4\n");
}

int
scen_demo(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct demo *d = xcalloc(1, sizeof *d);
	char mb[18];
	int rc;

	rng_seed(&d->rng, o->seed, 1);
	pool_init(&d->pool, 1u << 20, o->seed);
	d->truth = truth;
	if (sink_open(&d->sink, out, o->fmt, o->link, hosts[H_ROUTER].mac, o->snaplen) != 0) {
		free(d);
		return -1;
	}
	sched_init(&d->sched, &d->sink);

	tprintf(d, "# gen-capture demo ground truth; layout documented in tests/gen/scen-demo.c\n");
	tprintf(d, "capture\tstart=2026-03-14T09:00:00Z\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n",
	    o->seed, o->link_name, o->fmt_name);
	tprintf(d, "router\tmac=%s\tip=192.168.1.1\tvendor=%s\n",
	    mac_str(mb, hosts[H_ROUTER].mac), hosts[H_ROUTER].vendor);
	dhcp_flow(d, H_CAM, AT(0, 200));
	dhcp_flow(d, H_PLUG, AT(0, 850));
	dhcp_flow(d, H_SCALE, AT(1, 600));
	dhcp_flow(d, H_HUB, AT(2, 300));
	dhcp_flow(d, H_PHONE, AT(3, 100));
	ssdp_notify(d, AT(4, 0));
	mdns_flows(d);
	camera_flows(d);
	scale_flows(d);
	plug_flows(d);
	hub_flows(d);
	phone_flows(d);
	arp_refresh(d, H_PHONE, AT(40, 0));
	arp_refresh(d, H_CAM, AT(41, 300));

	rc = sched_run(&d->sched, NULL, NULL);
	st->packets = d->sink.w.packets;
	st->flows = (uint64_t)d->ntcp;
	st->first_ns = T0_NS;
	st->last_ns = d->sched.last_ts;
	tprintf(d, "count\tpackets=%" PRIu64 "\ttcp_conversations=%d\n", st->packets, d->ntcp);
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
