/*
 * report-findings.c — findings for the reports: the record the JSON and CSV writers share
 * (see report-rec.h), masking, and the text report's section.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "device.h"
#include "findings.h"
#include "findview.h"
#include "flow.h"
#include "patterns.h"
#include "report-rec.h"
#include "report-text.h"
#include "report.h"
#include "xalloc.h"

const char *
finding_outcome_name(int o)
{
	return o == OUTCOME_ACCEPTED ? "accepted" : o == OUTCOME_REJECTED ? "rejected" : NULL;
}

/*
 * --mask: secrets (credentials and tokens) keep a hint of their start and their length, so
 * two findings can still be told apart: "ca**********" (12).  Identifiers and personal data
 * are shown, as the investigator needs them to tell whose data it is.
 */
const char *
finding_shown(const struct finding *f, const char *s, int mask, char *buf, size_t len)
{
	if (s == NULL || !mask || (f->cat != CAT_CREDENTIAL && f->cat != CAT_TOKEN))
		return s;
	size_t n = strlen(s), keep = n >= 12 ? 2 : 0, k = 0;
	for (size_t i = 0; i < keep && k + 1 < len; i++)
		buf[k++] = s[i];
	for (size_t i = keep; i < n && i < 16 && k + 1 < len; i++)
		buf[k++] = '*';
	snprintf(buf + k, len - k, "(%zu)", n);
	return buf;
}

/*
 * With --mask every secret of a flow is hidden wherever it shows: in the contexts and raw
 * bytes of other findings too (an MQTT client id's context holds the password that follows
 * it; a SASL user's raw bytes are the blob that also carries the password), decoded or as
 * on the wire, and where a context cuts one off at its edge.
 */
struct find_mask {
	const struct findings *fs;
	uint32_t	*v;		/* secret findings, by flow */
	size_t		 n;
};

static int
is_secret(const struct finding *f)
{
	return f->cat == CAT_CREDENTIAL || f->cat == CAT_TOKEN;
}

static int
cmp_flow(const void *x, const void *y, void *ctx)
{
	const struct findings *fs = ctx;
	const struct finding *a = findings_get(fs, *(const uint32_t *)x);
	const struct finding *b = findings_get(fs, *(const uint32_t *)y);

	return a->flow < b->flow ? -1 : a->flow > b->flow;
}

/*
 * Fails rather than aborts (unlike xalloc.h) so the caller can refuse the report with a reason:
 * without its mask a --mask report would show every secret.
 */
int
find_mask_new(struct analysis *a, struct find_mask **out)
{
	const struct findings *fs = analysis_findings(a);
	struct find_mask *m = calloc(1, sizeof *m);
	size_t n = findings_count(fs);

	*out = NULL;
	if (m == NULL)
		return -1;
	m->fs = fs;
	m->v = calloc(n + 1, sizeof *m->v);
	if (m->v == NULL) {
		free(m);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (is_secret(findings_get(fs, i)))
			m->v[m->n++] = (uint32_t)i;
	qsort_r(m->v, m->n, sizeof *m->v, cmp_flow, (void *)fs);
	*out = m;
	return 0;
}

void
find_mask_free(struct find_mask *m)
{
	if (m == NULL)
		return;
	free(m->v);
	free(m);
}

/* Stars over every occurrence of secret in s, and over a piece of it cut at either edge. */
static void
star(char *s, const char *secret)
{
	size_t n = strlen(s), k = strlen(secret);

	if (k < 3)
		return;
	for (char *p = s; (p = strstr(p, secret)) != NULL; p += k)
		memset(p, '*', k);
	for (size_t l = k - 1; l >= 4; l--) {
		if (l <= n && memcmp(s, secret + k - l, l) == 0) {	/* its end starts s */
			memset(s, '*', l);
			break;
		}
	}
	for (size_t l = k - 1; l >= 4; l--) {
		if (l <= n && memcmp(s + n - l, secret, l) == 0) {	/* its start ends s */
			memset(s + n - l, '*', l);
			break;
		}
	}
}

/* Hides in s (NUL-terminated, changed in place) every secret of flow. */
static void
mask_text(const struct find_mask *m, uint32_t flow, char *s)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (findings_get(m->fs, m->v[mid])->flow < flow)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < m->n; i++) {
		const struct finding *f = findings_get(m->fs, m->v[i]);
		if (f->flow != flow)
			break;
		star(s, f->value);
		if (f->raw != NULL)
			star(s, f->raw);
	}
}

/* before + value as on the wire + after, every secret in it masked when m is not NULL. */
char *
finding_context(const struct finding *f, const struct find_mask *m, char *buf, size_t len)
{
	const char *raw = f->raw != NULL ? f->raw : f->value;

	snprintf(buf, len, "%s%s%s", f->before != NULL ? f->before : "", raw,
	    f->after != NULL ? f->after : "");
	if (m != NULL) {
		mask_text(m, f->flow, buf);
		if (is_secret(f)) {		/* its own value even when too short to find */
			size_t b = f->before != NULL ? strlen(f->before) : 0;
			size_t r = strlen(raw);
			if (b + r <= strlen(buf))
				memset(buf + b, '*', r);
		}
	}
	return buf;
}

/* "ip:port" or "[ip6]:port" of a side of a finding's flow, as flow_endpoint_str says it. */
static char *
ends_str(const struct find_ends *e, int side, char *buf, size_t len)
{
	char ip[ADDR_STRLEN];

	addr_fmt(side == 0 ? &e->a : &e->b, ip, sizeof ip);
	snprintf(buf, len, e->ipver == 6 ? "[%s]:%u" : "%s:%u", ip, side == 0 ? e->pa : e->pb);
	return buf;
}

void
rec_finding(struct rec_out *o, struct analysis *a, const struct finding *fd,
    const struct find_mask *m)
{
	int mask = m != NULL;
	char vb[64], ub[64], src[ADDR_STRLEN + 10], dst[ADDR_STRLEN + 10];
	char *ctx = xmalloc(3 * FIND_VALUE_MAX + 4 * FIND_CONTEXT);
	const struct device_table *dt = analysis_devices(a);
	struct find_ends e;
	uint32_t d1 = fd->type != NULL ? finding_device1(a, fd) : 0;

	o->str(o, "type", fd->type);
	o->str(o, "category", fd->type != NULL ? find_cat_name(fd->cat) : NULL);
	o->str(o, "severity", fd->type != NULL ? find_sev_name(fd->sev) : NULL);
	o->str(o, "value", finding_shown(fd, fd->value, mask, vb, sizeof vb));
	o->str(o, "user", fd->user);
	o->str(o, "outcome", finding_outcome_name(fd->outcome));
	o->u64(o, "count", fd->count);
	if (fd->flow & FIND_FOLDED)
		o->str(o, "flow", NULL);	/* folded: its id may name a later flow */
	else
		o->u64(o, "flow", fd->flow);
	if (d1 != 0) {
		const struct device *d = device_get(dt, d1 - 1);
		char mb[32];
		o->u64(o, "device", d1 - 1);
		o->str(o, "device_name", device_best_name(d));
		o->str(o, "device_mac", d->has_mac ? mac_fmt(d->mac, mb, sizeof mb) : NULL);
	} else {
		o->str(o, "device", NULL);
		o->str(o, "device_name", NULL);
		o->str(o, "device_mac", NULL);
	}
	src[0] = dst[0] = '\0';
	if (analysis_finding_ends(a, fd, &e) == 0) {
		ends_str(&e, fd->dir, src, sizeof src);
		ends_str(&e, !fd->dir, dst, sizeof dst);
	}
	o->str(o, "src", src[0] != '\0' ? src : NULL);
	o->str(o, "dst", dst[0] != '\0' ? dst : NULL);
	o->u64(o, "dir", fd->dir);
	o->u64(o, "packet", fd->pkt_num);
	rec_time(o, "time", fd->ts_ns);
	o->u64(o, "offset", fd->off);
	const char *raw = finding_shown(fd, fd->raw, mask, ub, sizeof ub);
	char rb[FIND_VALUE_MAX + 8];
	if (mask && raw != NULL && raw == fd->raw) {	/* an identifier's raw bytes */
		snprintf(rb, sizeof rb, "%s", raw);
		mask_text(m, fd->flow, rb);
		raw = rb;
	}
	o->str(o, "raw", raw);
	o->str(o, "context", fd->type != NULL ?
	    finding_context(fd, m, ctx, 3 * FIND_VALUE_MAX + 4 * FIND_CONTEXT) : NULL);
	o->str(o, "source", fd->source);
	free(ctx);
}

static const char *
outcome_of(const struct find_row *r)
{
	if (r->accepted > 0 && r->rejected > 0)
		return "mixed";
	return r->accepted > 0 ? "accepted" : r->rejected > 0 ? "rejected" : "-";
}

void
report_text_findings(FILE *fp, struct analysis *a, const struct find_mask *m)
{
	const struct findings *fs = analysis_findings(a);
	size_t n = findings_count(fs);
	uint64_t occ = 0, cats[CAT_COUNT_] = { 0 };
	char title[96], vb[64], t[40];
	char *ctx = xmalloc(3 * FIND_VALUE_MAX + 4 * FIND_CONTEXT);
	struct find_row *rows;
	int mask = m != NULL;

	for (size_t i = 0; i < n; i++) {
		const struct finding *f = findings_get(fs, i);
		occ += f->count;
		cats[f->cat]++;
	}
	snprintf(title, sizeof title, "Findings (%zu, %" PRIu64 " occurrences)", n, occ);
	rt_section(fp, title);
	const char **pf;
	const int *pc;
	size_t npf = analysis_pattern_files(a, &pf, &pc);
	for (size_t i = 0; i < npf; i++) {
		fprintf(fp, "  patterns: ");
		rt_str(fp, pf[i], 0);
		fprintf(fp, " (%d)\n", pc[i]);
	}
	if (analysis_patterns(a) == NULL) {
		fprintf(fp, "  not looked for (--no-findings)\n");
		free(ctx);
		return;
	}
	if (n == 0) {
		fprintf(fp, "  none\n");
		free(ctx);
		return;
	}
	fprintf(fp, "  %" PRIu64 " credentials, %" PRIu64 " tokens, %" PRIu64 " identifiers, %"
	    PRIu64 " personal%s\n", cats[CAT_CREDENTIAL], cats[CAT_TOKEN], cats[CAT_IDENTIFIER],
	    cats[CAT_PERSONAL], mask ? "; secrets masked (--mask)" : "");
	fprintf(fp, "  %-6s %-16s %-28s %-18s %-17s %5s %3s %8s %8s %-8s %5s %5s\n", "SEV",
	    "TYPE", "VALUE", "USER", "DEVICE", "FLOW", "DIR", "PACKET", "OFFSET", "OUTCOME",
	    "COUNT", "FLOWS");
	size_t nrows = findview_rows(a, &rows);
	for (size_t i = 0; i < nrows; i++) {
		const struct find_row *r = &rows[i];
		const struct finding *f = r->f;
		if (r->more > 0) {
			fprintf(fp, "         … and %u more ", r->more);
			rt_str(fp, f->type, 0);
			fprintf(fp, " values (%" PRIu64 " times in %u flows; %u accepted, %u "
			    "rejected)\n", r->count, r->nflows, r->accepted, r->rejected);
			continue;
		}
		uint32_t d1 = finding_device1(a, f);
		fprintf(fp, "  %-6s ", find_sev_name(f->sev));
		rt_col(fp, f->type, 16);
		fputc(' ', fp);
		rt_col(fp, finding_shown(f, f->value, mask, vb, sizeof vb), 28);
		fputc(' ', fp);
		rt_col(fp, f->user != NULL ? f->user : "-", 18);
		fputc(' ', fp);
		if (d1 != 0)
			rt_device(fp, a, d1 - 1, 17);
		else
			rt_col(fp, "-", 17);
		char fl[16] = "-";		/* a folded flow's id may name a later one */
		if (!(f->flow & FIND_FOLDED))
			snprintf(fl, sizeof fl, "%u", f->flow);
		fprintf(fp, " %5s %3s %8" PRIu64 " %8" PRIu64 " %-8s %5" PRIu64 " %5u\n", fl,
		    f->dir == 0 ? ">" : "<", f->pkt_num, f->off, outcome_of(r), r->count,
		    r->nflows);
		fprintf(fp, "         %s  ", report_time(f->ts_ns, 6, t, sizeof t));
		rt_str(fp, finding_context(f, m, ctx, 3 * FIND_VALUE_MAX + 4 * FIND_CONTEXT), 0);
		fputc('\n', fp);
	}
	if (findings_dropped(fs) > 0)
		fprintf(fp, "  %" PRIu64 " more findings only counted (more than %d)\n",
		    findings_dropped(fs), FINDINGS_MAX);
	free(rows);
	free(ctx);
}
