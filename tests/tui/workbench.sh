#!/usr/bin/env bash
# workbench.sh — the workbench driven through tmux as a user would: fixed-size sessions,
# send-keys, capture-pane.  Covers the first screen at 80x24 and 160x48, drilling down to the
# payload, regex search and n, filtering, sorting, resizing, help, NO_COLOR, a too-small
# terminal, escape sequences inside packets, several TERM values, quitting to a sane terminal.
. "$TESTLIB"
need tmux tmux
need stty coreutils

. "$(dirname "$0")/tmux.sh"
"$GEN" demo -o "$TMP/demo.pcap" || { fail "generator"; finish; }

# First screen at 80x24: one pane, a tab bar, the devices, the counts.
start 80 24
has "80x24: tab bar" "1 Devices"
has "80x24: all-devices row" "(all devices)"
for d in cam-livingroom plug-kitchen scale-bathroom hub-hall pixel-phone; do
	has "80x24: device $d listed" "$d"
done
has "80x24: counts in the status bar" "321 packets, 35 flows, 6 devices"
hasnt "80x24: one pane at a time" "Flows of all devices"
lines=$(screen | wc -l)
check "80x24: the screen is 24 lines" 24 "$lines"

# Filter, sort, drill down to the camera's flows and into its HTTP request.
keys / cam Enter
has "filter: the camera stays" "cam-livingroom"
hasnt "filter: the plug is gone" "plug-kitchen"
has "filter: shown in the status bar" "filter: cam"
keys Enter
has "Enter: the camera's flows (its DHCP from 0.0.0.0 included)" "Flows of cam-livingroom: 10"
keys / 3.121.45.16 Enter
has "flow filter" "3.121.45.16:80"
keys Enter
has "Enter: payload viewer, hex" "47 45 54 20 2f 61 70 69"
keys x
has "x: text view shows the HTTP request" "GET /api/v1/snapshot HTTP/1.1"
has "text view: the Basic header" "Authorization: Basic YWRtaW46Y2FtLXBhc3MtMTIzNA=="
keys / 'Basic [A-Za-z0-9=]+' Enter
has "regex: one match" "match 1 of 1"
if screen_e | grep -q $'\e\\[[0-9;]*43m'; then pass "regex: the match is highlighted"; else
	fail "regex: no highlight in $(screen_e | grep -m1 Basic | cat -v)"; fi
keys / HTTP Enter
has "regex: several matches" "match 1 of 2"
keys n
has "n: next match" "match 2 of 2"
keys N
has "N: previous match" "match 1 of 2"
keys / '(unclosed' Enter
has "bad regex: PCRE2's message and offset" "bad regular expression at offset 9"
keys Escape Escape Escape
keys 1
keys Escape
keys s
has "s: sorted by the next column" "VENDOR"
keys '?'
has "help: every key" "q, F10"
has "help: grouped by pane" "Payload"
keys Escape
hasnt "help: any key returns" "q, F10"

# Resizing: wider shows two panes, smaller than 80x24 says so, back again works.
tm resize-window -t $S -x 160 -y 48
sleep 0.4
has "resize to 160x48: flows beside devices" "Flows of"
tm resize-window -t $S -x 60 -y 20
sleep 0.4
has "resize to 60x20: says how large it must be" "needs at least 80x24"
tm resize-window -t $S -x 80 -y 24
sleep 0.4
has "resize back to 80x24" "(all devices)"
keys q
sleep 0.5
if grep -q -- "-icanon" "$TMP/stty" 2>/dev/null || ! grep -q "echo" "$TMP/stty" 2>/dev/null; then
	fail "q: terminal left raw: $(head -c 300 "$TMP/stty" 2>/dev/null)"
else
	grep -q -- " icanon" "$TMP/stty" && grep -q -- " echo" "$TMP/stty" &&
		pass "q: the terminal is sane again (icanon, echo)" ||
		fail "q: stty says $(grep -o 'icanon\|echo' "$TMP/stty" | tr '\n' ' ')"
fi

# 160x48: devices on the left, flows on the right.
start 160 48
has "160x48: flows pane beside the devices" "Flows of all devices: 35"
has "160x48: device list too" "hub-hall"

# The overview identifies the input by its SHA-256.
keys 7
has "overview: the input's SHA-256" "sha256 $(sha256sum "$TMP/demo.pcap" | cut -d' ' -f1)"
keys 1

# Entropy heatmap: rows for the demo's flows, lowest entropy first, coloured, with a legend.
keys 5
has "heatmap: one row per flow" "Entropy heatmap: 35 flows, 1 KiB windows"
has "heatmap: the legend's scale" "8 bits/byte"
has "heatmap: a TLS flow's row" "TLS      app.phonevendor"
low=$(screen | grep -n "DHCP     " | head -1 | cut -d: -f1)
high=$(screen | grep -n "TLS      app.phonevendor" | cut -d: -f1)
[ -n "$low" ] && [ -n "$high" ] && [ "$low" -lt "$high" ] &&
	pass "heatmap: sorted lowest entropy first" || fail "heatmap: order: DHCP at '$low', TLS at '$high'"
# The TLS row's cells are drawn in the colour of the top level (a background colour).
if screen_e | grep "app.phonevendor" | grep -qE $'\e\\[([0-9]+;)*4[1-7]m +'; then
	pass "heatmap: cells in colour"
else
	fail "heatmap: no coloured cells: $(screen_e | grep -m1 app.phonevendor | cat -v)"
fi
keys G l l l Enter
has "heatmap Enter: the payload viewer on that flow" "Flow 27 TCP"
hasnt "heatmap Enter: opened at the window, not the start" "00000000  16 03 01"
keys 5 d
has "heatmap d: one row per device" "Entropy heatmap: 6 devices"
keys G l Enter
has "heatmap d, Enter: the payload the device's window starts in" "turns  [hex"
keys 5 d t
has "heatmap t: time slices (of the device chosen)" "flows, time slices"

# Channels, as the paper's Table 3; c marks the phone that runs the vendor's app.
keys 6
has "channels: the table" "Channels per device"
has "channels: the camera's cloud channel" "device-to-cloud"
keys G c
has "channels c: the phone is marked" "pixel-phone (app)"
has "channels c: its cloud flows are app-to-cloud" "app-to-cloud"

# Countries: without a database it says how to add one; Enter lists the flows there.
keys 8
has "countries: says how to add a database" "no country database (make geoip"
has "countries: the unknown country's bar" "unknown"
keys Enter
has "countries Enter: the flows there" "in no known country"
keys Escape 3
has "destinations: country and owner columns" "CC    OWNER"

# With the fixture databases: countries, bars, owners, and Enter on a country.
if perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null &&
    perl "$(dirname "$0")/../geo/make-fixtures.pl" "$TMP/geo" >/dev/null 2>&1; then
	start 200 40 IOTSCOPE_GEOIP=$TMP/geo
	keys 8
	has "countries: the count and devices in several" "Countries: 3; 2 of 5 devices reach more than one"
	has "countries: a row with its name" "United States"
	has "countries: a disagreement marked" "DE*"
	bar=$(screen | grep -E 'US\*? +United States' | grep -oE '(█|#)+' | head -1)
	[ -n "$bar" ] && pass "countries: a bar of bytes" || fail "countries: no bar: $(screen | grep 'United States')"
	keys Enter
	has "countries Enter: every device's flows there" "Flows of all devices: 8 in US (United States)"
	keys 3
	has "destinations: owner from the ASN database" "AS15169 Google LLC"
	has "destinations: every answer where the databases disagree" "DE/CN"
	keys 7 G
	has "overview: the databases and their build dates" "GeoLite2-Country"
else
	skip "countries with databases: perl MaxMind::DB::Writer missing"
fi

# Under NO_COLOR the heatmap draws shades instead of colours.
start 160 48 NO_COLOR=1
keys 5
has "heatmap NO_COLOR: rows" "TLS      app.phonevendor"
if screen | grep "app.phonevendor" | grep -qE '(█|#){8}'; then
	pass "heatmap NO_COLOR: full shade for encrypted windows"
else
	fail "heatmap NO_COLOR: no shades: $(screen | grep -m1 app.phonevendor)"
fi
if screen | grep -F "bits/byte" | grep -qE '(░|-)'; then pass "heatmap NO_COLOR: legend in shades"
else fail "heatmap NO_COLOR: legend: $(screen | grep -m1 bits/byte)"; fi

# Too small from the start.
start 70 20
has "70x20: says how large it must be" "needs at least 80x24"
keys q

# NO_COLOR: no colour codes, the selection still shows (reverse video).
start 80 24 NO_COLOR=1
if screen_e | grep -q $'\e\\[3[0-7]m\|\e\\[4[0-7]m'; then
	fail "NO_COLOR: colour codes present"
else
	pass "NO_COLOR: no colour"
fi
# tmux may combine attributes in one sequence (ESC [ 1 ; 7 m): look for a 7 parameter.
screen_e | grep -qE $'\e\\[([0-9]+;)*7(;[0-9]+)*m' && pass "NO_COLOR: selection in reverse video" ||
	fail "NO_COLOR: no reverse video: $(screen_e | head -3 | cat -v)"

# Terminal types.
for term in xterm xterm-256color screen tmux-256color linux vt100; do
	if infocmp "$term" >/dev/null 2>&1; then
		start 80 24 TERM=$term
		has "TERM=$term: first screen" "(all devices)"
	else
		skip "TERM=$term: no terminfo entry (Debian package ncurses-term)"
	fi
done

# Escape sequences inside a packet are shown escaped, never executed.
hex="d4c3b2a1020004000000000000000000ffff000001000000"		# pcap header, Ethernet
payload="1b5b324a1b5d303b70776e6564071b5b33316dbd7bb07ee280ae4f4b0a"
plen=$((${#payload} / 2))
udp=$(printf '%04x%04x%04x0000' 4000 4001 $((plen + 8)))
ip=$(printf '45000000%04x0001000040110000c0a8010ac0a80114' $((plen + 28)))
ip="4500$(printf '%04x' $((plen + 28)))00010000401100000a0000010a000002"
frame="00112233445502aabbccddee0800${ip}${udp}${payload}"
flen=$((${#frame} / 2))
rec=$(printf '%08x' 1 | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
rec="${rec}00000000$(printf '%08x' $flen | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')"
rec="${rec}$(printf '%08x' $flen | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')"
printf "$(echo "$hex$rec$frame" | sed 's/\(..\)/\\x\1/g')" >"$TMP/esc.pcap"
stop
n=$((n + 1))
tm -f /dev/null new-session -d -s $S -x 100 -y 30 "$IOTSCOPE -r $TMP/esc.pcap; sleep 30"
wait_for "packets" 10
keys 2 Enter x
has "escapes: ESC [ 2 J shown as text" '\x1b[2J'
has "escapes: OSC and BEL shown as text" '\x1b]0;pwned\x07'
has "escapes: invalid UTF-8 shown as bytes" '\xbd'
has "escapes: the bidi override shown escaped" '\u202e'
has "escapes: the screen was not cleared" "iotscope  1 Dev"
keys q
stop
finish
