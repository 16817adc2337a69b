/*
 * dissect.h — the protocol dissectors that fill a struct pkt, outermost first.  Each takes a
 * cursor over its layer's bytes and reads only through it (reader.h); damage is recorded in
 * the pkt, never fatal.  Application-layer parsers (DNS, DHCP, SSDP, ARP) report what they
 * find through callbacks, so they know nothing of the tables the analysis keeps.
 */
#ifndef IOT_DISSECT_H
#define IOT_DISSECT_H

#include <stdint.h>

#include "pkt.h"
#include "reader.h"

/* Decodes the whole packet down to the transport payload. */
void	dissect_packet(struct pkt *, const struct cap_pkt *);

/* Layers, for dissect_packet() and the unit tests. */
void	dissect_link(struct pkt *, int dlt, struct rd);
void	dissect_ethertype(struct pkt *, uint16_t type, struct rd);
void	dissect_ipv4(struct pkt *, struct rd);
void	dissect_ipv6(struct pkt *, struct rd);
void	dissect_transport(struct pkt *, uint8_t proto, struct rd, uint32_t claimed_len);
/* Whether dissect_link() knows the DLT. */
int	dissect_link_supported(int dlt);

/* DNS (and mDNS, LLMNR): one message. */
enum dns_rr_kind {
	DNS_QUESTION,
	DNS_ANSWER,
	DNS_AUTHORITY,
	DNS_ADDITIONAL
};

struct dns_rr {
	enum dns_rr_kind kind;
	const char	*name;		/* owner name, dotted, raw label bytes (escape on output) */
	uint16_t	 type, klass;
	uint32_t	 ttl;
	const char	*target;	/* CNAME/PTR/SRV/NS target name, else NULL */
	const uint8_t	*addr;		/* A: 4 bytes, AAAA: 16, else NULL */
	uint16_t	 srv_port;
};

struct dns_msg {
	uint16_t	 id;
	int		 response;
	int		 rcode;
	uint16_t	 qd, an, ns, ar;
};

enum dns_status {
	DNS_OK,
	DNS_TRUNCATED,		/* ran out of bytes */
	DNS_MALFORMED		/* a bad label, pointer loop or impossible count */
};

#define DNS_NAME_MAX	256	/* 255 octets of presentation name + NUL */
#define DNS_TYPE_A	1
#define DNS_TYPE_NS	2
#define DNS_TYPE_CNAME	5
#define DNS_TYPE_PTR	12
#define DNS_TYPE_TXT	16
#define DNS_TYPE_AAAA	28
#define DNS_TYPE_SRV	33

typedef void (*dns_rr_fn)(void *ctx, const struct dns_msg *, const struct dns_rr *);
/* Parses one DNS message; calls fn for every record until the end or the first damage. */
enum dns_status dns_parse(struct rd msg, dns_rr_fn fn, void *ctx, struct dns_msg *hdr);
/*
 * Reads a (possibly compressed) name starting at cursor pos within msg into out
 * (DNS_NAME_MAX bytes).  Pointers must point strictly backwards, which also makes loops
 * impossible.  Returns DNS_OK and advances pos past the name.
 */
enum dns_status dns_read_name(const struct rd *msg, struct rd *pos, char *out);

/* DHCP (BOOTP options). */
struct dhcp_info {
	int		 op;		/* 1 request, 2 reply */
	int		 msg_type;	/* option 53, 0 when absent */
	uint8_t		 chaddr[6];
	int		 has_chaddr;
	uint8_t		 ciaddr[4], yiaddr[4], requested[4];
	int		 has_requested;
	char		 hostname[256];	/* option 12, raw bytes up to a NUL */
	char		 vendor[256];	/* option 60 */
	char		 fqdn[256];	/* option 81 */
};
enum dns_status dhcp_parse(struct rd, struct dhcp_info *);

/* ARP over Ethernet/IPv4. */
struct arp_info {
	uint16_t	 op;
	uint8_t		 sha[6], tha[6];
	uint8_t		 spa[4], tpa[4];
};
/* 0 when it is an Ethernet/IPv4 ARP that was read whole, -1 otherwise. */
int	arp_parse(struct rd, struct arp_info *);

/* SSDP (HTTP over UDP 1900): start line kind and the headers that name a device. */
struct ssdp_info {
	int		 kind;		/* 'N'OTIFY, 'M'-SEARCH, 'R'esponse, 0 unknown */
	char		 server[256];	/* SERVER (NOTIFY, responses) or USER-AGENT (M-SEARCH) */
	char		 location[256];
	char		 usn[256];
};
int	ssdp_parse(struct rd, struct ssdp_info *);

#endif
