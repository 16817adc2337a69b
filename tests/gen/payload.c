/*
 * payload.c — the random pool and the body generator.  TLS bodies carry a record header every
 * full record, so a dissector walking the stream finds well-formed records whatever the
 * segmentation; the record contents are pool bytes, which look like ciphertext.
 */
#include <stdint.h>
#include <string.h>

#include "payload.h"
#include "xmem.h"

#define TLS_PLAIN_MAX	16384u
#define TLS12_OVERHEAD	24u		/* explicit nonce 8 + GCM tag 16 */
#define TLS13_OVERHEAD	17u		/* inner content type 1 + tag 16 */

void
pool_init(struct pool *pl, uint32_t n, uint64_t seed)
{
	struct rng r;

	rng_seed(&r, seed, 0x9001);
	pl->p = xmalloc(n);
	pl->n = n;
	rng_fill(&r, pl->p, n);
}

void
pool_fini(struct pool *pl)
{
	free(pl->p);
	pl->p = NULL;
}

static uint32_t
tls_overhead(int v13)
{
	return v13 ? TLS13_OVERHEAD : TLS12_OVERHEAD;
}

/* Wire length of plain bytes of application data sent as full-size records. */
uint32_t
payload_tls_len(int v13, uint32_t plain)
{
	uint32_t full = plain / TLS_PLAIN_MAX, rem = plain % TLS_PLAIN_MAX;
	uint32_t rec = 5 + TLS_PLAIN_MAX + tls_overhead(v13);

	return full * rec + (rem ? 5 + rem + tls_overhead(v13) : 0);
}

/* Random bytes for n bytes of body; any slice of the pool will do. */
static void
fill_random(uint8_t *dst, uint32_t n, const struct pool *pl, struct rng *r)
{
	while (n > 0) {
		uint32_t k = n < pl->n / 2 ? n : pl->n / 2;
		uint32_t at = rng_below(r, pl->n - k);

		memcpy(dst, pl->p + at, k);
		dst += k;
		n -= k;
	}
}

/* Overlays record headers on body bytes [off, off+n) of a TLS body of blen bytes. */
static void
fill_tls_headers(int v13, uint32_t blen, uint32_t off, uint8_t *dst, uint32_t n)
{
	uint32_t rec = 5 + TLS_PLAIN_MAX + tls_overhead(v13);
	uint32_t k = off / rec;

	for (uint32_t start = k * rec; start < off + n; start += rec) {
		uint32_t rlen = blen - start < rec ? blen - start : rec;
		uint8_t h[5] = { 0x17, 0x03, 0x03, (uint8_t)((rlen - 5) >> 8),
		    (uint8_t)(rlen - 5) };

		for (uint32_t i = 0; i < 5; i++) {
			if (start + i >= off && start + i < off + n)
				dst[start + i - off] = h[i];
		}
	}
}

/* Writes bytes [off, off+n) of message m to dst. */
void
payload_fill(const struct msg *m, uint32_t off, uint8_t *dst, uint32_t n,
    const struct pool *pl, struct rng *r)
{
	uint32_t bstart = m->head_len, tstart = m->len - m->tail_len;

	if (off < bstart) {
		uint32_t k = bstart - off < n ? bstart - off : n;

		memcpy(dst, m->head + off, k);
		off += k;
		dst += k;
		n -= k;
	}
	if (n > 0 && off < tstart) {
		uint32_t k = tstart - off < n ? tstart - off : n;

		fill_random(dst, k, pl, r);
		if (m->body == BODY_JPEG) {
			for (uint32_t i = 0; i < k; i++)
				if (dst[i] == 0xff)
					dst[i] = 0xfe;
		} else if (m->body != BODY_RANDOM)
			fill_tls_headers(m->body == BODY_TLS13, tstart - bstart, off - bstart, dst,
			    k);
		off += k;
		dst += k;
		n -= k;
	}
	if (n > 0)
		memcpy(dst, m->tail + (off - tstart), n);
}
