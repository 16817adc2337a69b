/*
 * evidence-fmt.c — pcapng blocks and nanosecond pcap records as the evidence writer lays them
 * out (see evidence-fmt.h).  Host byte order throughout: the section's byte-order magic and
 * the pcap magic tell readers which order that is.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence-fmt.h"
#include "xalloc.h"

#define BT_SHB		0x0A0D0D0Au
#define BT_IDB		1u
#define BT_EPB		6u

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint32_t
pad4(size_t n)
{
	return ((uint32_t)n + 3) & ~3u;
}

int
evfmt_linktype(int dlt)
{
	/* The same number except the few DLTs whose values differ between systems. */
	switch (dlt) {
	case DLT_ATM_RFC1483:	return 100;
	case DLT_RAW:		return 101;
	case DLT_SLIP_BSDOS:	return 102;
	case DLT_PPP_BSDOS:	return 103;
#if defined(DLT_ATM_CLIP) && DLT_ATM_CLIP != 106
	case DLT_ATM_CLIP:	return 106;
#endif
	default:		return dlt;
	}
}

/* An option (code, length, value padded to 4 bytes); returns where the next one goes. */
static uint8_t *
put_opt(uint8_t *p, uint16_t code, const void *val, size_t len)
{
	put16(p, code);
	put16(p + 2, (uint16_t)len);
	memcpy(p + 4, val, len);
	memset(p + 4 + len, 0, pad4(len) - len);
	return p + 4 + pad4(len);
}

static const char *
userappl(void)
{
	return "iotscope " PACKAGE_VERSION;
}

size_t
evfmt_shb_size(const char *comment)
{
	size_t clen = comment != NULL ? strlen(comment) : 0;

	return 24 + (clen > 0 ? 4 + pad4(clen) : 0) + 4 + pad4(strlen(userappl())) + 4 + 4;
}

void
evfmt_shb(uint8_t *p, const char *comment)
{
	uint32_t len = (uint32_t)evfmt_shb_size(comment);
	uint64_t unknown = UINT64_MAX;		/* section length: not known */
	uint8_t *q;

	put32(p, BT_SHB);
	put32(p + 4, len);
	put32(p + 8, 0x1A2B3C4Du);
	put16(p + 12, 1);
	put16(p + 14, 0);
	memcpy(p + 16, &unknown, 8);
	q = p + 24;
	if (comment != NULL && comment[0] != '\0')
		q = put_opt(q, 1, comment, strlen(comment));
	q = put_opt(q, 4, userappl(), strlen(userappl()));
	put32(q, 0);				/* opt_endofopt */
	put32(q + 4, len);
}

void
evfmt_pcap_hdr(uint8_t *p, uint32_t snaplen, int dlt)
{
	put32(p, 0xa1b23c4du);
	put16(p + 4, 2);
	put16(p + 6, 4);
	put32(p + 8, 0);
	put32(p + 12, 0);
	put32(p + 16, snaplen);
	put32(p + 20, (uint32_t)evfmt_linktype(dlt));
}

size_t
evfmt_idb_size(const char *ifname)
{
	size_t n = ifname != NULL ? strnlen(ifname, EVFMT_IFNAME_MAX) : 0;

	return 16 + (n > 0 ? 4 + pad4(n) : 0) + 8 + 4 + 4;
}

void
evfmt_idb(uint8_t *p, int dlt, uint32_t snaplen, const char *ifname)
{
	uint32_t len = (uint32_t)evfmt_idb_size(ifname);
	size_t n = ifname != NULL ? strnlen(ifname, EVFMT_IFNAME_MAX) : 0;
	uint8_t resol = 9, *q;

	put32(p, BT_IDB);
	put32(p + 4, len);
	put16(p + 8, (uint16_t)evfmt_linktype(dlt));
	put16(p + 10, 0);
	put32(p + 12, snaplen);
	q = p + 16;
	if (n > 0)
		q = put_opt(q, 2, ifname, n);
	q = put_opt(q, 9, &resol, 1);
	put32(q, 0);
	put32(q + 4, len);
}

size_t
evfmt_rec_size(int pcap, uint32_t caplen)
{
	return pcap ? EVFMT_PCAP_REC + (size_t)caplen : EVFMT_EPB_HEAD + pad4(caplen) + 4;
}

size_t
evfmt_rec_head(uint8_t *p, int pcap, uint32_t ifid, int64_t ts_ns, uint32_t caplen,
    uint32_t wirelen)
{
	if (pcap) {
		int64_t sec = ts_ns >= 0 ? ts_ns / 1000000000 :
		    -((-ts_ns + 999999999) / 1000000000);
		put32(p, (uint32_t)sec);
		put32(p + 4, (uint32_t)(ts_ns - sec * 1000000000));
		put32(p + 8, caplen);
		put32(p + 12, wirelen);
		return EVFMT_PCAP_REC;
	}
	uint64_t ts = (uint64_t)ts_ns;
	put32(p, BT_EPB);
	put32(p + 4, (uint32_t)evfmt_rec_size(0, caplen));
	put32(p + 8, ifid);
	put32(p + 12, (uint32_t)(ts >> 32));
	put32(p + 16, (uint32_t)ts);
	put32(p + 20, caplen);
	put32(p + 24, wirelen);
	return EVFMT_EPB_HEAD;
}

size_t
evfmt_rec_tail(uint8_t p[8], int pcap, uint32_t caplen)
{
	size_t pad = pad4(caplen) - caplen;

	if (pcap)
		return 0;
	memset(p, 0, pad);
	put32(p + pad, (uint32_t)evfmt_rec_size(0, caplen));
	return pad + 4;
}

size_t
evfmt_block(const uint8_t *p, int pcap, int *is_pkt)
{
	*is_pkt = pcap || get32(p) == BT_EPB;
	return pcap ? EVFMT_PCAP_REC + (size_t)get32(p + 8) : get32(p + 4);
}

/* ---- the interface table --------------------------------------------------------------- */

static uint32_t
if_hash(uint32_t input, uint32_t ifidx, int lt)
{
	uint32_t h = input * 0x9E3779B1u ^ ifidx * 0x85EBCA77u ^ (uint32_t)lt * 0xC2B2AE3Du;

	return h ^ h >> 15;
}

static void
if_place(struct evfmt_ifs *t, uint32_t i)
{
	const struct evfmt_if *f = &t->v[i];
	uint32_t h = if_hash(f->input, f->ifidx, f->linktype) & (t->nslots - 1);

	while (t->slot[h] != 0)
		h = (h + 1) & (t->nslots - 1);
	t->slot[h] = i + 1;
}

static void
if_rehash(struct evfmt_ifs *t, uint32_t nslots)
{
	free(t->slot);
	t->slot = xcalloc(nslots, sizeof *t->slot);
	t->nslots = nslots;
	for (uint32_t i = 0; i < t->n; i++)
		if_place(t, i);
}

int64_t
evfmt_ifs_find(const struct evfmt_ifs *t, uint32_t input, uint32_t ifidx, int lt)
{
	if (t->nslots == 0)
		return -1;
	for (uint32_t h = if_hash(input, ifidx, lt) & (t->nslots - 1); t->slot[h] != 0;
	    h = (h + 1) & (t->nslots - 1)) {
		const struct evfmt_if *f = &t->v[t->slot[h] - 1];
		if (f->input == input && f->ifidx == ifidx && f->linktype == lt)
			return t->slot[h] - 1;
	}
	return -1;
}

uint32_t
evfmt_ifs_add(struct evfmt_ifs *t, uint32_t input, uint32_t ifidx, int lt, uint64_t off)
{
	if (t->n == t->cap) {
		t->cap = t->cap != 0 ? t->cap * 2 : 8;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	t->v[t->n] = (struct evfmt_if){ input, ifidx, lt, off };
	t->n++;
	if (t->n * 2 > t->nslots)
		if_rehash(t, t->nslots != 0 ? t->nslots * 2 : 32);
	else
		if_place(t, t->n - 1);
	return t->n - 1;
}

void
evfmt_ifs_cut(struct evfmt_ifs *t, uint64_t off)
{
	uint32_t n = t->n;

	while (n > 0 && t->v[n - 1].off >= off)
		n--;
	if (n != t->n) {
		t->n = n;
		if_rehash(t, t->nslots);
	}
}

void
evfmt_ifs_clear(struct evfmt_ifs *t)
{
	t->n = 0;
	if (t->nslots > 0)
		memset(t->slot, 0, t->nslots * sizeof *t->slot);
}

void
evfmt_ifs_fini(struct evfmt_ifs *t)
{
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}
