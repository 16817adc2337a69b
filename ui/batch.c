/*
 * batch.c — headless front end over the core: runs the analysis to the end, shows warnings on
 * standard error (escaped, one line each) and writes the report in the chosen format.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "batch.h"
#include "esc.h"
#include "grep.h"
#include "options.h"
#include "report.h"
#include "warn.h"

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Errors always; warnings unless quiet. */
static void
show_warnings(const struct warnlist *w, int quiet)
{
	for (size_t i = 0; i < w->n; i++) {
		if (quiet && w->v[i].level != WARN_ERROR)
			continue;
		fprintf(stderr, "iotscope: %s: ", warn_level_name(w->v[i].level));
		esc_fputs(stderr, w->v[i].msg, ESC_TEXT);
		if (w->v[i].count > 1)
			fprintf(stderr, " (%llu times)", (unsigned long long)w->v[i].count);
		fputc('\n', stderr);
	}
}

int
batch_run(const struct options *opt)
{
	struct analysis_opts aopt = { .oui_path = opt->oui, .profile = opt->profile,
	    .dump_dir = opt->dump_dir, .threshold = opt->threshold, .min_bytes = opt->min_bytes,
	    .secure_ports = opt->secure_ports, .controllers = opt->controllers,
	    .ncontrollers = opt->ncontrollers, .entropy = (enum entropy_mode)opt->entropy,
	    .index = opt->windows || opt->grep != NULL,	/* these read the payload back */
	    .geoip = opt->geoip, .ngeoip = opt->ngeoip,
	    .patterns = opt->patterns, .npatterns = opt->npatterns,
	    .no_findings = opt->no_findings, .max_memory = opt->max_memory };
	struct analysis *a = analysis_new(&aopt);
	struct report_opts ropt = {
		.format = opt->format,
		.outdir = opt->output,
		.profile = opt->profile,
		.flow_limit = opt->flow_limit,
		.windows = opt->windows ? (opt->window != 0 ? opt->window : 1024) : 0,
		.mask = opt->mask,
	};
	char err[512];
	size_t opened = 0;
	int status = 0;
	FILE *out = stdout;

	for (size_t i = 0; i < opt->ninputs; i++) {
		if (analysis_add_file(a, opt->inputs[i], err, sizeof err) == 0)
			opened++;
	}
	double t0 = now_s();
	while (analysis_step(a, 65536))
		;
	ropt.elapsed_s = now_s() - t0;

	const struct warnlist *w = analysis_warnings(a);
	if (w->nerrors > 0)
		status = 1;
	if (opened == 0) {
		show_warnings(w, 0);
		analysis_free(a);
		return 1;
	}
	if (opt->format != REPORT_CSV && opt->output != NULL &&
	    strcmp(opt->output, "-") != 0) {
		out = fopen(opt->output, "w");
		if (out == NULL) {
			fprintf(stderr, "iotscope: %s: %s\n", opt->output, strerror(errno));
			analysis_free(a);
			return 1;
		}
	}
	if (opt->grep != NULL) {
		if (grep_run(a, opt->grep, out, err, sizeof err) < 0) {
			fprintf(stderr, "iotscope: --grep: %s\n", err);
			status = 2;
		}
	} else if (report_write(a, &ropt, out, err, sizeof err) < 0) {
		fprintf(stderr, "iotscope: %s\n", err);
		status = 1;
	}
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "iotscope: %s: write failed\n", opt->output);
		status = 1;
	}
	show_warnings(w, opt->quiet);
	analysis_free(a);
	return status;
}
