/*
 * report.c — report dispatch and the pieces every format shares.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "report.h"

char *
report_time(long long ns, int digits, char *buf, size_t len)
{
	long long sec = ns / 1000000000, frac = ns % 1000000000;
	struct tm tm;
	time_t t;
	char date[32];

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, len, "%lld.%09lld", sec, frac);
		return buf;
	}
	if (digits <= 0) {
		snprintf(buf, len, "%sZ", date);
		return buf;
	}
	if (digits > 9)
		digits = 9;
	for (int i = digits; i < 9; i++)
		frac /= 10;
	snprintf(buf, len, "%s.%0*lldZ", date, digits, frac);
	return buf;
}

int
report_write(struct analysis *a, const struct report_opts *o, FILE *out, char *err, size_t errlen)
{
	int rc;

	switch (o->format) {
	case REPORT_TEXT:
		rc = report_text(a, o, out);
		break;
	case REPORT_JSON:
		rc = report_json(a, o, out);
		break;
	case REPORT_CSV:
		return report_csv(a, o, err, errlen);
	default:
		rc = -1;
		break;
	}
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
