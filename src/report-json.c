/*
 * report-json.c — the report as one JSON document: the record emitter over json.h.
 * The schema is documented in iotscope(1); "schema" in the header object changes with it.
 */
#include "config.h"

#include <stdlib.h>

#include "analysis.h"
#include "capture.h"
#include "dests.h"
#include "device.h"
#include "flow.h"
#include "findings.h"
#include "geo.h"
#include "json.h"
#include "names.h"
#include "overview.h"
#include "report-par.h"
#include "report-rec.h"
#include "report.h"
#include "triage.h"
#include "warn.h"
#include "xalloc.h"

static struct json *
J(struct rec_out *o)
{
	return o->ctx;
}

static void
e_str(struct rec_out *o, const char *k, const char *v)
{
	json_str(J(o), k, v);
}

static void
e_u64(struct rec_out *o, const char *k, uint64_t v)
{
	json_u64(J(o), k, v);
}

static void
e_i64(struct rec_out *o, const char *k, int64_t v)
{
	json_i64(J(o), k, v);
}

static void
e_dbl(struct rec_out *o, const char *k, double v, int d)
{
	json_dbl(J(o), k, v, d);
}

static void
e_bool(struct rec_out *o, const char *k, int v)
{
	json_bool(J(o), k, v);
}

static void
e_list_begin(struct rec_out *o, const char *k)
{
	json_arr(J(o), k);
}

static void
e_list_item(struct rec_out *o, const char *v)
{
	json_str(J(o), NULL, v);
}

static void
e_list_dbl(struct rec_out *o, double v, int d)
{
	json_dbl(J(o), NULL, v, d);
}

static void
e_list_end(struct rec_out *o)
{
	json_end_arr(J(o));
}

/* The flows section, formatted on several threads (report-par.h). */
struct flows_job {
	struct analysis	*a;
	struct json	*j;		/* the document: the writer's alone */
	int		 depth;		/* of the flows array in it */
};

static size_t
format_flows(void *ctx, size_t from, size_t to, struct obuf_mem *out)
{
	const struct flows_job *fj = ctx;
	const struct flow_table *ft = analysis_flows(fj->a);
	struct json *j = xmalloc(sizeof *j);	/* it holds the buffer: big for a thread's stack */
	struct rec_out o = { e_str, e_u64, e_i64, e_dbl, e_bool, e_list_begin, e_list_item,
	    e_list_dbl, e_list_end, j };
	size_t n = 0;

	json_fork(j, fj->depth, out);
	for (size_t i = from; i < to; i++) {
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f))
			continue;
		json_obj(j, NULL);
		rec_flow(&o, fj->a, f);
		json_end_obj(j);
		n++;
	}
	(void)obuf_flush(&j->out);
	free(j);
	return n;
}

static int
emit_flows(void *ctx, const char *p, size_t n, size_t nrec)
{
	const struct flows_job *fj = ctx;

	return json_append(fj->j, p, n, nrec);
}

int
report_json(struct analysis *a, const struct report_opts *opts, const struct find_mask *fm,
    FILE *fp)
{
	struct json j;
	struct rec_out o = { e_str, e_u64, e_i64, e_dbl, e_bool, e_list_begin, e_list_item,
	    e_list_dbl, e_list_end, &j };
	const struct capture *cap = analysis_capture(a);
	const struct overview *ov = analysis_overview(a);
	const struct device_table *dt = analysis_devices(a);
	const struct flow_table *ft = analysis_flows(a);
	const struct names *nm = analysis_names(a);
	const struct warnlist *w = analysis_warnings(a);

	json_init(&j, fp);
	json_obj(&j, NULL);

	json_obj(&j, "iotscope");
	json_str(&j, "version", PACKAGE_VERSION);
	json_u64(&j, "schema", REPORT_JSON_SCHEMA);
	json_end_obj(&j);

	json_arr(&j, "inputs");
	for (size_t i = 0; i < capture_ninputs(cap); i++) {
		struct cap_input_info in;
		capture_input_info(cap, i, &in);
		json_obj(&j, NULL);
		rec_input(&o, &in);
		json_end_obj(&j);
	}
	json_end_arr(&j);

	json_obj(&j, "settings");
	rec_settings(&o, a);
	json_end_obj(&j);

	json_obj(&j, "capture");
	rec_capture(&o, a);
	json_end_obj(&j);

	json_obj(&j, "overview");
	rec_overview(&o, a);
	json_end_obj(&j);

	json_arr(&j, "linktypes");
	for (int i = 0; i < ov->nlinktypes; i++) {
		json_obj(&j, NULL);
		rec_linktype(&o, &ov->linktypes[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);

	json_arr(&j, "devices");
	struct device_triage *dtr;
	triage_devices(a, &dtr);
	for (size_t i = 0; i < device_count(dt); i++) {
		json_obj(&j, NULL);
		rec_device(&o, a, device_get(dt, i), &dtr[i]);
		json_end_obj(&j);
	}
	free(dtr);
	json_end_arr(&j);

	/* The flows held: folded ones are in the totals (fold.h). */
	json_arr(&j, "flows");
	struct flows_job fj = { a, &j, j.depth };
	(void)report_par(flow_slots(ft), format_flows, emit_flows, &fj);
	json_end_arr(&j);

	struct port_stat *ps;
	size_t nps = triage_ports(a, &ps);
	json_arr(&j, "ports");
	for (size_t i = 0; i < nps; i++) {
		json_obj(&j, NULL);
		rec_port(&o, &ps[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	free(ps);

	struct table3_row *t3;
	size_t nt3 = triage_table3(a, &t3);
	json_arr(&j, "table3");
	for (size_t i = 0; i < nt3; i++) {
		json_obj(&j, NULL);
		rec_table3(&o, a, &t3[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	free(t3);

	struct geo *g = analysis_geo(a);
	json_arr(&j, "geoip");
	for (size_t i = 0; i < geo_count(g); i++) {
		json_obj(&j, NULL);
		rec_geodb(&o, geo_info(g, i));
		json_end_obj(&j);
	}
	json_end_arr(&j);
	struct dest *dv;
	size_t ndv = dests_build(a, 0, 1, &dv);
	json_arr(&j, "destinations");
	for (size_t i = 0; i < ndv; i++) {
		json_obj(&j, NULL);
		rec_dest(&o, a, &dv[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	struct geo_tables gt;
	geo_tables_build(a, dv, ndv, &gt);
	json_arr(&j, "countries");
	for (size_t i = 0; i < gt.ncountries; i++) {
		json_obj(&j, NULL);
		rec_country(&o, &gt.countries[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_arr(&j, "device_countries");
	for (size_t i = 0; i < gt.ncells; i++) {
		json_obj(&j, NULL);
		rec_matrix_cell(&o, a, &gt, gt.cells[i].device, gt.cells[i].country);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_arr(&j, "organisations");
	for (size_t i = 0; i < gt.norgs; i++) {
		json_obj(&j, NULL);
		rec_org(&o, &gt.orgs[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_obj(&j, "geo_summary");
	rec_geo_summary(&o, a, &gt);
	json_end_obj(&j);
	geo_tables_free(&gt);
	free(dv);

	const struct findings *fs = analysis_findings(a);
	json_arr(&j, "findings");
	for (size_t i = 0; i < findings_count(fs); i++) {
		json_obj(&j, NULL);
		rec_finding(&o, a, findings_get(fs, i), fm);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_arr(&j, "pattern_files");
	const char **pf;
	const int *pc;
	size_t npf = analysis_pattern_files(a, &pf, &pc);
	for (size_t i = 0; i < npf; i++) {
		json_obj(&j, NULL);
		o.str(&o, "path", pf[i]);
		o.i64(&o, "patterns", pc[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);

	json_arr(&j, "names");
	for (size_t i = 0; i < names_count(nm); i++) {
		json_obj(&j, NULL);
		rec_name(&o, a, names_get(nm, i));
		json_end_obj(&j);
	}
	json_end_arr(&j);

	if (opts->windows != 0) {
		json_arr(&j, "windows");
		for (size_t i = 0; i < flow_slots(ft); i++) {
			if (!flow_held(flow_get(ft, i)))
				continue;
			json_obj(&j, NULL);
			rec_windows(&o, a, flow_get(ft, i), opts->windows);
			json_end_obj(&j);
		}
		json_end_arr(&j);
	}

	json_arr(&j, "warnings");
	for (size_t i = 0; i < w->n; i++) {
		json_obj(&j, NULL);
		rec_warning(&o, &w->v[i]);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_str(&j, "oui_source", analysis_oui_source(a));

	if (opts->profile) {
		json_obj(&j, "profile");
		rec_profile(&o, a, opts->elapsed_s);
		json_end_obj(&j);
	}
	json_end_obj(&j);
	return json_finish(&j);
}
