/*
 * findings.h — what the payloads leak: each credential, token, identifier or piece of personal
 * data found by a pattern (patterns.h) or a protocol extractor (extract.h), with where it was
 * (flow, direction, packet, stream offset) and a short context.  The same value found again in
 * the same flow direction by the same finding type is counted, not stored again (a device
 * repeating its Basic credentials in every request is one finding seen N times).  Memory is
 * bounded: past FINDINGS_MAX distinct findings new ones are only counted.
 *
 * A finding outlives its flow: when the analysis folds a flow to stay within --max-memory, its
 * findings keep the flow's endpoints and devices (struct find_ends) and their flow becomes
 * FIND_FOLDED | the index of those ends, so no finding names the later flow that reuses the id.
 */
#ifndef IOT_FINDINGS_H
#define IOT_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "patterns.h"

#define FINDINGS_MAX	200000
#define FIND_VALUE_MAX	512	/* longer values are cut (and say so with "…") */
#define FIND_CONTEXT	40	/* bytes of context kept on each side */
#define FIND_FOLDED	0x80000000u	/* in struct finding's flow: its flow was folded */

enum find_outcome {
	OUTCOME_NONE,		/* not a login, or no answer seen */
	OUTCOME_ACCEPTED,
	OUTCOME_REJECTED
};

struct finding {
	const char	*type;		/* interned: pattern or extractor name */
	const char	*value;		/* interned, decoded, NUL-free */
	const char	*user;		/* interned account the secret belongs to, or NULL */
	const char	*raw;		/* interned bytes as on the wire when decoding changed them */
	const char	*before, *after;	/* interned context (raw bytes, NUL-free) */
	const char	*source;	/* "FILE:LINE" of the pattern, or the extractor */
	uint8_t		 cat;		/* enum find_cat */
	uint8_t		 sev;		/* enum find_sev */
	uint8_t		 dir;		/* 0: initiator → responder */
	uint8_t		 outcome;	/* enum find_outcome */
	uint32_t	 flow;		/* flow id, or FIND_FOLDED | its ends' index */
	uint32_t	 next1;		/* the next finding of the same flow, + 1 */
	uint32_t	 pkt_ord;	/* the packet's place among its flow's payload packets */
	uint32_t	 raw_len;	/* bytes of the value on the wire */
	uint64_t	 pkt_num;	/* 1-based in the timeline */
	int64_t		 ts_ns;
	uint64_t	 off;		/* the value's first byte in its direction's stream */
	uint64_t	 count;		/* times seen */
	uint64_t	 last_off;	/* where it was last seen (two scanners, one occurrence) */
};

/* What a folded flow's findings keep of it: the endpoints and the devices on each side. */
struct find_ends {
	struct addr	 a, b;		/* a: the initiator */
	uint16_t	 pa, pb;
	uint8_t		 proto, ipver;
	uint32_t	 dev[2];	/* device id + 1 of each side, 0 when none */
};

/* Where a finding was seen: filled in by the scanner. */
struct find_where {
	uint32_t	 flow;
	uint8_t		 dir;
	uint32_t	 pkt_ord;
	uint64_t	 pkt_num;
	int64_t		 ts_ns;
	uint64_t	 off;
};

struct findings;
struct strpool;

struct findings	*findings_new(struct strpool *);
void		 findings_free(struct findings *);
/*
 * Records a finding; value/raw/context are raw bytes (NULs are dropped).  Returns its index,
 * or -1 when only counted (a repeat, or past the cap).
 */
long		 findings_add(struct findings *, const char *type, enum find_cat, enum find_sev,
		    const char *source, const struct find_where *, const uint8_t *value,
		    size_t vlen, const char *user, const uint8_t *raw, size_t rawlen,
		    const uint8_t *before, size_t blen, const uint8_t *after, size_t alen);
size_t		 findings_count(const struct findings *);
struct finding	*findings_get(const struct findings *, size_t i);
/* Findings beyond the cap, only counted. */
uint64_t	 findings_dropped(const struct findings *);
/* Per flow id: how many findings (occurrences counted once); 0 past the table. */
uint32_t	 findings_of_flow(const struct findings *, uint32_t flow);
/*
 * The flow is being folded: its findings keep *e and leave the id, which a later flow may
 * reuse.  Costs the flow's own findings, nothing when it has none.
 */
void		 findings_fold(struct findings *, uint32_t flow, const struct find_ends *e);
/* The ends a folded finding kept (f->flow & FIND_FOLDED), else NULL; borrowed. */
const struct find_ends *findings_ends(const struct findings *, const struct finding *f);
/* Memory the table holds (its strings are in the pool and counted there). */
size_t		 findings_bytes(const struct findings *);

#endif
