/*
 * fuzz-common.h — what the fuzz harnesses share: the whole analysis over one capture held in
 * memory, a cursor that cuts an input into pieces (so one input can be many segments or
 * lines), an emitter for the extractors that reads every byte it is handed (the sanitizers
 * then see a range that is wrong), and the shipped pattern set.
 */
#ifndef IOT_FUZZ_COMMON_H
#define IOT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "extract.h"

struct patset;

/*
 * Analyses a capture file image; never fails (problems become warnings).  Without findings
 * the pattern set is not compiled for each input (fuzz-scan covers the scanner).
 */
void	fuzz_analyse(const uint8_t *data, size_t size, int findings);

/*
 * The input as a file: an in-memory file holding data, its name (/proc/self/fd/N) in path.
 * The descriptor, or -1 when none could be made; the caller closes it.
 */
int	fuzz_file(const uint8_t *data, size_t size, char *path, size_t len);

/* The fuzzer's input, consumed from the front. */
struct fuzz_in {
	const uint8_t	*p;
	size_t		 n;
};

/* The next byte, 0 once the input is used up. */
uint8_t	fuzz_u8(struct fuzz_in *);
/*
 * The next piece: a length byte pair (big-endian, clamped to what is left), then that many
 * bytes.  0 when the input is used up.
 */
int	fuzz_piece(struct fuzz_in *, const uint8_t **b, size_t *n);
/* Reads every byte of p[0..n) so that a bad range trips the sanitizers. */
void	fuzz_touch(const void *p, size_t n);

/* Findings counted in ctx (a long), values and contexts read whole. */
void	fuzz_emitter(struct ext_emit *, long *ctx);

/*
 * One flow from port 50000 to port through protocol detection and the findings scanner
 * (share/patterns, the extractors, the HTTP body tracker).  Each piece is a control byte then
 * fuzz_piece(): bit 0 the direction, bit 1 a gap of ctl >> 2 bytes before it, bit 5 FIN,
 * bit 6 a second flow, bit 7 sent again at the previous piece's sequence number.
 */
void	fuzz_flow(struct fuzz_in *, int tcp, uint16_t port);
/* A whole input as one flow: its first byte picks TCP or UDP (bit 7) and one of the ports. */
void	fuzz_flow_ports(const uint8_t *data, size_t size, const uint16_t *ports, size_t n);

/* share/patterns of the source tree, loaded once and kept (the compile is the slow part). */
const struct patset *fuzz_patterns(void);

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
