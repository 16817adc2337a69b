#!/bin/sh
# run-bench.sh — `make bench`: generates (once) a ~1 GB capture with ~10,000 flows and times
# iotscope's analysis against the plain libpcap read loop over the same file, alternating
# runs so all see the same machine state.  Prints ratios, packets/s, per-stage costs, peak RSS,
# and what the entropy figures cost (iotscope with and without them) beside what one plain
# 256-bin histogram over every payload byte adds to the read loop.
# BENCH_SIZE (default 1G), BENCH_FLOWS (10000), BENCH_RUNS (3) tune it.
set -eu
srcdir=${srcdir:-$(dirname "$0")/..}

size=${BENCH_SIZE:-1G}
flows=${BENCH_FLOWS:-10000}
runs=${BENCH_RUNS:-3}
file=bench-$size-$flows.pcap

if [ ! -f "$file" ]; then
	echo "generating $file ($size, $flows flows)…"
	tests/gen/gen-capture bench --size "$size" --flows "$flows" -o "$file.tmp"
	mv "$file.tmp" "$file"
fi
# Warm the page cache so the first timed run is not a disk read.
cat "$file" >/dev/null

med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >bench.loop; : >bench.bigbuf; : >bench.hist; : >bench.iot; : >bench.off; : >bench.inline
: >bench.geo; : >bench.nogeo; : >bench.nofind; : >bench.findpair
# wall FILE CMD...: appends CMD's wall seconds to FILE.
wall() {
	out=$1
	shift
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$out"
}
mkdir -p bench-nogeo
geo_dbs=$(ls "$srcdir/share/geoip/"*.mmdb 2>/dev/null | wc -l)
i=0
while [ "$i" -lt "$runs" ]; do
	bench/pcap-loop "$file" >>bench.loop
	bench/pcap-loop --bigbuf "$file" >>bench.bigbuf
	bench/pcap-loop --bigbuf --hist "$file" >>bench.hist
	./iotscope -q -r "$file" --report json --profile -o bench.json
	jq -r '.profile | "\(.elapsed_s) \(.maxrss_kb)"' bench.json >>bench.iot
	# Right after, the same without findings: the pair's ratio is the findings' cost.
	./iotscope -q -r "$file" --report json --profile --no-findings -o bench-nofind.json
	jq -r '.profile.elapsed_s' bench-nofind.json >>bench.nofind
	printf '%s %s\n' "$(tail -1 bench.iot)" "$(tail -1 bench.nofind)" >>bench.findpair
	./iotscope -q -r "$file" --report json --profile --count-entropy off -o bench-off.json
	jq -r '.profile.elapsed_s' bench-off.json >>bench.off
	./iotscope -q -r "$file" --report json --profile --count-entropy inline -o bench-inline.json
	jq -r '.profile.elapsed_s' bench-inline.json >>bench.inline
	if [ "$geo_dbs" -gt 0 ]; then
		# The whole process, report included: destinations are looked up when reported.
		wall bench.geo env IOTSCOPE_GEOIP="$srcdir/share/geoip" ./iotscope -q -r "$file" \
		    --report json -o /dev/null
		wall bench.nogeo env IOTSCOPE_GEOIP=bench-nogeo ./iotscope -q -r "$file" \
		    --report json -o /dev/null
	fi
	i=$((i + 1))
done

loop=$(awk '{ print $6 }' bench.loop | med)
bigbuf=$(awk '{ print $6 }' bench.bigbuf | med)
hist=$(awk '{ print $6 }' bench.hist | med)
iot=$(awk '{ print $1 }' bench.iot | med)
off=$(med <bench.off)
inl=$(med <bench.inline)
rss=$(awk '{ print $2 }' bench.iot | sort -n | tail -1)
loop_rss=$(awk '{ print $8 }' bench.loop | sort -n | tail -1)
pkts=$(awk '{ print $2; exit }' bench.loop)
hist_payload=$(awk '{ print $12; exit }' bench.hist)
iot_payload=$(jq '[.flows[] | .a_to_b_payload_captured + .b_to_a_payload_captured] | add' bench.json)
bytes=$(stat -c %s "$file")

echo
echo "iotscope benchmark: $file, $bytes bytes, $pkts packets, median of $runs runs"
awk -v l="$loop" -v b="$bigbuf" -v h="$hist" -v t="$iot" -v o="$off" -v i="$inl" -v p="$pkts" -v n="$bytes" 'BEGIN {
	printf "  %-40s %8.3f s  %7.0f MB/s  %9.0f pkt/s\n", "plain libpcap loop (baseline)", l, n / l / 1e6, p / l
	printf "  %-40s %8.3f s  %7.0f MB/s  %9.0f pkt/s  %.2fx baseline\n", "libpcap loop, 4 MiB buffer", b, n / b / 1e6, p / b, l / b
	printf "  %-40s %8.3f s  %7.0f MB/s  %9.0f pkt/s  %.2fx baseline\n", "  + one 256-bin payload histogram", h, n / h / 1e6, p / h, l / h
	printf "  %-40s %8.3f s  %7.0f MB/s  %9.0f pkt/s  %.2fx baseline\n", "iotscope analysis", t, n / t / 1e6, p / t, l / t
	printf "  %-40s %8.3f s  %7.0f MB/s  %9.0f pkt/s  %.2fx baseline\n", "  entropy counted inline, one core", i, n / i / 1e6, p / i, l / i
	printf "  %-40s %8.3f s  %7.0f MB/s  %9.0f pkt/s  %.2fx baseline\n", "  entropy off (--count-entropy off)", o, n / o / 1e6, p / o, l / o
	hc = h - b
	printf "  entropy cost: histogram loop %+.3f s; iotscope %+.3f s (%.2fx of it), inline %+.3f s (%.2fx)\n", hc, t - o, (hc > 0 ? (t - o) / hc : 0), i - o, (hc > 0 ? (i - o) / hc : 0)
}'
echo "  payload bytes counted: histogram loop $hist_payload, iotscope $iot_payload"
nofind=$(med <bench.nofind)
pair=$(awk '{ print $1 / $3 }' bench.findpair | med)
awk -v t="$iot" -v f="$nofind" -v l="$loop" -v p="$pair" -v s="$(jq .profile.findings_scanned_bytes bench.json)" \
    -v r="$(jq .profile.findings_pattern_runs bench.json)" -v np="$(jq '[.pattern_files[].patterns] | add' bench.json)" \
    -v sk="$(jq '.profile | .findings_skipped_bytes + .findings_skipped_random_bytes + .findings_skipped_media_bytes' bench.json)" 'BEGIN {
	printf "  %-40s %8.3f s  %.2fx baseline\n", "  without findings (--no-findings)", f, l / f
	printf "  findings cost (%d patterns + extractors): %+.1f%% over ingest without them (median of the runs\047 back-to-back pairs; medians alone %+.1f%%); %.0f MB scanned, %.0f MB of encrypted, random-looking or media payload left out, %d expression runs\n", np, (p - 1) * 100, (t / f - 1) * 100, s / 1e6, sk / 1e6, r }'
if [ "$geo_dbs" -gt 0 ]; then
	geo=$(med <bench.geo)
	nogeo=$(med <bench.nogeo)
	awk -v g="$geo" -v n="$nogeo" -v k="$geo_dbs" 'BEGIN {
		printf "  whole process with the JSON report: %.3f s with %d geolocation databases, %.3f s without (%+.1f%%)\n", g, k, n, (g / n - 1) * 100 }'
else
	echo "  geolocation: no databases in share/geoip (make geoip) to time"
fi
echo "  peak RSS: iotscope $((rss / 1024)) MB, plain loop $((loop_rss / 1024)) MB"
echo "  iotscope per packet, by stage (sampled 1 in 64 on average, at random gaps):"
jq -r '.profile | to_entries[] | select(.key | startswith("ns_per_packet_")) |
	"    \(.key | sub("ns_per_packet_"; "") | . + "        " | .[0:8]) \(.value) ns"' bench.json
echo "  flows $(jq '.capture.flows' bench.json), devices $(jq '.capture.devices' bench.json)"

# The workbench on a pseudo-terminal (script(1)): how soon the first screen shows, how long
# the whole capture takes to load with the packet index the payload viewer needs.
if command -v script >/dev/null 2>&1; then
	: >bench.tui
	i=0
	while [ "$i" -lt "$runs" ]; do
		TERM=xterm script -qec "./iotscope -r $file --exit-when-loaded --timing" /dev/null \
		    2>&1 | tr -d '\r' | sed -n 's/.*first screen after \([0-9.]*\) s, loaded after \([0-9.]*\) s, peak RSS \([0-9]*\) MB.*/\1 \2 \3/p' >>bench.tui
		i=$((i + 1))
	done
	first=$(awk '{ print $1 }' bench.tui | med)
	load=$(awk '{ print $2 }' bench.tui | med)
	trss=$(awk '{ print $3 }' bench.tui | sort -n | tail -1)
	echo "  workbench: first screen after $first s, whole capture loaded after $load s" \
	    "(packet index kept), peak RSS $trss MB"
fi
