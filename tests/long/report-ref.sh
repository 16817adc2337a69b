#!/bin/sh
# report-ref.sh — the property the scale work keeps: the reports (JSON, CSV, text) of the demo,
# the hostile generated capture and every capture of ../shared/pcaps are byte for byte those
# of a reference revision (tests/long/report-ref.rev, or REF=REV), built in a temporary git
# worktree.  Paths of the data files are the only thing normalised (the two builds live in
# different folders); times are the captures' own, so they compare as they are.  Reports
# listed in report-ref.known differ on purpose.
. "$TESTLIB"
need git git
need autoreconf autoconf

top=${TESTLIB%/tests/lib.sh}
ref=${REF:-$(grep -v '^#' "$top/tests/long/report-ref.rev" | head -n 1)}
if ! git -C "$top" rev-parse --verify -q "$ref^{commit}" >/dev/null; then
	echo "SKIP: revision $ref not in this checkout's history"
	exit 77
fi
wt="$TMP/ref"
trap 'git -C "$top" worktree remove --force "$wt" 2>/dev/null; rm -rf "$TMP"' EXIT
git -C "$top" worktree add -q --detach "$wt" "$ref" || { fail "worktree of $ref"; finish; }
echo "# building $ref in $wt"
if ! (cd "$wt" && autoreconf -fi && mkdir b && cd b && ../configure &&
    make -j2 iotscope) >"$TMP/build.log" 2>&1; then
	fail "build of $ref: $(tail -n 3 "$TMP/build.log" | tr '\n' ' ')"
	finish
fi
old="$wt/b/iotscope"

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null
"$GEN" evil -o "$TMP/evil.pcap" >/dev/null
set -- "$TMP/demo.pcap" "$TMP/evil.pcap"
if have_shared; then
	for f in $(find "$SHARED_PCAPS" -type f ! -name '*.md' | sort); do
		set -- "$@" "$f"
	done
else
	skip "../shared/pcaps not present: the demo and the evil capture only"
fi

# report BIN FILE FORMAT OUT: the report with data-file paths made alike; JSON laid out by jq
# (records became one line each after the reference revision; the values are compared).
report() {
	if [ "$3" = csv ]; then
		mkdir -p "$4"
		"$1" --no-sandbox -q -r "$2" --report csv -o "$4" >/dev/null 2>"$4.err"
		for t in "$4"/*.csv; do
			sed 's#[^ ,"]*/share/#SHARE/#g' "$t" >"$t.n" && mv "$t.n" "$t"
		done
	elif [ "$3" = json ]; then
		"$1" --no-sandbox -q -r "$2" --report json 2>"$4.err" | jq . |
		    sed 's#[^ ,"]*/share/#SHARE/#g' >"$4"
	else
		"$1" --no-sandbox -q -r "$2" --report "$3" 2>"$4.err" |
		    sed 's#[^ ,"]*/share/#SHARE/#g' >"$4"
	fi
}

knownf=$top/tests/long/report-ref.known

# without_warning DIR TEXT: DIR's report with the warnings holding TEXT dropped (in place).
without_warning() {
	for r in "$1" "$1"/warnings.csv; do
		[ -f "$r" ] || continue
		case $fmt in
		json)
			jq --arg t "$2" '.warnings |= map(select(.message | contains($t) | not))' \
			    "$r" >"$r.w" ;;
		csv)
			grep -v -F -- "$2" "$r" >"$r.w" ;;
		text)
			# The Warnings heading goes too when nothing is left under it.
			grep -v -F -- "$2" "$r" | awk '{ l[NR] = $0 } END {
				n = NR
				while (n > 0 && l[n] == "") n--
				if (n >= 2 && l[n] == "--------" && l[n - 1] == "Warnings") {
					n -= 2
					while (n > 0 && l[n] == "") n--
				}
				for (i = 1; i <= n; i++) print l[i]
			}' >"$r.w" ;;
		esac
		mv "$r.w" "$r"
	done
}

# same_but_warnings: whether new and old differ only by the warnings report-ref.known names.
same_but_warnings() {
	grep '^warning ' "$knownf" | sed 's/^warning //' >"$TMP/warnings"
	[ -s "$TMP/warnings" ] || return 1
	while IFS= read -r w; do
		without_warning "$TMP/new" "$w"
		without_warning "$TMP/old" "$w"
	done <"$TMP/warnings"
	diff -r "$TMP/new" "$TMP/old" >/dev/null 2>&1
}

for f in "$@"; do
	b=$(basename "$f")
	for fmt in json csv text; do
		rm -rf "$TMP/new" "$TMP/old" "$TMP/new.err" "$TMP/old.err"
		report "$IOTSCOPE" "$f" "$fmt" "$TMP/new"
		report "$old" "$f" "$fmt" "$TMP/old"
		if diff -r "$TMP/new" "$TMP/old" >"$TMP/diff" 2>&1; then
			pass "$b $fmt: as $ref"
		elif grep -qx "$b $fmt" "$knownf"; then
			pass "$b $fmt: differs from $ref as report-ref.known says"
		elif same_but_warnings; then
			pass "$b $fmt: as $ref but for warnings report-ref.known names"
		else
			fail "$b $fmt: differs from $ref: $(head -n 4 "$TMP/diff" | cut -c 1-160 | tr '\n' ' ')"
		fi
	done
done
finish
