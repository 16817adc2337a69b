/*
 * overview.h — the packets overview, as the paper's tool printed it: totals, per link type,
 * IPv4/IPv6, TCP/UDP/ICMP, ARP, DHCP, DNS, fragments, packets with payload and with payload
 * that is printable UTF-8, and damage (truncated by the snap length vs malformed) per layer.
 */
#ifndef IOT_OVERVIEW_H
#define IOT_OVERVIEW_H

#include <stdint.h>

#include "pkt.h"

#define OV_LINKTYPES_MAX	32

struct ov_linktype {
	int		 dlt;
	uint64_t	 packets;
	int		 supported;
};

struct overview {
	uint64_t	 packets;
	uint64_t	 wire_bytes, captured_bytes;
	int64_t		 first_ns, last_ns;

	struct ov_linktype linktypes[OV_LINKTYPES_MAX];
	int		 nlinktypes;
	int		 last_linktype;	/* slot of the previous packet's link type */

	uint64_t	 ipv4, ipv6, ip_options;
	uint64_t	 tcp, udp, icmp, icmpv6, other_ip;
	uint64_t	 arp, dhcp, dns, mdns, ssdp, llmnr;
	uint64_t	 quic_skipped;		/* QUIC Initial packets that could not be opened */
	uint64_t	 fragments;
	uint64_t	 vlan_tagged;
	uint64_t	 non_ip;		/* link-layer frames that carry no IP */
	uint64_t	 wlan_mgmt, wlan_protected, wlan_null;
	uint64_t	 unsupported_link;

	uint64_t	 with_payload;
	uint64_t	 payload_printable;
	uint64_t	 payload_bytes;		/* transport payload present in the capture */

	uint64_t	 truncated, malformed;
	uint64_t	 truncated_at[LAYER_COUNT];
	uint64_t	 malformed_at[LAYER_COUNT];
};

/* Counts one dissected packet; returns the linktype slot's "first time seen" flag. */
int		 overview_count(struct overview *, const struct pkt *);
/* Whether the bytes are printable UTF-8 text (tabs and line ends allowed, no other controls). */
int		 overview_printable_utf8(struct span);
const char	*layer_name(enum layer);

#endif
