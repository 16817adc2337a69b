/*
 * names.h — what the capture says an IP address is called: DNS (and mDNS) answers, each with
 * the name asked for, the CNAME chain that led there, the device that received the answer and
 * when; the server names clients sent in TLS ClientHellos (over TCP or in QUIC Initials) and
 * HTTP Host headers.  One address
 * may carry several names over time; all are kept, deduplicated per (address, name, device,
 * source), and names_best ranks them.
 */
#ifndef IOT_NAMES_H
#define IOT_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct strpool;

enum ipname_source {
	IPNAME_DNS,
	IPNAME_MDNS,
	IPNAME_SNI,		/* a TLS ClientHello's server_name, for the server's address */
	IPNAME_HTTP,		/* an HTTP request's Host, likewise */
	IPNAME_QUIC_SNI		/* the server_name of a ClientHello inside QUIC Initial packets */
};

struct ipname {
	struct addr	 ip;
	const char	*name;		/* owner name of the A/AAAA record (interned) */
	const char	*query;		/* the name that was asked (interned) */
	const char	*chain;		/* "query > cname > … > name" when CNAMEs led there, else NULL */
	uint32_t	 device1;	/* receiving device id + 1, 0 when not a local station */
	enum ipname_source source;
	int64_t		 first_ns, last_ns;
	uint32_t	 count;
	uint32_t	 next1;		/* next entry for the same address, + 1 */
	uint32_t	 next_dev1;	/* next for the same address and device, + 1 */
};

struct names;

struct names	*names_new(struct strpool *pool);
void		 names_free(struct names *);
void		 names_add(struct names *, const struct addr *, const char *name, const char *query,
		    const char *chain, uint32_t device1, enum ipname_source, int64_t ts);
/* First entry for the address (follow next1 for the rest), or NULL. Borrowed. */
const struct ipname *names_first(const struct names *, const struct addr *);
const struct ipname *names_next(const struct names *, const struct ipname *);
/* The entries of one device (0: of none) for the address, in the order added. Borrowed. */
const struct ipname *names_dev_first(const struct names *, const struct addr *,
		    uint32_t device1);
const struct ipname *names_dev_next(const struct names *, const struct ipname *);
/* How many different names the address went by (any device, any source). */
size_t		 names_distinct(const struct names *, const struct addr *);
/*
 * Best name for ip as seen by device1 (0: any device): the DNS answer that device received,
 * then the TLS SNI it sent (read from QUIC ranked as from TLS), then the HTTP Host, then names
 * other devices resolved (DNS, then SNI and Host), mDNS last; the most recent of equals.
 */
const char	*names_best(const struct names *, const struct addr *, uint32_t device1);
const struct ipname *names_best_entry(const struct names *, const struct addr *,
		    uint32_t device1);
const char	*ipname_source_name(enum ipname_source);
size_t		 names_count(const struct names *);
/* Memory the table holds (the names themselves are in the pool). */
size_t		 names_bytes(const struct names *);
const struct ipname *names_get(const struct names *, size_t i);

#endif
