#!/bin/sh
# sandbox.sh — the confinement (ui/sandbox.c): once its files are open iotscope cannot read
# another file, create one, or open a socket (IOTSCOPE_SANDBOX_SELFTEST tries each), with
# Landlock and seccomp together and each alone (IOTSCOPE_SANDBOX_ONLY plays a kernel that
# offers less); --no-sandbox lifts it.  Every report, read-back, rotated evidence file, CSV
# folder, payload dump, followed folder, filter with names, MAC vendor and local-time file
# name comes out exactly as without it.
. "$TESTLIB"
need jq jq

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator runs"; finish; }
mkdir -p "$TMP/probe"

# selftest NAME [args...]: the selftest's four answers, one word each (allowed/denied).
selftest() {
	name=$1
	shift
	IOTSCOPE_SANDBOX_SELFTEST="$TMP/probe" "$@" -r "$TMP/demo.pcap" --report json \
	    -o "$TMP/$name.json" 2>"$TMP/$name.err"
	echo $? >"$TMP/$name.rc"
	sed -n 's/^iotscope: sandbox selftest: \([^:]*\): \([a-z]*\).*/\2/p' "$TMP/$name.err" |
	    tr '\n' ' ' | sed 's/ $//'
}
unconfined() { grep -q "neither Landlock nor seccomp" "$TMP/$1.err"; }

all=$(selftest all "$IOTSCOPE")
if unconfined all; then
	echo "SKIP: this kernel offers neither Landlock nor seccomp"
	exit 77
fi
check "confined: read, create, UDP socket, Unix socket all denied" \
    "denied denied denied denied" "$all"
check "confined: the run succeeds" 0 "$(cat "$TMP/all.rc")"
grep -q "create $TMP/probe/iotscope-selftest.[0-9]*: denied (Permission denied)" "$TMP/all.err" &&
	pass "confined: creating says Permission denied" || fail "create: $(cat "$TMP/all.err")"
check "--no-sandbox: everything allowed" "allowed allowed allowed allowed" \
    "$(selftest free "$IOTSCOPE" --no-sandbox)"
check "no file left in the probe folder" "" "$(ls "$TMP/probe")"
cmp -s "$TMP/all.json" "$TMP/free.json" && pass "confined: the same JSON report" ||
	fail "confined: the JSON report differs"

ll=$(selftest ll env IOTSCOPE_SANDBOX_ONLY=landlock "$IOTSCOPE")
if unconfined ll; then
	skip "Landlock alone: this kernel has no Landlock"
else
	# Landlock decides by path: sockets are seccomp's (ABI 4 covers TCP ends only).
	check "Landlock alone: read and create denied" "denied denied" \
	    "$(echo "$ll" | cut -d' ' -f1-2)"
fi
sc=$(selftest sc env IOTSCOPE_SANDBOX_ONLY=seccomp "$IOTSCOPE")
if unconfined sc; then
	skip "seccomp alone: this kernel has no seccomp filters"
else
	# The sanitizer build opens /proc to read at exit (LeakSanitizer): reading is left.
	if { ldd "$IOTSCOPE"; nm "$IOTSCOPE"; } 2>/dev/null | grep -qE 'libasan|__asan_init'; then
		check "seccomp alone (sanitizer build): create and sockets denied" \
		    "allowed denied denied denied" "$sc"
	else
		check "seccomp alone: every open and socket denied" "denied denied denied denied" \
		    "$sc"
	fi
	cmp -s "$TMP/sc.json" "$TMP/free.json" && pass "seccomp alone: the same JSON report" ||
		fail "seccomp alone: the JSON report differs"
	# A followed folder must stay readable: opens for reading pass, creating still fails.
	mkdir -p "$TMP/fd"
	cp "$TMP/demo.pcap" "$TMP/fd/a.pcap"
	IOTSCOPE_SANDBOX_ONLY=seccomp IOTSCOPE_SANDBOX_SELFTEST="$TMP/probe" "$IOTSCOPE" \
	    --follow -r "$TMP/fd" --duration 0.3 --report json -o "$TMP/scf.json" 2>"$TMP/scf.err"
	check "seccomp alone, --follow DIR: creating denied" denied \
	    "$(sed -n 's/.*selftest: create [^:]*: \([a-z]*\).*/\1/p' "$TMP/scf.err")"
fi
selftest none env IOTSCOPE_SANDBOX_ONLY=none "$IOTSCOPE" >/dev/null
unconfined none && pass "a kernel with neither: a warning" || fail "no warning: $(cat "$TMP/none.err")"
check "a kernel with neither: still exit 0" 0 "$(cat "$TMP/none.rc")"

# same DESC ARGS...: the confined run's stdout and every file it wrote under $TMP/out equal
# the unconfined run's (under $TMP/out, then moved to $TMP/free).
same() {
	desc=$1
	shift
	rm -rf "$TMP/out" "$TMP/free"
	mkdir -p "$TMP/out"
	(cd "$TMP/out" && "$IOTSCOPE" --no-sandbox "$@" >stdout 2>stderr)
	mv "$TMP/out" "$TMP/free"
	mkdir -p "$TMP/out"
	(cd "$TMP/out" && "$IOTSCOPE" "$@" >stdout 2>stderr)
	if [ -n "${KEEP:-}" ]; then
		find "$TMP/free" "$TMP/out" -type f ! -name "$KEEP" ! -name r.json \
		    ! -name stdout ! -name stderr -delete
	fi
	if diff -r "$TMP/free" "$TMP/out" >"$TMP/diff"; then
		pass "confined as unconfined: $desc"
	else
		fail "confined differs: $desc: $(head -c 600 "$TMP/diff")"
	fi
}
same "text report to -o FILE with windows" -r "$TMP/demo.pcap" --windows --report text -o r.txt
same "CSV folder made by the run" -r "$TMP/demo.pcap" --report csv -o csv
same "--grep reading payloads back" -r "$TMP/demo.pcap" --grep 'GET|POST'
same "--dump-payload" -r "$TMP/demo.pcap" --report json -o r.json --dump-payload dump
same "-w rotated by size (-C 1) into a folder" -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" \
    -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" \
    -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" -r "$TMP/demo.pcap" \
    -w ev.pcap -C 1 --report json -o r.json
[ -f "$TMP/out/ev.pcap1" ] && pass "-C 1: more than one file written" || fail "-C 1: $(ls "$TMP/out")"
if [ -f /usr/share/zoneinfo/Asia/Tokyo ]; then
	# The first file is named by the clock when it opens; those named by the packets'
	# time (09:00 UTC) are compared.
	export TZ=Asia/Tokyo KEEP='ev-1800*'
	same "-G names by local time (TZ=Asia/Tokyo)" -r "$TMP/demo.pcap" \
	    -w 'ev-%H%M%S.pcapng' -G 20 --report json -o r.json
	unset TZ KEEP
	check "-G: files named in Tokyo time" 2 "$(ls "$TMP/out" | grep -c '^ev-1800')"
else
	skip "-G in local time: no /usr/share/zoneinfo (Debian package tzdata)"
fi
"$GEN" demo --format pcapng-mixed -o "$TMP/mixed.pcapng" >/dev/null 2>&1
same "a filter with service names on two link types" -r "$TMP/mixed.pcapng" --report json \
    -o r.json 'port http or port domain'
jq -e '.capture.packets > 0 and .capture.filtered_out > 0' "$TMP/out/r.json" >/dev/null &&
	pass "filter with names: packets kept and left out" || fail "filter: $(jq -c .capture "$TMP/out/r.json")"
check "filter with names: no warning" 0 "$(jq '.warnings | length' "$TMP/out/r.json")"
jq -e '[.devices[].vendor | select(. != null)] | length > 0' "$TMP/out/r.json" >/dev/null &&
	pass "MAC vendors read before confinement" || fail "no vendors"

# A folder followed while another program adds a file: it is read although it appeared after
# the process was confined.
rm -rf "$TMP/fol"
mkdir -p "$TMP/fol"
cp "$TMP/demo.pcap" "$TMP/fol/cap1"
"$IOTSCOPE" --follow -r "$TMP/fol" --duration 2 --report json -o "$TMP/fol.json" 2>"$TMP/fol.err" &
pid=$!
sleep 0.7
cp "$TMP/demo.pcap" "$TMP/fol/.cap2" && mv "$TMP/fol/.cap2" "$TMP/fol/cap2"
wait $pid
check "--follow DIR: a file added after confinement is read" "2 642" \
    "$(jq -r '"\(.inputs | length) \(.capture.packets)"' "$TMP/fol.json")"

finish
