/*
 * fold.c — the folded flows' totals (see fold.h): an array of device-side records with an
 * open-addressing index under a per-run random key (the addresses come from the traffic), and
 * the server ports in a direct index.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "fold.h"
#include "hash.h"
#include "strpool.h"
#include "triage.h"
#include "xalloc.h"

struct fold {
	struct fold_dest *d;
	size_t		 nd, dcap;
	uint32_t	*idx;		/* record + 1; 0 empty */
	size_t		 idx_cap;	/* power of two */
	struct fold_port *p;
	size_t		 np, pcap;
	uint32_t	*port_idx;	/* [TCP 0 / UDP 1][port] → record + 1 */
	uint64_t	*dev;		/* flows folded per device id */
	size_t		 ndev;
	struct strpool	*sets;		/* the records' sets of protocols */
	uint64_t	 flows;
	size_t		 hist_bytes;
	uint64_t	 key[3];
};

struct fold *
fold_new(void)
{
	struct fold *f = xcalloc(1, sizeof *f);

	hash_random_key(f->key, 3);
	f->sets = strpool_new();
	return f;
}

void
fold_free(struct fold *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nd; i++)
		if (f->d[i].hist != NULL) {
			hist_fini(&f->d[i].hist[0]);
			hist_fini(&f->d[i].hist[1]);
			free(f->d[i].hist);
		}
	strpool_free(f->sets);
	free(f->d);
	free(f->idx);
	free(f->p);
	free(f->port_idx);
	free(f->dev);
	free(f);
}

uint64_t
fold_count(const struct fold *f)
{
	return f->flows;
}

uint64_t
fold_device_count(const struct fold *f, uint32_t id)
{
	return id < f->ndev ? f->dev[id] : 0;
}

size_t
fold_ndests(const struct fold *f)
{
	return f->nd;
}

const struct fold_dest *
fold_dest(const struct fold *f, size_t i)
{
	return &f->d[i];
}

size_t
fold_nports(const struct fold *f)
{
	return f->np;
}

const struct fold_port *
fold_port(const struct fold *f, size_t i)
{
	return &f->p[i];
}

size_t
fold_bytes(const struct fold *f)
{
	return f->dcap * sizeof *f->d + f->idx_cap * sizeof *f->idx + f->pcap * sizeof *f->p +
	    (f->port_idx != NULL ? 2 * 65536 * sizeof *f->port_idx : 0) +
	    f->ndev * sizeof *f->dev + f->hist_bytes + strpool_bytes(f->sets);
}

/* The interned set with word added (a set is a few words: found again, not copied). */
static const char *
set_add(struct fold *f, const char *set, const char *word)
{
	char buf[160];

	if (triage_set_has(set, word))
		return set;		/* nearly always: a flood repeats itself */
	snprintf(buf, sizeof buf, "%s", set);
	triage_set_add(buf, sizeof buf, word);
	if (strcmp(buf, set) == 0)
		return set;		/* no room for it */
	return strpool_intern(f->sets, buf, strlen(buf));
}

static uint64_t
dest_hash(const struct fold *f, uint32_t dev1, uint32_t peer1, const struct addr *ip,
    int primary)
{
	uint64_t w0, w1;

	memcpy(&w0, ip->b, 8);
	memcpy(&w1, ip->b + 8, 8);
	return hash_mix(hash_mum(w0 ^ f->key[0], w1 ^ f->key[1]) ^
	    hash_mum(((uint64_t)dev1 << 32 | peer1) ^ f->key[2], (uint64_t)primary + 3));
}

static struct fold_dest *
dest_row(struct fold *f, uint32_t dev1, uint32_t peer1, const struct addr *ip, int primary)
{
	if (2 * (f->nd + 1) > f->idx_cap) {
		size_t cap = f->idx_cap != 0 ? f->idx_cap * 2 : 1024;
		uint32_t *idx = xcalloc(cap, sizeof *idx);
		for (size_t i = 0; i < f->nd; i++) {
			const struct fold_dest *d = &f->d[i];
			size_t j = dest_hash(f, d->dev1, d->peer1, &d->remote, d->primary) &
			    (cap - 1);
			while (idx[j] != 0)
				j = (j + 1) & (cap - 1);
			idx[j] = (uint32_t)i + 1;
		}
		free(f->idx);
		f->idx = idx;
		f->idx_cap = cap;
	}
	size_t j = dest_hash(f, dev1, peer1, ip, primary) & (f->idx_cap - 1);
	for (; f->idx[j] != 0; j = (j + 1) & (f->idx_cap - 1)) {
		struct fold_dest *d = &f->d[f->idx[j] - 1];
		if (d->dev1 == dev1 && d->peer1 == peer1 && d->primary == primary &&
		    addr_cmp(&d->remote, ip) == 0)
			return d;
	}
	if (f->nd == f->dcap) {
		/* By half again, not double: a large table's spare room is memory counted. */
		f->dcap = f->dcap != 0 ? f->dcap + f->dcap / 2 : 256;
		f->d = xreallocarray(f->d, f->dcap, sizeof *f->d);
	}
	struct fold_dest *d = &f->d[f->nd];
	memset(d, 0, sizeof *d);
	d->remote = *ip;
	d->dev1 = dev1;
	d->peer1 = peer1;
	d->primary = (uint8_t)primary;
	d->protos = "";
	f->idx[j] = (uint32_t)++f->nd;
	return d;
}

static void
add_hist(struct fold *fo, struct hist *h, const struct flow *f, int dir)
{
	int had = h->cold != NULL;

	flow_hist_add(h, f, dir);
	if (!had && h->cold != NULL)
		fo->hist_bytes += 256 * sizeof *h->cold;
}

/* Side l of f (a device's) into its record. */
static void
fold_side(struct fold *fo, const struct flow *f, const struct flow_triage *t, int l,
    const char *label)
{
	int self = f->dev[!l] == f->dev[l];
	int primary = !self && (l == 0 || f->dev[0] == 0);
	struct fold_dest *d = dest_row(fo, f->dev[l], f->dev[!l], l == 0 ? &f->key.b :
	    &f->key.a, primary);

	if (d->flows == 0 || f->first_ns < d->first_ns)
		d->first_ns = f->first_ns;
	if (f->last_ns > d->last_ns)
		d->last_ns = f->last_ns;
	d->flows++;
	d->pkts[0] += f->pkts[l];
	d->pkts[1] += f->pkts[!l];
	d->bytes[0] += f->bytes[l];
	d->bytes[1] += f->bytes[!l];
	int k;
	for (k = 0; k < d->nsvc; k++)
		if (d->svc_proto[k] == f->key.proto && d->svc_port[k] == t->server_port)
			break;
	if (k == d->nsvc && d->nsvc < DEST_SERVICES) {
		d->svc_proto[d->nsvc] = f->key.proto;
		d->svc_port[d->nsvc++] = t->server_port;
	}
	for (int dir = 0; dir < 2; dir++)
		d->by[t->v[dir]] += t->e[dir].n;
	if (f->payload_cap[0] + f->payload_cap[1] > 0) {
		if (d->hist == NULL) {
			d->hist = xcalloc(2, sizeof *d->hist);
			fo->hist_bytes += 2 * sizeof *d->hist + 16;
		}
		add_hist(fo, &d->hist[0], f, l);
		add_hist(fo, &d->hist[1], f, !l);
	}
	if (label != NULL)
		d->protos = set_add(fo, d->protos, label);
	if (f->dev[l] - 1 >= fo->ndev) {
		size_t n = fo->ndev != 0 ? fo->ndev : 16;
		while (n <= f->dev[l] - 1)
			n *= 2;
		fo->dev = xreallocarray(fo->dev, n, sizeof *fo->dev);
		memset(fo->dev + fo->ndev, 0, (n - fo->ndev) * sizeof *fo->dev);
		fo->ndev = n;
	}
	fo->dev[f->dev[l] - 1]++;
}

static void
fold_server_port(struct fold *fo, const struct flow *f, const struct flow_triage *t)
{
	int u = f->key.proto == IPPROTO_UDP;
	char pb[32];

	if (fo->port_idx == NULL)
		fo->port_idx = xcalloc(2 * 65536, sizeof *fo->port_idx);
	uint32_t *slot = &fo->port_idx[u * 65536 + t->server_port];
	if (*slot == 0) {
		if (fo->np == fo->pcap) {
			fo->pcap = fo->pcap != 0 ? fo->pcap * 2 : 64;
			fo->p = xreallocarray(fo->p, fo->pcap, sizeof *fo->p);
		}
		struct fold_port *p = &fo->p[fo->np];
		memset(p, 0, sizeof *p);
		p->port = t->server_port;
		p->transport = f->key.proto;
		p->protos = "";
		*slot = (uint32_t)++fo->np;
	}
	struct fold_port *p = &fo->p[*slot - 1];
	p->flows++;
	p->packets += f->pkts[0] + f->pkts[1];
	p->bytes += f->bytes[0] + f->bytes[1];
	if (triage_proto(t, pb, sizeof pb) != NULL)
		p->protos = set_add(fo, p->protos, pb);
}

void
fold_flow(struct fold *fo, const struct flow *f, const struct flow_triage *t)
{
	char buf[64];
	const char *label = triage_label(f, t, buf, sizeof buf);

	fo->flows++;
	if (f->key.proto == IPPROTO_TCP || f->key.proto == IPPROTO_UDP)
		fold_server_port(fo, f, t);
	/* Both sides one device: one record, as the tables count such a flow once. */
	for (int l = 0; l < 2; l++)
		if (f->dev[l] != 0 && !(l == 1 && f->dev[1] == f->dev[0]))
			fold_side(fo, f, t, l, label);
}
