/*
 * main.c — iotscope's command line: parses options and runs the workbench, or the headless
 * report with --report.  Exit status: 0 success, 1 unreadable input, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <maxminddb.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "batch.h"
#include "options.h"
#include "rx.h"
#include "tui.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: iotscope -r FILE [-r FILE ...] [--report text|json|csv] [-o PATH] [options]\n"
	    "\n"
	    "Network forensics of IoT devices: devices, flows, names and damage in captures.\n"
	    "\n"
	    "  -r, --read FILE      capture to read (pcap, pcapng, optionally gzip-compressed);\n"
	    "                       '-' is standard input; several are one timeline\n"
	    "      --report FORMAT  headless report: text, json or csv (without it: the\n"
	    "                       interactive workbench)\n"
	    "  -o, --output PATH    csv: directory for one file per table; text/json: file\n"
	    "      --oui FILE       MAC vendor registry (IEEE oui.txt or Wireshark manuf)\n"
	    "      --geoip FILE     a MaxMind-format country, city or ASN database (repeatable)\n"
	    "      --limit N        text report: show at most N flows\n"
	    "      --profile        time the pipeline stages and report throughput\n"
	    "      --exit-when-loaded  workbench: quit once the capture is loaded\n"
	    "      --timing         workbench: print first-screen and load times on exit\n"
	    "      --dump-payload DIR  write each flow direction's payload bytes to DIR\n"
	    "      --entropy-threshold BITS  the fixed threshold (default 7.0 bits per byte)\n"
	    "      --min-bytes N    fewer payload bytes make a verdict unknown (default 64)\n"
	    "      --secure-ports FILE  the secure-ports list to use\n"
	    "      --controller MAC|IP  the phone or computer running the vendor's app\n"
	    "      --count-entropy MODE  thread (default: on a second core), inline, or off\n"
	    "      --window BYTES   entropy window size (heatmap, --windows; default 1024)\n"
	    "      --windows        reports: each flow's window entropies (reads payload again)\n"
	    "      --patterns FILE  more finding patterns, after share/patterns and\n"
	    "                       ~/.config/iotscope/patterns (repeatable)\n"
	    "      --mask           reports: show secrets in findings masked\n"
	    "      --no-findings    do not look for credentials, tokens and identifiers\n"
	    "      --grep REGEX     print the flows whose payload matches, with context\n"
	    "      --max-memory SIZE  stay within SIZE (K, M, G: powers of 1024; default a\n"
	    "                       quarter of the RAM): the longest idle flows are folded\n"
	    "                       into their devices' and destinations' totals\n"
	    "  -q, --quiet          no warnings on standard error (errors still show)\n"
	    "  -h, --help           this help\n"
	    "  -V, --version        version and licences\n");
}

static void
version(void)
{
	printf("iotscope %s\n%s, libmaxminddb %s\n", PACKAGE_VERSION, pcap_lib_version(),
	    MMDB_lib_version());
	/* The databases `make geoip` installs ask for these lines wherever their data shows. */
	puts("Geolocation data, when installed by `make geoip`:\n"
	    "  IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0\n"
	    "  Country data from GeoFeed, WHOIS and ASN records of the five RIRs (NRO,\n"
	    "  https://www.nro.net, CC BY 4.0) via ip-location-db\n"
	    "  AS data by RouteViews (https://www.routeviews.org), the NRO (https://www.nro.net)\n"
	    "  and DB-IP (https://db-ip.com), CC BY 4.0, via ip-location-db");
}

/* A size: digits with an optional K, M or G (powers of 1024); 0 when it is not one. */
static unsigned long long
parse_size(const char *s)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1ull << 10;
		break;
	case 'm':
	case 'M':
		mul = 1ull << 20;
		break;
	case 'g':
	case 'G':
		mul = 1ull << 30;
		break;
	}
	if (mul > 1)
		end++;
	if (*end != '\0' || v > ~0ull / mul)
		return 0;
	return v * mul;
}

static int
bad_usage(const char *fmt, const char *arg)
{
	fputs("iotscope: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("; try 'iotscope --help'\n", stderr);
	return 2;
}

/* Options with no letter of their own. */
enum {
	OPT_MAX_MEMORY = 256
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "read",	required_argument, NULL, 'r' },
		{ "report",	required_argument, NULL, 'R' },
		{ "output",	required_argument, NULL, 'o' },
		{ "oui",	required_argument, NULL, 'U' },
		{ "limit",	required_argument, NULL, 'L' },
		{ "profile",	no_argument,	   NULL, 'P' },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "exit-when-loaded", no_argument, NULL, 'X' },
		{ "timing",	no_argument,	   NULL, 'T' },
		{ "dump-payload", required_argument, NULL, 'D' },
		{ "entropy-threshold", required_argument, NULL, 'E' },
		{ "min-bytes",	required_argument, NULL, 'M' },
		{ "secure-ports", required_argument, NULL, 'S' },
		{ "controller",	required_argument, NULL, 'C' },
		{ "count-entropy", required_argument, NULL, 'N' },
		{ "window",	required_argument, NULL, 'W' },
		{ "geoip",	required_argument, NULL, 'G' },
		{ "windows",	no_argument,	   NULL, 'Y' },
		{ "patterns",	required_argument, NULL, 'p' },
		{ "mask",	no_argument,	   NULL, 'm' },
		{ "no-findings", no_argument,	   NULL, 'n' },
		{ "grep",	required_argument, NULL, 'g' },
		{ "max-memory",	required_argument, NULL, OPT_MAX_MEMORY },
		{ NULL, 0, NULL, 0 }
	};
	struct options opt;
	int c;

	memset(&opt, 0, sizeof opt);
	opt.format = REPORT_TEXT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:o:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (opt.ninputs == OPT_INPUTS_MAX)
				return bad_usage("too many inputs (at most %s)", "256");
			opt.inputs[opt.ninputs++] = optarg;
			break;
		case 'R':
			opt.report = 1;
			if (strcmp(optarg, "text") == 0)
				opt.format = REPORT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				opt.format = REPORT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				opt.format = REPORT_CSV;
			else
				return bad_usage("unknown report format '%s' (text, json or csv)",
				    optarg);
			break;
		case 'o':
			opt.output = optarg;
			break;
		case 'U':
			opt.oui = optarg;
			break;
		case 'L': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || optarg[0] == '-')
				return bad_usage("--limit needs a number, not '%s'", optarg);
			opt.flow_limit = (size_t)v;
			break;
		}
		case 'P':
			opt.profile = 1;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'X':
			opt.exit_when_loaded = 1;
			break;
		case 'T':
			opt.timing = 1;
			break;
		case 'D':
			opt.dump_dir = optarg;
			break;
		case 'E': {
			char *end;
			opt.threshold = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(opt.threshold > 0 &&
			    opt.threshold <= 8))
				return bad_usage("--entropy-threshold needs a number of bits per "
				    "byte above 0 and at most 8, not '%s'", optarg);
			break;
		}
		case 'M': {
			char *end;
			opt.min_bytes = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || optarg[0] == '-' || opt.min_bytes == 0)
				return bad_usage("--min-bytes needs a positive number, not '%s'",
				    optarg);
			break;
		}
		case 'S':
			opt.secure_ports = optarg;
			break;
		case 'C':
			if (opt.ncontrollers == OPT_INPUTS_MAX)
				return bad_usage("too many controllers (at most %s)", "256");
			opt.controllers[opt.ncontrollers++] = optarg;
			break;
		case 'N':
			if (strcmp(optarg, "thread") == 0)
				opt.entropy = ENTROPY_THREAD;
			else if (strcmp(optarg, "inline") == 0)
				opt.entropy = ENTROPY_INLINE;
			else if (strcmp(optarg, "off") == 0)
				opt.entropy = ENTROPY_OFF;
			else
				return bad_usage("--count-entropy is thread, inline or off, not '%s'",
				    optarg);
			break;
		case 'W': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || optarg[0] == '-' || v < 16 ||
			    v > 65535)
				return bad_usage("--window needs a number of bytes from 16 to 65535, "
				    "not '%s'", optarg);
			opt.window = (unsigned)v;
			break;
		}
		case 'Y':
			opt.windows = 1;
			break;
		case 'G':
			if (opt.ngeoip == sizeof opt.geoip / sizeof *opt.geoip)
				return bad_usage("too many --geoip databases (at most %s)", "8");
			opt.geoip[opt.ngeoip++] = optarg;
			break;
		case 'p':
			if (opt.npatterns == sizeof opt.patterns / sizeof *opt.patterns)
				return bad_usage("too many --patterns files (at most %s)", "8");
			opt.patterns[opt.npatterns++] = optarg;
			break;
		case 'm':
			opt.mask = 1;
			break;
		case 'n':
			opt.no_findings = 1;
			break;
		case 'g':
			opt.grep = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			version();
			return 0;
		case OPT_MAX_MEMORY:
			if ((opt.max_memory = parse_size(optarg)) == 0)
				return bad_usage("--max-memory needs a size such as 256M or 1G, not "
				    "'%s'", optarg);
			break;
		case ':':
			return bad_usage("option %s needs a value", argv[optind - 1]);
		default:
			return bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s' (captures are given with -r)",
		    argv[optind]);
	if (opt.ninputs == 0)
		return bad_usage("%s", "no capture given: use -r FILE");
	if (opt.dump_dir != NULL && mkdir(opt.dump_dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "iotscope: %s: %s\n", opt.dump_dir, strerror(errno));
		return 1;
	}
	if (opt.grep != NULL) {
		char err[300];
		struct rx *rx = rx_new(opt.grep, 0, err, sizeof err);
		if (rx == NULL)
			return bad_usage("--grep: %s", err);
		rx_free(rx);
	}
	if (opt.format == REPORT_CSV && opt.output == NULL)
		return bad_usage("%s", "--report csv needs -o DIR");
	/* Without a terminal to draw on (a pipe, a file) the text report is what is wanted. */
	if (opt.report || opt.grep != NULL || opt.output != NULL || !isatty(STDOUT_FILENO) ||
	    !isatty(STDIN_FILENO))
		return batch_run(&opt);
	return tui_run(&opt);
}
