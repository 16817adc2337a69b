/*
 * device.h — local stations.
 *
 * A device is keyed by its MAC where the link has MACs, else by its local (private, link-local,
 * loopback or CGNAT) IP.  Two indexes lead to it: MAC → device and IP → device, so a host first
 * met by IP takes its MAC when it later shows one instead of becoming a second device.  A MAC
 * that carries packets of two or more public addresses other than its own is a gateway.
 * Per device: vendor (resolved lazily from the OUI registry), IPs, names it announces (DHCP,
 * mDNS, SSDP), packets and bytes each way, flows and distinct remote endpoints.  Lists per device are capped so hostile input cannot grow them without bound;
 * what was dropped is counted.
 */
#ifndef IOT_DEVICE_H
#define IOT_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct strpool;

enum name_source {
	NAME_DHCP,		/* option 12 host name */
	NAME_MDNS,		/* an A/AAAA record the device announced for its own address */
	NAME_DHCP_FQDN,		/* option 81 */
	NAME_MDNS_SERVICE,	/* a DNS-SD service instance it announced */
	NAME_SSDP,		/* SERVER or USER-AGENT of its SSDP messages */
	NAME_DHCP_VENDOR,	/* option 60 vendor class */
	NAME_SOURCE_COUNT
};

struct dev_name {
	const char	*name;		/* interned, borrowed from the pool */
	enum name_source source;
};

#define DEV_IPS_MAX	64
#define DEV_NAMES_MAX	32
#define DEV_CARRIED_MAX	4

struct device {
	uint32_t	 id;
	uint8_t		 has_mac;
	uint8_t		 mac[6];
	/* Public addresses whose packets this MAC carried: a gateway unless they are its own. */
	struct addr	 carried[DEV_CARRIED_MAX];
	uint8_t		 ncarried;
	struct addr	 key_ip;	/* the key when there is no MAC */

	struct addr	*ips;
	uint32_t	 nips, ips_cap;
	uint32_t	 ips_dropped;
	struct dev_name	*names;
	uint32_t	 nnames, names_cap;
	uint32_t	 names_dropped;
	struct addr	 dhcp_requested;
	uint8_t		 has_dhcp_requested;

	uint64_t	 pkts_sent, pkts_recv;
	uint64_t	 bytes_sent, bytes_recv;
	uint64_t	 payload_sent, payload_recv;
	uint32_t	 nflows;
	int64_t		 first_ns, last_ns;

	/* Distinct remote endpoints: an open-addressing set of addresses. */
	struct addr	*remote;
	uint8_t		*remote_used;
	uint32_t	 nremote, remote_cap;
};

struct device_table;

struct device_table *device_table_new(void);
void		 device_table_free(struct device_table *);
/* The device with this MAC, created when new (and then taking over an IP-keyed twin). */
struct device	*device_by_mac(struct device_table *, const uint8_t mac[6], int create);
/* The device that last used this IP; create makes an IP-keyed device when there is none. */
struct device	*device_by_ip(struct device_table *, const struct addr *, int create);
/* Gives an IP-keyed device its MAC (it was first met on a link without one). */
void		 device_adopt_mac(struct device_table *, struct device *, const uint8_t mac[6]);
size_t		 device_count(const struct device_table *);
/* Memory the table holds (walks the devices: not for every packet). */
size_t		 device_table_bytes(const struct device_table *);
struct device	*device_get(const struct device_table *, size_t id);

void		 device_add_ip(struct device_table *, struct device *, const struct addr *);
void		 device_add_name(struct device *, struct strpool *, enum name_source,
		    const char *name, size_t len);
void		 device_add_remote(struct device *, const struct addr *);
void		 device_seen(struct device *, int64_t ts_ns);
/* Notes that this MAC carried a packet from or to a public address. */
void		 device_carried(struct device *, const struct addr *);
/* Whether the device forwards for others: it carried public addresses that are not its own. */
int		 device_is_gateway(const struct device *);
/* The name to show: DHCP host name first, then mDNS, FQDN, services, SSDP, vendor class. */
const char	*device_best_name(const struct device *);
const char	*name_source_str(enum name_source);
/* Unicast and not all zeros. */
int		 mac_is_unicast(const uint8_t mac[6]);
char		*mac_fmt(const uint8_t mac[6], char *buf, size_t len);

#endif
