/*
 * verdict.h — is a flow direction readable?  The rules, in order (documented in iotscope(1)):
 *
 *   unknown     fewer than min_bytes payload bytes (default 64): too few to judge;
 *   encrypted   the protocol is an encrypted one (TLS, SSL, DTLS, QUIC, SSH);
 *   compressed  media or an archive (JPEG, PNG, MP4, H.264, gzip, zip…) seen by its magic
 *               bytes, in a cleartext protocol or at the start of an unknown one;
 *   encoded     a limited alphabet: at least 95% of the bytes base64 (or hex) characters,
 *               with the entropy such an alphabet gives (base64 >= 4.5, hex 3.0-4.2 bits);
 *   compressed  a cleartext protocol whose bytes look random (see below): a body compressed
 *               or encoded in a way without magic bytes (the middle of a file, say);
 *   cleartext   a cleartext protocol (HTTP, MQTT, DNS, FTP…), or at least 80% printable;
 *   encrypted   an unknown protocol whose entropy reaches what n random bytes score on
 *               average, less 5% (so 64 random bytes, at 5.8 expected, still count);
 *   encoded     an unknown binary protocol below that: structured or obfuscated, not random.
 *
 * A cleartext protocol is never called encrypted, whatever its entropy.  Apart from the
 * verdict, the paper's fixed-threshold judgement is kept in a field of its own: entropy
 * below the threshold (default 7.0 bits per byte) means "cleartext".
 */
#ifndef IOT_VERDICT_H
#define IOT_VERDICT_H

#include <stdint.h>

#include "detect.h"
#include "entropy.h"

enum verdict {
	V_UNKNOWN,
	V_CLEARTEXT,
	V_ENCODED,
	V_COMPRESSED,
	V_ENCRYPTED,
	V_COUNT
};

struct verdict_opts {
	double		 threshold;	/* the paper's fixed threshold, bits per byte */
	uint64_t	 min_bytes;
};

#define VERDICT_THRESHOLD	7.0
#define VERDICT_MIN_BYTES	64
#define VERDICT_RANDOM_MARGIN	0.05

/* Alphabet shares of a histogram: base64 characters (and line ends), hex digits. */
void	verdict_alphabet(const struct hist *, double *b64, double *hex);
enum verdict verdict_of(const struct ent_figures *, const struct hist *,
	    const struct flow_app *, int dir, const struct verdict_opts *);
/* "cleartext" or "encrypted" by the fixed threshold; NULL with no bytes. */
const char *verdict_fixed(const struct ent_figures *, const struct verdict_opts *);
const char *verdict_name(enum verdict);

#endif
