/*
 * test-evidence-rotate.c — the evidence writer's files as tcpdump names and fills them: -C
 * (PATH, PATH1, ...; never past the size), -C with -W (a ring, the counter padded to the digits
 * of W - 1), -G (strftime of each file's start in packet time), -G with -C, -G with -W, and
 * the combinations refused at open.  Every packet is read back exactly once, in order.
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

/* ---- rotation -------------------------------------------------------------------------- */

static void
rotate_bytes(struct et_tmp *t, int pcap)
{
	struct evidence_opts o = { .path = et_file(t, "cap"), .pcap = pcap, .rotate_bytes = 2000 };
	struct evidence *ev = et_open(&o);
	static struct cap_pkt p[60];
	static const char *const names[] = { "cap", "cap1", "cap2", "cap3", "cap4", "cap5", "cap6",
	    "cap7", "cap8", "cap9", "cap10", "cap11", "cap12", "cap13", NULL };
	int nfiles;

	for (int i = 0; i < 60; i++) {
		p[i] = et_pkt(i, DLT_EN10MB, 0, 0, T0 * NS + i * NS / 10);
		assert_int_equal(evidence_write(ev, &p[i], "eth0", NULL), 0);
	}
	nfiles = (int)evidence_files(ev);
	et_close(ev);
	assert_true(nfiles > 5 && nfiles <= 14);
	for (int f = 0; f < nfiles; f++) {
		size_t sz = et_size(et_file(t, names[f]));
		assert_true(sz <= 2000);	/* never past the limit */
	}
	const char *only[15] = { NULL };
	memcpy(only, names, (size_t)nfiles * sizeof *only);
	et_sequence(t, p, 60, only, pcap);
	assert_int_equal(access(et_file(t, "cap0"), F_OK), -1);
	assert_int_equal(access(et_file(t, names[nfiles]), F_OK), -1);
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
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "ring"), .rotate_bytes = 1000,
	    .max_files = 3 };
	struct evidence *ev = et_open(&o);
	static struct cap_pkt p[20];
	uint64_t last_file_pkts = 0;

	assert_string_equal(evidence_path(ev), et_file(t, "ring0"));
	for (int i = 0; i < 20; i++) {
		/* packets 7 and 17: 98 bytes each */
		p[i] = et_pkt(10 * (i % 2) + 7, DLT_EN10MB, 0, 0, T0 * NS + i);
		uint64_t before = evidence_files(ev);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
		last_file_pkts = evidence_files(ev) != before ? 1 : last_file_pkts + 1;
	}
	/* 98-byte packets take 132 bytes: 6 fit beside the 52-byte section and 32-byte interface
	 * blocks, so 20 packets make 4 files, the fourth overwriting ring0 with the last two. */
	assert_int_equal(evidence_files(ev), 4);
	assert_int_equal(last_file_pkts, 2);
	assert_string_equal(evidence_path(ev), et_file(t, "ring0"));
	et_close(ev);
	assert_string_equal(et_list(t), "ring0 ring1 ring2");
	assert_int_equal(et_read_ng(et_file(t, "ring1"), 0), 6);
	assert_int_equal(et_read_ng(et_file(t, "ring2"), 6), 6);
	assert_int_equal(et_read_ng(et_file(t, "ring0"), 12), 2);
	for (int i = 0; i < 14; i++)
		et_same(i, &p[i + 6]);

	/* -W 11 pads to two digits, -W 1 to none (tcpdump's getWflagChars). */
	o.path = et_file(t, "w11-");
	o.max_files = 11;
	ev = et_open(&o);
	assert_string_equal(evidence_path(ev), et_file(t, "w11-00"));
	et_close(ev);
	o.path = et_file(t, "w1-");
	o.max_files = 1;
	ev = et_open(&o);
	assert_string_equal(evidence_path(ev), et_file(t, "w1-"));
	for (int i = 0; i < 20; i++)
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	assert_true(evidence_files(ev) > 1);
	et_close(ev);
	assert_true(et_size(et_file(t, "w1-")) <= 1000);
}

/* -G: a new file every N seconds of packet time, named by strftime of its start. */
static void
test_rotate_secs(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "g-%Y%m%d-%H%M%S.pcapng"), .rotate_secs = 10,
	    .start_ns = T0 * NS };
	struct evidence *ev = et_open(&o);
	static const int64_t at[] = { 0, 3 * NS, 10 * NS - 1, 10 * NS, 15 * NS, 25 * NS, 26 * NS };
	static const char *const names[] = { "g-20231114-221320.pcapng",
	    "g-20231114-221330.pcapng", "g-20231114-221345.pcapng", NULL };
	struct cap_pkt p[7];

	for (int i = 0; i < 7; i++) {
		p[i] = et_pkt(i, DLT_EN10MB, 0, 0, T0 * NS + at[i]);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(evidence_files(ev), 3);
	et_close(ev);
	assert_string_equal(et_list(t), "g-20231114-221320.pcapng g-20231114-221330.pcapng "
	    "g-20231114-221345.pcapng");
	et_sequence(t, p, 7, names, 0);
	assert_int_equal(et_read_ng(et_file(t, names[0]), 0), 3);
	assert_int_equal(et_read_ng(et_file(t, names[1]), 0), 2);
}

/* -G with -C: the size counter follows the time name and restarts with each time file. */
static void
test_rotate_secs_bytes(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "%H%M%S-"), .rotate_secs = 60,
	    .rotate_bytes = 500, .start_ns = 0 };
	struct evidence *ev = et_open(&o);
	static struct cap_pkt p[12];
	static const char *const names[] = { "221320-1", "221426-", "221426-1", NULL };
	char first[600];

	/* start_ns 0 is now; a replayed file is older, so its first packet becomes the start
	 * (the first file keeps the name it was opened with). */
	snprintf(first, sizeof first, "%s", evidence_path(ev));
	for (int i = 0; i < 12; i++) {
		/* 98-byte packets: three fit in 500 bytes beside the section and interface */
		p[i] = et_pkt(7, DLT_EN10MB, 0, 0, T0 * NS + (i < 6 ? i : 60 + i) * NS);
		assert_int_equal(evidence_write(ev, &p[i], NULL, NULL), 0);
	}
	assert_int_equal(evidence_files(ev), 4);
	et_close(ev);
	assert_int_equal(et_read_ng(first, 0), 3);
	unlink(first);
	/* The time file starts at the packet that crossed the 60 s: 22:14:26. */
	assert_string_equal(et_list(t), "221320-1 221426- 221426-1");
	et_sequence(t, p + 3, 9, names, 0);
}

/* -G with -W and no -C: after W files the writer is done. */
static void
test_rotate_secs_limit(void **state)
{
	struct et_tmp *t = *state;
	struct evidence_opts o = { .path = et_file(t, "%s.pcap"), .pcap = 1, .rotate_secs = 5,
	    .max_files = 2, .start_ns = T0 * NS };
	struct evidence *ev = et_open(&o);
	struct cap_pkt p;
	char err[256];

	for (int i = 0; i < 4; i++) {
		p = et_pkt(i, DLT_EN10MB, 0, 0, (T0 + 3 * i) * NS);
		assert_int_equal(evidence_write(ev, &p, NULL, NULL), 0);
	}
	/* 0 s, 3 s: file 1; 6 s: file 2; 9 s: still file 2; 11 s would open a third */
	p = et_pkt(4, DLT_EN10MB, 0, 0, (T0 + 11) * NS);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 1);
	assert_int_equal(evidence_done(ev), 1);
	assert_int_equal(evidence_write(ev, &p, NULL, NULL), 1);
	assert_int_equal(evidence_packets(ev), 4);
	assert_int_equal(evidence_failed(ev), 0);
	et_close(ev);
	assert_string_equal(et_list(t), "1700000000.pcap 1700000006.pcap");
	assert_int_equal(et_read_pcap(et_file(t, "1700000000.pcap"), 0, NULL), 2);
	assert_int_equal(et_read_pcap(et_file(t, "1700000006.pcap"), 0, NULL), 2);

	/* What cannot work is refused at open. */
	o.path = et_file(t, "no-time");
	assert_null(evidence_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "strftime"));
	o = (struct evidence_opts){ .path = "-", .rotate_bytes = 1000 };
	assert_null(evidence_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "standard output"));
	o = (struct evidence_opts){ .path = et_file(t, "w"), .max_files = 3 };
	assert_null(evidence_open(&o, err, sizeof err));
	o.path = et_file(t, "no-such-dir/x");
	o.max_files = 0;
	assert_null(evidence_open(&o, err, sizeof err));
	assert_non_null(strstr(err, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rotate_bytes_pcapng, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_bytes_pcap, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_ring, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_secs, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_secs_bytes, et_setup, et_teardown),
		cmocka_unit_test_setup_teardown(test_rotate_secs_limit, et_setup, et_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
