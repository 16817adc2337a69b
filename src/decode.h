/*
 * decode.h — the decodings findings apply to what they extract: base64 (standard and URL-safe
 * alphabets, padding optional, whitespace ignored) and URL percent-encoding ('+' as space).
 */
#ifndef IOT_DECODE_H
#define IOT_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* Decodes into out (at most max bytes); -1 when s is not base64. */
long	decode_base64(const uint8_t *s, size_t n, uint8_t *out, size_t max);
/* Decodes into out (at most max bytes); invalid escapes are kept as they are. */
size_t	decode_url(const uint8_t *s, size_t n, uint8_t *out, size_t max);

#endif
