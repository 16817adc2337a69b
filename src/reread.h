/*
 * reread.h — reading one packet back from its input at a recorded offset (findex.h): a pcap
 * record or the pcapng packet block at or after the offset.  Inputs are kept readable for
 * this by the capture (capture_keep()): plain files through a duplicate of their descriptor,
 * compressed files and pipes through a spool of their decompressed bytes.
 */
#ifndef IOT_REREAD_H
#define IOT_REREAD_H

#include <stddef.h>
#include <stdint.h>

struct reread_src {
	int		 fd;
	int		 is_pcapng;
	int		 big_endian;	/* pcap records' byte order */
	uint32_t	 rec_hdr;	/* pcap record header size */
};

/*
 * Reads the packet whose record starts at offset into *buf (grown as needed, owned by the
 * caller); sets caplen and wirelen.  -1 with a one-line reason in err.
 */
int	reread_packet(const struct reread_src *, uint64_t offset, uint8_t **buf, size_t *bufcap,
	    uint32_t *caplen, uint32_t *wirelen, char *err, size_t errlen);

#endif
