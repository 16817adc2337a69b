#!/bin/sh
# integrity.sh — evidence integrity: every input's SHA-256 in every report equals sha256sum's
# of the file as given (pcap, pcapng, pcapng our own reader takes over, gzip, standard input
# as a pipe and as a file, two -r inputs, a truncated and a damaged file, --follow), and the
# inputs are never modified (size, mtime and ctime unchanged), nor overwritten by -w or -o.
. "$TESTLIB"
need jq jq
need sha256sum coreutils

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator runs"; finish; }
"$GEN" demo --format pcapng -o "$TMP/demo.pcapng" >/dev/null 2>&1
"$GEN" demo --format pcapng-mixed -o "$TMP/mixed.pcapng" >/dev/null 2>&1
gzip -c "$TMP/demo.pcap" >"$TMP/demo.pcap.gz"
size=$(wc -c <"$TMP/demo.pcap")
head -c $((size * 6 / 10)) "$TMP/demo.pcap" >"$TMP/cut.pcap"
# Damage in the middle: the packets stop there, the hash still covers every byte.
{ head -c 40000 "$TMP/demo.pcap"; head -c 3000 /dev/zero | tr '\0' '\377';
  tail -c +43001 "$TMP/demo.pcap"; } >"$TMP/damaged.pcap"

sum() { sha256sum "$1" | cut -d' ' -f1; }
# jin FILE FILTER: a field of the report's first input
jin() { jq -r ".inputs[${3:-0}].$2" "$1"; }

# json_case DESC FILE [iotscope input args...]: the JSON report's hash, its byte count and
# completeness against sha256sum of FILE.
json_case() {
	desc=$1 file=$2
	shift 2
	"$IOTSCOPE" -q "$@" --report json >"$TMP/r.json" 2>"$TMP/err"
	check "$desc: sha256 equals sha256sum's" "$(sum "$file")" "$(jin "$TMP/r.json" sha256)"
	check "$desc: it covers every byte" "$(wc -c <"$file")" "$(jin "$TMP/r.json" sha256_bytes)"
	check "$desc: complete" true "$(jin "$TMP/r.json" sha256_complete)"
}
json_case "pcap" "$TMP/demo.pcap" -r "$TMP/demo.pcap"
json_case "pcapng" "$TMP/demo.pcapng" -r "$TMP/demo.pcapng"
json_case "pcapng read again by our reader" "$TMP/mixed.pcapng" -r "$TMP/mixed.pcapng"
json_case "gzip: its compressed bytes" "$TMP/demo.pcap.gz" -r "$TMP/demo.pcap.gz"
json_case "truncated file: the whole file" "$TMP/cut.pcap" -r "$TMP/cut.pcap"
check "truncated file: it was cut" true "$(jin "$TMP/r.json" truncated)"
json_case "damaged file: the whole file" "$TMP/damaged.pcap" -r "$TMP/damaged.pcap"
[ "$(jin "$TMP/r.json" stop_offset)" -lt 43000 ] && pass "damaged file: its packets stopped early" ||
	fail "damaged file: stop_offset $(jin "$TMP/r.json" stop_offset)"

cat "$TMP/demo.pcap" | json_case "standard input, a pipe" "$TMP/demo.pcap" -r -
json_case "standard input, a file" "$TMP/demo.pcap" -r - <"$TMP/demo.pcap"
cat "$TMP/demo.pcap.gz" | json_case "standard input, gzip in a pipe" "$TMP/demo.pcap.gz" -r -
cat "$TMP/mixed.pcapng" | json_case "standard input, pcapng in a pipe" "$TMP/mixed.pcapng" -r -

# Two inputs, one of them a pipe.
cat "$TMP/demo.pcap.gz" | "$IOTSCOPE" -q -r "$TMP/demo.pcapng" -r - -r "$TMP/cut.pcap" \
    --report json >"$TMP/r.json"
check "three inputs: first" "$(sum "$TMP/demo.pcapng")" "$(jin "$TMP/r.json" sha256 0)"
check "three inputs: the pipe" "$(sum "$TMP/demo.pcap.gz")" "$(jin "$TMP/r.json" sha256 1)"
check "three inputs: third" "$(sum "$TMP/cut.pcap")" "$(jin "$TMP/r.json" sha256 2)"

# A pipe left before its end (-c): the hash is of the bytes read, and says so.
four() { cat "$TMP/demo.pcap" "$TMP/demo.pcap" "$TMP/demo.pcap" "$TMP/demo.pcap"; }
four | "$IOTSCOPE" -q -r - -c 3 --report json >"$TMP/r.json" 2>/dev/null
n=$(jin "$TMP/r.json" sha256_bytes)
check "pipe left early: not complete" false "$(jin "$TMP/r.json" sha256_complete)"
[ "$n" -gt 0 ] && [ "$n" -lt $((size * 4)) ] && pass "pipe left early: part of it read ($n bytes)" ||
	fail "pipe left early: $n bytes hashed of $((size * 4))"
check "pipe left early: the hash of the first $n bytes" \
    "$(four | head -c "$n" | sha256sum | cut -d' ' -f1)" "$(jin "$TMP/r.json" sha256)"
# A file left early (-c) is still hashed whole.
json_case "file left early (-c 3)" "$TMP/demo.pcap" -r "$TMP/demo.pcap" -c 3

# Text and CSV show the same.
"$IOTSCOPE" -q -r "$TMP/demo.pcap" -r "$TMP/demo.pcap.gz" --report text >"$TMP/r.txt"
check "text report: the first input's hash" 1 \
    "$(grep -c "^    sha256 $(sum "$TMP/demo.pcap")\$" "$TMP/r.txt")"
check "text report: the second input's hash" 1 \
    "$(grep -c "^    sha256 $(sum "$TMP/demo.pcap.gz")\$" "$TMP/r.txt")"
cat "$TMP/demo.pcap" "$TMP/demo.pcap" | "$IOTSCOPE" -q -r - -c 2 --report text >"$TMP/r.txt"
grep -q "^    sha256 [0-9a-f]\{64\} of the first [0-9]* bytes (not read to its end)\$" "$TMP/r.txt" &&
	pass "text report: a pipe left early says so" || fail "text report: $(grep sha256 "$TMP/r.txt")"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" -r "$TMP/cut.pcap" --report csv -o "$TMP/csv"
hdr=$(head -1 "$TMP/csv/inputs.csv" | tr -d '\r')
case $hdr in
*,sha256,sha256_bytes,sha256_complete) pass "inputs.csv: the hash columns" ;;
*) fail "inputs.csv header: $hdr" ;;
esac
check "inputs.csv: both inputs' hashes" "$(sum "$TMP/demo.pcap") $(sum "$TMP/cut.pcap")" \
    "$(tail -n +2 "$TMP/csv/inputs.csv" | tr -d '\r' | awk -F, '{ print $(NF-2) }' | tr '\n' ' ' |
    sed 's/ $//')"

# --follow: the file as it stood when the capture ended.
"$IOTSCOPE" -q --follow -r "$TMP/demo.pcap" --duration 0.5 --report json >"$TMP/r.json"
check "--follow: the file's hash" "$(sum "$TMP/demo.pcap")" "$(jin "$TMP/r.json" sha256)"
check "--follow: complete" true "$(jin "$TMP/r.json" sha256_complete)"

# Inputs are never modified: size, mtime and ctime (nanoseconds) the same after every kind
# of run, the evidence and the workbench's read-back included.
st() { stat -c '%s %.9Y %.9Z %i' "$@"; }
before=$(st "$TMP/demo.pcap" "$TMP/demo.pcapng" "$TMP/demo.pcap.gz" "$TMP/cut.pcap")
sleep 0.05
"$IOTSCOPE" -q -r "$TMP/demo.pcap" -r "$TMP/demo.pcapng" -r "$TMP/demo.pcap.gz" \
    -r "$TMP/cut.pcap" --report json --windows -w "$TMP/ev.pcapng" -o "$TMP/r.json"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --grep 'GET' >/dev/null
"$IOTSCOPE" -q --follow -r "$TMP/demo.pcapng" --duration 0.3 --report csv -o "$TMP/csv2"
check "inputs unchanged: size, mtime, ctime, inode" "$before" \
    "$(st "$TMP/demo.pcap" "$TMP/demo.pcapng" "$TMP/demo.pcap.gz" "$TMP/cut.pcap")"

# Nor overwritten by an output naming the same file another way.
ln -s "$TMP/demo.pcap" "$TMP/link.pcap"
"$IOTSCOPE" -r "$TMP/demo.pcap" -w "$TMP/./demo.pcap" >/dev/null 2>"$TMP/err"
check "-w naming an input another way: usage error" 2 $?
grep -q "is also read with -r: evidence is never overwritten" "$TMP/err" &&
	pass "-w naming an input: says why" || fail "-w naming an input: $(cat "$TMP/err")"
"$IOTSCOPE" -r "$TMP/link.pcap" --report json -o "$TMP/demo.pcap" >/dev/null 2>"$TMP/err"
check "-o naming an input through a link: usage error" 2 $?
check "inputs still unchanged" "$before" \
    "$(st "$TMP/demo.pcap" "$TMP/demo.pcapng" "$TMP/demo.pcap.gz" "$TMP/cut.pcap")"

finish
