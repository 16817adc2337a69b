#!/bin/sh
# run-fuzz.sh — make fuzz: each libFuzzer harness named on the command line for FUZZ_TIME
# seconds, from its seed corpus (FUZZSRC/corpus-NAME) and what earlier runs added
# (FUZZ_OUT/NAME/corpus).  Crashes, leaks and timeouts are written to FUZZ_OUT/NAME/crashes.
# One line per harness, PASS or FAIL with its executions (libFuzzer's final stats), then the
# total.  FUZZ_SEED fixes libFuzzer's seed; FUZZ_FLAGS adds options.  Exit 1 when one failed.
: "${FUZZ_TIME:=60}" "${FUZZ_OUT:=fuzz-out}" "${FUZZ_RSS:=2048}"
total=0 failed=0 n=0
for prog in "$@"; do
	name=${prog##*/fuzz-}
	out=$FUZZ_OUT/$name
	mkdir -p "$out/corpus" "$out/crashes" || exit 1
	before=$(ls "$out/crashes" | wc -l)
	seed=
	[ -n "${FUZZ_SEED:-}" ] && seed=-seed=$FUZZ_SEED
	# shellcheck disable=SC2086
	"$prog" -max_total_time="$FUZZ_TIME" -print_final_stats=1 -rss_limit_mb="$FUZZ_RSS" \
	    -timeout=10 -artifact_prefix="$out/crashes/" $seed ${FUZZ_FLAGS:-} \
	    "$out/corpus" "$FUZZSRC/corpus-$name" >"$out/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -n 1)
	after=$(ls "$out/crashes" | wc -l)
	total=$((total + ${execs:-0}))
	n=$((n + 1))
	if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ] && [ -n "$execs" ]; then
		echo "PASS: fuzz-$name: $execs executions in ${FUZZ_TIME} s"
	else
		failed=$((failed + 1))
		why=$(grep -m 1 -E 'ERROR: |runtime error|Killed' "$out/log")
		echo "FAIL: fuzz-$name: ${execs:-0} executions, exit $rc, $((after - before)) new in $out/crashes: ${why:-see $out/log}"
	fi
done
echo "fuzz: $total executions in total over $n harnesses, $failed failed"
[ "$failed" -eq 0 ]
