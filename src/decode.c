/*
 * decode.c — base64 and URL decoding (see decode.h).
 */
#include "config.h"

#include "decode.h"

static int
b64val(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

long
decode_base64(const uint8_t *s, size_t n, uint8_t *out, size_t max)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	size_t k = 0, digits = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64val(c);
		if (v < 0 || pad > 0)
			return -1;		/* a stray byte, or data after padding */
		digits++;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (k < max)
				out[k++] = (uint8_t)(acc >> bits);
		}
	}
	if (pad > 2 || digits % 4 == 1)
		return -1;
	return (long)k;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t
decode_url(const uint8_t *s, size_t n, uint8_t *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < max; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[k++] = (uint8_t)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
		} else
			out[k++] = s[i] == '+' ? ' ' : s[i];
	}
	return k;
}
