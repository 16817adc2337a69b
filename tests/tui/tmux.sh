# tmux.sh — driving the workbench through tmux for the tests in tests/tui: private servers,
# fixed-size sessions, keys, screen captures and the checks on them.  Sourced after tests/lib.sh.
export TMUX_TMPDIR="$TMP"	# private tmux servers, away from any the user runs
S=iotscope-test
n=0
# Each session gets a server of its own: killing one and starting the next at once races.
tm() { tmux -L "iot$n" "$@"; }

# session_pids SID: the processes of that session (field 6 of /proc/PID/stat), without procps.
session_pids() {
	local f line
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		line=${line##*) }
		set -- $line
		if [ "$4" = "$sid_want" ]; then
			f=${f#/proc/}
			echo "${f%/stat}"
		fi
	done
}
# stop: ends the current server and everything its pane ran.  The workbench ends with its
# terminal (tests/tui/hangup.sh checks that); a sanitizer build's leak check can then hang
# under the sandbox (StopTheWorld's tracer, google/sanitizers#777) and spin for ever, so
# what is left after 5 s is killed here rather than outliving the suite.
stop() {
	local pane i=0 left
	pane=$(tm list-panes -a -F '#{pane_pid}' 2>/dev/null | head -1)
	tm kill-server 2>/dev/null
	[ -n "$pane" ] || return 0
	sid_want=$pane
	while left=$(session_pids) && [ -n "$left" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$left" ] && kill -KILL $left 2>/dev/null
	return 0
}
trap 'stop; rm -rf "$TMP"' EXIT

# start W H [ENV...] : runs iotscope on $CAPTURE (default: the demo) in a fresh session of that
# size; $ARGS are more options.
start() {
	local w=$1 h=$2
	shift 2
	stop
	n=$((n + 1))
	tm -f /dev/null new-session -d -s $S -x "$w" -y "$h" \
		"env $* TERM=\${TERM:-screen} $IOTSCOPE -r ${CAPTURE:-$TMP/demo.pcap} ${ARGS:-}; stty -a >$TMP/stty; sleep 30"
	wait_for "packets" 10
}
screen() { tm capture-pane -p -t $S; }
screen_e() { tm capture-pane -p -e -t $S; }
keys() { tm send-keys -t $S "$@"; sleep 0.25; }
# wait_for TEXT SECONDS: until the screen shows TEXT.
wait_for() {
	local i=0
	while [ $i -lt $(($2 * 10)) ]; do
		screen 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# has DESC TEXT: the screen shows TEXT within 3 s (slow sanitizer builds on busy machines).
has() {
	if wait_for "$2" 3; then pass "$1"; else fail "$1: '$2' not on screen:
$(screen | head -30)"; fi
}
hasnt() {
	if screen | grep -qF -- "$2"; then fail "$1: '$2' is on screen"; else pass "$1"; fi
}

