/*
 * entropy.h — byte statistics of payloads, computed as the `ent` program computes them: a
 * 256-bin histogram per flow direction gives Shannon entropy (bits per byte), chi-square
 * against a uniform distribution with the probability of exceeding it, the arithmetic mean
 * and the share of printable bytes.  Also what n uniformly random bytes score on average, so
 * short encrypted exchanges are not judged by a threshold meant for long ones, and the
 * entropy of successive fixed-size windows (the heatmap).
 *
 * The counting loop runs over every payload byte the capture holds, so it is the costliest
 * step of the analysis: see entropy_count() for how it is written.
 */
#ifndef IOT_ENTROPY_H
#define IOT_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

/*
 * A direction's histogram.  Bytes are counted into 16-bit bins (512 bytes: half the cache
 * lines a 32-bit table would cost the counting thread), flushed into 64-bit bins before any
 * could overflow, that is every 65535 bytes.  Both tables are allocated on first use.  The
 * first 255 bytes go into 8-bit bins (256 bytes), widened when more come: most directions
 * of a busy network (DNS, NTP, a request and its answer) never need more, and a million of
 * them kept half a gigabyte of empty 16-bit bins.  Before that, up to 128 bytes are kept as
 * they are, in 32, 64 or 128 bytes: a request or an answer of a few dozen bytes costs less
 * than its bins would, and counting them is as cheap when the figures are asked.
 */
struct hist {
	uint64_t	 total;
	union {
		uint16_t	*hot;
		uint8_t		*hot8;	/* while narrow */
	};
	uint32_t	 hot_total;	/* bytes in hot since the last flush */
	uint8_t		 narrow;	/* hot has 8-bit bins (hot_total <= 255, nothing flushed) */
	uint8_t		 raw;		/* ... or, when not 0, the bytes themselves, room for
					 * 1 << raw of them */
	uint64_t	*cold;
};
/* The largest count a narrow histogram holds. */
#define HIST_NARROW_MAX	255
/* The most bytes kept as they are: no more room than the 8-bit bins would take. */
#define HIST_RAW_MAX	128
/* The room given to a direction's first bytes, smallest first (1 << raw). */
#define HIST_RAW_MIN_LOG 5

struct ent_figures {
	uint64_t	 n;
	double		 entropy;	/* bits per byte, 0..8 */
	double		 chisq;
	double		 chisq_p;	/* probability a random sample exceeds chisq, 0..1 */
	double		 mean;
	double		 printable;	/* share of bytes 0x20..0x7e, tab, CR, LF */
	double		 expected;	/* entropy expected of n uniformly random bytes */
};

void	hist_init(struct hist *);
void	hist_fini(struct hist *);
/* Counts the bytes of s into h. */
void	entropy_count(struct hist *h, struct span s);
/* Starts loading h's bins into the cache: the counting thread calls it one record ahead. */
void	hist_prefetch(const struct hist *h);
/* Adds b's counts into a (per-device and per-channel totals). */
void	hist_add(struct hist *a, const struct hist *b);
uint64_t hist_bin(const struct hist *, int i);
/* Adds h's counts into cnt; its byte count. */
uint64_t hist_counts(const struct hist *h, uint64_t cnt[256]);
void	entropy_figures(const struct hist *, struct ent_figures *);

/* Entropy of a histogram given as counts (any width), for windows and tests. */
double	entropy_of_counts(const uint32_t *c, uint64_t n);
/* The same over 64-bit counts: Shannon entropy alone, as entropy_figures computes it. */
double	entropy_of_counts64(const uint64_t *c, uint64_t n);
/*
 * The same as log2 n - (sum of c log2 c) / n, with clog[k] = k log2 k for k < nclog: no
 * logarithm per bin for small counts (ranking every flow of a capture); equal to the above
 * within 1e-12.
 */
double	entropy_of_counts64_tab(const uint64_t *c, uint64_t n, const double *clog,
	    size_t nclog);
/* Expected Shannon entropy of n independent uniform bytes (exact binomial sum). */
double	entropy_expected_random(uint64_t n);
/* P(X > x) for a chi-square variable with k degrees of freedom. */
double	chisq_survival(double x, double k);

/*
 * Entropy of successive windows of a byte stream: full windows are closed and kept (a float
 * each: 4 MB for a gigabyte of 1 KiB windows); the last, partial one is still open.
 */
struct ent_windows {
	uint32_t	 size;		/* bytes per window */
	float		*v;		/* closed windows' entropy, bits per byte */
	uint32_t	 n, cap;
	uint32_t	 fill;		/* bytes in the open window */
	uint16_t	*cur;		/* its counts (allocated with the first byte) */
	uint32_t	 dropped;	/* windows past the cap */
};

#define ENT_WINDOWS_MAX	(1u << 22)

void	ent_windows_init(struct ent_windows *, uint32_t size);
void	ent_windows_fini(struct ent_windows *);
void	ent_windows_add(struct ent_windows *, struct span);
/* Entropy of the open, partial window (0 when empty). */
double	ent_windows_partial(const struct ent_windows *);

#endif
