/*
 * builtin.c — identifiers found without a pattern (see builtin.h).
 */
#include "config.h"

#include <string.h>

#include "builtin.h"

static int
email_local(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int
email_domain(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-';
}

static int
alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * E-mail addresses: at every '@' (or "%40", its URL encoding), the longest local part before
 * it and domain after it; the domain needs a dot and an alphabetic top-level label of 2 to
 * 24 letters.
 */
void
builtin_emails(const uint8_t *w, size_t n, size_t from, int url, builtin_fn fn, void *ctx)
{
	const char *sep = url ? "%40" : "@";
	size_t sl = strlen(sep);
	const uint8_t *at = w + from;

	while ((at = memchr(at, sep[0], (size_t)(w + n - at))) != NULL) {
		size_t a = (size_t)(at - w), l = a, r = a + sl;
		at++;
		if (a + sl > n || (sl > 1 && (w[a + 1] != sep[1] || w[a + 2] != sep[2])))
			continue;
		while (l > 0 && a - l < 64 && email_local(w[l - 1]))
			l--;
		while (l < a && (w[l] == '.' || w[l] == '-'))
			l++;
		while (r < n && r - a < 254 && email_domain(w[r]))
			r++;
		while (r > a + sl && (w[r - 1] == '.' || w[r - 1] == '-'))
			r--;
		/* The top-level label: letters after the last dot. */
		size_t dot = r;
		while (dot > a + sl && w[dot - 1] != '.')
			dot--;
		size_t tld = r - dot;
		int ok = l < a && dot > a + sl + 1 && tld >= 2 && tld <= 24;
		for (size_t k = dot; ok && k < r; k++)
			ok = alpha(w[k]);
		if (ok)
			fn(ctx, url ? BUILTIN_EMAIL_URL : BUILTIN_EMAIL, l, r - l);
	}
}

static int
hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* MAC addresses written as six hex pairs separated by ':' or '-' (one kind throughout). */
void
builtin_macs(const uint8_t *w, size_t n, size_t from, uint8_t sep, builtin_fn fn, void *ctx)
{
	const uint8_t *p = w + from;

	while ((p = memchr(p, sep, (size_t)(w + n - p))) != NULL) {
		size_t i = (size_t)(p - w);
		p++;
		if (i < 2 || i + 15 > n)
			continue;
		size_t st = i - 2;
		int ok = 1;
		for (int g = 0; g < 6 && ok; g++) {
			size_t k = st + (size_t)g * 3;
			ok = hex(w[k]) && hex(w[k + 1]) && (g == 5 || w[k + 2] == sep);
		}
		if (!ok)
			continue;
		/* Not part of a longer run of hex and separators (an IPv6 address, a hash). */
		if ((st > 0 && (hex(w[st - 1]) || w[st - 1] == sep)) ||
		    (st + 17 < n && (hex(w[st + 17]) || w[st + 17] == sep)))
			continue;
		fn(ctx, BUILTIN_MAC, st, 17);
		p = w + st + 17;
	}
}

