#!/bin/sh
# run-live.sh — `make bench`, live part: iotscope capturing on one end of a veth pair (in
# network namespaces made for the run and always removed) while tcpreplay sends a generated
# capture into the other end, beside tcpdump -w doing the same as the baseline.  Prints packets
# per second and drops at tcpreplay's top speed and at 100 Mbit/s (a Pi 3's line rate), and
# the workbench's key latency while 100 Mbit/s arrives.  Needs root, iproute2, tcpreplay,
# tcpdump and tmux; says what is missing and skips otherwise.
# LIVE_SIZE (default 256M) sets the replayed capture's size.
set -eu

size=${LIVE_SIZE:-256M}
file=bench-live-$size.pcap

skip() { echo "live benchmark skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
for t in ip tcpreplay tcpdump tmux jq; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is missing (Debian packages iproute2 tcpreplay tcpdump tmux jq)"
done

ns1=iotbench-a-$$ ns2=iotbench-b-$$ va=ibA$$ vb=ibB$$
cleanup() {
	tmux kill-session -t "iotbench$$" 2>/dev/null || true
	ip netns del "$ns1" 2>/dev/null || true
	ip netns del "$ns2" 2>/dev/null || true
	rm -f bench-live.pcapng bench-live-td.pcap bench-live.json bench-live-lat.txt
}
trap cleanup EXIT INT TERM
ip netns add "$ns1" 2>/dev/null || skip "ip netns add is not permitted here"
ip netns add "$ns2"
ip link add "$va" type veth peer name "$vb"
ip link set "$va" netns "$ns1"
ip link set "$vb" netns "$ns2"
for n in "$ns1:$va" "$ns2:$vb"; do
	ns=${n%%:*} dev=${n#*:}
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" || true
	ip -n "$ns" link set "$dev" up
done

if [ ! -f "$file" ]; then
	echo "generating $file ($size)…"
	tests/gen/gen-capture bench --size "$size" --flows 5000 -o "$file.tmp"
	mv "$file.tmp" "$file"
fi
cat "$file" >/dev/null
sent=$(tcpdump -r "$file" 2>/dev/null | wc -l)

# replay RATE: tcpreplay's achieved packets/s (RATE: topspeed or Mbit/s).
replay() {
	if [ "$1" = top ]; then set -- --topspeed; else set -- -M "$1"; fi
	ip netns exec "$ns1" tcpreplay -i "$va" "$@" "$file" 2>&1 |
	    awk '/Rated:/ { for (i = 1; i <= NF; i++) if ($i == "pps") print $(i - 1) }'
}

# iotscope RATE: captures the replay headless with -w; prints "pps captured drops".
iot_run() {
	ip netns exec "$ns2" ./iotscope -q -i "$vb" -c "$sent" --duration 120 \
	    -w bench-live.pcapng --report json -o bench-live.json &
	pid=$!
	sleep 1
	pps=$(replay "$1")
	wait "$pid" || true
	jq -r --arg pps "$pps" '.capture | "\($pps) \(.packets) \(.kernel_drops + .interface_drops + .internal_drops) \(.evidence_failed)"' bench-live.json
}

# tcpdump RATE: the baseline, tcpdump -w on the same end; prints "pps captured drops".
td_run() {
	ip netns exec "$ns2" tcpdump -q -i "$vb" -c "$sent" -w bench-live-td.pcap \
	    2>bench-live-td.err &
	pid=$!
	sleep 1
	pps=$(replay "$1")
	sleep 1
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" || true
	got=$(tcpdump -r bench-live-td.pcap 2>/dev/null | wc -l)
	drops=$(awk '/dropped by kernel/ { print $1 }' bench-live-td.err)
	echo "$pps $got ${drops:-?}"
}

echo "live capture: $sent packets of $file replayed on a veth pair"
for rate in top 100; do
	set -- $(td_run "$rate")
	echo "  tcpdump -w   at $rate: sent at $1 pkt/s, captured $2 of $sent, kernel drops $3"
	set -- $(iot_run "$rate")
	echo "  iotscope -w  at $rate: sent at $1 pkt/s, captured $2 of $sent, drops $3," \
	    "not written $4"
done

# Key latency in the workbench while 100 Mbit/s arrives: 40 keys, 100 ms apart.
tmux new-session -d -s "iotbench$$" -x 80 -y 24 \
    "ip netns exec $ns2 ./iotscope -i $vb --timing -w bench-live.pcapng 2>bench-live-lat.txt"
sleep 1
ip netns exec "$ns1" tcpreplay -q -i "$va" -M 100 "$file" >/dev/null 2>&1 &
rp=$!
sleep 1
i=0
while [ $i -lt 40 ]; do
	tmux send-keys -t "iotbench$$" j
	sleep 0.1
	i=$((i + 1))
done
tmux send-keys -t "iotbench$$" q
wait "$rp" || true
sleep 1
echo "  workbench at 100 Mbit/s: $(grep 'key latency' bench-live-lat.txt | sed 's/^iotscope: //')"
