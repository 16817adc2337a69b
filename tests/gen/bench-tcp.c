/*
 * bench-tcp.c — what the benchmark's TCP flows say, one message at a time so that a flow of any
 * size costs a fixed amount of memory.  Each category is a small state machine spending the
 * flow's payload budget: TLS handshakes then application records, HTTP/1.1 keep-alive
 * exchanges with JSON and JPEG bodies, MQTT sessions of publishes, and a proprietary binary
 * framing with encrypted bodies.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bytes.h"
#include "msg.h"

#define MS(x)		((uint64_t)(x) * 1000000ull)
#define US(x)		((uint64_t)(x) * 1000ull)

/* A message of literal bytes in bf->head. */
static int
lit(struct bench_flow *bf, struct msg *m, int dir, uint64_t delay, size_t len)
{
	memset(m, 0, sizeof *m);
	m->head = bf->head;
	m->head_len = m->len = (uint32_t)len;
	m->dir = (uint8_t)dir;
	m->delay_ns = delay;
	bf->budget -= (int64_t)len;
	return 1;
}

/* Clamps a wanted size to the budget left, keeping at least lo bytes. */
static uint32_t
spend(struct bench_flow *bf, uint32_t want, uint32_t lo)
{
	if (bf->budget < (int64_t)want)
		want = bf->budget > (int64_t)lo ? (uint32_t)bf->budget : lo;
	return want;
}

static uint32_t
big_size(struct bench_flow *bf)
{
	struct rng *r = &bf->b->rng;

	return spend(bf, rng_pct(r, 70) ? rng_range(r, 48000, 400000) :
	    rng_range(r, 400000, 3000000), 1000);
}

static uint32_t
small_size(struct bench_flow *bf, uint32_t lo, uint32_t hi)
{
	return spend(bf, rng_range(&bf->b->rng, lo, hi), lo);
}

static int
tls_records(struct bench_flow *bf, struct msg *m, int dir, uint64_t delay, uint32_t plain)
{
	memset(m, 0, sizeof *m);
	m->dir = (uint8_t)dir;
	m->delay_ns = delay;
	m->body = bf->v13 ? BODY_TLS13 : BODY_TLS12;
	m->len = payload_tls_len(bf->v13, plain);
	bf->budget -= m->len;
	return 1;
}

static int
tls_next(struct bench_flow *bf, struct msg *m)
{
	struct rng *r = &bf->b->rng;
	int chatty = bf->style == 0;
	uint32_t plain;
	size_t n;

	switch (bf->phase++) {
	case 0:
		n = tls_client_hello(bf->head, r, bf->srv->name, bf->v13,
		    bf->v13 ? "h2,http/1.1" : NULL, bf->sid);
		return lit(bf, m, 0, US(rng_range(r, 50, 400)), n);
	case 1:
		n = tls_server_flight(bf->head, r, bf->v13, bf->sid, rng_range(r, 1800, 3800));
		return lit(bf, m, 1, MS(rng_range(r, 1, 8)), n);
	case 2:
		n = tls_client_finish(bf->head, r, bf->v13);
		return lit(bf, m, 0, US(rng_range(r, 200, 1500)), n);
	case 3:			/* request */
		if (bf->budget <= 0) {
			bf->phase = 5;
			return tls_next(bf, m);
		}
		bf->phase = 4;
		plain = bf->style == 2 ? big_size(bf) : small_size(bf, 40, 1100);
		if (bf->style == 3)
			return tls_records(bf, m, 0, MS(rng_range(r, 2, 80)), plain);
		return tls_records(bf, m, 0, chatty && bf->count++ > 0 ?
		    MS(rng_range(r, 20, 600)) : US(rng_range(r, 200, 3000)), plain);
	case 4:			/* response */
		bf->phase = 3;
		if (bf->style == 1)
			plain = big_size(bf);
		else if (bf->style == 3)
			plain = small_size(bf, 300, 9000);
		else if (bf->style == 0 && rng_pct(r, 12))
			plain = small_size(bf, 8000, 40000);
		else
			plain = small_size(bf, 30, 3000);
		return tls_records(bf, m, 1, MS(rng_range(r, 1, 25)), plain);
	case 5:			/* close_notify */
		n = bf->v13 ? 19 : 26;
		bf->head[0] = bf->v13 ? 0x17 : 0x15;
		put_be16(bf->head + 1, 0x0303);
		put_be16(bf->head + 3, (uint16_t)n);
		rng_fill(r, bf->head + 5, n);
		return lit(bf, m, 0, MS(rng_range(r, 5, 500)), n + 5);
	default:
		return 0;
	}
}

static const char *const http_paths[] = {
	"/api/v2/status", "/api/v1/config", "/firmware/latest.json", "/v1/events",
	"/api/device/heartbeat", "/cgi-bin/check", "/api/v3/schedule", "/time"
};
static const char *const user_agents[] = {
	"ESP32HTTPClient/1.2", "curl/7.68.0", "okhttp/4.9.3", "Dalvik/2.1.0 (Linux; U; Android 12)",
	"HikCam/5.7.3 (Linux; armv7l)", "python-requests/2.25.1"
};

/* Fills head with an HTTP/1.1 message head; returns its length. */
static size_t
http_head(struct bench_flow *bf, int response, const char *first, const char *ctype,
    uint32_t clen)
{
	struct rng *r = &bf->b->rng;
	char body_hdrs[96] = "";
	int n;

	if (ctype != NULL)	/* requests without a body say nothing about one */
		snprintf(body_hdrs, sizeof body_hdrs, "Content-Type: %s\r\n"
		    "Content-Length: %" PRIu32 "\r\n", ctype, clen);
	if (!response)
		n = snprintf((char *)bf->head, sizeof bf->head, "%s\r\n"
		    "Host: %s\r\n"
		    "User-Agent: %s\r\n"
		    "Accept: */*\r\n"
		    "%s"
		    "Connection: keep-alive\r\n\r\n", first, bf->srv->name,
		    user_agents[rng_below(r, sizeof user_agents / sizeof user_agents[0])], body_hdrs);
	else
		n = snprintf((char *)bf->head, sizeof bf->head, "%s\r\n"
		    "Server: nginx/1.18.0\r\n"
		    "Date: Sat, 14 Mar 2026 12:%02u:%02u GMT\r\n"
		    "Content-Type: %s\r\n"
		    "Content-Length: %" PRIu32 "\r\n"
		    "Connection: keep-alive\r\n\r\n", first, rng_below(r, 60), rng_below(r, 60),
		    ctype, clen);
	return (size_t)n;
}

/* A message whose head is in bf->head, followed by a body of blen bytes (JPEG if jpeg). */
static int
with_body(struct bench_flow *bf, struct msg *m, int dir, uint64_t delay, size_t hl,
    uint32_t blen, int jpeg)
{
	memset(m, 0, sizeof *m);
	m->len = (uint32_t)hl + blen;
	m->body = BODY_RANDOM;
	if (jpeg) {
		struct rng *r = &bf->b->rng;

		hl += jpeg_head(bf->head + hl, (uint16_t)(rng_range(r, 20, 120) * 16),
		    (uint16_t)(rng_range(r, 15, 90) * 16));
		m->tail[0] = 0xff;
		m->tail[1] = 0xd9;
		m->tail_len = 2;
		m->body = BODY_JPEG;
	}
	m->head = bf->head;
	m->head_len = (uint32_t)hl;
	m->dir = (uint8_t)dir;
	m->delay_ns = delay;
	bf->budget -= m->len;
	return 1;
}

static int
http_next(struct bench_flow *bf, struct msg *m)
{
	struct rng *r = &bf->b->rng;
	const char *path = http_paths[rng_below(r, sizeof http_paths / sizeof http_paths[0])];
	char first[160], json[400];
	uint32_t blen;
	size_t hl;
	int k;

	switch (bf->phase) {
	case 0:			/* request */
		if (bf->budget <= 0 && bf->count > 0)
			return 0;
		bf->count++;
		bf->pktid = (uint16_t)rng_below(r, 100);
		if (bf->pktid < 12 && bf->budget > 30000) {	/* camera upload */
			snprintf(first, sizeof first, "POST /upload/snapshot?seq=%u HTTP/1.1",
			    (unsigned)bf->count);
			blen = spend(bf, rng_range(r, 15000, 250000), 2000);
			hl = http_head(bf, 0, first, "image/jpeg", blen);
			bf->phase = 1;
			return with_body(bf, m, 0, MS(rng_range(r, 1, 900)), hl, blen, 1);
		}
		if (bf->pktid < 40) {
			k = snprintf(json, sizeof json,
			    "{\"device_id\":\"%08x\",\"fw\":\"%u.%u.%u\","
			    "\"uptime\":%u,\"rssi\":-%u,\"temp\":%u.%u}", rng_u32(r),
			    rng_below(r, 5), rng_below(r, 20), rng_below(r, 99), rng_u32(r) >> 12,
			    rng_range(r, 30, 90), rng_range(r, 15, 35), rng_below(r, 10));
			snprintf(first, sizeof first, "POST %s HTTP/1.1", path);
			hl = http_head(bf, 0, first, "application/json", (uint32_t)k);
			memcpy(bf->head + hl, json, (size_t)k);
			bf->phase = 1;
			return lit(bf, m, 0, MS(rng_range(r, 1, 900)), hl + (size_t)k);
		}
		snprintf(first, sizeof first, "GET %s?t=%u HTTP/1.1", path, rng_u32(r) >> 8);
		hl = http_head(bf, 0, first, NULL, 0);
		bf->phase = 1;
		return lit(bf, m, 0, MS(rng_range(r, 1, 900)), hl);
	case 1:			/* response */
		if (bf->pktid >= 40 && rng_pct(r, 45) && bf->budget > 4000) {
			blen = spend(bf, rng_range(r, 4000, 300000), 2000);
			hl = http_head(bf, 1, "HTTP/1.1 200 OK", "image/jpeg", blen);
			bf->phase = 0;
			return with_body(bf, m, 1, MS(rng_range(r, 2, 40)), hl, blen, 1);
		}
		if (bf->pktid >= 40 && rng_pct(r, 40) && bf->budget > 4000) {
			blen = spend(bf, rng_range(r, 20000, 900000), 2000);
			hl = http_head(bf, 1, "HTTP/1.1 200 OK", "application/octet-stream", blen);
			bf->phase = 0;
			return with_body(bf, m, 1, MS(rng_range(r, 2, 40)), hl, blen, 0);
		}
		k = snprintf(json, sizeof json, "{\"status\":\"ok\",\"code\":0,\"next_poll\":%u,"
		    "\"server_time\":%u}", rng_range(r, 30, 600), 1773489600u + rng_below(r, 3600));
		hl = http_head(bf, 1, "HTTP/1.1 200 OK", "application/json", (uint32_t)k);
		memcpy(bf->head + hl, json, (size_t)k);
		bf->phase = 0;
		return lit(bf, m, 1, MS(rng_range(r, 2, 40)), hl + (size_t)k);
	default:
		return 0;
	}
}

static int
mqtt_next(struct bench_flow *bf, struct msg *m)
{
	struct rng *r = &bf->b->rng;
	char topic[64], id[32], json[200];
	const struct bench_dev *d = bf->dev;
	size_t n, h;
	uint32_t blen;
	int k;

	snprintf(topic, sizeof topic, "dev/%02x%02x%02x/telemetry", d->mac[3], d->mac[4],
	    d->mac[5]);
	switch (bf->phase) {
	case 0:
		snprintf(id, sizeof id, "%s-%02x%02x%02x", d->kind, d->mac[3], d->mac[4],
		    d->mac[5]);
		n = rng_pct(r, 40) ? mqtt_connect(bf->head, id, "device", "s3cr3t-token", 60) :
		    mqtt_connect(bf->head, id, NULL, NULL, 60);
		bf->phase = 1;
		return lit(bf, m, 0, US(rng_range(r, 100, 800)), n);
	case 1:
		bf->phase = 2;
		return lit(bf, m, 1, MS(rng_range(r, 1, 10)), mqtt_connack(bf->head));
	case 2:
		snprintf(topic, sizeof topic, "dev/%02x%02x%02x/cmd", d->mac[3], d->mac[4],
		    d->mac[5]);
		bf->phase = 3;
		n = mqtt_subscribe(bf->head, 1, topic);
		return lit(bf, m, 0, US(rng_range(r, 200, 900)), n);
	case 3:
		bf->phase = 4;
		return lit(bf, m, 1, MS(rng_range(r, 1, 10)), mqtt_suback(bf->head, 1));
	case 4:
		if (bf->budget <= 0) {
			bf->phase = 9;
			return lit(bf, m, 0, MS(rng_range(r, 10, 300)),
			    mqtt_simple(bf->head, MQTT_DISCONNECT));
		}
		bf->count++;
		if (bf->count % 20 == 0) {
			bf->phase = 5;
			return lit(bf, m, 0, MS(rng_range(r, 20, 200)),
			    mqtt_simple(bf->head, MQTT_PINGREQ));
		}
		bf->pktid++;
		if (bf->pktid == 0)
			bf->pktid = 1;
		if (rng_pct(r, 8)) {
			k = snprintf(json, sizeof json, "{\"cmd\":\"set\",\"on\":%s,\"level\":%u}",
			    rng_pct(r, 50) ? "true" : "false", rng_below(r, 101));
			snprintf(topic, sizeof topic, "dev/%02x%02x%02x/cmd", d->mac[3],
			    d->mac[4], d->mac[5]);
			bf->phase = 6;
			n = mqtt_publish(bf->head, topic, (const uint8_t *)json, (size_t)k, 1,
			    bf->pktid);
			return lit(bf, m, 1, MS(rng_range(r, 20, 400)), n);
		}
		bf->phase = rng_pct(r, 30) ? 7 : 4;
		if (rng_pct(r, 25)) {	/* a binary blob: image thumbnail, log bundle */
			blen = small_size(bf, 600, 9000);
			h = mqtt_publish_header(bf->head, topic, blen, bf->phase == 7, bf->pktid);
			memset(m, 0, sizeof *m);
			m->head = bf->head;
			m->head_len = (uint32_t)h;
			m->len = (uint32_t)h + blen;
			m->delay_ns = MS(rng_range(r, 10, 300));
			bf->budget -= m->len;
			return 1;
		}
		k = snprintf(json, sizeof json, "{\"ts\":%u,\"seq\":%u,\"temp\":%u.%u,"
		    "\"hum\":%u,\"power_w\":%u.%u,\"state\":\"%s\"}", 1773489600u + bf->count,
		    (unsigned)bf->count, rng_range(r, 15, 35), rng_below(r, 10),
		    rng_range(r, 20, 80),
		    rng_below(r, 3000), rng_below(r, 10), rng_pct(r, 50) ? "on" : "off");
		return lit(bf, m, 0, MS(rng_range(r, 10, 300)), mqtt_publish(bf->head, topic,
		    (const uint8_t *)json, (size_t)k, bf->phase == 7, bf->pktid));
	case 5:
		bf->phase = 4;
		return lit(bf, m, 1, MS(rng_range(r, 1, 10)), mqtt_simple(bf->head, MQTT_PINGRESP));
	case 6:
		bf->phase = 4;
		return lit(bf, m, 0, MS(rng_range(r, 1, 5)), mqtt_puback(bf->head, bf->pktid));
	case 7:
		bf->phase = 4;
		return lit(bf, m, 1, MS(rng_range(r, 1, 10)), mqtt_puback(bf->head, bf->pktid));
	default:
		return 0;
	}
}

/* Frames of 00 00 55 AA | seq | cmd | len | encrypted payload and CRC | 00 00 AA 55. */
static int
bin_next(struct bench_flow *bf, struct msg *m)
{
	struct rng *r = &bf->b->rng;
	int dir = bf->phase & 1;
	uint32_t blen;

	if (bf->budget <= 0 && dir == 0)
		return 0;
	blen = dir ? small_size(bf, 40, bf->style ? 60000 : 1400) : small_size(bf, 40, 900);
	blen = (blen + 15) & ~15u;	/* AES blocks */
	put_be32(bf->head, 0x000055aa);
	put_be32(bf->head + 4, bf->count++);
	put_be32(bf->head + 8, dir ? 0x08 : (bf->phase == 0 ? 0x0a : 0x07));
	put_be32(bf->head + 12, blen + 8);
	memset(m, 0, sizeof *m);
	m->head = bf->head;
	m->head_len = 16;
	m->tail[0] = m->tail[1] = 0;
	m->tail[2] = 0xaa;
	m->tail[3] = 0x55;
	m->tail_len = 4;
	m->len = 16 + blen + 4 + 4;
	m->dir = (uint8_t)dir;
	m->delay_ns = dir ? MS(rng_range(r, 1, 30)) : MS(rng_range(r, 5, 800));
	bf->budget -= m->len;
	bf->phase++;
	return 1;
}

/* The tcpflow message source of every benchmark TCP flow. */
int
bench_tcp_next(void *ctx, struct msg *m)
{
	struct bench_flow *bf = ctx;

	switch (bf->cat) {
	case CAT_TLS:
		return tls_next(bf, m);
	case CAT_HTTP:
		return http_next(bf, m);
	case CAT_MQTT:
		return mqtt_next(bf, m);
	case CAT_BIN:
		return bin_next(bf, m);
	default:
		return 0;
	}
}
