/*
 * pcapw.c — the pcap and pcapng writers.  Every header field is written byte by byte in the
 * order the format asks for, so the files are identical whatever the host's byte order, and
 * timestamps are carried as nanoseconds since the epoch in a uint64_t until the last moment.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "pcapw.h"
#include "xmem.h"

#define PCAPW_BUFSZ	(8u << 20)

static const char shb_comment[] =
    "iotscope gen-capture synthetic capture; comments like this one must be ignored";
static const char shb_userappl[] = "iotscope gen-capture";
static const char epb_comment[] = "first packet: this comment must be ignored too";
static const char *const if_names[PCAPW_MAXIF] = { "lan0", "tun0" };

int
pcapw_format_parse(const char *s, enum pcapw_format *f)
{
	static const struct {
		const char		*name;
		enum pcapw_format	 fmt;
	} names[] = {
		{ "pcap", PCAPW_PCAP },
		{ "pcap-ns", PCAPW_PCAP_NS },
		{ "pcap-be", PCAPW_PCAP_BE },
		{ "pcapng", PCAPW_PCAPNG },
		{ "pcapng-mixed", PCAPW_PCAPNG_MIXED },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i].name) == 0) {
			*f = names[i].fmt;
			return 0;
		}
	}
	return -1;
}

static void
pcapw_flush(struct pcapw *w)
{
	if (w->len > 0 && !w->err && fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->err = 1;
	w->len = 0;
}

/* Returns room for n bytes at the end of the buffer; records are never split across flushes. */
static uint8_t *
pcapw_room(struct pcapw *w, size_t n)
{
	uint8_t *p;

	if (w->len + n > w->cap) {
		pcapw_flush(w);
		if (n > w->cap) {
			w->buf = xrealloc(w->buf, n);
			w->cap = n;
		}
	}
	p = w->buf + w->len;
	w->len += n;
	w->file_bytes += n;
	return p;
}

static int
pcapw_is_ng(const struct pcapw *w)
{
	return w->fmt == PCAPW_PCAPNG || w->fmt == PCAPW_PCAPNG_MIXED;
}

static void
pcapw_u16(const struct pcapw *w, uint8_t *p, uint16_t v)
{
	if (w->fmt == PCAPW_PCAP_BE)
		put_be16(p, v);
	else
		put_le16(p, v);
}

static void
pcapw_u32(const struct pcapw *w, uint8_t *p, uint32_t v)
{
	if (w->fmt == PCAPW_PCAP_BE)
		put_be32(p, v);
	else
		put_le32(p, v);
}

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Size of an option with its 4-byte header and padding. */
static size_t
opt_size(size_t n)
{
	return 4 + pad4(n);
}

/* Writes one pcapng option; returns the bytes it took. */
static size_t
put_opt(uint8_t *p, uint16_t code, const void *v, size_t n)
{
	put_le16(p, code);
	put_le16(p + 2, (uint16_t)n);
	memcpy(p + 4, v, n);
	memset(p + 4 + n, 0, pad4(n) - n);
	return opt_size(n);
}

static void
pcapw_shb(struct pcapw *w)
{
	size_t c = strlen(shb_comment), u = strlen(shb_userappl);
	size_t total = 28 + opt_size(c) + opt_size(u) + 4;
	uint8_t *p = pcapw_room(w, total), *q;

	put_le32(p, 0x0a0d0d0a);
	put_le32(p + 4, (uint32_t)total);
	put_le32(p + 8, 0x1a2b3c4d);
	put_le16(p + 12, 1);
	put_le16(p + 14, 0);
	put_le64(p + 16, UINT64_MAX);	/* section length not known in advance */
	q = p + 24;
	q += put_opt(q, 1, shb_comment, c);
	q += put_opt(q, 4, shb_userappl, u);
	put_le32(q, 0);			/* opt_endofopt */
	put_le32(q + 4, (uint32_t)total);
}

static void
pcapw_idb(struct pcapw *w, int i)
{
	const uint8_t tsresol = 9;
	size_t nlen = strlen(if_names[i]);
	size_t total = 20 + opt_size(nlen) + opt_size(1) + 4;
	uint8_t *p = pcapw_room(w, total), *q;

	put_le32(p, 1);
	put_le32(p + 4, (uint32_t)total);
	put_le16(p + 8, w->linktype[i]);
	put_le16(p + 10, 0);
	put_le32(p + 12, w->snaplen);
	q = p + 16;
	q += put_opt(q, 2, if_names[i], nlen);
	q += put_opt(q, 9, &tsresol, 1);
	put_le32(q, 0);
	put_le32(q + 4, (uint32_t)total);
}

int
pcapw_open(struct pcapw *w, FILE *fp, enum pcapw_format fmt, const uint16_t *linktypes,
    int nifs, uint32_t snaplen)
{
	memset(w, 0, sizeof *w);
	w->fp = fp;
	w->fmt = fmt;
	w->snaplen = snaplen;
	w->nifs = nifs;
	for (int i = 0; i < nifs && i < PCAPW_MAXIF; i++)
		w->linktype[i] = linktypes[i];
	w->cap = PCAPW_BUFSZ;
	w->buf = xmalloc(w->cap);

	if (pcapw_is_ng(w)) {
		pcapw_shb(w);
		for (int i = 0; i < nifs; i++)
			pcapw_idb(w, i);
	} else {
		uint8_t *p = pcapw_room(w, 24);

		pcapw_u32(w, p, fmt == PCAPW_PCAP_NS ? 0xa1b23c4d : 0xa1b2c3d4);
		pcapw_u16(w, p + 4, 2);
		pcapw_u16(w, p + 6, 4);
		pcapw_u32(w, p + 8, 0);		/* thiszone */
		pcapw_u32(w, p + 12, 0);	/* sigfigs */
		pcapw_u32(w, p + 16, snaplen);
		pcapw_u32(w, p + 20, linktypes[0]);
	}
	return w->err ? -1 : 0;
}

/*
 * Writes one packet: caplen bytes of data, the frame having been wirelen bytes long.  iface
 * only matters for pcapng; the classic format has a single link type.
 */
int
pcapw_packet(struct pcapw *w, int iface, uint64_t ts_ns, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen)
{
	uint8_t *p;

	if (pcapw_is_ng(w)) {
		size_t clen = strlen(epb_comment);
		size_t opts = w->commented ? 0 : opt_size(clen) + 4;
		size_t total = 28 + pad4(caplen) + opts + 4;

		p = pcapw_room(w, total);
		put_le32(p, 6);
		put_le32(p + 4, (uint32_t)total);
		put_le32(p + 8, (uint32_t)iface);
		put_le32(p + 12, (uint32_t)(ts_ns >> 32));
		put_le32(p + 16, (uint32_t)ts_ns);
		put_le32(p + 20, caplen);
		put_le32(p + 24, wirelen);
		memcpy(p + 28, data, caplen);
		memset(p + 28 + caplen, 0, pad4(caplen) - caplen);
		if (!w->commented) {
			uint8_t *q = p + 28 + pad4(caplen);

			q += put_opt(q, 1, epb_comment, clen);
			put_le32(q, 0);
			w->commented = 1;
		}
		put_le32(p + total - 4, (uint32_t)total);
	} else {
		uint32_t sec = (uint32_t)(ts_ns / 1000000000u);
		uint32_t frac = (uint32_t)(ts_ns % 1000000000u);

		if (w->fmt != PCAPW_PCAP_NS)
			frac /= 1000;
		p = pcapw_room(w, 16 + (size_t)caplen);
		pcapw_u32(w, p, sec);
		pcapw_u32(w, p + 4, frac);
		pcapw_u32(w, p + 8, caplen);
		pcapw_u32(w, p + 12, wirelen);
		memcpy(p + 16, data, caplen);
	}
	w->packets++;
	return w->err ? -1 : 0;
}

int
pcapw_close(struct pcapw *w)
{
	pcapw_flush(w);
	if (!w->err && fflush(w->fp) != 0)
		w->err = 1;
	free(w->buf);
	w->buf = NULL;
	return w->err ? -1 : 0;
}
