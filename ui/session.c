/*
 * session.c — opening and ending a capture the same way for the batch report and the workbench
 * (see session.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "capture.h"
#include "esc.h"
#include "evidence.h"
#include "options.h"
#include "sandbox.h"
#include "session.h"

/*
 * What a signal handler may touch: which ending signal arrived, and a pipe it writes to so a
 * poll() about to sleep wakes up (a signal landing between the last look at the flag and the
 * poll would otherwise wait for the next packet).  A handler is given no struct, so these are
 * file-scope, and nothing else is.
 */
static volatile sig_atomic_t caught_signal;
static int signal_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	caught_signal = sig;
	if (signal_pipe[1] >= 0)
		(void)!write(signal_pipe[1], "", 1);
	/* A second ^C (the report taking too long, say) ends the process the usual way. */
	signal(sig, SIG_DFL);
	errno = saved;
}

void
session_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	if (signal_pipe[0] < 0 && pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		signal_pipe[0] = signal_pipe[1] = -1;	/* the flag alone then, as before */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: poll() returns EINTR at once */
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
}

double
session_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Looks the -Z user up: 0, or -1 with err. */
static int
lookup_user(const char *user, uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(user);
	char name[128];

	if (pw == NULL) {
		snprintf(err, errlen, "-Z %s: no such user", esc_str(name, sizeof name, user,
		    ESC_TEXT));
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Becomes the -Z user for good (groups, group, user); 0, or -1 with err. */
static int
drop_privileges(const char *user, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char name[128];

	esc_str(name, sizeof name, user, ESC_TEXT);
	if (geteuid() == uid && getuid() == uid)
		return 0;
	if (initgroups(user, gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		snprintf(err, errlen, "-Z %s: cannot become that user: %s (run as root to use -Z)",
		    name, strerror(errno));
		return -1;
	}
	/* setuid() must not be undoable: check that root cannot be regained. */
	if (uid != 0 && setuid(0) == 0) {
		snprintf(err, errlen, "-Z %s: root could be regained after dropping it", name);
		return -1;
	}
	return 0;
}

int
session_open(struct session *s, const struct options *opt, struct analysis *a, char *err,
    size_t errlen)
{
	struct capture *cap = analysis_capture_rw(a);

	memset(s, 0, sizeof *s);
	s->report_dir = -1;
	s->opt = opt;
	s->a = a;
	s->t_start = session_now();
	if (opt->user != NULL && lookup_user(opt->user, &s->uid, &s->gid, err, errlen) < 0)
		return 1;
	if (opt->filter != NULL && capture_set_filter(cap, opt->filter, err, errlen) < 0)
		return 2;
	if (opt->iface != NULL) {
		struct cap_live_opts lo = {
			.iface = opt->iface, .snaplen = opt->snaplen, .buffer_kib = opt->buffer_kib,
			.no_promisc = opt->no_promisc, .rfmon = opt->rfmon,
			.immediate = opt->immediate,
		};
		if (analysis_add_live(a, &lo, err, errlen) < 0)
			return 1;
		s->opened++;
	}
	for (size_t i = 0; i < opt->ninputs; i++) {
		int rc = opt->follow ? analysis_add_follow(a, opt->inputs[i], err, errlen) :
		    analysis_add_file(a, opt->inputs[i], err, errlen);
		if (rc == 0)
			s->opened++;
	}
	if (s->opened == 0) {
		s->no_input = 1;
		return 1;
	}
	if (opt->write != NULL) {
		struct evidence_opts eo = {
			.path = opt->write, .pcap = opt->write_pcap,
			.snaplen = opt->snaplen > 0 ? (uint32_t)opt->snaplen : 262144,
			.rotate_bytes = opt->rotate_mb * 1000000, .rotate_secs = opt->rotate_secs,
			.max_files = opt->max_files,
			.chown = opt->user != NULL, .uid = s->uid, .gid = s->gid,
		};
		s->ev = evidence_open(&eo, err, errlen);
		if (s->ev == NULL)
			return 1;
		/* A disk that refuses the file says so now, not a second into the capture. */
		if (evidence_flush(s->ev) < 0) {
			snprintf(err, errlen, "-w: %s", evidence_error(s->ev) != NULL ?
			    evidence_error(s->ev) : "cannot write");
			return 1;
		}
		capture_set_evidence(cap, s->ev);
	}
	if (opt->count != 0)
		capture_set_limit(cap, opt->count);
	return 0;
}

int
session_own(const struct session *s, int fd)
{
	return s->opt->user == NULL ? 0 : fchown(fd, s->uid, s->gid);
}

int
session_drop(struct session *s, char *err, size_t errlen)
{
	if (s->opt->user != NULL && drop_privileges(s->opt->user, s->uid, s->gid, err, errlen) < 0)
		return 1;
	return 0;
}

/*
 * The folder the -w files are made in: the path's own, or with -G the part before the first
 * strftime conversion (tcpdump makes no folders, so it exists).
 */
static void
evidence_folder(const char *path, int strftime_names, char *dir, size_t len)
{
	size_t end = strlen(path);
	const char *pct = strftime_names ? strchr(path, '%') : NULL;

	if (pct != NULL)
		end = (size_t)(pct - path);
	while (end > 0 && path[end - 1] != '/')
		end--;
	if (end == 0)
		snprintf(dir, len, ".");
	else
		snprintf(dir, len, "%.*s", end == 1 ? 1 : (int)(end - 1), path);
}

int
session_confine(struct session *s, char *err, size_t errlen)
{
	const struct options *opt = s->opt;
	const char *wdirs[3], *rdirs[OPT_INPUTS_MAX + 1];
	char evdir[PATH_MAX], statdir[PATH_MAX];
	struct sandbox_policy pol = { .write_dirs = wdirs, .read_dirs = rdirs };
	const char *selftest = getenv("IOTSCOPE_SANDBOX_SELFTEST");
	int abi;

	if (!opt->no_sandbox) {
		/* -G names files by local time: the zone file is read now, not refused later. */
		tzset();
		analysis_preload(s->a);
		if (opt->write != NULL && strcmp(opt->write, "-") != 0 &&
		    (opt->rotate_mb || opt->rotate_secs)) {
			evidence_folder(opt->write, opt->rotate_secs != 0, evdir, sizeof evdir);
			wdirs[pol.nwrite++] = evdir;
		}
		if (s->report_dir >= 0) {
			pol.write_fds = &s->report_dir;
			pol.nwrite_fds = 1;
		} else if (opt->report && opt->format == REPORT_CSV && opt->output != NULL) {
			wdirs[pol.nwrite++] = opt->output;
		}
		if (opt->dump_dir != NULL)
			wdirs[pol.nwrite++] = opt->dump_dir;
		for (size_t i = 0; opt->follow && i < opt->ninputs; i++) {
			struct stat st;
			if (stat(opt->inputs[i], &st) == 0 && S_ISDIR(st.st_mode))
				rdirs[pol.nread++] = opt->inputs[i];
		}
		/*
		 * In promiscuous mode libpcap's pcap_stats() reads the interface's drop
		 * counters from sysfs every time; refused, it would count drops backwards.
		 */
		if (opt->iface != NULL && !opt->no_promisc) {
			struct stat st;
			snprintf(statdir, sizeof statdir, "/sys/class/net/%s/statistics", opt->iface);
			if (strchr(opt->iface, '/') == NULL && stat(statdir, &st) == 0 &&
			    S_ISDIR(st.st_mode))
				rdirs[pol.nread++] = statdir;
		}
		pol.netlink = opt->iface != NULL && opt->rfmon;
		int rc = sandbox_apply(&pol, &abi, err, errlen);
		if (rc < 0) {
			size_t n = strlen(err);
			snprintf(err + n, errlen - n, " (--no-sandbox runs without it)");
			return 1;
		}
		if (rc == 0)
			analysis_warn(s->a, "the kernel offers neither Landlock nor seccomp: iotscope "
			    "runs unconfined");
		s->confined = rc;
	}
	if (selftest != NULL)
		sandbox_selftest(selftest);
	return 0;
}

int
session_tick(struct session *s)
{
	if (s->stopping)
		return 1;
	if (s->ev != NULL)
		evidence_tick(s->ev, now_ns());
	if (caught_signal != 0) {
		s->signal = caught_signal;
		s->stopping = 1;
	} else if (s->ev != NULL && evidence_done(s->ev))
		s->stopping = 1;	/* -G with -W: the last file is full, as tcpdump ends */
	else if (s->opt->duration > 0 && session_now() - s->t_start >= s->opt->duration)
		s->stopping = 1;
	if (s->stopping)
		analysis_stop(s->a);
	return s->stopping;
}

size_t
session_pollfds(struct session *s, struct pollfd *pfd, size_t max, int *timeout_ms)
{
	int fds[16];
	size_t room = max > 1 ? max - 1 : max;		/* one for the signal pipe */
	size_t n = capture_wait(analysis_capture_rw(s->a), fds, room < 16 ? room : 16,
	    timeout_ms);

	for (size_t i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	if (signal_pipe[0] >= 0 && n < max) {
		pfd[n].fd = signal_pipe[0];
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	if (s->ev != NULL) {
		int ms = evidence_timeout_ms(s->ev, now_ns());
		if (ms >= 0 && (*timeout_ms < 0 || ms < *timeout_ms))
			*timeout_ms = ms;
	}
	if (s->opt->duration > 0) {
		double left = s->opt->duration - (session_now() - s->t_start);
		int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
		if (*timeout_ms < 0 || ms < *timeout_ms)
			*timeout_ms = ms;
	}
	return n;
}

void
session_idle(struct session *s)
{
	if (s->ev != NULL)
		evidence_flush(s->ev);
}

int
session_close(struct session *s, char *err, size_t errlen)
{
	int rc = 0;

	if (s->ev != NULL) {
		/* The last packets reach the file before the capture keeps its figures. */
		evidence_flush(s->ev);
		capture_set_evidence(analysis_capture_rw(s->a), NULL);
		rc = evidence_close(s->ev, err, errlen);
		s->ev = NULL;
	}
	return rc;
}
