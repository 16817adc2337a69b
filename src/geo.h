/*
 * geo.h — where a remote address is: country and network owner from offline MaxMind-format
 * databases (libmaxminddb), never an online lookup.  Several databases may be loaded; each is
 * recognised from its metadata as a country, city or ASN database, and the record layouts of
 * GeoIP2/GeoLite2 (country.iso_code, else registered_country), DB-IP lite and ip-location-db
 * (country_code) and GeoLite2-ASN are read.  Every country database answers for every
 * address, so their disagreements show; tables count an address under the first one's answer.
 * Private, loopback, link-local, multicast, broadcast, carrier-grade NAT, documentation and
 * other never-routed ranges are labelled and never looked up.  Answers are cached per address:
 * a lookup is a tree walk, and reports ask for the same address once per flow.
 */
#ifndef IOT_GEO_H
#define IOT_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define GEO_DB_MAX	8	/* databases loaded at most */

enum geo_kind {
	GEO_COUNTRY,
	GEO_CITY,		/* has countries too */
	GEO_ASN,
	GEO_UNKNOWN		/* opened, but nothing in it this reader knows */
};

struct geo_db_info {
	const char	*path;
	const char	*type;		/* metadata database_type */
	enum geo_kind	 kind;
	uint64_t	 build_epoch;	/* seconds */
	uint32_t	 ip_version;
	const char	*description;	/* English description from the metadata, or NULL */
	const char	*attribution;	/* from NAME.source beside NAME.mmdb (make geoip), or NULL */
};

/* What the databases say of one address. */
struct geo_answer {
	enum addr_class	 cls;		/* not ADDR_PUBLIC: labelled, not looked up */
	uint8_t		 ncountry;	/* country databases asked */
	char		 cc[GEO_DB_MAX][3];	/* each one's ISO code, "" when it has none */
	const char	*country;	/* English name of cc[0], or NULL */
	int		 disagree;	/* country databases gave different known codes */
	uint32_t	 asn;		/* 0: unknown */
	const char	*org;		/* network owner, or NULL */
};

struct geo;
struct warnlist;

struct geo	*geo_new(void);
void		 geo_free(struct geo *);
/* Opens a database; -1 with a one-line reason (unreadable, not MaxMind format, too many). */
int		 geo_add(struct geo *, const char *path, char *err, size_t errlen);
/*
 * With no --geoip: IOTSCOPE_GEOIP (files or folders, separated by ':'), else every *.mmdb in
 * /usr/share/GeoIP, /var/lib/GeoIP and the data folders, in name order.  Problems are warnings.
 */
void		 geo_add_defaults(struct geo *, const char *const *datadirs, size_t ndirs,
		    struct warnlist *);
size_t		 geo_count(const struct geo *);
/* Memory the answer cache holds (the databases are mapped files, not counted). */
size_t		 geo_cache_bytes(const struct geo *);
/* Database lookups made so far (an address, or a /24 all databases answer alike, asks once). */
uint64_t	 geo_lookups(const struct geo *);
const struct geo_db_info *geo_info(const struct geo *, size_t i);
/* How many loaded databases answer countries, and owners. */
int		 geo_has_country(const struct geo *);
int		 geo_has_asn(const struct geo *);
/* What the databases say of ip (a copy; its strings live until geo_free). */
void		 geo_lookup(struct geo *, const struct addr *ip, struct geo_answer *out);
/*
 * The same without changing g, for threads that share it: the answer geo_lookup gave for ip
 * before (reports look up every flow's addresses first), or, with no database loaded, the
 * address's class.  -1, and *out as for an unknown address, when ip was not looked up.
 */
int		 geo_peek(const struct geo *, const struct addr *ip, struct geo_answer *out);
const char	*geo_kind_name(enum geo_kind);
/* "DE", or every database's distinct answer when they disagree ("DE/CN"); "??" for none. */
const char	*geo_codes(const struct geo_answer *, char *buf, size_t len);

/* English name of an ISO 3166-1 alpha-2 code (country-names.c), or NULL. */
const char	*country_name(const char *code);

#endif
