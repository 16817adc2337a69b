#!/bin/sh
# scale-bench.sh — `make bench-scale` (and part of `make bench`): iotscope on the capture
# shapes a network can hold many of — stations, names per address, flows, destinations —
# whole process with the JSON report to a file, beside the plain libpcap read loop over the
# same file (bench/pcap-loop), median of BENCH_RUNS (default 3) alternating runs.  One row per
# shape: packets, the loop's time, iotscope's, their ratio (loop / iotscope: 1.0 would be as
# fast as reading), the analysis and the report phase, ns per packet per stage (--profile,
# sampled), peak RSS and bytes per flow.  BENCH_SCALE=small runs the smaller shapes only.
set -eu

runs=${BENCH_RUNS:-3}
gen=tests/gen/gen-capture

# shape NAME GEN-ARGS...: the capture, made once.
shapes=
shape() {
	name=$1
	shift
	file=bench-scale-$name.pcap
	if [ ! -f "$file" ]; then
		echo "generating $file ($*)…" >&2
		"$gen" "$@" -o "$file.tmp" >/dev/null
		mv "$file.tmp" "$file"
	fi
	shapes="$shapes $name"
}

shape stations-1k stations --devices 1000 --names 400 --addrs 20
shape names-500 stations --devices 20 --names 500 --addrs 20
shape udp-100k udpflows --flows 100000
shape syn-100k synflood --flows 100000
shape dests-100k udpflows --flows 100000 --addrs 100000
if [ "${BENCH_SCALE:-}" != small ]; then
	shape stations-5k stations --devices 5000 --names 400 --addrs 20
	shape stations-10k stations --devices 10000 --names 40 --addrs 20
	shape udp-1m udpflows --flows 1000000
	shape syn-1m synflood --flows 1000000
fi

med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }

printf '\n%-13s %9s %8s %9s %7s %9s %9s %7s %8s %8s %8s %8s %7s %9s\n' shape packets loop_s \
    iotscope_s ratio analysis_s report_s ns/pkt flow_ns app_ns dev_ns rss_MB flows B/flow
for s in $shapes; do
	f=bench-scale-$s.pcap
	cat "$f" >/dev/null
	: >bench-scale.loop
	: >bench-scale.iot
	i=0
	while [ "$i" -lt "$runs" ]; do
		bench/pcap-loop "$f" | awk '{ print $6, $2 }' >>bench-scale.loop
		t0=$(now)
		./iotscope -q -r "$f" --report json --profile -o bench-scale.json
		t1=$(now)
		# The records (one a line) dropped first: jq would hold gigabytes of flows.
		grep -v '^    {' bench-scale.json |
		    jq -r --arg t0 "$t0" --arg t1 "$t1" '[($t1 | tonumber) - ($t0 | tonumber),
		    .profile.elapsed_s, .profile.maxrss_kb, .capture.flows,
		    .profile.ns_per_packet_flow, .profile.ns_per_packet_app,
		    .profile.ns_per_packet_device] | @tsv' >>bench-scale.iot
		i=$((i + 1))
	done
	loop=$(awk '{ print $1 }' bench-scale.loop | med)
	pkts=$(awk '{ print $2; exit }' bench-scale.loop)
	whole=$(awk '{ print $1 }' bench-scale.iot | med)
	ana=$(awk '{ print $2 }' bench-scale.iot | med)
	rss=$(awk '{ print $3 }' bench-scale.iot | sort -n | tail -1)
	flows=$(awk '{ print $4; exit }' bench-scale.iot)
	fl=$(awk '{ print $5 }' bench-scale.iot | med)
	ap=$(awk '{ print $6 }' bench-scale.iot | med)
	dv=$(awk '{ print $7 }' bench-scale.iot | med)
	awk -v s="$s" -v p="$pkts" -v l="$loop" -v w="$whole" -v a="$ana" -v r="$rss" \
	    -v flows="$flows" -v fl="$fl" -v ap="$ap" -v dv="$dv" 'BEGIN {
		printf "%-13s %9d %8.3f %9.3f %6.3fx %9.3f %9.3f %7.0f %8.0f %8.0f %8.0f %8.0f %7d %9.0f\n",
		    s, p, l, w, l / w, a, w - a, a * 1e9 / p, fl, ap, dv, r / 1024, flows,
		    (flows > 0 ? r * 1024 / flows : 0)
	    }'
done
echo "ratio: the plain loop's time over iotscope's (whole process, JSON report written);" \
    "ns/pkt: the analysis phase's time over its packets (what must stay flat as flows grow);" \
    "by stage sampled 1 in 64 at random gaps; B/flow: peak RSS over flows"
# The workbench over the largest shapes made: keys should be answered within 200 ms.
tui=
for s in syn-1m udp-1m stations-1k; do
	case " $shapes " in *" $s "*) tui="$tui bench-scale-$s.pcap" ;; esac
done
if [ -n "$tui" ]; then
	sh "$(dirname "$0")/tui-bench.sh" $tui
fi
