#!/bin/sh
# valgrind.sh — the demo, a generated capture of destinations without ports and every capture
# under ../shared/pcaps (all themes) read under valgrind's memcheck and written in the three
# report formats (text, JSON, CSV): a read of uninitialised memory (--track-origins says where
# it came from), an invalid access or a definite leak fails that capture's check.  It needs the
# plain build: valgrind cannot run an ASan binary, whose own shadow memory it would trip over.
# VALGRIND_JOBS=N runs N captures at a time (default 2).
. "$TESTLIB"
need valgrind valgrind

if { ldd "$IOTSCOPE"; nm "$IOTSCOPE"; nm -D "$IOTSCOPE"; } 2>/dev/null |
	grep -qE 'libasan|__asan_init'; then
	echo "SKIP: $IOTSCOPE is an AddressSanitizer build; valgrind runs the plain build" \
		"(configure without --enable-asan)"
	exit 77
fi

# --error-exitcode=1 is also iotscope's own exit for an unreadable input, so a check passes
# when valgrind said nothing (-q, its own log file) and iotscope exits as it does without it.
VG="valgrind -q --error-exitcode=1 --track-origins=yes --leak-check=full \
--show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=30"
if ! $VG "$IOTSCOPE" --version >/dev/null 2>"$TMP/vg-start"; then
	if grep -q "Fatal error at startup" "$TMP/vg-start"; then
		echo "SKIP: valgrind cannot start here: $(grep -m1 -i 'fatal' "$TMP/vg-start")" \
			"(Debian package libc6-dbg may help)"
		exit 77
	fi
	fail "iotscope --version under valgrind: $(head -c 600 "$TMP/vg-start")"
fi

# The demo, the generated destinations without ports (ICMP, ICMPv6, IGMP), then ../shared.
"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator writes demo"; finish; }
"$GEN" noports -o "$TMP/noports.pcap" >/dev/null 2>&1 ||
	{ fail "generator writes noports"; finish; }
printf '%s\n' "$TMP/demo.pcap" "$TMP/noports.pcap" >"$TMP/captures"
if have_shared; then
	find "$SHARED_PCAPS" -type f ! -name '*.md' | LC_ALL=C sort >>"$TMP/captures"
else
	skip "../shared/pcaps not present: the generated captures only"
fi

# One job per capture (jobs/N holds its path): the report without valgrind for the exit status
# to expect, then under valgrind in each format.
mkdir -p "$TMP/jobs" "$TMP/out"
n=0
while IFS= read -r cap; do
	n=$((n + 1))
	printf '%s\n' "$cap" >"$TMP/jobs/$n"
done <"$TMP/captures"
cat >"$TMP/job.sh" <<'EOF'
j=$1
read -r cap <"$TMP/jobs/$j"
o="$TMP/out/$j"
"$IOTSCOPE" -q -r "$cap" --report json >/dev/null 2>&1
echo $? >"$o.want"
for fmt in text json csv; do
	if [ "$fmt" = csv ]; then
		set -- --report csv -o "$o.csv"
	else
		set -- --report "$fmt"
	fi
	# --no-sandbox: valgrind knows neither Landlock's nor seccomp's system calls (it warns
	# of them) and the confinement then refuses its own clean-up; tests/e2e/sandbox.sh
	# checks that confinement changes no report.
	$VG --log-file="$o.$fmt.vg" "$IOTSCOPE" --no-sandbox -q -r "$cap" "$@" >/dev/null \
	    2>"$o.$fmt.err"
	echo $? >"$o.$fmt.rc"
	rm -rf "$o.csv"
done
EOF
t0=$(date +%s)
export TMP IOTSCOPE VG
seq 1 "$n" | xargs -n1 -P"${VALGRIND_JOBS:-2}" sh "$TMP/job.sh"
t1=$(date +%s)

j=0
while IFS= read -r cap; do
	j=$((j + 1))
	name=${cap#"${SHARED_PCAPS:-}"/}
	case $cap in
	"$TMP"/*) name="generated ${cap#"$TMP"/}" ;;
	esac
	want=$(cat "$TMP/out/$j.want" 2>/dev/null)
	for fmt in text json csv; do
		o="$TMP/out/$j.$fmt"
		rc=$(cat "$o.rc" 2>/dev/null)
		if [ -s "$o.vg" ]; then
			fail "$name ($fmt): valgrind: $(grep -v '^==[0-9]*== *$' "$o.vg" | head -25)"
		elif [ -z "$rc" ] || [ "$rc" != "$want" ]; then
			fail "$name ($fmt): exit ${rc:-none} under valgrind, ${want:-none} without it:" \
				"$(head -c 300 "$o.err")"
		else
			pass "$name ($fmt): memcheck clean"
		fi
	done
done <"$TMP/captures"
echo "# $((n * 3)) runs of $n captures under valgrind: $((t1 - t0)) s, ${VALGRIND_JOBS:-2} at a time"

finish
