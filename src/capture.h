/*
 * capture.h — packet sources presented as one timeline.
 *
 * A capture is an ordered set of inputs (capture files, standard input; the live interface
 * joins later through the same interface and libpcap's selectable descriptor).  capture_next()
 * hands out the packet with the smallest timestamp among the inputs' pending packets, so
 * several -r files are analysed as one timeline.  Packet bytes stay owned by their input and
 * are valid until the next capture_next() call.
 *
 * Every packet carries its input index and the byte offset of its record in that input's
 * (decompressed) byte stream: an index of (input, offset) per flow lets a viewer read a flow's
 * packets back on demand instead of holding payloads in memory.
 *
 * Classic pcap and pcapng go through libpcap (pcap_fopen_offline over our own buffered,
 * gunzipping stream); pcapng whose interfaces have different link types, which libpcap 1.10
 * refuses, is re-read from the start by our own block reader (pcapng.h), which also reads
 * pcapng arriving on a pipe, where starting again is impossible.
 *
 * A damaged input never stops the others: its problem becomes a warning (truncated at byte N,
 * not a capture file…) and what it yielded so far stays analysed.
 */
#ifndef IOT_CAPTURE_H
#define IOT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct warnlist;

struct cap_pkt {
	int64_t		 ts_ns;		/* since the epoch */
	uint32_t	 caplen;	/* bytes present in data */
	uint32_t	 wirelen;	/* bytes on the wire (>= caplen) */
	int		 linktype;	/* DLT_ value */
	uint32_t	 input;
	uint32_t	 ifidx;		/* pcapng interface, else 0 */
	uint64_t	 num;		/* 1-based, across the whole timeline */
	uint64_t	 offset;	/* record offset in its input's decompressed bytes */
	const uint8_t	*data;
};

struct cap_input_info {
	const char	*name;		/* as given; "-" is standard input */
	const char	*format;	/* "pcap", "pcap-ns", "pcapng" */
	int		 gzip;
	int		 big_endian;	/* pcap only: file written on a big-endian host */
	int		 linktype;	/* first interface's DLT_ */
	uint64_t	 packets;
	uint64_t	 bytes;		/* decompressed input bytes consumed */
	int64_t		 first_ns, last_ns;
	int		 truncated;	/* ended inside a record */
	uint64_t	 stop_offset;	/* where a damaged input stopped */
	const char	*error;		/* why it stopped early, or NULL */
};

struct capture;

struct capture	*capture_new(struct warnlist *warnings);
/*
 * Keep inputs readable at random after they are read (call before adding files): plain files
 * stay open, compressed files and pipes are spooled decompressed to an unlinked file in
 * TMPDIR.  For the payload viewer; off by default.
 */
void		 capture_keep(struct capture *);
void		 capture_free(struct capture *);
/*
 * Opens an input and reads its first packet; 0 on success, -1 when it cannot be opened or is
 * not a capture (err has one line naming the file).  A file that opens but is empty of
 * packets is a success.
 */
int		 capture_add_file(struct capture *, const char *path, char *err, size_t errlen);
/* Next packet of the timeline: 1, or 0 when every input is exhausted. */
int		 capture_next(struct capture *, struct cap_pkt *);
size_t		 capture_ninputs(const struct capture *);
void		 capture_input_info(const struct capture *, size_t i, struct cap_input_info *);
struct reread_src;
/* How to read input i back (reread.h); -1 when it was not kept. */
int		 capture_reread_src(const struct capture *, uint32_t input, struct reread_src *);
/* Raw (compressed) bytes read so far and in all (0 when unknown, e.g. a pipe). */
void		 capture_progress(const struct capture *, uint64_t *done, uint64_t *total);
/* libpcap's short name of a DLT ("EN10MB"), or "DLT_<n>" in buf. */
const char	*capture_linktype_name(int dlt, char *buf, size_t len);
const char	*capture_linktype_desc(int dlt);

#endif
