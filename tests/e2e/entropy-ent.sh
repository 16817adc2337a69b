#!/bin/sh
# entropy-ent.sh — for every flow direction of the demo and of every shared capture, the
# entropy, chi-square and mean iotscope reports equal what `ent` prints for the same payload
# bytes (written out with --dump-payload), to the 6 decimals both print.
. "$TESTLIB"
need ent ent
need jq jq

# check_capture FILE NAME
check_capture() {
	rm -rf "$TMP/dump"
	"$IOTSCOPE" -q -r "$1" --report json --dump-payload "$TMP/dump" >"$TMP/r.json" 2>/dev/null
	jq -r '.flows[] | . as $f | ("a_to_b", "b_to_a") as $d |
		select($f[$d + "_payload_captured"] > 0) |
		"\($f.id) \(if $d == "a_to_b" then "a2b" else "b2a" end) \($f[$d + "_payload_captured"]) \($f[$d + "_entropy"]) \($f[$d + "_chisq"]) \($f[$d + "_mean"])"' \
		"$TMP/r.json" >"$TMP/dirs"
	bad=0
	n=0
	while read -r id dir bytes e c m; do
		n=$((n + 1))
		line=$(ent -t "$TMP/dump/flow-$id-$dir.bin" 2>/dev/null | tail -1)
		if ! echo "$line" | awk -F, -v b="$bytes" -v e="$e" -v c="$c" -v m="$m" '
		    function off(x, y) { d = x - y; return (d < 0 ? -d : d) > 0.0000015 }
		    { exit !($2 == b && !off($3, e) && !off($4, c) && !off($5, m)) }'; then
			bad=$((bad + 1))
			[ $bad -le 3 ] && echo "  flow $id $dir: iotscope $bytes $e $c $m; ent $line"
		fi
	done <"$TMP/dirs"
	if [ $bad -eq 0 ]; then
		pass "$2: $n flow directions equal ent"
	else
		fail "$2: $bad of $n flow directions differ from ent"
	fi
}

"$GEN" demo -o "$TMP/demo.pcap"
check_capture "$TMP/demo.pcap" demo
"$GEN" bench --size 4M --flows 100 -o "$TMP/mix.pcap"
check_capture "$TMP/mix.pcap" "generated mix"
if have_shared; then
	for f in $(find "$SHARED_PCAPS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o \
	    -name '*.gz' \) | sort); do
		check_capture "$f" "${f#"$SHARED_PCAPS"/}"
	done
else
	skip "../shared/pcaps not present"
fi
finish
