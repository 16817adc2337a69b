/*
 * builtin.h — identifiers the findings scanner finds without a pattern, because a regular
 * expression would have no literal to be prefiltered on: e-mail addresses (also with the
 * '@' URL-encoded as %40) and MAC addresses written with ':' or '-'.
 */
#ifndef IOT_BUILTIN_H
#define IOT_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

enum builtin_kind {
	BUILTIN_EMAIL,
	BUILTIN_EMAIL_URL,		/* the value is URL-encoded */
	BUILTIN_MAC
};

/* One address found at w[off, off + len). */
typedef void (*builtin_fn)(void *ctx, enum builtin_kind, size_t off, size_t len);

/* E-mail addresses whose '@' (or "%40" when url) is at or after from. */
void	builtin_emails(const uint8_t *w, size_t n, size_t from, int url, builtin_fn, void *ctx);
/* MAC addresses whose first separator sep (':' or '-') is at or after from. */
void	builtin_macs(const uint8_t *w, size_t n, size_t from, uint8_t sep, builtin_fn, void *ctx);

#endif
