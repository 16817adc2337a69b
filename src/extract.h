/*
 * extract.h — protocol-aware extractors: logins and secrets a plain pattern cannot read
 * reliably because they depend on the protocol's state or encoding.
 *
 * Line protocols (extract-lines.c), fed a flow direction's reassembled bytes in order:
 *   FTP USER/PASS (RFC 959); POP3 USER/PASS, APOP and AUTH PLAIN/LOGIN (RFC 1939, 5034);
 *   IMAP LOGIN and AUTHENTICATE PLAIN/LOGIN, with SASL-IR (RFC 9051, 4959); SMTP AUTH PLAIN and
 *   LOGIN (RFC 4954, base64 decoded); Telnet login and password answers, option negotiation
 *   and line editing removed (RFC 854/855); Redis AUTH (inline and RESP).  The server's answer
 *   to a login (230/530, +OK/-ERR, OK/NO, 235/535) marks it accepted or rejected.
 * Messages (extract-msg.c): MQTT CONNECT client id, user name and password (3.1, 3.1.1, 5);
 *   SNMP v1/v2c community (BER, RFC 1157/3416).
 *
 * Extractors never allocate per packet: their state is a fixed struct per flow.
 */
#ifndef IOT_EXTRACT_H
#define IOT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "patterns.h"

/*
 * Where an extractor's findings go: the decoded value, the bytes it came from (raw, inside
 * the line or message msg, which is the context) and raw's offset in the direction's stream.
 */
struct ext_emit {
	long	(*found)(void *ctx, int dir, const char *type, enum find_cat, enum find_sev,
		    const uint8_t *value, size_t vlen, const char *user, const uint8_t *raw,
		    size_t rawlen, uint64_t raw_off, const uint8_t *msg, size_t msglen);
	void	(*outcome)(void *ctx, long finding, int accepted);
	void	*ctx;
};

enum ext_proto {
	EXT_NONE,
	EXT_FTP,
	EXT_POP3,
	EXT_IMAP,
	EXT_SMTP,
	EXT_TELNET,
	EXT_REDIS
};

#define EXT_LINE	512
#define EXT_USER	128

struct ext_lines {
	uint8_t		 proto;		/* enum ext_proto */
	uint8_t		 stage;		/* a multi-line login in progress (SASL) */
	uint8_t		 telnet_expect;	/* the server's last prompt asked for: 1 user, 2 password */
	uint8_t		 sasl_login;	/* AUTH LOGIN: 1 user next, 2 password next */
	uint8_t		 resp_n;	/* Redis: strings in the RESP array being read */
	uint8_t		 resp_i;	/* ... and how many were read */
	char		 tag[32];	/* IMAP tag of the pending login */
	char		 user[EXT_USER];
	long		 pending;	/* finding waiting for the server's answer, -1 none */
	struct {
		uint8_t		 buf[EXT_LINE];
		uint16_t	 len;
		uint8_t		 overflow;
		uint8_t		 iac;	/* Telnet: inside a command (1, 2) or subnegotiation (3, 4) */
		uint64_t	 start;	/* stream offset of the line's first byte */
	} d[2];
};

/* The line protocol of a flow from its server port or detected protocol, or EXT_NONE. */
enum ext_proto ext_proto_for(int app_proto, uint16_t server_port);
void	ext_lines_init(struct ext_lines *, enum ext_proto);
/* Bytes of direction dir (0: client → server) starting at stream offset off. */
void	ext_lines_feed(struct ext_lines *, int dir, const uint8_t *b, size_t n, uint64_t off,
	    const struct ext_emit *);
/* End of the stream: a last line without its end is still read. */
void	ext_lines_flush(struct ext_lines *, int dir, const struct ext_emit *);

/*
 * MQTT: the client's first message, from the stream's start.  Returns 1 when a CONNECT was
 * read, 0 when more bytes are needed, -1 when it is no CONNECT (stop looking).
 */
int	ext_mqtt_connect(int dir, const uint8_t *b, size_t n, uint64_t off,
	    const struct ext_emit *);
/* SNMP: one datagram; the community string when it is v1 or v2c. */
void	ext_snmp(int dir, const uint8_t *b, size_t n, uint64_t off, const struct ext_emit *);

#endif
