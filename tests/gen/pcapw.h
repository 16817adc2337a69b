/*
 * pcapw.h — streaming capture file writers: classic pcap (micro/nanosecond, either byte order)
 * and pcapng (one or two interfaces).  Records go through a large buffer owned by the writer, so
 * a gigabyte capture never sits in memory.
 */
#ifndef GEN_PCAPW_H
#define GEN_PCAPW_H

#include <stdint.h>
#include <stdio.h>

enum pcapw_format {
	PCAPW_PCAP,		/* microseconds, little-endian */
	PCAPW_PCAP_NS,		/* nanoseconds, little-endian */
	PCAPW_PCAP_BE,		/* microseconds, big-endian */
	PCAPW_PCAPNG,		/* one interface, nanosecond timestamps */
	PCAPW_PCAPNG_MIXED	/* two interfaces with different link types */
};

#define PCAPW_MAXIF	2

struct pcapw {
	FILE		*fp;
	enum pcapw_format fmt;
	uint32_t	 snaplen;
	int		 nifs;
	uint16_t	 linktype[PCAPW_MAXIF];
	uint8_t		*buf;
	size_t		 len;
	size_t		 cap;
	int		 commented;	/* the first EPB's comment is written */
	int		 err;
	uint64_t	 file_bytes;
	uint64_t	 packets;
};

int	pcapw_format_parse(const char *, enum pcapw_format *);
int	pcapw_open(struct pcapw *, FILE *, enum pcapw_format, const uint16_t *, int, uint32_t);
int	pcapw_packet(struct pcapw *, int, uint64_t, const uint8_t *, uint32_t, uint32_t);
int	pcapw_close(struct pcapw *);

#endif
