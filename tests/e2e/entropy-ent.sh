#!/bin/sh
# entropy-ent.sh — for every flow direction of the demo and of every shared capture, the
# entropy, chi-square and mean iotscope reports equal what `ent` prints for the same payload
# bytes (written out with --dump-payload), to the 6 decimals both print; and for the demo's
# devices, the entropy over what each sent, received and both.
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

# check_devices NAME: after check_capture, each device's figures over what it sent, received
# and both equal ent's over the concatenated dumps of those flow directions.
check_devices() {
	bad=0
	n=0
	for id in $(jq -r '.devices[] | select(.payload_sent + .payload_received > 0) | .id' \
	    "$TMP/r.json"); do
		for which in sent received both; do
			: >"$TMP/dev.bin"
			jq -r --argjson d "$id" --arg w "$which" '.flows[] |
				(if .a_device == $d then (if $w != "received" then "\(.id)-a2b" else empty end,
				    if $w != "sent" then "\(.id)-b2a" else empty end) else empty end),
				(if .b_device == $d then (if $w != "received" then "\(.id)-b2a" else empty end,
				    if $w != "sent" then "\(.id)-a2b" else empty end) else empty end)' \
			    "$TMP/r.json" | sort -u | while read -r f; do
				[ -f "$TMP/dump/flow-$f.bin" ] && cat "$TMP/dump/flow-$f.bin" >>"$TMP/dev.bin"
			done
			[ -s "$TMP/dev.bin" ] || continue
			n=$((n + 1))
			want=$(ent -t "$TMP/dev.bin" | tail -1 | cut -d, -f3)
			got=$(jq -r --argjson d "$id" --arg w "$which" \
			    '.devices[] | select(.id == $d) | .[$w + "_entropy"]' "$TMP/r.json")
			if ! awk -v a="$want" -v b="$got" 'BEGIN { d = a - b; exit !((d < 0 ? -d : d) <= 0.0000015) }'; then
				bad=$((bad + 1))
				[ $bad -le 3 ] && echo "  device $id $which: iotscope $got, ent $want"
			fi
		done
	done
	if [ $bad -eq 0 ] && [ $n -gt 0 ]; then
		pass "$1: $n device figures (sent, received, both) equal ent"
	else
		fail "$1: $bad of $n device figures differ from ent"
	fi
}

# check_windows FILE NAME: --windows on flows with payload one way only equals ent over
# successive --window-byte pieces of that direction's dump (the last piece partial).
check_windows() {
	"$IOTSCOPE" -q -r "$1" --report json --windows --window 512 >"$TMP/w.json" 2>/dev/null
	bad=0
	n=0
	for f in $(jq -r '.flows[] | select((.a_to_b_payload_captured > 0) != (.b_to_a_payload_captured > 0)) |
	    select(.a_to_b_payload_captured + .b_to_a_payload_captured > 1024) | .id' "$TMP/r.json"); do
		dump=$(ls "$TMP/dump/flow-$f-"*.bin)
		rm -f "$TMP/piece."*
		split -b 512 -a 6 "$dump" "$TMP/piece."
		want=$(for p in "$TMP/piece."*; do ent -t "$p" | tail -1 | cut -d, -f3; done |
		    awk '{ printf "%s%.3f", (NR > 1 ? " " : ""), $1 }')
		got=$(jq -r --argjson f "$f" '.windows[] | select(.flow == $f) | .entropy | map(tostring) | join(" ")' "$TMP/w.json")
		n=$((n + 1))
		if ! echo "$want
$got" | awk 'NR == 1 { nw = split($0, w, " ") } NR == 2 { ng = split($0, g, " ") }
		    END { if (nw != ng) exit 1; for (i = 1; i <= nw; i++) { d = w[i] - g[i]; if ((d < 0 ? -d : d) > 0.0015) exit 1 } }'; then
			bad=$((bad + 1))
			[ $bad -le 3 ] && echo "  flow $f: ent $want; iotscope $got"
		fi
	done
	if [ $bad -eq 0 ] && [ $n -gt 0 ]; then
		pass "$2: window entropies of $n one-way flows equal ent over 512-byte pieces"
	else
		fail "$2: $bad of $n flows' window entropies differ from ent"
	fi
}

"$GEN" demo -o "$TMP/demo.pcap"
check_capture "$TMP/demo.pcap" demo
check_devices demo
check_windows "$TMP/demo.pcap" demo
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
