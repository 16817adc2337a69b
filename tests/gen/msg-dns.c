/*
 * msg-dns.c — the DNS/mDNS message writer.  Every name written is remembered by suffix, so a
 * later name sharing a suffix (the question in an answer, a CNAME target's owner, SRV targets)
 * becomes a compression pointer as real servers emit them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "msg.h"

void
dnsw_init(struct dnsw *w, uint8_t *buf, size_t cap)
{
	w->p = buf;
	w->n = 0;
	w->cap = cap;
	w->nnames = 0;
}

/* Messages are built from the generator's own tables; running out of room is a bug. */
static uint8_t *
dnsw_room(struct dnsw *w, size_t k)
{
	uint8_t *p;

	if (w->n + k > w->cap) {
		fprintf(stderr, "gen-capture: DNS message too large\n");
		abort();
	}
	p = w->p + w->n;
	w->n += k;
	return p;
}

void
dnsw_bytes(struct dnsw *w, const void *v, size_t k)
{
	memcpy(dnsw_room(w, k), v, k);
}

void
dnsw_u16(struct dnsw *w, uint16_t v)
{
	put_be16(dnsw_room(w, 2), v);
}

static void
dnsw_u32(struct dnsw *w, uint32_t v)
{
	put_be32(dnsw_room(w, 4), v);
}

void
dnsw_header(struct dnsw *w, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns,
    uint16_t ar)
{
	dnsw_u16(w, id);
	dnsw_u16(w, flags);
	dnsw_u16(w, qd);
	dnsw_u16(w, an);
	dnsw_u16(w, ns);
	dnsw_u16(w, ar);
}

static int
dnsw_find(const struct dnsw *w, const char *suffix)
{
	for (int i = 0; i < w->nnames; i++) {
		if (strcasecmp(w->name_str[i], suffix) == 0)
			return w->name_off[i];
	}
	return -1;
}

/* Writes a dotted name ("" is the root), compressed against every name written before. */
void
dnsw_name(struct dnsw *w, const char *name)
{
	const char *s = name;

	while (*s != '\0') {
		const char *dot = strchr(s, '.');
		size_t len = dot ? (size_t)(dot - s) : strlen(s);
		int at = dnsw_find(w, s);

		if (at >= 0) {
			dnsw_u16(w, (uint16_t)(0xc000 | at));
			return;
		}
		if (w->nnames < DNSW_NAMES && w->n <= 0x3fff && strlen(s) < 256) {
			w->name_off[w->nnames] = (uint16_t)w->n;
			snprintf(w->name_str[w->nnames], sizeof w->name_str[0], "%s", s);
			w->nnames++;
		}
		*dnsw_room(w, 1) = (uint8_t)len;
		dnsw_bytes(w, s, len);
		s += len;
		if (*s == '.')
			s++;
	}
	*dnsw_room(w, 1) = 0;
}

void
dnsw_question(struct dnsw *w, const char *name, uint16_t type, uint16_t cls)
{
	dnsw_name(w, name);
	dnsw_u16(w, type);
	dnsw_u16(w, cls);
}

/* Starts a resource record; returns where its RDLENGTH goes, for dnsw_rr_end. */
size_t
dnsw_rr_begin(struct dnsw *w, const char *name, uint16_t type, uint16_t cls, uint32_t ttl)
{
	size_t at;

	dnsw_name(w, name);
	dnsw_u16(w, type);
	dnsw_u16(w, cls);
	dnsw_u32(w, ttl);
	at = w->n;
	dnsw_u16(w, 0);
	return at;
}

void
dnsw_rr_end(struct dnsw *w, size_t at)
{
	put_be16(w->p + at, (uint16_t)(w->n - at - 2));
}

/* An A or AAAA record. */
void
dnsw_rr_addr(struct dnsw *w, const char *name, uint16_t type, uint16_t cls, uint32_t ttl,
    const uint8_t *addr)
{
	size_t at = dnsw_rr_begin(w, name, type, cls, ttl);

	dnsw_bytes(w, addr, type == DNS_AAAA ? 16 : 4);
	dnsw_rr_end(w, at);
}

/* A record whose data is one name: CNAME, PTR. */
void
dnsw_rr_name(struct dnsw *w, const char *name, uint16_t type, uint16_t cls, uint32_t ttl,
    const char *target)
{
	size_t at = dnsw_rr_begin(w, name, type, cls, ttl);

	dnsw_name(w, target);
	dnsw_rr_end(w, at);
}

void
dnsw_rr_srv(struct dnsw *w, const char *name, uint16_t cls, uint32_t ttl, uint16_t port,
    const char *target)
{
	size_t at = dnsw_rr_begin(w, name, DNS_SRV, cls, ttl);

	dnsw_u16(w, 0);		/* priority */
	dnsw_u16(w, 0);		/* weight */
	dnsw_u16(w, port);
	dnsw_name(w, target);
	dnsw_rr_end(w, at);
}

void
dnsw_rr_txt(struct dnsw *w, const char *name, uint16_t cls, uint32_t ttl,
    const char *const *strs, int n)
{
	size_t at = dnsw_rr_begin(w, name, DNS_TXT, cls, ttl);

	for (int i = 0; i < n; i++) {
		size_t k = strlen(strs[i]);

		if (k > 255)
			k = 255;
		*dnsw_room(w, 1) = (uint8_t)k;
		dnsw_bytes(w, strs[i], k);
	}
	dnsw_rr_end(w, at);
}
