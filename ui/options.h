/*
 * options.h — the command line, parsed once in main and handed to the front ends.
 */
#ifndef IOT_OPTIONS_H
#define IOT_OPTIONS_H

#include <stddef.h>

#include "report.h"

#define OPT_INPUTS_MAX	256

struct options {
	const char	*inputs[OPT_INPUTS_MAX];
	size_t		 ninputs;
	int		 report;	/* headless */
	enum report_format format;
	const char	*output;	/* CSV: directory; text/JSON: file */
	const char	*oui;
	int		 profile;
	int		 quiet;
	size_t		 flow_limit;
	int		 exit_when_loaded;	/* workbench: quit once loaded (tests, bench) */
	int		 timing;		/* workbench: print first-screen and load times */
	const char	*dump_dir;		/* --dump-payload */
	double		 threshold;		/* --entropy-threshold */
	unsigned long	 min_bytes;		/* --min-bytes */
	const char	*secure_ports;		/* --secure-ports */
	const char	*controllers[OPT_INPUTS_MAX];	/* --controller */
	size_t		 ncontrollers;
	int		 entropy;		/* --count-entropy: enum entropy_mode */
	unsigned	 window;		/* --window: bytes per entropy window */
	int		 windows;		/* --windows: window entropies in reports */
	const char	*geoip[8];		/* --geoip, in order */
	size_t		 ngeoip;
	const char	*patterns[8];		/* --patterns, after the default files */
	size_t		 npatterns;
	int		 no_findings;		/* --no-findings */
	int		 mask;			/* --mask */
	const char	*grep;			/* --grep REGEX */
	unsigned long long max_memory;		/* --max-memory, bytes; 0: the default */
};

#endif
