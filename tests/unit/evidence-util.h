/*
 * evidence-util.h — what the evidence writer's tests (test-evidence.c, test-evidence-rotate.c)
 * share: a temporary directory per test, packets with their own lengths, times and bytes, and
 * files read back through our pcapng reader or libpcap into et_got[].  Include after
 * <cmocka.h>.
 */
#ifndef IOT_TEST_EVIDENCE_UTIL_H
#define IOT_TEST_EVIDENCE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "evidence.h"

#define T0	1700000000LL		/* 2023-11-14 22:13:20 UTC */
#define NS	1000000000LL
#define MAXPK	400

/* A test's directory (TZ is UTC in tests); the teardown empties and removes it. */
struct et_tmp {
	char	 dir[256];
	char	 path[600];
};

int		 et_setup(void **state);
int		 et_teardown(void **state);
/* dir/name, in t->path. */
const char	*et_file(struct et_tmp *t, const char *name);
/* The names in the directory, sorted, joined by spaces (a static buffer). */
const char	*et_list(struct et_tmp *t);

/* Packet i: its own length (60, 1, 2, 3, 4, 5, 1514, 98, 342, 77 by i % 10) and bytes. */
extern uint8_t	 et_bytes[MAXPK][1600];
struct cap_pkt	 et_pkt(int i, int dlt, uint32_t input, uint32_t ifidx, int64_t ts_ns);

/* What files gave back. */
struct et_got {
	int64_t		 ts_ns;
	uint32_t	 caplen, wirelen, ifidx;
	int		 linktype;
	uint8_t		 data[1600];
};
extern struct et_got et_got[MAXPK];

/* Reads a file into et_got[first...]; returns the count, asserting a clean end. */
int		 et_read_ng(const char *path, int first);
int		 et_read_pcap(const char *path, int first, int *dlt);
/* et_got[i] is p: time, lengths, bytes. */
void		 et_same(int i, const struct cap_pkt *p);
/* Every listed file in order holds p[0..n-1], each exactly once. */
void		 et_sequence(struct et_tmp *t, struct cap_pkt *p, int n,
		    const char *const *names, int pcap);

struct evidence	*et_open(const struct evidence_opts *);
void		 et_close(struct evidence *);
size_t		 et_size(const char *path);
/* Whether the bytes occur in the file's first 64 KiB. */
int		 et_has(const char *path, const void *needle, size_t n);

#endif
