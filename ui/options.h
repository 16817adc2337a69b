/*
 * options.h — the command line, parsed once in main and handed to the front ends.
 */
#ifndef IOT_OPTIONS_H
#define IOT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

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

	/* Live capture and evidence, with tcpdump's letters. */
	const char	*iface;			/* -i */
	int		 list_ifaces;		/* -D */
	const char	*filter;		/* -f, -F or the trailing arguments */
	const char	*filter_file;		/* -F */
	int		 snaplen;		/* -s (0: 262144) */
	int		 buffer_kib;		/* -B */
	int		 no_promisc;		/* -p */
	int		 rfmon;			/* -I */
	int		 immediate;		/* --immediate-mode */
	uint64_t	 count;			/* -c: stop after this many packets */
	double		 duration;		/* --duration: stop after this many seconds */
	const char	*write;			/* -w: evidence file */
	int		 write_pcap;		/* --pcap: classic pcap instead of pcapng */
	uint64_t	 rotate_mb;		/* -C */
	unsigned	 rotate_secs;		/* -G */
	unsigned	 max_files;		/* -W */
	const char	*user;			/* -Z */
	int		 follow;		/* --follow */
	unsigned long long max_memory;		/* --max-memory, bytes; 0: the default */
	int		 no_sandbox;		/* --no-sandbox */
};

#endif
