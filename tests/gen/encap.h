/*
 * encap.h — link-layer wrappers.  Scenarios build plain Ethernet II frames without padding; the
 * encapsulation chosen with --link turns each one into what that link type carries on the wire
 * (VLAN tags, Linux cooked headers, BSD loopback, 802.11 with or without radiotap, bare IP).
 */
#ifndef GEN_ENCAP_H
#define GEN_ENCAP_H

#include <stddef.h>
#include <stdint.h>

enum encap_link {
	ENCAP_ETHER,
	ENCAP_VLAN,
	ENCAP_QINQ,
	ENCAP_SLL,
	ENCAP_SLL2,
	ENCAP_RAW,
	ENCAP_NULL,
	ENCAP_LOOP,
	ENCAP_80211,
	ENCAP_RADIOTAP
};

/* Largest header an encapsulation adds in place of the 14-byte Ethernet header. */
#define ENCAP_MAX_EXTRA	64
#define ETH_MIN_FRAME	60

struct encap {
	enum encap_link	 link;
	uint8_t		 router_mac[6];	/* the capture host; the BSSID on 802.11 */
	uint16_t	 seq_ap;	/* 802.11 sequence numbers, one counter per side */
	uint16_t	 seq_sta;
};

int		 encap_parse(const char *, enum encap_link *);
uint16_t	 encap_linktype(enum encap_link);
size_t		 encap_ip(const uint8_t *, size_t, const uint8_t **);
int		 encap_frame(struct encap *, uint64_t, const uint8_t *, size_t, uint8_t *,
		     size_t *);

#endif
