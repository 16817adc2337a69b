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

#define OBUF_SIZE	65536

struct obuf {
	FILE		*fp;
	size_t		 n;
	int		 err;
	char		 b[OBUF_SIZE];
};

void	obuf_init(struct obuf *, FILE *);
void	obuf_put(struct obuf *, const void *, size_t);
void	obuf_puts(struct obuf *, const char *);
void	obuf_u64(struct obuf *, uint64_t);
void	obuf_i64(struct obuf *, int64_t);
/* Writes what is buffered; -1 when this or an earlier write failed. */
int	obuf_flush(struct obuf *);

static inline void
obuf_putc(struct obuf *o, char c)
{
	if (o->n == OBUF_SIZE)
		(void)obuf_flush(o);
	o->b[o->n++] = c;
}

#endif
