/*
 * windows.c — window entropies read back through the packet index (see windows.h).
 */
#include "config.h"

#include <stdlib.h>

#include "analysis.h"
#include "entropy.h"
#include "findex.h"
#include "windows.h"
#include "xalloc.h"

size_t
windows_flow_refs(const struct analysis *a, uint32_t flow, struct wref **out)
{
	const struct findex *x = analysis_findex(a);
	size_t n = x != NULL ? findex_count(x, flow) : 0;
	struct wref *v = xcalloc(n + 1, sizeof *v);

	for (size_t i = 0; i < n; i++)
		v[i] = (struct wref){ flow, (uint32_t)i };
	*out = v;
	return n;
}

size_t
windows_feed(struct analysis *a, const struct wref *refs, size_t n, struct ent_windows *w,
    uint32_t max, uint32_t *start)
{
	const struct findex *x = analysis_findex(a);
	struct payload_buf pb = { NULL, 0 };
	size_t failed = 0;
	char err[256];

	for (size_t i = 0; i < n && x != NULL && (max == 0 || w->n < max); i++) {
		struct span s;
		if (analysis_payload(a, findex_get(x, refs[i].flow, refs[i].idx), &pb, &s, err,
		    sizeof err) < 0) {
			failed++;
			continue;
		}
		/* In pieces that end on window boundaries, so each window knows its start. */
		struct rd r = rd_make(s.p, s.n);
		while (rd_left(&r) > 0 && (max == 0 || w->n < max)) {
			if (w->fill == 0 && start != NULL)
				start[w->n] = (uint32_t)i;
			struct rd piece = rd_sub(&r, w->size - w->fill, NULL);
			ent_windows_add(w, rd_span(&piece));
		}
	}
	analysis_payload_buf_free(&pb);
	return failed;
}
