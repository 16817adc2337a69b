/*
 * msg-misc.c — the small fixed formats: NTP v4 client/server packets with timestamps that match
 * the capture clock, base64 for HTTP Basic credentials and text telemetry, and the marker
 * segments of a baseline JPEG for the images uploaded in the clear.
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

/* IJG luminance quantisation table at quality 75, in zig-zag order as DQT carries it. */
static const uint8_t jpeg_dqt[64] = {
	8, 6, 6, 7, 6, 5, 8, 7, 7, 7, 9, 9, 8, 10, 12, 20, 13, 12, 11, 11, 12, 25, 18, 19, 15, 20,
	29, 26, 31, 30, 29, 26, 28, 28, 32, 36, 46, 39, 32, 34, 44, 35, 28, 28, 40, 55, 41, 44,
	48, 49, 52, 52, 52, 31, 39, 57, 61, 56, 50, 60, 46, 51, 52, 50
};

/*
 * SOI, APP0 (JFIF 1.01), DQT, SOF0 and SOS of a w x h YCbCr baseline JPEG: everything before
 * the entropy-coded data.  Writes JPEG_HEAD_LEN bytes.  The data that follows must not contain
 * 0xff (no markers, no stuffing needed) and the image ends with FF D9.
 */
size_t
jpeg_head(uint8_t *out, uint16_t w, uint16_t h)
{
	static const uint8_t app0[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F',
	    0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00 };
	static const uint8_t sos[] = { 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03,
	    0x11, 0x00, 0x3f, 0x00 };
	uint8_t *p = out;

	memcpy(p, app0, sizeof app0);
	p += sizeof app0;
	memcpy(p, "\xff\xdb\x00\x43\x00", 5);
	memcpy(p + 5, jpeg_dqt, 64);
	p += 69;
	memcpy(p, "\xff\xc0\x00\x11\x08", 5);
	put_be16(p + 5, h);
	put_be16(p + 7, w);
	memcpy(p + 9, "\x03\x01\x22\x00\x02\x11\x00\x03\x11\x00", 10);
	p += 19;
	memcpy(p, sos, sizeof sos);
	p += sizeof sos;
	return (size_t)(p - out);
}
