/*
 * obuf.c — buffered report output (see obuf.h).
 */
#include "config.h"

#include <string.h>

#include "obuf.h"

void
obuf_init(struct obuf *o, FILE *fp)
{
	o->fp = fp;
	o->n = 0;
	o->err = 0;
}

int
obuf_flush(struct obuf *o)
{
	if (o->n > 0 && fwrite(o->b, 1, o->n, o->fp) != o->n)
		o->err = 1;
	o->n = 0;
	return o->err ? -1 : 0;
}

void
obuf_put(struct obuf *o, const void *p, size_t n)
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
obuf_puts(struct obuf *o, const char *s)
{
	obuf_put(o, s, strlen(s));
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
