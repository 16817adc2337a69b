/*
 * test-evidence.c — the evidence writer as evidence.h promises it: every packet back byte for
 * byte with its nanosecond time (pcapng through our own reader, which takes mixed link types,
 * and through libpcap; pcap through libpcap), tcpdump's file names for -C, -G and -W, standard
 * output, the spool read back with reread_packet(), and write errors that are counted while
 * the file stays a valid capture.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bytesrc.h"
#include "capture.h"
#include "evidence.h"
#include "pcapng.h"
#include "reread.h"

#define T0	1700000000LL		/* 2023-11-14 22:13:20 UTC */
#define NS	1000000000LL
#define MAXPK	400

/* A test's directory; the teardown empties and removes it. */
struct tmp {
	char	 dir[256];
	char	 path[600];
};

static int
tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	const char *base = getenv("TMPDIR");

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "%s/iotscope-evidence-XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	setenv("TZ", "UTC", 1);
	tzset();
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;
	DIR *d = opendir(t->dir);
	struct dirent *e;
	char p[600];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
		unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(t->dir);
	free(t);
	return 0;
}

static const char *
tmp_file(struct tmp *t, const char *name)
{
	snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
	return t->path;
}

/* The names in the test's directory, sorted, joined by spaces. */
static const char *
tmp_list(struct tmp *t)
{
	static char out[4096];
	struct dirent **ents;
	int n = scandir(t->dir, &ents, NULL, alphasort);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			if (out[0] != '\0')
				strcat(out, " ");
			strcat(out, ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
	return out;
}

/* Test packets: packet i has its own length, time and bytes. */
static uint8_t pkt_bytes[MAXPK][1600];

static struct cap_pkt
mkpkt(int i, int dlt, uint32_t input, uint32_t ifidx, int64_t ts_ns)
{
	static const uint32_t lens[] = { 60, 1, 2, 3, 4, 5, 1514, 98, 342, 77 };
	struct cap_pkt p = { 0 };

	p.caplen = lens[i % 10];
	p.wirelen = i % 7 == 3 ? p.caplen + 100 : p.caplen;
	p.ts_ns = ts_ns;
	p.linktype = dlt;
	p.input = input;
	p.ifidx = ifidx;
	for (uint32_t j = 0; j < p.caplen; j++)
		pkt_bytes[i][j] = (uint8_t)(i * 31 + j * 7 + 1);
	p.data = pkt_bytes[i];
	return p;
}

/* What a file gave back. */
struct got {
	int64_t		 ts_ns;
	uint32_t	 caplen, wirelen, ifidx;
	int		 linktype;
	uint8_t		 data[1600];
};
static struct got got[MAXPK];

/* Reads a pcapng file with our own reader; returns the packet count, asserting a clean end. */
static int
read_ng(const char *path, int first)
{
	char err[256];
	struct bytesrc *src = bytesrc_open(path, err, sizeof err);
	struct pcapng_pkt np;
	int n = first, trunc, r;

	assert_non_null(src);
	struct pcapng *ng = pcapng_new(src);
	while ((r = pcapng_next(ng, &np, &trunc, err, sizeof err)) == 1) {
		assert_true(n < MAXPK);
		got[n].ts_ns = np.ts_ns;
		got[n].caplen = np.caplen;
		got[n].wirelen = np.wirelen;
		got[n].ifidx = np.ifidx;
		got[n].linktype = np.linktype;
		memcpy(got[n].data, np.data, np.caplen);
		n++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(trunc, 0);
	pcapng_free(ng);
	bytesrc_free(src);
	return n - first;
}

/* Reads a file with libpcap at nanosecond precision; returns the count. */
static int
read_pcap(const char *path, int first, int *dlt)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, eb);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = first, r;

	if (pc == NULL)
		fail_msg("%s: %s", path, eb);
	if (dlt != NULL)
		*dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		assert_true(n < MAXPK);
		got[n].ts_ns = (int64_t)h->ts.tv_sec * NS + h->ts.tv_usec;
		got[n].caplen = h->caplen;
		got[n].wirelen = h->len;
		memcpy(got[n].data, d, h->caplen);
		n++;
	}
	assert_int_equal(r, PCAP_ERROR_BREAK);
	pcap_close(pc);
	return n - first;
}

static void
assert_same(int i, const struct cap_pkt *p)
{
	assert_int_equal(got[i].ts_ns, p->ts_ns);
	assert_int_equal(got[i].caplen, p->caplen);
	assert_int_equal(got[i].wirelen, p->wirelen);
	assert_memory_equal(got[i].data, p->data, p->caplen);
}

static struct evidence *
open_ok(const struct evidence_opts *o)
{
	char err[512];
	struct evidence *ev = evidence_open(o, err, sizeof err);

	if (ev == NULL)
		fail_msg("evidence_open: %s", err);
	return ev;
}

static void
close_ok(struct evidence *ev)
{
	char err[512] = "";

	if (evidence_close(ev, err, sizeof err) != 0)
		fail_msg("evidence_close: %s", err);
}

static size_t
file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/* Whether needle occurs in the file's bytes. */
static int
file_has(const char *path, const void *needle, size_t n)
{
	static uint8_t b[1 << 16];
	FILE *fp = fopen(path, "rb");
	size_t len;

	assert_non_null(fp);
	len = fread(b, 1, sizeof b, fp);
	fclose(fp);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return 1;
	return 0;
}

/* ---- pcapng and pcap ------------------------------------------------------------------- */

static void
test_pcapng_mixed(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "ev.pcapng"), .snaplen = 65535,
	    .comment = "case 17" };
	struct evidence *ev = open_ok(&o);
	struct cap_pkt p[30];
	uint64_t off[30];
	/* (input, ifidx, DLT): the interface id each gets is the order of first appearance. */
	static const struct { uint32_t in, ifx; int dlt; const char *name; uint32_t id; } src[3] = {
		{ 0, 0, DLT_EN10MB, "eth0", 0 }, { 1, 0, DLT_RAW, NULL, 1 },
		{ 0, 1, DLT_IEEE802_11_RADIO, "wlan0mon", 2 },
	};

	for (int i = 0; i < 30; i++) {
		int s = i < 3 ? i : (i * 5) % 3;
		p[i] = mkpkt(i, src[s].dlt, src[s].in, src[s].ifx, T0 * NS + i * 123456789LL + 7);
		assert_int_equal(evidence_write(ev, &p[i], src[s].name, &off[i]), 0);
	}
	assert_int_equal(evidence_packets(ev), 30);
	assert_int_equal(evidence_failed(ev), 0);
	assert_int_equal(evidence_files(ev), 1);
	assert_string_equal(evidence_path(ev), t->path);
	uint64_t bytes = evidence_bytes(ev);
	close_ok(ev);
	assert_int_equal(file_size(t->path), bytes);

	assert_int_equal(read_ng(t->path, 0), 30);
	for (int i = 0; i < 30; i++) {
		int s = i < 3 ? i : (i * 5) % 3;
		assert_same(i, &p[i]);
		assert_int_equal(got[i].ifidx, src[s].id);
		assert_int_equal(got[i].linktype, src[s].dlt == DLT_RAW ? 101 : src[s].dlt);
	}
	/* The options, in host order: shb_userappl, shb_comment, if_name, if_tsresol 9. */
	char app[64];
	snprintf(app, sizeof app, "iotscope %s", PACKAGE_VERSION);
	assert_true(file_has(t->path, app, strlen(app)));
	assert_true(file_has(t->path, "case 17", 7));
	assert_true(file_has(t->path, "\x02\x00\x04\x00" "eth0", 8));
	assert_true(file_has(t->path, "\x02\x00\x08\x00" "wlan0mon", 12));
	assert_true(file_has(t->path, "\x09\x00\x01\x00\x09\x00\x00\x00", 8));

	/* Each offset is the packet's block: reread.c reads the packet back from it. */
	struct reread_src rs = { .fd = open(t->path, O_RDONLY), .is_pcapng = 1 };
	uint8_t *buf = NULL;
	size_t cap = 0;
	uint32_t cl, wl;
	char err[256];
	assert_true(rs.fd >= 0);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(reread_packet(&rs, off[i], &buf, &cap, &cl, &wl, err, sizeof err), 0);
		assert_int_equal(cl, p[i].caplen);
		assert_int_equal(wl, p[i].wirelen);
		assert_memory_equal(buf, p[i].data, cl);
	}
	free(buf);
	close(rs.fd);
}

/* One link type: libpcap reads our pcapng too (an independent check of the blocks). */
static void
test_pcapng_libpcap(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "one.pcapng") };
	struct evidence *ev = open_ok(&o);
	struct cap_pkt p[20];
	int dlt;

	for (int i = 0; i < 20; i++) {
		p[i] = mkpkt(i, DLT_EN10MB, 0, 0, T0 * NS + i * NS / 3);
		assert_int_equal(evidence_write(ev, &p[i], "eth0", NULL), 0);
	}
	close_ok(ev);
	assert_int_equal(read_pcap(t->path, 0, &dlt), 20);
	assert_int_equal(dlt, DLT_EN10MB);
	for (int i = 0; i < 20; i++)
		assert_same(i, &p[i]);
}

static void
test_pcap(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "ev.pcap"), .pcap = 1, .snaplen = 1000 };
	struct evidence *ev = open_ok(&o);
	struct cap_pkt p[12], other;
	int dlt, n = 0;
	uint8_t hdr[24];
	uint32_t magic = 0xa1b23c4d;

	assert_int_equal(file_size(t->path), 0);	/* the header waits for a link type */
	for (int i = 0; i < 12; i++) {
		if (i == 5) {
			other = mkpkt(i, DLT_RAW, 1, 0, T0 * NS);
			assert_int_equal(evidence_write(ev, &other, NULL, NULL), -1);
			assert_int_equal(evidence_failed(ev), 1);
			assert_non_null(strstr(evidence_error(ev), "link type 12"));
		}
		p[i] = mkpkt(i, DLT_EN10MB, 0, 0, T0 * NS + i * 999999999LL);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(evidence_packets(ev), 12);
	close_ok(ev);

	FILE *fp = fopen(t->path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(hdr, 1, 24, fp), 24);
	fclose(fp);
	assert_memory_equal(hdr, &magic, 4);
	assert_int_equal(read_pcap(t->path, 0, &dlt), 12);
	assert_int_equal(dlt, DLT_EN10MB);
	for (int i = 0; i < 12; i++) {
		/* snaplen 1000 cuts the 1514-byte packet, its wire length stays */
		if (p[i].caplen > 1000) {
			assert_int_equal(got[i].caplen, 1000);
			assert_int_equal(got[i].wirelen, p[i].wirelen);
			assert_memory_equal(got[i].data, p[i].data, 1000);
			n++;
			continue;
		}
		assert_same(i, &p[i]);
	}
	assert_int_equal(n, 1);

	/* Raw IP: the file says LINKTYPE_RAW (101), libpcap gives DLT_RAW back. */
	o.path = tmp_file(t, "raw.pcap");
	ev = open_ok(&o);
	p[0] = mkpkt(0, DLT_RAW, 0, 0, T0 * NS);
	assert_int_equal(evidence_write(ev, &p[0], NULL, NULL), 0);
	close_ok(ev);
	assert_int_equal(read_pcap(t->path, 0, &dlt), 1);
	assert_int_equal(dlt, DLT_RAW);
}

/* ---- rotation -------------------------------------------------------------------------- */

/* Writes n packets and reads every listed file back in order: each packet exactly once. */
static void
check_sequence(struct tmp *t, struct cap_pkt *p, int n, const char *const *names, int pcap)
{
	int k = 0;

	for (int f = 0; names[f] != NULL; f++) {
		const char *path = tmp_file(t, names[f]);
		int c = pcap ? read_pcap(path, k, NULL) : read_ng(path, k);
		assert_true(c > 0);
		k += c;
	}
	assert_int_equal(k, n);
	for (int i = 0; i < n; i++)
		assert_same(i, &p[i]);
}

static void
rotate_bytes(struct tmp *t, int pcap)
{
	struct evidence_opts o = { .path = tmp_file(t, "cap"), .pcap = pcap, .rotate_bytes = 2000 };
	struct evidence *ev = open_ok(&o);
	static struct cap_pkt p[60];
	static const char *const names[] = { "cap", "cap1", "cap2", "cap3", "cap4", "cap5", "cap6",
	    "cap7", "cap8", "cap9", "cap10", "cap11", "cap12", "cap13", NULL };
	int nfiles;

	for (int i = 0; i < 60; i++) {
		p[i] = mkpkt(i, DLT_EN10MB, 0, 0, T0 * NS + i * NS / 10);
		assert_int_equal(evidence_write(ev, &p[i], "eth0", NULL), 0);
	}
	nfiles = (int)evidence_files(ev);
	close_ok(ev);
	assert_true(nfiles > 5 && nfiles <= 14);
	for (int f = 0; f < nfiles; f++) {
		size_t sz = file_size(tmp_file(t, names[f]));
		assert_true(sz <= 2000);	/* never past the limit */
	}
	const char *only[15] = { NULL };
	memcpy(only, names, (size_t)nfiles * sizeof *only);
	check_sequence(t, p, 60, only, pcap);
	assert_int_equal(access(tmp_file(t, "cap0"), F_OK), -1);
	assert_int_equal(access(tmp_file(t, names[nfiles]), F_OK), -1);
}

static void
test_rotate_bytes_pcapng(void **state)
{
	rotate_bytes(*state, 0);
}

static void
test_rotate_bytes_pcap(void **state)
{
	rotate_bytes(*state, 1);
}

/* -C with -W: a ring of files, the counter padded to the digits of -W minus one. */
static void
test_ring(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "ring"), .rotate_bytes = 1000,
	    .max_files = 3 };
	struct evidence *ev = open_ok(&o);
	static struct cap_pkt p[20];
	uint64_t last_file_pkts = 0;

	assert_string_equal(evidence_path(ev), tmp_file(t, "ring0"));
	for (int i = 0; i < 20; i++) {
		p[i] = mkpkt(10 * (i % 2) + 7, DLT_EN10MB, 0, 0, T0 * NS + i);	/* 98, 98 bytes... */
		uint64_t before = evidence_files(ev);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
		last_file_pkts = evidence_files(ev) != before ? 1 : last_file_pkts + 1;
	}
	/* 98-byte packets take 132 bytes: 6 fit beside the 52-byte section and 32-byte interface
	 * blocks, so 20 packets make 4 files, the fourth overwriting ring0 with the last two. */
	assert_int_equal(evidence_files(ev), 4);
	assert_int_equal(last_file_pkts, 2);
	assert_string_equal(evidence_path(ev), tmp_file(t, "ring0"));
	close_ok(ev);
	assert_string_equal(tmp_list(t), "ring0 ring1 ring2");
	assert_int_equal(read_ng(tmp_file(t, "ring1"), 0), 6);
	assert_int_equal(read_ng(tmp_file(t, "ring2"), 6), 6);
	assert_int_equal(read_ng(tmp_file(t, "ring0"), 12), 2);
	for (int i = 0; i < 14; i++)
		assert_same(i, &p[i + 6]);

	/* -W 11 pads to two digits, -W 1 to none (tcpdump's getWflagChars). */
	o.path = tmp_file(t, "w11-");
	o.max_files = 11;
	ev = open_ok(&o);
	assert_string_equal(evidence_path(ev), tmp_file(t, "w11-00"));
	close_ok(ev);
	o.path = tmp_file(t, "w1-");
	o.max_files = 1;
	ev = open_ok(&o);
	assert_string_equal(evidence_path(ev), tmp_file(t, "w1-"));
	for (int i = 0; i < 20; i++)
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	assert_true(evidence_files(ev) > 1);
	close_ok(ev);
	assert_true(file_size(tmp_file(t, "w1-")) <= 1000);
}

/* -G: a new file every N seconds of packet time, named by strftime of its start. */
static void
test_rotate_secs(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "g-%Y%m%d-%H%M%S.pcapng"), .rotate_secs = 10,
	    .start_ns = T0 * NS };
	struct evidence *ev = open_ok(&o);
	static const int64_t at[] = { 0, 3 * NS, 10 * NS - 1, 10 * NS, 15 * NS, 25 * NS, 26 * NS };
	static const char *const names[] = { "g-20231114-221320.pcapng",
	    "g-20231114-221330.pcapng", "g-20231114-221345.pcapng", NULL };
	struct cap_pkt p[7];

	for (int i = 0; i < 7; i++) {
		p[i] = mkpkt(i, DLT_EN10MB, 0, 0, T0 * NS + at[i]);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(evidence_files(ev), 3);
	close_ok(ev);
	assert_string_equal(tmp_list(t), "g-20231114-221320.pcapng g-20231114-221330.pcapng "
	    "g-20231114-221345.pcapng");
	check_sequence(t, p, 7, names, 0);
	assert_int_equal(read_ng(tmp_file(t, names[0]), 0), 3);
	assert_int_equal(read_ng(tmp_file(t, names[1]), 0), 2);
}

/* -G with -C: the size counter follows the time name and restarts with each time file. */
static void
test_rotate_secs_bytes(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "%H%M%S-"), .rotate_secs = 60,
	    .rotate_bytes = 500, .start_ns = 0 };
	struct evidence *ev = open_ok(&o);
	static struct cap_pkt p[12];
	static const char *const names[] = { "221320-1", "221426-", "221426-1", NULL };
	char first[600];

	/* start_ns 0 is now; a replayed file is older, so its first packet becomes the start
	 * (the first file keeps the name it was opened with). */
	snprintf(first, sizeof first, "%s", evidence_path(ev));
	for (int i = 0; i < 12; i++) {
		/* 98-byte packets: three fit in 500 bytes beside the section and interface */
		p[i] = mkpkt(7, DLT_EN10MB, 0, 0, T0 * NS + (i < 6 ? i : 60 + i) * NS);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(evidence_files(ev), 4);
	close_ok(ev);
	assert_int_equal(read_ng(first, 0), 3);
	unlink(first);
	/* The time file starts at the packet that crossed the 60 s: 22:14:26. */
	assert_string_equal(tmp_list(t), "221320-1 221426- 221426-1");
	check_sequence(t, p + 3, 9, names, 0);
}

/* -G with -W and no -C: after W files the writer is done. */
static void
test_rotate_secs_limit(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "%s.pcap"), .pcap = 1, .rotate_secs = 5,
	    .max_files = 2, .start_ns = T0 * NS };
	struct evidence *ev = open_ok(&o);
	struct cap_pkt p;
	char err[256];

	for (int i = 0; i < 4; i++) {
		p = mkpkt(i, DLT_EN10MB, 0, 0, (T0 + 3 * i) * NS);
		assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	}
	/* 0 s, 3 s: file 1; 6 s: file 2; 9 s: still file 2; 11 s would open a third */
	p = mkpkt(4, DLT_EN10MB, 0, 0, (T0 + 11) * NS);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 1);
	assert_int_equal(evidence_done(ev), 1);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 1);
	assert_int_equal(evidence_packets(ev), 4);
	assert_int_equal(evidence_failed(ev), 0);
	close_ok(ev);
	assert_string_equal(tmp_list(t), "1700000000.pcap 1700000006.pcap");
	assert_int_equal(read_pcap(tmp_file(t, "1700000000.pcap"), 0, NULL), 2);
	assert_int_equal(read_pcap(tmp_file(t, "1700000006.pcap"), 0, NULL), 2);

	/* What cannot work is refused at open. */
	o.path = tmp_file(t, "no-time");
	assert_null(evidence_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "strftime"));
	o = (struct evidence_opts){ .path = "-", .rotate_bytes = 1000 };
	assert_null(evidence_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "standard output"));
	o = (struct evidence_opts){ .path = tmp_file(t, "w"), .max_files = 3 };
	assert_null(evidence_open(&o, err, sizeof err));
	o.path = tmp_file(t, "no-such-dir/x");
	o.max_files = 0;
	assert_null(evidence_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "No such file"));
}

/* ---- standard output, the spool ------------------------------------------------------- */

static void
test_stdout(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = "-" };
	struct cap_pkt p[10];
	int saved, fd = open(tmp_file(t, "stdout.pcapng"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	struct evidence *ev = open_ok(&o);
	for (int i = 0; i < 10; i++) {
		p[i] = mkpkt(i, i % 2 ? DLT_EN10MB : DLT_RAW, 0, (uint32_t)i % 2, T0 * NS + i);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_string_equal(evidence_path(ev), "-");
	close_ok(ev);
	/* standard output is left open for the caller */
	assert_int_equal(fcntl(STDOUT_FILENO, F_GETFD), 0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(read_ng(t->path, 0), 10);
	for (int i = 0; i < 10; i++)
		assert_same(i, &p[i]);
}

static void
test_spool(void **state)
{
	(void)state;
	char err[256];
	struct evidence *ev = evidence_open_spool(err, sizeof err);
	struct cap_pkt p[8];
	uint64_t off[8];
	struct reread_src rs;
	uint8_t *buf = NULL;
	size_t cap = 0;
	uint32_t cl, wl;
	static uint8_t big[2][3 << 20];
	static const uint32_t biglen[2] = { 70000, 3 << 20 };

	if (ev == NULL)
		fail_msg("%s", err);
	assert_int_equal(access(evidence_path(ev), F_OK), -1);	/* unlinked */
	for (int i = 0; i < 6; i++) {
		/* any link type: the spool is not a capture file */
		p[i] = mkpkt(i, i % 3 == 0 ? DLT_RAW : DLT_EN10MB, (uint32_t)i, 0, T0 * NS + i);
		assert_int_equal(evidence_write(ev, &p[i], NULL, &off[i]), 0);
	}
	assert_int_equal(off[0], 24);
	assert_int_equal(off[1], 24 + 16 + p[0].caplen);
	assert_int_equal(evidence_reread_src(ev, &rs), 0);
	/* Before a flush the records are in the buffer only. */
	assert_int_equal(reread_packet(&rs, off[0], &buf, &cap, &cl, &wl, err, sizeof err), -1);
	assert_int_equal(evidence_flush(ev), 0);
	for (int k = 0; k < 2; k++) {		/* 3 MiB is larger than the buffer: direct */
		for (uint32_t j = 0; j < biglen[k]; j++)
			big[k][j] = (uint8_t)(j * 13 + k);
		p[6 + k] = (struct cap_pkt){ .ts_ns = T0 * NS, .caplen = biglen[k],
		    .wirelen = biglen[k], .linktype = DLT_EN10MB, .data = big[k] };
		assert_int_equal(evidence_write(ev, &p[6 + k], NULL, &off[6 + k]), 0);
	}
	assert_int_equal(evidence_flush(ev), 0);
	assert_int_equal(evidence_fd(ev), rs.fd);
	for (int i = 7; i >= 0; i--) {
		assert_int_equal(reread_packet(&rs, off[i], &buf, &cap, &cl, &wl, err, sizeof err), 0);
		assert_int_equal(cl, p[i].caplen);
		assert_int_equal(wl, p[i].wirelen);
		assert_memory_equal(buf, p[i].data, cl);
	}
	assert_int_equal(evidence_packets(ev), 8);
	free(buf);
	close_ok(ev);
}

/* ---- failures, flushing, ownership ---------------------------------------------------- */

static void
test_dev_full(void **state)
{
	(void)state;
	struct evidence_opts o = { .path = "/dev/full", .pcap = 1 };
	struct cap_pkt p = mkpkt(0, DLT_EN10MB, 0, 0, T0 * NS);
	char err[256] = "";

	if (access("/dev/full", W_OK) != 0)
		skip();
	struct evidence *ev = open_ok(&o);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(evidence_packets(ev), 1);
	assert_int_equal(evidence_flush(ev), -1);
	assert_int_equal(evidence_packets(ev), 0);
	assert_int_equal(evidence_failed(ev), 1);
	assert_non_null(strstr(evidence_error(ev), "/dev/full: No space left on device"));
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(evidence_close(ev, err, sizeof err), -1);
	assert_non_null(strstr(err, "No space left on device"));
}

/*
 * A disk that fills mid-record (RLIMIT_FSIZE cuts the write there): the file is cut back to
 * its last whole block, stays readable, the lost packets are counted, and writing resumes.
 */
static void
test_file_limit(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "full.pcapng") };
	struct evidence *ev = open_ok(&o);
	static struct cap_pkt p[60];
	struct rlimit saved, lim;
	void (*oldsig)(int);
	uint64_t kept;
	int n = 0, r;

	for (; n < 10; n++) {
		p[n] = mkpkt(n, DLT_EN10MB, 0, 0, T0 * NS + n);
		assert_int_equal(evidence_write(ev, &p[n], NULL, NULL), 0);
	}
	assert_int_equal(evidence_flush(ev), 0);
	size_t on_disk = file_size(t->path);
	for (; n < 40; n++) {		/* from packet 12 on, a second interface */
		p[n] = mkpkt(n, n < 12 ? DLT_EN10MB : DLT_RAW, n < 12 ? 0 : 1, 0, T0 * NS + n);
		assert_int_equal(evidence_write(ev, &p[n], NULL, NULL), 0);
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	lim = saved;
	lim.rlim_cur = on_disk + 150;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	r = evidence_flush(ev);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, oldsig);

	assert_int_equal(r, -1);
	assert_non_null(strstr(evidence_error(ev), "File too large"));
	kept = evidence_packets(ev);
	/* Packets 10 and 11 take 92 + 36 bytes; the limit cuts the second interface's block. */
	assert_int_equal(kept, 12);
	assert_int_equal(evidence_failed(ev), 40 - kept);
	assert_true(file_size(t->path) <= on_disk + 150);
	assert_int_equal(file_size(t->path), evidence_bytes(ev));
	/* Still a capture: the packets kept and not a byte more. */
	assert_int_equal(read_ng(t->path, 0), (int)kept);
	for (int i = 0; i < (int)kept; i++)
		assert_same(i, &p[i]);

	/* Room again: the next packets go on, the second interface is declared again. */
	for (int i = 0; i < 20; i++) {
		p[40 + i] = mkpkt(40 + i, i % 2 ? DLT_RAW : DLT_EN10MB, (uint32_t)i % 2, 0,
		    T0 * NS + 40 + i);
		assert_int_equal(evidence_write(ev, &p[40 + i], NULL, NULL), 0);
	}
	close_ok(ev);
	assert_int_equal(read_ng(t->path, 0), (int)kept + 20);
	for (int i = 0; i < 20; i++) {
		assert_same((int)kept + i, &p[40 + i]);
		assert_int_equal(got[kept + (uint64_t)i].linktype, i % 2 ? 101 : DLT_EN10MB);
	}
}

static void
test_tick(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "tick.pcap"), .pcap = 1 };
	struct evidence *ev = open_ok(&o);
	struct cap_pkt p = mkpkt(0, DLT_EN10MB, 0, 0, T0 * NS);

	assert_int_equal(evidence_timeout_ms(ev, 5 * NS), -1);
	evidence_tick(ev, 5 * NS);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(evidence_timeout_ms(ev, 5 * NS + NS / 10), 900);
	evidence_tick(ev, 6 * NS - 1);
	assert_int_equal(file_size(t->path), 0);
	evidence_tick(ev, 6 * NS);
	assert_int_equal(file_size(t->path), 24 + 16 + 60);
	assert_int_equal(evidence_timeout_ms(ev, 6 * NS), -1);
	/* Idle ticks keep the clock: a packet after a long quiet spell goes out at once. */
	evidence_tick(ev, 7 * NS);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(evidence_timeout_ms(ev, 9 * NS), 0);
	evidence_tick(ev, 9 * NS);
	assert_int_equal(file_size(t->path), 24 + 2 * (16 + 60));
	close_ok(ev);
}

static void
test_mode_owner(void **state)
{
	struct tmp *t = *state;
	struct evidence_opts o = { .path = tmp_file(t, "m1"), .chown = 1, .uid = geteuid(),
	    .gid = getegid() };
	mode_t old = umask(022);
	struct stat st;
	struct evidence *ev = open_ok(&o);

	close_ok(ev);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	umask(077);
	o.path = tmp_file(t, "m2");
	close_ok(open_ok(&o));
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	umask(old);
	if (geteuid() != 0)
		return;

	/* Root: the first file goes to uid:gid; a later one, made after dropping to that uid,
	 * cannot be given to a group the user is not in, and that is not an error. */
	struct cap_pkt p = mkpkt(7, DLT_EN10MB, 0, 0, T0 * NS);
	int r[4];
	assert_int_equal(chmod(t->dir, 0777), 0);
	o = (struct evidence_opts){ .path = tmp_file(t, "own"), .rotate_bytes = 500, .chown = 1,
	    .uid = 65534, .gid = 54321 };
	ev = open_ok(&o);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 54321);
	for (int i = 0; i < 3; i++)
		assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(seteuid(65534), 0);
	r[0] = evidence_write(ev, &p, NULL, NULL);
	r[1] = evidence_flush(ev);
	r[2] = seteuid(0);
	assert_int_equal(r[2], 0);
	assert_int_equal(r[0], 0);
	assert_int_equal(r[1], 0);
	assert_null(evidence_error(ev));
	assert_int_equal(evidence_files(ev), 2);
	close_ok(ev);
	assert_int_equal(stat(tmp_file(t, "own1"), &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, getegid());
	assert_int_equal(read_ng(t->path, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pcapng_mixed, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_libpcap, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_pcap, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_bytes_pcapng, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_bytes_pcap, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_ring, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_secs, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_secs_bytes, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_secs_limit, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_stdout, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_spool, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dev_full, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_file_limit, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_tick, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_mode_owner, tmp_setup, tmp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
