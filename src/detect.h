/*
 * detect.h — what protocol a flow speaks, judged from its payload (the port is only a
 * fallback, and then said to be a guess): TLS/SSL with the negotiated version and SNI, DTLS,
 * QUIC, SSH, HTTP (method, Host, content type), RTSP, MQTT, FTP, Telnet, SMTP, POP3, IMAP,
 * DNS, mDNS, SSDP, CoAP, NTP, DHCP; and what a cleartext protocol carries when it is media
 * or an archive (JPEG, PNG, GIF, WebP, MP4, H.264, gzip, zip, cab, 7z, xz, bzip2, zstd), by
 * magic bytes.
 *
 * Each direction's stream is looked at from its start: TCP segments are gathered in sequence
 * order into a small buffer (at most DETECT_HEAD bytes, freed once decided), datagrams one
 * by one, so a ClientHello or an HTTP header split over segments is still read whole.
 */
#ifndef IOT_DETECT_H
#define IOT_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

struct strpool;

enum app_proto {
	AP_NONE,
	AP_TLS,
	AP_SSL2,
	AP_DTLS,
	AP_QUIC,
	AP_SSH,
	AP_HTTP,
	AP_RTSP,
	AP_MQTT,
	AP_FTP,
	AP_TELNET,
	AP_SMTP,
	AP_POP3,
	AP_IMAP,
	AP_DNS,
	AP_MDNS,
	AP_SSDP,
	AP_COAP,
	AP_NTP,
	AP_DHCP,
	AP_COUNT
};

enum media {
	MEDIA_NONE,
	MEDIA_JPEG,
	MEDIA_PNG,
	MEDIA_MP4,
	MEDIA_H264,
	MEDIA_GZIP,
	MEDIA_ZIP,
	MEDIA_GIF,
	MEDIA_WEBP,
	MEDIA_CAB,
	MEDIA_7Z,
	MEDIA_XZ,
	MEDIA_BZIP2,
	MEDIA_ZSTD
};

#define DETECT_HEAD	4096	/* bytes of a TCP direction gathered for detection */
#define DETECT_PACKETS	8	/* packets of a direction looked at, at most */

struct quic_hello;

struct detect_dir {
	union {
		uint8_t	*buf;		/* the stream's first bytes (TCP), while undecided */
		struct quic_hello *quic; /* a QUIC client's Initials until its Hello is read */
	};
	uint32_t	 len;
	uint32_t	 next_seq;
	uint8_t		 started;
	uint8_t		 done;
	uint8_t		 packets;
	uint8_t		 media;		/* enum media of what this direction carries */
	uint8_t		 tls_cut;	/* its TLS Hello is not all in yet */
	uint8_t		 is_quic;	/* the union holds quic, not buf (in the padding) */
};

struct flow_app {
	uint8_t		 proto;		/* enum app_proto */
	uint8_t		 guessed;	/* from the port alone */
	uint8_t		 over_tls;	/* the application inside TLS, by port or ALPN (AP_MQTT…) */
	uint8_t		 quic_ver;	/* an opened Initial's QUIC version (quic_version_code) */
	uint16_t	 tls_offered;	/* highest version a ClientHello offered */
	uint16_t	 tls_version;	/* version a ServerHello chose, 0 if none seen */
	const char	*sni;		/* interned */
	const char	*alpn;
	const char	*http_method;
	const char	*http_host;
	const char	*http_ctype;
	const char	*banner;	/* SSH or server greeting */
	struct detect_dir dir[2];
};

void	detect_init(struct flow_app *);
void	detect_fini(struct flow_app *);
/*
 * One packet's payload of direction dir (0: initiator to responder).  For TCP seq is the
 * payload's sequence number.  Cheap once both directions are decided.  A QUIC client's
 * datagrams are read on until its ClientHello is whole (quic.h); returns the QUIC Initial
 * packets of this datagram that could not be read.
 */
unsigned detect_packet(struct flow_app *, struct strpool *, int tcp, int dir, uint32_t seq,
	    struct span payload, uint16_t client_port, uint16_t server_port);
/*
 * A TLS ClientHello handshake message (type, 24-bit length, body) without its record layer,
 * as QUIC carries it: SNI, ALPN and the versions offered are read as from a TLS record.
 * 1 when it was a ClientHello.
 */
int	detect_client_hello(struct flow_app *, struct strpool *, struct span msg);
/* When the payload said nothing: a guess from the server port (sets guessed). */
void	detect_guess(struct flow_app *, int tcp, uint16_t client_port, uint16_t server_port);
int	detect_encrypted(enum app_proto);
const char *app_proto_name(enum app_proto);
const char *media_name(enum media);
/* "TLS 1.3", "SSL 3.0"…; NULL for 0. */
const char *tls_version_name(uint16_t);
/* Media type of a payload from its magic bytes. */
enum media detect_media(struct span);

#endif
