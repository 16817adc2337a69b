#!/bin/sh
# stress-bench.sh — `make bench-stress`: each shape of `gen-capture stress` (issue 11) at full
# size, iotscope --report json timed against the plain libpcap read loop over the same file,
# runs alternating; prints packets, both medians, their ratio and iotscope's peak RSS.
# STRESS_RUNS (default 3) and STRESS_SHAPES (default all four) tune it.
set -eu
runs=${STRESS_RUNS:-3}
shapes=${STRESS_SHAPES:-longhdr dnsloop tinyooo snapcut}

med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# wall FILE CMD...: appends CMD's wall seconds to FILE.
wall() {
	out=$1
	shift
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$out"
}

printf '%-8s %10s %10s %10s %8s %10s\n' shape packets "plain s" "iotscope s" ratio "peak kB"
for s in $shapes; do
	f=stress-$s.pcap
	[ -f "$f" ] || tests/gen/gen-capture stress --shape "$s" -o "$f"
	cat "$f" >/dev/null
	: >stress.loop
	: >stress.iot
	i=0
	while [ "$i" -lt "$runs" ]; do
		wall stress.loop bench/pcap-loop "$f"
		wall stress.iot ./iotscope -q -r "$f" --report json -o /dev/null
		i=$((i + 1))
	done
	pk=$(bench/pcap-loop "$f" | awk '{ print $2 }')
	rss=$(./iotscope -q -r "$f" --report json --profile | jq .profile.maxrss_kb)
	l=$(med <stress.loop)
	t=$(med <stress.iot)
	awk -v s="$s" -v p="$pk" -v l="$l" -v t="$t" -v r="$rss" \
	    'BEGIN { printf "%-8s %10d %10.3f %10.3f %8.1f %10d\n", s, p, l, t, t / l, r }'
done
rm -f stress.loop stress.iot
