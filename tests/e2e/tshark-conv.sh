#!/bin/sh
# tshark-conv.sh — for every TCP and UDP conversation, iotscope's packet and byte counts equal
# tshark's (aggregated from per-frame fields, since tshark's own conversation table rounds to
# kB): on the generated captures and on every capture in ../shared/pcaps.
. "$TESTLIB"
need tshark tshark
need jq jq
here=$(dirname "$0")

compare() {
	sh "$here/conv-compare.sh" "$1" "$TMP/cmp" 2>/dev/null
	n=$(wc -l <"$TMP/cmp/tshark")
	if cmp -s "$TMP/cmp/ours" "$TMP/cmp/tshark"; then
		pass "$2: $n conversations equal tshark's"
	else
		fail "$2: conversations differ from tshark's (< iotscope, > tshark):
$(diff "$TMP/cmp/ours" "$TMP/cmp/tshark" | head -10)"
	fi
}

"$GEN" demo -o "$TMP/demo.pcap"
compare "$TMP/demo.pcap" "demo"
"$GEN" bench --size 8M --flows 300 -o "$TMP/mix.pcap"
compare "$TMP/mix.pcap" "generated mix (8 MB, 300 flows)"
"$GEN" demo --link vlan --format pcapng --snaplen 96 -o "$TMP/cut.pcapng"
compare "$TMP/cut.pcapng" "demo, VLAN, pcapng, snaplen 96"

if have_shared; then
	for f in $(find "$SHARED_PCAPS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o \
	    -name '*.pcap.gz' -o -name '*.pcapng.gz' \) | sort); do
		name=${f#"$SHARED_PCAPS"/}
		case $name in
		# PPP is not a link type iotscope decodes: it must only be named (shared-truth.sh).
		linktypes/dlt_ppp.pcap) continue ;;
		esac
		compare "$f" "$name"
	done
else
	skip "../shared/pcaps not present"
fi
finish
