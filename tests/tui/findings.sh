#!/usr/bin/env bash
# findings.sh — the Findings and Search panes through tmux: the demo's planted leaks listed
# with their devices, filtering, Enter opening the payload viewer at the value highlighted,
# a search over every flow and n in the viewer, the FIND counts, the grouping of a password
# guessing run, and a value carrying escape sequences shown escaped.
. "$TESTLIB"
need tmux tmux

. "$(dirname "$0")/tmux.sh"
"$GEN" demo -o "$TMP/demo.pcap" || { fail "generator"; finish; }

start 160 48
keys 9
has "pane 9: the Findings title" "Findings of all devices:"
has "the camera's Basic password" "cam-pass-1234"
has "with its user" "admin"
has "the hub's MQTT password" "mqtt-secret-99"
has "the AWS key id" "AKIAIOSFODNN7DEMOKEY"
has "the scale's weight" "72.5"
has "the speaker URL's serial" "SN4F7A21B9C3"
has "severity column" "high"
keys / mqtt Enter
has "filter: the MQTT rows stay" "mqtt-client-id"
hasnt "filter: the Basic row is gone" "cam-pass-1234"
has "filter shown" "filter: mqtt"
keys Escape
has "Esc clears the filter" "cam-pass-1234"
keys / http-basic Enter
keys Enter
has "Enter: the viewer at the camera's request" "Flow 9 TCP 192.168.1.20"
has "the value found" "match 1 of 1"
if screen_e | grep -q $'\e\\[[0-9;]*43m'; then pass "the value is highlighted"; else
	fail "no highlight: $(screen_e | grep -m1 Basic | cat -v)"; fi
keys Escape
keys Escape
has "Esc: back to the findings" "Findings of all devices"
keys Escape
has "Esc: the filter cleared" "mqtt-secret-99"

# The device's own findings when a device is selected; the FIND column.
keys 1
keys / scale Enter
keys Down
keys 9
has "the scale's findings only" "Findings of the selected device"
has "its sex field" "female"
hasnt "not the camera's" "cam-pass-1234"

# Search everywhere.
keys 1 Up Escape
keys 0
has "pane 0: the Search title" "Search every flow's payload"
keys / 'alice' Enter
has "three flows carry alice" "3 matches in 3 of"
keys Enter
has "Enter: the viewer at the first match" "match 1 of 1"
keys 0 / '(' Enter
has "a bad expression says why" "missing closing parenthesis"

# A guessing run: hundreds of failed FTP logins grouped into one row.
if [ -n "${SHARED_PCAPS:-}" ] && [ -f "$SHARED_PCAPS/hostile/ftp-bruteforce.pcap" ]; then
	CAPTURE=$SHARED_PCAPS/hostile/ftp-bruteforce.pcap start 160 48
	wait_for "packets" 20
	keys 9
	has "grouped: the rest in one row" "more values"
	has "rejected logins" "rejected"
	CAPTURE=
else
	skip "guessing run: ../shared/pcaps not found"
fi

# A finding whose value carries terminal escapes is drawn escaped: one UDP datagram
# "password=ESC[2J ESC]0;pwned BEL".
hex="d4c3b2a1020004000000000000000000ffff000001000000"		# pcap header, Ethernet
payload="70617373776f72643d1b5b324a1b5d303b70776e656407"
plen=$((${#payload} / 2))
udp=$(printf '%04x%04x%04x0000' 4000 4001 $((plen + 8)))
ip="4500$(printf '%04x' $((plen + 28)))00010000401100000a0000010a000002"
frame="00112233445502aabbccddee0800${ip}${udp}${payload}"
flen=$((${#frame} / 2))
le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
rec="$(le32 1)00000000$(le32 $flen)$(le32 $flen)"
printf "$(echo "$hex$rec$frame" | sed 's/\(..\)/\\x\1/g')" >"$TMP/esc.pcap"
CAPTURE=$TMP/esc.pcap start 100 30
keys 9
has "escapes: the password value shown escaped" '\x1b[2J\x1b]0;pwned\x07'
has "escapes: the screen was not cleared" "iotscope  1 Dev"
CAPTURE=
keys q
stop
finish
