/*
 * frames.c — the frame builders, fixture values, frame under test, pcap writer and pipeline
 * fixture the frame-level tests share (see frames.h).  Deliberately plain: every field is
 * written where the RFC puts it, so a reader can check a test's bytes by eye.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis.h"
#include "dissect.h"
#include "frames.h"

const uint8_t fr_mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
const uint8_t fr_mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
const uint8_t fr_mac_c[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0c };
const uint8_t fr_mac_d[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0d };
const uint8_t fr_ip4_a[4] = { 192, 168, 1, 10 };
const uint8_t fr_ip4_b[4] = { 8, 8, 8, 8 };
const uint8_t fr_ip6_a[16] = { 0xfe, 0x80, [15] = 0x0a };
const uint8_t fr_ip6_b[16] = { 0x20, 0x01, 0x48, 0x60, [14] = 0x88, [15] = 0x88 };
const uint8_t fr_snap_ip4[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
const uint8_t fr_snap_ip6[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd };
const uint8_t fr_body[5] = { 'h', 'e', 'l', 'l', 'o' };

void
fb_init(struct fb *f, uint8_t *buf, size_t cap)
{
	f->buf = buf;
	f->cap = cap;
	f->len = 0;
	memset(buf, 0, cap);
}

size_t
fb_put(struct fb *f, const void *p, size_t n)
{
	size_t at = f->len;

	if (n > f->cap - f->len) {
		fprintf(stderr, "frames: buffer of %zu bytes too small\n", f->cap);
		abort();
	}
	if (p != NULL)
		memcpy(f->buf + at, p, n);
	else
		memset(f->buf + at, 0, n);
	f->len += n;
	return at;
}

void
fb_u8(struct fb *f, uint8_t v)
{
	fb_put(f, &v, 1);
}

void
fb_be16(struct fb *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	fb_put(f, b, 2);
}

void
fb_be32(struct fb *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	fb_put(f, b, 4);
}

void
fb_le16(struct fb *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	fb_put(f, b, 2);
}

void
fb_le32(struct fb *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	fb_put(f, b, 4);
}

void
fb_set_be16(struct fb *f, size_t off, uint16_t v)
{
	f->buf[off] = (uint8_t)(v >> 8);
	f->buf[off + 1] = (uint8_t)v;
}

size_t
fr_ether(struct fb *f, const uint8_t dst[6], const uint8_t src[6], const struct fr_tag *tags,
    int ntags, uint16_t type)
{
	size_t at = fb_put(f, dst, 6);

	fb_put(f, src, 6);
	for (int i = 0; i < ntags; i++) {
		fb_be16(f, tags[i].tpid);
		fb_be16(f, tags[i].tci);
	}
	fb_be16(f, type);
	return at;
}

uint16_t
fr_ip4_cksum(const uint8_t *hdr, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)hdr[i] << 8 | hdr[i + 1];
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t
fr_ip4(struct fb *f, const struct fr_ip4 *h)
{
	unsigned ihl = h->ihl != 0 ? h->ihl : 5 + (unsigned)(h->optlen / 4);
	unsigned version = h->version != 0 ? h->version : 4;
	size_t at = f->len;

	fb_u8(f, (uint8_t)(version << 4 | (ihl & 0x0f)));
	fb_u8(f, 0);			/* TOS */
	fb_be16(f, 0);			/* total length: fr_ip4_len */
	fb_be16(f, h->id);
	fb_be16(f, h->fragoff);
	fb_u8(f, 64);			/* TTL */
	fb_u8(f, h->proto);
	fb_be16(f, 0);			/* checksum: fr_ip4_len */
	fb_put(f, h->src, 4);
	fb_put(f, h->dst, 4);
	if (h->optlen > 0)
		fb_put(f, h->opts, h->optlen);
	fr_ip4_len(f, at, 0);
	return at;
}

void
fr_ip4_len(struct fb *f, size_t off, uint16_t total)
{
	size_t ihl = (size_t)(f->buf[off] & 0x0f) * 4;

	if (ihl < 20 || off + ihl > f->len)
		ihl = 20;
	fb_set_be16(f, off + 2, total);
	fb_set_be16(f, off + 10, 0);
	fb_set_be16(f, off + 10, fr_ip4_cksum(f->buf + off, ihl));
}

void
fr_ip4_done(struct fb *f, size_t off)
{
	fr_ip4_len(f, off, (uint16_t)(f->len - off));
}

size_t
fr_ip6(struct fb *f, const uint8_t src[16], const uint8_t dst[16], uint8_t nh)
{
	size_t at = f->len;

	fb_be32(f, 0x60000000u);
	fb_be16(f, 0);			/* payload length: fr_ip6_len */
	fb_u8(f, nh);
	fb_u8(f, 64);			/* hop limit */
	fb_put(f, src, 16);
	fb_put(f, dst, 16);
	return at;
}

void
fr_ip6_len(struct fb *f, size_t off, uint16_t plen)
{
	fb_set_be16(f, off + 4, plen);
}

void
fr_ip6_done(struct fb *f, size_t off)
{
	fr_ip6_len(f, off, (uint16_t)(f->len - off - 40));
}

void
fr_ip6_ext(struct fb *f, uint8_t type, uint8_t next, size_t len)
{
	size_t at = f->len;

	fb_u8(f, next);
	if (type == 51)
		fb_u8(f, (uint8_t)(len / 4 - 2));
	else
		fb_u8(f, (uint8_t)(len / 8 - 1));
	fb_put(f, NULL, len - 2);
	if (type == 0 || type == 60) {
		/* One PadN option covering the rest, as real stacks pad. */
		f->buf[at + 2] = 1;
		f->buf[at + 3] = (uint8_t)(len - 4);
	} else if (type == 43) {
		f->buf[at + 2] = 4;	/* routing type: segment routing */
	} else if (type == 51) {
		f->buf[at + 7] = 0x42;	/* SPI */
	}
}

void
fr_ip6_frag(struct fb *f, uint8_t next, uint16_t offset, int more, uint32_t id)
{
	fb_u8(f, next);
	fb_u8(f, 0);
	fb_be16(f, (uint16_t)(offset << 3 | (more ? 1 : 0)));
	fb_be32(f, id);
}

size_t
fr_tcp(struct fb *f, const struct fr_tcp *h)
{
	unsigned doff = h->doff != 0 ? h->doff : 5 + (unsigned)(h->optlen / 4);
	size_t at = f->len;

	fb_be16(f, h->sport);
	fb_be16(f, h->dport);
	fb_be32(f, h->seq);
	fb_be32(f, h->ack);
	fb_be16(f, (uint16_t)((doff & 0x0f) << 12 | h->flags));
	fb_be16(f, 65535);		/* window */
	fb_be16(f, 0);			/* checksum: not checked by the dissectors */
	fb_be16(f, 0);			/* urgent pointer */
	if (h->optlen > 0)
		fb_put(f, h->opts, h->optlen);
	return at;
}

size_t
fr_udp(struct fb *f, uint16_t sport, uint16_t dport)
{
	size_t at = f->len;

	fb_be16(f, sport);
	fb_be16(f, dport);
	fb_be16(f, 0);
	fb_be16(f, 0);
	return at;
}

void
fr_udp_len(struct fb *f, size_t off, uint16_t len)
{
	fb_set_be16(f, off + 4, len);
}

void
fr_udp_done(struct fb *f, size_t off)
{
	fr_udp_len(f, off, (uint16_t)(f->len - off));
}

void
fr_udp4(struct fb *f, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
    uint16_t dport, const void *data, size_t n)
{
	struct fr_ip4 h = { .proto = 17 };

	memcpy(h.src, src, 4);
	memcpy(h.dst, dst, 4);
	size_t ip = fr_ip4(f, &h);
	size_t u = fr_udp(f, sport, dport);
	fb_put(f, data, n);
	fr_udp_done(f, u);
	fr_ip4_done(f, ip);
}

void
fr_ip4_udp(struct fb *f)
{
	fr_udp4(f, fr_ip4_a, fr_ip4_b, 40000, 53, fr_body, sizeof fr_body);
}

void
fr_ip6_udp(struct fb *f)
{
	size_t ip = fr_ip6(f, fr_ip6_a, fr_ip6_b, 17);
	size_t u = fr_udp(f, 40000, 53);

	fb_put(f, fr_body, sizeof fr_body);
	fr_udp_done(f, u);
	fr_ip6_done(f, ip);
}

void
fr_sll(struct fb *f, uint16_t pkttype, uint16_t hatype, uint16_t halen, const uint8_t *addr,
    uint16_t proto)
{
	uint8_t a8[8] = { 0 };

	if (addr != NULL)
		memcpy(a8, addr, 6);
	fb_be16(f, pkttype);
	fb_be16(f, hatype);
	fb_be16(f, halen);
	fb_put(f, a8, 8);
	fb_be16(f, proto);
}

void
fr_sll2(struct fb *f, uint16_t proto, uint32_t ifindex, uint16_t hatype, uint8_t pkttype,
    uint8_t halen, const uint8_t *addr)
{
	uint8_t a8[8] = { 0 };

	if (addr != NULL)
		memcpy(a8, addr, 6);
	fb_be16(f, proto);
	fb_be16(f, 0);				/* reserved */
	fb_be32(f, ifindex);
	fb_be16(f, hatype);
	fb_u8(f, pkttype);
	fb_u8(f, halen);
	fb_put(f, a8, 8);
}

void
fr_cap(struct cap_pkt *c, int dlt, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
    int64_t ts_ns)
{
	memset(c, 0, sizeof *c);
	c->ts_ns = ts_ns;
	c->caplen = caplen;
	c->wirelen = wirelen;
	c->linktype = dlt;
	c->num = 1;
	c->data = data;
}

void
fr_frame_begin(struct fr_frame *t)
{
	fb_init(&t->fb, t->buf, sizeof t->buf);
}

void
fr_frame_run(struct fr_frame *t, int dlt)
{
	fr_frame_cut(t, dlt, (uint32_t)t->fb.len);
}

void
fr_frame_cut(struct fr_frame *t, int dlt, uint32_t caplen)
{
	fr_cap(&t->cap, dlt, t->buf, caplen, (uint32_t)t->fb.len, 1000);
	dissect_packet(&t->pkt, &t->cap);
}

void
fr_check_udp(const struct pkt *p, int ipver)
{
	struct addr a, b;

	if (ipver == 4) {
		addr_from_v4(&a, fr_ip4_a);
		addr_from_v4(&b, fr_ip4_b);
	} else {
		addr_from_v6(&a, fr_ip6_a);
		addr_from_v6(&b, fr_ip6_b);
	}
	assert_int_equal(p->what, LW_IP);
	assert_int_equal(p->ipver, ipver);
	assert_memory_equal(&p->src, &a, sizeof a);
	assert_memory_equal(&p->dst, &b, sizeof b);
	assert_int_equal(p->proto, 17);
	assert_int_equal(p->has_ports, 1);
	assert_int_equal(p->sport, 40000);
	assert_int_equal(p->dport, 53);
	assert_int_equal(p->payload_len, sizeof fr_body);
	assert_int_equal(rd_left(&p->payload), sizeof fr_body);
	assert_memory_equal(p->payload.p, fr_body, sizeof fr_body);
	assert_int_equal(p->trunc_layer, 0);
	assert_int_equal(p->bad_layer, 0);
}

static void
put_le32(FILE *fp, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	fwrite(b, 1, 4, fp);
}

FILE *
fr_pcap_open(const char *path, int dlt)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		return NULL;
	put_le32(fp, 0xa1b2c3d4u);
	put_le32(fp, 2 | 4u << 16);		/* version 2.4 */
	put_le32(fp, 0);			/* thiszone */
	put_le32(fp, 0);			/* sigfigs */
	put_le32(fp, 262144);			/* snaplen */
	put_le32(fp, (uint32_t)dlt);
	return fp;
}

void
fr_pcap_write(FILE *fp, int64_t ts_us, const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	put_le32(fp, (uint32_t)(ts_us / 1000000));
	put_le32(fp, (uint32_t)(ts_us % 1000000));
	put_le32(fp, caplen);
	put_le32(fp, wirelen);
	fwrite(data, 1, caplen, fp);
}

char *
fr_tmpdir(char *buf, size_t len)
{
	const char *base = getenv("TMPDIR");

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	snprintf(buf, len, "%s/iotscope-unit-XXXXXX", base);
	return mkdtemp(buf);
}

void
fr_tmpdir_rm(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

int
fr_run_setup(void **state)
{
	struct fr_run *r = calloc(1, sizeof *r);

	if (r == NULL || fr_tmpdir(r->dir, sizeof r->dir) == NULL) {
		free(r);
		return -1;
	}
	*state = r;
	return 0;
}

int
fr_run_teardown(void **state)
{
	struct fr_run *r = *state;

	if (r->fp != NULL)
		fclose(r->fp);
	analysis_free(r->a);
	fr_tmpdir_rm(r->dir);
	free(r);
	return 0;
}

void
fr_run_open(struct fr_run *r, int dlt)
{
	analysis_free(r->a);
	r->a = NULL;
	snprintf(r->path, sizeof r->path, "%s/cap.pcap", r->dir);
	r->fp = fr_pcap_open(r->path, dlt);
	assert_non_null(r->fp);
}

void
fr_run_analyse(struct fr_run *r, unsigned budget)
{
	const struct analysis_opts opts = { .oui_path = "/nonexistent" };
	char err[256];

	fclose(r->fp);
	r->fp = NULL;
	r->a = analysis_new(&opts);
	assert_int_equal(analysis_add_file(r->a, r->path, err, sizeof err), 0);
	while (analysis_step(r->a, budget) != 0)
		;
}
