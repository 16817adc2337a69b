/*
 * msg-mqtt.c — MQTT 3.1.1 control packets (OASIS spec section 3).  Lengths use the variable-
 * length "remaining length" encoding, so a publish of any size is well formed.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "msg.h"

/* Fixed header with the remaining length; returns its size (2 to 5). */
static size_t
fixed(uint8_t *p, uint8_t type, size_t rem)
{
	size_t n = 1;

	p[0] = type;
	do {
		uint8_t b = rem % 128;

		rem /= 128;
		if (rem > 0)
			b |= 0x80;
		p[n++] = b;
	} while (rem > 0);
	return n;
}

static size_t
str(uint8_t *p, const char *s)
{
	size_t k = strlen(s);

	put_be16(p, (uint16_t)k);
	memcpy(p + 2, s, k);
	return 2 + k;
}

/* CONNECT with clean session; user and pass may be NULL. */
size_t
mqtt_connect(uint8_t *out, const char *client_id, const char *user, const char *pass,
    uint16_t keepalive)
{
	uint8_t body[1024], flags = 0x02;
	size_t n = 0, h;

	n += str(body, "MQTT");
	body[n++] = 4;
	if (user != NULL)
		flags |= 0x80;
	if (pass != NULL)
		flags |= 0x40;
	body[n++] = flags;
	put_be16(body + n, keepalive);
	n += 2;
	n += str(body + n, client_id);
	if (user != NULL)
		n += str(body + n, user);
	if (pass != NULL)
		n += str(body + n, pass);
	h = fixed(out, 0x10, n);
	memcpy(out + h, body, n);
	return h + n;
}

size_t
mqtt_connack(uint8_t *out)
{
	out[0] = 0x20;
	out[1] = 2;
	out[2] = 0;		/* no session present */
	out[3] = 0;		/* accepted */
	return 4;
}

size_t
mqtt_subscribe(uint8_t *out, uint16_t id, const char *topic)
{
	size_t tl = strlen(topic), h = fixed(out, 0x82, 2 + 2 + tl + 1);

	put_be16(out + h, id);
	h += 2;
	h += str(out + h, topic);
	out[h++] = 1;		/* requested QoS */
	return h;
}

size_t
mqtt_suback(uint8_t *out, uint16_t id)
{
	out[0] = 0x90;
	out[1] = 3;
	put_be16(out + 2, id);
	out[4] = 1;
	return 5;
}

/* Everything of a PUBLISH before its n payload bytes; QoS 0 or 1 (id used only for 1). */
size_t
mqtt_publish_header(uint8_t *out, const char *topic, size_t n, int qos, uint16_t id)
{
	size_t tl = strlen(topic), rem = 2 + tl + (qos ? 2 : 0) + n;
	size_t h = fixed(out, (uint8_t)(0x30 | (qos << 1)), rem);

	h += str(out + h, topic);
	if (qos) {
		put_be16(out + h, id);
		h += 2;
	}
	return h;
}

size_t
mqtt_publish(uint8_t *out, const char *topic, const uint8_t *pl, size_t n, int qos, uint16_t id)
{
	size_t h = mqtt_publish_header(out, topic, n, qos, id);

	memcpy(out + h, pl, n);
	return h + n;
}

size_t
mqtt_puback(uint8_t *out, uint16_t id)
{
	out[0] = 0x40;
	out[1] = 2;
	put_be16(out + 2, id);
	return 4;
}

/* PINGREQ, PINGRESP, DISCONNECT: a type and a zero length. */
size_t
mqtt_simple(uint8_t *out, uint8_t type)
{
	out[0] = type;
	out[1] = 0;
	return 2;
}
