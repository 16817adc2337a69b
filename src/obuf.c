/*
 * obuf.c — buffered report output (see obuf.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "obuf.h"
#include "xalloc.h"

void
obuf_init(struct obuf *o, FILE *fp)
{
	o->fp = fp;
	o->mem = NULL;
	o->n = 0;
	o->err = 0;
}

void
obuf_init_mem(struct obuf *o, struct obuf_mem *m)
{
	obuf_init(o, NULL);
	o->mem = m;
}

static void
mem_append(struct obuf_mem *m, const char *p, size_t n)
{
	if (m->cap - m->n < n) {
		size_t cap = m->cap != 0 ? m->cap : OBUF_SIZE;
		while (cap - m->n < n)
			cap *= 2;
		m->p = xrealloc(m->p, cap);
		m->cap = cap;
	}
	memcpy(m->p + m->n, p, n);
	m->n += n;
}

int
obuf_flush(struct obuf *o)
{
	if (o->n > 0 && o->mem != NULL)
		mem_append(o->mem, o->b, o->n);
	else if (o->n > 0 && fwrite(o->b, 1, o->n, o->fp) != o->n)
		o->err = 1;
	o->n = 0;
	return o->err ? -1 : 0;
}

void
obuf_put_slow(struct obuf *o, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		if (o->n == OBUF_SIZE)
			(void)obuf_flush(o);
		size_t k = OBUF_SIZE - o->n < n ? OBUF_SIZE - o->n : n;
		memcpy(o->b + o->n, s, k);
		o->n += k;
		s += k;
		n -= k;
	}
}

void
obuf_u64(struct obuf *o, uint64_t v)
{
	char buf[24];
	size_t i = sizeof buf;

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	obuf_put(o, buf + i, sizeof buf - i);
}

void
obuf_i64(struct obuf *o, int64_t v)
{
	if (v < 0) {
		obuf_putc(o, '-');
		obuf_u64(o, (uint64_t)0 - (uint64_t)v);
	} else
		obuf_u64(o, (uint64_t)v);
}

/*
 * "%.*f" without printf for the common case, as printf would write it: a report holds tens
 * of figures per flow, and printf's exact decimal conversion was a fifth of its cost.  When
 * v·10^d is too large to be exact in a double, or is near a rounding tie, printf decides.
 */
size_t
fixed_fmt(char *buf, size_t len, double v, int d)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	double s = fabs(v) * (d >= 0 && d <= 9 ? p10[d] : 0);

	if (d < 0 || d > 9 || !(s < 1e12) || fabs(s - floor(s) - 0.5) < 1e-3)
		return (size_t)snprintf(buf, len, "%.*f", d, v);
	uint64_t u = (uint64_t)floor(s + 0.5), ip = u, fp = 0;
	char tmp[40];
	size_t n = 0, o = 0;
	if (d > 0) {
		ip = u / (uint64_t)p10[d];
		fp = u % (uint64_t)p10[d];
		for (int i = 0; i < d; i++, fp /= 10)
			tmp[n++] = (char)('0' + fp % 10);
		tmp[n++] = '.';
	}
	do
		tmp[n++] = (char)('0' + ip % 10);
	while ((ip /= 10) > 0);
	if (signbit(v))
		buf[o++] = '-';
	while (n > 0 && o + 1 < len)
		buf[o++] = tmp[--n];
	buf[o] = '\0';
	return o;
}

void
obuf_fixed(struct obuf *o, double v, int decimals)
{
	char buf[64];

	obuf_put(o, buf, fixed_fmt(buf, sizeof buf, v, decimals));
}
