/*
 * flow.h — bidirectional flows keyed by IP protocol and both endpoints.
 *
 * Side 0 of a flow is its initiator (the sender of the SYN, else of the first packet seen;
 * a SYN-ACK seen first makes its receiver the initiator); direction 0 is initiator → responder.
 * A TCP flow that has seen FIN or RST and then a fresh SYN with another initial sequence
 * number starts a new flow, as Wireshark's tcp.stream does, so port reuse never merges two
 * connections.  Non-first IP fragments are charged to the flow of their first fragment through
 * a small direct-mapped cache (bounded memory; a fragment whose first part was never seen is
 * only counted in the overview).
 *
 * Flows live in fixed-size chunks, so a struct flow * stays valid for the table's lifetime and
 * flow ids index them; per-flow state (byte histograms, stream reassembly, the packet index for
 * the payload viewer, triage caches) hangs off the id.  Memory follows flows, never packets.
 *
 * Bounded memory (--max-memory): the analysis may take a flow out of the table (flow_remove,
 * after folding it into its aggregates, fold.h); its slot is free until a new flow takes it,
 * so an id names one flow while it is held and may name a later flow after.  Ids are creation
 * order until the first flow is removed.  Walk the table as
 *	for (i = 0; i < flow_slots(t); i++) if (flow_held(f = flow_get(t, i))) …
 * Which flow to take out: a clock sweep (flow_victim) over the slots, a flow seen since the
 * hand last passed it gets a second chance, so the one taken is one that was idle a whole turn;
 * the per-packet cost is one byte set on a cache line the packet writes anyway.
 *
 * The index hashes with a per-run random key (hash.h), so crafted addresses and ports cannot
 * pile flows into one probe chain.
 */
#ifndef IOT_FLOW_H
#define IOT_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "detect.h"
#include "entropy.h"

struct pkt;

struct flow_key {
	struct addr	 a, b;		/* a: initiator */
	uint16_t	 pa, pb;
	uint8_t		 proto;
	uint8_t		 ipver;
	uint8_t		 pad[2];
};

/*
 * Laid out for the per-packet path: the first cache line holds what a lookup compares and the
 * flags, the second the counters every packet updates; the rest is touched rarely.
 */
struct flow {
	/* line 1 */
	struct flow_key	 key;
	uint32_t	 dev[2];	/* device id + 1 of each side; 0 when not a local station */
	uint8_t		 dev_tried[2];
	uint8_t		 tcp_flags[2];	/* OR of the flags sent in each direction */
	uint8_t		 closed;	/* FIN or RST seen */
	uint8_t		 syn_seen;
	uint8_t		 ref;		/* seen since the clock hand passed (flow_victim) */
	uint8_t		 pad;
	int64_t		 last_ns;
	/* line 2 */
	uint64_t	 pkts[2];
	uint64_t	 bytes[2];	/* wire bytes (frame length) */
	uint64_t	 payload[2];	/* transport payload bytes the headers claim */
	uint64_t	 payload_cap[2]; /* transport payload bytes present in the capture */
	/* the rest: 192 bytes in all, so that a scan's million flows without payload stay small */
	int64_t		 first_ns;
	uint64_t	 first_num;	/* packet number of the first packet in the timeline */
	uint64_t	 first_offset;
	uint32_t	 first_input;
	uint32_t	 syn_seq;
	uint32_t	 id;
	struct flow_ext	*ext;		/* NULL until payload, a cut or a fragment is seen */
	struct flow_app	*app;		/* protocol detection (detect.h), from the first payload */
} __attribute__((aligned(64)));

/* What only some flows need, allocated when first needed (flow_ext_get). */
struct flow_ext {
	struct hist	 hist[2];	/* payload bytes per direction, as captured ... */
	struct hist	*own;		/* ... [2], the part the reading thread counted while the
					 * counting thread's ring was full (hcount.h); NULL until */
	uint64_t	 trunc_pkts;	/* packets cut by the snap length */
	uint64_t	 frags;		/* IP fragments */
};

struct flow_table;

struct flow_table *flow_table_new(void);
void		 flow_table_free(struct flow_table *);
/*
 * The flow of an IP packet with a transport header (or at least addresses), created when new;
 * *dir is set to the packet's direction.  Returns a pointer owned by the table.
 */
struct flow	*flow_lookup(struct flow_table *, const struct pkt *, int *dir);
/*
 * The same in two steps, so the caller can do other work while the index slot is fetched
 * from memory: flow_prefetch() hashes and starts the load, flow_lookup_hashed() finishes.
 */
uint64_t	 flow_prefetch(const struct flow_table *, const struct pkt *);
struct flow	*flow_lookup_hashed(struct flow_table *, const struct pkt *, uint64_t hash,
		    int *dir);
/* The flow of a non-first fragment, or NULL when its first fragment was not seen. */
struct flow	*flow_lookup_fragment(struct flow_table *, const struct pkt *, int *dir);
/* Flows held now. */
size_t		 flow_count(const struct flow_table *);
/* Ids are below this; a slot may be free (flow_held says). */
size_t		 flow_slots(const struct flow_table *);
/* Flow by id (0 <= id < flow_slots); borrowed.  A free slot reads as a zeroed flow. */
struct flow	*flow_get(const struct flow_table *, size_t id);
/* Whether a slot holds a flow (every flow has an IP version; a free slot is zeroed). */
static inline int
flow_held(const struct flow *f)
{
	return f->key.ipver != 0;
}
/*
 * The next flow to take out: the clock hand's first flow not seen since its last turn (those
 * seen lose their mark as it passes).  NULL when the table is empty.  Borrowed.
 */
struct flow	*flow_victim(struct flow_table *);
/*
 * Takes a flow out of the index and frees its slot, histograms and detection state (the
 * caller has folded what it needs and dropped the state kept elsewhere by id).
 */
void		 flow_remove(struct flow_table *, struct flow *);
/* The longest run of index slots a lookup may probe (tests: crafted keys do not pile up). */
size_t		 flow_probe_max(const struct flow_table *);
/* The IP protocol's name ("TCP", "ICMPv6", "IP-253"), written into buf; returns buf. */
const char	*flow_proto_name(uint8_t proto, char *buf, size_t len);
/* "ip:port" or "[ip6]:port" of side 0 (initiator) or 1, port 0 included; in buf. */
char		*flow_endpoint_str(const struct flow *, int side, char *buf, size_t len);
/* Summary of TCP flags as letters ("SAFRP"), in buf. */
char		*flow_flags_str(uint8_t flags, char *buf, size_t len);
size_t		 flow_table_bytes(const struct flow_table *);
/* Slots allocated (whole chunks): flow_table_bytes counts sizeof(struct flow) for each. */
size_t		 flow_capacity(const struct flow_table *);
/* The flow's extension, allocated (zeroed) on the first call; owned by the table. */
struct flow_ext	*flow_ext_get(struct flow_table *, struct flow *);
static inline uint64_t
flow_trunc_pkts(const struct flow *f)
{
	return f->ext != NULL ? f->ext->trunc_pkts : 0;
}
static inline uint64_t
flow_frags(const struct flow *f)
{
	return f->ext != NULL ? f->ext->frags : 0;
}
/* Entropy figures of a direction's payload (both histograms of hcount.h added). */
void		 flow_figures(const struct flow *, int dir, struct ent_figures *);
/* Adds a direction's counts into h (device and channel totals). */
void		 flow_hist_add(struct hist *h, const struct flow *, int dir);
/* Adds the payload byte counts of both directions into cnt; their total. */
uint64_t	 flow_counts(const struct flow *, uint64_t cnt[256]);

#endif
