/*
 * evidence-fmt.h — the bytes of the capture files the evidence writer makes (evidence.h):
 * pcapng section, interface and enhanced packet blocks, nanosecond pcap headers and records,
 * all in host byte order.  Each kind has a size function, so the writer can reserve room
 * first, and a function that fills exactly that many bytes; and the table of a pcapng file's
 * interface blocks.
 */
#ifndef IOT_EVIDENCE_FMT_H
#define IOT_EVIDENCE_FMT_H

#include <stddef.h>
#include <stdint.h>

#define EVFMT_PCAP_HDR		24u
#define EVFMT_PCAP_REC		16u	/* pcap record header */
#define EVFMT_EPB_HEAD		28u	/* pcapng EPB up to the packet data */
#define EVFMT_IFNAME_MAX	256	/* longer interface names are cut */

/* The LINKTYPE_ value a file carries for a DLT_ value (libpcap's dlt_to_linktype()). */
int	evfmt_linktype(int dlt);

/* Section header block with shb_userappl "iotscope VERSION" and shb_comment (NULL: none). */
size_t	evfmt_shb_size(const char *comment);
void	evfmt_shb(uint8_t *p, const char *comment);
/* Nanosecond pcap file header (EVFMT_PCAP_HDR bytes). */
void	evfmt_pcap_hdr(uint8_t *p, uint32_t snaplen, int dlt);
/* Interface block: if_name when ifname is not NULL or empty, if_tsresol 9. */
size_t	evfmt_idb_size(const char *ifname);
void	evfmt_idb(uint8_t *p, int dlt, uint32_t snaplen, const char *ifname);

/* A packet's record: head, caplen bytes of data, tail (pcapng padding and length). */
size_t	evfmt_rec_size(int pcap, uint32_t caplen);
size_t	evfmt_rec_head(uint8_t *p, int pcap, uint32_t ifid, int64_t ts_ns, uint32_t caplen,
	    uint32_t wirelen);
size_t	evfmt_rec_tail(uint8_t p[8], int pcap, uint32_t caplen);

/*
 * The length of the block (pcapng) or record (pcap) at p, which must be one we wrote and at
 * least 12 bytes long; *is_pkt tells whether it holds a packet.
 */
size_t	evfmt_block(const uint8_t *p, int pcap, int *is_pkt);

/*
 * The interface blocks of one pcapng file: (input, ifidx, link type) to interface id, the
 * order of the blocks.  Embedded (zeroed to start), released with evfmt_ifs_fini().
 */
struct evfmt_if {
	uint32_t	 input, ifidx;
	int		 linktype;
	uint64_t	 off;		/* of its block in the file */
};

struct evfmt_ifs {
	struct evfmt_if	*v;
	uint32_t	 n, cap;
	uint32_t	*slot;		/* open addressing: index + 1, 0 empty */
	uint32_t	 nslots;
};

/* The id of (input, ifidx, lt), or -1 when the file has no block for it yet. */
int64_t		evfmt_ifs_find(const struct evfmt_ifs *, uint32_t input, uint32_t ifidx,
		    int lt);
uint32_t	evfmt_ifs_add(struct evfmt_ifs *, uint32_t input, uint32_t ifidx, int lt,
		    uint64_t off);
/* Forgets the interfaces whose blocks start at or after off (they never reached the file). */
void		evfmt_ifs_cut(struct evfmt_ifs *, uint64_t off);
void		evfmt_ifs_clear(struct evfmt_ifs *);
void		evfmt_ifs_fini(struct evfmt_ifs *);

#endif
