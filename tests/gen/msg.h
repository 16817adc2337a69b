/*
 * msg.h — application-layer message builders: DNS and mDNS (with name compression), DHCP,
 * TLS ClientHello/ServerHello flights, QUIC Initial packets, MQTT 3.1.1 packets, NTP, base64
 * and JPEG headers.  Each writes into a caller's buffer and returns the bytes written; callers
 * size their buffers from the limits given here.
 */
#ifndef GEN_MSG_H
#define GEN_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* DNS message writer with RFC 1035 4.1.4 compression of every name it writes. */
#define DNSW_NAMES	64

struct dnsw {
	uint8_t		*p;
	size_t		 n;
	size_t		 cap;
	uint16_t	 name_off[DNSW_NAMES];
	char		 name_str[DNSW_NAMES][256];
	int		 nnames;
};

#define DNS_A		1
#define DNS_CNAME	5
#define DNS_SOA		6
#define DNS_PTR		12
#define DNS_TXT		16
#define DNS_AAAA	28
#define DNS_SRV		33
#define DNS_IN		1
#define DNS_FLUSH	0x8000		/* mDNS cache-flush bit on the class */

void	dnsw_init(struct dnsw *, uint8_t *, size_t);
void	dnsw_header(struct dnsw *, uint16_t, uint16_t, uint16_t, uint16_t, uint16_t, uint16_t);
void	dnsw_question(struct dnsw *, const char *, uint16_t, uint16_t);
size_t	dnsw_rr_begin(struct dnsw *, const char *, uint16_t, uint16_t, uint32_t);
void	dnsw_rr_end(struct dnsw *, size_t);
void	dnsw_name(struct dnsw *, const char *);
void	dnsw_bytes(struct dnsw *, const void *, size_t);
void	dnsw_u16(struct dnsw *, uint16_t);
void	dnsw_rr_addr(struct dnsw *, const char *, uint16_t, uint16_t, uint32_t,
	    const uint8_t *);
void	dnsw_rr_name(struct dnsw *, const char *, uint16_t, uint16_t, uint32_t, const char *);
void	dnsw_rr_srv(struct dnsw *, const char *, uint16_t, uint32_t, uint16_t, const char *);
void	dnsw_rr_txt(struct dnsw *, const char *, uint16_t, uint32_t, const char *const *, int);

/* DHCP over BOOTP; the message is at most DHCP_MAX bytes. */
#define DHCP_MAX	576
#define DHCPDISCOVER	1
#define DHCPOFFER	2
#define DHCPREQUEST	3
#define DHCPACK		5

struct dhcp_args {
	int		 type;
	uint32_t	 xid;
	uint16_t	 secs;
	const uint8_t	*chaddr;
	const uint8_t	*yiaddr;	/* offered address (OFFER, ACK) */
	const uint8_t	*server;	/* the server's address: siaddr and option 54 */
	const uint8_t	*requested;	/* option 50 (DISCOVER, REQUEST) */
	const char	*hostname;	/* option 12 */
	const char	*vendor_class;	/* option 60 */
	const uint8_t	*params;	/* option 55 */
	size_t		 nparams;
	uint32_t	 lease_s;
	const uint8_t	*mask;
	const uint8_t	*router;
	const uint8_t	*dns;
	const char	*domain;
};

size_t	dhcp_build(uint8_t *, const struct dhcp_args *);

/* TLS handshake flights; TLS_HELLO_MAX bounds a ClientHello and a ServerHello flight. */
#define TLS_HELLO_MAX	4096

size_t	tls_client_hello(uint8_t *, struct rng *, const char *, int, const char *,
	    uint8_t *);
size_t	tls_server_flight(uint8_t *, struct rng *, int, const uint8_t *, uint32_t);
size_t	tls_client_finish(uint8_t *, struct rng *, int);

/*
 * QUIC client Initial packets, protected as RFC 9001 5 (v1, draft-29) and RFC 9369 (v2) say;
 * QUIC_GEN_PACKET_MAX bounds one packet.  quic_gen_initial pads with PADDING frames to pad_to
 * bytes in all; quic_gen_handshake is a Handshake packet of len opaque bytes (its keys come
 * from the TLS exchange), for coalescing after an Initial.
 */
#define QUIC_GEN_V1		0x00000001u
#define QUIC_GEN_V2		0x6b3343cfu
#define QUIC_GEN_DRAFT29	0xff00001du
#define QUIC_GEN_PACKET_MAX	1500

void	quic_gen_keys(uint32_t, const uint8_t *, size_t, uint8_t *, uint8_t *, uint8_t *);
size_t	quic_crypto_frame(uint8_t *, uint64_t, const uint8_t *, size_t);
size_t	quic_gen_initial(uint8_t *, uint32_t, const uint8_t *, size_t, const uint8_t *, size_t,
	    uint16_t, const uint8_t *, size_t, size_t);
size_t	quic_gen_handshake(uint8_t *, uint32_t, const uint8_t *, size_t, const uint8_t *, size_t,
	    struct rng *, size_t);

/* MQTT 3.1.1 control packets. */
size_t	mqtt_connect(uint8_t *, const char *, const char *, const char *, uint16_t);
size_t	mqtt_connack(uint8_t *);
size_t	mqtt_subscribe(uint8_t *, uint16_t, const char *);
size_t	mqtt_suback(uint8_t *, uint16_t);
size_t	mqtt_publish_header(uint8_t *, const char *, size_t, int, uint16_t);
size_t	mqtt_publish(uint8_t *, const char *, const uint8_t *, size_t, int, uint16_t);
size_t	mqtt_puback(uint8_t *, uint16_t);
size_t	mqtt_simple(uint8_t *, uint8_t);

#define MQTT_PINGREQ	0xc0
#define MQTT_PINGRESP	0xd0
#define MQTT_DISCONNECT	0xe0

/* NTP version 4 client request (mode 3) and server reply (mode 4); 48 bytes. */
#define NTP_LEN		48

size_t	ntp_request(uint8_t *, uint64_t, struct rng *);
size_t	ntp_reply(uint8_t *, const uint8_t *, uint64_t, uint64_t, struct rng *);

size_t	base64_encode(char *, const uint8_t *, size_t);

#define JPEG_HEAD_LEN	122
size_t	jpeg_head(uint8_t *, uint16_t, uint16_t);

#endif
