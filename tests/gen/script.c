/*
 * script.c — storage for scripted conversations.  The script owns copies of every head it is
 * given; messages stay valid until script_free, which the scenario calls after the run.  It
 * also says where given bytes sit in a direction's stream, for truth files that point at them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "xmem.h"

struct script *
script_new(void)
{
	return xcalloc(1, sizeof(struct script));
}

void
script_free(struct script *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		free((void *)s->m[i].head);
	free(s->m);
	free(s);
}

static struct msg *
script_push(struct script *s, int dir, uint64_t delay_ns)
{
	struct msg *m;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->m = xrealloc(s->m, s->cap * sizeof *s->m);
	}
	m = &s->m[s->n++];
	memset(m, 0, sizeof *m);
	m->dir = (uint8_t)dir;
	m->delay_ns = delay_ns;
	return m;
}

/* A message of literal bytes from dir (0 client, 1 server), sent delay_ns after its turn. */
void
script_add(struct script *s, int dir, uint64_t delay_ns, const void *bytes, size_t len)
{
	struct msg *m = script_push(s, dir, delay_ns);
	uint8_t *h = xmalloc(len);

	memcpy(h, bytes, len);
	m->head = h;
	m->head_len = m->len = (uint32_t)len;
	m->body = BODY_RANDOM;
	s->bytes[dir] += len;
}

void
script_addf(struct script *s, int dir, uint64_t delay_ns, const char *fmt, ...)
{
	va_list ap;
	char small[2048], *buf = small;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof small) {
		buf = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	script_add(s, dir, delay_ns, buf, (size_t)n);
	if (buf != small)
		free(buf);
}

/* TLS application data carrying plain bytes, as full-size records of pool bytes. */
void
script_add_tls(struct script *s, int dir, uint64_t delay_ns, int v13, uint32_t plain)
{
	struct msg *m = script_push(s, dir, delay_ns);

	m->len = payload_tls_len(v13, plain);
	m->body = v13 ? BODY_TLS13 : BODY_TLS12;
	s->bytes[dir] += m->len;
}

int
script_next(void *ctx, struct msg *m)
{
	struct script *s = ctx;

	if (s->i >= s->n)
		return 0;
	*m = s->m[s->i++];
	return 1;
}

/*
 * The offset in direction dir's payload stream (0: the first byte that end sends) of the first
 * occurrence of the n bytes at needle inside one literal head; -1 when there is none.  The
 * tcpflow sends each direction's messages back to back in script order, heads verbatim, so
 * this is where the bytes are on the wire.  Generated bodies are not searched.
 */
int64_t
script_find(const struct script *s, int dir, const void *needle, size_t n)
{
	uint64_t at = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct msg *m = &s->m[i];

		if (m->dir != dir)
			continue;
		for (size_t j = 0; n > 0 && j + n <= m->head_len; j++)
			if (memcmp(m->head + j, needle, n) == 0)
				return (int64_t)(at + j);
		at += m->len;
	}
	return -1;
}
