/*
 * demo-lan.c — the demo's home LAN: its hosts (real vendor OUIs, checked against the IEEE
 * registry), the router's DHCP and DNS service, ARP, the plug's SSDP and the hub's mDNS, and the
 * small helpers every demo conversation is built with.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "msg.h"
#include "xmem.h"

static const uint8_t prl_udhcp[] = { 1, 3, 6, 12, 15, 28, 42 };
static const uint8_t prl_lwip[] = { 1, 3, 28, 6, 15, 44, 46, 47, 31, 33, 121, 43 };
static const uint8_t prl_android[] = { 1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108 };

const struct demo_host demo_hosts[NHOSTS] = {
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

/* The phone's SLAAC addresses (EUI-64 of its MAC) under a residential ISP prefix. */
const uint8_t demo_phone_ll6[16] = {
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x3e, 0x8d, 0x20, 0xff, 0xfe, 0x91, 0x5c, 0xe7
};
const uint8_t demo_phone_gl6[16] = {
	0x2a, 0x02, 0x80, 0x71, 0x5a, 0x1c, 0x4e, 0x00, 0x3e, 0x8d, 0x20, 0xff, 0xfe, 0x91,
	0x5c, 0xe7
};
static const uint8_t mdns6[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb };
static const uint8_t mdns4[4] = { 224, 0, 0, 251 };
static const uint8_t ssdp4[4] = { 239, 255, 255, 250 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* One line of the --truth file, when there is one. */
void
demo_truth(struct demo *d, const char *fmt, ...)
{
	va_list ap;

	if (d->truth == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(d->truth, fmt, ap);
	va_end(ap);
}

const char *
demo_mac_str(char *b, const uint8_t *m)
{
	snprintf(b, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return b;
}

const char *
demo_ip_str(char *b, size_t sz, const uint8_t *ip, int v6)
{
	if (inet_ntop(v6 ? AF_INET6 : AF_INET, ip, b, (socklen_t)sz) == NULL)
		snprintf(b, sz, "?");
	return b;
}

/* "a.b.c.d:port" or "[v6]:port" of an endpoint. */
const char *
demo_ep_str(char *b, size_t sz, const struct ep *e, int v6)
{
	char ip[INET6_ADDRSTRLEN];

	demo_ip_str(ip, sizeof ip, e->ip, v6);
	snprintf(b, sz, v6 ? "[%s]:%u" : "%s:%u", ip, e->port);
	return b;
}

struct ep
demo_ep_host(struct demo *d, int h, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, demo_hosts[h].mac, 6);
	memcpy(e.ip, demo_hosts[h].ip, 4);
	e.port = port;
	e.ttl = demo_hosts[h].ttl;
	e.ipid = (uint16_t)rng_u32(d->r);
	e.flowlabel = rng_u32(d->r) & 0xfffff;
	return e;
}

/* A remote address as seen on the LAN: behind the router's MAC. */
struct ep
demo_ep_remote(struct demo *d, const uint8_t *ip, int v6, uint16_t port, uint8_t ttl)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, demo_hosts[H_ROUTER].mac, 6);
	memcpy(e.ip, ip, v6 ? 16 : 4);
	e.port = port;
	e.ttl = ttl;
	e.ipid = (uint16_t)rng_u32(d->r);
	e.flowlabel = rng_u32(d->r) & 0xfffff;
	return e;
}

uint16_t
demo_port(struct demo *d)
{
	return (uint16_t)rng_range(d->r, 33000, 60999);
}

/* A random delay in [lo, hi] milliseconds or microseconds. */
uint64_t
demo_ms(struct demo *d, uint32_t lo, uint32_t hi)
{
	return rng_range64(d->r, MS(lo), MS(hi));
}

uint64_t
demo_us(struct demo *d, uint32_t lo, uint32_t hi)
{
	return rng_range64(d->r, US(lo), US(hi));
}

/* Schedules f near at: events of the timeline start within a millisecond of their slot. */
void
demo_start(struct demo *d, struct flow *f, uint64_t at)
{
	sched_add(&d->sched, f, at + rng_range64(d->r, 0, MS(1)));
}

struct script *
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
void
demo_dns(struct demo *d, struct flow *f, uint64_t delay_ns, int h, const char *qname,
    uint16_t qtype, const char *cname, const uint8_t (*addrs)[16], int n, uint64_t resp_ns)
{
	struct ep cl = demo_ep_host(d, h, demo_port(d)), srv = demo_ep_host(d, H_ROUTER, 53);
	uint16_t id = (uint16_t)rng_u32(d->r);
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
		demo_truth(d, "cname\t%s\t%s\n", qname, cname);
	}
	for (int i = 0; i < n; i++) {
		const char *owner = cname ? cname : qname;

		dnsw_rr_addr(&w, owner, qtype, DNS_IN, v6 ? 300 : 60, addrs[i]);
		demo_truth(d, "dns\t%s\t%s\n", owner, demo_ip_str(ipb, sizeof ipb, addrs[i], v6));
		if (cname != NULL)
			demo_truth(d, "dns\t%s\t%s\n", qname, ipb);
	}
	len = pb_udp(d->frame, &srv, &cl, 0, w.p, w.n);
	flow_add_frame(f, resp_ns, d->frame, len);
}

void
demo_dhcp(struct demo *d, int h, uint64_t start)
{
	struct flow *f = flow_new();
	struct dhcp_args a;
	struct ep cl, srv, any;
	uint8_t mask[4] = { 255, 255, 255, 0 }, zero[6] = { 0, 0, 0, 0, 0, 0 }, buf[DHCP_MAX];
	const uint8_t *rip = demo_hosts[H_ROUTER].ip;
	size_t n, len;
	char mb[18];

	memset(&a, 0, sizeof a);
	a.xid = rng_u32(d->r);
	a.chaddr = demo_hosts[h].mac;
	a.hostname = demo_hosts[h].name;
	a.vendor_class = demo_hosts[h].vendor_class;
	a.params = demo_hosts[h].params;
	a.nparams = demo_hosts[h].nparams;
	a.requested = demo_hosts[h].ip;	/* remembered from the previous lease */
	a.mask = mask;
	a.router = rip;
	a.dns = rip;
	a.lease_s = 86400;
	a.domain = "lan";

	cl = demo_ep_host(d, h, 68);
	memcpy(cl.ip, zero, 4);
	cl.ipid = 0;
	srv = demo_ep_host(d, H_ROUTER, 67);
	memset(&any, 0, sizeof any);
	memcpy(any.mac, bcast_mac, 6);
	memset(any.ip, 0xff, 4);

	a.type = DHCPDISCOVER;
	n = dhcp_build(buf, &a);
	any.port = 67;
	len = pb_udp(d->frame, &cl, &any, 0, buf, n);
	flow_add_frame(f, 0, d->frame, len);

	a.type = DHCPOFFER;
	a.yiaddr = demo_hosts[h].ip;
	a.server = rip;
	n = dhcp_build(buf, &a);
	any.port = 68;
	len = pb_udp(d->frame, &srv, &any, 0, buf, n);
	flow_add_frame(f, demo_ms(d, 2, 9), d->frame, len);

	a.type = DHCPREQUEST;
	a.secs = 0;
	n = dhcp_build(buf, &a);
	any.port = 67;
	len = pb_udp(d->frame, &cl, &any, 0, buf, n);
	flow_add_frame(f, demo_ms(d, 4, 30), d->frame, len);

	a.type = DHCPACK;
	n = dhcp_build(buf, &a);
	any.port = 68;
	len = pb_udp(d->frame, &srv, &any, 0, buf, n);
	flow_add_frame(f, demo_us(d, 600, 3000), d->frame, len);

	/* The fresh client asks for its gateway's MAC. */
	len = pb_arp(d->frame, bcast_mac, 1, demo_hosts[h].mac, demo_hosts[h].ip, zero, rip);
	flow_add_frame(f, demo_ms(d, 40, 250), d->frame, len);
	len = pb_arp(d->frame, demo_hosts[h].mac, 2, demo_hosts[H_ROUTER].mac, rip,
	    demo_hosts[h].mac,
	    demo_hosts[h].ip);
	flow_add_frame(f, demo_us(d, 150, 900), d->frame, len);
	demo_start(d, f, start);

	demo_truth(d, "device\t%s\tmac=%s\tip=192.168.1.%u\tvendor=%s\tvendor_class=%s%s\n",
	    demo_hosts[h].name, demo_mac_str(mb, demo_hosts[h].mac), demo_hosts[h].ip[3],
	    demo_hosts[h].vendor, demo_hosts[h].vendor_class,
	    h == H_PHONE ? "\tip6=2a02:8071:5a1c:4e00:3e8d:20ff:fe91:5ce7" : "");
}

/* The router refreshing its neighbour entry for host h. */
void
demo_arp(struct demo *d, int h, uint64_t start)
{
	static const uint8_t zero[6];
	struct flow *f = flow_new();
	size_t len;

	len = pb_arp(d->frame, bcast_mac, 1, demo_hosts[H_ROUTER].mac, demo_hosts[H_ROUTER].ip,
	    zero,
	    demo_hosts[h].ip);
	flow_add_frame(f, 0, d->frame, len);
	len = pb_arp(d->frame, demo_hosts[H_ROUTER].mac, 2, demo_hosts[h].mac, demo_hosts[h].ip,
	    demo_hosts[H_ROUTER].mac, demo_hosts[H_ROUTER].ip);
	flow_add_frame(f, demo_us(d, 500, 4000), d->frame, len);
	demo_start(d, f, start);
}

void
demo_ssdp(struct demo *d, uint64_t start)
{
	static const char *const nts[2] = { "upnp:rootdevice",
	    "urn:schemas-upnp-org:device:Basic:1" };
	const char *uuid = "uuid:b7c1e9a2-4f3d-4c1a-9e21-240ac45e12f3";
	struct flow *f = flow_new();
	struct ep src = demo_ep_host(d, H_PLUG, 1900), dst;
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
		flow_add_frame(f, demo_ms(d, 20, 120), d->frame, len);
	}
	demo_start(d, f, start);
	demo_truth(d, "ssdp\tplug-kitchen\tlocation=http://192.168.1.21:49153/setup.xml"
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
	dnsw_rr_addr(w, "hub-hall.local", DNS_A, DNS_IN | DNS_FLUSH, 120, demo_hosts[H_HUB].ip);
	return w->n;
}

void
demo_mdns(struct demo *d)
{
	struct flow *f;
	struct ep hub = demo_ep_host(d, H_HUB, 5353), ph = demo_ep_host(d, H_PHONE, 5353), m4, m6;
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
	demo_start(d, f, AT(4, 500));

	/* The phone browses over IPv6 and IPv4; the hub answers on IPv4. */
	f = flow_new();
	dnsw_init(&w, d->buf, 1400);
	dnsw_header(&w, 0, 0, 2, 0, 0, 0);
	dnsw_question(&w, "_hap._tcp.local", DNS_PTR, DNS_IN);
	dnsw_question(&w, "_googlecast._tcp.local", DNS_PTR, DNS_IN);
	memcpy(ph.ip, demo_phone_ll6, 16);
	len = pb_udp(d->frame, &ph, &m6, 1, w.p, w.n);
	flow_add_frame(f, 0, d->frame, len);
	memset(ph.ip, 0, 16);
	memcpy(ph.ip, demo_hosts[H_PHONE].ip, 4);
	len = pb_udp(d->frame, &ph, &m4, 0, w.p, w.n);
	flow_add_frame(f, demo_us(d, 200, 800), d->frame, len);
	dnsw_init(&w, d->buf, 1400);
	mdns_hub_records(&w, 0);
	len = pb_udp(d->frame, &hub, &m4, 0, w.p, w.n);
	flow_add_frame(f, demo_ms(d, 20, 120), d->frame, len);
	demo_start(d, f, AT(6, 200));

	demo_truth(d, "mdns\thub-hall\tname=hub-hall.local\tip=192.168.1.23"
	    "\tservice=_hap._tcp.local"
	    "\tinstance=Hall Hub._hap._tcp.local\tport=8080\n");
	demo_truth(d, "mdns\tpixel-phone\tquery=_hap._tcp.local\tquery=_googlecast._tcp.local"
	    "\tsrc6=fe80::3e8d:20ff:fe91:5ce7\n");
}

