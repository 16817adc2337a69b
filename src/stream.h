/*
 * stream.h — a flow as a conversation, the way Wireshark's Follow Stream shows it: TCP
 * payload reassembled in sequence order per direction (retransmissions and overlaps dropped,
 * missing bytes marked as gaps), datagrams of other protocols in capture order, and the
 * result cut into turns (runs of one direction).  Built from the flow's packet index alone
 * (sequence numbers and lengths), so no payload is held; the bytes of any part are read back
 * on demand through a small cache of recent packets.
 */
#ifndef IOT_STREAM_H
#define IOT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"

struct conv_seg {
	uint32_t	 ref;		/* the packet: index into the flow's findex entries */
	uint32_t	 skip;		/* its payload bytes already delivered by earlier packets */
	uint32_t	 len;		/* its bytes in the conversation */
	uint64_t	 off;		/* where they start in their turn */
};

struct conv_turn {
	uint32_t	 first_seg, nsegs;
	uint8_t		 dir;		/* 0: initiator → responder */
	uint64_t	 len;
	uint64_t	 stream_off;	/* offset of its first byte in its direction's stream */
	uint64_t	 gap;		/* bytes missing just before this turn (0: none) */
	int64_t		 ts_ns;
};

#define CONV_CACHE	8

struct conv {
	uint32_t	 flow;
	size_t		 npkts;		/* index entries the conversation was built from */
	struct conv_seg	*seg;
	size_t		 nseg;
	struct conv_turn *turn;
	size_t		 nturn;
	uint64_t	 bytes[2];	/* delivered bytes per direction */
	uint64_t	 dropped;	/* retransmitted or overlapping bytes left out */
	uint64_t	 missing;	/* bytes never seen (gaps) */

	/* Recently read packets' payloads (ref → bytes). */
	struct {
		uint32_t	 ref;
		int		 valid;
		uint8_t		*data;
		size_t		 len, cap;
	} cache[CONV_CACHE];
	unsigned	 cache_next;
};

/* Builds the conversation of a flow from the analysis' index; 0, or -1 without an index. */
int	conv_build(struct conv *, struct analysis *, uint32_t flow);
void	conv_free(struct conv *);
/*
 * Copies up to n bytes of turn t from offset off into buf; returns how many (short at the end
 * of the turn), or -1 with a reason in err when the capture cannot be read back.
 */
ssize_t	conv_read(struct conv *, struct analysis *, size_t t, uint64_t off, uint8_t *buf,
	    size_t n, char *err, size_t errlen);

struct rx;

struct conv_match {
	uint32_t	 turn;
	uint32_t	 len;
	uint64_t	 off;		/* in the turn */
};

/*
 * Runs a regular expression over every turn (large turns in overlapping windows) and
 * appends at most max matches, in conversation order, to *v (grown; the caller frees it).
 * Returns the number found, or -1 with a reason in err (a read error or a match limit; the
 * matches found so far are kept).
 */
long	conv_search(struct conv *, struct analysis *, struct rx *, struct conv_match **v,
	    size_t *n, size_t max, char *err, size_t errlen);

#endif
