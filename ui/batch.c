/*
 * batch.c — headless front end over the core: runs the analysis to the end, shows warnings on
 * standard error (msg.h: escaped, one line each) and writes the report in the chosen format.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "batch.h"
#include "grep.h"
#include "msg.h"
#include "options.h"
#include "report.h"
#include "session.h"
#include "warn.h"

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
	int status = 0;
	FILE *out = stdout;
	struct session ss;
	int csv_dir = -1;	/* the CSV folder, open while root with -Z */

	int rc = session_open(&ss, opt, a, err, sizeof err);
	if (rc != 0) {
		/* No input opened: each one's reason is among the warnings. */
		if (ss.no_input)
			msg_warnings(analysis_warnings(a), 0);
		else
			msg_err("%s", err);
		session_close(&ss, err, sizeof err);
		analysis_free(a);
		return rc;
	}
	/*
	 * The report's file or folder is made now, while still root with -Z (the user dropped to
	 * may not create files where root was asked to; found out after a capture of days, the
	 * report would be lost) and before the process is confined; a file that cannot be
	 * written says so before a long analysis, not after.
	 */
	if (opt->format != REPORT_CSV && opt->output != NULL &&
	    strcmp(opt->output, "-") != 0 && (out = fopen(opt->output, "w")) == NULL) {
		msg_err("%s: %s", opt->output, strerror(errno));
		rc = 1;
	} else if (opt->format == REPORT_CSV && opt->output != NULL &&
	    ((mkdir(opt->output, 0777) < 0 && errno != EEXIST) ||
	    (csv_dir = open(opt->output, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)) {
		msg_err("%s: %s", opt->output, strerror(errno));
		rc = 1;
	} else if (opt->output != NULL && strcmp(opt->output, "-") != 0 &&
	    session_own(&ss, out != stdout ? fileno(out) : csv_dir) < 0) {
		msg_err("%s: cannot give it to %s: %s", opt->output, opt->user, strerror(errno));
		rc = 1;
	} else if ((ss.report_dir = csv_dir, rc = session_drop(&ss, err, sizeof err)) != 0 ||
	    (rc = session_confine(&ss, err, sizeof err)) != 0)
		msg_err("%s", err);
	if (csv_dir >= 0)
		ropt.outdir_fd = &csv_dir;
	if (rc != 0) {
		if (csv_dir >= 0)
			close(csv_dir);
		if (out != NULL && out != stdout) {
			fclose(out);
			unlink(opt->output);
		}
		session_close(&ss, err, sizeof err);
		analysis_free(a);
		return rc;
	}
	session_catch_signals();
	double t0 = now_s();
	enum analysis_rc step;
	while ((step = analysis_step(a, 65536)) != ANALYSIS_DONE) {
		if (session_tick(&ss))
			continue;		/* stopping: the next step finishes the analysis */
		if (step == ANALYSIS_IDLE) {
			struct pollfd pfd[16];
			int timeout;
			session_idle(&ss);
			size_t n = session_pollfds(&ss, pfd, 16, &timeout);
			if (poll(pfd, n, timeout) < 0 && errno != EINTR)
				break;
		}
	}
	ropt.elapsed_s = now_s() - t0;
	if (session_close(&ss, err, sizeof err) < 0) {
		msg_err("%s", err);
		status = 1;
	}
	if (ss.signal != 0 && !opt->quiet)
		msg_err("capture ended by %s; reporting what was read", strsignal(ss.signal));

	const struct warnlist *w = analysis_warnings(a);
	if (w->nerrors > 0)
		status = 1;
	if (opt->grep != NULL) {
		if (grep_run(a, opt->grep, out, err, sizeof err) < 0) {
			msg_err("--grep: %s", err);
			status = 2;
		}
	} else if (report_write(a, &ropt, out, err, sizeof err) < 0) {
		msg_err("%s", err);
		status = 1;
	}
	if (out != stdout && fclose(out) != 0) {
		msg_err("%s: write failed", opt->output);
		status = 1;
	}
	if (csv_dir >= 0)
		close(csv_dir);
	msg_warnings(w, opt->quiet);
	analysis_free(a);
	return status;
}
