/*
 * report-geo.c — the records of destinations, countries, organisations and the databases
 * behind them, for the JSON and CSV writers (see report-rec.h).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <time.h>

#include "analysis.h"
#include "dests.h"
#include "device.h"
#include "flow.h"
#include "geo.h"
#include "names.h"
#include "report-rec.h"
#include "report.h"
#include "triage.h"

void
rec_geodb(struct rec_out *o, const struct geo_db_info *g)
{
	char date[16] = "";
	time_t t = (time_t)g->build_epoch;
	struct tm tm;

	if (g->build_epoch != 0 && gmtime_r(&t, &tm) != NULL)
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
	o->str(o, "path", g->path);
	o->str(o, "type", g->type);
	o->str(o, "kind", geo_kind_name(g->kind));
	o->str(o, "build_date", date[0] != '\0' ? date : NULL);
	o->u64(o, "ip_version", g->ip_version);
	o->str(o, "description", g->description);
	o->str(o, "attribution", g->attribution);
}

static void
rec_device_ref(struct rec_out *o, struct analysis *a, uint32_t id)
{
	const struct device_table *dt = analysis_devices(a);
	const struct device *d = id < device_count(dt) ? device_get(dt, id) : NULL;
	char buf[32];

	if (d != NULL)
		o->u64(o, "device", id);
	else
		o->str(o, "device", NULL);
	o->str(o, "device_name", d != NULL ? device_best_name(d) : NULL);
	o->str(o, "device_mac", d != NULL && d->has_mac ? mac_fmt(d->mac, buf, sizeof buf) :
	    NULL);
}

void
rec_dest(struct rec_out *o, struct analysis *a, const struct dest *d)
{
	char buf[ADDR_STRLEN], svc[16], b[16], vs[80];

	rec_device_ref(o, a, d->device);
	o->str(o, "ip", addr_fmt(&d->ip, buf, sizeof buf));
	o->str(o, "name", d->name);
	/*
	 * The names the device knew the address by (its DNS answers, the SNI and Host it sent)
	 * and those no device owns (mDNS, answers to other hosts), with where each came from
	 * and when: what other stations were told is theirs, and listing it here would make
	 * the report grow with the square of the stations sharing a cloud.
	 */
	const struct names *nm = analysis_names(a);
	char item[600], t1[48], t2[48];
	int any = d->device == DEST_ANY_DEVICE;	/* one row for all devices: every name */
	uint32_t own[2] = { d->device + 1, 0 };
	o->list_begin(o, "names");
	for (int k = 0; k < (any ? 1 : 2); k++)
		for (const struct ipname *e = any ? names_first(nm, &d->ip) :
		    names_dev_first(nm, &d->ip, own[k]); e != NULL;
		    e = any ? names_next(nm, e) : names_dev_next(nm, e)) {
			snprintf(item, sizeof item, "%s:%s %s..%s", ipname_source_name(e->source),
			    e->chain != NULL ? e->chain : e->name,
			    report_time(e->first_ns, 3, t1, sizeof t1),
			    report_time(e->last_ns, 3, t2, sizeof t2));
			o->list_item(o, item);
		}
	o->list_end(o);
	o->str(o, "range", addr_class_name(d->geo.cls));
	o->str(o, "country_code", d->geo.cc[0][0] != '\0' ? d->geo.cc[0] : NULL);
	o->str(o, "country", d->geo.country);
	/* Every country database's answer, in their order; "" where one has none. */
	o->list_begin(o, "countries");
	for (int k = 0; k < d->geo.ncountry && d->geo.cls == ADDR_PUBLIC; k++)
		o->list_item(o, d->geo.cc[k]);
	o->list_end(o);
	o->boolean(o, "countries_disagree", d->geo.disagree);
	if (d->geo.asn != 0)
		o->u64(o, "asn", d->geo.asn);
	else
		o->str(o, "asn", NULL);
	o->str(o, "org", d->geo.org);
	o->u64(o, "flows", d->flows);
	o->u64(o, "packets_out", d->pkts[0]);
	o->u64(o, "packets_in", d->pkts[1]);
	o->u64(o, "bytes_out", d->bytes[0]);
	o->u64(o, "bytes_in", d->bytes[1]);
	rec_time(o, "first", d->first_ns);
	rec_time(o, "last", d->last_ns);
	o->list_begin(o, "services");
	/* "TCP/443"; a protocol without ports by its name alone ("ICMP", "IGMP"). */
	for (int i = 0; i < d->nsvc; i++) {
		const char *name = flow_proto_name(d->svc_proto[i], b, sizeof b);
		if (d->svc_proto[i] == IPPROTO_TCP || d->svc_proto[i] == IPPROTO_UDP)
			snprintf(svc, sizeof svc, "%s/%u", name, d->svc_port[i]);
		else
			snprintf(svc, sizeof svc, "%s", name);
		o->list_item(o, svc);
	}
	o->list_end(o);
	o->str(o, "protocols", d->protos[0] != '\0' ? d->protos : NULL);
	o->str(o, "verdicts", triage_verdict_set(d->verdicts, vs, sizeof vs));
}

void
rec_country(struct rec_out *o, const struct country_row *c)
{
	o->str(o, "country_code", c->cc[0] != '\0' ? c->cc : NULL);
	o->str(o, "country", c->cc[0] != '\0' ? c->name : "unknown");
	o->u64(o, "devices", c->devices);
	o->u64(o, "destinations", c->dests);
	o->u64(o, "flows", c->flows);
	o->u64(o, "bytes_out", c->bytes[0]);
	o->u64(o, "bytes_in", c->bytes[1]);
	o->boolean(o, "databases_disagree", c->disagree);
}

void
rec_org(struct rec_out *o, const struct org_row *r)
{
	if (r->asn != 0)
		o->u64(o, "asn", r->asn);
	else
		o->str(o, "asn", NULL);
	o->str(o, "org", r->org);
	o->u64(o, "devices", r->devices);
	o->u64(o, "destinations", r->dests);
	o->u64(o, "flows", r->flows);
	o->u64(o, "bytes_out", r->bytes[0]);
	o->u64(o, "bytes_in", r->bytes[1]);
}

void
rec_matrix_cell(struct rec_out *o, struct analysis *a, const struct geo_tables *t,
    uint32_t device, size_t country)
{
	const struct country_row *c = country < t->ncountries ? &t->countries[country] : NULL;

	rec_device_ref(o, a, device);
	o->str(o, "country_code", c != NULL && c->cc[0] != '\0' ? c->cc : NULL);
	o->u64(o, "bytes", c != NULL ? t->matrix[device * t->ncountries + country] : 0);
}

void
rec_geo_summary(struct rec_out *o, struct analysis *a, const struct geo_tables *t)
{
	struct geo *g = analysis_geo(a);

	o->u64(o, "databases", geo_count(g));
	o->u64(o, "country_databases", (uint64_t)geo_has_country(g));
	o->u64(o, "asn_databases", (uint64_t)geo_has_asn(g));
	o->str(o, "tables_count_by", geo_has_country(g) > 1 ?
	    "the first country database's answer" : NULL);
	o->u64(o, "devices_with_public_destinations", t->devices_public);
	if (geo_has_country(g) > 0)
		o->u64(o, "devices_in_several_countries", t->devices_multi);
	else
		o->str(o, "devices_in_several_countries", NULL);	/* unknown, not none */
	if (t->devices_public > 0 && geo_has_country(g) > 0)
		o->dbl(o, "share_in_several_countries",
		    (double)t->devices_multi / (double)t->devices_public, 4);
	else
		o->str(o, "share_in_several_countries", NULL);
}
