/*
 * app.c — application-layer observations that feed the tables: DNS answers name addresses,
 * DHCP, mDNS and SSDP name devices, ARP ties MACs to IPs.  Dispatch is by port here; payload-
 * based protocol detection arrives with the entropy issue.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis-int.h"
#include "dissect.h"
#include "xalloc.h"

#define CNAME_MAX	16

struct dns_ctx {
	struct analysis	*a;
	const struct pkt *p;
	struct device	*sender;	/* local station that sent the message, or NULL */
	uint32_t	 receiver1;	/* device id + 1 of the receiving station */
	int		 mdns;
	char		 qname[DNS_NAME_MAX];
	char		 cname_from[CNAME_MAX][DNS_NAME_MAX];
	char		 cname_to[CNAME_MAX][DNS_NAME_MAX];
	int		 ncname;
};

/* "query > c1 > c2 > owner" by following this message's CNAMEs from the question. */
static const char *
cname_chain(struct dns_ctx *x, const char *owner, char *buf, size_t len)
{
	const char *cur = x->qname;
	size_t n = 0;
	int hops = 0;

	if (x->ncname == 0 || x->qname[0] == '\0' || strcasecmp(x->qname, owner) == 0)
		return NULL;
	n = (size_t)snprintf(buf, len, "%s", cur);
	while (strcasecmp(cur, owner) != 0 && hops++ < CNAME_MAX) {
		int i;
		for (i = 0; i < x->ncname; i++)
			if (strcasecmp(x->cname_from[i], cur) == 0)
				break;
		if (i == x->ncname)
			return NULL;		/* the chain does not lead to this owner */
		cur = x->cname_to[i];
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, " > %s", cur);
	}
	return strcasecmp(cur, owner) == 0 ? buf : NULL;
}

/* "Living Room._googlecast._tcp.local" → "Living Room" when it names a DNS-SD instance. */
static size_t
service_instance(const char *name)
{
	const char *svc = strstr(name, "._tcp.");
	if (svc == NULL)
		svc = strstr(name, "._udp.");
	if (svc == NULL)
		return 0;
	/* Back up over the service type label ("_googlecast"). */
	const char *p = svc;
	while (p > name && p[-1] != '.')
		p--;
	if (p == name || *p != '_')
		return 0;
	return (size_t)(p - 1 - name);
}

static void
on_dns_rr(void *ctx, const struct dns_msg *m, const struct dns_rr *rr)
{
	struct dns_ctx *x = ctx;
	struct analysis *a = x->a;
	int64_t ts = x->p->cap->ts_ns;

	if (rr->kind == DNS_QUESTION) {
		if (x->qname[0] == '\0')
			snprintf(x->qname, sizeof x->qname, "%s", rr->name);
		return;
	}
	/* mDNS hosts claim names in answers, and in the authority section while probing. */
	if (!m->response && !x->mdns)
		return;
	/* Unicast: the answers, and the addresses of the additional section (name servers'
	 * glue), which name their addresses as surely. */
	if (!x->mdns && rr->kind != DNS_ANSWER && !(rr->kind == DNS_ADDITIONAL &&
	    rr->addr != NULL))
		return;
	if (rr->type == DNS_TYPE_CNAME && rr->target != NULL && x->ncname < CNAME_MAX) {
		snprintf(x->cname_from[x->ncname], DNS_NAME_MAX, "%s", rr->name);
		snprintf(x->cname_to[x->ncname], DNS_NAME_MAX, "%s", rr->target);
		x->ncname++;
		return;
	}
	if (rr->addr != NULL && rr->name[0] != '\0') {
		struct addr ip;
		if (rr->type == DNS_TYPE_A)
			addr_from_v4(&ip, rr->addr);
		else
			addr_from_v6(&ip, rr->addr);
		if (x->mdns) {
			names_add(a->names, &ip, rr->name, NULL, NULL, 0, IPNAME_MDNS, ts);
			if (x->sender != NULL && addr_cmp(&ip, &x->p->src) == 0)
				device_add_name(x->sender, a->pool, NAME_MDNS, rr->name,
				    strlen(rr->name));
			return;
		}
		char chain[1024];
		if (rr->kind == DNS_ADDITIONAL)
			names_add(a->names, &ip, rr->name, NULL, NULL, x->receiver1, IPNAME_DNS, ts);
		else
			names_add(a->names, &ip, rr->name, x->qname[0] != '\0' ? x->qname : NULL,
			    cname_chain(x, rr->name, chain, sizeof chain), x->receiver1, IPNAME_DNS,
			    ts);
		return;
	}
	if (x->mdns && x->sender != NULL) {
		size_t n = 0;
		if (rr->type == DNS_TYPE_PTR && rr->target != NULL &&
		    (n = service_instance(rr->target)) > 0)
			device_add_name(x->sender, a->pool, NAME_MDNS_SERVICE, rr->target, n);
		else if (rr->type == DNS_TYPE_SRV && (n = service_instance(rr->name)) > 0)
			device_add_name(x->sender, a->pool, NAME_MDNS_SERVICE, rr->name, n);
	}
}

static void
dns_message(struct analysis *a, struct pkt *p, struct flow *f, int dir, struct rd msg, int mdns)
{
	struct dns_ctx x;
	struct dns_msg hdr;

	/* Not memset: the CNAME arrays are large and only the first ncname entries are read. */
	x.ncname = 0;
	x.qname[0] = '\0';
	x.a = a;
	x.p = p;
	x.mdns = mdns;
	x.sender = f->dev[dir] != 0 ? device_get(a->devices, f->dev[dir] - 1) : NULL;
	x.receiver1 = f->dev[!dir];
	enum dns_status st = dns_parse(msg, on_dns_rr, &x, &hdr);
	if (st == DNS_TRUNCATED)
		pkt_damage_read(p, LAYER_APP, &p->payload);
	else if (st == DNS_MALFORMED)
		pkt_damage(p, LAYER_APP, 0);
}

/* DNS over TCP: messages prefixed by a 2-byte length; only whole ones in this segment. */
static void
dns_tcp(struct analysis *a, struct pkt *p, struct flow *f, int dir)
{
	struct rd r = p->payload;

	for (int i = 0; i < 64 && rd_left(&r) >= 2; i++) {
		uint16_t len = rd_be16(&r);
		if (len < 12 || len > rd_left(&r))
			return;
		a->ov.dns++;
		dns_message(a, p, f, dir, rd_sub(&r, len, NULL), 0);
	}
}

static void
dhcp(struct analysis *a, struct pkt *p)
{
	struct dhcp_info d;
	enum dns_status st = dhcp_parse(p->payload, &d);

	if (st != DNS_OK) {
		pkt_damage(p, LAYER_APP, st == DNS_TRUNCATED && p->cap->caplen < p->cap->wirelen);
		return;
	}
	a->ov.dhcp++;
	if (!d.has_chaddr || !mac_is_unicast(d.chaddr))
		return;
	struct device *dev = analysis_station(a, d.chaddr, NULL);
	struct addr ip;
	device_add_name(dev, a->pool, NAME_DHCP, d.hostname, strlen(d.hostname));
	device_add_name(dev, a->pool, NAME_DHCP_FQDN, d.fqdn, strlen(d.fqdn));
	device_add_name(dev, a->pool, NAME_DHCP_VENDOR, d.vendor, strlen(d.vendor));
	if (d.has_requested) {
		addr_from_v4(&dev->dhcp_requested, d.requested);
		dev->has_dhcp_requested = 1;
	}
	addr_from_v4(&ip, d.ciaddr);
	if (!addr_is_zero(&ip))
		device_add_ip(a->devices, dev, &ip);
	addr_from_v4(&ip, d.yiaddr);
	if (d.msg_type == 5 && !addr_is_zero(&ip))	/* DHCPACK assigns yiaddr */
		device_add_ip(a->devices, dev, &ip);
}

static void
ssdp(struct analysis *a, struct pkt *p, struct flow *f, int dir)
{
	struct ssdp_info s;

	if (ssdp_parse(p->payload, &s) < 0)
		return;
	a->ov.ssdp++;
	if (f->dev[dir] != 0 && s.server[0] != '\0')
		device_add_name(device_get(a->devices, f->dev[dir] - 1), a->pool, NAME_SSDP,
		    s.server, strlen(s.server));
}

static int
either_port(const struct pkt *p, uint16_t port)
{
	return p->sport == port || p->dport == port;
}

/*
 * The name in an HTTP Host header: without its port, and NULL when it is an address literal
 * (an IP names nothing) or empty.
 */
static const char *
host_name(struct analysis *a, const char *host)
{
	struct addr ip;
	size_t n = strcspn(host, ":");

	if (host[0] == '[' || n == 0)
		return NULL;			/* an IPv6 literal */
	char buf[256];
	snprintf(buf, sizeof buf, "%.*s", (int)n, host);
	if (addr_parse(&ip, buf) == 0)
		return NULL;
	return strpool_str(a->pool, buf);
}

void
app_dispatch(struct analysis *a, struct pkt *p, struct flow *f, int dir)
{
	if (p->frag == FRAG_LATER || !p->has_ports || rd_left(&p->payload) == 0)
		return;
	if (f->app == NULL) {
		f->app = xmalloc(sizeof *f->app);
		detect_init(f->app);
		a->mem.apps += mem_app_cost(f->app);
	}
	if (!f->app->dir[dir].done) {
		const char *sni = f->app->sni, *host = f->app->http_host;
		size_t cost = mem_app_cost(f->app);
		a->ov.quic_skipped += detect_packet(f->app, a->pool, p->proto == IPPROTO_TCP, dir,
		    p->seq, rd_span(&p->payload), f->key.pa, f->key.pb);
		a->mem.apps += mem_app_cost(f->app) - cost;	/* its buffers come and go */
		/* What the client called the server: a name for the server's address. */
		const struct addr *server = dir == 0 ? &f->key.b : &f->key.a;
		uint32_t client1 = f->dev[dir];
		if (f->app->sni != NULL && sni == NULL)
			names_add(a->names, server, f->app->sni, NULL, NULL, client1,
			    f->app->proto == AP_QUIC ? IPNAME_QUIC_SNI : IPNAME_SNI, p->cap->ts_ns);
		const char *h;
		if (f->app->http_host != NULL && host == NULL &&
		    (h = host_name(a, f->app->http_host)) != NULL)
			names_add(a->names, server, h, NULL, NULL, client1, IPNAME_HTTP,
			    p->cap->ts_ns);
	}
	if (p->proto == IPPROTO_UDP) {
		if (either_port(p, 53)) {
			a->ov.dns++;
			dns_message(a, p, f, dir, p->payload, 0);
		} else if (either_port(p, 5353)) {
			a->ov.mdns++;
			dns_message(a, p, f, dir, p->payload, 1);
		} else if (either_port(p, 5355)) {
			a->ov.llmnr++;
			dns_message(a, p, f, dir, p->payload, 0);
		} else if ((p->sport == 68 && p->dport == 67) || (p->sport == 67 && p->dport == 68) ||
		    (p->sport == 67 && p->dport == 67)) {
			dhcp(a, p);
		} else if (p->dport == 1900 || p->sport == 1900) {
			ssdp(a, p, f, dir);
		}
	} else if (p->proto == IPPROTO_TCP && either_port(p, 53)) {
		dns_tcp(a, p, f, dir);
	}
}

void
app_arp(struct analysis *a, struct pkt *p)
{
	struct arp_info arp;
	struct addr ip;

	if (arp_parse(p->net, &arp) < 0) {
		if (p->net.bad || rd_left(&p->net) < 28)
			pkt_damage_read(p, LAYER_APP, &p->net);
		return;
	}
	addr_from_v4(&ip, arp.spa);
	if (mac_is_unicast(arp.sha) && !addr_is_zero(&ip) && addr_is_local(&ip))
		(void)analysis_station(a, arp.sha, &ip);
}

/* Prefix information options with the on-link flag make their /64 a local network. */
void
app_icmp6(struct analysis *a, struct pkt *p)
{
	struct rd r = p->payload;

	rd_skip(&r, 8);				/* reachable time, retransmission timer */
	while (rd_left(&r) >= 8) {
		uint8_t type = rd_u8(&r);
		unsigned len = rd_u8(&r) * 8u;
		if (len < 8) {
			pkt_damage(p, LAYER_APP, 0);
			return;
		}
		struct rd opt = rd_sub(&r, len - 2, NULL);
		if (type != 3 || len != 32)
			continue;
		uint8_t plen = rd_u8(&opt);
		uint8_t flags = rd_u8(&opt);
		rd_skip(&opt, 12);		/* lifetimes, reserved */
		uint8_t prefix[16];
		rd_copy(&opt, prefix, 16);
		if (opt.bad || !(flags & 0x80) || plen != 64 || a->nprefix6 >= ANALYSIS_PREFIX6_MAX)
			continue;
		struct addr pa;
		addr_from_v6(&pa, prefix);
		int k;
		for (k = 0; k < a->nprefix6; k++)
			if (memcmp(a->prefix6[k].b, pa.b, 8) == 0)
				break;
		if (k == a->nprefix6 && addr_classify(&pa) == ADDR_PUBLIC)
			a->prefix6[a->nprefix6++] = pa;
	}
}
