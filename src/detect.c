/*
 * detect.c — protocol detection from payload (see detect.h).  Each recogniser reads through
 * the bounds-checked cursor and answers yes only on a structure that random bytes would match
 * rarely (a length that agrees, a version byte in range, a keyword).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect.h"
#include "quic.h"
#include "strpool.h"
#include "xalloc.h"

void
detect_init(struct flow_app *a)
{
	memset(a, 0, sizeof *a);
}

static void
dir_free(struct detect_dir *d)
{
	if (d->is_quic)
		quic_hello_free(d->quic);
	else
		free(d->buf);
	d->buf = NULL;
	d->is_quic = 0;
}

void
detect_fini(struct flow_app *a)
{
	dir_free(&a->dir[0]);
	dir_free(&a->dir[1]);
}

int
detect_encrypted(enum app_proto p)
{
	return p == AP_TLS || p == AP_SSL2 || p == AP_DTLS || p == AP_QUIC || p == AP_SSH;
}

const char *
app_proto_name(enum app_proto p)
{
	static const char *const names[AP_COUNT] = {
		[AP_NONE] = NULL, [AP_TLS] = "TLS", [AP_SSL2] = "SSLv2", [AP_DTLS] = "DTLS",
		[AP_QUIC] = "QUIC", [AP_SSH] = "SSH", [AP_HTTP] = "HTTP", [AP_RTSP] = "RTSP",
		[AP_MQTT] = "MQTT", [AP_FTP] = "FTP", [AP_TELNET] = "Telnet", [AP_SMTP] = "SMTP",
		[AP_POP3] = "POP3", [AP_IMAP] = "IMAP", [AP_DNS] = "DNS", [AP_MDNS] = "mDNS",
		[AP_SSDP] = "SSDP", [AP_COAP] = "CoAP", [AP_NTP] = "NTP", [AP_DHCP] = "DHCP",
	};
	return (unsigned)p < AP_COUNT ? names[p] : NULL;
}

const char *
media_name(enum media m)
{
	switch (m) {
	case MEDIA_JPEG:	return "JPEG";
	case MEDIA_PNG:		return "PNG";
	case MEDIA_MP4:		return "MP4";
	case MEDIA_H264:	return "H.264";
	case MEDIA_GZIP:	return "gzip";
	case MEDIA_ZIP:		return "zip";
	case MEDIA_GIF:		return "GIF";
	case MEDIA_WEBP:	return "WebP";
	case MEDIA_CAB:		return "cab";
	case MEDIA_7Z:		return "7z";
	case MEDIA_XZ:		return "xz";
	case MEDIA_BZIP2:	return "bzip2";
	case MEDIA_ZSTD:	return "zstd";
	case MEDIA_NONE:	break;
	}
	return NULL;
}

const char *
tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0200:	return "SSL 2.0";
	case 0x0300:	return "SSL 3.0";
	case 0x0301:	return "TLS 1.0";
	case 0x0302:	return "TLS 1.1";
	case 0x0303:	return "TLS 1.2";
	case 0x0304:	return "TLS 1.3";
	case 0xfeff:	return "DTLS 1.0";
	case 0xfefd:	return "DTLS 1.2";
	case 0xfefc:	return "DTLS 1.3";
	default:	return NULL;
	}
}

enum media
detect_media(struct span s)
{
	struct rd r = rd_make(s.p, s.n);

	if (rd_starts(&r, "\xff\xd8\xff", 3))
		return MEDIA_JPEG;
	if (rd_starts(&r, "\x89PNG\r\n\x1a\n", 8))
		return MEDIA_PNG;
	if (rd_starts(&r, "\x1f\x8b", 2))
		return MEDIA_GZIP;
	if (rd_starts(&r, "PK\x03\x04", 4))
		return MEDIA_ZIP;
	if (rd_starts(&r, "GIF87a", 6) || rd_starts(&r, "GIF89a", 6))
		return MEDIA_GIF;
	if (rd_starts(&r, "MSCF\0\0\0\0", 8))
		return MEDIA_CAB;
	if (rd_starts(&r, "7z\xbc\xaf\x27\x1c", 6))
		return MEDIA_7Z;
	if (rd_starts(&r, "\xfd" "7zXZ\0", 6))
		return MEDIA_XZ;
	if (rd_starts(&r, "BZh", 3) && rd_peek(&r, 3) >= '1' && rd_peek(&r, 3) <= '9')
		return MEDIA_BZIP2;
	if (rd_starts(&r, "\x28\xb5\x2f\xfd", 4))
		return MEDIA_ZSTD;
	struct rd at8 = rd_at(&r, 8);
	if (rd_starts(&r, "RIFF", 4) && rd_starts(&at8, "WEBP", 4))
		return MEDIA_WEBP;
	struct rd at4 = rd_at(&r, 4);
	if (rd_starts(&at4, "ftyp", 4))
		return MEDIA_MP4;
	/* H.264 Annex B: a start code, then a sequence parameter set or an IDR slice. */
	if (rd_starts(&r, "\x00\x00\x00\x01", 4) || rd_starts(&r, "\x00\x00\x01", 3)) {
		size_t k = rd_peek(&r, 2) == 1 ? 3 : 4;
		int nal = rd_peek(&r, k);
		if (nal >= 0 && ((nal & 0x1f) == 7 || (nal & 0x1f) == 5 || (nal & 0x1f) == 1))
			return MEDIA_H264;
	}
	return MEDIA_NONE;
}

static const char *
intern(struct strpool *sp, struct span s, size_t max)
{
	return strpool_intern(sp, (const char *)s.p, s.n < max ? s.n : max);
}

static int hello_body(struct flow_app *, struct strpool *, uint8_t, struct rd);

/*
 * TLS Hello (ClientHello or ServerHello) at the head of a direction: 0 when it is not TLS,
 * 1 when it is, 2 when it is but the Hello is not all in yet (it often spans segments, and
 * the caller gathers more and asks again).  Only fields that are whole are taken: a name
 * cut by the segment end is no name.
 */
static int
tls_hello(struct flow_app *a, struct strpool *sp, struct rd r)
{
	uint8_t ct = rd_u8(&r);
	uint16_t rv = rd_be16(&r);
	uint16_t rlen = rd_be16(&r);
	int cut = 0;

	if (r.bad || ct != 22 || (rv >> 8) != 3 || rlen < 4)
		return 0;
	struct rd rec = rd_sub(&r, rlen, &cut);
	uint8_t ht = rd_u8(&rec);
	uint32_t hlen = (uint32_t)rd_u8(&rec) << 16;
	hlen |= rd_be16(&rec);
	if (rec.bad || (ht != 1 && ht != 2) || hlen < 38)
		return 0;
	/*
	 * A Hello longer than its record continues in the next one: a whole record is read as
	 * far as it goes (cut extensions are skipped below).
	 */
	int rc = hello_body(a, sp, ht, rd_sub(&rec, hlen, NULL));
	return rc == 0 ? 0 : cut ? 2 : 1;
}

/*
 * The body of a ClientHello (ht 1) or ServerHello (2): 0 when its version is not TLS's, else
 * 1, whatever was cut.
 */
static int
hello_body(struct flow_app *a, struct strpool *sp, uint8_t ht, struct rd h)
{
	uint16_t ver = rd_be16(&h);
	if (h.bad || (ver >> 8) != 3)
		return 0;			/* not until the Hello's version says so */
	rd_skip(&h, 32);				/* random */
	rd_skip(&h, rd_u8(&h));				/* session id */
	if (ht == 1) {
		rd_skip(&h, rd_be16(&h));		/* cipher suites */
		rd_skip(&h, rd_u8(&h));			/* compression methods */
	} else
		rd_skip(&h, 3);				/* cipher suite, compression */
	if (h.bad)
		return 1;
	uint16_t best = ver;
	if (ht == 2)
		a->tls_version = ver;
	else if (ver > a->tls_offered)
		a->tls_offered = ver;
	struct rd ext = rd_sub(&h, rd_be16(&h), NULL);
	while (rd_left(&ext) >= 4) {
		uint16_t et = rd_be16(&ext), el = rd_be16(&ext);
		/* A cut extension is read as far as it goes; each field checks it is whole. */
		struct rd e = rd_sub(&ext, el, NULL);
		if (et == 0 && ht == 1) {		/* server_name */
			rd_skip(&e, 2);
			if (rd_u8(&e) == 0) {
				uint16_t nl = rd_be16(&e);
				int short_name = 0;
				struct rd n = rd_sub(&e, nl, &short_name);
				if (!e.bad && !short_name && nl > 0 && a->sni == NULL)
					a->sni = intern(sp, rd_span(&n), 255);
			}
		} else if (et == 16) {			/* ALPN: the first protocol */
			rd_skip(&e, 2);
			uint8_t pl = rd_u8(&e);
			int short_name = 0;
			struct rd n = rd_sub(&e, pl, &short_name);
			if (!e.bad && !short_name && pl > 0 && (a->alpn == NULL || ht == 2))
				a->alpn = intern(sp, rd_span(&n), 64);
		} else if (et == 43) {			/* supported_versions */
			if (ht == 2) {
				uint16_t v = rd_be16(&e);
				if (!e.bad)
					a->tls_version = v;
			} else {
				uint8_t l = rd_u8(&e);
				for (int i = 0; i + 1 < l && rd_left(&e) >= 2; i += 2) {
					uint16_t v = rd_be16(&e);
					/* GREASE values (0x?a?a) are not versions. */
					if ((v & 0x0f0f) != 0x0a0a && v > best && v <= 0x0304)
						best = v;
				}
				if (best > a->tls_offered)
					a->tls_offered = best;
			}
		}
	}
	return 1;
}

int
detect_client_hello(struct flow_app *a, struct strpool *sp, struct span msg)
{
	struct rd r = rd_make(msg.p, msg.n);
	uint8_t ht = rd_u8(&r);
	uint32_t hlen = (uint32_t)rd_u8(&r) << 16;

	hlen |= rd_be16(&r);
	if (r.bad || ht != 1 || hlen < 38)
		return 0;
	return hello_body(a, sp, ht, rd_sub(&r, hlen, NULL));
}

/* The value of header name in an HTTP/RTSP head, or an empty span. */
static struct span
header(struct rd r, const char *name)
{
	struct span line = { NULL, 0 }, none = { NULL, 0 };
	size_t n = strlen(name);

	/* Whole lines only: a value cut by the segment end would be taken for the value. */
	rd_line_whole(&r, &line);		/* start line */
	while (rd_line_whole(&r, &line) && line.n > 0) {
		struct rd l = rd_make(line.p, line.n);
		char key[32];
		if (line.n <= n || rd_peek(&l, n) != ':' || n >= sizeof key)
			continue;
		rd_copy(&l, key, n);
		if (strncasecmp(key, name, n) != 0)
			continue;
		rd_skip(&l, 1);
		while (rd_peek(&l, 0) == ' ' || rd_peek(&l, 0) == '\t')
			rd_skip(&l, 1);
		return rd_span(&l);
	}
	return none;
}

/* The body after the blank line of an HTTP head, if the head is complete. */
static int
body(struct rd r, struct span *b)
{
	struct span s = rd_span(&r);
	for (size_t i = 0; i + 3 < s.n; i++) {
		struct rd at = rd_at(&r, i);
		if (rd_starts(&at, "\r\n\r\n", 4)) {
			struct rd x = rd_at(&r, i + 4);
			*b = rd_span(&x);
			return 1;
		}
	}
	return 0;
}

static int
token_then(struct rd r, const char *const *words, char sep)
{
	for (size_t i = 0; words[i] != NULL; i++) {
		size_t n = strlen(words[i]);
		if (rd_starts(&r, words[i], n) && rd_peek(&r, n) == sep)
			return 1;
	}
	return 0;
}

static const char *const http_methods[] = { "GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS",
	"PATCH", "CONNECT", "TRACE", "PROPFIND", "SUBSCRIBE", "NOTIFY", NULL };
static const char *const rtsp_methods[] = { "OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE",
	"TEARDOWN", "GET_PARAMETER", "SET_PARAMETER", "ANNOUNCE", "RECORD", NULL };

/* The request line's URI starts with "rtsp://" (RTSP) rather than '/' or a host (HTTP). */
static int
rtsp_request(struct rd r)
{
	struct span line = { NULL, 0 };
	if (!rd_line(&r, &line))
		return 0;
	struct rd l = rd_make(line.p, line.n);
	for (size_t i = 0; i + 8 <= line.n; i++) {
		struct rd at = rd_at(&l, i);
		if (rd_starts(&at, " RTSP/1.", 8) || rd_starts(&at, "rtsp://", 7))
			return 1;
	}
	return 0;
}

static void
http_info(struct flow_app *a, struct strpool *sp, struct rd r, int dir, int request)
{
	struct span v, b;

	if (request && a->http_method == NULL) {
		struct span line = { NULL, 0 };
		struct rd t = r;
		rd_line(&t, &line);
		size_t n = 0;
		while (n < line.n && n < 16 && line.p[n] != ' ')
			n++;
		a->http_method = strpool_intern(sp, (const char *)line.p, n);
	}
	v = header(r, "Host");
	if (v.n > 0 && a->http_host == NULL)
		a->http_host = intern(sp, v, 255);
	v = header(r, "Content-Type");
	if (v.n > 0 && (a->http_ctype == NULL || !request))
		a->http_ctype = intern(sp, v, 128);
	if (body(r, &b) && b.n >= 4) {
		enum media m = detect_media(b);
		if (m != MEDIA_NONE)
			a->dir[dir].media = (uint8_t)m;
	}
}

static int
mqtt_connect(struct rd r)
{
	uint8_t h = rd_u8(&r);
	uint32_t len = 0;
	int i;

	if (h != 0x10)
		return 0;
	for (i = 0; i < 4; i++) {
		uint8_t b = rd_u8(&r);
		len |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			break;
	}
	if (r.bad || i == 4 || len < 10)
		return 0;
	return rd_starts(&r, "\x00\x04MQTT", 6) || rd_starts(&r, "\x00\x06MQIsdp", 8);
}

/* The remaining length of an MQTT fixed header (a varint of at most 4 bytes); -1 if bad. */
static long
mqtt_remaining(struct rd *r)
{
	uint32_t len = 0;

	for (int i = 0; i < 4; i++) {
		uint8_t b = rd_u8(r);
		len |= (uint32_t)(b & 0x7f) << (7 * i);
		if (r->bad)
			return -1;
		if (!(b & 0x80))
			return (long)len;
	}
	return -1;
}

/* A length-prefixed MQTT string of printable text, at least min bytes; 1 when it is. */
static int
mqtt_text(struct rd *r, size_t min)
{
	uint16_t n = rd_be16(r);
	int short_s = 0;
	struct rd t = rd_sub(r, n, &short_s);

	if (r->bad || short_s || n < min)
		return 0;
	while (rd_left(&t) > 0) {
		uint8_t c = rd_u8(&t);
		if (c < 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}

/*
 * The topic filters of a SUBSCRIBE (options byte after each) or UNSUBSCRIBE, after the
 * packet id, to the end of the body: 3.1.1 has none, 5 a property block first.
 */
static int
mqtt_filters(struct rd body, int options)
{
	for (int v5 = 0; v5 < 2; v5++) {
		struct rd r = body;
		int n = 0;
		if (v5) {
			long pl = mqtt_remaining(&r);
			if (pl < 0)
				return 0;
			rd_skip(&r, (size_t)pl);
		}
		while (!r.bad && rd_left(&r) > 0 && mqtt_text(&r, 1)) {
			if (options && (rd_u8(&r) & 0xc0) != 0)
				break;
			n++;
		}
		if (!r.bad && rd_left(&r) == 0 && n > 0)
			return 1;
	}
	return 0;
}

/*
 * MQTT joined mid-connection, without its CONNECT (MQTT 3.1.1 and 5, section 2 and 3): the
 * head must be whole control packets, end to end, each with the flags its type requires and
 * a body its type allows.  WebSocket frames (0x82 and a short length) pass the header test
 * as SUBSCRIBE, so a SUBSCRIBE's filters must parse.  It is MQTT when a PUBLISH, SUBSCRIBE
 * or UNSUBSCRIBE carries printable topics, or two other packets follow one another; a lone
 * PINGREQ (two bytes) says too little.
 */
static int
mqtt_midstream(struct rd r)
{
	int packets = 0, topic = 0;

	while (rd_left(&r) > 0) {
		uint8_t h = rd_u8(&r);
		unsigned type = h >> 4, flags = h & 15;
		long len = mqtt_remaining(&r);
		if (len < 0 || type <= 1 || type == 15 || (size_t)len > rd_left(&r))
			return 0;
		if (type == 3 ? ((flags >> 1) & 3) == 3 : flags != (type == 6 || type == 8 ||
		    type == 10 ? 2u : 0u))
			return 0;
		struct rd body = rd_sub(&r, (size_t)len, NULL);
		uint16_t id;
		switch (type) {
		case 2:					/* CONNACK: flags, reason */
			if (len < 2 || rd_u8(&body) > 1)
				return 0;
			break;
		case 3:					/* PUBLISH: topic, then anything */
			if (!mqtt_text(&body, 1))
				return 0;
			topic = 1;
			break;
		case 4: case 5: case 6: case 7: case 11:	/* acknowledgements: packet id */
			id = rd_be16(&body);
			if (len < 2 || id == 0)
				return 0;
			break;
		case 8: case 10:			/* SUBSCRIBE, UNSUBSCRIBE */
			id = rd_be16(&body);
			if (body.bad || id == 0 || !mqtt_filters(body, type == 8))
				return 0;
			topic = 1;
			break;
		case 9:					/* SUBACK: packet id, codes */
			id = rd_be16(&body);
			if (len < 3 || id == 0)
				return 0;
			break;
		case 12: case 13:			/* PINGREQ, PINGRESP */
			if (len != 0)
				return 0;
			break;
		}
		packets++;
	}
	return topic || packets >= 2;
}

static int
dns_like(struct rd r, int port_says)
{
	uint16_t flags, qd, an, ns, ar;
	rd_skip(&r, 2);
	flags = rd_be16(&r);
	qd = rd_be16(&r);
	an = rd_be16(&r);
	ns = rd_be16(&r);
	ar = rd_be16(&r);
	if (r.bad || (flags >> 11 & 0xf) > 5 || qd > 16 || an > 256 || ns > 256 || ar > 256)
		return 0;
	if (port_says)
		return qd + an + ns + ar > 0;
	/* Without the port: one question whose name ends exactly where its fields fit. */
	if (qd != 1)
		return 0;
	for (int labels = 0; labels < 64; labels++) {
		uint8_t l = rd_u8(&r);
		if (r.bad || (l & 0xc0) != 0)
			return 0;
		if (l == 0)
			break;
		rd_skip(&r, l);
	}
	rd_skip(&r, 4);
	return !r.bad && (an + ns + ar > 0 || rd_left(&r) == 0);
}

/* Option numbers registered for CoAP (RFC 7252, 7641, 7959, 8613, 9175). */
static int
coap_known_option(unsigned n)
{
	static const uint16_t known[] = { 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 17, 20, 23, 27,
		28, 35, 39, 60, 252, 258, 292 };
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (known[i] == n)
			return 1;
	return 0;
}

/*
 * A CoAP message over UDP (RFC 7252 section 3): version 1, a token of at most 8 bytes, a
 * request or response code, then options that parse exactly to the end or to a payload
 * marker with payload after it.  Off the CoAP port (5683; 5684 carries DTLS) every option
 * must also be one that is registered: random datagrams pass the looser test far too often.
 */
static int
coap(struct rd r, int on_port)
{
	uint8_t b0 = rd_u8(&r), code = rd_u8(&r);
	unsigned tkl = b0 & 0x0f, cls = code >> 5, det = code & 0x1f, opt = 0;

	rd_skip(&r, 2);					/* message id */
	if (r.bad || (b0 >> 6) != 1 || tkl > 8)
		return 0;
	if (code == 0)					/* empty message: header only */
		return tkl == 0 && rd_left(&r) == 0 && on_port;
	if (!((cls == 0 && det >= 1 && det <= 7) || (cls == 2 && ((det >= 1 && det <= 5) ||
	    det == 31)) || (cls == 4 && det <= 15) || (cls == 5 && det <= 5)))
		return 0;
	rd_skip(&r, tkl);
	while (!r.bad && rd_left(&r) > 0) {
		uint8_t ob = rd_u8(&r);
		if (ob == 0xff)
			return rd_left(&r) > 0;		/* payload marker: payload must follow */
		unsigned delta = ob >> 4, len = ob & 0x0f;
		if (delta == 15 || len == 15)
			return 0;
		if (delta == 13)
			delta = 13u + rd_u8(&r);
		else if (delta == 14)
			delta = 269u + rd_be16(&r);
		if (len == 13)
			len = 13u + rd_u8(&r);
		else if (len == 14)
			len = 269u + rd_be16(&r);
		opt += delta;
		if (!on_port && !coap_known_option(opt))
			return 0;
		int short_opt = 0;
		rd_sub(&r, len, &short_opt);
		if (short_opt)
			return 0;
	}
	return !r.bad;
}

/*
 * A QUIC long header (RFC 9000 section 17.2): version 1 or 2, a draft, Google's Q0nn (whose
 * Q046+ header packs both connection-id lengths into one byte), or version negotiation,
 * which must then list whole, non-zero versions.
 */
static int
quic_long(struct rd r)
{
	uint8_t b0 = rd_u8(&r);
	uint32_t v = rd_be32(&r);
	uint8_t dcid = rd_u8(&r);

	if (r.bad || (b0 & 0x80) == 0)
		return 0;
	if (v == 0) {
		rd_skip(&r, dcid);
		rd_skip(&r, rd_u8(&r));			/* source connection id */
		if (r.bad || dcid > 20 || rd_left(&r) == 0 || rd_left(&r) % 4 != 0)
			return 0;
		while (rd_left(&r) > 0)
			if (rd_be32(&r) == 0)
				return 0;
		return 1;
	}
	if ((b0 & 0x40) == 0)				/* the fixed bit */
		return 0;
	if ((v >> 24) == 'Q' && ((v >> 16) & 0xff) == '0')
		return 1;				/* gQUIC "Q046", "Q050"… */
	return dcid <= 20 && (v == 1 || v == 0x6b3343cf || (v >> 8) == 0xff0000);
}

/* Looks at one direction's stream head or datagram; 1 when the flow's protocol is known. */
static int
recognise(struct flow_app *a, struct strpool *sp, int tcp, int dir, struct rd r,
    uint16_t cport, uint16_t sport)
{
	static const char *const ftp_cmds[] = { "USER", "PASS", "FEAT", "SYST", "AUTH", "PASV",
		"TYPE", NULL };
	static const char *const pop_cmds[] = { "USER", "CAPA", "AUTH", "APOP", "STAT", NULL };
	int client = dir == 0;

	if (rd_left(&r) == 0)
		return 0;
	if (tcp) {
		int tls = tls_hello(a, sp, r);
		a->dir[dir].tls_cut = tls == 2;
		if (tls != 0)
			return a->proto = AP_TLS, 1;
		/* SSLv2 ClientHello: 2-byte length with the top bit, message type 1, version. */
		if ((rd_peek(&r, 0) & 0x80) && rd_peek(&r, 2) == 1 && rd_peek(&r, 3) >= 0 &&
		    rd_peek(&r, 3) <= 3)
			return a->proto = AP_SSL2, 1;
		if (rd_starts(&r, "SSH-", 4)) {
			struct span line = { NULL, 0 };
			struct rd t = r;
			rd_line(&t, &line);
			a->banner = intern(sp, line, 128);
			return a->proto = AP_SSH, 1;
		}
		if (client && token_then(r, rtsp_methods, ' ') && rtsp_request(r))
			return a->proto = AP_RTSP, 1;
		if (!client && rd_starts(&r, "RTSP/1.", 7))
			return a->proto = AP_RTSP, 1;
		if (token_then(r, http_methods, ' ')) {
			http_info(a, sp, r, dir, 1);
			return a->proto = AP_HTTP, 1;
		}
		if (rd_starts(&r, "HTTP/1.", 7)) {
			http_info(a, sp, r, dir, 0);
			return a->proto = AP_HTTP, 1;
		}
		if (client && mqtt_connect(r))
			return a->proto = AP_MQTT, 1;
		if (mqtt_midstream(r))
			return a->proto = AP_MQTT, 1;
		if (rd_peek(&r, 0) == 0xff && rd_peek(&r, 1) >= 0xfb && rd_peek(&r, 1) <= 0xfe)
			return a->proto = AP_TELNET, 1;
		if (client && (rd_starts(&r, "EHLO ", 5) || rd_starts(&r, "HELO ", 5)))
			return a->proto = AP_SMTP, 1;
		if (!client && rd_starts(&r, "220", 3)) {
			struct span line = { NULL, 0 };
			struct rd t = r;
			rd_line(&t, &line);
			a->banner = intern(sp, line, 128);
			if (memmem(line.p, line.n, "SMTP", 4) != NULL)
				return a->proto = AP_SMTP, 1;
			if (memmem(line.p, line.n, "FTP", 3) != NULL || sport == 21)
				return a->proto = AP_FTP, 1;
			return 0;
		}
		if (!client && rd_starts(&r, "+OK", 3))
			return a->proto = AP_POP3, 1;
		if (!client && rd_starts(&r, "* OK", 4))
			return a->proto = AP_IMAP, 1;
		if (client && token_then(r, ftp_cmds, ' ') && (sport == 21 || cport == 21))
			return a->proto = AP_FTP, 1;
		if (client && token_then(r, pop_cmds, ' ') && sport == 110)
			return a->proto = AP_POP3, 1;
		if (sport == 53 && rd_left(&r) > 14) {
			struct rd m = rd_at(&r, 2);
			if (dns_like(m, 1))
				return a->proto = AP_DNS, 1;
		}
		return 0;
	}
	/* UDP */
	if ((rd_peek(&r, 0) == 22 || rd_peek(&r, 0) == 23) && rd_peek(&r, 1) == 0xfe)
		return a->proto = AP_DTLS, 1;
	if (quic_long(r))
		return a->proto = AP_QUIC, 1;
	/* Google QUIC: public flags with the version bit, an 8-byte connection id, "Q0nn". */
	if ((rd_peek(&r, 0) & 0x89) == 0x09 && rd_peek(&r, 9) == 'Q' && rd_peek(&r, 10) == '0')
		return a->proto = AP_QUIC, 1;
	if (rd_starts(&r, "M-SEARCH * HTTP/1.", 18) || rd_starts(&r, "NOTIFY * HTTP/1.", 16) ||
	    ((sport == 1900 || cport == 1900) && rd_starts(&r, "HTTP/1.", 7)))
		return a->proto = AP_SSDP, 1;
	if ((sport == 67 || sport == 68) && rd_left(&r) >= 240) {
		struct rd m = rd_at(&r, 236);
		if (rd_starts(&m, "\x63\x82\x53\x63", 4))
			return a->proto = AP_DHCP, 1;
	}
	if ((sport == 5353 || cport == 5353) && dns_like(r, 1))
		return a->proto = AP_MDNS, 1;
	if (dns_like(r, sport == 53 || cport == 53 || sport == 5355))
		return a->proto = AP_DNS, 1;
	if ((sport == 123 || cport == 123) && rd_left(&r) >= 48) {
		uint8_t b0 = (uint8_t)rd_peek(&r, 0);
		unsigned vn = (b0 >> 3) & 7, mode = b0 & 7;
		if (vn >= 1 && vn <= 4 && mode >= 1 && mode <= 5)
			return a->proto = AP_NTP, 1;
	}
	if (coap(r, sport == 5683 || cport == 5683))
		return a->proto = AP_COAP, 1;
	return 0;
}

/*
 * A QUIC client's datagram: its Initial packets opened until the ClientHello is whole, which
 * is then read as a TLS one.  The state is made on the first Initial (other QUIC flows, and
 * every other flow, hold none) and freed once the Hello is read or given up; 1 while it is
 * still wanted.
 */
static int
quic_client(struct flow_app *a, struct strpool *sp, struct detect_dir *d, struct span dgram,
    unsigned *skipped)
{
	if (!d->is_quic) {
		/* 0-RTT packets may come first (and captures reorder): wait a few datagrams. */
		if (!quic_is_initial(dgram))
			return d->packets + 1 < DETECT_PACKETS;
		d->quic = quic_hello_new();
		d->is_quic = 1;
	}
	enum quic_status st = quic_hello_datagram(d->quic, dgram, skipped);
	if (a->quic_ver == 0)
		a->quic_ver = quic_version_code(quic_hello_version(d->quic));
	if (st == QUIC_DONE)
		detect_client_hello(a, sp, quic_hello_message(d->quic));
	if (st == QUIC_MORE && d->packets + 1 < DETECT_PACKETS)
		return 1;
	dir_free(d);
	return 0;
}

unsigned
detect_packet(struct flow_app *a, struct strpool *sp, int tcp, int dir, uint32_t seq,
    struct span payload, uint16_t cport, uint16_t sport)
{
	struct detect_dir *d = &a->dir[dir];
	unsigned skipped = 0;

	if (d->done || payload.n == 0)
		return 0;
	if (!tcp) {
		if (a->proto == AP_NONE)
			recognise(a, sp, 0, dir, rd_make(payload.p, payload.n), cport, sport);
		/* The initiator is the client: it sends the first Initial. */
		if (a->proto == AP_QUIC && dir == 0 && quic_client(a, sp, d, payload, &skipped)) {
			d->packets++;
			return skipped;
		}
		if (a->proto != AP_NONE || ++d->packets >= DETECT_PACKETS)
			d->done = 1;
		return skipped;
	}
	/* TCP: gather the direction's first bytes in sequence order. */
	if (!d->started) {
		d->started = 1;
		d->next_seq = seq;
	}
	if (seq != d->next_seq) {
		if (++d->packets >= DETECT_PACKETS * 2)
			goto finish;		/* a stream with a hole: give up on it */
		return 0;
	}
	size_t room = DETECT_HEAD - d->len, k = payload.n < room ? payload.n : room;
	if (d->buf == NULL)
		d->buf = xmalloc(DETECT_HEAD);
	struct rd pr = rd_make(payload.p, payload.n);
	rd_copy(&pr, d->buf + d->len, k);
	d->len += (uint32_t)k;
	d->next_seq += (uint32_t)payload.n;
	d->packets++;
	struct rd head = rd_make(d->buf, d->len);
	if (a->proto == AP_NONE)
		recognise(a, sp, 1, dir, head, cport, sport);
	else if (a->proto == AP_HTTP || a->proto == AP_TLS)
		/* The other direction of a known protocol: its own details and media. */
		recognise(a, sp, 1, dir, head, cport, sport);
	if (a->proto == AP_HTTP) {
		struct span b = { NULL, 0 };
		if (d->media == MEDIA_NONE && (!body(head, &b) || b.n < 8) && d->len < DETECT_HEAD &&
		    d->packets < DETECT_PACKETS)
			return 0;	/* keep gathering until the body's first bytes are in */
	} else if (a->proto == AP_TLS) {
		int more = d->len < DETECT_HEAD && d->packets < DETECT_PACKETS;
		/* Wait for the whole Hello, then for the ServerHello's version. */
		if (d->tls_cut && more)
			return 0;
		if (dir == 1 && a->tls_version == 0 && more)
			return 0;
	} else if (a->proto == AP_NONE && d->len < DETECT_HEAD && d->packets < DETECT_PACKETS)
		return 0;
finish:
	if (d->media == MEDIA_NONE && d->len >= 8 && a->proto != AP_HTTP) {
		struct span s = { d->buf, d->len };
		d->media = (uint8_t)detect_media(s);
	}
	d->done = 1;
	free(d->buf);
	d->buf = NULL;
	d->len = 0;
	return 0;
}

/* The protocol a port suggests: a switch, since every flow of a scan asks, twice. */
static enum app_proto
port_guess(int tcp, uint16_t port)
{
	if (tcp) {
		switch (port) {
		case 443: case 8443: case 8883: case 853: case 993: case 995: case 465: case 5223:
			return AP_TLS;
		case 80: case 8080:	return AP_HTTP;
		case 22:		return AP_SSH;
		case 554:		return AP_RTSP;
		case 1883:		return AP_MQTT;
		case 21:		return AP_FTP;
		case 23:		return AP_TELNET;
		case 25: case 587:	return AP_SMTP;
		case 110:		return AP_POP3;
		case 143:		return AP_IMAP;
		case 53:		return AP_DNS;
		default:		return AP_NONE;
		}
	}
	switch (port) {
	case 53:		return AP_DNS;
	case 5353:		return AP_MDNS;
	case 1900:		return AP_SSDP;
	case 5683:		return AP_COAP;
	case 5684:		return AP_DTLS;
	case 123:		return AP_NTP;
	case 67: case 68:	return AP_DHCP;
	case 443:		return AP_QUIC;
	default:		return AP_NONE;
	}
}

void
detect_guess(struct flow_app *a, int tcp, uint16_t cport, uint16_t sport)
{
	if (a->proto != AP_NONE)
		return;
	for (int pass = 0; pass < 2; pass++) {
		enum app_proto p = port_guess(tcp, pass == 0 ? sport : cport);
		if (p != AP_NONE) {
			a->proto = p;
			a->guessed = 1;
			return;
		}
	}
}
