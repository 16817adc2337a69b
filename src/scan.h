/*
 * scan.h — the findings scanner: runs the pattern set, the built-in identifier scanners
 * (e-mail and MAC addresses) and the protocol extractors over every flow direction's payload
 * as the analysis reads it.
 *
 * TCP directions are reassembled in sequence order (retransmissions and overlaps dropped, a
 * few segments that arrive early held back until the gap before them fills; a gap that never
 * fills is skipped), so a header split over segments is read whole and a retransmitted one is
 * read once.  UDP datagrams are scanned one by one.  Memory per flow is bounded: the held
 * segments (SCAN_HOLD_BYTES), and the tail of what was already scanned that a match may still
 * continue from (from the last line end or control byte, at least 64 and at most SCAN_CARRY
 * bytes).  A match is reported once, when it can no longer grow; one longer than SCAN_CARRY,
 * or one that spans a control byte more than 64 bytes before a segment boundary, is not
 * found.  Directions
 * known to be encrypted (TLS, DTLS, QUIC, SSH, MQTT over TLS) are not scanned at all, nor the
 * rest of a direction of no known protocol whose first 4 KiB look like random bytes, nor
 * HTTP bodies of image, video and audio types (httpbody.h).
 */
#ifndef IOT_SCAN_H
#define IOT_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

#define SCAN_CARRY	2048
#define SCAN_HOLD	8		/* early segments held per direction */
#define SCAN_HOLD_BYTES	65536

struct findings;
struct flow_app;
struct patset;
struct warnlist;

/* One packet's payload as the analysis hands it over. */
struct scan_pkt {
	uint32_t	 flow;
	uint8_t		 dir;		/* 0: initiator → responder */
	uint8_t		 tcp;
	uint8_t		 tcp_flags;
	uint16_t	 server_port;	/* the responder's port */
	uint16_t	 client_port;	/* the initiator's */
	uint32_t	 seq;
	struct span	 payload;
	uint64_t	 num;		/* packet number */
	int64_t		 ts_ns;
	const struct flow_app *app;	/* protocol detection so far, or NULL */
};

struct scan_stats {
	uint64_t	 scanned;	/* payload bytes the patterns looked at (first time) */
	uint64_t	 rescanned;	/* carried bytes looked at again with the next piece */
	uint64_t	 runs;		/* expressions run after the prefilter let them */
	uint64_t	 skipped;	/* bytes of directions known to be encrypted */
	uint64_t	 skipped_random;	/* bytes after a random-looking start (no protocol) */
	uint64_t	 skipped_media;	/* HTTP bodies of image, video and audio types */
	uint64_t	 dropped;	/* retransmitted or overlapping bytes */
	uint64_t	 gaps;		/* bytes never seen */
	uint64_t	 limits;	/* pattern runs stopped by a match or depth limit */
};

struct scanner;

struct scanner	*scanner_new(const struct patset *, struct findings *, struct warnlist *);
void		 scanner_free(struct scanner *);
void		 scanner_packet(struct scanner *, const struct scan_pkt *);
/* End of input: held segments are read past their gaps, last matches and lines reported. */
void		 scanner_finish(struct scanner *);
/*
 * One flow ends early (folded under a memory limit): read to its end as scanner_finish does,
 * then its state is freed and the id forgotten, for a new flow to take.
 */
void		 scanner_fold(struct scanner *, uint32_t flow, const struct flow_app *);
/* Memory the scanner holds: the flows' state (estimated from what is allocated) and tables. */
size_t		 scanner_bytes(const struct scanner *);
const struct scan_stats *scanner_stats(const struct scanner *);

#endif
