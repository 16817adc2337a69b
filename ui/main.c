/*
 * main.c — iotscope's command line: parses options and runs the workbench, or the headless
 * report with --report.  Exit status: 0 success, 1 unreadable input, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <maxminddb.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "batch.h"
#include "esc.h"
#include "msg.h"
#include "options.h"
#include "rx.h"
#include "tui.h"

/* Options without a short letter (the letters are tcpdump's where it has one). */
enum {
	OPT_REPORT = 256, OPT_OUI, OPT_LIMIT, OPT_PROFILE, OPT_EXIT_LOADED, OPT_TIMING, OPT_DUMP,
	OPT_THRESHOLD, OPT_MIN_BYTES, OPT_SECURE_PORTS, OPT_CONTROLLER, OPT_COUNT_ENTROPY,
	OPT_WINDOW, OPT_WINDOWS, OPT_GEOIP, OPT_PATTERNS, OPT_MASK, OPT_NO_FINDINGS, OPT_GREP,
	OPT_DURATION, OPT_PCAP, OPT_FOLLOW, OPT_MAX_MEMORY, OPT_IMMEDIATE, OPT_NO_SANDBOX
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: iotscope -r FILE [-r FILE ...] [--report text|json|csv] [-o PATH] [options]\n"
	    "                [filter expression]\n"
	    "       iotscope -i IFACE [-w FILE] [-c N] [--duration S] [options] [expression]\n"
	    "\n"
	    "Network forensics of IoT devices: devices, flows, names and damage in captures.\n"
	    "\n"
	    "  -r, --read FILE      capture to read (pcap, pcapng, optionally gzip-compressed);\n"
	    "                       '-' is standard input; several are one timeline\n"
	    "      --follow         -r FILE: keep reading as the file grows; -r DIR: its\n"
	    "                       rotated files in name order, following the newest\n"
	    "  -i, --interface IFACE  capture live on IFACE ('any': every interface)\n"
	    "  -D, --list-interfaces  list the interfaces to capture on\n"
	    "  -f, --filter EXPR    capture filter (pcap-filter(7)); also the trailing\n"
	    "                       arguments; -F FILE reads it from a file\n"
	    "  -s, --snaplen N      bytes to keep of each live packet (default 262144)\n"
	    "  -B, --buffer-size KiB  the kernel's capture buffer\n"
	    "  -p                   no promiscuous mode;  -I  monitor mode (Wi-Fi)\n"
	    "      --immediate-mode each packet at once, not in 100 ms blocks\n"
	    "  -c, --count N        stop after N packets;  --duration S  after S seconds\n"
	    "  -w, --write FILE     keep every packet as evidence in FILE (pcapng; --pcap)\n"
	    "  -C MB, -G SECONDS, -W N  rotate the -w file as tcpdump does\n"
	    "  -Z, --relinquish-privileges USER  drop root after opening the interface\n"
	    "      --no-sandbox     do not confine iotscope once its files are open\n"
	    "      --report FORMAT  headless report: text, json or csv (without it: the\n"
	    "                       interactive workbench)\n"
	    "  -o, --output PATH    csv: directory for one file per table; text/json: file\n"
	    "      --oui FILE       MAC vendor registry (IEEE oui.txt or Wireshark manuf)\n"
	    "      --geoip FILE     a MaxMind-format country, city or ASN database (repeatable)\n"
	    "      --limit N        text report: show at most N flows\n"
	    "      --profile        time the pipeline stages and report throughput\n"
	    "      --exit-when-loaded  workbench: quit once the capture is loaded\n"
	    "      --timing         workbench: print load times and key latency on exit\n"
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

/* One line on standard error (msg.h escapes it: the values quoted are the user's, as typed). */
static int __attribute__((format(printf, 1, 2)))
bad_usage(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	msg_err("%s; try 'iotscope --help'", buf);
	return 2;
}

/* A whole decimal number in [lo, hi]: 0, else -1. */
static int
parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0 || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

/* The trailing arguments joined by spaces, as tcpdump reads its expression; owned by caller. */
static char *
join_args(int n, char **v)
{
	size_t len = 1;

	for (int i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *s = malloc(len);
	if (s == NULL) {
		msg_err("out of memory");
		exit(1);
	}
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, v[i]);
	}
	return s;
}

/* The filter in a file (-F), '#' comments dropped as tcpdump does; NULL after a message. */
static char *
read_filter_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[4096];
	size_t len = 0, cap = 4096;
	char *s;

	if (fp == NULL) {
		msg_err("-F %s: %s", path, strerror(errno));
		return NULL;
	}
	s = malloc(cap);
	if (s == NULL) {
		fclose(fp);
		return NULL;
	}
	s[0] = '\0';
	while (fgets(line, sizeof line, fp) != NULL) {
		char *hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		size_t n = strlen(line);
		if (len + n + 2 > cap) {
			cap = (len + n + 2) * 2;
			char *t = realloc(s, cap);
			if (t == NULL) {
				free(s);
				fclose(fp);
				return NULL;
			}
			s = t;
		}
		memcpy(s + len, line, n);
		len += n;
		s[len++] = ' ';
		s[len] = '\0';
	}
	fclose(fp);
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			s[i] = ' ';
	return s;
}

/* -D: the interfaces libpcap can open, numbered as tcpdump -D lists them. */
static int
list_interfaces(void)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	int n = 0;

	if (pcap_findalldevs(&all, ebuf) < 0) {
		msg_err("cannot list interfaces: %s", ebuf);
		return 1;
	}
	for (pcap_if_t *d = all; d != NULL; d = d->next) {
		printf("%d.", ++n);
		esc_fputs(stdout, d->name, ESC_TEXT);
		if (d->description != NULL) {
			fputs(" (", stdout);
			esc_fputs(stdout, d->description, ESC_TEXT);
			fputc(')', stdout);
		}
		const char *sep = "";
		fputs(" [", stdout);
		static const struct { bpf_u_int32 flag; const char *name; } flags[] = {
			{ PCAP_IF_UP, "Up" }, { PCAP_IF_RUNNING, "Running" },
			{ PCAP_IF_WIRELESS, "Wireless" }, { PCAP_IF_LOOPBACK, "Loopback" },
		};
		for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
			if (d->flags & flags[i].flag) {
				printf("%s%s", sep, flags[i].name);
				sep = ", ";
			}
		if (*sep == '\0')
			fputs("none", stdout);
		fputs("]\n", stdout);
	}
	pcap_freealldevs(all);
	if (n == 0)
		msg_err("no interfaces to capture on (run as root, or see -i in iotscope(1) for "
		    "the capabilities)");
	return n > 0 ? 0 : 1;
}

/*
 * Whether an output path names an input: the same name, or the same file by another one (a
 * link, "./", another mount of it).  Standard input and output ("-") are never files here.
 */
static int
same_file(const char *out, const char *in)
{
	struct stat a, b;

	if (strcmp(out, "-") == 0 || strcmp(in, "-") == 0)
		return 0;
	if (strcmp(out, in) == 0)
		return 1;
	return stat(out, &a) == 0 && stat(in, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino;
}

/* Checks that the capture options go together: -1 when they do, else the exit status. */
static int
check_capture_options(const struct options *opt)
{
	if (opt->iface != NULL && opt->ninputs > 0)
		return bad_usage("%s", "-i and -r both given: capture live or read files, not both");
	if (opt->iface == NULL && opt->ninputs == 0)
		return bad_usage("%s", "no capture given: use -r FILE or -i INTERFACE");
	if (opt->follow && opt->ninputs == 0)
		return bad_usage("%s", "--follow needs -r FILE or -r DIR");
	if ((opt->rotate_mb || opt->rotate_secs || opt->max_files || opt->write_pcap) &&
	    opt->write == NULL)
		return bad_usage("%s", "-C, -G, -W and --pcap shape the -w file: give -w FILE");
	if (opt->max_files && !opt->rotate_mb && !opt->rotate_secs)
		return bad_usage("%s", "-W needs -C or -G");
	if (opt->write != NULL && strcmp(opt->write, "-") == 0 &&
	    (opt->rotate_mb || opt->rotate_secs))
		return bad_usage("%s", "-w - cannot rotate");
	if (opt->write != NULL && strcmp(opt->write, "-") == 0 && opt->output == NULL)
		return bad_usage("%s", "-w - writes the packets to standard output: the report "
		    "needs -o FILE");
	for (size_t i = 0; i < opt->ninputs; i++) {
		if (opt->write != NULL && same_file(opt->write, opt->inputs[i]))
			return bad_usage("-w %s is also read with -r: evidence is never overwritten",
			    opt->write);
		if (opt->output != NULL && opt->format != REPORT_CSV &&
		    same_file(opt->output, opt->inputs[i]))
			return bad_usage("-o %s is also read with -r: evidence is never overwritten",
			    opt->output);
	}
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "read",	required_argument, NULL, 'r' },
		{ "report",	required_argument, NULL, OPT_REPORT },
		{ "output",	required_argument, NULL, 'o' },
		{ "oui",	required_argument, NULL, OPT_OUI },
		{ "limit",	required_argument, NULL, OPT_LIMIT },
		{ "profile",	no_argument,	   NULL, OPT_PROFILE },
		{ "quiet",	no_argument,	   NULL, 'q' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "exit-when-loaded", no_argument, NULL, OPT_EXIT_LOADED },
		{ "timing",	no_argument,	   NULL, OPT_TIMING },
		{ "dump-payload", required_argument, NULL, OPT_DUMP },
		{ "entropy-threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "min-bytes",	required_argument, NULL, OPT_MIN_BYTES },
		{ "secure-ports", required_argument, NULL, OPT_SECURE_PORTS },
		{ "controller",	required_argument, NULL, OPT_CONTROLLER },
		{ "count-entropy", required_argument, NULL, OPT_COUNT_ENTROPY },
		{ "window",	required_argument, NULL, OPT_WINDOW },
		{ "geoip",	required_argument, NULL, OPT_GEOIP },
		{ "windows",	no_argument,	   NULL, OPT_WINDOWS },
		{ "patterns",	required_argument, NULL, OPT_PATTERNS },
		{ "mask",	no_argument,	   NULL, OPT_MASK },
		{ "no-findings", no_argument,	   NULL, OPT_NO_FINDINGS },
		{ "grep",	required_argument, NULL, OPT_GREP },
		{ "interface",	required_argument, NULL, 'i' },
		{ "list-interfaces", no_argument,  NULL, 'D' },
		{ "filter",	required_argument, NULL, 'f' },
		{ "filter-file", required_argument, NULL, 'F' },
		{ "snaplen",	required_argument, NULL, 's' },
		{ "buffer-size", required_argument, NULL, 'B' },
		{ "no-promiscuous-mode", no_argument, NULL, 'p' },
		{ "monitor-mode", no_argument,	   NULL, 'I' },
		{ "immediate-mode", no_argument,   NULL, OPT_IMMEDIATE },
		{ "count",	required_argument, NULL, 'c' },
		{ "duration",	required_argument, NULL, OPT_DURATION },
		{ "write",	required_argument, NULL, 'w' },
		{ "pcap",	no_argument,	   NULL, OPT_PCAP },
		{ "file-size",	required_argument, NULL, 'C' },
		{ "rotate-seconds", required_argument, NULL, 'G' },
		{ "file-count",	required_argument, NULL, 'W' },
		{ "relinquish-privileges", required_argument, NULL, 'Z' },
		{ "follow",	no_argument,	   NULL, OPT_FOLLOW },
		{ "max-memory",	required_argument, NULL, OPT_MAX_MEMORY },
		{ "no-sandbox",	no_argument,	   NULL, OPT_NO_SANDBOX },
		{ NULL, 0, NULL, 0 }
	};
	struct options opt;
	uint64_t u;
	int c;

	memset(&opt, 0, sizeof opt);
	opt.format = REPORT_TEXT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:o:qhVi:Df:F:s:B:pIc:w:C:G:W:Z:", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (opt.ninputs == OPT_INPUTS_MAX)
				return bad_usage("too many inputs (at most %s)", "256");
			opt.inputs[opt.ninputs++] = optarg;
			break;
		case OPT_REPORT:
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
		case OPT_OUI:
			opt.oui = optarg;
			break;
		case OPT_LIMIT: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || optarg[0] == '-')
				return bad_usage("--limit needs a number, not '%s'", optarg);
			opt.flow_limit = (size_t)v;
			break;
		}
		case OPT_PROFILE:
			opt.profile = 1;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case OPT_EXIT_LOADED:
			opt.exit_when_loaded = 1;
			break;
		case OPT_TIMING:
			opt.timing = 1;
			break;
		case OPT_DUMP:
			opt.dump_dir = optarg;
			break;
		case OPT_THRESHOLD: {
			char *end;
			opt.threshold = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(opt.threshold > 0 &&
			    opt.threshold <= 8))
				return bad_usage("--entropy-threshold needs a number of bits per "
				    "byte above 0 and at most 8, not '%s'", optarg);
			break;
		}
		case OPT_MIN_BYTES: {
			char *end;
			opt.min_bytes = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || optarg[0] == '-' || opt.min_bytes == 0)
				return bad_usage("--min-bytes needs a positive number, not '%s'",
				    optarg);
			break;
		}
		case OPT_SECURE_PORTS:
			opt.secure_ports = optarg;
			break;
		case OPT_CONTROLLER:
			if (opt.ncontrollers == OPT_INPUTS_MAX)
				return bad_usage("too many controllers (at most %s)", "256");
			opt.controllers[opt.ncontrollers++] = optarg;
			break;
		case OPT_COUNT_ENTROPY:
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
		case OPT_WINDOW: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || optarg[0] == '-' || v < 16 ||
			    v > 65535)
				return bad_usage("--window needs a number of bytes from 16 to 65535, "
				    "not '%s'", optarg);
			opt.window = (unsigned)v;
			break;
		}
		case OPT_WINDOWS:
			opt.windows = 1;
			break;
		case OPT_GEOIP:
			if (opt.ngeoip == sizeof opt.geoip / sizeof *opt.geoip)
				return bad_usage("too many --geoip databases (at most %s)", "8");
			opt.geoip[opt.ngeoip++] = optarg;
			break;
		case OPT_PATTERNS:
			if (opt.npatterns == sizeof opt.patterns / sizeof *opt.patterns)
				return bad_usage("too many --patterns files (at most %s)", "8");
			opt.patterns[opt.npatterns++] = optarg;
			break;
		case OPT_MASK:
			opt.mask = 1;
			break;
		case OPT_NO_FINDINGS:
			opt.no_findings = 1;
			break;
		case OPT_GREP:
			opt.grep = optarg;
			break;
		case 'i':
			if (opt.iface != NULL)
				return bad_usage("%s", "one interface at a time (-i any captures on "
				    "every interface)");
			opt.iface = optarg;
			break;
		case 'D':
			opt.list_ifaces = 1;
			break;
		case 'f':
			opt.filter = optarg;
			break;
		case 'F':
			opt.filter_file = optarg;
			break;
		case 's':
			if (parse_u64(optarg, 0, 262144, &u) < 0)
				return bad_usage("-s needs a snapshot length from 0 to 262144, not '%s'",
				    optarg);
			opt.snaplen = (int)u;
			break;
		case 'B':
			if (parse_u64(optarg, 1, 4194304, &u) < 0)
				return bad_usage("-B needs a buffer size in KiB (1 to 4194304), not '%s'",
				    optarg);
			opt.buffer_kib = (int)u;
			break;
		case 'p':
			opt.no_promisc = 1;
			break;
		case 'I':
			opt.rfmon = 1;
			break;
		case OPT_IMMEDIATE:
			opt.immediate = 1;
			break;
		case 'c':
			if (parse_u64(optarg, 1, UINT64_MAX, &u) < 0)
				return bad_usage("-c needs a positive number of packets, not '%s'",
				    optarg);
			opt.count = u;
			break;
		case OPT_DURATION: {
			char *end;
			opt.duration = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || !(opt.duration > 0 &&
			    opt.duration < 1e9))
				return bad_usage("--duration needs a positive number of seconds, not "
				    "'%s'", optarg);
			break;
		}
		case 'w':
			opt.write = optarg;
			break;
		case OPT_PCAP:
			opt.write_pcap = 1;
			break;
		case 'C':
			if (parse_u64(optarg, 1, 1000000, &u) < 0)
				return bad_usage("-C needs a file size in MB (1 to 1000000), not '%s'",
				    optarg);
			opt.rotate_mb = u;
			break;
		case 'G':
			if (parse_u64(optarg, 1, 100000000, &u) < 0)
				return bad_usage("-G needs a positive number of seconds, not '%s'",
				    optarg);
			opt.rotate_secs = (unsigned)u;
			break;
		case 'W':
			if (parse_u64(optarg, 1, 100000, &u) < 0)
				return bad_usage("-W needs a positive number of files, not '%s'", optarg);
			opt.max_files = (unsigned)u;
			break;
		case 'Z':
			opt.user = optarg;
			break;
		case OPT_FOLLOW:
			opt.follow = 1;
			break;
		case OPT_NO_SANDBOX:
			opt.no_sandbox = 1;
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
	if (opt.list_ifaces)
		return list_interfaces();
	/* As tcpdump: what follows the options is the capture filter. */
	char *expr = NULL;
	if (optind < argc && opt.ninputs == 0 && opt.iface == NULL)
		return bad_usage("unexpected argument '%s' (captures are given with -r FILE, "
		    "interfaces with -i; a filter expression follows them)", argv[optind]);
	if (optind < argc) {
		if (opt.filter != NULL || opt.filter_file != NULL)
			return bad_usage("unexpected argument '%s' (the filter is already given "
			    "with -f or -F)", argv[optind]);
		expr = join_args(argc - optind, argv + optind);
		opt.filter = expr;
	} else if (opt.filter_file != NULL) {
		if (opt.filter != NULL)
			return bad_usage("%s", "-f and -F both give a filter: use one");
		expr = read_filter_file(opt.filter_file);
		if (expr == NULL)
			return 1;
		opt.filter = expr;
	}
	int status = check_capture_options(&opt);
	if (status >= 0) {
		free(expr);
		return status;
	}
	if (opt.dump_dir != NULL && mkdir(opt.dump_dir, 0777) < 0 && errno != EEXIST) {
		msg_err("%s: %s", opt.dump_dir, strerror(errno));
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
		status = batch_run(&opt);
	else
		status = tui_run(&opt);
	free(expr);
	return status;
}
