/*
 * pktbuild.h — builders for Ethernet II frames carrying ARP, IPv4/IPv6 with UDP, TCP, ICMP,
 * ICMPv6 and IGMP, with correct IP header and transport checksums.  Frames come out unpadded:
 * padding to the Ethernet minimum is the link layer's business (encap.c), never part of the IP
 * packet.
 */
#ifndef GEN_PKTBUILD_H
#define GEN_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#define PB_FRAME_MAX	(14 + 60 + 60 + 65536)

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10

/* One end of a conversation as it appears on the LAN: the MAC is the next hop's. */
struct ep {
	uint8_t		 mac[6];
	uint8_t		 ip[16];	/* IPv4 in the first four bytes */
	uint16_t	 port;
	uint8_t		 ttl;		/* hop limit on IPv6 */
	uint16_t	 ipid;		/* next IPv4 identification this end sends */
	uint32_t	 flowlabel;	/* IPv6 only */
};

struct tcpseg {
	uint32_t	 seq;
	uint32_t	 ack;
	uint8_t		 flags;
	uint16_t	 win;
	const uint8_t	*opt;
	size_t		 optlen;	/* a multiple of 4 */
};

size_t	pb_tcp_payload_off(int, size_t);
size_t	pb_tcp(uint8_t *, struct ep *, const struct ep *, int, const struct tcpseg *,
	    const uint8_t *, size_t);
size_t	pb_udp(uint8_t *, struct ep *, const struct ep *, int, const uint8_t *, size_t);
size_t	pb_icmp_echo(uint8_t *, struct ep *, const struct ep *, int, int, uint16_t, uint16_t,
	    const uint8_t *, size_t);
size_t	pb_igmp(uint8_t *, struct ep *, const struct ep *, uint8_t, const uint8_t *);
size_t	pb_arp(uint8_t *, const uint8_t *, int, const uint8_t *, const uint8_t *,
	    const uint8_t *, const uint8_t *);
void	pb_mcast_mac(uint8_t *, const uint8_t *, int);

#endif
