# tmux.sh — driving the workbench through tmux for the tests in tests/tui: private servers,
# fixed-size sessions, keys, screen captures and the checks on them.  Sourced after tests/lib.sh.
export TMUX_TMPDIR="$TMP"	# private tmux servers, away from any the user runs
S=iotscope-test
n=0
# Each session gets a server of its own: killing one and starting the next at once races.
tm() { tmux -L "iot$n" "$@"; }

# start W H [ENV...] : runs iotscope on $CAPTURE (default: the demo) in a fresh session of that
# size; $ARGS are more options.
start() {
	local w=$1 h=$2
	shift 2
	tm kill-server 2>/dev/null
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

