/*
 * obuf.h — buffered output for the report writers: tens of thousands of small pieces (keys,
 * numbers, escaped strings) are gathered in one buffer and written 64 KiB at a time, because
 * a stdio call per piece cost more than the analysis of the capture behind it.
 */
#ifndef IOT_OBUF_H
#define IOT_OBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OBUF_SIZE	65536

/* Where a buffer in memory mode empties to: a growing heap buffer its owner frees. */
struct obuf_mem {
	char		*p;
	size_t		 n, cap;
};

struct obuf {
	FILE		*fp;
	struct obuf_mem	*mem;		/* not NULL: flushes append here instead of to fp */
	size_t		 n;
	int		 err;
	char		 b[OBUF_SIZE];
};

void	obuf_init(struct obuf *, FILE *);
/* A buffer whose flushes append to m (the report's records formatted on other threads). */
void	obuf_init_mem(struct obuf *, struct obuf_mem *m);
/* obuf_put's way when the piece does not fit what is left of the buffer. */
void	obuf_put_slow(struct obuf *, const void *, size_t);
void	obuf_u64(struct obuf *, uint64_t);
void	obuf_i64(struct obuf *, int64_t);
/* v as printf's "%.*f" writes it (decimals 0..9), without printf in the common case. */
void	obuf_fixed(struct obuf *, double v, int decimals);
size_t	fixed_fmt(char *buf, size_t len, double v, int decimals);
/* Writes what is buffered; -1 when this or an earlier write failed. */
int	obuf_flush(struct obuf *);

/* Inline: a million-flow report puts a hundred million pieces. */
static inline void
obuf_put(struct obuf *o, const void *p, size_t n)
{
	if (n <= OBUF_SIZE - o->n) {
		memcpy(o->b + o->n, p, n);
		o->n += n;
	} else
		obuf_put_slow(o, p, n);
}

static inline void
obuf_puts(struct obuf *o, const char *s)
{
	obuf_put(o, s, strlen(s));
}

static inline void
obuf_putc(struct obuf *o, char c)
{
	if (o->n == OBUF_SIZE)
		(void)obuf_flush(o);
	o->b[o->n++] = c;
}

#endif
