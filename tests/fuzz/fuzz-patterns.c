/*
 * fuzz-patterns.c — libFuzzer harness for the pattern engine (src/patterns.c, src/rx.c): both
 * the expression and the subject come from the input.  First byte: flags (caseless, decoding,
 * piece edges); then the expression up to a NUL (at most EXPR_MAX bytes: PCRE2's compile time
 * grows with it) and the subject after it.  Matches run under the engine's own match and
 * depth limits, so a pathological pair stops instead of hanging; a match outside the subject
 * is a bug.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fuzz-common.h"
#include "patterns.h"
#include "rx.h"

#define EXPR_MAX	256

struct subject {
	size_t	 n;
};

static int
on_pattern(void *ctx, const struct pattern *p, size_t off, size_t len, size_t voff, size_t vlen)
{
	const struct subject *s = ctx;

	(void)p;
	if (off > s->n || len > s->n - off || voff > s->n || vlen > s->n - voff)
		__builtin_trap();
	return 0;
}

static int
on_rx(void *ctx, size_t off, size_t len)
{
	const struct subject *s = ctx;

	if (off > s->n || len > s->n - off)
		__builtin_trap();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t flags = fuzz_u8(&in);
	const uint8_t *nul = memchr(in.p, 0, in.n);
	size_t elen = nul != NULL ? (size_t)(nul - in.p) : in.n;
	char expr[EXPR_MAX + 1], err[256];

	if (elen > EXPR_MAX)
		return 0;
	memcpy(expr, in.p, elen);
	expr[elen] = '\0';
	const uint8_t *subj = in.p + elen + (nul != NULL);
	struct subject s = { in.n - elen - (nul != NULL) };

	uint8_t lit[PAT_ALTS][PAT_LITERAL_MAX], litlen[PAT_ALTS];
	int caseless;
	int nlits = pattern_literals(expr, lit, litlen, &caseless);
	if (nlits < 0 || nlits > PAT_ALTS)
		__builtin_trap();
	for (int i = 0; i < nlits; i++)
		if (litlen[i] > PAT_LITERAL_MAX)
			__builtin_trap();

	struct patset *ps = patset_new();
	if (patset_add(ps, "fuzz", CAT_CREDENTIAL, SEV_HIGH, (enum find_decode)(flags & 3), expr,
	    "fuzz:1", err, sizeof err) == 0) {
		uint8_t want[1];
		size_t last[1], from = s.n > 0 ? (flags >> 4) % s.n : 0;
		(void)patset_prefilter(ps, subj, s.n, from, want, last);
		(void)patset_run_piece(ps, 0, subj, s.n, from, (flags >> 2) & 3, on_pattern, &s,
		    err, sizeof err);
	}
	patset_free(ps);

	struct rx *rx = rx_new(expr, flags & 0x40, err, sizeof err);
	if (rx != NULL) {
		(void)rx_scan(rx, subj, s.n, 0, on_rx, &s, err, sizeof err);
		rx_free(rx);
	}

	uint8_t *out = malloc(s.n + 1);
	if (out != NULL) {
		(void)decode_base64(subj, s.n, out, s.n + 1);
		(void)decode_url(subj, s.n, out, s.n + 1);
		free(out);
	}
	return 0;
}
