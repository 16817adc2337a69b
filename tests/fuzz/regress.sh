#!/bin/sh
# regress.sh — fuzz regressions: every harness (FUZZ_PROGS, from Makefile.am) replays its
# corpus, seeds and every input that once broke it, and the capture harness the hostile
# captures of ../shared/pcaps, under the build's sanitizers.
. "$TESTLIB"

run() {
	harness=$1
	shift
	for f in "$@"; do
		[ -f "$f" ] || continue
		if "$FUZZDIR/$harness" "$f" >/dev/null 2>"$TMP/err" &&
		    ! grep -qE 'Sanitizer|runtime error' "$TMP/err"; then
			pass "$harness $(basename "$f")"
		else
			fail "$harness $(basename "$f"): $(grep -m1 -E 'ERROR|runtime error' "$TMP/err")"
		fi
	done
}

for prog in $FUZZ_PROGS; do
	name=${prog##*/fuzz-}
	run "fuzz-$name" "$FUZZSRC/corpus-$name"/*
done
if have_shared; then
	run fuzz-capture "$SHARED_PCAPS"/hostile/*
else
	skip "../shared/pcaps not present"
fi
finish
