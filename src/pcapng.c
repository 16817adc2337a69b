/*
 * pcapng.c — pcapng block reader (see pcapng.h for why it exists beside libpcap).
 * Block lengths come from the file and are untrusted: each is checked against the minimum for
 * its type and a hard maximum before anything is allocated or read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytesrc.h"
#include "pcapng.h"
#include "reader.h"
#include "xalloc.h"

#define BT_SHB		0x0A0D0D0Au
#define BT_IDB		1u
#define BT_PB		2u
#define BT_SPB		3u
#define BT_EPB		6u
#define BOM		0x1A2B3C4Du
#define BLOCK_MAX	(64u << 20)
#define IFACE_MAX	4096

struct iface {
	int		 linktype;
	int		 resol_pow2;	/* units are 2^-resol s, else 10^-resol s */
	unsigned	 resol;
	int64_t		 offset_s;
};

struct pcapng {
	struct bytesrc	*src;
	int		 big;		/* byte order of the current section */
	int		 have_shb;
	uint64_t	 pos;
	uint64_t	 block_start;
	uint8_t		*blk;
	size_t		 blk_cap;
	struct iface	*ifs;
	uint32_t	 nifs, ifs_cap;
};

struct pcapng *
pcapng_new(struct bytesrc *src)
{
	struct pcapng *ng = xcalloc(1, sizeof *ng);
	ng->src = src;
	return ng;
}

void
pcapng_free(struct pcapng *ng)
{
	if (ng == NULL)
		return;
	free(ng->blk);
	free(ng->ifs);
	free(ng);
}

uint64_t
pcapng_block_start(const struct pcapng *ng)
{
	return ng->block_start;
}

uint32_t
pcapng_ninterfaces(const struct pcapng *ng)
{
	return ng->nifs;
}

int
pcapng_linktype(const struct pcapng *ng, uint32_t i)
{
	return i < ng->nifs ? ng->ifs[i].linktype : -1;
}

/* Reads exactly n bytes; returns 0, or -1 when the input ends first. */
static int
read_full(struct pcapng *ng, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = bytesrc_read(ng->src, (uint8_t *)buf + done, n - done);
		if (got <= 0)
			return -1;
		done += (size_t)got;
	}
	ng->pos += n;
	return 0;
}

static uint32_t
u32(const uint8_t *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] :
	    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void
parse_idb(struct pcapng *ng, struct rd body)
{
	struct iface f = { .linktype = rd_16(&body, ng->big), .resol = 6 };

	rd_skip(&body, 2 + 4);		/* reserved, snaplen */
	while (rd_left(&body) >= 4) {
		uint16_t code = rd_16(&body, ng->big);
		uint16_t len = rd_16(&body, ng->big);
		struct rd v = rd_sub(&body, len, NULL);
		rd_skip(&body, (4 - len % 4) % 4);
		if (code == 0)
			break;
		if (code == 9 && len >= 1) {
			uint8_t r = rd_u8(&v);
			f.resol_pow2 = (r & 0x80) != 0;
			f.resol = r & 0x7f;
		} else if (code == 14 && len >= 8) {
			uint32_t a = rd_32(&v, ng->big), b = rd_32(&v, ng->big);
			uint64_t off = ng->big ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
			f.offset_s = (int64_t)off;
		}
	}
	if (ng->nifs >= IFACE_MAX)
		return;
	if (ng->nifs == ng->ifs_cap) {
		ng->ifs_cap = ng->ifs_cap != 0 ? ng->ifs_cap * 2 : 4;
		ng->ifs = xreallocarray(ng->ifs, ng->ifs_cap, sizeof *ng->ifs);
	}
	ng->ifs[ng->nifs++] = f;
}

/* Converts a timestamp in the interface's units to ns; wraps instead of overflowing. */
static int64_t
ts_to_ns(const struct iface *f, uint64_t t)
{
	uint64_t ns;

	if (f->resol_pow2) {
		unsigned r = f->resol > 63 ? 63 : f->resol;
		uint64_t sec = t >> r, frac = t & ((1ull << r) - 1);
		unsigned drop = r > 30 ? r - 30 : 0;
		ns = sec * 1000000000ull + (((frac >> drop) * 1000000000ull) >> (r - drop));
	} else if (f->resol <= 9) {
		uint64_t mul = 1;
		for (unsigned i = f->resol; i < 9; i++)
			mul *= 10;
		ns = t * mul;
	} else {
		uint64_t div = 1;
		for (unsigned i = 9; i < f->resol && i < 28; i++)
			div *= 10;
		ns = t / div;
	}
	ns += (uint64_t)f->offset_s * 1000000000ull;
	return (int64_t)ns;
}

/*
 * One whole block in memory (its 8- or 12-byte header included, len bytes): 1 with a packet in
 * *pkt (its data points into blk), 0 for a block that carries none, -1 with err.
 */
static int
parse_block(struct pcapng *ng, const uint8_t *blk, uint32_t len, uint64_t start,
    struct pcapng_pkt *pkt, char *err, size_t errlen)
{
	uint32_t type = u32(blk, ng->big);

	if (type == BT_SHB) {
		if (u32(blk + 8, 0) == BOM)
			ng->big = 0;
		else if (u32(blk + 8, 1) == BOM)
			ng->big = 1;
		else {
			snprintf(err, errlen, "bad byte-order magic in section header at byte %llu",
			    (unsigned long long)start);
			return -1;
		}
		ng->have_shb = 1;
		ng->nifs = 0;		/* interface ids are per section */
		return 0;
	}
	if (!ng->have_shb) {
		snprintf(err, errlen, "not a pcapng file (no section header at byte 0)");
		return -1;
	}
	struct rd b = rd_make(blk + 8, len - 12);

	if (type == BT_IDB) {
		parse_idb(ng, b);
		return 0;
	}
	if (type != BT_EPB && type != BT_SPB && type != BT_PB)
		return 0;
	uint32_t ifidx = 0, caplen, wirelen;
	uint64_t t = 0;
	if (type == BT_EPB || type == BT_PB) {
		if (type == BT_EPB)
			ifidx = rd_32(&b, ng->big);
		else {
			ifidx = rd_16(&b, ng->big);
			rd_skip(&b, 2);
		}
		uint32_t hi = rd_32(&b, ng->big), lo = rd_32(&b, ng->big);
		t = (uint64_t)hi << 32 | lo;
		caplen = rd_32(&b, ng->big);
		wirelen = rd_32(&b, ng->big);
	} else {
		wirelen = rd_32(&b, ng->big);
		caplen = (uint32_t)rd_left(&b);
		if (caplen > wirelen)
			caplen = wirelen;
	}
	if (b.bad || caplen > rd_left(&b)) {
		snprintf(err, errlen, "packet block at byte %llu claims %u captured bytes, "
		    "more than the block holds", (unsigned long long)start, caplen);
		return -1;
	}
	if (ifidx >= ng->nifs) {
		snprintf(err, errlen, "packet block at byte %llu names interface %u, "
		    "but only %u are described", (unsigned long long)start, ifidx, ng->nifs);
		return -1;
	}
	pkt->ts_ns = ts_to_ns(&ng->ifs[ifidx], t);
	pkt->caplen = caplen;
	pkt->wirelen = wirelen < caplen ? caplen : wirelen;
	pkt->ifidx = ifidx;
	pkt->linktype = ng->ifs[ifidx].linktype;
	pkt->offset = start;
	pkt->data = rd_span(&b).p;
	return 1;
}

/* The length of a block from its first bytes: 0 when more are needed, -1 when impossible. */
static int
block_length(const struct pcapng *ng, const uint8_t *p, size_t n, uint32_t *len)
{
	if (n < 8)
		return 0;
	/* The section header's type reads the same in either byte order; its own length is
	 * in the byte order its magic (bytes 8..11) gives. */
	int big = ng->big;
	int shb = u32(p, 0) == BT_SHB;
	if (shb) {
		if (n < 12)
			return 0;
		if (u32(p + 8, 0) == BOM)
			big = 0;
		else if (u32(p + 8, 1) == BOM)
			big = 1;
		else
			return -1;
	}
	uint32_t l = u32(p + 4, big);
	if (l < 12 || l % 4 != 0 || l > BLOCK_MAX || (shb && l < 16))
		return -1;
	*len = l;
	return 1;
}

int
pcapng_frame(const struct pcapng *ng, const uint8_t *p, size_t n, uint32_t *len)
{
	return block_length(ng, p, n, len);
}

int
pcapng_block(struct pcapng *ng, const uint8_t *blk, uint32_t len, uint64_t offset,
    struct pcapng_pkt *pkt, char *err, size_t errlen)
{
	ng->block_start = offset;
	return parse_block(ng, blk, len, offset, pkt, err, errlen);
}

int
pcapng_next(struct pcapng *ng, struct pcapng_pkt *pkt, int *truncated, char *err, size_t errlen)
{
	*truncated = 0;
	for (;;) {
		uint64_t start = ng->pos;
		size_t have = 0;
		uint32_t len = 0;
		int rc;

		if (ng->blk_cap < 64) {
			ng->blk_cap = 64;
			ng->blk = xrealloc(ng->blk, ng->blk_cap);
		}
		/* The header in as many reads as it takes: a pipe may hand it over in pieces. */
		while ((rc = block_length(ng, ng->blk, have, &len)) == 0) {
			size_t want = have < 8 ? 8 - have : 12 - have;
			ssize_t got = bytesrc_read(ng->src, ng->blk + have, want);
			if (got <= 0) {
				if (have == 0 && got == 0)
					return 0;
				*truncated = 1;
				snprintf(err, errlen, "file ends inside a block header at byte %llu",
				    (unsigned long long)start);
				return -1;
			}
			have += (size_t)got;
		}
		ng->pos += have;
		ng->block_start = start;
		if (rc < 0) {
			if (u32(ng->blk, 0) == BT_SHB && have >= 12 && u32(ng->blk + 8, 0) != BOM &&
			    u32(ng->blk + 8, 1) != BOM)
				snprintf(err, errlen, "bad byte-order magic in section header at "
				    "byte %llu", (unsigned long long)start);
			else if (!ng->have_shb && u32(ng->blk, 0) != BT_SHB)
				snprintf(err, errlen, "not a pcapng file (no section header at byte 0)");
			else
				snprintf(err, errlen, "block at byte %llu has impossible length %u",
				    (unsigned long long)start, u32(ng->blk + 4, ng->big));
			return -1;
		}
		if (len > ng->blk_cap) {
			ng->blk_cap = len;
			ng->blk = xrealloc(ng->blk, len);
		}
		if (read_full(ng, ng->blk + have, len - have) < 0) {
			*truncated = 1;
			snprintf(err, errlen, "file truncated inside a %u-byte block at byte %llu",
			    len, (unsigned long long)start);
			return -1;
		}
		rc = parse_block(ng, ng->blk, len, start, pkt, err, errlen);
		if (rc != 0)
			return rc;
	}
}
