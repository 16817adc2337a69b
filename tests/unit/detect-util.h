/*
 * detect-util.h — what the detection tests (test-detect.c, test-detect-tls.c) share: a
 * message built byte by byte with its length fields patched in afterwards, a flow fed one
 * payload at a time in heap blocks of their exact size (so AddressSanitizer sees a read one
 * byte past the end), and checks on what detection recorded.  Include after <cmocka.h>.
 */
#ifndef IOT_TEST_DETECT_UTIL_H
#define IOT_TEST_DETECT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "detect.h"

struct strpool;

/* A message under construction; overflowing it fails the test. */
struct dt_msg {
	uint8_t		 b[4096];
	size_t		 n;
};

void	 dt_put(struct dt_msg *, const void *, size_t);
void	 dt_put8(struct dt_msg *, unsigned);
void	 dt_put16(struct dt_msg *, unsigned);
void	 dt_put32(struct dt_msg *, uint32_t);
void	 dt_puts(struct dt_msg *, const char *);
void	 dt_fill(struct dt_msg *, unsigned, size_t);
/* A length field of width bytes, written by dt_close_len once its contents are in. */
size_t	 dt_open_len(struct dt_msg *, int width);
void	 dt_close_len(struct dt_msg *, size_t at, int width);
void	 dt_set16(struct dt_msg *, size_t at, unsigned);

/*
 * A flow as the analysis feeds it: payloads in order, TCP sequence numbers advancing (the
 * server's wraps), each payload copied into a heap block of its own exact size.
 */
struct dt_flow {
	struct flow_app	 a;
	struct strpool	*sp;
	int		 tcp;
	uint16_t	 cport, sport;
	uint32_t	 seq[2];
};

void	 dt_flow_start(struct dt_flow *, int tcp, uint16_t cport, uint16_t sport);
void	 dt_flow_send(struct dt_flow *, int dir, const void *, size_t);
/* Ends detection and checks both directions' buffers were freed. */
void	 dt_flow_end(struct dt_flow *);
/* One payload in a fresh flow: the protocol found. */
enum app_proto dt_one(int tcp, int dir, const void *, size_t, uint16_t cport, uint16_t sport);

/* A string field recorded raw: exactly these n bytes, then the pool's NUL. */
void	 dt_assert_raw(const char *got, const void *want, size_t n);
/* Everything recorded is within its bounds. */
void	 dt_check_bounds(const struct flow_app *);
/*
 * Every prefix of each of n samples, over TCP and UDP, in both directions and on each port
 * that switches a recogniser on: nothing read past the bytes given, bounds kept.
 */
void	 dt_every_prefix(const struct dt_msg *, size_t n);

#define assert_proto(got, want) do {					\
	enum app_proto g_ = (got), w_ = (want);				\
	if (g_ != w_)							\
		fail_msg("%s: %s, want %s", #got,			\
		    g_ == AP_NONE ? "none" : app_proto_name(g_),	\
		    w_ == AP_NONE ? "none" : app_proto_name(w_));	\
} while (0)

#endif
