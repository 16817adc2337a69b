#!/bin/sh
# maxmem.sh — --max-memory: a flood of 200,000 SYN flows read with a limit small enough to
# fold nearly all of them gives the same devices, destinations, countries, ports, Table 3 and
# overview as without one, equal to the generator's truth, with one warning counting the
# folded flows; payload flows folded keep their histograms and findings; the option's errors.
# (The five-million-flow run with its peak RSS is `make check-long`.)
. "$TESTLIB"
need jq jq

"$GEN" synflood --flows 200000 -o "$TMP/flood.pcap" --truth "$TMP/flood.truth" ||
	{ fail "generator writes the flood"; finish; }

# expect_usage DESC ARG: exit 2 with one line naming the option.
expect_usage() {
	"$IOTSCOPE" -r "$TMP/flood.pcap" --report json --max-memory "$2" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	    grep -q -- "--max-memory needs a size" "$TMP/err"; then
		pass "$1"
	else
		fail "$1: exit $rc, $(head -c 300 "$TMP/err")"
	fi
}
expect_usage "--max-memory 0 is refused" 0
expect_usage "--max-memory with an unknown suffix is refused" 12X
expect_usage "--max-memory without digits is refused" M
expect_usage "--max-memory past 64 bits is refused" 99999999999999999999G

# slim FILE: the report without its flows table (300 MB of JSON for 200,000 flows, too much
# for jq), which the report prints one flow a line; the flows it listed go to FILE.flows.  Then
# FILE.small: the small sections alone, for the many questions below.
slim() {
	awk -v n="$1.flows" '
	/^  "flows": \[/ { skip = 1; k = 0; print "  \"flows\": [],"; next }
	skip && /^  \],?$/ { skip = 0; print k >n; next }
	skip { if ($0 ~ /^    \{/) k++; next }
	{ print }' "$1" >"$1.slim" && mv "$1.slim" "$1"
	jq '{capture, settings, devices, warnings, profile}' "$1" >"$1.small"
}

# Without the option: the default limit (a quarter of the RAM, at least 64 MiB) folds nothing.
"$IOTSCOPE" -r "$TMP/flood.pcap" --report json -o "$TMP/all.json" 2>"$TMP/all.err"
check "without a limit: exit 0" 0 $?
slim "$TMP/all.json"
check "without a limit: nothing folded" 0 "$(jq .capture.flows_folded "$TMP/all.json.small")"
check "without a limit: every flow listed" 200000 "$(cat "$TMP/all.json.flows")"
max=$(jq .settings.max_memory "$TMP/all.json.small")
[ "$max" -ge $((64 << 20)) ] && pass "the default limit is at least 64 MiB ($max)" ||
	fail "default limit $max"

"$IOTSCOPE" -r "$TMP/flood.pcap" --report json --max-memory 64M --profile \
	-o "$TMP/lim.json" 2>"$TMP/lim.err"
check "with --max-memory 64M: exit 0" 0 $?
slim "$TMP/lim.json"
L=$TMP/lim.json.small
check "settings.max_memory says the limit" $((64 << 20)) "$(jq .settings.max_memory "$L")"
folded=$(jq .capture.flows_folded "$L")
held=$(cat "$TMP/lim.json.flows")
[ "$folded" -gt 100000 ] && pass "most flows folded ($folded)" || fail "flows folded: $folded"
check "capture.flows counts held and folded" 200000 "$(jq .capture.flows "$L")"
check "the flows table lists those held" $((200000 - folded)) "$held"
check "per device, folded flows add up" "$folded" "$(jq '[.devices[].flows_folded] | add' "$L")"
# One warning, its figure the count; on stderr once.
n=$(jq "[.warnings[] | select(.message | test(\"^$folded flows folded into their\"))] | length" \
	"$L")
check "one warning counts the folded flows" 1 "$n"
check "it says so once on stderr" 1 "$(grep -c "flows folded into their" "$TMP/lim.err")"

# Sets of words whose order follows the order flows were met in: compared as sets; services:
# a destination keeps the first four seen, which depends on that order too: counted.
words='split(", ") | sort'
# Each section the same with and without the limit: DESCRIPTION<TAB>FILTER, one jq run a file.
cat >"$TMP/sections" <<END
overview identical	.overview
capture totals identical	.capture | del(.flows_folded)
devices identical	[.devices[] | del(.flows_folded) | .protocols |= (. // "" | $words)]
destinations identical (each, packets and bytes each way, flows)	[.destinations[] | .protocols |= (. // "" | $words) | .services |= length] | sort_by(.device, .ip)
countries identical	.countries
organisations identical	.organisations
device x country identical	.device_countries
server ports identical	[.ports[] | .protocols |= (. // "" | $words)] | sort_by(.port, .transport)
Table 3 identical	[.table3[] | .protocols |= (. // "" | $words)]
geolocation summary identical	.geo_summary
END
prog=$(cut -f2 "$TMP/sections" | sed 's/^/(/; s/$/)/' | paste -sd, -)
jq -cS "$prog" "$TMP/all.json" | awk -v p="$TMP/all.sec" '{ print >(p "." NR) }'
jq -cS "$prog" "$TMP/lim.json" | awk -v p="$TMP/lim.sec" '{ print >(p "." NR) }'
i=0
while IFS='	' read -r desc filter; do
	i=$((i + 1))
	if [ -s "$TMP/all.sec.$i" ] && cmp -s "$TMP/all.sec.$i" "$TMP/lim.sec.$i"; then
		pass "$desc"
	else
		fail "$desc: $(cmp "$TMP/all.sec.$i" "$TMP/lim.sec.$i" 2>&1 | head -1)"
	fi
done <"$TMP/sections"

# And both equal to what the generator wrote.
jq -r '.devices[] | "\(.mac) \(.packets_sent) \(.bytes_sent) \(.packets_received)" +
	" \(.bytes_received)"' "$L" >"$TMP/got"
while IFS='	' read -r kind mac ip ps bs pr br; do
	[ "$kind" = device ] || continue
	mac=${mac#mac=}
	check "device $mac (${ip#ip=}): packets and bytes as generated" \
	    "${ps#*=} ${bs#*=} ${pr#*=} ${br#*=}" "$(grep "^$mac " "$TMP/got" | cut -d' ' -f2-)"
done <"$TMP/flood.truth"
check "destinations: every packet" \
	"$(sed -n 's/^count.*packets=\([0-9]*\).*/\1/p' "$TMP/flood.truth")" \
	"$(jq '[.destinations[] | .packets_out + .packets_in] | add' "$TMP/lim.json")"

# The limit held: the peak resident size (a sanitizer's shadow memory is not the program's).
if ldd "$IOTSCOPE" 2>/dev/null | grep -q libasan; then
	skip "peak RSS under AddressSanitizer says nothing of the limit"
else
	rss=$(jq .profile.maxrss_kb "$L")
	[ "$rss" -le $((64 * 1024)) ] && pass "peak RSS ${rss} kB within 64 MiB" ||
		fail "peak RSS ${rss} kB with --max-memory 64M"
fi

# same DESC JQ-FILTER: the filter's output is identical with and without the limit.
same() {
	jq -S "$2" "$TMP/all.json" >"$TMP/a" && jq -S "$2" "$TMP/lim.json" >"$TMP/b" &&
	    cmp -s "$TMP/a" "$TMP/b" && pass "$1" ||
	    fail "$1: $(diff "$TMP/a" "$TMP/b" | head -8 | tr '\n' ' ')"
}

# Payload flows folded (a small benchmark mix, 64 flows held): histograms, verdict bytes and
# findings survive; a folded flow's findings keep their endpoints and say flow null.  (Flow
# counts and verdicts may differ: a folded flow that sends again is counted as a new one.)
"$GEN" bench --size 8M --flows 600 -o "$TMP/mix.pcap" || fail "generator writes the mix"
"$IOTSCOPE" -q -r "$TMP/mix.pcap" --report json -o "$TMP/all.json"
"$IOTSCOPE" -q -r "$TMP/mix.pcap" --report json --max-memory 1M -o "$TMP/lim.json"
[ "$(jq .capture.flows_folded "$TMP/lim.json")" -gt 400 ] && pass "the mix: most flows folded" ||
	fail "the mix: $(jq .capture.flows_folded "$TMP/lim.json") folded"
n=$(jq '[.warnings[] | select(.message | test("leaves no room for flows"))] | length' \
	"$TMP/lim.json")
check "a limit below what iotscope needs to start is said" 1 "$n"
same "the mix: devices' packets, bytes and entropy figures identical" \
	'[.devices[] | {packets_sent, packets_received, bytes_sent, bytes_received, payload_sent,
	  payload_received, sent_entropy, received_entropy, both_entropy, sent_chisq, both_mean}]'
same "the mix: destinations' packets and bytes identical" \
	'[.destinations[] | {device, ip, packets_out, packets_in, bytes_out, bytes_in, first,
	  last}] | sort_by(.device, .ip)'
same "the mix: Table 3 payload and entropy identical" \
	'[.table3[] | {device, channel, payload, entropy}]'
# (a flow folded and sending again is a new flow: its findings then count from its new start)
same "the mix: every finding, with its endpoints and device" \
	'[.findings[] | {type, value, user, src, dst, device}] | unique'
same "the mix: every occurrence of a finding" '[.findings[].count] | add'
same "the mix: findings per device" '[.devices[].findings]'
n=$(jq '[.findings[] | select(.flow == null and .src != null and .dst != null)] | length' \
	"$TMP/lim.json")
[ "$n" -gt 0 ] && pass "folded flows' findings: flow null, endpoints kept ($n)" ||
	fail "no finding of a folded flow kept its endpoints"

# The text and CSV reports say it too.
folded=$(jq .capture.flows_folded "$TMP/lim.json")
"$IOTSCOPE" -q -r "$TMP/mix.pcap" --report text --max-memory 1M -o "$TMP/lim.txt"
grep -q "flows ($folded folded)" "$TMP/lim.txt" && pass "text: the capture line counts them" ||
	fail "text: $(grep -m1 "flows" "$TMP/lim.txt")"
grep -q "and $folded flows folded into" "$TMP/lim.txt" && pass "text: under the flows table" ||
	fail "text: no line under the flows table"
"$IOTSCOPE" -q -r "$TMP/mix.pcap" --report csv --max-memory 1M -o "$TMP/csv"
check "csv: the flows table lists those held" \
	$(($(jq .capture.flows "$TMP/lim.json") - folded + 1)) "$(wc -l <"$TMP/csv/flows.csv")"
head -1 "$TMP/csv/devices.csv" | grep -q flows_folded && pass "csv: devices.csv has flows_folded" ||
	fail "csv: devices.csv header $(head -1 "$TMP/csv/devices.csv")"
finish
