/*
 * sched.h — flows and the scheduler that interleaves them.  A flow is an optional list of
 * prebuilt datagram frames (ARP, DHCP, DNS, ...) followed by an optional TCP connection; the
 * scheduler always steps the flow whose next frame is due first, so conversations overlap in time
 * as on a real network while each one stays in order.
 */
#ifndef GEN_SCHED_H
#define GEN_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "sink.h"
#include "tcpflow.h"

struct flow_frame {
	uint32_t	 off;
	uint32_t	 len;
	uint64_t	 delay_ns;	/* after the previous frame of this flow */
};

struct flow {
	uint64_t	 next_ts;
	uint64_t	 order;		/* creation sequence, breaks ties in time */
	uint8_t		*fbuf;
	size_t		 fbuf_len;
	size_t		 fbuf_cap;
	struct flow_frame *fr;
	uint32_t	 nfr;
	uint32_t	 frcap;
	uint32_t	 fi;		/* next frame to emit */
	uint64_t	 tcp_delay_ns;	/* from the last frame to the SYN */
	int		 has_tcp;
	struct tcpflow	 tcp;
	uint64_t	 wire_bytes;
	uint64_t	 packets;
	void		*user;		/* the scenario's */
	int		 tag;		/* the scenario's */
};

struct sched {
	struct flow	**heap;
	size_t		 n;
	size_t		 cap;
	uint64_t	 order;
	uint64_t	 last_ts;
	struct sink	*out;
	uint8_t		 frame[PB_FRAME_MAX];
};

struct flow	*flow_new(void);
void		 flow_free(struct flow *);
void		 flow_add_frame(struct flow *, uint64_t, const uint8_t *, size_t);

void		 sched_init(struct sched *, struct sink *);
void		 sched_fini(struct sched *);
void		 sched_add(struct sched *, struct flow *, uint64_t);
int		 sched_run(struct sched *, void (*)(void *, struct sched *, struct flow *,
		     uint64_t), void *);

#endif
