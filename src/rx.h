/*
 * rx.h — PCRE2 regular expressions over raw bytes (no UTF mode: payloads are binary), compiled
 * with JIT when available and run under match and depth limits, so a pathological expression
 * stops with a warning instead of hanging the tool.
 */
#ifndef IOT_RX_H
#define IOT_RX_H

#include <stddef.h>
#include <stdint.h>

struct rx;

/* Compiles pattern; NULL with "PCRE2's message at offset N" in err. */
struct rx	*rx_new(const char *pattern, int caseless, char *err, size_t errlen);
void		 rx_free(struct rx *);
const char	*rx_pattern(const struct rx *);

typedef int (*rx_match_fn)(void *ctx, size_t off, size_t len);	/* nonzero stops the scan */

/*
 * Calls fn for every match in buf[0..n) that starts at or after from.  Returns the number of
 * matches, or -1 when a limit was hit (err says which; matches so far were delivered).
 */
long		 rx_scan(struct rx *, const uint8_t *buf, size_t n, size_t from, rx_match_fn fn,
		    void *ctx, char *err, size_t errlen);

#endif
