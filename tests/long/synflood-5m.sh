#!/bin/sh
# synflood-5m.sh — `make check-long`: five million distinct TCP SYN flows read with
# --report json --max-memory 256M: peak RSS under 288 MB, well under three minutes, every
# device's packets and bytes as the generator wrote them, one warning counting the folded
# flows.  Too slow for every `make check` (tests/e2e/maxmem.sh is its small twin there).
. "$TESTLIB"
need jq jq

"$GEN" synflood --flows 5000000 -o "$TMP/flood.pcap" --truth "$TMP/flood.truth" ||
	{ fail "generator writes five million flows"; finish; }
t0=$(date +%s.%N)
"$IOTSCOPE" -r "$TMP/flood.pcap" --report json --max-memory 256M --profile \
	-o "$TMP/r.json" 2>"$TMP/err"
rc=$?
t1=$(date +%s.%N)
check "exit 0" 0 "$rc"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
awk -v s="$secs" 'BEGIN { exit !(s < 180) }' && pass "whole run in $secs s (under 180)" ||
	fail "whole run took $secs s"
rm -f "$TMP/flood.pcap"
# The flows table of the flows still held is hundreds of MB of JSON: dropped before jq.
awk '/^  "flows": \[/ { skip = 1; print "  \"flows\": [],"; next }
	skip && /^  \],?$/ { skip = 0; next }
	!skip' "$TMP/r.json" >"$TMP/s.json"
rm -f "$TMP/r.json"
rss=$(jq .profile.maxrss_kb "$TMP/s.json")
if ldd "$IOTSCOPE" 2>/dev/null | grep -q libasan; then
	skip "peak RSS under AddressSanitizer says nothing of the limit ($rss kB)"
else
	[ "$rss" -lt $((288 * 1024)) ] && pass "peak RSS $((rss / 1024)) MB (under 288)" ||
		fail "peak RSS $((rss / 1024)) MB"
fi
check "every flow counted" 5000000 "$(jq .capture.flows "$TMP/s.json")"
folded=$(jq .capture.flows_folded "$TMP/s.json")
[ "$folded" -gt 4000000 ] && pass "$folded flows folded" || fail "flows folded: $folded"
n=$(jq "[.warnings[] | select(.message | test(\"^$folded flows folded into their\"))] | length" \
	"$TMP/s.json")
check "one warning counts them" 1 "$n"
jq -r '.devices[] | "\(.mac) \(.packets_sent) \(.bytes_sent) \(.packets_received)" +
	" \(.bytes_received)"' "$TMP/s.json" >"$TMP/got"
while IFS='	' read -r kind mac ip ps bs pr br; do
	[ "$kind" = device ] || continue
	mac=${mac#mac=}
	check "device $mac (${ip#ip=}): packets and bytes as generated" \
	    "${ps#*=} ${bs#*=} ${pr#*=} ${br#*=}" "$(grep "^$mac " "$TMP/got" | cut -d' ' -f2-)"
done <"$TMP/flood.truth"
check "destinations: every packet" \
	"$(sed -n 's/^count.*packets=\([0-9]*\).*/\1/p' "$TMP/flood.truth")" \
	"$(jq '[.destinations[] | .packets_out + .packets_in] | add' "$TMP/s.json")"
check "overview: every packet" \
	"$(sed -n 's/^count.*packets=\([0-9]*\).*/\1/p' "$TMP/flood.truth")" \
	"$(jq .overview.packets "$TMP/s.json")"
check "overview: every byte" \
	"$(sed -n 's/^count.*wire_bytes=\([0-9]*\).*/\1/p' "$TMP/flood.truth")" \
	"$(jq .capture.wire_bytes "$TMP/s.json")"
echo "# five million SYN flows: $secs s, peak RSS $((rss / 1024)) MB, $folded folded"
finish
