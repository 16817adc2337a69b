#!/bin/sh
# live-bench.sh — live capture throughput on a veth pair between two network namespaces (root
# only): tcpreplay sends a generated capture at top speed and at 100 Mbit/s (a Raspberry Pi
# 3's Ethernet) while iotscope -i captures headless with -w; tcpdump -w on the same replay is
# the baseline; also the demo (small packets) looped 1000 times at top speed.  Prints packets
# sent, captured and lost, the rates, and the capturing process's CPU time.
# Last, the workbench's key latency (--timing) while 100 Mbit/s arrives, when tmux is there.
# Run from a build folder: sh ../bench/live-bench.sh [SIZE (default 200M)] [RUNS (default 3)]
# IOTSCOPE_ARGS adds options to iotscope (-B 1024: a smaller kernel buffer); SENDERS=2 runs two
# tcpreplay at once (on two CPUs, what the capture must keep up with doubles).
set -u
[ "$(id -u)" -eq 0 ] || { echo "live-bench.sh: needs root (network namespaces)" >&2; exit 1; }
for t in ip:iproute2 tcpreplay:tcpreplay tcpdump:tcpdump jq:jq; do
	command -v "${t%%:*}" >/dev/null 2>&1 ||
	    { echo "live-bench.sh: needs ${t%%:*} (Debian package ${t#*:})" >&2; exit 1; }
done
size=${1:-200M}
runs=${2:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iotscope-livebench.XXXXXX")
NS_TX=iotbench-tx-$$ NS_RX=iotbench-rx-$$ VETH_TX=ibtx$$ VETH_RX=ibrx$$
cap_pid=
cleanup() {
	[ -n "$cap_pid" ] && kill -KILL "$cap_pid" 2>/dev/null
	ip -n "$NS_TX" link del "$VETH_TX" 2>/dev/null
	ip netns del "$NS_TX" 2>/dev/null
	ip netns del "$NS_RX" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS_TX" && ip netns add "$NS_RX" &&
ip link add "$VETH_TX" netns "$NS_TX" type veth peer name "$VETH_RX" netns "$NS_RX" || exit 1
ip netns exec "$NS_TX" sysctl -qw "net.ipv6.conf.$VETH_TX.disable_ipv6=1"
ip netns exec "$NS_RX" sysctl -qw "net.ipv6.conf.$VETH_RX.disable_ipv6=1"
ip -n "$NS_TX" link set "$VETH_TX" up && ip -n "$NS_RX" link set "$VETH_RX" up || exit 1

tests/gen/gen-capture bench --size "$size" --flows 2000 -o "$TMP/bench.pcap" >/dev/null || exit 1
tests/gen/gen-capture demo -o "$TMP/demo.pcap" >/dev/null || exit 1

# run WHO FILE TCPREPLAY-ARGS...: one capture of one replay; prints a line of figures.
run() {
	who=$1 file=$2
	shift 2
	rm -f "$TMP/w"
	case $who in
	iotscope) ip netns exec "$NS_RX" ./iotscope ${IOTSCOPE_ARGS:-} -q -i "$VETH_RX" \
	    -w "$TMP/w" --report json -o "$TMP/r.json" 2>"$TMP/err" & ;;
	tcpdump) ip netns exec "$NS_RX" tcpdump -Z root -q -i "$VETH_RX" -w "$TMP/w" \
	    2>"$TMP/err" & ;;
	esac
	cap_pid=$!
	while [ ! -e "$TMP/w" ]; do sleep 0.05; done
	sleep 0.3
	t0=$(cut -d' ' -f14,15 /proc/$cap_pid/stat)
	if [ "${SENDERS:-1}" = 2 ]; then
		ip netns exec "$NS_TX" tcpreplay -K -i "$VETH_TX" "$@" "$file" \
		    >"$TMP/replay2" 2>&1 &
		tx2=$!
	fi
	ip netns exec "$NS_TX" tcpreplay -K -i "$VETH_TX" "$@" "$file" >"$TMP/replay" 2>&1
	[ "${SENDERS:-1}" = 2 ] && wait $tx2
	sleep 1
	t1=$(cut -d' ' -f14,15 /proc/$cap_pid/stat)
	kill -TERM $cap_pid
	wait $cap_pid
	cap_pid=
	sent=$(sed -n 's/.*Successful packets: *//p' "$TMP/replay")
	[ "${SENDERS:-1}" = 2 ] && sent=$((sent + $(sed -n 's/.*Successful packets: *//p' \
	    "$TMP/replay2")))
	secs=$(sed -n 's/.*sent in \([0-9.]*\) seconds.*/\1/p' "$TMP/replay")
	mbps=$(sed -n 's/.*Rated: [0-9.]* Bps, \([0-9.]*\) Mbps.*/\1/p' "$TMP/replay")
	case $who in
	iotscope) got=$(jq .capture.packets "$TMP/r.json") ;;
	tcpdump) got=$(tcpdump -nn -r "$TMP/w" 2>/dev/null | wc -l) ;;
	esac
	awk -v w="$who" -v f="${file##*/}" -v r="$*" -v s="$sent" -v g="$got" -v t="$secs" \
	    -v m="$mbps" -v a="$t0" -v b="$t1" -v k="$(getconf CLK_TCK)" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		cpu = (y[1] + y[2] - x[1] - x[2]) / k
		printf "%-8s %-10s %-20s sent %7d in %6.2f s (%7.0f pkt/s, %6.1f Mbit/s)  " \
		    "captured %7d  lost %6d (%5.2f%%)  cpu %5.2f s\n",
		    w, f, r, s, t, s / t, m, g, s - g, 100 * (s - g) / s, cpu }'
}

echo "bench.pcap: $(tcpdump -nn -r "$TMP/bench.pcap" 2>/dev/null | wc -l) packets, \
$(stat -c %s "$TMP/bench.pcap") bytes; demo.pcap (321 packets) looped 1000 times; \
$(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ $i -lt "$runs" ]; do
	for who in iotscope tcpdump; do
		run $who "$TMP/bench.pcap" --topspeed
		run $who "$TMP/demo.pcap" --topspeed --loop=1000
		run $who "$TMP/bench.pcap" -M 100
	done
	i=$((i + 1))
done

# Key latency in the workbench while 100 Mbit/s arrives: 40 keys, 100 ms apart.
if command -v tmux >/dev/null 2>&1; then
	sess=iotbench$$
	tmux new-session -d -s "$sess" -x 80 -y 24 "ip netns exec $NS_RX ./iotscope -i $VETH_RX \
	    --timing -w $TMP/w 2>$TMP/lat"
	sleep 1
	ip netns exec "$NS_TX" tcpreplay -q -i "$VETH_TX" -M 100 "$TMP/bench.pcap" >/dev/null 2>&1 &
	tx=$!
	sleep 1
	i=0
	while [ $i -lt 40 ]; do
		tmux send-keys -t "$sess" j
		sleep 0.1
		i=$((i + 1))
	done
	tmux send-keys -t "$sess" q
	wait $tx
	sleep 1
	tmux kill-session -t "$sess" 2>/dev/null
	echo "workbench at 100 Mbit/s: $(sed -n 's/^iotscope: key latency: //p' "$TMP/lat")"
else
	echo "workbench key latency: skipped (tmux missing)"
fi
