/*
 * windows.h — the entropy of successive fixed-size windows of payload, read back from the
 * capture through the packet index: a flow's bytes in capture order (both directions, as
 * the heatmap shows them), or any ordered list of packets (a device's flows merged).  Reads
 * only as far as the windows asked for reach.
 */
#ifndef IOT_WINDOWS_H
#define IOT_WINDOWS_H

#include <stddef.h>
#include <stdint.h>

#include "entropy.h"

struct analysis;

/* One packet of a source: its flow and its position in that flow's packet index. */
struct wref {
	uint32_t	 flow;
	uint32_t	 idx;
};

/* A flow's packets in capture order (its index order); *out is the caller's to free. */
size_t	windows_flow_refs(const struct analysis *, uint32_t flow, struct wref **out);
/*
 * Feeds the payloads of refs, in order, into w until it holds max closed windows (0: no
 * limit).  When start is not NULL it has room for max entries and start[k] is the position
 * in refs of the packet window k begins in.  Returns packets that could not be read back.
 */
size_t	windows_feed(struct analysis *, const struct wref *refs, size_t n,
	    struct ent_windows *w, uint32_t max, uint32_t *start);

#endif
