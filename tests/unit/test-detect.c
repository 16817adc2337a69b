/*
 * test-detect.c — protocol detection from payload (detect.h) for the stream protocols and
 * what all share: protocol and media names, media magic, HTTP and RTSP heads (split at every
 * point), MQTT CONNECT, SSH and mail/FTP greetings, Telnet negotiation, the port guess, TCP
 * gathering, every prefix of every sample, random payloads.  TLS is in test-detect-tls.c,
 * the datagram protocols in test-detect-udp.c.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "detect-util.h"

static void
test_names(void **state)
{
	(void)state;
	static const char *const protos[AP_COUNT] = { NULL, "TLS", "SSLv2", "DTLS", "QUIC",
		"SSH", "HTTP", "RTSP", "MQTT", "FTP", "Telnet", "SMTP", "POP3", "IMAP", "DNS",
		"mDNS", "SSDP", "CoAP", "NTP", "DHCP" };
	static const char *const media[] = { NULL, "JPEG", "PNG", "MP4", "H.264", "gzip", "zip",
		"GIF", "WebP", "cab", "7z", "xz", "bzip2", "zstd" };

	for (int p = 0; p < AP_COUNT; p++) {
		if (protos[p] == NULL)
			assert_null(app_proto_name((enum app_proto)p));
		else
			assert_string_equal(app_proto_name((enum app_proto)p), protos[p]);
		int enc = p == AP_TLS || p == AP_SSL2 || p == AP_DTLS || p == AP_QUIC ||
		    p == AP_SSH;
		assert_int_equal(detect_encrypted((enum app_proto)p), enc);
	}
	assert_null(app_proto_name(AP_COUNT));
	assert_null(app_proto_name((enum app_proto)200));
	for (int m = 0; m <= MEDIA_ZSTD; m++) {
		if (media[m] == NULL)
			assert_null(media_name((enum media)m));
		else
			assert_string_equal(media_name((enum media)m), media[m]);
	}
	assert_null(media_name((enum media)(MEDIA_ZSTD + 1)));
}

/* Media magic: each sample, every shorter prefix of it, and near misses. */
static void
test_media_magic(void **state)
{
	(void)state;
	static const struct {
		const char	*b;
		size_t		 n;
		size_t		 need;	/* bytes the magic needs */
		enum media	 m;
	} cases[] = {
		{ "\xff\xd8\xff\xe0\x00\x10JFIF\0", 11, 3, MEDIA_JPEG },
		{ "\xff\xd8\xff\xdb\x00\x43", 6, 3, MEDIA_JPEG },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, 8, MEDIA_PNG },
		{ "\x00\x00\x00\x20" "ftypisom\0\0\2\0", 16, 8, MEDIA_MP4 },
		{ "\x00\x00\x00\x18" "ftypmp42", 12, 8, MEDIA_MP4 },
		{ "\x1f\x8b\x08\x00\0\0\0\0\0\x03", 10, 2, MEDIA_GZIP },
		{ "PK\x03\x04\x14\0\0\0\x08\0", 10, 4, MEDIA_ZIP },
		{ "GIF89a\x01\0\x01\0", 10, 6, MEDIA_GIF },
		{ "GIF87a", 6, 6, MEDIA_GIF },
		{ "RIFF\x24\0\0\0WEBPVP8 ", 16, 12, MEDIA_WEBP },
		{ "MSCF\0\0\0\0\x10\x20", 10, 8, MEDIA_CAB },
		{ "7z\xbc\xaf\x27\x1c\0\x04", 8, 6, MEDIA_7Z },
		{ "\xfd" "7zXZ\0\0\x04", 8, 6, MEDIA_XZ },
		{ "BZh91AY&SY", 10, 4, MEDIA_BZIP2 },
		{ "\x28\xb5\x2f\xfd\x04\x58", 6, 4, MEDIA_ZSTD },
		{ "\x00\x00\x00\x01\x67\x42\xc0\x1e", 8, 5, MEDIA_H264 },	/* SPS */
		{ "\x00\x00\x01\x65\x88\x84", 6, 4, MEDIA_H264 },		/* IDR slice */
		{ "\x00\x00\x00\x01\x41\x9a", 6, 5, MEDIA_H264 },		/* non-IDR slice */
	};
	static const struct {
		const char	*b;
		size_t		 n;
	} misses[] = {
		{ "\xff\xd8\xfe", 3 }, { "\x89PNG\r\n\x1a", 7 }, { "\x1f\x8c", 2 },
		{ "PK\x05\x06", 4 }, { "GIF88a", 6 }, { "RIFF\x24\0\0\0WAVEfmt ", 16 },
		{ "BZh0", 4 }, { "BZh:", 4 }, { "MSCF\x01\0\0\0", 8 },
		{ "\x00\x00\x00\x01\x09\xf0", 6 },	/* access unit delimiter: not a picture */
		{ "\x00\x00\x02\x65", 4 }, { "\x00\x00\x00\x20" "ftpyisom", 12 },
		{ "GET / HTTP/1.1\r\n", 16 }, { "", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		for (size_t k = 0; k <= cases[i].n; k++) {
			uint8_t *p = malloc(k + 1);
			memcpy(p, cases[i].b, k);
			enum media m = detect_media((struct span){ p, k });
			enum media want = k >= cases[i].need ? cases[i].m : MEDIA_NONE;
			free(p);
			if (m != want)
				fail_msg("case %zu, %zu bytes: %s, want %s", i, k,
				    media_name(m), media_name(want));
		}
	}
	for (size_t i = 0; i < sizeof misses / sizeof *misses; i++) {
		uint8_t *p = malloc(misses[i].n + 1);
		memcpy(p, misses[i].b, misses[i].n);
		enum media m = detect_media((struct span){ p, misses[i].n });
		free(p);
		if (m != MEDIA_NONE)
			fail_msg("miss %zu: %s", i, media_name(m));
	}
}
static void
test_http_request(void **state)
{
	(void)state;
	static const char req[] = "POST /api/v1/upload?id=7 HTTP/1.1\r\n"
	    "Host: cloud.example.com:8080\r\nUser-Agent: sensor/2.1\r\n"
	    "Content-Type: application/json\r\nContent-Length: 20\r\n\r\n"
	    "{\"temperature\":21.5}";
	static const char resp[] = "HTTP/1.1 201 Created\r\nServer: nginx\r\n"
	    "content-type:\ttext/plain; charset=utf-8\r\nContent-Length: 7\r\n\r\ncreated";
	struct dt_flow f;

	dt_flow_start(&f, 1, 40000, 8080);
	dt_flow_send(&f, 0, req, sizeof req - 1);
	assert_proto(f.a.proto, AP_HTTP);
	assert_string_equal(f.a.http_method, "POST");
	assert_string_equal(f.a.http_host, "cloud.example.com:8080");
	assert_string_equal(f.a.http_ctype, "application/json");
	assert_true(f.a.dir[0].done);			/* the body's first bytes are in */
	assert_int_equal(f.a.dir[0].media, MEDIA_NONE);
	dt_flow_send(&f, 1, resp, sizeof resp - 1);
	assert_proto(f.a.proto, AP_HTTP);
	assert_string_equal(f.a.http_method, "POST");
	assert_string_equal(f.a.http_ctype, "text/plain; charset=utf-8");	/* the response's */
	assert_false(f.a.guessed);
	dt_flow_end(&f);

	/* Every method the table knows; header names in any case; no Host. */
	static const char *const methods[] = { "GET", "PUT", "HEAD", "DELETE", "OPTIONS",
		"PATCH", "CONNECT", "TRACE", "PROPFIND", "SUBSCRIBE", "NOTIFY" };
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
		char buf[128];
		int n = snprintf(buf, sizeof buf, "%s /x HTTP/1.0\r\nHOST: h%zu.example\r\n\r\n",
		    methods[i], i);
		char host[32];
		snprintf(host, sizeof host, "h%zu.example", i);
		dt_flow_start(&f, 1, 40001, 80);
		dt_flow_send(&f, 0, buf, (size_t)n);
		assert_proto(f.a.proto, AP_HTTP);
		assert_string_equal(f.a.http_method, methods[i]);
		assert_string_equal(f.a.http_host, host);
		assert_null(f.a.http_ctype);
		dt_flow_end(&f);
	}
	static const char nohost[] = "GET / HTTP/1.0\r\nHostname: not-it\r\n\r\n";
	dt_flow_start(&f, 1, 40002, 80);
	dt_flow_send(&f, 0, nohost, sizeof nohost - 1);
	assert_proto(f.a.proto, AP_HTTP);
	assert_null(f.a.http_host);
	dt_flow_end(&f);

	/* A method needs its space: "GETS" and "get" are not HTTP. */
	assert_proto(dt_one(1, 0, "GETS / HTTP/1.1\r\n\r\n", 19, 40003, 80), AP_NONE);
	assert_proto(dt_one(1, 0, "get / HTTP/1.1\r\n\r\n", 18, 40004, 80), AP_NONE);
	/* A response alone is HTTP too. */
	assert_proto(dt_one(1, 1, resp, sizeof resp - 1, 40005, 80), AP_HTTP);
}

/* A request head split over segments is read whole: no Host cut at a segment's end. */
static void
test_http_split_head(void **state)
{
	(void)state;
	static const char req[] = "GET /stream HTTP/1.1\r\nHost: camera.example.com\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\nAccept: */*\r\n\r\n";
	size_t wrong = 0, first = 0;
	char seen[200] = "";

	for (size_t k = 1; k < sizeof req - 1; k++) {
		struct dt_flow f;

		dt_flow_start(&f, 1, 40010, 80);
		dt_flow_send(&f, 0, req, k);
		dt_flow_send(&f, 0, req + k, sizeof req - 1 - k);
		int ok = f.a.proto == AP_HTTP && f.a.http_method != NULL &&
		    strcmp(f.a.http_method, "GET") == 0 && f.a.http_host != NULL &&
		    strcmp(f.a.http_host, "camera.example.com") == 0 && f.a.http_ctype != NULL &&
		    strcmp(f.a.http_ctype, "application/x-www-form-urlencoded") == 0;
		if (!ok && wrong++ == 0) {
			first = k;
			snprintf(seen, sizeof seen, "Host \"%s\", Content-Type \"%s\"",
			    f.a.http_host != NULL ? f.a.http_host : "(none)",
			    f.a.http_ctype != NULL ? f.a.http_ctype : "(none)");
		}
		dt_flow_end(&f);
	}
	if (wrong > 0)
		fail_msg("%zu of %zu split points misread the head; first at %zu: %s", wrong,
		    sizeof req - 2, first, seen);
}

/* Media in an HTTP body, by magic, in the direction that carries it. */
static void
test_http_media(void **state)
{
	(void)state;
	static const char get[] = "GET /snapshot.jpg HTTP/1.1\r\nHost: 192.168.1.20\r\n\r\n";
	static const char head[] = "HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n"
	    "Content-Length: 1000\r\n\r\n";
	static const uint8_t jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F',
		0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00 };
	static const char post[] = "POST /upload HTTP/1.1\r\nHost: cloud.example\r\n"
	    "Content-Type: application/zip\r\nContent-Length: 100\r\n\r\n"
	    "PK\x03\x04\x14\x00\x00\x00\x08\x00";
	struct dt_msg m;
	struct dt_flow f;

	memset(&m, 0, sizeof m);
	dt_puts(&m, head);
	dt_put(&m, jpeg, sizeof jpeg);
	dt_flow_start(&f, 1, 40020, 80);
	dt_flow_send(&f, 0, get, sizeof get - 1);
	assert_false(f.a.dir[0].done);		/* a GET has no body: still gathering */
	dt_flow_send(&f, 1, m.b, m.n);
	assert_int_equal(f.a.dir[1].media, MEDIA_JPEG);
	assert_int_equal(f.a.dir[0].media, MEDIA_NONE);
	assert_string_equal(f.a.http_ctype, "image/jpeg");
	assert_true(f.a.dir[1].done);
	dt_flow_end(&f);

	/* The head in one segment, the body in the next: detection waits for it. */
	dt_flow_start(&f, 1, 40021, 80);
	dt_flow_send(&f, 0, get, sizeof get - 1);
	dt_flow_send(&f, 1, head, sizeof head - 1);
	assert_false(f.a.dir[1].done);
	assert_int_equal(f.a.dir[1].media, MEDIA_NONE);
	dt_flow_send(&f, 1, jpeg, sizeof jpeg);
	assert_int_equal(f.a.dir[1].media, MEDIA_JPEG);
	assert_true(f.a.dir[1].done);
	dt_flow_end(&f);

	/* An upload: the client's direction carries the archive. */
	dt_flow_start(&f, 1, 40022, 80);
	dt_flow_send(&f, 0, post, sizeof post - 1);
	assert_int_equal(f.a.dir[0].media, MEDIA_ZIP);
	assert_int_equal(f.a.dir[1].media, MEDIA_NONE);
	assert_string_equal(f.a.http_ctype, "application/zip");
	dt_flow_end(&f);

	/* Other magic in a response body. */
	static const struct {
		const char	*b;
		size_t		 n;
		enum media	 m;
	} bodies[] = {
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, MEDIA_PNG },
		{ "\x00\x00\x00\x20" "ftypisom\0\0\2\0", 16, MEDIA_MP4 },
		{ "\x1f\x8b\x08\x00\0\0\0\0\0\x03", 10, MEDIA_GZIP },
		{ "<html><body>hi</body></html>", 28, MEDIA_NONE },
	};
	for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
		memset(&m, 0, sizeof m);
		dt_puts(&m, "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n");
		dt_put(&m, bodies[i].b, bodies[i].n);
		dt_flow_start(&f, 1, 40023, 80);
		dt_flow_send(&f, 1, m.b, m.n);
		assert_proto(f.a.proto, AP_HTTP);
		if (f.a.dir[1].media != bodies[i].m)
			fail_msg("body %zu: %s", i, media_name((enum media)f.a.dir[1].media));
		dt_flow_end(&f);
	}
}

static void
test_rtsp(void **state)
{
	(void)state;
	static const char options[] = "OPTIONS rtsp://192.168.1.64:554/Streaming/Channels/101 "
	    "RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: LibVLC/3.0.18\r\n\r\n";
	static const char describe[] = "DESCRIBE rtsp://cam.local/live RTSP/1.0\r\nCSeq: 3\r\n"
	    "Accept: application/sdp\r\n\r\n";
	static const char star[] = "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n";
	static const char reply[] = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nPublic: OPTIONS, DESCRIBE, "
	    "SETUP, PLAY\r\n\r\n";
	static const char http_options[] = "OPTIONS * HTTP/1.1\r\nHost: h.example\r\n\r\n";

	assert_proto(dt_one(1, 0, options, sizeof options - 1, 50000, 554), AP_RTSP);
	assert_proto(dt_one(1, 0, describe, sizeof describe - 1, 50001, 8554), AP_RTSP);
	assert_proto(dt_one(1, 0, star, sizeof star - 1, 50002, 554), AP_RTSP);
	assert_proto(dt_one(1, 1, reply, sizeof reply - 1, 50003, 554), AP_RTSP);
	/* A reply's status line from the client, an OPTIONS over HTTP: not RTSP. */
	assert_proto(dt_one(1, 0, reply, sizeof reply - 1, 50004, 554), AP_NONE);
	assert_proto(dt_one(1, 0, http_options, sizeof http_options - 1, 50005, 80), AP_HTTP);

	struct dt_flow f;
	dt_flow_start(&f, 1, 50006, 554);
	dt_flow_send(&f, 0, options, sizeof options - 1);
	dt_flow_send(&f, 1, reply, sizeof reply - 1);
	assert_proto(f.a.proto, AP_RTSP);
	assert_null(f.a.http_method);			/* RTSP heads are not read as HTTP */
	assert_true(f.a.dir[0].done);
	dt_flow_end(&f);
}

/* MQTT 3.1.1 section 3.1 (CONNECT), and 3.1's "MQIsdp". */
static void
mqtt_connect(struct dt_msg *m, int v31, size_t payload_extra)
{
	struct dt_msg body;

	memset(&body, 0, sizeof body);
	dt_put16(&body, v31 ? 6 : 4);
	dt_puts(&body, v31 ? "MQIsdp" : "MQTT");
	dt_put8(&body, v31 ? 3 : 4);			/* protocol level */
	dt_put8(&body, payload_extra > 0 ? 0xc2 : 0x02);	/* user, password, clean session */
	dt_put16(&body, 60);				/* keep alive */
	dt_put16(&body, 10);
	dt_puts(&body, "sensor-001");
	if (payload_extra > 0) {
		dt_put16(&body, 5);
		dt_puts(&body, "alice");
		dt_put16(&body, (unsigned)payload_extra);
		dt_fill(&body, 'p', payload_extra);
	}
	memset(m, 0, sizeof *m);
	dt_put8(m, 0x10);
	for (size_t len = body.n;;) {		/* remaining length, 7 bits a byte */
		unsigned b = len & 0x7f;
		len >>= 7;
		dt_put8(m, b | (len > 0 ? 0x80 : 0));
		if (len == 0)
			break;
	}
	dt_put(m, body.b, body.n);
}

static void
test_mqtt(void **state)
{
	(void)state;
	struct dt_msg m;

	mqtt_connect(&m, 0, 0);
	assert_int_equal(m.b[1], 22);			/* 10 + 2 + 10 */
	assert_proto(dt_one(1, 0, m.b, m.n, 45000, 1883), AP_MQTT);
	assert_proto(dt_one(1, 0, m.b, m.n, 45000, 9999), AP_MQTT);	/* any port */
	assert_proto(dt_one(1, 1, m.b, m.n, 45000, 1883), AP_NONE);	/* clients connect */
	mqtt_connect(&m, 1, 0);
	assert_proto(dt_one(1, 0, m.b, m.n, 45001, 1883), AP_MQTT);
	mqtt_connect(&m, 0, 300);			/* a two-byte remaining length */
	assert_true(m.b[1] & 0x80);
	assert_proto(dt_one(1, 0, m.b, m.n, 45002, 1883), AP_MQTT);

	mqtt_connect(&m, 0, 0);
	m.b[5] = 'X';					/* "MQTX" */
	assert_proto(dt_one(1, 0, m.b, m.n, 45003, 1883), AP_NONE);
	mqtt_connect(&m, 0, 0);
	m.b[0] = 0x20;					/* CONNACK's type */
	assert_proto(dt_one(1, 0, m.b, m.n, 45004, 1883), AP_NONE);
	/* A remaining length of five bytes, or one too short for the header. */
	static const uint8_t five[] = { 0x10, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 4, 'M', 'Q', 'T',
		'T', 4, 2, 0, 60 };
	assert_proto(dt_one(1, 0, five, sizeof five, 45005, 1883), AP_NONE);
	static const uint8_t tiny[] = { 0x10, 9, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0 };
	assert_proto(dt_one(1, 0, tiny, sizeof tiny, 45006, 1883), AP_NONE);
}

/* MQTT joined after its CONNECT (MQTT 3.1.1 section 3): whole packets with valid bodies. */
static void
test_mqtt_midstream(void **state)
{
	(void)state;
	/* PUBLISH QoS 0, topic "home/temp", payload "21.5". */
	static const uint8_t publish[] = { 0x30, 15, 0, 9, 'h', 'o', 'm', 'e', '/', 't', 'e',
		'm', 'p', '2', '1', '.', '5' };
	/* SUBSCRIBE id 1, filter "a/#" QoS 1. */
	static const uint8_t subscribe[] = { 0x82, 8, 0, 1, 0, 3, 'a', '/', '#', 1 };
	static const uint8_t pings[] = { 0xd0, 0, 0xd0, 0 };	/* PINGRESP twice */
	static const uint8_t ping[] = { 0xc0, 0 };
	/* A WebSocket binary frame: 0x82 reads as SUBSCRIBE, its body as no filter. */
	static const uint8_t ws[] = { 0x82, 0x11, 0x0b, 0, 0, 0, 0, 0, 0, 0, 3, 0x7a, 0, 0, 0,
		4, 0, 0, 0, 0x10 };
	/* A PUBLISH with QoS 3, and one whose length runs past the bytes. */
	static const uint8_t qos3[] = { 0x36, 5, 0, 1, 'a', 0, 1 };
	static const uint8_t longer[] = { 0x30, 40, 0, 1, 'a' };

	assert_proto(dt_one(1, 0, publish, sizeof publish, 45100, 17501), AP_MQTT);
	assert_proto(dt_one(1, 1, publish, sizeof publish, 45100, 17501), AP_MQTT);
	assert_proto(dt_one(1, 0, subscribe, sizeof subscribe, 45101, 17501), AP_MQTT);
	assert_proto(dt_one(1, 1, pings, sizeof pings, 45102, 17501), AP_MQTT);
	assert_proto(dt_one(1, 0, ping, sizeof ping, 45103, 17501), AP_NONE);
	assert_proto(dt_one(1, 1, ws, sizeof ws - 1, 45104, 35635), AP_NONE);
	assert_proto(dt_one(1, 0, qos3, sizeof qos3, 45105, 17501), AP_NONE);
	assert_proto(dt_one(1, 0, longer, sizeof longer, 45106, 17501), AP_NONE);
}

static void
test_ssh(void **state)
{
	(void)state;
	static const char server[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
	static const char client[] = "SSH-2.0-dropbear_2022.83\r\n";
	struct dt_flow f;
	char longb[300];

	dt_flow_start(&f, 1, 50100, 22);
	dt_flow_send(&f, 1, server, sizeof server - 1);
	assert_proto(f.a.proto, AP_SSH);
	assert_string_equal(f.a.banner, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
	dt_flow_send(&f, 0, client, sizeof client - 1);
	assert_string_equal(f.a.banner, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
	dt_flow_end(&f);

	dt_flow_start(&f, 1, 50101, 2222);
	dt_flow_send(&f, 0, client, sizeof client - 1);
	assert_proto(f.a.proto, AP_SSH);
	assert_string_equal(f.a.banner, "SSH-2.0-dropbear_2022.83");
	dt_flow_end(&f);

	/* A banner without its line end, and one too long: the first 128 bytes. */
	dt_flow_start(&f, 1, 50102, 22);
	dt_flow_send(&f, 1, "SSH-1.99-Cisco-1.25", 19);
	assert_string_equal(f.a.banner, "SSH-1.99-Cisco-1.25");
	dt_flow_end(&f);
	memcpy(longb, "SSH-2.0-", 8);
	memset(longb + 8, 'x', sizeof longb - 8);
	dt_flow_start(&f, 1, 50103, 22);
	dt_flow_send(&f, 1, longb, sizeof longb);
	dt_assert_raw(f.a.banner, longb, 128);
	dt_flow_end(&f);
}

/* Server greetings (the server speaks first) and client commands of the mail protocols. */
static void
test_greetings(void **state)
{
	(void)state;
	static const struct {
		int		 dir;
		const char	*s;
		uint16_t	 sport;
		enum app_proto	 p;
		const char	*banner;	/* NULL: not checked */
	} cases[] = {
		{ 1, "220 (vsFTPd 3.0.3)\r\n", 21, AP_FTP, "220 (vsFTPd 3.0.3)" },
		{ 1, "220 ProFTPD Server (Debian) [::ffff:10.0.0.5]\r\n", 2121, AP_FTP,
		    "220 ProFTPD Server (Debian) [::ffff:10.0.0.5]" },
		{ 1, "220 Welcome to the camera\r\n", 21, AP_FTP, "220 Welcome to the camera" },
		{ 1, "220 Welcome to the camera\r\n", 2121, AP_NONE, NULL },
		{ 1, "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n", 25, AP_SMTP,
		    "220 mx.example.org ESMTP Postfix (Debian/GNU)" },
		{ 1, "220-smtp.example.com ESMTP ready\r\n220 ok\r\n", 587, AP_SMTP,
		    "220-smtp.example.com ESMTP ready" },
		{ 0, "EHLO client.example\r\n", 25, AP_SMTP, NULL },
		{ 0, "HELO client.example\r\n", 2525, AP_SMTP, NULL },
		{ 1, "+OK Dovecot ready.\r\n", 110, AP_POP3, NULL },
		{ 1, "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.\r\n", 143,
		    AP_IMAP, NULL },
		{ 0, "USER anonymous\r\n", 21, AP_FTP, NULL },
		{ 0, "USER anonymous\r\n", 2121, AP_NONE, NULL },
		{ 0, "USER alice\r\n", 110, AP_POP3, NULL },
		{ 0, "AUTH TLS\r\n", 21, AP_FTP, NULL },
		/* The server's words from the client, and the client's from the server. */
		{ 0, "220 (vsFTPd 3.0.3)\r\n", 21, AP_NONE, NULL },
		{ 0, "+OK Dovecot ready.\r\n", 110, AP_NONE, NULL },
		{ 1, "EHLO client.example\r\n", 25, AP_NONE, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct dt_flow f;

		dt_flow_start(&f, 1, 50200, cases[i].sport);
		dt_flow_send(&f, cases[i].dir, cases[i].s, strlen(cases[i].s));
		if (f.a.proto != cases[i].p)
			fail_msg("case %zu (%s): %s", i, cases[i].s,
			    f.a.proto == AP_NONE ? "none" : app_proto_name(f.a.proto));
		if (cases[i].banner != NULL)
			assert_string_equal(f.a.banner, cases[i].banner);
		dt_flow_end(&f);
	}
}

/* Telnet (RFC 854): a session opens with IAC WILL/WONT/DO/DONT options. */
static void
test_telnet(void **state)
{
	(void)state;
	/* IAC DO TERMINAL-TYPE, DO TERMINAL-SPEED, DO X-DISPLAY-LOCATION, DO NEW-ENVIRON */
	static const uint8_t server[] = { 0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23,
		0xff, 0xfd, 0x27 };
	/* BusyBox telnetd: IAC DO ECHO, DO NAWS, WILL ECHO, WILL SUPPRESS-GO-AHEAD */
	static const uint8_t busybox[] = { 0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01,
		0xff, 0xfb, 0x03 };
	static const uint8_t client[] = { 0xff, 0xfb, 0x18 };
	static const uint8_t wont[] = { 0xff, 0xfc, 0x20 };
	static const uint8_t dont[] = { 0xff, 0xfe, 0x01 };
	static const uint8_t sb[] = { 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0 };
	static const uint8_t iac_iac[] = { 0xff, 0xff, 0x41 };

	assert_proto(dt_one(1, 1, server, sizeof server, 50300, 23), AP_TELNET);
	assert_proto(dt_one(1, 1, busybox, sizeof busybox, 50301, 23), AP_TELNET);
	assert_proto(dt_one(1, 0, client, sizeof client, 50302, 2323), AP_TELNET);
	assert_proto(dt_one(1, 0, wont, sizeof wont, 50303, 23), AP_TELNET);
	assert_proto(dt_one(1, 0, dont, sizeof dont, 50304, 23), AP_TELNET);
	assert_proto(dt_one(1, 0, sb, sizeof sb, 50305, 23), AP_NONE);	/* SB does not open */
	assert_proto(dt_one(1, 0, iac_iac, sizeof iac_iac, 50306, 23), AP_NONE);
	assert_proto(dt_one(1, 0, server, 1, 50307, 23), AP_NONE);
}

static void
test_guess(void **state)
{
	(void)state;
	static const struct {
		int		 tcp;
		uint16_t	 cport, sport;
		enum app_proto	 p;
	} cases[] = {
		{ 1, 50000, 443, AP_TLS }, { 1, 50000, 8883, AP_TLS }, { 1, 50000, 80, AP_HTTP },
		{ 1, 50000, 22, AP_SSH }, { 1, 50000, 554, AP_RTSP }, { 1, 50000, 1883, AP_MQTT },
		{ 1, 50000, 23, AP_TELNET }, { 1, 50000, 143, AP_IMAP }, { 1, 50000, 53, AP_DNS },
		{ 0, 50000, 53, AP_DNS }, { 0, 50000, 443, AP_QUIC }, { 0, 50000, 5684, AP_DTLS },
		{ 0, 50000, 123, AP_NTP }, { 0, 68, 67, AP_DHCP }, { 0, 50000, 1900, AP_SSDP },
		{ 0, 50000, 5683, AP_COAP }, { 0, 5353, 5353, AP_MDNS },
		/* The server's port first, then the client's. */
		{ 1, 1883, 50000, AP_MQTT }, { 1, 80, 443, AP_TLS },
		{ 1, 50000, 50001, AP_NONE }, { 0, 50000, 80, AP_NONE }, { 1, 50000, 123, AP_NONE },
	};
	struct flow_app a;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		detect_init(&a);
		detect_guess(&a, cases[i].tcp, cases[i].cport, cases[i].sport);
		if (a.proto != cases[i].p)
			fail_msg("case %zu: %d, want %d", i, a.proto, cases[i].p);
		assert_int_equal(a.guessed, cases[i].p != AP_NONE);
	}
	/* The payload's word stands. */
	detect_init(&a);
	a.proto = AP_SSH;
	detect_guess(&a, 1, 50000, 443);
	assert_int_equal(a.proto, AP_SSH);
	assert_false(a.guessed);
}

/* How a TCP direction is gathered: in order, bounded, given up on. */
static void
test_tcp_gathering(void **state)
{
	(void)state;
	static const char req[] = "GET /a HTTP/1.1\r\nHost: seq.example\r\n\r\n";
	uint8_t junk[600];
	struct dt_flow f;

	/* A segment past a hole waits; the missing one, then the later one, complete it. */
	dt_flow_start(&f, 1, 51000, 80);
	detect_packet(&f.a, f.sp, 1, 0, 1000, (struct span){ (const uint8_t *)req, 4 },
	    51000, 80);
	detect_packet(&f.a, f.sp, 1, 0, 1010, (struct span){ (const uint8_t *)req + 10,
	    sizeof req - 11 }, 51000, 80);
	assert_proto(f.a.proto, AP_HTTP);		/* "GET " was enough */
	assert_null(f.a.http_host);
	assert_int_equal(f.a.dir[0].len, 4);
	detect_packet(&f.a, f.sp, 1, 0, 1004, (struct span){ (const uint8_t *)req + 4, 6 },
	    51000, 80);
	assert_int_equal(f.a.dir[0].len, 10);
	detect_packet(&f.a, f.sp, 1, 0, 1010, (struct span){ (const uint8_t *)req + 10,
	    sizeof req - 11 }, 51000, 80);
	assert_string_equal(f.a.http_host, "seq.example");
	dt_flow_end(&f);

	/* Nothing recognisable: the direction is given up after DETECT_PACKETS segments. */
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 151 + 0x80);
	dt_flow_start(&f, 1, 51001, 7777);
	for (int i = 0; i < DETECT_PACKETS; i++) {
		assert_false(f.a.dir[0].done);
		dt_flow_send(&f, 0, junk, 100);
	}
	assert_true(f.a.dir[0].done);
	assert_null(f.a.dir[0].buf);
	assert_proto(f.a.proto, AP_NONE);
	dt_flow_end(&f);

	/* Or after DETECT_HEAD bytes. */
	dt_flow_start(&f, 1, 51002, 7777);
	for (int i = 0; i < 7; i++)
		dt_flow_send(&f, 0, junk, sizeof junk);
	assert_true(f.a.dir[0].done);
	assert_int_equal(f.a.dir[0].len, 0);
	dt_flow_end(&f);

	/* Out-of-order segments only: given up after twice DETECT_PACKETS. */
	dt_flow_start(&f, 1, 51003, 7777);
	dt_flow_send(&f, 0, junk, 10);
	for (int i = 0; i < 2 * DETECT_PACKETS; i++)
		detect_packet(&f.a, f.sp, 1, 0, 0x10000000u + 5000, (struct span){ junk, 10 },
		    51003, 7777);
	assert_true(f.a.dir[0].done);
	dt_flow_end(&f);

	/* UDP: each datagram alone, at most DETECT_PACKETS of them. */
	dt_flow_start(&f, 0, 51004, 7777);
	for (int i = 0; i < DETECT_PACKETS; i++)
		dt_flow_send(&f, 0, junk, 100);
	assert_true(f.a.dir[0].done);
	assert_null(f.a.dir[0].buf);
	dt_flow_end(&f);

	/* An empty payload is no packet. */
	dt_flow_start(&f, 1, 51005, 80);
	dt_flow_send(&f, 0, req, 0);
	assert_false(f.a.dir[0].started);
	dt_flow_end(&f);
}

/* Every sample above cut at every length (TLS and datagrams: their own files). */
static void
test_every_prefix(void **state)
{
	(void)state;
	struct dt_msg s[8];
	size_t ns = 0;

	mqtt_connect(&s[ns++], 0, 200);
	memset(&s[ns], 0, sizeof s[ns]);
	dt_puts(&s[ns++], "POST /u HTTP/1.1\r\nHost: h\r\nContent-Type: image/png\r\n\r\n"
	    "\x89PNG\r\n\x1a\n");
	memset(&s[ns], 0, sizeof s[ns]);
	dt_puts(&s[ns++], "DESCRIBE rtsp://c/l RTSP/1.0\r\nCSeq: 3\r\n\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	dt_puts(&s[ns++], "SSH-2.0-x\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	dt_puts(&s[ns++], "220 ftp FTP ready\r\n");
	memset(&s[ns], 0, sizeof s[ns]);
	dt_put(&s[ns++], "\x00\x00\x00\x20" "ftypisom", 12);
	dt_every_prefix(s, ns);
}

/* Random payloads of random lengths: no crash, bounds kept. */
static void
test_garbage(void **state)
{
	(void)state;
	static const uint16_t ports[] = { 21, 53, 80, 123, 443, 1883, 1900, 5353, 5683, 9999 };
	uint64_t x = 0x2545f4914f6cdd1dULL;
	uint8_t buf[1500];

	for (int i = 0; i < 3000; i++) {
		struct dt_flow f;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = 1 + (size_t)(x % sizeof buf);
		uint16_t port = ports[(x >> 20) % (sizeof ports / sizeof *ports)];
		int tcp = (int)(x >> 40 & 1);
		for (size_t k = 0; k < n; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[k] = (uint8_t)(x >> 56);
		}
		/* Some start as a protocol would, so recognisers read further. */
		static const uint8_t starts[][6] = { { 22, 3, 1, 5, 0, 1 }, { 0x10, 0x7f, 0, 4,
			'M', 'Q' }, { 'G', 'E', 'T', ' ', '/', ' ' }, { 0xc3, 0, 0, 0, 1, 8 },
			{ 0x12, 0x34, 0x01, 0x00, 0x00, 0x01 } };
		if (i % 2 == 0 && n >= 6)
			memcpy(buf, starts[(i / 2) % 5], 6);
		dt_flow_start(&f, tcp, 50000, port);
		dt_flow_send(&f, 0, buf, n);
		dt_flow_send(&f, 1, buf, n / 2 + 1);
		dt_flow_send(&f, 0, buf, n);
		dt_check_bounds(&f.a);
		dt_flow_end(&f);
	}
}

/*
 * Random payloads between unknown ports: a recogniser answers yes only on a structure random
 * bytes match rarely, so no protocol may take more than 1 in 1000 of them.
 */
static void
test_random_payloads(void **state)
{
	(void)state;
	uint64_t x = 42;
	uint8_t rnd[200];
	int hits[2][AP_COUNT] = { { 0 } };

	for (int t = 0; t < 8000; t++) {
		struct dt_flow f;
		size_t n = 20 + (size_t)t % 180;
		int tcp = t % 2;
		for (size_t k = 0; k < n; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			rnd[k] = (uint8_t)(x >> 32);
		}
		dt_flow_start(&f, tcp, (uint16_t)(50000 + t % 1000), (uint16_t)(7000 + t % 1000));
		dt_flow_send(&f, t / 2 % 2, rnd, n);
		hits[tcp][f.a.proto]++;
		dt_flow_end(&f);
	}
	for (int k = 0; k < 2; k++)
		for (int p = 1; p < AP_COUNT; p++)
			if (hits[k][p] > 4)
				fail_msg("%d of 4000 random %s payloads taken for %s", hits[k][p],
				    k ? "TCP" : "UDP", app_proto_name((enum app_proto)p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_media_magic),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_http_split_head),
		cmocka_unit_test(test_http_media),
		cmocka_unit_test(test_rtsp),
		cmocka_unit_test(test_mqtt),
		cmocka_unit_test(test_mqtt_midstream),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_greetings),
		cmocka_unit_test(test_telnet),
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_tcp_gathering),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_random_payloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
