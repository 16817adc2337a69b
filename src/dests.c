/*
 * dests.c — destinations per device and the country and organisation tables (see dests.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dests.h"
#include "device.h"
#include "flow.h"
#include "fold.h"
#include "hash.h"
#include "kmap.h"
#include "triage.h"
#include "xalloc.h"

/* Open addressing over (device, address) → row + 1. */
struct index {
	uint32_t	*slot;
	size_t		 cap;
};

static uint64_t
key_hash(uint32_t device, const struct addr *ip)
{
	return hash_mix(addr_hash(ip) ^ ((uint64_t)device * 0x9e3779b97f4a7c15ull));
}

static struct dest *
row(struct dest **v, size_t *n, size_t *cap, struct index *x, uint32_t device,
    const struct addr *ip)
{
	if (2 * (*n + 1) > x->cap) {
		x->cap = x->cap != 0 ? x->cap * 2 : 256;
		free(x->slot);
		x->slot = xcalloc(x->cap, sizeof *x->slot);
		for (size_t i = 0; i < *n; i++) {
			size_t j = key_hash((*v)[i].device, &(*v)[i].ip) & (x->cap - 1);
			while (x->slot[j] != 0)
				j = (j + 1) & (x->cap - 1);
			x->slot[j] = (uint32_t)i + 1;
		}
	}
	size_t j = key_hash(device, ip) & (x->cap - 1);
	while (x->slot[j] != 0) {
		struct dest *d = &(*v)[x->slot[j] - 1];
		if (d->device == device && addr_cmp(&d->ip, ip) == 0)
			return d;
		j = (j + 1) & (x->cap - 1);
	}
	if (*n == *cap) {
		*cap = *cap != 0 ? *cap + *cap / 2 : 64;	/* rows are large: spare less */
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	struct dest *d = &(*v)[*n];
	memset(d, 0, sizeof *d);
	d->ip = *ip;
	d->device = device;
	x->slot[j] = (uint32_t)++*n;
	return d;
}

static void
add_service(struct dest *d, uint8_t proto, uint16_t port)
{
	for (int i = 0; i < d->nsvc; i++)
		if (d->svc_proto[i] == proto && d->svc_port[i] == port)
			return;
	if (d->nsvc < DEST_SERVICES) {
		d->svc_proto[d->nsvc] = proto;
		d->svc_port[d->nsvc++] = port;
	}
}

static int
by_device_bytes(const void *x, const void *y)
{
	const struct dest *a = x, *b = y;
	uint64_t ta = a->bytes[0] + a->bytes[1], tb = b->bytes[0] + b->bytes[1];

	if (a->device != b->device)
		return a->device < b->device ? -1 : 1;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	return addr_cmp(&a->ip, &b->ip);
}

/* Adds one side of a flow: side l is the device's, the other the destination. */
static void
charge(struct analysis *a, struct dest *d, const struct flow *f, int l)
{
	const struct flow_triage *t = analysis_triage(a, f);
	int r = !l;
	char label[64];

	if (d->flows == 0 || f->first_ns < d->first_ns)
		d->first_ns = f->first_ns;
	if (f->last_ns > d->last_ns)
		d->last_ns = f->last_ns;
	d->flows++;
	d->pkts[0] += f->pkts[l];
	d->pkts[1] += f->pkts[r];
	d->bytes[0] += f->bytes[l];
	d->bytes[1] += f->bytes[r];
	/* The service is the server's port, whichever side opened the flow. */
	add_service(d, f->key.proto, t->server_port);
	for (int k = 0; k < 2; k++)
		if (t->e[k].n > 0)
			d->verdicts |= 1u << t->v[k];
	if (triage_label(f, t, label, sizeof label) != NULL)
		triage_set_add(d->protos, sizeof d->protos, label);
}

/* The same for a folded device side (fold.h): its flows' totals at once. */
static void
charge_fold(struct dest *d, const struct fold_dest *fd)
{
	if (d->flows == 0 || fd->first_ns < d->first_ns)
		d->first_ns = fd->first_ns;
	if (fd->last_ns > d->last_ns)
		d->last_ns = fd->last_ns;
	d->flows += fd->flows;
	for (int k = 0; k < 2; k++) {
		d->pkts[k] += fd->pkts[k];
		d->bytes[k] += fd->bytes[k];
	}
	for (int k = 0; k < fd->nsvc; k++)
		add_service(d, fd->svc_proto[k], fd->svc_port[k]);
	for (int v = 0; v < V_COUNT; v++)
		if (fd->by[v] > 0)
			d->verdicts |= 1u << v;
	triage_set_merge(d->protos, sizeof d->protos, fd->protos);
}

size_t
dests_build(struct analysis *a, uint32_t device1, int per_device, struct dest **out)
{
	const struct flow_table *ft = analysis_flows(a);
	const struct fold *fo = analysis_fold(a);
	struct geo *g = analysis_geo(a);
	struct dest *v = NULL;
	size_t n = 0, cap = 0;
	struct index x = { NULL, 0 };

	for (size_t i = 0; i < flow_slots(ft); i++) {
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f))
			continue;
		for (int l = 0; l < 2; l++) {
			uint32_t dev1 = f->dev[l];
			/*
			 * Side l is a device and the other side is not that device: a flow
			 * between two devices is a destination of each.
			 */
			if (dev1 == 0 || f->dev[!l] == dev1 || (device1 != 0 && dev1 != device1))
				continue;
			struct dest *d = row(&v, &n, &cap, &x, per_device || device1 != 0 ?
			    dev1 - 1 : DEST_ANY_DEVICE, l == 0 ? &f->key.b : &f->key.a);
			charge(a, d, f, l);
			if (!per_device && device1 == 0)
				break;		/* across devices: a flow counts once */
		}
	}
	/* Folded flows, by the same rules: records of the flows' first device side only
	 * across devices, none where both sides are one device. */
	for (size_t i = 0; i < fold_ndests(fo); i++) {
		const struct fold_dest *fd = fold_dest(fo, i);
		if (fd->peer1 == fd->dev1 || (device1 != 0 && fd->dev1 != device1) ||
		    (!per_device && device1 == 0 && !fd->primary))
			continue;
		charge_fold(row(&v, &n, &cap, &x, per_device || device1 != 0 ? fd->dev1 - 1 :
		    DEST_ANY_DEVICE, &fd->remote), fd);
	}
	free(x.slot);
	for (size_t i = 0; i < n; i++) {
		struct dest *d = &v[i];
		d->name = analysis_ip_name(a, &d->ip, d->device != DEST_ANY_DEVICE ? d->device + 1 :
		    0);
		geo_lookup(g, &d->ip, &d->geo);
	}
	if (n > 0)
		qsort(v, n, sizeof *v, by_device_bytes);
	*out = v;
	return n;
}

static int
by_bytes_c(const void *x, const void *y)
{
	const struct country_row *a = x, *b = y;
	uint64_t ta = a->bytes[0] + a->bytes[1], tb = b->bytes[0] + b->bytes[1];

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(a->cc, b->cc);
}

static int
by_bytes_o(const void *x, const void *y)
{
	const struct org_row *a = x, *b = y;
	uint64_t ta = a->bytes[0] + a->bytes[1], tb = b->bytes[0] + b->bytes[1];

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

/* A country code ("" for none) as a key of its own kind. */
static uint64_t
cc_key(const char *cc)
{
	return 1ull << 62 | (uint64_t)(uint8_t)cc[0] << 8 |
	    (uint64_t)(cc[0] != '\0' ? (uint8_t)cc[1] : 0);
}

void
geo_tables_build(struct analysis *a, const struct dest *v, size_t n, struct geo_tables *t)
{
	size_t nd = device_count(analysis_devices(a));
	struct country_row *c = NULL;
	struct org_row *o = NULL;
	size_t nc = 0, no = 0, cc_cap = 0, co_cap = 0;
	struct kmap rows = { 0 }, seen = { 0 };
	uint32_t *ncountries = xcalloc(nd + 1, sizeof *ncountries);
	uint8_t *public = xcalloc(nd + 1, 1);
	int fresh;

	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < n; i++) {
		const struct dest *d = &v[i];
		if (d->geo.cls != ADDR_PUBLIC || d->device >= nd)
			continue;
		public[d->device] = 1;
		/* Keys: 1 cc, a country's code; 2 asn, an organisation. */
		const char *cc = d->geo.cc[0];
		uint32_t *ci = kmap_slot(&rows, cc_key(cc), &fresh);
		if (fresh) {
			if (nc == cc_cap) {
				cc_cap = cc_cap != 0 ? 2 * cc_cap : 16;
				c = xreallocarray(c, cc_cap, sizeof *c);
			}
			memset(&c[nc], 0, sizeof *c);
			snprintf(c[nc].cc, sizeof c[nc].cc, "%s", cc);
			c[nc].name = d->geo.country;
			*ci = (uint32_t)nc++;
		}
		size_t k = *ci;
		kmap_slot(&seen, 1ull << 62 | (uint64_t)k << 32 | d->device, &fresh);
		if (fresh) {
			c[k].devices++;
			if (c[k].cc[0] != '\0')
				ncountries[d->device]++;
		}
		c[k].dests++;
		c[k].flows += d->flows;
		c[k].bytes[0] += d->bytes[0];
		c[k].bytes[1] += d->bytes[1];
		c[k].disagree |= d->geo.disagree;
		uint32_t *oi = kmap_slot(&rows, 2ull << 62 | d->geo.asn, &fresh);
		if (fresh) {
			if (no == co_cap) {
				co_cap = co_cap != 0 ? 2 * co_cap : 16;
				o = xreallocarray(o, co_cap, sizeof *o);
			}
			memset(&o[no], 0, sizeof *o);
			o[no].asn = d->geo.asn;
			o[no].org = d->geo.org;
			*oi = (uint32_t)no++;
		}
		k = *oi;
		kmap_slot(&seen, 2ull << 62 | (uint64_t)k << 32 | d->device, &fresh);
		if (fresh)
			o[k].devices++;
		o[k].dests++;
		o[k].flows += d->flows;
		o[k].bytes[0] += d->bytes[0];
		o[k].bytes[1] += d->bytes[1];
	}
	kmap_free(&rows);
	kmap_free(&seen);
	memset(&rows, 0, sizeof rows);
	if (nc > 0)
		qsort(c, nc, sizeof *c, by_bytes_c);
	if (no > 0)
		qsort(o, no, sizeof *o, by_bytes_o);
	/* The matrix after sorting, so its columns follow the table's rows. */
	t->matrix = xcalloc(nd * (nc + 1) + 1, sizeof *t->matrix);
	for (size_t k = 0; k < nc; k++)
		*kmap_slot(&rows, cc_key(c[k].cc), &fresh) = (uint32_t)k;
	for (size_t i = 0; i < n; i++) {
		const struct dest *d = &v[i];
		if (d->geo.cls != ADDR_PUBLIC || d->device >= nd)
			continue;
		size_t k = *kmap_slot(&rows, cc_key(d->geo.cc[0]), &fresh);
		t->matrix[d->device * nc + k] += d->bytes[0] + d->bytes[1];
	}
	kmap_free(&rows);
	size_t ncells = 0;
	for (size_t i = 0; i < nd * nc; i++)
		ncells += t->matrix[i] != 0;
	t->cells = xcalloc(ncells + 1, sizeof *t->cells);
	for (size_t dv = 0; dv < nd; dv++) {
		t->devices_public += public[dv];
		t->devices_multi += ncountries[dv] > 1;
		for (size_t k = 0; k < nc; k++)
			if (t->matrix[dv * nc + k] != 0)
				t->cells[t->ncells++] = (struct geo_cell){ (uint32_t)dv, (uint32_t)k };
	}
	t->countries = c;
	t->ncountries = nc;
	t->orgs = o;
	t->norgs = no;
	t->ndevices = nd;
	free(ncountries);
	free(public);
}

void
geo_tables_free(struct geo_tables *t)
{
	free(t->countries);
	free(t->orgs);
	free(t->matrix);
	free(t->cells);
	memset(t, 0, sizeof *t);
}
