/*
 * rx.c — PCRE2 wrapper (see rx.h).
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "rx.h"
#include "xalloc.h"

#define RX_MATCH_LIMIT	10000000u
#define RX_DEPTH_LIMIT	100000u

struct rx {
	char			*pattern;
	pcre2_code		*code;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
};

struct rx *
rx_new(const char *pattern, int caseless, char *err, size_t errlen)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    caseless ? PCRE2_CASELESS : 0, &ec, &eo, NULL);

	if (code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "bad regular expression at offset %zu: %s", (size_t)eo,
		    (const char *)msg);
		return NULL;
	}
	struct rx *r = xcalloc(1, sizeof *r);
	r->pattern = xstrdup(pattern);
	r->code = code;
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);	/* slower without, still right */
	r->md = pcre2_match_data_create_from_pattern(code, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	if (r->md == NULL || r->mctx == NULL) {
		snprintf(err, errlen, "out of memory for the regular expression");
		rx_free(r);
		return NULL;
	}
	pcre2_set_match_limit(r->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RX_DEPTH_LIMIT);
	return r;
}

void
rx_free(struct rx *r)
{
	if (r == NULL)
		return;
	pcre2_match_context_free(r->mctx);
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->code);
	free(r->pattern);
	free(r);
}

const char *
rx_pattern(const struct rx *r)
{
	return r->pattern;
}

long
rx_scan(struct rx *r, const uint8_t *buf, size_t n, size_t from, rx_match_fn fn, void *ctx,
    char *err, size_t errlen)
{
	long count = 0;
	size_t at = from;
	/* PCRE2 wants a non-NULL subject even when it is empty. */
	static const uint8_t empty[1];

	if (buf == NULL)
		buf = empty;
	while (at <= n) {
		int rc = pcre2_match(r->code, buf, n, at, 0, r->md, r->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(rc, msg, sizeof msg);
			snprintf(err, errlen, "search stopped: %s", (const char *)msg);
			return -1;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
		size_t s = ov[0], e = ov[1] >= ov[0] ? ov[1] : ov[0];
		count++;
		if (fn != NULL && fn(ctx, s, e - s))
			break;
		/* An empty match moves on by one byte, or it would repeat forever. */
		at = e > s ? e : e + 1;
	}
	return count;
}
