/*
 * scen.h — the options gen-main.c parses and the scenarios it can run.  A scenario opens the
 * sink itself (it knows which MAC is the router's), writes every frame, and fills the truth file
 * when one was asked for.
 */
#ifndef GEN_SCEN_H
#define GEN_SCEN_H

#include <stdint.h>
#include <stdio.h>

#include "encap.h"
#include "pcapw.h"

struct gen_opts {
	uint64_t		 seed;
	enum encap_link		 link;
	enum pcapw_format	 fmt;
	uint32_t		 snaplen;
	uint64_t		 size;		/* bench: bytes to aim for */
	uint32_t		 flows;		/* bench, synflood, udpflows, stress: flows to open */
	uint32_t		 devices;	/* stations: stations */
	uint32_t		 names;		/* stations: names each one looks up */
	uint32_t		 addrs;		/* stations, udpflows: public addresses */
	int			 size_set;	/* --size or --flows given: else a scenario's */
	int			 flows_set;	/* own defaults */
	const char		*shape;		/* stress: which shape */
	int			 verbose;
	const char		*link_name;
	const char		*fmt_name;
};

/* Statistics a scenario reports back for --verbose. */
struct gen_stats {
	uint64_t	 packets;
	uint64_t	 file_bytes;
	uint64_t	 flows;
	uint64_t	 first_ns;
	uint64_t	 last_ns;
};

int	scen_demo(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_splitauth(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_evil(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_noports(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_bench(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_stations(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_udpflows(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_stress(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_quic(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
int	scen_synflood(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);

#endif
