/*
 * fold.h — what is left of the flows folded to keep the analysis within --max-memory: per
 * device side of a flow, keyed by the device, the device on the other side and the other
 * side's address, the totals every report table draws from flows (destinations, countries,
 * organisations, device × country, the channels of Table 3, the devices' payload figures); and
 * per server port the port table's.  analysis.c folds; dests.c and triage.c read these beside
 * the flows still held, so every packet and byte stays in every table.  Records stay small
 * (a flood folds millions of flows into them): the sets of protocols are interned strings,
 * the histograms allocated at the first payload.
 */
#ifndef IOT_FOLD_H
#define IOT_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "dests.h"
#include "entropy.h"
#include "verdict.h"

struct flow;
struct flow_triage;

struct fold_dest {
	struct addr	 remote;	/* the other side's address */
	uint32_t	 dev1;		/* the device's id + 1 */
	uint32_t	 peer1;		/* the other side's device id + 1; dev1 when the same */
	uint8_t		 primary;	/* the flows' first device side: counted once across them */
	uint8_t		 nsvc;
	uint8_t		 svc_proto[DEST_SERVICES];
	uint16_t	 svc_port[DEST_SERVICES];
	uint64_t	 flows;
	uint64_t	 pkts[2], bytes[2];	/* 0: sent by the device, 1: received */
	int64_t		 first_ns, last_ns;
	uint64_t	 by[V_COUNT];	/* payload bytes, both ways, by their direction's verdict */
	struct hist	*hist;		/* [2]: payload bytes sent, received; NULL: none */
	const char	*protos;	/* protocols, with TLS versions (triage_label), or "" */
};

struct fold_port {
	uint16_t	 port;
	uint8_t		 transport;	/* IP protocol: TCP or UDP */
	uint64_t	 flows, packets, bytes;
	const char	*protos;	/* protocols seen on it (triage_proto), or "" */
};

struct fold;

struct fold	*fold_new(void);
void		 fold_free(struct fold *);
/* Adds a flow about to be taken out, with its triage (entropy figures and verdicts). */
void		 fold_flow(struct fold *, const struct flow *, const struct flow_triage *);
/* Flows folded in all, and those of a device (counted once when both sides are it). */
uint64_t	 fold_count(const struct fold *);
uint64_t	 fold_device_count(const struct fold *, uint32_t device_id);
size_t		 fold_ndests(const struct fold *);
/* Borrowed; valid until the next fold_flow. */
const struct fold_dest *fold_dest(const struct fold *, size_t i);
size_t		 fold_nports(const struct fold *);
const struct fold_port *fold_port(const struct fold *, size_t i);
/* Memory the tables hold. */
size_t		 fold_bytes(const struct fold *);

#endif
