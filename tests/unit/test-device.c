/*
 * test-device.c — the device table (MAC and IP indexes, adoption, capped lists, names, remote
 * endpoints, gateways) and device attribution through the whole pipeline, from small pcap
 * files written here: Ethernet behind a router, a DHCP ACK, raw IP, and Linux SLL.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "device.h"
#include "flow.h"
#include "frames.h"
#include "strpool.h"

static const uint8_t mac_a[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x0a };
static const uint8_t mac_b[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x0b };
static const uint8_t mac_r[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x01 };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct addr
ip(const char *s)
{
	struct addr a;

	assert_int_equal(addr_parse(&a, s), 0);
	return a;
}

static void
test_by_mac(void **state)
{
	(void)state;
	struct device_table *t = device_table_new();

	assert_null(device_by_mac(t, mac_a, 0));
	struct device *d = device_by_mac(t, mac_a, 1);
	assert_non_null(d);
	assert_int_equal(d->id, 0);
	assert_int_equal(d->has_mac, 1);
	assert_memory_equal(d->mac, mac_a, 6);
	assert_ptr_equal(device_by_mac(t, mac_a, 1), d);
	assert_ptr_equal(device_by_mac(t, mac_a, 0), d);
	assert_int_equal(device_count(t), 1);
	struct device *e = device_by_mac(t, mac_b, 1);
	assert_ptr_not_equal(e, d);
	assert_int_equal(device_count(t), 2);
	assert_ptr_equal(device_get(t, 1), e);

	/* Enough MACs to grow the index several times; every one found again. */
	uint8_t m[6] = { 0x02, 0, 0, 0, 0, 0 };
	for (unsigned i = 0; i < 5000; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		device_by_mac(t, m, 1);
	}
	for (unsigned i = 0; i < 5000; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		struct device *x = device_by_mac(t, m, 0);
		assert_non_null(x);
		assert_int_equal(x->id, i + 2);
	}
	assert_int_equal(device_count(t), 5002);
	assert_ptr_equal(device_by_mac(t, mac_a, 0), d);	/* chunks never move */
	device_table_free(t);
}

static void
test_by_ip_and_adopt(void **state)
{
	(void)state;
	struct device_table *t = device_table_new();
	struct addr a = ip("192.168.1.10"), b = ip("192.168.1.11");

	assert_null(device_by_ip(t, &a, 0));
	struct device *d = device_by_ip(t, &a, 1);
	assert_int_equal(d->has_mac, 0);
	assert_memory_equal(&d->key_ip, &a, sizeof a);
	assert_int_equal(d->nips, 1);
	assert_ptr_equal(device_by_ip(t, &a, 1), d);
	assert_int_equal(device_count(t), 1);

	/* An IP-keyed device takes its MAC and is then found by it. */
	device_adopt_mac(t, d, mac_a);
	assert_int_equal(d->has_mac, 1);
	assert_memory_equal(d->mac, mac_a, 6);
	assert_ptr_equal(device_by_mac(t, mac_a, 0), d);
	assert_ptr_equal(device_by_mac(t, mac_a, 1), d);
	assert_int_equal(device_count(t), 1);
	/* A second adoption does not change an established MAC. */
	device_adopt_mac(t, d, mac_b);
	assert_memory_equal(d->mac, mac_a, 6);
	assert_null(device_by_mac(t, mac_b, 0));

	/* The IP index follows whoever used the address last. */
	struct device *e = device_by_mac(t, mac_b, 1);
	device_add_ip(t, e, &b);
	assert_ptr_equal(device_by_ip(t, &b, 0), e);
	device_add_ip(t, e, &a);
	assert_ptr_equal(device_by_ip(t, &a, 0), e);
	device_table_free(t);
}

static void
test_add_ip_cap(void **state)
{
	(void)state;
	struct device_table *t = device_table_new();
	struct device *d = device_by_mac(t, mac_a, 1);
	char s[32];

	struct addr a = ip("10.1.1.1");
	device_add_ip(t, d, &a);
	device_add_ip(t, d, &a);
	assert_int_equal(d->nips, 1);
	for (int i = 0; i < DEV_IPS_MAX + 6; i++) {
		snprintf(s, sizeof s, "fd00::%x", i + 1);
		a = ip(s);
		device_add_ip(t, d, &a);
		device_add_ip(t, d, &a);
	}
	assert_int_equal(d->nips, DEV_IPS_MAX);
	assert_true(d->ips_dropped >= 7);
	a = ip("fd00::1");
	assert_ptr_equal(device_by_ip(t, &a, 0), d);
	snprintf(s, sizeof s, "fd00::%x", DEV_IPS_MAX + 6);
	a = ip(s);
	assert_null(device_by_ip(t, &a, 0));		/* dropped ones are not indexed */
	device_table_free(t);
}

static void
test_names(void **state)
{
	(void)state;
	struct device_table *t = device_table_new();
	struct strpool *sp = strpool_new();
	struct device *d = device_by_mac(t, mac_a, 1);
	char s[32];

	assert_null(device_best_name(d));
	device_add_name(d, sp, NAME_DHCP_VENDOR, "udhcp 1.30", 10);
	assert_string_equal(device_best_name(d), "udhcp 1.30");
	device_add_name(d, sp, NAME_SSDP, "Linux UPnP/1.0", 14);
	assert_string_equal(device_best_name(d), "Linux UPnP/1.0");
	device_add_name(d, sp, NAME_MDNS_SERVICE, "Living Room", 11);
	device_add_name(d, sp, NAME_DHCP_FQDN, "lamp.home", 9);
	assert_string_equal(device_best_name(d), "lamp.home");
	device_add_name(d, sp, NAME_MDNS, "lamp.local", 10);
	assert_string_equal(device_best_name(d), "lamp.local");
	device_add_name(d, sp, NAME_DHCP, "lamp-01 and more", 7);	/* len cuts */
	assert_string_equal(device_best_name(d), "lamp-01");
	assert_ptr_equal(device_best_name(d), strpool_str(sp, "lamp-01"));
	/* A later, lower-ranked name does not take over. */
	device_add_name(d, sp, NAME_SSDP, "other", 5);
	assert_string_equal(device_best_name(d), "lamp-01");
	assert_int_equal(d->nnames, 7);

	/* The same name from the same source once; from another source it is another entry. */
	device_add_name(d, sp, NAME_DHCP, "lamp-01", 7);
	assert_int_equal(d->nnames, 7);
	device_add_name(d, sp, NAME_MDNS, "lamp-01", 7);
	assert_int_equal(d->nnames, 8);
	device_add_name(d, sp, NAME_DHCP, "", 0);
	device_add_name(d, sp, NAME_DHCP, "\0x", 2);
	assert_int_equal(d->nnames, 8);

	for (int i = 0; i < DEV_NAMES_MAX + 5; i++) {
		snprintf(s, sizeof s, "svc-%d", i);
		device_add_name(d, sp, NAME_MDNS_SERVICE, s, strlen(s));
	}
	assert_int_equal(d->nnames, DEV_NAMES_MAX);
	assert_int_equal(d->names_dropped, 8 + 5);
	assert_string_equal(name_source_str(NAME_DHCP), "dhcp");
	assert_string_equal(name_source_str(NAME_SSDP), "ssdp");
	strpool_free(sp);
	device_table_free(t);
}

static void
test_remote_and_seen(void **state)
{
	(void)state;
	struct device_table *t = device_table_new();
	struct device *d = device_by_mac(t, mac_a, 1);
	struct addr a;

	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < 10000; i++) {
			uint8_t v4[4] = { 45, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
			addr_from_v4(&a, v4);
			device_add_remote(d, &a);
		}
		assert_int_equal(d->nremote, 10000);
	}
	a = ip("2a00::1");
	device_add_remote(d, &a);
	device_add_remote(d, &a);
	assert_int_equal(d->nremote, 10001);

	device_seen(d, 500);
	device_seen(d, 300);
	device_seen(d, 900);
	assert_int_equal(d->first_ns, 300);
	assert_int_equal(d->last_ns, 900);
	device_table_free(t);
}

static void
test_gateway_and_mac(void **state)
{
	(void)state;
	static const uint8_t zero[6] = { 0 };
	static const uint8_t v4mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	static const uint8_t v6mcast[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t local[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x02 };
	struct device_table *t = device_table_new();
	struct device *r = device_by_mac(t, mac_r, 1);
	struct addr own = ip("203.0.113.5"), x = ip("8.8.8.8"), y = ip("1.1.1.1");
	char buf[32];

	device_add_ip(t, r, &own);
	device_carried(r, &own);
	device_carried(r, &x);
	device_carried(r, &x);
	assert_false(device_is_gateway(r));	/* its own address and one other */
	device_carried(r, &y);
	assert_true(device_is_gateway(r));

	assert_true(mac_is_unicast(mac_a));
	assert_true(mac_is_unicast(local));
	assert_false(mac_is_unicast(zero));
	assert_false(mac_is_unicast(mac_bcast));
	assert_false(mac_is_unicast(v4mcast));
	assert_false(mac_is_unicast(v6mcast));
	assert_string_equal(mac_fmt(mac_a, buf, sizeof buf), "00:11:22:33:44:0a");
	device_table_free(t);
}

/* ---- the whole pipeline over pcap files written here ---------------------------------- */

/* IPv4/UDP between dotted addresses. */
static void
put_udp4(struct fb *f, const char *src, const char *dst, uint16_t sport, uint16_t dport,
    const void *payload, size_t n)
{
	struct addr s = ip(src), d = ip(dst);

	fr_udp4(f, s.b + 12, d.b + 12, sport, dport, payload, n);
}

static void
ether_udp(FILE *fp, int64_t us, const uint8_t *smac, const uint8_t *dmac, const char *src,
    const char *dst, uint16_t sport, uint16_t dport, const void *payload, size_t n)
{
	uint8_t buf[600];
	struct fb f;

	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, dmac, smac, NULL, 0, 0x0800);
	put_udp4(&f, src, dst, sport, dport, payload, n);
	fr_pcap_write(fp, us, buf, (uint32_t)f.len, (uint32_t)f.len);
}

/* The device with this MAC, found by walking the (read-only) table. */
static struct device *
by_mac(const struct device_table *t, const uint8_t mac[6])
{
	for (size_t i = 0; i < device_count(t); i++) {
		struct device *d = device_get(t, i);
		if (d->has_mac && memcmp(d->mac, mac, 6) == 0)
			return d;
	}
	return NULL;
}

/* Devices holding the address; the last one found in *out. */
static int
holders(const struct device_table *t, const char *s, struct device **out)
{
	struct addr a = ip(s);
	int n = 0;

	for (size_t i = 0; i < device_count(t); i++) {
		struct device *d = device_get(t, i);
		for (uint32_t k = 0; k < d->nips; k++)
			if (addr_cmp(&d->ips[k], &a) == 0) {
				*out = d;
				n++;
			}
	}
	return n;
}

static void
test_pipeline_router(void **state)
{
	struct fr_run *r = *state;
	struct device *d = NULL;

	fr_run_open(r, DLT_EN10MB);
	for (int i = 0; i < 3; i++) {
		ether_udp(r->fp, 10 * i + 1, mac_a, mac_r, "192.168.1.10", "8.8.8.8", 40000, 443,
		    "quic", 4);
		ether_udp(r->fp, 10 * i + 2, mac_r, mac_a, "8.8.8.8", "192.168.1.10", 443, 40000,
		    "reply!", 6);
	}
	fr_run_analyse(r, 3);
	const struct device_table *t = analysis_devices(r->a);
	assert_int_equal(flow_count(analysis_flows(r->a)), 1);
	assert_int_equal(holders(t, "192.168.1.10", &d), 1);
	assert_ptr_equal(by_mac(t, mac_a), d);
	assert_int_equal(d->nips, 1);
	assert_int_equal(d->nflows, 1);
	assert_int_equal(d->nremote, 1);
	assert_int_equal(d->pkts_sent, 3);
	assert_int_equal(d->pkts_recv, 3);
	assert_int_equal(d->payload_sent, 12);
	assert_int_equal(d->payload_recv, 18);
	assert_false(device_is_gateway(d));
	/* The router's MAC carried 8.8.8.8; no address of the router itself was seen. */
	struct device *gw = by_mac(t, mac_r);
	assert_non_null(gw);
	assert_int_equal(gw->nips, 0);
	assert_int_equal(gw->ncarried, 1);
	assert_int_equal(device_count(t), 2);

	/* A second public address through the same MAC makes it a gateway. */
	fr_run_open(r, DLT_EN10MB);
	ether_udp(r->fp, 1, mac_a, mac_r, "192.168.1.10", "8.8.8.8", 40000, 443, "q", 1);
	ether_udp(r->fp, 2, mac_a, mac_r, "192.168.1.10", "1.1.1.1", 40001, 443, "q", 1);
	fr_run_analyse(r, 3);
	t = analysis_devices(r->a);
	gw = by_mac(t, mac_r);
	assert_true(device_is_gateway(gw));
	assert_int_equal(holders(t, "192.168.1.10", &d), 1);
	assert_int_equal(d->nremote, 2);
	assert_int_equal(d->nflows, 2);
	assert_false(device_is_gateway(d));
}

static size_t
dhcp_ack(uint8_t *m, const uint8_t chaddr[6], const char *hostname)
{
	static const uint8_t yiaddr[4] = { 192, 168, 1, 20 };
	size_t n = 0;

	memset(m, 0, 240);
	m[0] = 2;				/* reply */
	m[1] = 1;
	m[2] = 6;
	memcpy(m + 16, yiaddr, 4);
	memcpy(m + 28, chaddr, 6);
	memcpy(m + 236, "\x63\x82\x53\x63", 4);
	n = 240;
	memcpy(m + n, "\x35\x01\x05", 3);	/* ACK */
	n += 3;
	m[n++] = 12;
	m[n++] = (uint8_t)strlen(hostname);
	memcpy(m + n, hostname, strlen(hostname));
	n += strlen(hostname);
	m[n++] = 255;
	return n;
}

static void
test_pipeline_dhcp(void **state)
{
	struct fr_run *r = *state;
	struct device *d = NULL;
	uint8_t msg[400];

	fr_run_open(r, DLT_EN10MB);
	size_t n = dhcp_ack(msg, mac_a, "thermostat");
	ether_udp(r->fp, 1, mac_r, mac_bcast, "192.168.1.1", "255.255.255.255", 67, 68, msg, n);
	ether_udp(r->fp, 2, mac_a, mac_r, "192.168.1.20", "192.168.1.1", 5000, 6000, "x", 1);
	fr_run_analyse(r, 3);
	const struct device_table *t = analysis_devices(r->a);
	struct device *a = by_mac(t, mac_a);
	assert_non_null(a);
	assert_string_equal(device_best_name(a), "thermostat");
	assert_int_equal(a->names[0].source, NAME_DHCP);
	assert_int_equal(holders(t, "192.168.1.20", &d), 1);
	assert_ptr_equal(d, a);
}

static void
test_pipeline_raw(void **state)
{
	struct fr_run *r = *state;
	struct device *d = NULL, *e = NULL;
	uint8_t buf[128];
	struct fb f;

	fr_run_open(r, DLT_RAW);
	fb_init(&f, buf, sizeof buf);
	put_udp4(&f, "192.168.1.10", "8.8.8.8", 1000, 53, "q", 1);
	fr_pcap_write(r->fp, 1, buf, (uint32_t)f.len, (uint32_t)f.len);
	fb_init(&f, buf, sizeof buf);
	put_udp4(&f, "192.168.1.11", "192.168.1.10", 2000, 3000, "p", 1);
	fr_pcap_write(r->fp, 2, buf, (uint32_t)f.len, (uint32_t)f.len);
	fr_run_analyse(r, 3);
	const struct device_table *t = analysis_devices(r->a);
	assert_int_equal(device_count(t), 2);
	assert_int_equal(holders(t, "192.168.1.10", &d), 1);
	assert_int_equal(holders(t, "192.168.1.11", &e), 1);
	assert_int_equal(d->has_mac, 0);
	struct addr k = ip("192.168.1.10");
	assert_memory_equal(&d->key_ip, &k, sizeof k);
	assert_int_equal(d->nflows, 2);
	assert_int_equal(d->nremote, 2);
	assert_int_equal(e->nflows, 1);
	assert_int_equal(holders(t, "8.8.8.8", &e), 0);
}

/* Linux cooked capture: the SLL address is the sender's; a receiver shows no MAC. */
static void
sll_udp(FILE *fp, int64_t us, uint16_t pkttype, uint16_t halen, const uint8_t *mac,
    const char *src, uint16_t sport, const char *dst, uint16_t dport)
{
	uint8_t buf[128];
	struct fb f;

	fb_init(&f, buf, sizeof buf);
	fr_sll(&f, pkttype, 1, halen, mac, 0x0800);	/* ARPHRD_ETHER */
	put_udp4(&f, src, dst, sport, dport, "data", 4);
	fr_pcap_write(fp, us, buf, (uint32_t)f.len, (uint32_t)f.len);
}

static void
test_pipeline_sll_adoption(void **state)
{
	struct fr_run *r = *state;
	struct device *d = NULL, *e = NULL;

	fr_run_open(r, DLT_LINUX_SLL);
	/* In from the internet: only the router's MAC shows. */
	sll_udp(r->fp, 1, 0, 6, mac_r, "8.8.8.8", 443, "192.168.1.10", 7000);
	/* A neighbour on an interface without link addresses: both met by IP only. */
	sll_udp(r->fp, 2, 0, 0, NULL, "192.168.1.11", 5000, "192.168.1.10", 7001);
	/* The host sends: its MAC appears and the IP-keyed device takes it. */
	sll_udp(r->fp, 3, 4, 6, mac_a, "192.168.1.10", 7000, "8.8.8.8", 443);
	sll_udp(r->fp, 4, 4, 6, mac_a, "192.168.1.10", 7001, "192.168.1.11", 5000);
	fr_run_analyse(r, 3);
	const struct device_table *t = analysis_devices(r->a);
	assert_int_equal(flow_count(analysis_flows(r->a)), 2);
	assert_int_equal(holders(t, "192.168.1.10", &d), 1);
	assert_int_equal(d->has_mac, 1);
	assert_memory_equal(d->mac, mac_a, 6);
	assert_ptr_equal(by_mac(t, mac_a), d);
	assert_int_equal(d->nflows, 2);
	assert_int_equal(d->pkts_sent, 2);
	assert_int_equal(holders(t, "192.168.1.11", &e), 1);
	assert_int_equal(e->has_mac, 0);
	assert_int_equal(device_count(t), 3);	/* host, neighbour, router */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_mac),
		cmocka_unit_test(test_by_ip_and_adopt),
		cmocka_unit_test(test_add_ip_cap),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_remote_and_seen),
		cmocka_unit_test(test_gateway_and_mac),
		FR_RUN_TEST(test_pipeline_router),
		FR_RUN_TEST(test_pipeline_dhcp),
		FR_RUN_TEST(test_pipeline_raw),
		FR_RUN_TEST(test_pipeline_sll_adoption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
