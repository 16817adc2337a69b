#!/bin/sh
# shared-hostile.sh — every capture in ../shared/pcaps (hostile ones above all) is analysed
# without a crash, a hang or a sanitizer report, in every report format.
. "$TESTLIB"
need timeout coreutils
if ! have_shared; then
	echo "SKIP: ../shared/pcaps not present"
	exit 77
fi

for f in $(find "$SHARED_PCAPS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o \
    -name '*.gz' \) | sort); do
	name=${f#"$SHARED_PCAPS"/}
	bad=
	for fmt in json text csv; do
		rm -rf "$TMP/csv"
		timeout 120 "$IOTSCOPE" -r "$f" --report "$fmt" -o "$TMP/out.$fmt" \
			>/dev/null 2>"$TMP/err"
		rc=$?
		if [ "$rc" -ge 2 ]; then
			bad="$bad $fmt: exit $rc;"
		elif grep -qE 'Sanitizer|runtime error:|LeakSanitizer' "$TMP/err"; then
			bad="$bad $fmt: $(grep -m1 -E 'Sanitizer|runtime error' "$TMP/err");"
		fi
	done
	if [ -z "$bad" ]; then
		pass "$name analysed cleanly"
	else
		fail "$name:$bad"
	fi
done
finish
