#!/usr/bin/env bash
# hostile.sh — the evil capture (ESC [ 2 J, OSC 0/2/52, C1 CSI, invalid UTF-8, U+202E and long
# values in DHCP, DNS, TLS, HTTP, mDNS and SSDP) through every pane of the workbench in tmux:
# the terminal's title stays, nothing reaches the clipboard (OSC 52 is honoured by this
# server: set-clipboard on), the screen is never cleared, and the workbench still answers.
. "$TESTLIB"
need tmux tmux

. "$(dirname "$0")/tmux.sh"
"$GEN" evil -o "$TMP/evil.pcap" >/dev/null || { fail "generator"; finish; }

CAPTURE=$TMP/evil.pcap start 80 24
tm set-option -g set-clipboard on
tm select-pane -t $S -T untouched
title() { tm display-message -p -t $S '#{pane_title}'; }
check "title set for the test" "untouched" "$(title)"
# Every pane, its rows walked and its wide columns scrolled into view.
for p in 1 2 3 4 5 6 7 8 9; do
	keys "$p"
	keys j j j End Home
	keys Enter
	keys Escape
done
keys '?'
keys Escape
keys 1
has "the workbench still draws its tab bar" "iotscope"
check "the terminal title is unchanged" "untouched" "$(title)"
check "nothing written to the clipboard (no paste buffer)" "" "$(tm list-buffers 2>/dev/null)"
keys 3
has "the Destinations pane shows the hostile names" "Destinations"
if screen | grep -qP '\x1b|\xc2\x9b|\x9b'; then
	fail "a raw ESC or C1 CSI on the screen"
else
	pass "no raw ESC or C1 CSI on the screen"
fi
check "the terminal title is still unchanged" "untouched" "$(title)"
check "still nothing in the clipboard" "" "$(tm list-buffers 2>/dev/null)"
stop
finish
