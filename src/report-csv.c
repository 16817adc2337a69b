/*
 * report-csv.c — the report as one CSV file per table in a directory: inputs, capture,
 * overview, linktypes, devices, flows, names, warnings.  RFC 4180 quoting; text is escaped
 * (esc.h) so a file printed to a terminal is safe, and a text cell a spreadsheet would take
 * for a formula starts with an apostrophe; lists are joined with ';'.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "capture.h"
#include "dests.h"
#include "device.h"
#include "esc.h"
#include "obuf.h"
#include "xalloc.h"
#include "flow.h"
#include "findings.h"
#include "geo.h"
#include "names.h"
#include "overview.h"
#include "report-par.h"
#include "report-rec.h"
#include "report.h"
#include "triage.h"
#include "warn.h"

struct csv {
	FILE		*fp;
	struct obuf	 out;
	int		 header;	/* emitting the header line: keys, not values */
	int		 ncols;
	int		 in_list;
	int		 list_items;
	char		 cell[8192];
	size_t		 cell_len;
};

static struct csv *
C(struct rec_out *o)
{
	return o->ctx;
}

static void
sep(struct csv *c)
{
	if (c->ncols++ > 0)
		obuf_putc(&c->out, ',');
}

/* A decimal number, optionally signed: -3, +1.5. */
static int
plain_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	return *s == '\0';
}

/*
 * Whether a spreadsheet could take the text for a formula: it starts with = + - @, a tab or
 * a carriage return (OWASP's list; quoting does not stop it).  A plain number is data.
 */
static int
formula_like(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL && !plain_number(s);
}

/*
 * Writes one text cell: escaped, an apostrophe before what a spreadsheet would evaluate, and
 * quoted when it holds a comma or quote (line ends never remain after escaping).  Numbers
 * and booleans are written by e_num, never through here.
 */
/* Nothing to escape, quote or defuse: printable ASCII without , " \ and no formula lead. */
static size_t
plain_cell(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = 0;

	while (p[n] >= 0x20 && p[n] < 0x7f && p[n] != ',' && p[n] != '"' && p[n] != '\\')
		n++;
	return p[n] == '\0' && !formula_like(v) ? n + 1 : 0;
}

static void
cell(struct csv *c, const char *v)
{
	char esc[8192];

	sep(c);
	if (v == NULL)
		return;
	size_t plain = plain_cell(v);
	if (plain > 0 && plain < sizeof esc) {
		obuf_put(&c->out, v, plain - 1);
		return;
	}
	esc_str(esc, sizeof esc, v, ESC_TEXT);
	int quote = strpbrk(esc, ",\"") != NULL;
	if (quote)
		obuf_putc(&c->out, '"');
	if (formula_like(esc))
		obuf_putc(&c->out, '\'');
	if (!quote) {
		obuf_puts(&c->out, esc);
		return;
	}
	for (const char *p = esc; *p != '\0'; p++) {
		if (*p == '"')
			obuf_putc(&c->out, '"');
		obuf_putc(&c->out, *p);
	}
	obuf_putc(&c->out, '"');
}

static void
e_str(struct rec_out *o, const char *k, const char *v)
{
	cell(C(o), C(o)->header ? k : v);
}

static void
e_num(struct rec_out *o, const char *k, const char *v)
{
	struct csv *c = C(o);
	sep(c);
	obuf_puts(&c->out, c->header ? k : v);
}

static void
e_u64(struct rec_out *o, const char *k, uint64_t v)
{
	struct csv *c = C(o);
	if (c->header) {
		e_num(o, k, NULL);
		return;
	}
	sep(c);
	obuf_u64(&c->out, v);
}

static void
e_i64(struct rec_out *o, const char *k, int64_t v)
{
	struct csv *c = C(o);
	if (c->header) {
		e_num(o, k, NULL);
		return;
	}
	sep(c);
	obuf_i64(&c->out, v);
}

static void
e_dbl(struct rec_out *o, const char *k, double v, int d)
{
	struct csv *c = C(o);
	if (c->header) {
		e_num(o, k, NULL);
		return;
	}
	sep(c);
	if (isfinite(v))
		obuf_fixed(&c->out, v, d);
}

static void
e_bool(struct rec_out *o, const char *k, int v)
{
	e_num(o, k, v ? "true" : "false");
}

static void
e_list_begin(struct rec_out *o, const char *k)
{
	struct csv *c = C(o);
	if (c->header) {
		cell(c, k);
		c->in_list = 2;		/* swallow the items */
		return;
	}
	c->in_list = 1;
	c->cell_len = 0;
	c->cell[0] = '\0';
}

static void
e_list_item(struct rec_out *o, const char *v)
{
	struct csv *c = C(o);
	if (c->in_list != 1)
		return;
	int n = snprintf(c->cell + c->cell_len, sizeof c->cell - c->cell_len, "%s%s",
	    c->cell_len > 0 ? ";" : "", v);
	if (n > 0 && c->cell_len + (size_t)n < sizeof c->cell)
		c->cell_len += (size_t)n;
}

static void
e_list_dbl(struct rec_out *o, double v, int d)
{
	char buf[64];
	fixed_fmt(buf, sizeof buf, v, d);
	e_list_item(o, buf);
}

static void
e_list_end(struct rec_out *o)
{
	struct csv *c = C(o);
	if (c->in_list == 1)
		cell(c, c->cell);
	c->in_list = 0;
}

static FILE *
open_table(const char *dir, const int *dirfd, const char *name, char *err, size_t errlen)
{
	char path[4096], file[64];
	FILE *fp = NULL;

	snprintf(path, sizeof path, "%s/%s.csv", dir, name);
	if (dirfd == NULL) {
		fp = fopen(path, "w");
	} else {
		snprintf(file, sizeof file, "%s.csv", name);
		int fd = openat(*dirfd, file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
		if (fd >= 0 && (fp = fdopen(fd, "w")) == NULL)
			close(fd);
	}
	if (fp == NULL)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return fp;
}

static void
end_row(struct csv *c)
{
	obuf_put(&c->out, "\r\n", 2);
	c->ncols = 0;
	c->header = 0;
}

static int
close_table(struct csv *c, const char *dir, const char *name, char *err, size_t errlen)
{
	int bad = obuf_flush(&c->out) < 0 || ferror(c->fp);
	if (fclose(c->fp) != 0 || bad) {
		snprintf(err, errlen, "%s/%s.csv: write failed", dir, name);
		return -1;
	}
	return 0;
}

/* Each table: header from a zeroed record, then the rows. */
/* A table of the rows i < count for which keep holds. */
#define TABLE_WHERE(name, zero, count, keep, row)				\
	do {									\
		memset(c, 0, sizeof *c);					\
		if ((c->fp = open_table(dir, opts->outdir_fd, name, err, errlen)) == NULL) \
			goto fail;						\
		obuf_init(&c->out, c->fp);					\
		c->header = 1;							\
		{ zero; }							\
		end_row(c);							\
		for (size_t i = 0; i < (count); i++) {				\
			if (!(keep))						\
				continue;					\
			{ row; }						\
			end_row(c);						\
		}								\
		if (close_table(c, dir, name, err, errlen) < 0)			\
			goto fail;						\
	} while (0)
#define TABLE(name, zero, count, row)	TABLE_WHERE(name, zero, count, 1, row)

/* The flows table's rows, formatted on several threads (report-par.h). */
struct flows_job {
	struct analysis	*a;
	struct csv	*c;		/* the table: the writer's alone */
};

static size_t
format_flows(void *ctx, size_t from, size_t to, struct obuf_mem *m)
{
	const struct flows_job *fj = ctx;
	const struct flow_table *ft = analysis_flows(fj->a);
	struct csv *c = xcalloc(1, sizeof *c);	/* it holds the buffer: big for a thread's stack */
	struct rec_out o = { e_str, e_u64, e_i64, e_dbl, e_bool, e_list_begin, e_list_item,
	    e_list_dbl, e_list_end, c };
	size_t n = 0;

	obuf_init_mem(&c->out, m);
	for (size_t i = from; i < to; i++) {
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f))
			continue;
		rec_flow(&o, fj->a, f);
		end_row(c);
		n++;
	}
	(void)obuf_flush(&c->out);
	free(c);
	return n;
}

static int
emit_flows(void *ctx, const char *p, size_t n, size_t nrec)
{
	struct csv *c = ((const struct flows_job *)ctx)->c;

	(void)nrec;
	if (obuf_flush(&c->out) < 0 || (n > 0 && fwrite(p, 1, n, c->fp) != n))
		return -1;
	return 0;
}

int
report_csv(struct analysis *a, const struct report_opts *opts, const struct find_mask *fm,
    char *err, size_t errlen)
{
	struct csv *c = xmalloc(sizeof *c);	/* too big for the stack: it holds the buffer */
	struct port_stat *ps = NULL;
	struct table3_row *t3 = NULL;
	struct dest *dv = NULL;
	struct geo_tables gt = { 0 };
	size_t ndv;
	struct rec_out o = { e_str, e_u64, e_i64, e_dbl, e_bool, e_list_begin, e_list_item,
	    e_list_dbl,
	    e_list_end, c };
	const char *dir = opts->outdir != NULL ? opts->outdir : ".";
	const struct capture *cap = analysis_capture(a);
	const struct overview *ov = analysis_overview(a);
	const struct device_table *dt = analysis_devices(a);
	const struct flow_table *ft = analysis_flows(a);
	const struct names *nm = analysis_names(a);
	const struct warnlist *w = analysis_warnings(a);
	struct cap_input_info zin = { 0 };
	struct ov_linktype zlt = { 0 };
	struct device zdev = { 0 };
	struct flow zflow = { 0 };
	struct ipname zname = { 0 };
	struct warn_entry zwarn = { 0 };

	if (opts->outdir_fd == NULL && mkdir(dir, 0777) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(c);
		return -1;
	}
	TABLE("inputs", rec_input(&o, &zin), capture_ninputs(cap), {
		struct cap_input_info in;
		capture_input_info(cap, i, &in);
		rec_input(&o, &in);
	});
	TABLE("capture", rec_capture(&o, a), 1, rec_capture(&o, a));
	TABLE("overview", rec_overview(&o, a), 1, rec_overview(&o, a));
	TABLE("linktypes", rec_linktype(&o, &zlt), (size_t)ov->nlinktypes,
	    rec_linktype(&o, &ov->linktypes[i]));
	struct device_triage zdtr = { 0 }, *dtr;
	triage_devices(a, &dtr);
	TABLE("devices", rec_device(&o, a, &zdev, &zdtr), device_count(dt),
	    rec_device(&o, a, device_get(dt, i), &dtr[i]));
	free(dtr);
	/* The flows held: folded ones are in the totals (fold.h). */
	memset(c, 0, sizeof *c);
	if ((c->fp = open_table(dir, opts->outdir_fd, "flows", err, errlen)) == NULL)
		goto fail;
	obuf_init(&c->out, c->fp);
	c->header = 1;
	rec_flow(&o, a, &zflow);
	end_row(c);
	struct flows_job fj = { a, c };
	(void)report_par(flow_slots(ft), format_flows, emit_flows, &fj);	/* ferror says */
	if (close_table(c, dir, "flows", err, errlen) < 0)
		goto fail;
	struct port_stat zport = { 0 };
	size_t nps = triage_ports(a, &ps);
	TABLE("ports", rec_port(&o, &zport), nps, rec_port(&o, &ps[i]));
	free(ps);
	ps = NULL;
	size_t nt3 = triage_table3(a, &t3);
	struct table3_row zt3 = { 0 };
	TABLE("table3", rec_table3(&o, a, &zt3), nt3, rec_table3(&o, a, &t3[i]));
	free(t3);
	t3 = NULL;
	TABLE("settings", rec_settings(&o, a), 1, rec_settings(&o, a));
	struct geo *g = analysis_geo(a);
	struct geo_db_info zdb = { 0 };
	TABLE("geoip", rec_geodb(&o, &zdb), geo_count(g), rec_geodb(&o, geo_info(g, i)));
	struct dest zdest = { 0 };
	ndv = dests_build(a, 0, 1, &dv);
	TABLE("destinations", rec_dest(&o, a, &zdest), ndv, rec_dest(&o, a, &dv[i]));
	geo_tables_build(a, dv, ndv, &gt);
	struct country_row zc = { 0 };
	struct org_row zo = { 0 };
	TABLE("countries", rec_country(&o, &zc), gt.ncountries, rec_country(&o, &gt.countries[i]));
	TABLE("device_countries", rec_matrix_cell(&o, a, &gt, UINT32_MAX, SIZE_MAX), gt.ncells,
	    rec_matrix_cell(&o, a, &gt, gt.cells[i].device, gt.cells[i].country));
	TABLE("organisations", rec_org(&o, &zo), gt.norgs, rec_org(&o, &gt.orgs[i]));
	TABLE("geo_summary", rec_geo_summary(&o, a, &gt), 1, rec_geo_summary(&o, a, &gt));
	geo_tables_free(&gt);
	free(dv);
	dv = NULL;
	TABLE("names", rec_name(&o, a, &zname), names_count(nm), rec_name(&o, a, names_get(nm, i)));
	const struct findings *fs = analysis_findings(a);
	struct finding zfind = { 0 };
	TABLE("findings", rec_finding(&o, a, &zfind, fm), findings_count(fs),
	    rec_finding(&o, a, findings_get(fs, i), fm));
	if (opts->windows != 0)
		TABLE_WHERE("windows", rec_windows(&o, a, &zflow, opts->windows),
		    flow_slots(ft), flow_held(flow_get(ft, i)),
		    rec_windows(&o, a, flow_get(ft, i), opts->windows));
	TABLE("warnings", rec_warning(&o, &zwarn), w->n, rec_warning(&o, &w->v[i]));
	if (opts->profile)
		TABLE("profile", rec_profile(&o, a, opts->elapsed_s), 1,
		    rec_profile(&o, a, opts->elapsed_s));
	free(c);
	return 0;
fail:
	geo_tables_free(&gt);
	free(dv);
	free(ps);
	free(t3);
	free(c);
	return -1;
}
