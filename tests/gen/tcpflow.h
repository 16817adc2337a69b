/*
 * tcpflow.h — one TCP connection as a step machine: 3-way handshake, the messages a scenario
 * hands it (segmented at the MSS, acked every second segment as delayed ACK does), and a FIN
 * close.  Each step yields one frame and the delay before the next, so a scheduler can
 * interleave thousands of connections.
 */
#ifndef GEN_TCPFLOW_H
#define GEN_TCPFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "payload.h"
#include "pktbuild.h"
#include "rng.h"

struct tcpflow {
	struct ep	 end[2];	/* 0: the local client, 1: the remote server */
	int		 v6;
	int		 ts_opt;	/* RFC 7323 timestamps: 12 bytes of each segment */
	uint16_t	 mss_opt;	/* advertised: 1460 on IPv4, 1440 on IPv6 */
	uint16_t	 mss;		/* payload per full segment */
	uint8_t		 wscale[2];
	uint16_t	 synwin[2];
	uint16_t	 win[2];	/* window field once scaling is on */
	uint32_t	 nxt[2];	/* next sequence number each end sends */
	uint32_t	 tsbase[2];
	uint32_t	 tsrecent[2];	/* last TSval each end received */
	int		 state;
	int		 unacked[2];	/* data segments received and not yet acked */
	int		 ack_due;	/* the end that sends a pure ACK next, or -1 */
	int		 ack_eom;	/* that ACK ends a message: receiver's timing */
	int		 ack_every;	/* 2 as delayed ACK does, 1 in quick-ack mode */
	int		 have_msg;
	struct msg	 m;
	uint32_t	 off;		/* bytes of m already sent */
	int		 closer;	/* the end that sends the first FIN */
	uint64_t	 rtt_ns;	/* router to server and back */
	uint64_t	 lan_ns;	/* local turnaround */
	uint64_t	 gap_ns;	/* spacing of back-to-back segments */
	int		(*next)(void *, struct msg *);	/* 0 when no message is left */
	void		*ctx;
	const struct pool *pool;
	struct rng	*rng;
};

void	tcpflow_init(struct tcpflow *, struct rng *, const struct pool *, int, int,
	    int (*)(void *, struct msg *), void *);
int	tcpflow_step(struct tcpflow *, uint64_t, uint8_t *, size_t *, uint64_t *);

#endif
