/*
 * pcapng.h — a small pcapng block reader of our own, used where libpcap cannot go: libpcap 1.10
 * refuses a pcapng file whose interfaces have different link types ("an interface has a type
 * … different from the type of the first interface") and never says which interface a packet
 * came from.  Reads SHB (both byte orders), IDB (if_tsresol, if_tsoffset), EPB, SPB and the
 * obsolete PB; skips every other block, comments included.
 */
#ifndef IOT_PCAPNG_H
#define IOT_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

struct bytesrc;
struct pcapng;

struct pcapng_pkt {
	int64_t		 ts_ns;
	uint32_t	 caplen, wirelen;
	uint32_t	 ifidx;
	int		 linktype;	/* LINKTYPE_ value from the IDB */
	uint64_t	 offset;	/* of the block in the (decompressed) input */
	const uint8_t	*data;		/* valid until the next pcapng_next() */
};

/* Reads from src (borrowed; it must be positioned at the start of the file). */
struct pcapng	*pcapng_new(struct bytesrc *src);
void		 pcapng_free(struct pcapng *);
/*
 * Next packet: 1, 0 at the clean end, -1 on an error described in err.  *truncated is set
 * when the input ended inside a block (as opposed to a block that cannot be right).
 */
int		 pcapng_next(struct pcapng *, struct pcapng_pkt *, int *truncated,
		    char *err, size_t errlen);
/*
 * For a reader that holds the bytes itself (a file still being written): how long the block
 * starting at p is (1, *len set), 0 when n bytes are too few to tell, -1 when impossible.
 */
int		 pcapng_frame(const struct pcapng *, const uint8_t *p, size_t n, uint32_t *len);
/*
 * Parses one whole block of len bytes found at offset: 1 with a packet (its data points into
 * blk), 0 for a block without one, -1 with err.  Use pcapng_new(NULL) for such a reader.
 */
int		 pcapng_block(struct pcapng *, const uint8_t *blk, uint32_t len, uint64_t offset,
		    struct pcapng_pkt *pkt, char *err, size_t errlen);
/* Offset of the block read last (where an error or a cut was found). */
uint64_t	 pcapng_block_start(const struct pcapng *);
uint32_t	 pcapng_ninterfaces(const struct pcapng *);
int		 pcapng_linktype(const struct pcapng *, uint32_t ifidx);

#endif
