/*
 * report.h — the headless report: what the analysis found, as text tables, one JSON document
 * or one CSV file per table.  All three read the same core accessors, so they show the same
 * numbers as the workbench.  Writers take the stream or directory from the caller; they never
 * choose where output goes.
 */
#ifndef IOT_REPORT_H
#define IOT_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct analysis;
struct find_mask;

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_CSV
};

struct report_opts {
	enum report_format format;
	const char	*outdir;	/* CSV: the directory for the files (created if missing) */
	const int	*outdir_fd;	/* CSV: NULL, or outdir already open (O_DIRECTORY): the
					 * files are made in it as whoever runs now, by openat */
	int		 profile;	/* include pipeline stage timings */
	double		 elapsed_s;	/* wall time of the analysis, for throughput */
	size_t		 flow_limit;	/* text: show at most this many flows (0: all) */
	unsigned	 windows;	/* bytes per window: each flow's window entropies; 0: none */
	int		 mask;		/* --mask: secrets in findings shown masked */
};

#define REPORT_JSON_SCHEMA	2	/* 2: "proto" is the application protocol, "transport" the IP one */

/*
 * Writes the report; -1 with a reason in err when output fails (CSV directory, disk full), or
 * when the mask of --mask cannot be built: then nothing at all is written.
 */
int	report_write(struct analysis *, const struct report_opts *, FILE *out, char *err,
	    size_t errlen);
/* The writers: m is the mask report_write built for --mask (find_mask_new), NULL for none. */
int	report_text(struct analysis *, const struct report_opts *, const struct find_mask *m,
	    FILE *);
int	report_json(struct analysis *, const struct report_opts *, const struct find_mask *m,
	    FILE *);
int	report_csv(struct analysis *, const struct report_opts *, const struct find_mask *m,
	    char *err, size_t errlen);

/* ISO 8601 UTC with nanoseconds ("2026-03-14T09:00:00.000000000Z"); digits 0..9 of fraction. */
char	*report_time(long long ns, int digits, char *buf, size_t len);

/* Seconds from first to last, without overflow on hostile timestamps. */
double	report_span_s(long long first_ns, long long last_ns);

#endif
