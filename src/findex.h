/*
 * findex.h — where each flow's payload packets are in the input: per flow, one small record
 * per packet that carried transport payload (input, byte offset of its record, time,
 * direction, link type, TCP sequence number, payload length).  The payload viewer and
 * searches read packets back through these records (reread.h) instead of keeping payloads in
 * memory; 32 bytes a packet, kept only when the front end asks for it (the workbench does,
 * the headless report does not).
 */
#ifndef IOT_FINDEX_H
#define IOT_FINDEX_H

#include <stddef.h>
#include <stdint.h>

struct pkt_ref {
	uint64_t	 offset;	/* record offset in its input (decompressed) */
	int64_t		 ts_ns;
	uint32_t	 input;
	uint32_t	 seq;		/* TCP sequence number of the first payload byte */
	uint32_t	 len;		/* payload bytes present in the capture */
	uint16_t	 linktype;	/* DLT_ */
	uint8_t		 dir;		/* 0: initiator → responder */
	uint8_t		 tcp;
};

struct findex;

struct findex	*findex_new(void);
void		 findex_free(struct findex *);
void		 findex_add(struct findex *, uint32_t flow, const struct pkt_ref *);
size_t		 findex_count(const struct findex *, uint32_t flow);
/* The i-th payload packet of a flow, in capture order; borrowed. */
const struct pkt_ref *findex_get(const struct findex *, uint32_t flow, size_t i);
/* Forgets a flow's records (it was folded: its packets can no longer be read back). */
void		 findex_drop(struct findex *, uint32_t flow);
size_t		 findex_bytes(const struct findex *);

#endif
