#!/usr/bin/env bash
# hangup.sh — the workbench ends when its terminal goes away (an SSH session dropped, tmux
# killed), whatever it is doing: loading a capture, idle, in the payload viewer, searching
# every flow, in the help.  A workbench left running on a terminal that no longer exists
# would read and draw into nothing for ever.
. "$TESTLIB"
need tmux tmux

. "$(dirname "$0")/tmux.sh"
# The leak check of a sanitizer build can hang at exit under the sandbox (see stop in
# tmux.sh): here it is the workbench's own exit that is measured.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

"$GEN" demo -o "$TMP/demo.pcap" || { fail "generator"; finish; }
# Long enough to load that the terminal closes while it loads (seconds even unsanitized).
"$GEN" synflood --flows 400000 -o "$TMP/flood.pcap" || { fail "generator"; finish; }

# hangup DESC CAPTURE [KEYS...]: start on CAPTURE at 80x24, send KEYS, close the terminal;
# the workbench must be gone within 5 s.
hangup() {
	local desc=$1 cap=$2 pane pid i=0
	shift 2
	stop
	n=$((n + 1))
	tm -f /dev/null new-session -d -s $S -x 80 -y 24 \
		"exec env TERM=\${TERM:-screen} $IOTSCOPE -r $cap"
	wait_for "packets" 10
	pane=$(tm list-panes -t $S -F '#{pane_pid}')
	pid=$pane
	if [ "$(cat /proc/"$pid"/comm 2>/dev/null)" != iotscope ]; then
		fail "$desc: no iotscope in the pane (pid '$pid')"
		return
	fi
	for k in "$@"; do
		tm send-keys -t $S "$k"
		sleep 0.2
	done
	tm kill-server
	while [ -e /proc/"$pid" ] && [ "$(cut -d' ' -f3 /proc/"$pid"/stat 2>/dev/null)" != Z ] &&
	    [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -e /proc/"$pid" ] && [ "$(cut -d' ' -f3 /proc/"$pid"/stat 2>/dev/null)" != Z ]; then
		fail "$desc: the workbench still runs 5 s after its terminal closed
$(cat /proc/"$pid"/status 2>/dev/null | grep -E '^(State|Threads)')"
		kill -KILL "$pid" 2>/dev/null
	else
		pass "$desc: the workbench ends with its terminal"
	fi
}

hangup "while loading" "$TMP/flood.pcap"
hangup "idle on the devices" "$TMP/demo.pcap"
hangup "in the payload viewer" "$TMP/demo.pcap" 2 Enter
hangup "in the help" "$TMP/demo.pcap" '?'
hangup "while a search of every flow runs" "$TMP/flood.pcap" 0 / 'x{1,3}y' Enter
hangup "in a filter prompt" "$TMP/demo.pcap" 1 /
finish
