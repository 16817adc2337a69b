/*
 * quic.h — the TLS ClientHello inside a QUIC client's Initial packets (RFC 9000 17.2.2, RFC 9001
 * section 5, RFC 9369 for version 2).  Initial packets are protected with keys derived from
 * public values, the version's salt and the client's Destination Connection ID, so an observer
 * opens them without any secret, as Wireshark does.  The state lives from a connection's first
 * Initial until its ClientHello is whole (or given up) and is then freed.
 */
#ifndef IOT_QUIC_H
#define IOT_QUIC_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"

#define QUIC_HELLO_MAX		8192	/* ClientHello bytes gathered, at most */
#define QUIC_INITIALS_MAX	6	/* Initial packets opened per connection, at most */
#define QUIC_PACKET_MAX		4096	/* longer Initial packets are skipped */

enum quic_status {
	QUIC_MORE,		/* the ClientHello is not whole yet */
	QUIC_DONE,		/* it is: quic_hello_message() */
	QUIC_GIVE_UP		/* it will not be: not a ClientHello, too long, too many packets */
};

struct quic_hello;

/*
 * Whether the datagram starts with an Initial packet of a version whose salt is known (v1, v2,
 * drafts 23 to 32): the only datagrams worth the state.
 */
int	quic_is_initial(struct span dgram);
struct quic_hello *quic_hello_new(void);
void	quic_hello_free(struct quic_hello *);
/* The memory one holds, for the analysis' accounting. */
size_t	quic_hello_bytes(void);
/*
 * One datagram from the client: every Initial packet coalesced in it is opened and its CRYPTO
 * frames gathered; Handshake and 0-RTT packets are passed over, a short header ends the
 * datagram.  *skipped grows by the Initial packets that could not be read: bad lengths, a
 * sample cut short, a failed authentication, version negotiation, a retry, an unknown version.
 */
enum quic_status quic_hello_datagram(struct quic_hello *, struct span dgram, unsigned *skipped);
/* The frames of an opened Initial's plaintext (tests and the fuzz harness call it directly). */
enum quic_status quic_hello_frames(struct quic_hello *, struct rd plain);
/* The whole ClientHello, handshake header included, once QUIC_DONE; borrowed from q. */
struct span quic_hello_message(const struct quic_hello *);
/* The version of the first Initial opened, 0 before one was. */
uint32_t quic_hello_version(const struct quic_hello *);
/*
 * The client's Initial key, IV and header protection key for version v and the Destination
 * Connection ID dcid (RFC 9001 5.2; RFC 9369 3.3 for v2); 0, or -1 for an unknown version.
 */
int	quic_client_keys(uint32_t v, struct span dcid, uint8_t key[16], uint8_t iv[12],
	    uint8_t hp[16]);
/* A version in one byte (struct flow_app's quic_ver): 1, 2, 0x80 | draft; 0 if other. */
uint8_t	quic_version_code(uint32_t);
/* "v1", "v2", "draft-29" for a code of quic_version_code(); NULL for 0.  Static storage. */
const char *quic_code_name(uint8_t);

#endif
