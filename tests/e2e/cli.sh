#!/bin/sh
# cli.sh — the command line as users meet it: help, version, usage errors (exit 2), unreadable
# inputs (exit 1, one clear line), standard input, and output options.
. "$TESTLIB"

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator runs"; finish; }

# expect_exit DESC CODE PATTERN-IN-STDERR COMMAND...
expect_exit() {
	desc=$1 code=$2 pat=$3
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		fail "$desc: exit $rc, expected $code ($(head -c 300 "$TMP/err"))"
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$TMP/err"; then
		fail "$desc: stderr lacks '$pat': $(head -c 300 "$TMP/err")"
	elif [ "$code" -ne 0 ] && [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
		fail "$desc: want exactly one line on stderr, got $(wc -l <"$TMP/err")"
	else
		pass "$desc"
	fi
}

expect_exit "-h exits 0" 0 "" "$IOTSCOPE" -h
grep -q -- "--report" "$TMP/out" && pass "-h lists --report" || fail "-h lists --report"
expect_exit "--version exits 0" 0 "" "$IOTSCOPE" --version
grep -q "^iotscope [0-9]" "$TMP/out" && pass "--version prints the version" ||
	fail "--version output: $(cat "$TMP/out")"

expect_exit "no arguments" 2 "no capture given" "$IOTSCOPE"
expect_exit "unknown option" 2 "unknown option '--frobnicate'" "$IOTSCOPE" --frobnicate
expect_exit "missing option value" 2 "needs a value" "$IOTSCOPE" -r
expect_exit "bad report format" 2 "unknown report format 'xml'" \
	"$IOTSCOPE" -r "$TMP/demo.pcap" --report xml
expect_exit "csv without -o" 2 "needs -o DIR" "$IOTSCOPE" -r "$TMP/demo.pcap" --report csv
expect_exit "stray argument" 2 "unexpected argument" "$IOTSCOPE" "$TMP/demo.pcap"
expect_exit "bad --limit" 2 "--limit needs a number" "$IOTSCOPE" -r "$TMP/demo.pcap" --limit x

expect_exit "missing file" 1 "No such file or directory" "$IOTSCOPE" -r "$TMP/nope.pcap"
: >"$TMP/empty.pcap"
expect_exit "zero-length file" 1 "empty file (0 bytes)" "$IOTSCOPE" -r "$TMP/empty.pcap"
printf 'hello, this is not a capture\n' >"$TMP/text.pcap"
expect_exit "not a capture" 1 "not a pcap or pcapng capture" "$IOTSCOPE" -r "$TMP/text.pcap"
expect_exit "a directory" 1 "is a directory" "$IOTSCOPE" -r "$TMP"
head -c 20 "$TMP/demo.pcap" >"$TMP/hdr.pcap"
expect_exit "cut file header" 1 "truncated" "$IOTSCOPE" -r "$TMP/hdr.pcap"
printf '\037\213garbage-not-deflate' >"$TMP/bad.pcap.gz"
expect_exit "corrupt gzip" 1 "gzip" "$IOTSCOPE" -r "$TMP/bad.pcap.gz"

# A capture cut inside a record: analysed up to the cut, warned with the offset, exit 0.
size=$(wc -c <"$TMP/demo.pcap")
head -c $((size * 6 / 10)) "$TMP/demo.pcap" >"$TMP/cut.pcap"
"$IOTSCOPE" -r "$TMP/cut.pcap" --report json >"$TMP/cut.json" 2>"$TMP/err"
rc=$?
check "truncated capture exits 0" 0 "$rc"
grep -q "truncated at byte [0-9]* after [0-9]* packets" "$TMP/err" &&
	pass "truncated capture warns with the byte offset" || fail "truncation warning: $(cat "$TMP/err")"
off=$(jq '.inputs[0].stop_offset' "$TMP/cut.json")
n=$(jq '.inputs[0].packets' "$TMP/cut.json")
[ "$off" -gt 0 ] && [ "$off" -le $((size * 6 / 10)) ] && pass "stop offset $off within the file" ||
	fail "stop offset $off"
full=$("$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json | jq '.capture.packets')
[ "$n" -gt 0 ] && [ "$n" -lt "$full" ] && pass "packets before the cut kept ($n of $full)" ||
	fail "packets before the cut: $n of $full"

# A good and a missing file: the good one is reported, exit 1.
"$IOTSCOPE" -r "$TMP/demo.pcap" -r "$TMP/nope.pcap" --report json >"$TMP/two.json" 2>"$TMP/err"
check "one unreadable input of two exits 1" 1 "$?"
check "the readable input is still reported" "$full" "$(jq '.capture.packets' "$TMP/two.json")"

# Standard input, plain and gzip-compressed.
"$IOTSCOPE" -q -r - --report json <"$TMP/demo.pcap" >"$TMP/stdin.json"
check "-r - reads standard input" "$full" "$(jq '.capture.packets' "$TMP/stdin.json")"
gzip -c "$TMP/demo.pcap" >"$TMP/demo.pcap.gz"
"$IOTSCOPE" -q -r - --report json <"$TMP/demo.pcap.gz" >"$TMP/stdin-gz.json"
check "gzip on standard input" "$full" "$(jq '.capture.packets' "$TMP/stdin-gz.json")"
expect_exit "standard input twice" 1 "read only once" "$IOTSCOPE" -q -r - -r - <"$TMP/demo.pcap"

# Output: text to a file, JSON that parses, CSV files, an unwritable destination.
"$IOTSCOPE" -q -r "$TMP/demo.pcap" -o "$TMP/report.txt"
grep -q "^Devices" "$TMP/report.txt" && pass "-o writes the text report to a file" ||
	fail "-o text report"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json | jq -e '.iotscope.schema == 2' >/dev/null &&
	pass "JSON report parses and carries the schema" || fail "JSON report"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report csv -o "$TMP/csv"
for t in inputs capture overview linktypes devices flows names warnings; do
	[ -s "$TMP/csv/$t.csv" ] || fail "csv table $t missing"
done
pass "CSV writes one file per table"
check "CSV flows = JSON flows" "$(jq '.flows | length' "$TMP/stdin.json")" \
	"$(($(wc -l <"$TMP/csv/flows.csv") - 1))"
expect_exit "unwritable CSV directory" 1 "" "$IOTSCOPE" -q -r "$TMP/demo.pcap" --report csv \
	-o /proc/iotscope-no
finish
