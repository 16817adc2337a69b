/*
 * detect-util.c — the message builder, flow driver and bounds checks the detection tests
 * share (see detect-util.h).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "detect-util.h"
#include "strpool.h"

void
dt_put(struct dt_msg *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof m->b);
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

void
dt_put8(struct dt_msg *m, unsigned v)
{
	uint8_t b = (uint8_t)v;

	dt_put(m, &b, 1);
}

void
dt_put16(struct dt_msg *m, unsigned v)
{
	dt_put8(m, v >> 8 & 0xff);
	dt_put8(m, v & 0xff);
}

void
dt_put32(struct dt_msg *m, uint32_t v)
{
	dt_put16(m, v >> 16);
	dt_put16(m, v & 0xffff);
}

void
dt_puts(struct dt_msg *m, const char *s)
{
	dt_put(m, s, strlen(s));
}

void
dt_fill(struct dt_msg *m, unsigned v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dt_put8(m, v);
}

size_t
dt_open_len(struct dt_msg *m, int width)
{
	size_t at = m->n;

	dt_fill(m, 0, (size_t)width);
	return at;
}

void
dt_close_len(struct dt_msg *m, size_t at, int width)
{
	size_t len = m->n - at - (size_t)width;

	for (int i = 0; i < width; i++)
		m->b[at + (size_t)i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

void
dt_set16(struct dt_msg *m, size_t at, unsigned v)
{
	m->b[at] = (uint8_t)(v >> 8);
	m->b[at + 1] = (uint8_t)v;
}

void
dt_flow_start(struct dt_flow *f, int tcp, uint16_t cport, uint16_t sport)
{
	memset(f, 0, sizeof *f);
	detect_init(&f->a);
	f->sp = strpool_new();
	f->tcp = tcp;
	f->cport = cport;
	f->sport = sport;
	f->seq[0] = 0x10000000;
	f->seq[1] = 0xfffffff0;		/* wraps while the server talks */
}

void
dt_flow_send(struct dt_flow *f, int dir, const void *p, size_t n)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);

	assert_non_null(copy);
	if (n > 0)
		memcpy(copy, p, n);
	detect_packet(&f->a, f->sp, f->tcp, dir, f->seq[dir], (struct span){ copy, n },
	    f->cport, f->sport);
	f->seq[dir] += (uint32_t)n;
	free(copy);
}

void
dt_flow_end(struct dt_flow *f)
{
	detect_fini(&f->a);
	assert_null(f->a.dir[0].buf);
	assert_null(f->a.dir[1].buf);
	strpool_free(f->sp);
}

enum app_proto
dt_one(int tcp, int dir, const void *p, size_t n, uint16_t cport, uint16_t sport)
{
	struct dt_flow f;
	enum app_proto proto;

	dt_flow_start(&f, tcp, cport, sport);
	dt_flow_send(&f, dir, p, n);
	proto = (enum app_proto)f.a.proto;
	dt_flow_end(&f);
	return proto;
}

void
dt_assert_raw(const char *got, const void *want, size_t n)
{
	if (got == NULL)
		fail_msg("NULL, want %zu bytes", n);
	if (strlen(got) != n || memcmp(got, want, n) != 0)
		fail_msg("\"%s\" (%zu bytes), want %zu bytes", got, strlen(got), n);
}

void
dt_check_bounds(const struct flow_app *a)
{
	assert_true(a->proto < AP_COUNT);
	assert_true(a->dir[0].media <= MEDIA_ZSTD && a->dir[1].media <= MEDIA_ZSTD);
	assert_true(a->sni == NULL || strlen(a->sni) <= 255);
	assert_true(a->alpn == NULL || strlen(a->alpn) <= 64);
	assert_true(a->http_host == NULL || strlen(a->http_host) <= 255);
	assert_true(a->http_ctype == NULL || strlen(a->http_ctype) <= 128);
	assert_true(a->http_method == NULL || strlen(a->http_method) <= 16);
	assert_true(a->banner == NULL || strlen(a->banner) <= 128);
	assert_true(a->dir[0].len <= DETECT_HEAD && a->dir[1].len <= DETECT_HEAD);
}

void
dt_every_prefix(const struct dt_msg *s, size_t n)
{
	static const uint16_t ports[] = { 21, 25, 53, 67, 110, 123, 443, 554, 1883, 1900, 5353,
		5355, 5683, 40000 };

	for (size_t i = 0; i < n; i++)
		for (size_t len = 1; len <= s[i].n; len++)
			for (int tcp = 0; tcp < 2; tcp++)
				for (int dir = 0; dir < 2; dir++)
					for (size_t p = 0; p < sizeof ports / sizeof *ports;
					    p++) {
						struct dt_flow f;
						dt_flow_start(&f, tcp, 50000, ports[p]);
						dt_flow_send(&f, dir, s[i].b, len);
						dt_flow_send(&f, !dir, s[i].b, len);
						dt_check_bounds(&f.a);
						dt_flow_end(&f);
					}
}
