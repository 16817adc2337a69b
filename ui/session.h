/*
 * session.h — a capture session as both front ends run it: the sources the options name (files,
 * a followed file or folder, a live interface), the capture filter, the evidence file (-w),
 * the packet limit, dropping root (-Z), the signals that end a capture cleanly (SIGINT, SIGTERM,
 * SIGHUP) and --duration.  The batch report and the workbench differ only in what they do
 * between steps.
 */
#ifndef IOT_SESSION_H
#define IOT_SESSION_H

#include <poll.h>
#include <stddef.h>
#include <sys/types.h>

struct analysis;
struct evidence;
struct options;

struct session {
	const struct options	*opt;
	struct analysis		*a;
	struct evidence		*ev;		/* -w, or NULL */
	double			 t_start;	/* monotonic seconds */
	size_t			 opened;	/* sources that opened */
	int			 no_input;	/* none did (each reason is a warning) */
	int			 stopping;	/* a signal or --duration ended the capture */
	int			 signal;	/* which signal, or 0 */
	int			 confined;	/* SANDBOX_LANDLOCK | SANDBOX_SECCOMP */
	uid_t			 uid;		/* -Z's user, looked up by session_open */
	gid_t			 gid;
	int			 report_dir;	/* the front end's CSV folder, open; or -1 */
};

/*
 * Opens what the options name on a new analysis.  Returns 0, or the exit status after one line
 * in err: 2 for a filter that does not compile, 1 for an interface or evidence file that cannot
 * be opened, -Z's user unknown, or no input that opened at all.
 */
int	 session_open(struct session *, const struct options *, struct analysis *, char *err,
	    size_t errlen);
/*
 * With -Z, gives what the front end created while root (the report's file or folder, open as
 * fd) to the user dropped to, as the -w file is.  0 or -1.
 */
int	 session_own(const struct session *, int fd);
/*
 * Everything privileged is open (session_open, then the front end's own outputs): with -Z the
 * rest runs as that user.  Returns 0, or 1 after one line in err.
 */
int	 session_drop(struct session *, char *err, size_t errlen);
/*
 * Confines the process (sandbox.h) once everything the run needs is open: after
 * session_open(), what the front end opens itself (the report's file or folder, the terminal)
 * and session_drop().  What would otherwise be read on first use is read now
 * (analysis_preload, the time zone).  Nothing with --no-sandbox; a kernel that offers neither Landlock nor seccomp
 * leaves a warning.  Returns 0, or 1 after one line in err when confinement failed.
 */
int	 session_confine(struct session *, char *err, size_t errlen);
/*
 * Installs the handlers of SIGINT, SIGTERM and SIGHUP: the first one ends the capture at the
 * next session_tick (the report or the screen still gets what was read), a second one kills.
 */
void	 session_catch_signals(void);
/* Between steps: flushes the evidence now and then; stops the capture on a signal or when
 * --duration has passed.  Returns 1 once the capture is stopping. */
int	 session_tick(struct session *);
/*
 * What to wait on while the analysis is idle: fills up to max entries of pfd (POLLIN) and
 * returns how many; *timeout_ms is the longest wait (-1: until a descriptor is ready).
 */
size_t	 session_pollfds(struct session *, struct pollfd *pfd, size_t max, int *timeout_ms);
/* The idle moment: what was written to the evidence reaches the file now. */
void	 session_idle(struct session *);
/* Closes the evidence file; -1 with one line in err when its last write failed. */
int	 session_close(struct session *, char *err, size_t errlen);
double	 session_now(void);

#endif
