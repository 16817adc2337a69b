#!/bin/sh
# tui-bench.sh CAPTURE... — the workbench's key latency over each capture (part of make
# bench-scale): in an 80x24 tmux pane, once the capture is loaded, every pane is shown and
# the Devices and Flows lists are sorted by each column in turn; --timing then prints the
# slowest key and every key answered in more than 200 ms.  Skipped without tmux.
set -eu

if ! command -v tmux >/dev/null 2>&1; then
	echo "workbench key latency: skipped (tmux missing)"
	exit 0
fi
TMP=$(mktemp -d)
n=0
trap 'for s in "$TMP"/tmux-*; do tmux -S "$s" kill-server 2>/dev/null || true; done; rm -rf "$TMP"' \
    EXIT INT TERM

for f in "$@"; do
	# A server of its own per capture: the last one's may still be exiting.
	[ $n -gt 0 ] && tmux -S "$sock" kill-server 2>/dev/null || true
	n=$((n + 1))
	sock=$TMP/tmux-$n
	tmux -S "$sock" new-session -d -x 80 -y 24 \
	    "./iotscope --no-sandbox --timing -r $f 2>$TMP/lat; sleep 60"
	# Loaded: the status bar's progress (packets/s, time left) is gone.
	i=0
	while [ $i -lt 1200 ]; do
		sleep 0.5
		tmux -S "$sock" capture-pane -p | grep -q 'packets/s\|left' || break
		i=$((i + 1))
	done
	sleep 2
	for k in 2 s s s s s s s s s s s s 1 s s s s s s s s 3 s s s s 4 5 6 7 8 9 1; do
		tmux -S "$sock" send-keys "$k"
		sleep 1.2
	done
	tmux -S "$sock" send-keys q
	i=0
	while [ $i -lt 100 ] && ! grep -q 'key latency' "$TMP/lat" 2>/dev/null; do
		sleep 0.2
		i=$((i + 1))
	done
	echo "workbench over $f:"
	sed 's/^iotscope: /  /' "$TMP/lat"
done
