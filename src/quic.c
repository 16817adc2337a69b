/*
 * quic.c — opening QUIC Initial packets and gathering the ClientHello from their CRYPTO frames
 * (see quic.h).  The cryptography is libcrypto's (HKDF-SHA256, AES-128-ECB for the header
 * protection mask, AES-128-GCM); packet bytes are read through the bounds-checked cursor and
 * copied once into a buffer of our own, where header protection is removed and the payload
 * opened in place.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "quic.h"
#include "xalloc.h"

#define QUIC_V1		0x00000001u
#define QUIC_V2		0x6b3343cfu

struct quic_keys {
	uint8_t		 key[16];
	uint8_t		 iv[12];
	uint8_t		 hp[16];
};

struct quic_hello {
	uint32_t	 version;		/* of the first Initial opened */
	uint32_t	 key_version;		/* the keys below are for this version... */
	uint8_t		 dcid[20];		/* ...and this Destination Connection ID */
	uint8_t		 dcid_len;
	uint8_t		 have_keys;
	uint8_t		 opened;		/* Initial packets tried */
	struct quic_keys k;
	uint32_t	 have;			/* bytes in from offset 0 without a gap */
	uint8_t		 buf[QUIC_HELLO_MAX];
	uint8_t		 got[QUIC_HELLO_MAX / 8];	/* which bytes of buf are in */
};

/* The Initial salt of a version (RFC 9001 5.2, RFC 9369 3.3.1, the drafts); NULL if unknown. */
static const uint8_t *
salt_of(uint32_t v)
{
	static const uint8_t v1[20] = { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d,
		0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a };
	static const uint8_t v2[20] = { 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81,
		0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 };
	static const uint8_t d29[20] = { 0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e,
		0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99 };
	static const uint8_t d23[20] = { 0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11,
		0xa7, 0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02 };

	if (v == QUIC_V1)
		return v1;
	if (v == QUIC_V2)
		return v2;
	if (v >= 0xff00001du && v <= 0xff000020u)	/* drafts 29 to 32 */
		return d29;
	if (v >= 0xff000017u && v <= 0xff00001cu)	/* drafts 23 to 28 */
		return d23;
	return NULL;
}

uint8_t
quic_version_code(uint32_t v)
{
	if (v == QUIC_V1)
		return 1;
	if (v == QUIC_V2)
		return 2;
	if (salt_of(v) != NULL)
		return (uint8_t)(0x80 | (v & 0x7f));
	return 0;
}

const char *
quic_code_name(uint8_t c)
{
	static const char *const drafts[] = { "draft-23", "draft-24", "draft-25", "draft-26",
		"draft-27", "draft-28", "draft-29", "draft-30", "draft-31", "draft-32" };

	if (c == 1)
		return "v1";
	if (c == 2)
		return "v2";
	if ((c & 0x80) && (c & 0x7f) >= 23 && (c & 0x7f) <= 32)
		return drafts[(c & 0x7f) - 23];
	return NULL;
}

/* A variable-length integer (RFC 9000 16); the cursor goes bad when it is cut short. */
static uint64_t
varint(struct rd *r)
{
	uint8_t b = rd_u8(r);
	uint64_t v = b & 0x3f;

	for (unsigned i = 1; i < 1u << (b >> 6); i++)
		v = v << 8 | rd_u8(r);
	return r->bad ? 0 : v;
}

/* The long header's packet type: Initial is 0 in v1 and the drafts, 1 in v2 (RFC 9369 3.2). */
static int
long_type(uint8_t b0, uint32_t v, int *retry)
{
	unsigned t = (b0 >> 4) & 3;

	if (v == QUIC_V2) {
		*retry = t == 0;
		return t == 1 ? 0 : t == 0 ? 3 : t == 2 ? 1 : 2;
	}
	*retry = t == 3;
	return (int)t;
}

int
quic_is_initial(struct span dgram)
{
	struct rd r = rd_make(dgram.p, dgram.n);
	uint8_t b0 = rd_u8(&r);
	uint32_t v = rd_be32(&r);
	int retry;

	return !r.bad && (b0 & 0xc0) == 0xc0 && salt_of(v) != NULL &&
	    long_type(b0, v, &retry) == 0;
}

struct quic_hello *
quic_hello_new(void)
{
	return xcalloc(1, sizeof(struct quic_hello));
}

void
quic_hello_free(struct quic_hello *q)
{
	if (q != NULL)
		OPENSSL_cleanse(&q->k, sizeof q->k);
	free(q);
}

size_t
quic_hello_bytes(void)
{
	return sizeof(struct quic_hello);
}

/* HKDF-Extract or HKDF-Expand with SHA-256 (RFC 5869) through libcrypto; 0 or -1. */
static int
hkdf(int mode, const uint8_t *key, size_t klen, const uint8_t *salt_or_info, size_t slen,
    uint8_t *out, size_t olen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *c = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[5];
	int rc = -1;

	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, klen);
	p[3] = OSSL_PARAM_construct_octet_string(mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY ?
	    OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO, (void *)salt_or_info, slen);
	p[4] = OSSL_PARAM_construct_end();
	if (c != NULL && EVP_KDF_derive(c, out, olen, p) == 1)
		rc = 0;
	EVP_KDF_CTX_free(c);
	EVP_KDF_free(kdf);
	return rc;
}

/* HKDF-Expand-Label of TLS 1.3 (RFC 8446 7.1) with an empty context. */
static int
expand_label(const uint8_t secret[32], const char *label, uint8_t *out, size_t olen)
{
	uint8_t info[2 + 1 + 255 + 1];
	size_t ll = strlen(label), n = 0;

	info[n++] = (uint8_t)(olen >> 8);
	info[n++] = (uint8_t)olen;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, ll);
	n += 6 + ll;
	info[n++] = 0;					/* context */
	return hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, 32, info, n, out, olen);
}

/* The client's Initial keys for version v and Destination Connection ID dcid (RFC 9001 5.2). */
static int
derive(struct quic_keys *k, uint32_t v, const uint8_t *dcid, size_t dlen)
{
	uint8_t initial[32], client[32];
	int v2 = v == QUIC_V2, rc = -1;

	if (hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, dcid, dlen, salt_of(v), 20, initial, 32) == 0 &&
	    expand_label(initial, "client in", client, 32) == 0 &&
	    expand_label(client, v2 ? "quicv2 key" : "quic key", k->key, 16) == 0 &&
	    expand_label(client, v2 ? "quicv2 iv" : "quic iv", k->iv, 12) == 0 &&
	    expand_label(client, v2 ? "quicv2 hp" : "quic hp", k->hp, 16) == 0)
		rc = 0;
	OPENSSL_cleanse(initial, sizeof initial);
	OPENSSL_cleanse(client, sizeof client);
	return rc;
}

int
quic_client_keys(uint32_t v, struct span dcid, uint8_t key[16], uint8_t iv[12], uint8_t hp[16])
{
	struct quic_keys k;

	if (salt_of(v) == NULL || dcid.n == 0 || dcid.n > 20 || derive(&k, v, dcid.p, dcid.n) != 0)
		return -1;
	memcpy(key, k.key, 16);
	memcpy(iv, k.iv, 12);
	memcpy(hp, k.hp, 16);
	OPENSSL_cleanse(&k, sizeof k);
	return 0;
}

/* The header protection mask: AES-128-ECB of the 16-byte sample (RFC 9001 5.4.3). */
static int
hp_mask(const uint8_t hp[16], const uint8_t sample[16], uint8_t mask[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok = c != NULL &&
	    EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	    EVP_EncryptUpdate(c, mask, &n, sample, 16) == 1 && n == 16;

	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* AES-128-GCM open in place; 0 when the tag verifies. */
static int
gcm_open(const struct quic_keys *k, const uint8_t nonce[12], const uint8_t *aad, size_t alen,
    uint8_t *buf, size_t len, const uint8_t tag[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok = c != NULL &&
	    EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, k->key, nonce) == 1 &&
	    EVP_DecryptUpdate(c, NULL, &n, aad, (int)alen) == 1 &&
	    EVP_DecryptUpdate(c, buf, &n, buf, (int)len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) == 1 &&
	    EVP_DecryptFinal_ex(c, buf + n, &n) == 1;

	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/*
 * One packet copied into pkt (header of hlen bytes up to the packet number, then len bytes of
 * packet number and payload), opened with k: header protection removed, payload decrypted in
 * place.  The plaintext's offset and length go to *off and *plen.  pkt is left changed.
 */
static int
open_with(const struct quic_keys *k, uint8_t *pkt, size_t hlen, size_t len, size_t *off,
    size_t *plen)
{
	uint8_t mask[16], nonce[12];

	/* The sample starts 4 bytes past the packet number's start, whatever its length. */
	if (len < 4 + 16 || hp_mask(k->hp, pkt + hlen + 4, mask) != 0)
		return -1;
	pkt[0] ^= mask[0] & 0x0f;
	size_t pnl = (pkt[0] & 3) + 1u;
	uint64_t pn = 0;
	for (size_t i = 0; i < pnl; i++) {
		pkt[hlen + i] ^= mask[1 + i];
		pn = pn << 8 | pkt[hlen + i];
	}
	if (len < pnl + 16 + 1)
		return -1;
	/*
	 * The packet number is used as truncated: the first Initial packets of a connection
	 * number from 0, so the full number is the truncated one (RFC 9000 A.3 with none acked).
	 */
	memcpy(nonce, k->iv, 12);
	for (size_t i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	size_t ct = hlen + pnl, ctlen = len - pnl - 16;
	if (gcm_open(k, nonce, pkt, ct, pkt + ct, ctlen, pkt + ct + ctlen) != 0)
		return -1;
	*off = ct;
	*plen = ctlen;
	return 0;
}

/*
 * Opens the Initial packet in pkt with the keys of its version and DCID: those of the
 * connection's first Initial first (later Initials keep them though their DCID may change,
 * RFC 9001 5.2), then, after a Retry's new DCID, its own.
 */
static int
open_initial(struct quic_hello *q, uint8_t *pkt, size_t hlen, size_t len, uint32_t v,
    const uint8_t *dcid, size_t dlen, size_t *off, size_t *plen)
{
	uint8_t saved[5];
	struct quic_keys k;

	if (len < 4 + 16 || dlen == 0)
		return -1;
	memcpy(saved, pkt, 1);
	memcpy(saved + 1, pkt + hlen, 4);
	if (q->have_keys && q->key_version == v) {
		if (open_with(&q->k, pkt, hlen, len, off, plen) == 0)
			return 0;
		if (q->dcid_len == dlen && memcmp(q->dcid, dcid, dlen) == 0)
			return -1;
		memcpy(pkt, saved, 1);			/* undo the wrong unmasking */
		memcpy(pkt + hlen, saved + 1, 4);
	}
	if (derive(&k, v, dcid, dlen) != 0 || open_with(&k, pkt, hlen, len, off, plen) != 0) {
		OPENSSL_cleanse(&k, sizeof k);
		return -1;
	}
	q->k = k;
	q->key_version = v;
	memcpy(q->dcid, dcid, dlen);
	q->dcid_len = (uint8_t)dlen;
	q->have_keys = 1;
	OPENSSL_cleanse(&k, sizeof k);
	return 0;
}

/* CRYPTO data at offset off: kept as far as buf goes; repeats and overlaps write again. */
static void
crypto_add(struct quic_hello *q, uint64_t off, struct rd data)
{
	if (off >= QUIC_HELLO_MAX)
		return;
	size_t n = rd_left(&data);
	if (n > QUIC_HELLO_MAX - off)
		n = QUIC_HELLO_MAX - (size_t)off;
	rd_copy(&data, q->buf + off, n);
	for (size_t i = (size_t)off; i < off + n; i++)
		q->got[i / 8] |= (uint8_t)(1u << (i % 8));
	while (q->have < QUIC_HELLO_MAX && (q->got[q->have / 8] >> (q->have % 8) & 1))
		q->have++;
}

static enum quic_status
status(const struct quic_hello *q)
{
	if (q->have < 4)
		return QUIC_MORE;
	if (q->buf[0] != 1)
		return QUIC_GIVE_UP;			/* a client's first message is its Hello */
	uint32_t len = 4 + ((uint32_t)q->buf[1] << 16 | (uint32_t)q->buf[2] << 8 | q->buf[3]);
	if (len > QUIC_HELLO_MAX)
		return QUIC_GIVE_UP;
	return q->have >= len ? QUIC_DONE : QUIC_MORE;
}

enum quic_status
quic_hello_frames(struct quic_hello *q, struct rd r)
{
	/* The frames an Initial may carry (RFC 9000 12.4); any other ends the packet. */
	while (rd_left(&r) > 0 && !r.bad) {
		uint64_t t = varint(&r), n;
		switch (t) {
		case 0x00:				/* PADDING */
		case 0x01:				/* PING */
			break;
		case 0x02:				/* ACK */
		case 0x03:				/* ACK with ECN counts */
			varint(&r);			/* largest acknowledged */
			varint(&r);			/* delay */
			n = varint(&r);			/* more ranges */
			varint(&r);			/* first range */
			for (uint64_t i = 0; i < n && !r.bad; i++) {
				varint(&r);
				varint(&r);
			}
			if (t == 0x03) {
				varint(&r);
				varint(&r);
				varint(&r);
			}
			break;
		case 0x06: {				/* CRYPTO */
			uint64_t off = varint(&r);
			n = varint(&r);
			int cut = 0;
			struct rd data = rd_sub(&r, n > rd_left(&r) ? rd_left(&r) + 1 : (size_t)n,
			    &cut);
			if (r.bad || cut)
				return status(q);
			crypto_add(q, off, data);
			break;
		}
		default:				/* CONNECTION_CLOSE and the rest */
			return status(q);
		}
	}
	return status(q);
}

enum quic_status
quic_hello_datagram(struct quic_hello *q, struct span dgram, unsigned *skipped)
{
	struct rd r = rd_make(dgram.p, dgram.n);
	uint8_t pkt[QUIC_PACKET_MAX];
	enum quic_status st = status(q);

	/* Coalesced packets (RFC 9000 12.2): each long header's Length says where the next
	 * begins.  A handful at most: a datagram holds one per packet number space. */
	for (int i = 0; i < 4 && rd_left(&r) > 0 && st == QUIC_MORE; i++) {
		struct rd start = r;
		uint8_t b0 = rd_u8(&r);
		if ((b0 & 0x80) == 0)
			break;				/* a short header runs to the end */
		uint32_t v = rd_be32(&r);
		uint8_t dcid[20], dlen = rd_u8(&r);
		int retry, cut = 0;
		if (r.bad || v == 0 || salt_of(v) == NULL || dlen > 20) {
			(*skipped)++;			/* version negotiation, unknown, bad */
			break;
		}
		rd_copy(&r, dcid, dlen);
		rd_skip(&r, rd_u8(&r));			/* source connection id */
		int type = long_type(b0, v, &retry);
		if (retry) {
			(*skipped)++;			/* no Length: nothing after it */
			break;
		}
		if (type == 0)
			rd_skip(&r, (size_t)varint(&r));	/* token */
		uint64_t len = varint(&r);
		size_t hlen = rd_offset(&start, &r);
		rd_sub(&r, len > rd_left(&r) ? rd_left(&r) + 1 : (size_t)len, &cut);
		if (r.bad || cut) {
			(*skipped)++;			/* a length past the datagram */
			break;
		}
		if (type != 0)
			continue;			/* Handshake or 0-RTT: other keys */
		if (q->opened >= QUIC_INITIALS_MAX)
			return QUIC_GIVE_UP;
		q->opened++;
		size_t off, plen;
		if (hlen + len > sizeof pkt) {
			(*skipped)++;
			continue;
		}
		rd_copy(&start, pkt, hlen + (size_t)len);
		if (open_initial(q, pkt, hlen, (size_t)len, v, dcid, dlen, &off, &plen) != 0) {
			(*skipped)++;
			continue;
		}
		if (q->version == 0)
			q->version = v;
		st = quic_hello_frames(q, rd_make(pkt + off, plen));
	}
	if (st == QUIC_MORE && q->opened >= QUIC_INITIALS_MAX)
		st = QUIC_GIVE_UP;
	return st;
}

struct span
quic_hello_message(const struct quic_hello *q)
{
	struct span s = { q->buf, 0 };

	if (status(q) == QUIC_DONE)
		s.n = 4 + ((size_t)q->buf[1] << 16 | (size_t)q->buf[2] << 8 | q->buf[3]);
	return s;
}

uint32_t
quic_hello_version(const struct quic_hello *q)
{
	return q->version;
}
