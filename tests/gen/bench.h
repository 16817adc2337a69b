/*
 * bench.h — shared state of the benchmark scenario: the local devices, the public servers, the
 * traffic categories with their flow and byte shares, and the per-flow generator state.  Split
 * over scen-bench.c (the mix and the flow pool), bench-net.c (hosts and datagram exchanges) and
 * bench-tcp.c (what TCP flows say).
 */
#ifndef GEN_BENCH_H
#define GEN_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include "msg.h"
#include "payload.h"
#include "pktbuild.h"
#include "rng.h"
#include "sched.h"
#include "sink.h"

#define BENCH_NDEV	50
#define BENCH_NSRV	2000

enum bench_cat {
	CAT_TLS,		/* 443, 8883, a little 8443 */
	CAT_HTTP,		/* 80 and 8080 */
	CAT_MQTT,		/* 1883 */
	CAT_BIN,		/* proprietary encrypted frames (Tuya-like) on 8886 */
	CAT_DNS,
	CAT_NTP,
	CAT_MCAST,		/* SSDP and mDNS */
	CAT_ICMP,
	NCAT
};

enum bench_role {
	ROLE_WEB,
	ROLE_MQTT,
	ROLE_BIN
};

struct bench_dev {
	uint8_t		 mac[6];
	uint8_t		 ip[4];
	uint8_t		 ip6[16];
	int		 has6;
	uint8_t		 ttl;
	int		 ts_opt;
	uint16_t	 next_port;	/* ephemeral ports are handed out in turn */
	const char	*kind;
};

struct bench_srv {
	uint8_t		 ip[4];
	uint8_t		 ip6[16];
	int		 has6;
	uint8_t		 ttl;
	enum bench_role	 role;
	char		 name[72];
};

struct bench_stat {
	uint64_t	 flows;
	uint64_t	 packets;
	uint64_t	 wire;
};

struct bench {
	struct rng	 rng;
	struct pool	 pool;
	struct sched	 sched;
	struct sink	 sink;
	struct bench_dev dev[BENCH_NDEV];
	struct bench_srv *srv;
	uint32_t	 role_start[3];	/* servers of each role are contiguous */
	uint32_t	 role_count[3];
	uint8_t		 router_mac[6];
	uint8_t		 router_ip[4];

	uint32_t	 left[NCAT];	/* flows still to open */
	uint32_t	 active;
	uint32_t	 pool_target;	/* flows kept open at once */
	int64_t		 target_wire[NCAT];
	int64_t		 committed[NCAT];	/* estimated wire bytes of open flows */
	int64_t		 done_wire[NCAT];
	uint64_t	 done_payload[NCAT];
	struct bench_stat stat[NCAT];
	uint64_t	 opened;

	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 buf[4096];
};

/* What a TCP flow is going to say; lives beside its struct flow. */
struct bench_flow {
	struct bench	*b;
	enum bench_cat	 cat;
	int		 prelude;	/* carries a DNS lookup first */
	int		 v13;
	int		 style;		/* 0 chatty, 1 download, 2 upload, 3 stream */
	int		 phase;
	int64_t		 budget;	/* payload bytes still to send */
	uint64_t	 planned;
	int64_t		 est_wire;
	uint32_t	 count;
	uint16_t	 pktid;
	const struct bench_srv *srv;
	const struct bench_dev *dev;
	uint8_t		 sid[32];
	uint8_t		 head[TLS_HELLO_MAX + 512];	/* the message's literal bytes */
};

void			 bench_net_init(struct bench *);
struct bench_dev	*bench_pick_dev(struct bench *);
const struct bench_srv	*bench_pick_srv(struct bench *, enum bench_role);
uint16_t		 bench_port(struct bench_dev *);
struct ep		 bench_ep_dev(struct bench *, const struct bench_dev *, int, uint16_t);
struct ep		 bench_ep_srv(struct bench *, const struct bench_srv *, int, uint16_t);
void			 bench_dns(struct bench *, struct flow *, uint64_t, struct bench_dev *,
			     const struct bench_srv *);
void			 bench_ntp(struct bench *, struct flow *, struct bench_dev *, uint64_t);
void			 bench_mcast(struct bench *, struct flow *, struct bench_dev *);
void			 bench_icmp(struct bench *, struct flow *, struct bench_dev *);

int			 bench_tcp_next(void *, struct msg *);

#endif
