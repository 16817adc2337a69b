#!/usr/bin/env bash
# live.sh — the workbench capturing live on a veth pair between two network namespaces, driven
# through tmux: while tcpreplay sends the demo (at 100 packets a second) its devices appear,
# the table ends as the workbench shows for -r of the demo, q quits, and the -w file holds
# every packet.
. "$TESTLIB"
need tmux tmux
need tcpdump tcpdump
need capinfos tshark
. "$(dirname "$0")/../e2e/netns.sh"
. "$(dirname "$0")/tmux.sh"
trap 'stop; netns_cleanup; rm -rf "$TMP"' EXIT
netns_setup

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator"; finish; }
frames "$TMP/demo.pcap" >"$TMP/demo.frames"
ndemo=$(wc -l <"$TMP/demo.frames")

# What the workbench shows for the finished demo: the device table, heading and rows.
start 80 24
wait_for "cam-livingroom" 5
screen | sed -n '2,9p' >"$TMP/rows"
check "-r: the device table has 6 devices and a heading" 8 "$(grep -c . "$TMP/rows")"

# The workbench on the receiving end, writing evidence.
stop
n=$((n + 1))
tm -f /dev/null new-session -d -s $S -x 80 -y 24 "ip netns exec $NS_RX env TERM=\${TERM:-screen} \
$IOTSCOPE -i $VETH_RX -w $TMP/tui.pcapng; echo \$? >$TMP/exit; stty -a >$TMP/stty; sleep 30"
i=0
while [ ! -e "$TMP/tui.pcapng" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
has "live: the workbench starts with no devices" "0 devices"
has "live: the status bar names the interface" "$VETH_RX"

replay --pps 100 "$TMP/demo.pcap" &
rp=$!
if wait_for "cam-livingroom" 3 && kill -0 $rp 2>/dev/null; then
	pass "live: the camera appears while tcpreplay still sends"
else
	fail "live: no camera while tcpreplay sends: $(screen | head -12)"
fi
wait $rp
check "tcpreplay sent every packet" "Successful packets: $ndemo" \
    "$(grep -o 'Successful packets: *[0-9]*' "$TMP/replay.out" | tr -s ' ')"
while IFS= read -r row; do
	has "live: as -r shows it: ${row:0:40}" "$row"
done <"$TMP/rows"

# Pausing the view is checked here once the workbench has p: press p, replay the demo again,
# and the device table stays as above while the -w file grows to 642 packets; p again, and the
# table moves on.

keys q
i=0
while [ ! -s "$TMP/exit" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "q: the workbench exits 0" 0 "$(cat "$TMP/exit" 2>/dev/null)"
grep -q -- " icanon" "$TMP/stty" 2>/dev/null && grep -q -- " echo" "$TMP/stty" &&
    pass "q: the terminal is sane again" || fail "q: stty: $(head -c 200 "$TMP/stty" 2>/dev/null)"
check "q: the -w file holds every packet (capinfos)" "$ndemo" \
    "$(capinfos -c -M "$TMP/tui.pcapng" 2>/dev/null | sed -n 's/^Number of packets: *//p')"
same_frames "q: the -w file holds the demo's frames" "$TMP/demo.frames" "$TMP/tui.pcapng"

# The terminal goes away (an SSH session dropping): SIGHUP, and the evidence is still whole.
stop
n=$((n + 1))
rm -f "$TMP/exit"
tm -f /dev/null new-session -d -s $S -x 80 -y 24 "ip netns exec $NS_RX env TERM=\${TERM:-screen} \
$IOTSCOPE -i $VETH_RX -w $TMP/hup.pcapng; echo \$? >$TMP/exit"
i=0
while [ ! -e "$TMP/hup.pcapng" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
# The pane's shell runs ip netns exec, which becomes iotscope.
pane=$(tm list-panes -t $S -F '#{pane_pid}')
pid=$(cat /proc/"$pane"/task/*/children 2>/dev/null | cut -d' ' -f1)
[ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm)" = iotscope ] ||
    fail "hangup: no iotscope under the pane (pid '$pid')"
replay -M 100 "$TMP/demo.pcap"
has "hangup: the devices are shown" "6 devices"
tm kill-server
i=0
while [ -e /proc/"$pid" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e /proc/"$pid" ] && fail "hangup: the workbench still runs 5 s after its terminal closed" ||
    pass "hangup: the workbench ends with its terminal"
check "hangup: the -w file holds every packet (capinfos)" "$ndemo" \
    "$(capinfos -c -M "$TMP/hup.pcapng" 2>/dev/null | sed -n 's/^Number of packets: *//p')"
same_frames "hangup: the -w file holds the demo's frames" "$TMP/demo.frames" "$TMP/hup.pcapng"

finish
