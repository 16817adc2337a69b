/*
 * report.c — report dispatch and the pieces every format shares.
 */
#include "config.h"

#include <stdio.h>

#include "analysis.h"
#include "capture.h"
#include "report-rec.h"
#include "report.h"
#include "triage.h"

/*
 * Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm):
 * plain integer arithmetic, no gmtime()/strftime() per time printed, and no range limit
 * from a 32-bit time_t on armhf.
 */
static void
civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

char *
report_time(long long ns, int digits, char *buf, size_t len)
{
	long long sec = ns / 1000000000, frac = ns % 1000000000, y;
	unsigned mo, d;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	long long days = sec / 86400, rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &mo, &d);
	if (digits > 9)
		digits = 9;
	if (digits < 0)
		digits = 0;
	if (y < 0 || y > 9999 || len < 32) {
		snprintf(buf, len, "%lld.%09lld", sec, frac);
		return buf;
	}
	/* Written digit by digit: reports print tens of thousands of these. */
	char *o = buf;
	unsigned v[6] = { (unsigned)y, mo, d, (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
	    (unsigned)(rem % 60) };
	static const char sep[6] = { '-', '-', 'T', ':', ':', '\0' };
	for (int i = 0; i < 6; i++) {
		if (i == 0) {
			*o++ = (char)('0' + v[0] / 1000);
			*o++ = (char)('0' + v[0] / 100 % 10);
		}
		*o++ = (char)('0' + v[i] / 10 % 10);
		*o++ = (char)('0' + v[i] % 10);
		if (sep[i] != '\0')
			*o++ = sep[i];
	}
	if (digits > 0) {
		*o++ = '.';
		long long div = 100000000;
		for (int i = 0; i < digits; i++, div /= 10)
			*o++ = (char)('0' + frac / div % 10);
	}
	*o++ = 'Z';
	*o = '\0';
	return buf;
}

int
report_write(struct analysis *a, const struct report_opts *o, FILE *out, char *err, size_t errlen)
{
	struct find_mask *m = NULL;
	int rc;

	analysis_sync(a);
	/* Every input's hash identifies the evidence the report was made from. */
	capture_hashes_finish(analysis_capture_rw(a));
	/* Before the first byte: a --mask report without its mask would show every secret. */
	if (o->mask && find_mask_new(a, &m) < 0) {
		snprintf(err, errlen, "--mask: out of memory building the list of secrets to hide; "
		    "no report written");
		return -1;
	}
	rec_flows_ready(a);
	switch (o->format) {
	case REPORT_TEXT:
		rc = report_text(a, o, m, out);
		break;
	case REPORT_JSON:
		rc = report_json(a, o, m, out);
		break;
	case REPORT_CSV:
		rc = report_csv(a, o, m, err, errlen);
		find_mask_free(m);
		return rc;
	default:
		rc = -1;
		break;
	}
	find_mask_free(m);
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "cannot write the report");
		return -1;
	}
	return rc;
}

double
report_span_s(long long first, long long last)
{
	if (last < first)
		return 0;
	return (double)((unsigned long long)last - (unsigned long long)first) / 1e9;
}
