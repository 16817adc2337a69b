/*
 * msg-misc.c — the small fixed formats: NTP v4 client/server packets with timestamps that match
 * the capture clock, and base64 for HTTP Basic credentials and text telemetry.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "msg.h"

#define NTP_UNIX_OFFSET	2208988800u

/* NTP 64-bit timestamp of a Unix time in nanoseconds. */
static void
ntp_ts(uint8_t *p, uint64_t ns)
{
	uint64_t sec = ns / 1000000000u, frac = ns % 1000000000u;

	put_be32(p, (uint32_t)(sec + NTP_UNIX_OFFSET));
	put_be32(p + 4, (uint32_t)((frac << 32) / 1000000000u));
}

/* A client request sent at now_ns; like chrony and systemd-timesyncd, only xmt is set. */
size_t
ntp_request(uint8_t *out, uint64_t now_ns, struct rng *r)
{
	memset(out, 0, NTP_LEN);
	out[0] = 0x23;			/* LI 0, version 4, mode 3 */
	out[2] = 6;			/* poll 64 s */
	out[3] = 0xe9;			/* precision 2^-23 */
	ntp_ts(out + 40, now_ns);
	out[47] ^= (uint8_t)rng_below(r, 256);	/* low fraction bits are noise */
	return NTP_LEN;
}

/* The server's reply to req, received at rx_ns and sent at tx_ns. */
size_t
ntp_reply(uint8_t *out, const uint8_t *req, uint64_t rx_ns, uint64_t tx_ns, struct rng *r)
{
	memset(out, 0, NTP_LEN);
	out[0] = 0x24;			/* LI 0, version 4, mode 4 */
	out[1] = 2;			/* stratum */
	out[2] = req[2];
	out[3] = 0xe7;
	put_be32(out + 4, rng_range(r, 0x100, 0x900));	/* root delay */
	put_be32(out + 8, rng_range(r, 0x200, 0x1200));	/* root dispersion */
	put_be32(out + 12, 0x0a000000u | rng_below(r, 0xffff));	/* reference id */
	ntp_ts(out + 16, rx_ns - 17000000000ull);
	memcpy(out + 24, req + 40, 8);	/* origin = client's transmit */
	ntp_ts(out + 32, rx_ns);
	ntp_ts(out + 40, tx_ns);
	return NTP_LEN;
}

/* Writes the base64 of n bytes plus a NUL to out (room for 4 * ceil(n / 3) + 1); returns length. */
size_t
base64_encode(char *out, const uint8_t *in, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}
