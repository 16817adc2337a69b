/*
 * sink.h — where generated frames go: link-layer wrapping, the pcapng-mixed interface choice,
 * --snaplen cutting and the file writer, behind one call per frame.
 */
#ifndef GEN_SINK_H
#define GEN_SINK_H

#include <stdint.h>
#include <stdio.h>

#include "encap.h"
#include "pcapw.h"
#include "pktbuild.h"

struct sink {
	struct pcapw	 w;
	struct encap	 e;
	int		 mixed;
	uint32_t	 snaplen;
	uint64_t	 frames;	/* frames offered, the index that picks a mixed interface */
	uint64_t	 wire_bytes;	/* original lengths of frames written */
	uint8_t		 out[PB_FRAME_MAX + ENCAP_MAX_EXTRA];
};

int	sink_open(struct sink *, FILE *, enum pcapw_format, enum encap_link, const uint8_t *,
	    uint32_t);
int	sink_frame(struct sink *, uint64_t, const uint8_t *, size_t);
int	sink_close(struct sink *);

#endif
