/*
 * gen-main.c — gen-capture's command line: picks the scenario, parses and checks the options,
 * opens the output and truth files and reports.  Bad options exit 2 with one line on stderr.
 */
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64	/* captures past 2 GiB on 32-bit hosts */
#endif

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scen.h"

static const struct {
	const char	*name;
	int		(*run)(const struct gen_opts *, FILE *, FILE *, struct gen_stats *);
	int		 sized;		/* 1: takes --size and --flows; 2: --flows only;
					 * 3: --devices, --names, --addrs; 4: --flows, --addrs */
} scenarios[] = {
	{ "demo", scen_demo, 0 },
	{ "splitauth", scen_splitauth, 0 },
	{ "evil", scen_evil, 0 },
	{ "noports", scen_noports, 0 },
	{ "quic", scen_quic, 0 },
	{ "bench", scen_bench, 1 },
	{ "synflood", scen_synflood, 2 },
	{ "stations", scen_stations, 3 },
	{ "udpflows", scen_udpflows, 4 },
	{ "stress", scen_stress, 1 },
};

#define USAGE_LINE "usage: gen-capture demo|splitauth|evil|noports|quic|bench|synflood|stations|" \
	"udpflows|stress -o FILE [--seed N] [--link L] [--format F] [--snaplen N] " \
	"[--truth FILE] [--size BYTES] [--flows N] [--devices N] [--names N] [--addrs N] " \
	"[--shape S] [-v]"

static const char usage_text[] =
    USAGE_LINE "\n"
    "  demo            small home network, about 60 s and a few hundred packets\n"
    "  splitauth       Basic tokens split and reordered across segments, a 100000-byte run\n"
    "  evil            terminal escapes, C1, bad UTF-8, bidi and formulas in every name\n"
    "  noports         destinations reached by ICMP, ICMPv6 and IGMP only, and TCP with ICMP\n"
    "  quic            QUIC Initials: a split and reordered ClientHello, v2, coalesced, cut\n"
    "  bench           benchmark mix of --size bytes (default 1G) in --flows flows (10000)\n"
    "  synflood        --flows TCP SYNs (10000) from four stations, each a new flow\n"
    "  stations        --devices stations (1000) each looking up --names names (400) on\n"
    "                  --addrs addresses (20), then HTTP and TLS to four of them\n"
    "  udpflows        --flows UDP exchanges (10000) from four stations to --addrs\n"
    "                  public addresses (4096)\n"
    "  stress          bounded-resource shapes (--shape): longhdr (header lines of --size,\n"
    "                  1M), dnsloop (compression loops; --size names for one address, 20000),\n"
    "                  tinyooo (--flows uploads (4) of --size bytes (1M) in 1- to 3-byte\n"
    "                  segments out of order), snapcut (frames cut at every byte)\n"
    "  -o FILE         output capture, - for stdout\n"
    "  --seed N        PRNG seed (default 1); same seed, same bytes\n"
    "  --link L        ether vlan qinq sll sll2 raw null loop 80211 radiotap\n"
    "  --format F      pcap pcap-ns pcap-be pcapng pcapng-mixed\n"
    "  --snaplen N     cut captured packets to N bytes, keeping the wire length\n"
    "  --truth FILE    write the ground truth as key<TAB>value lines\n"
    "  --size BYTES    bench size, with optional K, M or G suffix (powers of 1024)\n"
    "  --flows N       bench flow count\n"
    "  --devices N, --names N, --addrs N   the stations and udpflows shapes\n"
    "  --shape S       stress: longhdr, dnsloop, tinyooo or snapcut\n"
    "  -v, --verbose   print what was written and how long it took to stderr\n";

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-capture: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (" USAGE_LINE ")\n", stderr);
	exit(2);
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

/* A size with an optional K, M or G suffix (binary multiples). */
static int
parse_size(const char *s, uint64_t *v)
{
	uint64_t mul = 1, n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1ull << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1ull << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1ull << 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end != '\0' || n > UINT64_MAX / mul)
		return -1;
	*v = n * mul;
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "link", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "snaplen", required_argument, NULL, 'n' },
		{ "truth", required_argument, NULL, 't' },
		{ "size", required_argument, NULL, 'S' },
		{ "flows", required_argument, NULL, 'F' },
		{ "devices", required_argument, NULL, 'D' },
		{ "names", required_argument, NULL, 'N' },
		{ "addrs", required_argument, NULL, 'A' },
		{ "shape", required_argument, NULL, 'H' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct gen_opts o;
	struct gen_stats st;
	const char *scen, *out_path = NULL, *truth_path = NULL;
	FILE *out, *truth = NULL;
	uint64_t v;
	double t0;
	size_t si;
	int c, rc, sized = 0, flows_given = 0, shape_given = 0, addrs_given = 0;

	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.seed = 1;
	o.link = ENCAP_ETHER;
	o.fmt = PCAPW_PCAP;
	o.snaplen = 262144;
	o.size = 1ull << 30;
	o.flows = 10000;
	o.devices = 1000;
	o.names = 400;
	o.addrs = 0;		/* the scenario's own default */
	o.link_name = "ether";
	o.fmt_name = "pcap";

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		usage_error("missing scenario");
	scen = argv[1];
	for (si = 0; si < sizeof scenarios / sizeof scenarios[0]; si++)
		if (strcmp(scen, scenarios[si].name) == 0)
			break;
	if (si == sizeof scenarios / sizeof scenarios[0])
		usage_error("unknown scenario '%s'", scen);

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, ":o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out_path = optarg;
			break;
		case 's':
			if (parse_u64(optarg, &o.seed) != 0)
				usage_error("bad --seed '%s'", optarg);
			break;
		case 'l':
			if (encap_parse(optarg, &o.link) != 0)
				usage_error("unknown --link '%s'", optarg);
			o.link_name = optarg;
			break;
		case 'f':
			if (pcapw_format_parse(optarg, &o.fmt) != 0)
				usage_error("unknown --format '%s'", optarg);
			o.fmt_name = optarg;
			break;
		case 'n':
			if (parse_u64(optarg, &v) != 0 || v < 1 || v > 262144)
				usage_error("bad --snaplen '%s' (1 to 262144)", optarg);
			o.snaplen = (uint32_t)v;
			break;
		case 't':
			truth_path = optarg;
			break;
		case 'S':
			if (parse_size(optarg, &o.size) != 0 || o.size < 4096)
				usage_error("bad --size '%s' (at least 4K)", optarg);
			sized = 1;
			break;
		case 'F':
			if (parse_u64(optarg, &v) != 0 || v < 1 || v > 100000000)
				usage_error("bad --flows '%s'", optarg);
			o.flows = (uint32_t)v;
			flows_given = 1;
			break;
		case 'D':
		case 'N':
		case 'A':
			if (parse_u64(optarg, &v) != 0 || v < 1 || v > 16000000)
				usage_error("bad --%s '%s' (1 to 16000000)", c == 'D' ? "devices" :
				    c == 'N' ? "names" : "addrs", optarg);
			if (c == 'D')
				o.devices = (uint32_t)v;
			else if (c == 'N')
				o.names = (uint32_t)v;
			else
				o.addrs = (uint32_t)v;
			if (c == 'A')
				addrs_given = 1;
			else
				shape_given = 1;
			break;
		case 'H':
			if (strcmp(optarg, "longhdr") != 0 && strcmp(optarg, "dnsloop") != 0 &&
			    strcmp(optarg, "tinyooo") != 0 && strcmp(optarg, "snapcut") != 0)
				usage_error("unknown --shape '%s'", optarg);
			o.shape = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (out_path == NULL)
		usage_error("missing -o FILE");
	int sz = scenarios[si].sized;
	if ((sz != 1 && sized) || ((sz == 0 || sz == 3) && flows_given))
		usage_error("--size only applies to bench and stress, --flows to bench, stress, "
		    "synflood and udpflows");
	if ((sz != 3 && shape_given) || (sz < 3 && addrs_given))
		usage_error("--devices and --names apply to stations, --addrs to stations and "
		    "udpflows");
	if (o.shape != NULL && strcmp(scen, "stress") != 0)
		usage_error("--shape only applies to stress");
	if (o.addrs == 0)
		o.addrs = sz == 3 ? 20 : 4096;
	o.size_set = sized;
	o.flows_set = flows_given;

	if (strcmp(out_path, "-") == 0)
		out = stdout;
	else if ((out = fopen(out_path, "wb")) == NULL) {
		fprintf(stderr, "gen-capture: %s: %s\n", out_path, strerror(errno));
		return 1;
	}
	if (truth_path != NULL && (truth = fopen(truth_path, "w")) == NULL) {
		fprintf(stderr, "gen-capture: %s: %s\n", truth_path, strerror(errno));
		return 1;
	}

	t0 = now_s();
	rc = scenarios[si].run(&o, out, truth, &st);
	if (out != stdout && fclose(out) != 0)
		rc = -1;
	if (truth != NULL && fclose(truth) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "gen-capture: writing %s failed\n", out_path);
		return 1;
	}
	if (o.verbose) {
		double el = now_s() - t0;
		double span = (double)(st.last_ns - st.first_ns) / 1e9;

		fprintf(stderr, "gen-capture: %s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu64
		    " flows, %.3f s of traffic, generated in %.2f s (%.0f MB/s)\n", scen,
		    st.packets, st.file_bytes, st.flows, span, el,
		    el > 0 ? (double)st.file_bytes / el / 1e6 : 0.0);
	}
	return 0;
}
