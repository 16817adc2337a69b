/*
 * dests.h — where each device's data goes: its remote endpoints aggregated over its flows,
 * with the best name the capture gives each, country and network owner (geo.h), bytes and
 * packets each way, flows, first and last contact, protocols and verdicts; and the tables
 * across devices: countries (the paper's Table 5), device × country (its Appendix A),
 * organisations, and how many devices reach more than one country.  Everything is built in
 * one pass over the flows when asked, so the workbench can ask a few times a second; flows
 * folded to stay within --max-memory count through their totals (fold.h).
 */
#ifndef IOT_DESTS_H
#define IOT_DESTS_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "geo.h"

#define DEST_SERVICES	4
#define DEST_ANY_DEVICE	UINT32_MAX

struct dest {
	struct addr	 ip;
	uint32_t	 device;	/* its device's id; DEST_ANY_DEVICE built across them */
	uint64_t	 flows;		/* folded ones included (fold.h) */
	uint64_t	 pkts[2], bytes[2];	/* 0: out (device → remote), 1: in */
	int64_t		 first_ns, last_ns;
	uint16_t	 svc_port[DEST_SERVICES];
	uint8_t		 svc_proto[DEST_SERVICES];
	uint8_t		 nsvc;
	unsigned	 verdicts;	/* bit (1 << verdict) of every direction with payload */
	char		 protos[96];	/* protocols, with TLS versions */
	const char	*name;		/* best name for this device (names_best), or NULL */
	struct geo_answer geo;
};

struct analysis;

/*
 * The remote endpoints of device1 - 1 (0: of every device, one row per address, or, with
 * per_device, one row per device and address).  Sorted by device, then bytes, largest first.
 * *out is the caller's to free.
 */
size_t	dests_build(struct analysis *, uint32_t device1, int per_device, struct dest **out);

/* A country's row in the countries table (the paper's Table 5). */
struct country_row {
	char		 cc[3];		/* "" for public addresses no database places */
	const char	*name;
	uint32_t	 devices;	/* devices with a destination there */
	uint32_t	 dests;
	uint64_t	 flows, bytes[2];
	int		 disagree;	/* some destination's country databases disagree */
};

struct org_row {
	uint32_t	 asn;		/* 0: unknown */
	const char	*org;
	uint32_t	 devices, dests;
	uint64_t	 flows, bytes[2];
};

/* The tables across devices, from dests_build(a, 0, 1, …)'s rows. */
struct geo_tables {
	struct country_row *countries;	/* by bytes, largest first */
	size_t		 ncountries;
	struct org_row	*orgs;
	size_t		 norgs;
	/* Device × country bytes (both ways): matrix[device * ncountries + country]. */
	uint64_t	*matrix;
	size_t		 ndevices;
	/* Its cells that are not zero, by device then country: the matrix as rows. */
	struct geo_cell {
		uint32_t	 device;
		uint32_t	 country;
	}		*cells;
	size_t		 ncells;
	uint32_t	 devices_public;	/* devices with any public destination */
	uint32_t	 devices_multi;		/* ... in more than one known country */
};

void	geo_tables_build(struct analysis *, const struct dest *, size_t n, struct geo_tables *);
void	geo_tables_free(struct geo_tables *);

#endif
