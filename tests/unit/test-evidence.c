/*
 * test-evidence.c — the evidence writer as evidence.h promises it: every packet back byte for
 * byte with its nanosecond time (pcapng through our own reader, which takes mixed link types,
 * and through libpcap; pcap through libpcap), standard output, the spool read back with
 * reread_packet(), write errors counted while the file stays a valid capture, the flush clock
 * and file ownership.  Rotation is in test-evidence-rotate.c.
 */
#include "config.h"

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
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"
#include "evidence.h"
#include "evidence-fmt.h"
#include "evidence-util.h"
#include "reread.h"

/* ---- pcapng and pcap ------------------------------------------------------------------- */

static void
test_pcapng_mixed(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "ev.pcapng"), .snaplen = 65535,
	    .comment = "case 17" };
	struct evidence *ev = et_open(&o);
	struct cap_pkt p[30];
	uint64_t off[30];
	/* (input, ifidx, DLT): the interface id each gets is the order of first appearance. */
	static const struct { uint32_t in, ifx; int dlt; const char *name; uint32_t id; } src[3] = {
		{ 0, 0, DLT_EN10MB, "eth0", 0 }, { 1, 0, DLT_RAW, NULL, 1 },
		{ 0, 1, DLT_IEEE802_11_RADIO, "wlan0mon", 2 },
	};

	for (int i = 0; i < 30; i++) {
		int s = i < 3 ? i : (i * 5) % 3;
		p[i] = et_pkt(i, src[s].dlt, src[s].in, src[s].ifx, T0 * NS + i * 123456789LL + 7);
		assert_int_equal(evidence_write(ev, &p[i], src[s].name, &off[i]), 0);
	}
	assert_int_equal(evidence_packets(ev), 30);
	assert_int_equal(evidence_failed(ev), 0);
	assert_int_equal(evidence_files(ev), 1);
	assert_string_equal(evidence_path(ev), t->path);
	uint64_t bytes = evidence_bytes(ev);
	et_close(ev);
	assert_int_equal(et_size(t->path), bytes);

	assert_int_equal(et_read_ng(t->path, 0), 30);
	for (int i = 0; i < 30; i++) {
		int s = i < 3 ? i : (i * 5) % 3;
		et_same(i, &p[i]);
		assert_int_equal(et_got[i].ifidx, src[s].id);
		assert_int_equal(et_got[i].linktype, src[s].dlt == DLT_RAW ? 101 : src[s].dlt);
	}
	/* The options, in host order: shb_userappl, shb_comment, if_name, if_tsresol 9. */
	char app[64];
	snprintf(app, sizeof app, "iotscope %s", PACKAGE_VERSION);
	assert_true(et_has(t->path, app, strlen(app)));
	assert_true(et_has(t->path, "case 17", 7));
	assert_true(et_has(t->path, "\x02\x00\x04\x00" "eth0", 8));
	assert_true(et_has(t->path, "\x02\x00\x08\x00" "wlan0mon", 12));
	assert_true(et_has(t->path, "\x09\x00\x01\x00\x09\x00\x00\x00", 8));

	/* Each offset is the packet's block: reread.c reads the packet back from it. */
	struct reread_src rs = { .fd = open(t->path, O_RDONLY), .is_pcapng = 1 };
	uint8_t *buf = NULL;
	size_t cap = 0;
	uint32_t cl, wl;
	char err[256];
	assert_true(rs.fd >= 0);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(reread_packet(&rs, off[i], &buf, &cap, &cl, &wl, err, sizeof err),
		    0);
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
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "one.pcapng") };
	struct evidence *ev = et_open(&o);
	struct cap_pkt p[20];
	int dlt;

	for (int i = 0; i < 20; i++) {
		p[i] = et_pkt(i, DLT_EN10MB, 0, 0, T0 * NS + i * NS / 3);
		assert_int_equal(evidence_write(ev, &p[i], "eth0", NULL), 0);
	}
	et_close(ev);
	assert_int_equal(et_read_pcap(t->path, 0, &dlt), 20);
	assert_int_equal(dlt, DLT_EN10MB);
	for (int i = 0; i < 20; i++)
		et_same(i, &p[i]);
}

static void
test_pcap(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "ev.pcap"), .pcap = 1, .snaplen = 1000 };
	struct evidence *ev = et_open(&o);
	struct cap_pkt p[12], other;
	int dlt, n = 0;
	uint8_t hdr[24];
	uint32_t magic = 0xa1b23c4d;

	assert_int_equal(et_size(t->path), 0);	/* the header waits for a link type */
	for (int i = 0; i < 12; i++) {
		if (i == 5) {
			other = et_pkt(i, DLT_RAW, 1, 0, T0 * NS);
			assert_int_equal(evidence_write(ev, &other, NULL, NULL), -1);
			assert_int_equal(evidence_failed(ev), 1);
			assert_non_null(strstr(evidence_error(ev), "link type 12"));
		}
		p[i] = et_pkt(i, DLT_EN10MB, 0, 0, T0 * NS + i * 999999999LL);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(evidence_packets(ev), 12);
	et_close(ev);

	FILE *fp = fopen(t->path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(hdr, 1, 24, fp), 24);
	fclose(fp);
	assert_memory_equal(hdr, &magic, 4);
	assert_int_equal(et_read_pcap(t->path, 0, &dlt), 12);
	assert_int_equal(dlt, DLT_EN10MB);
	for (int i = 0; i < 12; i++) {
		/* snaplen 1000 cuts the 1514-byte packet, its wire length stays */
		if (p[i].caplen > 1000) {
			assert_int_equal(et_got[i].caplen, 1000);
			assert_int_equal(et_got[i].wirelen, p[i].wirelen);
			assert_memory_equal(et_got[i].data, p[i].data, 1000);
			n++;
			continue;
		}
		et_same(i, &p[i]);
	}
	assert_int_equal(n, 1);

	/* Raw IP: the file says LINKTYPE_RAW (101), libpcap gives DLT_RAW back. */
	o.path = et_file(t, "raw.pcap");
	ev = et_open(&o);
	p[0] = et_pkt(0, DLT_RAW, 0, 0, T0 * NS);
	assert_int_equal(evidence_write(ev, &p[0], NULL, NULL), 0);
	et_close(ev);
	assert_int_equal(et_read_pcap(t->path, 0, &dlt), 1);
	assert_int_equal(dlt, DLT_RAW);
}

/*
 * Many interfaces (a merged set of pcapng inputs): each gets one block, ids in order of first
 * appearance, and the table forgets exactly the blocks that a failed write lost.
 */
static void
test_interfaces(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "ifs.pcapng") };
	struct evidence *ev = et_open(&o);
	static struct cap_pkt p[300];
	struct evfmt_ifs ifs = { 0 };
	char name[16];

	for (int i = 0; i < 300; i++) {
		uint32_t k = (uint32_t)(i * 7) % 100;	/* 100 interfaces, met out of order */
		p[i] = et_pkt(i, k % 3 ? DLT_EN10MB : DLT_RAW, k / 10, k % 10, T0 * NS + i);
		snprintf(name, sizeof name, "if%u", k);
		assert_int_equal(evidence_write(ev, &p[i], name, NULL), 0);
	}
	et_close(ev);
	assert_int_equal(et_read_ng(t->path, 0), 300);
	for (int i = 0; i < 300; i++) {
		et_same(i, &p[i]);
		assert_int_equal(et_got[i].ifidx, (uint32_t)i % 100);	/* 7 is prime to 100 */
	}
	assert_true(et_has(t->path, "if99", 4));

	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(evfmt_ifs_add(&ifs, i, 1, DLT_EN10MB, 100 * i), i);
	for (uint32_t i = 0; i < 100; i++) {
		assert_int_equal(evfmt_ifs_find(&ifs, i, 1, DLT_EN10MB), i);
		assert_int_equal(evfmt_ifs_find(&ifs, i, 1, DLT_RAW), -1);
	}
	evfmt_ifs_cut(&ifs, 4050);		/* blocks at 4100 and after never made it */
	assert_int_equal(evfmt_ifs_find(&ifs, 40, 1, DLT_EN10MB), 40);
	assert_int_equal(evfmt_ifs_find(&ifs, 41, 1, DLT_EN10MB), -1);
	assert_int_equal(evfmt_ifs_add(&ifs, 99, 1, DLT_EN10MB, 4050), 41);
	evfmt_ifs_clear(&ifs);
	assert_int_equal(evfmt_ifs_find(&ifs, 0, 1, DLT_EN10MB), -1);
	evfmt_ifs_fini(&ifs);
}

/* ---- standard output, the spool ------------------------------------------------------- */

static void
test_stdout(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = "-" };
	struct cap_pkt p[10];
	int saved, fd = open(et_file(t, "stdout.pcapng"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	struct evidence *ev = et_open(&o);
	for (int i = 0; i < 10; i++) {
		p[i] = et_pkt(i, i % 2 ? DLT_EN10MB : DLT_RAW, 0, (uint32_t)i % 2, T0 * NS + i);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_string_equal(evidence_path(ev), "-");
	et_close(ev);
	/* standard output is left open for the caller */
	assert_int_equal(fcntl(STDOUT_FILENO, F_GETFD), 0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(et_read_ng(t->path, 0), 10);
	for (int i = 0; i < 10; i++)
		et_same(i, &p[i]);
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
		p[i] = et_pkt(i, i % 3 == 0 ? DLT_RAW : DLT_EN10MB, (uint32_t)i, 0, T0 * NS + i);
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
		assert_int_equal(reread_packet(&rs, off[i], &buf, &cap, &cl, &wl, err, sizeof err),
		    0);
		assert_int_equal(cl, p[i].caplen);
		assert_int_equal(wl, p[i].wirelen);
		assert_memory_equal(buf, p[i].data, cl);
	}
	assert_int_equal(evidence_packets(ev), 8);
	free(buf);
	et_close(ev);
}

/* ---- failures, flushing, ownership ---------------------------------------------------- */

static void
test_dev_full(void **state)
{
	(void)state;
	struct evidence_opts o = { .path = "/dev/full", .pcap = 1 };
	struct cap_pkt p = et_pkt(0, DLT_EN10MB, 0, 0, T0 * NS);
	char err[256] = "";

	if (access("/dev/full", W_OK) != 0)
		skip();
	struct evidence *ev = et_open(&o);
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

/* evidence_flush() with the process's files limited to limit bytes (EFBIG past it). */
static int
flush_limited(struct evidence *ev, size_t limit)
{
	struct rlimit saved, lim;
	void (*oldsig)(int) = signal(SIGXFSZ, SIG_IGN);
	int r;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	lim = saved;
	lim.rlim_cur = limit;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	r = evidence_flush(ev);
	setrlimit(RLIMIT_FSIZE, &saved);
	signal(SIGXFSZ, oldsig);
	return r;
}

/*
 * A disk that fills mid-record (RLIMIT_FSIZE cuts the write there): the file is cut back to
 * its last whole block, stays readable, the lost packets are counted, and writing resumes.
 */
static void
test_file_limit(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "full.pcapng") };
	struct evidence *ev = et_open(&o);
	static struct cap_pkt p[60];
	uint64_t kept;
	int n = 0;

	for (; n < 10; n++) {
		p[n] = et_pkt(n, DLT_EN10MB, 0, 0, T0 * NS + n);
		assert_int_equal(evidence_write(ev, &p[n], NULL, NULL), 0);
	}
	assert_int_equal(evidence_flush(ev), 0);
	size_t on_disk = et_size(t->path);
	for (; n < 40; n++) {		/* from packet 12 on, a second interface */
		p[n] = et_pkt(n, n < 12 ? DLT_EN10MB : DLT_RAW, n < 12 ? 0 : 1, 0, T0 * NS + n);
		assert_int_equal(evidence_write(ev, &p[n], NULL, NULL), 0);
	}
	assert_int_equal(flush_limited(ev, on_disk + 150), -1);
	assert_non_null(strstr(evidence_error(ev), "File too large"));
	kept = evidence_packets(ev);
	/* Packets 10 and 11 take 92 + 36 bytes; the limit cuts the second interface's block. */
	assert_int_equal(kept, 12);
	assert_int_equal(evidence_failed(ev), 40 - kept);
	assert_true(et_size(t->path) <= on_disk + 150);
	assert_int_equal(et_size(t->path), evidence_bytes(ev));
	/* Still a capture: the packets kept and not a byte more. */
	assert_int_equal(et_read_ng(t->path, 0), (int)kept);
	for (int i = 0; i < (int)kept; i++)
		et_same(i, &p[i]);

	/* Room again: the next packets go on, the second interface is declared again. */
	for (int i = 0; i < 20; i++) {
		p[40 + i] = et_pkt(40 + i, i % 2 ? DLT_RAW : DLT_EN10MB, (uint32_t)i % 2, 0,
		    T0 * NS + 40 + i);
		assert_int_equal(evidence_write(ev, &p[40 + i], NULL, NULL), 0);
	}
	et_close(ev);
	assert_int_equal(et_read_ng(t->path, 0), (int)kept + 20);
	for (int i = 0; i < 20; i++) {
		et_same((int)kept + i, &p[40 + i]);
		assert_int_equal(et_got[kept + (uint64_t)i].linktype, i % 2 ? 101 : DLT_EN10MB);
	}
}

/* In pcap the cut can take the file header: it is written again before the next packet. */
static void
test_file_limit_pcap(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "full.pcap"), .pcap = 1 };
	struct evidence *ev = et_open(&o);
	struct cap_pkt p[10];
	int dlt;

	for (int i = 0; i < 5; i++) {
		p[i] = et_pkt(i, DLT_RAW, 0, 0, T0 * NS + i);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(flush_limited(ev, 20), -1);
	assert_int_equal(evidence_failed(ev), 5);
	assert_int_equal(evidence_packets(ev), 0);
	assert_int_equal(evidence_bytes(ev), 0);
	assert_int_equal(et_size(t->path), 0);
	for (int i = 5; i < 10; i++) {
		p[i] = et_pkt(i, DLT_RAW, 0, 0, T0 * NS + i);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	/* Header and first record whole, the second cut: one packet kept. */
	assert_int_equal(flush_limited(ev, 24 + 16 + 5 + 10), -1);
	assert_int_equal(evidence_packets(ev), 1);
	assert_int_equal(et_size(t->path), 24 + 16 + 5);
	et_close(ev);
	assert_int_equal(et_read_pcap(t->path, 0, &dlt), 1);
	assert_int_equal(dlt, DLT_RAW);
	et_same(0, &p[5]);
}

static void
test_tick(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "tick.pcap"), .pcap = 1 };
	struct evidence *ev = et_open(&o);
	struct cap_pkt p = et_pkt(0, DLT_EN10MB, 0, 0, T0 * NS);

	assert_int_equal(evidence_timeout_ms(ev, 5 * NS), -1);
	evidence_tick(ev, 5 * NS);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(evidence_timeout_ms(ev, 5 * NS + NS / 10), 900);
	evidence_tick(ev, 6 * NS - 1);
	assert_int_equal(et_size(t->path), 0);
	evidence_tick(ev, 6 * NS);
	assert_int_equal(et_size(t->path), 24 + 16 + 60);
	assert_int_equal(evidence_timeout_ms(ev, 6 * NS), -1);
	/* Idle ticks keep the clock: a packet after a long quiet spell goes out at once. */
	evidence_tick(ev, 7 * NS);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	assert_int_equal(evidence_timeout_ms(ev, 9 * NS), 0);
	evidence_tick(ev, 9 * NS);
	assert_int_equal(et_size(t->path), 24 + 2 * (16 + 60));
	et_close(ev);
}

static void
test_mode_owner(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "m1"), .chown = 1, .uid = geteuid(),
	    .gid = getegid() };
	mode_t old = umask(022);
	struct stat st;
	struct evidence *ev = et_open(&o);

	et_close(ev);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	umask(077);
	o.path = et_file(t, "m2");
	et_close(et_open(&o));
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	umask(old);
	if (geteuid() != 0)
		return;

	/* Root: the first file goes to uid:gid; a later one, made after dropping to that uid,
	 * cannot be given to a group the user is not in, and that is not an error. */
	struct cap_pkt p = et_pkt(7, DLT_EN10MB, 0, 0, T0 * NS);
	int r[4];
	assert_int_equal(chmod(t->dir, 0777), 0);
	o = (struct evidence_opts){ .path = et_file(t, "own"), .rotate_bytes = 500, .chown = 1,
	    .uid = 65534, .gid = 54321 };
	ev = et_open(&o);
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
	et_close(ev);
	assert_int_equal(stat(et_file(t, "own1"), &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, getegid());
	assert_int_equal(et_read_ng(t->path, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pcapng_mixed, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_libpcap, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_pcap, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_interfaces, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_stdout, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_spool, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_dev_full, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_file_limit, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_file_limit_pcap, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_tick, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_mode_owner, et_setup, et_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
