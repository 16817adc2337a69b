# netns.sh — a veth pair between two network namespaces of their own for the live-capture
# tests (sourced after tests/lib.sh): tcpreplay sends into one end, iotscope captures on the
# other.  No addresses, no routes and IPv6 off, so the kernel adds nothing of its own; a trap
# removes the namespaces, the pair and every process started here, however the script ends.

# Names unique to this run (an interface name has at most 15 characters).
NS_TX=iotscope-tx-$$
NS_RX=iotscope-rx-$$
VETH_TX=iotx$$
VETH_RX=iorx$$
# Processes started in the background, ended by the trap.
bg_pids=

netns_cleanup() {
	for p in $bg_pids; do
		kill -KILL "$p" 2>/dev/null
	done
	# A namespace with a process left in it would outlive `ip netns del`: the pair goes first.
	ip -n "$NS_TX" link del "$VETH_TX" 2>/dev/null
	ip netns del "$NS_TX" 2>/dev/null
	ip netns del "$NS_RX" 2>/dev/null
	rm -rf "$TMP"
}
trap 'netns_cleanup' EXIT
# A signal ends the script through exit, which runs the EXIT trap (sh does not on its own).
trap 'exit 1' INT TERM HUP

# netns_setup: the pair, up; exits 77 (skip) where namespaces or tcpreplay are not to be had.
netns_setup() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: live capture tests need root (network namespaces and a veth pair)"
		exit 77
	fi
	need ip iproute2
	need tcpreplay tcpreplay
	if ! ip netns add "$NS_TX" 2>"$TMP/netns.err"; then
		echo "SKIP: ip netns add is not permitted here: $(head -1 "$TMP/netns.err")"
		exit 77
	fi
	if ! ip netns add "$NS_RX" 2>"$TMP/netns.err" ||
	    ! ip link add "$VETH_TX" netns "$NS_TX" type veth peer name "$VETH_RX" \
	    netns "$NS_RX" 2>"$TMP/netns.err"; then
		echo "SKIP: cannot make a veth pair between namespaces: $(head -1 "$TMP/netns.err")"
		exit 77
	fi
	# IPv6 off before the links come up: no router solicitation, no duplicate address check.
	ip netns exec "$NS_TX" sysctl -qw "net.ipv6.conf.$VETH_TX.disable_ipv6=1" 2>/dev/null
	ip netns exec "$NS_RX" sysctl -qw "net.ipv6.conf.$VETH_RX.disable_ipv6=1" 2>/dev/null
	ip -n "$NS_TX" link set "$VETH_TX" up &&
	ip -n "$NS_RX" link set "$VETH_RX" up || { fail "veth pair up"; finish; }
}

# cap_start WFILE ARGS...: iotscope captures on the receiving end (-i $cap_iface, the veth
# unless set) with -w WFILE and ARGS in the background (standard output in $TMP/cap.out, errors
# in $TMP/cap.err); returns once it listens (the -w file is created after the interface is
# open and filtered), 1 if it never does.
cap_start() {
	cap_w=$1
	shift
	rm -f "$cap_w"
	ip netns exec "$NS_RX" "$IOTSCOPE" -i "${cap_iface:-$VETH_RX}" -w "$cap_w" "$@" \
	    >"$TMP/cap.out" 2>"$TMP/cap.err" &
	cap_pid=$!
	bg_pids="$bg_pids $cap_pid"
	i=0
	while [ ! -e "$cap_w" ]; do
		if ! kill -0 "$cap_pid" 2>/dev/null || [ $i -ge 100 ]; then
			fail "iotscope -i $* starts: $(head -c 300 "$TMP/cap.err")"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# cap_wait SECONDS: waits for the capture to end and sets cap_rc to its exit status; past
# SECONDS it is killed (cap_rc 124).
cap_wait() {
	i=0
	while kill -0 "$cap_pid" 2>/dev/null && [ $i -lt $(($1 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$cap_pid" 2>/dev/null; then
		kill -KILL "$cap_pid" 2>/dev/null
		wait "$cap_pid" 2>/dev/null
		cap_rc=124
		return 1
	fi
	wait "$cap_pid"
	cap_rc=$?
	return 0
}

# replay ARGS FILES...: tcpreplay into the sending end (ARGS: its rate, -M 100 or
# --topspeed); fails unless every packet went out.  One CPU, so the kernel queues them in order.
replay() {
	pin=
	command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
	ip netns exec "$NS_TX" $pin tcpreplay -i "$VETH_TX" "$@" >"$TMP/replay.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q "Failed packets: *0$" "$TMP/replay.out"; then
		fail "tcpreplay $*: $(grep -i -m3 'fail\|error' "$TMP/replay.out" | tr '\n' ' ')"
		return 1
	fi
	return 0
}

# frames FILE: one line a packet, its captured bytes in hex (timestamps left out).
frames() {
	tcpdump -r "$1" -nn -t -xx 2>/dev/null | awk '
		/^\t0x0000:/ { if (n++) print s; s = "" }
		/^\t0x[0-9a-f]+:/ { sub(/^\t0x[0-9a-f]+: +/, ""); gsub(/ /, ""); s = s $0 }
		END { if (n) print s }'
}

# same_frames DESC EXPECTED-FRAMES FILE: FILE holds exactly those frames, in that order.
same_frames() {
	frames "$3" >"$TMP/got.frames"
	if cmp -s "$2" "$TMP/got.frames"; then
		pass "$1 ($(wc -l <"$2") packets, byte for byte)"
	else
		fail "$1: $(wc -l <"$TMP/got.frames") packets, expected $(wc -l <"$2"); first \
difference at packet $(cmp "$2" "$TMP/got.frames" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')"
	fi
}
