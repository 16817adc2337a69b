/*
 * scen-noports.c — destinations reached by protocols without ports, for the reports'
 * "services": on the demo's LAN the camera asks the router a DNS question and pings 1.1.1.1
 * (ICMP only), the phone pings Google's resolver over IPv6 (ICMPv6 only), the hub joins the
 * SSDP group (IGMP only), and the plug opens TCP 443 to 8.8.8.8 and then pings it (both).
 *
 * The --truth file: a capture line, then
 *   dest  device=MAC  ip=IP  services=S[,S…]   (in the order the flows began)
 *   count  packets=N
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

static const uint8_t one4[4] = { 1, 1, 1, 1 };
static const uint8_t google4[4] = { 8, 8, 8, 8 };
static const uint8_t google6[16] = { 0x20, 0x01, 0x48, 0x60, 0x48, 0x60, 0, 0, 0, 0, 0, 0, 0,
	0, 0x88, 0x88 };
static const uint8_t ssdp4[4] = { 239, 255, 255, 250 };

struct noports {
	struct rng	 rng;
	struct sink	 sink;
	FILE		*truth;
	uint64_t	 ts;		/* when the next frame goes out */
	int		 err;
	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 buf[1400];
};

static void __attribute__((format(printf, 2, 3)))
np_truth(struct noports *s, const char *fmt, ...)
{
	va_list ap;

	if (s->truth == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(s->truth, fmt, ap);
	va_end(ap);
}

static void
np_frame(struct noports *s, size_t len, uint32_t gap_us)
{
	if (sink_frame(&s->sink, s->ts, s->frame, len) != 0)
		s->err = 1;
	s->ts += US(gap_us);
}

/* LAN host h (its global IPv6 address for the phone when v6), port given. */
static struct ep
np_host(struct noports *s, int h, int v6, uint16_t port)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, demo_hosts[h].mac, 6);
	if (v6)
		memcpy(e.ip, demo_phone_gl6, 16);
	else
		memcpy(e.ip, demo_hosts[h].ip, 4);
	e.port = port;
	e.ttl = demo_hosts[h].ttl;
	e.ipid = (uint16_t)rng_u32(&s->rng);
	e.flowlabel = rng_u32(&s->rng) & 0xfffff;
	return e;
}

/* A public address behind the router's MAC. */
static struct ep
np_remote(struct noports *s, const uint8_t *ip, int v6, uint16_t port, uint8_t ttl)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	memcpy(e.mac, demo_hosts[H_ROUTER].mac, 6);
	memcpy(e.ip, ip, v6 ? 16 : 4);
	e.port = port;
	e.ttl = ttl;
	e.ipid = (uint16_t)rng_u32(&s->rng);
	e.flowlabel = rng_u32(&s->rng) & 0xfffff;
	return e;
}

static void
np_dest(struct noports *s, int h, const char *ip, const char *services)
{
	char mac[24];

	np_truth(s, "dest\tdevice=%s\tip=%s\tservices=%s\n", demo_mac_str(mac, demo_hosts[h].mac),
	    ip, services);
}

/* n echo requests from cl to srv, each answered. */
static void
np_ping(struct noports *s, struct ep *cl, struct ep *srv, int v6, uint16_t id, int n)
{
	uint8_t data[32];
	size_t len;

	for (int i = 1; i <= n; i++) {
		for (size_t j = 0; j < sizeof data; j++)
			data[j] = (uint8_t)(0x10 + j);
		len = pb_icmp_echo(s->frame, cl, srv, v6, 0, id, (uint16_t)i, data, sizeof data);
		np_frame(s, len, 12000);
		len = pb_icmp_echo(s->frame, srv, cl, v6, 1, id, (uint16_t)i, data, sizeof data);
		np_frame(s, len, 1000000);
	}
}

/* The camera: an A question to the router (UDP/53), then two pings to 1.1.1.1. */
static void
np_camera(struct noports *s)
{
	static const uint8_t addrs[4][4] = { { 3, 121, 45, 16 }, { 3, 121, 45, 17 },
	    { 3, 121, 45, 18 }, { 3, 121, 45, 19 } };
	static const char q[] = "snap.camvendor.example-cloud.com";
	struct ep cl = np_host(s, H_CAM, 0, (uint16_t)rng_range(&s->rng, 33000, 60999));
	struct ep rt = np_host(s, H_ROUTER, 0, 53), one;
	uint16_t id = (uint16_t)rng_u32(&s->rng);
	struct dnsw w;
	size_t len;

	dnsw_init(&w, s->buf, sizeof s->buf);
	dnsw_header(&w, id, 0x0100, 1, 0, 0, 0);
	dnsw_question(&w, q, DNS_A, DNS_IN);
	len = pb_udp(s->frame, &cl, &rt, 0, w.p, w.n);
	np_frame(s, len, 9000);
	dnsw_init(&w, s->buf, sizeof s->buf);
	dnsw_header(&w, id, 0x8180, 1, 4, 0, 0);
	dnsw_question(&w, q, DNS_A, DNS_IN);
	for (int i = 0; i < 4; i++)
		dnsw_rr_addr(&w, q, DNS_A, DNS_IN, 60, addrs[i]);
	len = pb_udp(s->frame, &rt, &cl, 0, w.p, w.n);
	np_frame(s, len, 500000);
	np_dest(s, H_CAM, "192.168.1.1", "UDP/53");

	cl = np_host(s, H_CAM, 0, 0);
	one = np_remote(s, one4, 0, 0, 57);
	np_ping(s, &cl, &one, 0, 0x0b1c, 2);
	np_dest(s, H_CAM, "1.1.1.1", "ICMP");
}

static void
np_phone(struct noports *s)
{
	struct ep cl = np_host(s, H_PHONE, 1, 0), srv = np_remote(s, google6, 1, 0, 118);

	np_ping(s, &cl, &srv, 1, 0x2e01, 2);
	np_dest(s, H_PHONE, "2001:4860:4860::8888", "ICMPv6");
}

/* Two membership reports for the SSDP group, sent to the group itself (RFC 2236). */
static void
np_hub(struct noports *s)
{
	struct ep h = np_host(s, H_HUB, 0, 0), grp;
	size_t len;

	memset(&grp, 0, sizeof grp);
	memcpy(grp.ip, ssdp4, 4);
	pb_mcast_mac(grp.mac, ssdp4, 0);
	for (int i = 0; i < 2; i++) {
		len = pb_igmp(s->frame, &h, &grp, 0x16, ssdp4);
		np_frame(s, len, 800000);
	}
	np_dest(s, H_HUB, "239.255.255.250", "IGMP");
}

/* The plug: a TCP 443 connection refused (SYN, RST), then a ping to the same address. */
static void
np_plug(struct noports *s)
{
	struct ep cl = np_host(s, H_PLUG, 0, (uint16_t)rng_range(&s->rng, 33000, 60999));
	struct ep srv = np_remote(s, google4, 0, 443, 119);
	struct tcpseg t;
	size_t len;

	memset(&t, 0, sizeof t);
	t.flags = TH_SYN;
	t.seq = rng_u32(&s->rng);
	t.win = 5744;
	len = pb_tcp(s->frame, &cl, &srv, 0, &t, NULL, 0);
	np_frame(s, len, 14000);
	t.ack = t.seq + 1;
	t.seq = 0;
	t.flags = TH_RST | TH_ACK;
	t.win = 0;
	len = pb_tcp(s->frame, &srv, &cl, 0, &t, NULL, 0);
	np_frame(s, len, 300000);

	cl = np_host(s, H_PLUG, 0, 0);
	srv = np_remote(s, google4, 0, 0, 119);
	np_ping(s, &cl, &srv, 0, 0x0001, 1);
	np_dest(s, H_PLUG, "8.8.8.8", "TCP/443,ICMP");
}

int
scen_noports(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct noports *s = xcalloc(1, sizeof *s);
	int rc;

	rng_seed(&s->rng, o->seed, 3);
	s->truth = truth;
	s->ts = T0_NS;
	if (sink_open(&s->sink, out, o->fmt, o->link, demo_hosts[H_ROUTER].mac, o->snaplen) != 0) {
		free(s);
		return -1;
	}
	np_truth(s, "# gen-capture noports ground truth; layout in tests/gen/scen-noports.c\n");
	np_truth(s, "capture\tstart=2026-03-14T09:00:00Z\tseed=%" PRIu64 "\tlink=%s\tformat=%s\n",
	    o->seed, o->link_name, o->fmt_name);
	np_camera(s);
	np_phone(s);
	np_hub(s);
	np_plug(s);
	st->packets = s->sink.w.packets;
	st->flows = 6;
	st->first_ns = T0_NS;
	st->last_ns = s->ts;
	np_truth(s, "count\tpackets=%" PRIu64 "\n", st->packets);
	rc = s->err ? -1 : 0;
	if (sink_close(&s->sink) != 0)
		rc = -1;
	st->file_bytes = s->sink.w.file_bytes;
	free(s);
	return rc;
}
