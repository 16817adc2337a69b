#!/bin/sh
# regress.sh — fuzz regressions: the harnesses replay their seed corpora, every input that
# once crashed them, and the hostile captures of ../shared/pcaps, under the build's sanitizers.
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

run regress-capture "$FUZZSRC"/corpus/*
run regress-packet "$FUZZSRC"/corpus-packet/*
if have_shared; then
	run regress-capture "$SHARED_PCAPS"/hostile/*
else
	skip "../shared/pcaps not present"
fi
finish
