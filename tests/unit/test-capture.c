/*
 * test-capture.c — capture inputs as capture.h promises them: pcapng with interfaces of
 * different link types in either byte order (and both orders in one file), gzip, a file cut
 * inside a record, files that are not captures, and two files merged into one timeline.  Every
 * file is written here, byte by byte, into a temporary directory.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "bytesrc.h"
#include "capture.h"
#include "pcapng.h"
#include "warn.h"

/* A test's directory and captures; the teardown removes both, even after a failure. */
struct tmp {
	char		 dir[256];
	char		 path[600];
	struct capture	*c[4];
	int		 nc;
};

/* What the captures of one test warned about (capture_new() needs a list). */
static struct warnlist warns;

static int
tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	const char *base = getenv("TMPDIR");

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "%s/iotscope-capture-XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	warn_init(&warns);
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;
	DIR *d = opendir(t->dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(t->path, sizeof t->path, "%s/%s", t->dir, e->d_name);
		unlink(t->path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(t->dir);
	for (int i = 0; i < t->nc; i++)
		capture_free(t->c[i]);
	free(t);
	warn_fini(&warns);
	return 0;
}

static struct capture *
tmp_capture(struct tmp *t)
{
	assert_true(t->nc < 4);
	return t->c[t->nc++] = capture_new(&warns);
}

static const char *
tmp_file(struct tmp *t, const char *name)
{
	snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
	return t->path;
}

/* A growing byte image of a capture file, in either byte order. */
struct img {
	uint8_t		 b[4096];
	size_t		 n;
	int		 big;
};

static void
img_put(struct img *m, const void *p, size_t n)
{
	assert_true(m->n + n <= sizeof m->b);
	if (n > 0)
		memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
img_u16(struct img *m, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(m->big ? v >> 8 : v), (uint8_t)(m->big ? v : v >> 8) };
	img_put(m, b, 2);
}

static void
img_u32(struct img *m, uint32_t v)
{
	if (m->big) {
		img_u16(m, (uint16_t)(v >> 16));
		img_u16(m, (uint16_t)v);
	} else {
		img_u16(m, (uint16_t)v);
		img_u16(m, (uint16_t)(v >> 16));
	}
}

static void
img_save(const struct img *m, const char *path, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(m->b, 1, n, fp), n);
	fclose(fp);
}

static void
ng_option(struct img *m, uint16_t code, const void *p, uint16_t len)
{
	static const uint8_t pad[3];

	img_u16(m, code);
	img_u16(m, len);
	img_put(m, p, len);
	img_put(m, pad, (4 - len % 4) % 4);
}

/* Opens a block; ng_end writes its length at both ends. */
static size_t
ng_begin(struct img *m, uint32_t type)
{
	size_t at = m->n;

	img_u32(m, type);
	img_u32(m, 0);
	return at;
}

static void
ng_end(struct img *m, size_t at)
{
	uint32_t len = (uint32_t)(m->n - at + 4);
	size_t save = m->n;

	img_u32(m, len);
	m->n = at + 4;
	img_u32(m, len);
	m->n = save + 4;
}

static void
ng_section(struct img *m, int big)
{
	m->big = big;
	size_t at = ng_begin(m, 0x0a0d0d0a);
	img_u32(m, 0x1a2b3c4d);
	img_u16(m, 1);
	img_u16(m, 0);
	img_u32(m, 0xffffffff);			/* section length unknown */
	img_u32(m, 0xffffffff);
	ng_option(m, 1, "written by test-capt", 20);
	ng_option(m, 0, NULL, 0);
	ng_end(m, at);
}

/* An interface with if_tsresol tsresol (9: nanoseconds, 0x8a: 2^-10 s). */
static void
ng_idb(struct img *m, uint16_t linktype, uint8_t tsresol)
{
	size_t at = ng_begin(m, 1);

	img_u16(m, linktype);
	img_u16(m, 0);
	img_u32(m, 65535);
	ng_option(m, 1, "an interface", 12);
	ng_option(m, 9, &tsresol, 1);
	ng_option(m, 0, NULL, 0);
	ng_end(m, at);
}

static size_t
ng_epb(struct img *m, uint32_t ifidx, uint64_t ts_ns, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen)
{
	static const uint8_t pad[3];
	size_t at = ng_begin(m, 6);

	img_u32(m, ifidx);
	img_u32(m, (uint32_t)(ts_ns >> 32));
	img_u32(m, (uint32_t)ts_ns);
	img_u32(m, caplen);
	img_u32(m, wirelen);
	img_put(m, data, caplen);
	img_put(m, pad, (4 - caplen % 4) % 4);
	ng_option(m, 1, "pkt", 3);
	ng_option(m, 0, NULL, 0);
	ng_end(m, at);
	return at;
}

static const uint8_t eth_frame[20] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
    0x88, 0xb5, 'l', 'o', 'c', 'a', 'l', '!' };
static const uint8_t raw_frame[24] = { 0x45, 0, 0, 24, 0, 0, 0, 0, 64, 253, 0, 0,
    10, 0, 0, 1, 10, 0, 0, 2, 't', 'e', 's', 't' };

static void
expect_pkt(struct capture *c, int dlt, int64_t ts, const uint8_t *data, uint32_t len,
    uint64_t offset)
{
	struct cap_pkt p;

	if (capture_next(c, &p) != 1) {
		for (size_t i = 0; i < warns.n; i++)
			print_message("warning: %s\n", warns.v[i].msg);
		fail_msg("no packet of link type %d at %lld", dlt, (long long)ts);
	}
	assert_int_equal(p.linktype, dlt);
	assert_int_equal(p.ts_ns, ts);
	assert_int_equal(p.caplen, len);
	assert_true(p.wirelen >= len);
	assert_memory_equal(p.data, data, len);
	if (offset != UINT64_MAX)
		assert_int_equal(p.offset, offset);
}

/*
 * Two interfaces of different link types: libpcap 1.10 refuses the second one, and the capture
 * re-reads the file with its own pcapng reader from there on.
 */
static void
mixed_linktypes(struct tmp *t, int big)
{
	const int64_t ts = 1700000000123456789;
	struct img m = { .n = 0 };
	struct cap_pkt p;
	struct cap_input_info info;
	char err[256];

	ng_section(&m, big);
	ng_idb(&m, 1, 9);
	size_t e0 = ng_epb(&m, 0, (uint64_t)ts, eth_frame, 20, 60);
	ng_idb(&m, 101, 9);
	size_t e1 = ng_epb(&m, 1, (uint64_t)ts + 1, raw_frame, 24, 24);
	size_t e2 = ng_epb(&m, 0, (uint64_t)ts + 2, eth_frame, 14, 20);
	img_save(&m, tmp_file(t, big ? "be.pcapng" : "le.pcapng"), m.n);

	struct capture *c = tmp_capture(t);
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), 0);
	expect_pkt(c, 1, ts, eth_frame, 20, e0);
	expect_pkt(c, 12, ts + 1, raw_frame, 24, e1);	/* LINKTYPE_RAW is DLT_RAW */
	expect_pkt(c, 1, ts + 2, eth_frame, 14, e2);
	assert_int_equal(capture_next(c, &p), 0);
	capture_input_info(c, 0, &info);
	assert_string_equal(info.format, "pcapng");
	assert_int_equal(info.packets, 3);
	assert_null(info.error);
}

static void
test_pcapng_mixed_linktypes_le(void **state)
{
	mixed_linktypes(*state, 0);
}

static void
test_pcapng_mixed_linktypes_be(void **state)
{
	mixed_linktypes(*state, 1);
}

/* One file, a little-endian section and then a big-endian one. */
static void
test_pcapng_two_sections(void **state)
{
	struct tmp *t = *state;
	struct img m = { .n = 0 };
	char err[256];

	ng_section(&m, 0);
	ng_idb(&m, 1, 9);
	ng_epb(&m, 0, 1000, eth_frame, 20, 20);
	ng_section(&m, 1);
	ng_idb(&m, 101, 9);
	ng_epb(&m, 0, 2000, raw_frame, 24, 24);
	img_save(&m, tmp_file(t, "sections.pcapng"), m.n);

	struct capture *c = tmp_capture(t);
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), 0);
	expect_pkt(c, 1, 1000, eth_frame, 20, UINT64_MAX);
	struct cap_pkt p;
	int more = capture_next(c, &p);
	for (size_t i = 0; i < warns.n; i++)
		print_message("warning: %s\n", warns.v[i].msg);
	assert_int_equal(more, 1);
	assert_int_equal(p.linktype, 12);
	assert_int_equal(p.ts_ns, 2000);
	assert_memory_equal(p.data, raw_frame, 24);
}

/*
 * The pcapng reader on its own, in both byte orders: interfaces, LINKTYPE_ values as stored,
 * timestamp units (ns, µs by default, binary fractions), block offsets, and blocks it skips.
 */
static void
test_pcapng_reader(void **state)
{
	struct tmp *t = *state;
	struct pcapng_pkt p;
	char err[256];
	int trunc;

	for (int big = 0; big <= 1; big++) {
		struct img m = { .n = 0 };
		ng_section(&m, big);
		ng_idb(&m, 1, 9);
		ng_idb(&m, 101, 0x8a);			/* 1/1024 s */
		size_t at = ng_begin(&m, 5);		/* interface statistics: skipped */
		img_u32(&m, 0);
		ng_end(&m, at);
		size_t e0 = ng_epb(&m, 1, 3 * 1024 + 512, raw_frame, 24, 40);
		size_t e1 = ng_epb(&m, 0, 42, eth_frame, 20, 20);
		img_save(&m, tmp_file(t, "reader.pcapng"), m.n);

		struct bytesrc *src = bytesrc_open(t->path, err, sizeof err);
		assert_non_null(src);
		struct pcapng *ng = pcapng_new(src);
		int rc = pcapng_next(ng, &p, &trunc, err, sizeof err);
		if (rc != 1) {
			pcapng_free(ng);
			bytesrc_free(src);
			fail_msg("%s-endian: pcapng_next %d: %s", big ? "big" : "little", rc,
			    rc < 0 ? err : "end of file");
		}
		assert_int_equal(pcapng_ninterfaces(ng), 2);
		assert_int_equal(pcapng_linktype(ng, 1), 101);
		assert_int_equal(pcapng_linktype(ng, 2), -1);
		assert_int_equal(p.ifidx, 1);
		assert_int_equal(p.linktype, 101);
		assert_int_equal(p.ts_ns, INT64_C(3500000000));
		assert_int_equal(p.caplen, 24);
		assert_int_equal(p.wirelen, 40);
		assert_int_equal(p.offset, e0);
		assert_memory_equal(p.data, raw_frame, 24);
		assert_int_equal(pcapng_next(ng, &p, &trunc, err, sizeof err), 1);
		assert_int_equal(p.ts_ns, 42);
		assert_int_equal(p.offset, e1);
		assert_int_equal(pcapng_next(ng, &p, &trunc, err, sizeof err), 0);
		pcapng_free(ng);
		bytesrc_free(src);
	}
}

static void
test_bytesrc(void **state)
{
	struct tmp *t = *state;
	uint8_t data[3000], got[3000], peek[8];
	char err[256];

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + i / 256);
	struct img m = { .n = 0 };
	img_put(&m, data, sizeof data);
	img_save(&m, tmp_file(t, "bytes"), m.n);
	struct bytesrc *s = bytesrc_open(t->path, err, sizeof err);
	assert_non_null(s);
	assert_false(bytesrc_is_gzip(s));
	assert_true(bytesrc_is_seekable(s));
	assert_int_equal(bytesrc_raw_size(s), sizeof data);
	assert_int_equal(bytesrc_peek(s, peek, 8), 8);		/* peeking consumes nothing */
	assert_memory_equal(peek, data, 8);
	assert_int_equal(bytesrc_pos(s), 0);
	assert_int_equal(bytesrc_read(s, got, 5), 5);
	assert_int_equal(bytesrc_read(s, got + 5, sizeof got), sizeof data - 5);
	assert_memory_equal(got, data, sizeof data);
	assert_int_equal(bytesrc_pos(s), sizeof data);
	assert_int_equal(bytesrc_read(s, got, 1), 0);
	assert_int_equal(bytesrc_rewind(s), 0);
	assert_int_equal(bytesrc_read(s, got, 3), 3);
	assert_memory_equal(got, data, 3);
	bytesrc_free(s);

	/* The same bytes gzipped; then the gzip file cut in half. */
	gzFile gz = gzopen(tmp_file(t, "bytes.gz"), "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, data, sizeof data), (int)sizeof data);
	gzclose(gz);
	s = bytesrc_open(t->path, err, sizeof err);
	assert_true(bytesrc_is_gzip(s));
	assert_int_equal(bytesrc_read(s, got, sizeof got), sizeof data);
	assert_memory_equal(got, data, sizeof data);
	assert_int_equal(bytesrc_read(s, got, 1), 0);
	assert_null(bytesrc_error(s));
	FILE *fp = fopen(t->path, "rb");
	assert_non_null(fp);
	m.n = fread(m.b, 1, sizeof m.b, fp);
	fclose(fp);
	bytesrc_free(s);
	img_save(&m, tmp_file(t, "cut.gz"), m.n / 2);
	s = bytesrc_open(t->path, err, sizeof err);
	ssize_t n;
	while ((n = bytesrc_read(s, got, sizeof got)) > 0)
		;
	assert_int_equal(n, -1);
	assert_non_null(bytesrc_error(s));
	assert_non_null(strstr(bytesrc_error(s), "truncated"));
	bytesrc_free(s);

	assert_null(bytesrc_open(tmp_file(t, "none"), err, sizeof err));
	assert_non_null(strstr(err, "none"));
	assert_null(bytesrc_open(t->dir, err, sizeof err));
	assert_non_null(strstr(err, "directory"));
}

static void
pcap_image(struct img *m, int n, uint32_t len, int64_t first_us, int64_t step_us)
{
	uint8_t data[256];

	m->n = 0;
	m->big = 0;
	img_u32(m, 0xa1b2c3d4);
	img_u16(m, 2);
	img_u16(m, 4);
	img_u32(m, 0);
	img_u32(m, 0);
	img_u32(m, 65535);
	img_u32(m, 1);
	for (int i = 0; i < n; i++) {
		int64_t us = first_us + i * step_us;
		memset(data, 'a' + i, sizeof data);
		img_u32(m, (uint32_t)(us / 1000000));
		img_u32(m, (uint32_t)(us % 1000000));
		img_u32(m, len);
		img_u32(m, len + 4);
		img_put(m, data, len);
	}
}

static void
test_gzip_same_packets(void **state)
{
	struct tmp *t = *state;
	struct img m;
	char plain[600], err[256];
	struct cap_pkt p, q;

	pcap_image(&m, 5, 100, 1000000, 250);
	img_save(&m, tmp_file(t, "plain.pcap"), m.n);
	snprintf(plain, sizeof plain, "%s", t->path);
	gzFile gz = gzopen(tmp_file(t, "packed.pcap.gz"), "wb9");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, m.b, (unsigned)m.n), (int)m.n);
	assert_int_equal(gzclose(gz), Z_OK);

	struct capture *a = tmp_capture(t), *b = tmp_capture(t);
	assert_int_equal(capture_add_file(a, plain, err, sizeof err), 0);
	assert_int_equal(capture_add_file(b, t->path, err, sizeof err), 0);
	int n = 0;
	while (capture_next(a, &p)) {
		assert_int_equal(capture_next(b, &q), 1);
		assert_int_equal(p.ts_ns, q.ts_ns);
		assert_int_equal(p.ts_ns, (1000000 + n * 250) * INT64_C(1000));
		assert_int_equal(p.caplen, q.caplen);
		assert_int_equal(p.wirelen, 104);
		assert_int_equal(p.wirelen, q.wirelen);
		assert_int_equal(p.offset, q.offset);
		assert_int_equal(p.offset, 24 + (uint64_t)n * 116);
		assert_memory_equal(p.data, q.data, p.caplen);
		n++;
	}
	assert_int_equal(n, 5);
	assert_int_equal(capture_next(b, &q), 0);
	struct cap_input_info ia, ib;
	capture_input_info(a, 0, &ia);
	capture_input_info(b, 0, &ib);
	assert_int_equal(ia.gzip, 0);
	assert_int_equal(ib.gzip, 1);
	assert_string_equal(ib.format, "pcap");
	assert_int_equal(ia.bytes, ib.bytes);
}

static int
has_warning(const struct warnlist *w, const char *needle)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->v[i].msg, needle) != NULL)
			return 1;
	return 0;
}

/* Cut inside the third record's data, then inside its header: two packets and the offset. */
static void
test_truncated_pcap(void **state)
{
	struct tmp *t = *state;
	struct img m;
	struct cap_pkt p;
	struct cap_input_info info;
	char err[256], want[64];
	const size_t third = 24 + 2 * (16 + 60);

	pcap_image(&m, 3, 60, 5000000, 1);
	for (int in_header = 0; in_header <= 1; in_header++) {
		img_save(&m, tmp_file(t, "cut.pcap"), third + (in_header ? 9 : 16 + 30));
		warn_fini(&warns);
		struct capture *c = tmp_capture(t);
		assert_int_equal(capture_add_file(c, t->path, err, sizeof err), 0);
		assert_int_equal(capture_next(c, &p), 1);
		assert_int_equal(capture_next(c, &p), 1);
		assert_int_equal(p.offset, 24 + 76);
		assert_int_equal(capture_next(c, &p), 0);
		capture_input_info(c, 0, &info);
		assert_int_equal(info.packets, 2);
		assert_int_equal(info.truncated, 1);
		assert_int_equal(info.stop_offset, third);
		snprintf(want, sizeof want, "truncated at byte %zu ", third);
		if (!has_warning(&warns, want))
			fail_msg("no warning with \"%s\" (%zu warnings, first: %s)", want, warns.n,
			    warns.n > 0 ? warns.v[0].msg : "none");
	}
}

/*
 * The same for pcapng read by our own reader (mixed link types): the cut block's start is where
 * the analysis stopped, as it is for pcap records read by libpcap.
 */
static void
test_truncated_pcapng(void **state)
{
	struct tmp *t = *state;
	struct img m = { .n = 0 };
	struct cap_pkt p;
	struct cap_input_info info;
	char err[256], want[64];

	ng_section(&m, 0);
	ng_idb(&m, 1, 9);
	ng_epb(&m, 0, 1, eth_frame, 20, 20);
	ng_idb(&m, 101, 9);
	ng_epb(&m, 1, 2, raw_frame, 24, 24);
	size_t cut = ng_epb(&m, 0, 3, eth_frame, 20, 20);
	img_save(&m, tmp_file(t, "cut.pcapng"), cut + 30);
	struct capture *c = tmp_capture(t);
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), 0);
	assert_int_equal(capture_next(c, &p), 1);
	assert_int_equal(capture_next(c, &p), 1);
	assert_int_equal(capture_next(c, &p), 0);
	capture_input_info(c, 0, &info);
	assert_int_equal(info.packets, 2);
	assert_int_equal(info.truncated, 1);
	snprintf(want, sizeof want, "truncated at byte %zu ", cut);
	if (!has_warning(&warns, want))
		fail_msg("no warning with \"%s\" (first: %s)", want,
		    warns.n > 0 ? warns.v[0].msg : "none");
	assert_int_equal(info.stop_offset, cut);
}

static void
test_bad_files(void **state)
{
	struct tmp *t = *state;
	struct img m = { .n = 0 };
	char err[256];
	struct capture *c = tmp_capture(t);

	img_save(&m, tmp_file(t, "empty.pcap"), 0);
	err[0] = '\0';
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), -1);
	assert_non_null(strstr(err, "empty"));
	assert_non_null(strstr(err, "empty.pcap"));
	assert_null(strchr(err, '\n'));

	img_put(&m, "hello, this is text\n", 20);
	img_save(&m, tmp_file(t, "notes.txt"), m.n);
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a pcap or pcapng capture"));
	assert_null(strchr(err, '\n'));

	assert_int_equal(capture_add_file(c, tmp_file(t, "missing.pcap"), err, sizeof err), -1);
	assert_non_null(strstr(err, "missing.pcap"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(capture_ninputs(c), 0);
}

static void
test_two_files_merged(void **state)
{
	struct tmp *t = *state;
	struct img m;
	char err[256];
	struct cap_pkt p;
	struct capture *c = tmp_capture(t);

	pcap_image(&m, 3, 10, 1, 20);		/* 1, 21, 41 µs */
	img_save(&m, tmp_file(t, "a.pcap"), m.n);
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), 0);
	pcap_image(&m, 3, 10, 11, 20);		/* 11, 31, 51 µs */
	img_save(&m, tmp_file(t, "b.pcap"), m.n);
	assert_int_equal(capture_add_file(c, t->path, err, sizeof err), 0);
	assert_int_equal(capture_ninputs(c), 2);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(capture_next(c, &p), 1);
		assert_int_equal(p.ts_ns, (1 + 10 * i) * 1000);
		assert_int_equal(p.input, i % 2);
		assert_int_equal(p.num, i + 1);
		assert_int_equal(p.offset, 24 + (uint64_t)(i / 2) * 26);
		assert_int_equal(p.data[0], 'a' + i / 2);
	}
	assert_int_equal(capture_next(c, &p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pcapng_mixed_linktypes_le, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_mixed_linktypes_be, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_two_sections, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_reader, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_bytesrc, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_gzip_same_packets, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_truncated_pcap, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_truncated_pcapng, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_two_files_merged, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
