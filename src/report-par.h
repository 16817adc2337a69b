/*
 * report-par.h — the records of a report section formatted on several threads and written in
 * their order by the calling thread: a million-flow report is mostly number formatting, and
 * by then the analysis threads are idle.
 */
#ifndef IOT_REPORT_PAR_H
#define IOT_REPORT_PAR_H

#include <stddef.h>

#include "obuf.h"

/* Items per range: a megabyte or two of flow records. */
#define REPORT_PAR_RANGE	1024

/*
 * Formats items [from, to) into out (empty on entry), returning how many records it wrote.
 * Called on any thread, several at once: it may only read what they share.
 */
typedef size_t	par_format_fn(void *ctx, size_t from, size_t to, struct obuf_mem *out);
/* Writes one range's bytes, holding nrec records; on the calling thread, in item order. */
typedef int	par_emit_fn(void *ctx, const char *p, size_t n, size_t nrec);

/*
 * Items [0, n) formatted in ranges on up to four threads (one per processor; none for a few
 * ranges) and emitted in order.  The bytes are the same whatever the threads.  Returns 0, or
 * -1 when an emit did (the rest are still formatted and emitted, so the output stays whole
 * up to the failure).
 */
int	report_par(size_t n, par_format_fn *fmt, par_emit_fn *emit, void *ctx);

#endif
