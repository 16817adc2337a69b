/*
 * device.c — the device table: chunked storage, MAC and IP indexes (see device.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "hash.h"
#include "strpool.h"
#include "xalloc.h"

#define CHUNK_SHIFT	8
#define CHUNK_SIZE	(1u << CHUNK_SHIFT)
#define REMOTE_MAX	(1u << 20)

struct mac_slot {
	uint64_t	 mac;		/* 48 bits, +1 << 48 marks the slot used */
	uint32_t	 id;
};

struct ip_slot {
	struct addr	 ip;
	uint32_t	 id1;		/* device id + 1; 0 = empty */
};

struct device_table {
	struct device	**chunk;
	size_t		 nchunks, n;
	struct mac_slot	*mac;
	size_t		 mac_cap, mac_used;
	struct ip_slot	*ip;
	size_t		 ip_cap, ip_used;
};

struct device_table *
device_table_new(void)
{
	struct device_table *t = xcalloc(1, sizeof *t);
	t->mac_cap = 64;
	t->mac = xcalloc(t->mac_cap, sizeof *t->mac);
	t->ip_cap = 64;
	t->ip = xcalloc(t->ip_cap, sizeof *t->ip);
	return t;
}

void
device_table_free(struct device_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		struct device *d = device_get(t, i);
		free(d->ips);
		free(d->names);
		free(d->remote);
		free(d->remote_used);
	}
	for (size_t i = 0; i < t->nchunks; i++)
		free(t->chunk[i]);
	free(t->chunk);
	free(t->mac);
	free(t->ip);
	free(t);
}

size_t
device_count(const struct device_table *t)
{
	return t->n;
}

size_t
device_table_bytes(const struct device_table *t)
{
	size_t n = t->nchunks * CHUNK_SIZE * sizeof(struct device) +
	    t->mac_cap * sizeof *t->mac + t->ip_cap * sizeof *t->ip;

	for (size_t i = 0; i < t->n; i++) {
		const struct device *d = device_get(t, i);
		n += d->ips_cap * sizeof *d->ips + d->names_cap * sizeof *d->names +
		    d->remote_cap * (sizeof *d->remote + 1);
	}
	return n;
}

struct device *
device_get(const struct device_table *t, size_t id)
{
	return &t->chunk[id >> CHUNK_SHIFT][id & (CHUNK_SIZE - 1)];
}

static uint64_t
mac_key(const uint8_t m[6])
{
	return (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
	    (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5] | 1ull << 48;
}

int
mac_is_unicast(const uint8_t m[6])
{
	return (m[0] & 1) == 0 && (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0;
}

char *
mac_fmt(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static struct device *
device_new(struct device_table *t)
{
	if ((t->n >> CHUNK_SHIFT) == t->nchunks) {
		t->chunk = xreallocarray(t->chunk, t->nchunks + 1, sizeof *t->chunk);
		t->chunk[t->nchunks++] = xcalloc(CHUNK_SIZE, sizeof(struct device));
	}
	struct device *d = device_get(t, t->n);
	memset(d, 0, sizeof *d);
	d->id = (uint32_t)t->n++;
	return d;
}

static void
mac_insert(struct device_table *t, uint64_t key, uint32_t id)
{
	if (2 * (t->mac_used + 1) > t->mac_cap) {
		size_t ncap = t->mac_cap * 2;
		struct mac_slot *ns = xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; i < t->mac_cap; i++) {
			if (t->mac[i].mac == 0)
				continue;
			size_t j = hash_mix(t->mac[i].mac) & (ncap - 1);
			while (ns[j].mac != 0)
				j = (j + 1) & (ncap - 1);
			ns[j] = t->mac[i];
		}
		free(t->mac);
		t->mac = ns;
		t->mac_cap = ncap;
	}
	size_t j = hash_mix(key) & (t->mac_cap - 1);
	while (t->mac[j].mac != 0)
		j = (j + 1) & (t->mac_cap - 1);
	t->mac[j].mac = key;
	t->mac[j].id = id;
	t->mac_used++;
}

static struct ip_slot *
ip_find(const struct device_table *t, const struct addr *a)
{
	size_t j = addr_hash(a) & (t->ip_cap - 1);

	while (t->ip[j].id1 != 0) {
		if (addr_cmp(&t->ip[j].ip, a) == 0)
			return &t->ip[j];
		j = (j + 1) & (t->ip_cap - 1);
	}
	return &t->ip[j];
}

static void
ip_set(struct device_table *t, const struct addr *a, uint32_t id)
{
	if (2 * (t->ip_used + 1) > t->ip_cap) {
		size_t ocap = t->ip_cap;
		struct ip_slot *old = t->ip;
		t->ip_cap *= 2;
		t->ip = xcalloc(t->ip_cap, sizeof *t->ip);
		for (size_t i = 0; i < ocap; i++)
			if (old[i].id1 != 0)
				*ip_find(t, &old[i].ip) = old[i];
		free(old);
	}
	struct ip_slot *s = ip_find(t, a);
	if (s->id1 == 0)
		t->ip_used++;
	s->ip = *a;
	s->id1 = id + 1;
}

struct device *
device_by_mac(struct device_table *t, const uint8_t mac[6], int create)
{
	uint64_t key = mac_key(mac);
	size_t j = hash_mix(key) & (t->mac_cap - 1);

	while (t->mac[j].mac != 0) {
		if (t->mac[j].mac == key)
			return device_get(t, t->mac[j].id);
		j = (j + 1) & (t->mac_cap - 1);
	}
	if (!create)
		return NULL;
	struct device *d = device_new(t);
	d->has_mac = 1;
	memcpy(d->mac, mac, 6);
	mac_insert(t, key, d->id);
	return d;
}

void
device_adopt_mac(struct device_table *t, struct device *d, const uint8_t mac[6])
{
	if (d->has_mac)
		return;
	d->has_mac = 1;
	memcpy(d->mac, mac, 6);
	mac_insert(t, mac_key(mac), d->id);
}

struct device *
device_by_ip(struct device_table *t, const struct addr *a, int create)
{
	struct ip_slot *s = ip_find(t, a);

	if (s->id1 != 0)
		return device_get(t, s->id1 - 1);
	if (!create)
		return NULL;
	struct device *d = device_new(t);
	d->key_ip = *a;
	device_add_ip(t, d, a);
	return d;
}

void
device_add_ip(struct device_table *t, struct device *d, const struct addr *a)
{
	for (uint32_t i = 0; i < d->nips; i++)
		if (addr_cmp(&d->ips[i], a) == 0)
			return;
	if (d->nips >= DEV_IPS_MAX) {
		d->ips_dropped++;
		return;
	}
	if (d->nips == d->ips_cap) {
		d->ips_cap = d->ips_cap != 0 ? d->ips_cap * 2 : 2;
		d->ips = xreallocarray(d->ips, d->ips_cap, sizeof *d->ips);
	}
	d->ips[d->nips++] = *a;
	ip_set(t, a, d->id);
}

void
device_add_name(struct device *d, struct strpool *sp, enum name_source src, const char *name,
    size_t len)
{
	if (len == 0 || name[0] == '\0')
		return;
	const char *s = strpool_intern(sp, name, len);
	for (uint32_t i = 0; i < d->nnames; i++)
		if (d->names[i].name == s && d->names[i].source == src)
			return;
	if (d->nnames >= DEV_NAMES_MAX) {
		d->names_dropped++;
		return;
	}
	if (d->nnames == d->names_cap) {
		d->names_cap = d->names_cap != 0 ? d->names_cap * 2 : 2;
		d->names = xreallocarray(d->names, d->names_cap, sizeof *d->names);
	}
	d->names[d->nnames].name = s;
	d->names[d->nnames].source = src;
	d->nnames++;
}

void
device_add_remote(struct device *d, const struct addr *a)
{
	if (2 * (d->nremote + 1) > d->remote_cap) {
		if (d->remote_cap >= REMOTE_MAX)
			return;
		uint32_t ocap = d->remote_cap;
		struct addr *old = d->remote;
		uint8_t *oused = d->remote_used;
		d->remote_cap = ocap != 0 ? ocap * 2 : 16;
		d->remote = xcalloc(d->remote_cap, sizeof *d->remote);
		d->remote_used = xcalloc(d->remote_cap, 1);
		for (uint32_t i = 0; i < ocap; i++) {
			if (!oused[i])
				continue;
			size_t j = addr_hash(&old[i]) & (d->remote_cap - 1);
			while (d->remote_used[j])
				j = (j + 1) & (d->remote_cap - 1);
			d->remote[j] = old[i];
			d->remote_used[j] = 1;
		}
		free(old);
		free(oused);
	}
	size_t j = addr_hash(a) & (d->remote_cap - 1);
	while (d->remote_used[j]) {
		if (addr_cmp(&d->remote[j], a) == 0)
			return;
		j = (j + 1) & (d->remote_cap - 1);
	}
	d->remote[j] = *a;
	d->remote_used[j] = 1;
	d->nremote++;
}

void
device_seen(struct device *d, int64_t ts)
{
	if (d->first_ns == 0 && d->last_ns == 0) {
		d->first_ns = d->last_ns = ts;
		return;
	}
	if (ts < d->first_ns)
		d->first_ns = ts;
	if (ts > d->last_ns)
		d->last_ns = ts;
}

void
device_carried(struct device *d, const struct addr *a)
{
	for (uint8_t i = 0; i < d->ncarried; i++)
		if (addr_cmp(&d->carried[i], a) == 0)
			return;
	if (d->ncarried < DEV_CARRIED_MAX)
		d->carried[d->ncarried++] = *a;
}

/*
 * Two foreign public addresses, not one: a station that owns a public address (some campus
 * networks) also carries a DHCP server's or a neighbour's, while a gateway carries many.
 */
int
device_is_gateway(const struct device *d)
{
	int foreign = 0;

	for (uint8_t i = 0; i < d->ncarried; i++) {
		uint32_t k;
		for (k = 0; k < d->nips; k++)
			if (addr_cmp(&d->ips[k], &d->carried[i]) == 0)
				break;
		if (k == d->nips)
			foreign++;
	}
	return foreign >= 2;
}

const char *
device_best_name(const struct device *d)
{
	const char *best = NULL;
	int rank = NAME_SOURCE_COUNT;

	for (uint32_t i = 0; i < d->nnames; i++) {
		if ((int)d->names[i].source < rank) {
			rank = (int)d->names[i].source;
			best = d->names[i].name;
		}
	}
	return best;
}

const char *
name_source_str(enum name_source s)
{
	switch (s) {
	case NAME_DHCP:		return "dhcp";
	case NAME_MDNS:		return "mdns";
	case NAME_DHCP_FQDN:	return "dhcp-fqdn";
	case NAME_MDNS_SERVICE:	return "mdns-service";
	case NAME_SSDP:		return "ssdp";
	case NAME_DHCP_VENDOR:	return "dhcp-vendor";
	case NAME_SOURCE_COUNT:	break;
	}
	return "?";
}
