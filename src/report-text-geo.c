/*
 * report-text-geo.c — the text report's destinations: the geolocation databases, each
 * device's destinations with names, countries and owners, the countries table (the paper's
 * Table 5), device × country (its Appendix A), and the organisations.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "dests.h"
#include "device.h"
#include "geo.h"
#include "report-text.h"
#include "report.h"

/* 1234 → "1234", 56789 → "56K", and so on: matrix cells stay narrow. */
static const char *
short_bytes(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";

	if (v < 10000) {
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
	double x = (double)v;
	int u = -1;
	while (x >= 1000 && u < 3) {
		x /= 1000;
		u++;
	}
	snprintf(buf, len, x < 10 ? "%.1f%c" : "%.0f%c", x, units[u]);
	return buf;
}

static void
databases(FILE *fp, struct geo *g)
{
	rt_section(fp, "Geolocation databases");
	if (geo_count(g) == 0) {
		fputs("  none: countries and network owners are unknown.  Run `make geoip`, or "
		    "give a MaxMind-format\n  database with --geoip FILE (or IOTSCOPE_GEOIP).\n",
		    fp);
		return;
	}
	for (size_t i = 0; i < geo_count(g); i++) {
		const struct geo_db_info *d = geo_info(g, i);
		fprintf(fp, "  %-8s ", geo_kind_name(d->kind));
		rt_col(fp, d->type, 28);
		fputc(' ', fp);
		rt_str(fp, d->path, 0);
		fputc('\n', fp);
		if (d->attribution != NULL) {
			fputs("           ", fp);
			rt_str(fp, d->attribution, 0);
			fputc('\n', fp);
		}
	}
	if (geo_has_country(g) > 1)
		fputs("  (the tables count each destination under the first country database's "
		    "answer;\n  a destination shows every answer where they disagree, as DE/CN, "
		    "and a country\n  is marked '*' when one of its destinations is)\n", fp);
}

static void
destinations(FILE *fp, struct analysis *a, const struct dest *v, size_t n)
{
	char ip[ADDR_STRLEN], b1[16], b2[16], where[32];
	uint32_t shown = UINT32_MAX;

	rt_section(fp, "Destinations");
	for (size_t i = 0; i < n; i++) {
		const struct dest *d = &v[i];
		if (d->device != shown) {
			shown = d->device;
			fputs("  ", fp);
			rt_device(fp, a, d->device, 0);
			fputc('\n', fp);
			fprintf(fp, "    %-39s %-32s %-5s %-24s %5s %9s %9s  %s\n", "ADDRESS", "NAME",
			    "CC", "OWNER", "FLOWS", "OUT", "IN", "PROTOCOLS");
		}
		fputs("    ", fp);
		rt_col(fp, addr_fmt(&d->ip, ip, sizeof ip), 39);
		fputc(' ', fp);
		rt_col(fp, d->name, 32);
		if (d->geo.cls != ADDR_PUBLIC)
			snprintf(where, sizeof where, "(%s)", addr_class_name(d->geo.cls));
		else
			geo_codes(&d->geo, where, sizeof where);
		fputc(' ', fp);
		rt_str(fp, d->geo.cls != ADDR_PUBLIC ? "-" : where, 5);
		fputc(' ', fp);
		char own[96];
		if (d->geo.asn != 0)
			snprintf(own, sizeof own, "AS%u %s", d->geo.asn, d->geo.org != NULL ?
			    d->geo.org : "");
		else
			snprintf(own, sizeof own, "%s", d->geo.cls != ADDR_PUBLIC ? where : "-");
		rt_col(fp, own, 24);
		fprintf(fp, " %5" PRIu64 " %9s %9s  ", d->flows,
		    short_bytes(d->bytes[0], b1, sizeof b1),
		    short_bytes(d->bytes[1], b2, sizeof b2));
		rt_str(fp, d->protos[0] != '\0' ? d->protos : "-", 0);
		fputc('\n', fp);
	}
}

static void
tables(FILE *fp, struct analysis *a, const struct geo_tables *t)
{
	char b1[16], b2[16];

	rt_section(fp, "Countries (the paper's Table 5)");
	fprintf(fp, "  %-4s %-28s %7s %6s %6s %9s %9s\n", "CC", "COUNTRY", "DEVICES", "DESTS",
	    "FLOWS", "OUT", "IN");
	for (size_t i = 0; i < t->ncountries; i++) {
		const struct country_row *c = &t->countries[i];
		char cc[8];
		snprintf(cc, sizeof cc, "%s%s", c->cc[0] != '\0' ? c->cc : "??",
		    c->disagree ? "*" : "");
		fputs("  ", fp);
		rt_col(fp, cc, 4);
		fputc(' ', fp);
		rt_col(fp, c->cc[0] != '\0' ? c->name : "unknown", 28);
		fprintf(fp, " %7u %6u %6" PRIu64 " %9s %9s\n", c->devices, c->dests, c->flows,
		    short_bytes(c->bytes[0], b1, sizeof b1), short_bytes(c->bytes[1], b2,
		    sizeof b2));
	}
	if (t->devices_public > 0 && geo_has_country(analysis_geo(a)) == 0)
		fprintf(fp, "  %u devices reach public addresses; in which countries is unknown "
		    "without a country database\n", t->devices_public);
	else if (t->devices_public > 0)
		fprintf(fp, "  %u of %u devices with public destinations reach more than one "
		    "country (%.0f%%)\n", t->devices_multi, t->devices_public,
		    100.0 * t->devices_multi / t->devices_public);
	if (t->ncountries > 0) {
		rt_section(fp, "Devices x countries, bytes both ways (the paper's Appendix A)");
		fprintf(fp, "  %-24s", "DEVICE");
		for (size_t k = 0; k < t->ncountries; k++) {
			fputc(' ', fp);
			rt_rcol(fp, t->countries[k].cc[0] != '\0' ? t->countries[k].cc : "??", 6);
		}
		fputc('\n', fp);
		for (size_t dv = 0; dv < t->ndevices; dv++) {
			int any = 0;
			for (size_t k = 0; k < t->ncountries; k++)
				any |= t->matrix[dv * t->ncountries + k] != 0;
			if (!any)
				continue;
			fputs("  ", fp);
			rt_device(fp, a, (uint32_t)dv, 24);
			for (size_t k = 0; k < t->ncountries; k++) {
				uint64_t v = t->matrix[dv * t->ncountries + k];
				fprintf(fp, " %6s", v != 0 ? short_bytes(v, b1, sizeof b1) : ".");
			}
			fputc('\n', fp);
		}
	}
	rt_section(fp, "Organisations");
	fprintf(fp, "  %-10s %-32s %7s %6s %6s %9s %9s\n", "ASN", "OWNER", "DEVICES", "DESTS",
	    "FLOWS", "OUT", "IN");
	for (size_t i = 0; i < t->norgs; i++) {
		const struct org_row *r = &t->orgs[i];
		char asn[16];
		if (r->asn != 0)
			snprintf(asn, sizeof asn, "AS%u", r->asn);
		else
			snprintf(asn, sizeof asn, "?");
		fprintf(fp, "  %-10s ", asn);
		rt_col(fp, r->asn != 0 ? r->org : "unknown", 32);
		fprintf(fp, " %7u %6u %6" PRIu64 " %9s %9s\n", r->devices, r->dests, r->flows,
		    short_bytes(r->bytes[0], b1, sizeof b1), short_bytes(r->bytes[1], b2,
		    sizeof b2));
	}
}

void
report_text_geo(FILE *fp, struct analysis *a)
{
	struct dest *v;
	size_t n = dests_build(a, 0, 1, &v);
	struct geo_tables t;

	databases(fp, analysis_geo(a));
	destinations(fp, a, v, n);
	geo_tables_build(a, v, n, &t);
	tables(fp, a, &t);
	geo_tables_free(&t);
	free(v);
}
