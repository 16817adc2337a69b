/*
 * msg-quic.c — QUIC client Initial packets as a client sends them (RFC 9000 17.2.2), protected
 * as RFC 9001 section 5 says (RFC 9369 for version 2): keys from the version's salt and the
 * Destination Connection ID, AES-128-GCM over the payload, then header protection.  Written
 * apart from src/quic.c, which opens them, so that each checks the other.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "bytes.h"
#include "msg.h"

static const uint8_t salt_v1[20] = { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a };
static const uint8_t salt_v2[20] = { 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 };
static const uint8_t salt_d29[20] = { 0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99 };

/* One HKDF step through libcrypto: extract (salt, ikm) or expand (prk, info). */
static void
kdf(int extract, const uint8_t *k, size_t kl, const uint8_t *s, size_t sl, uint8_t *out,
    size_t ol)
{
	EVP_KDF *f = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *c = EVP_KDF_CTX_new(f);
	int mode = extract ? EVP_KDF_HKDF_MODE_EXTRACT_ONLY : EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_int(OSSL_KDF_PARAM_MODE, &mode),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, (void *)k, kl),
		OSSL_PARAM_octet_string(extract ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO,
		    (void *)s, sl),
		OSSL_PARAM_END
	};

	if (EVP_KDF_derive(c, out, ol, p) != 1)
		memset(out, 0, ol);		/* a wrong key: the opener's test fails loudly */
	EVP_KDF_CTX_free(c);
	EVP_KDF_free(f);
}

static void
label(const uint8_t prk[32], const char *name, uint8_t *out, size_t ol)
{
	uint8_t info[64];
	size_t n = strlen(name);

	info[0] = 0;
	info[1] = (uint8_t)ol;
	info[2] = (uint8_t)(6 + n);
	memcpy(info + 3, "tls13 ", 6);
	memcpy(info + 9, name, n);
	info[9 + n] = 0;
	kdf(0, prk, 32, info, 10 + n, out, ol);
}

void
quic_gen_keys(uint32_t v, const uint8_t *dcid, size_t dlen, uint8_t *key, uint8_t *iv,
    uint8_t *hp)
{
	const uint8_t *salt = v == QUIC_GEN_V2 ? salt_v2 : v == QUIC_GEN_V1 ? salt_v1 : salt_d29;
	int v2 = v == QUIC_GEN_V2;
	uint8_t init[32], client[32];

	kdf(1, dcid, dlen, salt, 20, init, 32);
	label(init, "client in", client, 32);
	label(client, v2 ? "quicv2 key" : "quic key", key, 16);
	label(client, v2 ? "quicv2 iv" : "quic iv", iv, 12);
	label(client, v2 ? "quicv2 hp" : "quic hp", hp, 16);
}

/* A variable-length integer in its shortest form but for lengths, always two bytes. */
static size_t
put_varint(uint8_t *p, uint64_t v, int two)
{
	if (v < 64 && !two) {
		p[0] = (uint8_t)v;
		return 1;
	}
	if (v < 16384) {
		put_be16(p, (uint16_t)(0x4000 | v));
		return 2;
	}
	put_be32(p, (uint32_t)(0x80000000u | v));
	return 4;
}

size_t
quic_crypto_frame(uint8_t *out, uint64_t off, const uint8_t *data, size_t n)
{
	size_t k = 0;

	out[k++] = 0x06;
	k += put_varint(out + k, off, 0);
	k += put_varint(out + k, n, 0);
	memcpy(out + k, data, n);
	return k + n;
}

/* Long header up to the Length field; type is v1's numbering (0 Initial, 2 Handshake). */
static size_t
long_header(uint8_t *out, uint32_t v, int type, const uint8_t *dcid, size_t dlen,
    const uint8_t *scid, size_t slen)
{
	static const uint8_t v2type[4] = { 1, 2, 3, 0 };
	size_t k = 0;

	out[k++] = (uint8_t)(0xc0 | (v == QUIC_GEN_V2 ? v2type[type] : type) << 4 | 1);
	put_be32(out + k, v);
	k += 4;
	out[k++] = (uint8_t)dlen;
	memcpy(out + k, dcid, dlen);
	k += dlen;
	out[k++] = (uint8_t)slen;
	memcpy(out + k, scid, slen);
	k += slen;
	if (type == 0)
		out[k++] = 0;			/* no token */
	return k;
}

size_t
quic_gen_initial(uint8_t *out, uint32_t v, const uint8_t *dcid, size_t dlen,
    const uint8_t *scid, size_t slen, uint16_t pn, const uint8_t *frames, size_t flen,
    size_t pad_to)
{
	uint8_t key[16], iv[12], hp[16], mask[16];
	size_t h = long_header(out, v, 0, dcid, dlen, scid, slen);
	size_t plen = flen;
	int n = 0;

	/* PADDING frames (zeros) to pad_to in all: clients pad Initials to 1200 bytes. */
	if (h + 2 + 2 + plen + 16 < pad_to)
		plen = pad_to - h - 2 - 2 - 16;
	h += put_varint(out + h, 2 + plen + 16, 1);
	size_t pn_off = h;
	put_be16(out + h, pn);				/* a 2-byte packet number */
	h += 2;
	memcpy(out + h, frames, flen);
	memset(out + h + flen, 0, plen - flen);

	quic_gen_keys(v, dcid, dlen, key, iv, hp);
	for (int i = 0; i < 2; i++)
		iv[10 + i] ^= (uint8_t)(pn >> (8 * (1 - i)));
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, iv);
	EVP_EncryptUpdate(c, NULL, &n, out, (int)h);
	EVP_EncryptUpdate(c, out + h, &n, out + h, (int)plen);
	EVP_EncryptFinal_ex(c, out + h + n, &n);
	EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + h + plen);
	EVP_CIPHER_CTX_free(c);

	/* Header protection over the sample 4 bytes past the packet number's start. */
	c = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL);
	EVP_CIPHER_CTX_set_padding(c, 0);
	EVP_EncryptUpdate(c, mask, &n, out + pn_off + 4, 16);
	EVP_CIPHER_CTX_free(c);
	out[0] ^= mask[0] & 0x0f;
	out[pn_off] ^= mask[1];
	out[pn_off + 1] ^= mask[2];
	return h + plen + 16;
}

size_t
quic_gen_handshake(uint8_t *out, uint32_t v, const uint8_t *dcid, size_t dlen,
    const uint8_t *scid, size_t slen, struct rng *r, size_t len)
{
	size_t h = long_header(out, v, 2, dcid, dlen, scid, slen);

	/* Handshake keys come from the TLS exchange: to an observer, opaque bytes. */
	h += put_varint(out + h, len, 1);
	for (size_t i = 0; i < len; i++)
		out[h + i] = (uint8_t)rng_u32(r);
	return h + len;
}
