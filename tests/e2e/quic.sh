#!/bin/sh
# quic.sh — the ClientHello read from QUIC Initial packets (issue 19).  On gen-capture quic (a
# ClientHello split over two Initials, its CRYPTO frames out of order and one repeated; QUIC v2;
# an Initial coalesced with a Handshake packet; cut Initials) each flow's protocol, SNI and ALPN
# equal the generator's truth, the names table gains the quic-sni pairs and the unread Initials
# are counted.  On the demo and every shared capture, each QUIC connection's SNI, ALPN and
# version equal tshark's; gQUIC and damaged QUIC are read without a crash.
. "$TESTLIB"
need jq jq

tab=$(printf '\t')

# ours JSON: "client<TAB>proto<TAB>sni<TAB>alpn" of every flow, client as ip:port ([ip]:port).
ours() {
	jq -r '.flows[] | select(.proto != null and (.proto | test("^QUIC"))) |
	    (if .ip_version == 6 then "[\(.a_ip)]:\(.a_port)" else "\(.a_ip):\(.a_port)" end) +
	    "\t\(.proto)\t\(.sni // "-")\t\(.alpn // "-")"' "$1"
}

# theirs FILE: the same from tshark, for every QUIC ClientHello it decrypts.
theirs() {
	# Every occurrence (the versions offered are a list); of the rest, the first.
	tshark -r "$1" -Y 'quic && tls.handshake.type == 1' -T fields -E occurrence=a \
	    -E aggregator=, -e ip.src -e ipv6.src -e udp.srcport -e quic.version \
	    -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str \
	    -e tls.handshake.extensions.supported_version 2>/dev/null |
	awk -F'\t' '{
		for (i = 1; i <= 6; i++)
			sub(/,.*/, "", $i)
		c = $1 != "" ? $1 ":" $3 : "[" $2 "]:" $3
		v = $4
		if (v == "0x00000001") v = "v1"
		else if (v == "0x6b3343cf") v = "v2"
		else if (v ~ /^0xff0000/) {
			d = 0			# no strtonum in mawk
			for (i = 9; i <= length(v); i++)
				d = d * 16 + index("0123456789abcdef", substr(v, i, 1)) - 1
			v = "draft-" d
		}
		t = $7 ~ /0x0304/ ? " (TLS 1.3)" : ""
		printf "%s\t%s\t%s\t%s\n", c, "QUIC " v t, $5 != "" ? $5 : "-", $6 != "" ? $6 : "-"
	}'
}

# --- generated captures ------------------------------------------------------------------
"$GEN" quic -o "$TMP/q.pcap" --truth "$TMP/truth" || { fail "generator"; finish; }
"$IOTSCOPE" -q -r "$TMP/q.pcap" --report json >"$TMP/q.json" || fail "iotscope on gen quic"
ours "$TMP/q.json" >"$TMP/q.ours"
grep "^flow$tab" "$TMP/truth" >"$TMP/flows"
while IFS="$tab" read -r _ client server proto sni alpn; do
	c=${client#client=}
	check "gen quic $c ${sni#sni=}: protocol, SNI and ALPN" \
	    "$c$tab${proto#proto=}$tab${sni#sni=}$tab${alpn#alpn=}" \
	    "$(grep -F "$c$tab" "$TMP/q.ours")"
done <"$TMP/flows"
check "gen quic: four QUIC flows" 4 "$(wc -l <"$TMP/q.ours" | tr -d ' ')"
# The names table: each SNI names its server, as quic-sni.
awk -F'\t' '$1 == "flow" {
	s = $3; sub(/^server=/, "", s); sub(/:[0-9]+$/, "", s); gsub(/[][]/, "", s)
	n = $5; sub(/^sni=/, "", n)
	if (n != "-") print s " " n
}' "$TMP/truth" | sort >"$TMP/names.want"
jq -r '.names[] | select(.source == "quic-sni") | "\(.ip) \(.name)"' "$TMP/q.json" |
    sort >"$TMP/names.got"
check "gen quic: names table holds the quic-sni pairs" "$(cat "$TMP/names.want")" \
    "$(cat "$TMP/names.got")"
unread=$(sed -n "s/^count$tab.*quic_unread=\\([0-9]*\\).*/\\1/p" "$TMP/truth")
"$IOTSCOPE" -q -r "$TMP/q.pcap" --report text >"$TMP/q.txt" 2>/dev/null
check "gen quic: unread Initials counted" "$unread" \
    "$(sed -n 's/^ *QUIC Initials unread *\([0-9]*\).*/\1/p' "$TMP/q.txt")"
# The same capture cut by a snap length: fewer names perhaps, never a crash.
"$GEN" quic -o "$TMP/q300.pcap" --snaplen 300 || fail "generator --snaplen"
"$IOTSCOPE" -q -r "$TMP/q300.pcap" --report json >/dev/null
check "gen quic --snaplen 300: read" 0 $?

if ! command -v tshark >/dev/null 2>&1; then
	skip "tshark not installed (Debian package tshark): no comparison with it"
	finish
fi
# compare FILE LABEL: our QUIC ClientHellos equal tshark's, connection by connection.
compare() {
	"$IOTSCOPE" -q -r "$1" --report json >"$TMP/r.json" 2>/dev/null
	ours "$TMP/r.json" | grep -v "$tab-$tab-\$" | sort -u >"$TMP/ours"
	theirs "$1" | sort -u >"$TMP/theirs"
	n=$(wc -l <"$TMP/theirs" | tr -d ' ')
	if cmp -s "$TMP/ours" "$TMP/theirs"; then
		pass "$2: $n QUIC ClientHellos (SNI, ALPN, version) equal tshark's"
	else
		fail "$2: QUIC ClientHellos differ from tshark's (< iotscope, > tshark):
$(diff "$TMP/ours" "$TMP/theirs" | head -10)"
	fi
}
compare "$TMP/q.pcap" "gen quic"
"$GEN" demo -o "$TMP/demo.pcap"
compare "$TMP/demo.pcap" demo
if have_shared; then
	for f in names/quic-29.pcap names/quic_0RTT.pcap linktypes/quic_handshake.pcap \
	    names/http_ipv6.pcap; do
		compare "$SHARED_PCAPS/$f" "$f"
	done
	"$IOTSCOPE" -q -r "$SHARED_PCAPS/hostile/quic-fuzz-overflow.pcapng" --report json \
	    >/dev/null 2>&1
	rc=$?
	[ "$rc" -lt 128 ] && pass "hostile/quic-fuzz-overflow.pcapng: no crash (exit $rc)" ||
	    fail "hostile/quic-fuzz-overflow.pcapng: exit $rc"
else
	skip "../shared/pcaps not present"
fi
finish
