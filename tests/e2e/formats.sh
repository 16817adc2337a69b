#!/bin/sh
# formats.sh — one capture written as pcap (micro/nanosecond, either byte order), pcapng,
# pcapng with interfaces of different link types, gzip-compressed, cut by a snap length, and
# split into two files read as one timeline: the same flows every time.
. "$TESTLIB"
need jq jq

# convs JSON: "proto a b packets bytes" per TCP/UDP flow, sorted.
convs() {
	jq -r '.flows[] | select(.transport == "TCP" or .transport == "UDP") |
		"\(.transport) \(.a_ip)/\(.a_port) \(.b_ip)/\(.b_port) \(.packets) \(.bytes)"' "$1" | sort
}
run() {
	"$IOTSCOPE" -q "$@" --report json
}

"$GEN" demo -o "$TMP/base.pcap"
run -r "$TMP/base.pcap" >"$TMP/base.json"
convs "$TMP/base.json" >"$TMP/base.convs"
[ -s "$TMP/base.convs" ] && pass "baseline has conversations" || fail "baseline empty"

for fmt in pcap-ns pcap-be pcapng; do
	"$GEN" demo --format "$fmt" -o "$TMP/f.$fmt"
	run -r "$TMP/f.$fmt" >"$TMP/f.json"
	convs "$TMP/f.json" >"$TMP/f.convs"
	cmp -s "$TMP/base.convs" "$TMP/f.convs" && pass "$fmt: same conversations as pcap" ||
		fail "$fmt: conversations differ: $(diff "$TMP/base.convs" "$TMP/f.convs" | head -4)"
	check "$fmt: same first packet time" "$(jq -r .capture.first "$TMP/base.json")" \
		"$(jq -r .capture.first "$TMP/f.json")"
	gzip -c "$TMP/f.$fmt" >"$TMP/f.$fmt.gz"
	run -r "$TMP/f.$fmt.gz" >"$TMP/g.json"
	check "$fmt.gz: gzip read transparently" "$(convs "$TMP/f.json" | md5sum)" \
		"$(convs "$TMP/g.json" | md5sum)"
done
"$GEN" demo --format pcap-be -o "$TMP/be.pcap"
check "pcap-be: big-endian noted" "true" "$(run -r "$TMP/be.pcap" | jq .inputs[0].big_endian)"
check "pcap-ns: format named" "pcap-ns" "$(run -r "$TMP/f.pcap-ns" | jq -r .inputs[0].format)"

# Interfaces with different link types in one pcapng (libpcap alone refuses this).
"$GEN" demo --format pcapng-mixed -o "$TMP/mixed.pcapng"
run -r "$TMP/mixed.pcapng" >"$TMP/mixed.json"
check "pcapng-mixed: both link types" "EN10MB,RAW" \
	"$(jq -r '[.linktypes[].name] | sort | join(",")' "$TMP/mixed.json")"
check "pcapng-mixed: every packet" "$(jq .capture.packets "$TMP/base.json")" \
	"$(jq .capture.packets "$TMP/mixed.json")"
check "pcapng-mixed: same conversations and packet counts" \
	"$(cut -d' ' -f1-4 "$TMP/base.convs" | md5sum)" "$(convs "$TMP/mixed.json" | cut -d' ' -f1-4 | md5sum)"
check "pcapng-mixed: no warnings" "0" "$(jq '.warnings | length' "$TMP/mixed.json")"
cat "$TMP/mixed.pcapng" | run -r - >"$TMP/mixed-stdin.json" 2>/dev/null
check "pcapng-mixed on a pipe: every packet" "$(jq .capture.packets "$TMP/base.json")" \
	"$(jq .capture.packets "$TMP/mixed-stdin.json")"

# A snap length keeps wire lengths and packet counts, and counts the cut packets.
"$GEN" demo --snaplen 96 -o "$TMP/cut.pcap"
run -r "$TMP/cut.pcap" >"$TMP/cut.json"
convs "$TMP/cut.json" >"$TMP/cut.convs"
cmp -s "$TMP/base.convs" "$TMP/cut.convs" && pass "snaplen 96: same packets and wire bytes" ||
	fail "snaplen 96: $(diff "$TMP/base.convs" "$TMP/cut.convs" | head -4)"
want=$(jq '[.flows[]] | length' "$TMP/base.json")
check "snaplen 96: same number of flows" "$want" "$(jq '.flows | length' "$TMP/cut.json")"
n=$(jq .overview.truncated "$TMP/cut.json")
[ "$n" -gt 0 ] && pass "snaplen 96: $n packets counted as truncated" || fail "snaplen 96: none truncated"
check "snaplen 96: nothing malformed" "0" "$(jq .overview.malformed "$TMP/cut.json")"

# Two files, given out of order, are one timeline.
if command -v editcap >/dev/null 2>&1; then
	total=$(jq .capture.packets "$TMP/base.json")
	half=$((total / 2))
	editcap -r "$TMP/base.pcap" "$TMP/part1.pcap" "1-$half" 2>/dev/null
	editcap -r "$TMP/base.pcap" "$TMP/part2.pcap" "$((half + 1))-$total" 2>/dev/null
	run -r "$TMP/part2.pcap" -r "$TMP/part1.pcap" >"$TMP/two.json"
	check "two files: two inputs" "2" "$(jq '.inputs | length' "$TMP/two.json")"
	check "two files: the flows of the whole capture, in time order" \
		"$(jq -c .flows "$TMP/base.json" | md5sum)" "$(jq -c .flows "$TMP/two.json" | md5sum)"
	check "two files: the devices of the whole capture" \
		"$(jq -c .devices "$TMP/base.json" | md5sum)" "$(jq -c .devices "$TMP/two.json" | md5sum)"
else
	skip "editcap not installed (Debian package wireshark-common)"
fi
finish
