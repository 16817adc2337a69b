/*
 * demo.h — what the demo scenario's two files share: the home network's hosts, the demo state
 * and the helpers that build its frames, flows and truth lines.  demo-lan.c holds the LAN side
 * (hosts, DHCP, ARP, SSDP, mDNS, DNS); scen-demo.c the timeline and the cloud conversations.
 * scen-splitauth.c borrows the hosts.
 */
#ifndef GEN_DEMO_H
#define GEN_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "payload.h"
#include "pktbuild.h"
#include "rng.h"
#include "sched.h"
#include "script.h"
#include "sink.h"

#define T0_NS		(1773478800ull * 1000000000ull)	/* 2026-03-14 09:00:00 UTC */
#define MS(x)		((uint64_t)(x) * 1000000ull)
#define US(x)		((uint64_t)(x) * 1000ull)
#define AT(s, ms)	(T0_NS + (uint64_t)(s) * 1000000000ull + MS(ms))

struct demo_host {
	const char	*name;
	const char	*vendor;	/* IEEE registrant of the OUI */
	const char	*vendor_class;	/* DHCP option 60 */
	uint8_t		 mac[6];
	uint8_t		 ip[4];
	uint8_t		 ttl;
	int		 ts_opt;	/* its TCP stack uses timestamps */
	const uint8_t	*params;	/* DHCP option 55 */
	size_t		 nparams;
};

enum { H_ROUTER, H_CAM, H_PLUG, H_SCALE, H_HUB, H_PHONE, NHOSTS };

extern const struct demo_host demo_hosts[NHOSTS];
extern const uint8_t demo_phone_ll6[16];
extern const uint8_t demo_phone_gl6[16];

struct demo {
	struct rng	*r;		/* what flows being set up draw from, now and as they run */
	struct rng	 rng;		/* the first conversations' */
	struct rng	 rng_late;	/* the leak flows' (camera_leak_flows and after) */
	struct pool	 pool;
	struct sched	 sched;
	struct sink	 sink;
	FILE		*truth;
	struct script	**scripts;
	size_t		 nscripts;
	size_t		 cap;
	int		 ntcp;
	uint8_t		 frame[PB_FRAME_MAX];
	uint8_t		 buf[65536];
};

void		 demo_truth(struct demo *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
const char	*demo_mac_str(char *, const uint8_t *);
const char	*demo_ip_str(char *, size_t, const uint8_t *, int);
const char	*demo_ep_str(char *, size_t, const struct ep *, int);
struct ep	 demo_ep_host(struct demo *, int, uint16_t);
struct ep	 demo_ep_remote(struct demo *, const uint8_t *, int, uint16_t, uint8_t);
uint16_t	 demo_port(struct demo *);
uint64_t	 demo_ms(struct demo *, uint32_t, uint32_t);
uint64_t	 demo_us(struct demo *, uint32_t, uint32_t);
void		 demo_start(struct demo *, struct flow *, uint64_t);
struct script	*demo_script(struct demo *);
void		 demo_dns(struct demo *, struct flow *, uint64_t, int, const char *, uint16_t,
		     const char *, const uint8_t (*)[16], int, uint64_t);
void		 demo_dhcp(struct demo *, int, uint64_t);
void		 demo_arp(struct demo *, int, uint64_t);
void		 demo_ssdp(struct demo *, uint64_t);
void		 demo_mdns(struct demo *);

#endif
