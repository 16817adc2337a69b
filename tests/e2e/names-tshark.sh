#!/bin/sh
# names-tshark.sh — the names iotscope gives remote addresses equal what tshark shows for the
# same addresses: A/AAAA answers (the record's owner name) from DNS on port 53, the TLS
# ClientHello's server_name (over TCP or in QUIC Initials) and the HTTP Host for the server's
# address; every pair iotscope reports is one tshark shows and the other way round, and every
# destination's name is one of them.  On the demo and on every shared capture with DNS, TLS,
# QUIC or HTTP.
. "$TESTLIB"
need tshark tshark
need jq jq

# tshark_names FILE: "ip name" pairs, one per line, sorted and unique.
tshark_names() {
	# DNS answers: walk the records in order, taking an address for each A (1) and AAAA (28).
	tshark -r "$1" -Y 'dns.flags.response == 1 && (udp.port == 53 || tcp.port == 53)' \
	    -T fields -E separator='|' -E occurrence=a -E aggregator=';' \
	    -e dns.resp.type -e dns.resp.name -e dns.a -e dns.aaaa 2>/dev/null |
	awk -F'|' '{
		nt = split($1, t, ";"); split($2, n, ";"); na = split($3, a, ";"); n6 = split($4, b, ";")
		ia = 1; ib = 1
		for (i = 1; i <= nt; i++) {
			if (t[i] == 1 && ia <= na) print a[ia++] " " n[i]
			else if (t[i] == 28 && ib <= n6) print b[ib++] " " n[i]
		}
	}'
	# Over TCP, and in QUIC Initial packets (keys derived from public values, which both
	# tshark and iotscope open); not gQUIC, whose server name is no TLS extension.
	tshark -r "$1" -Y '(tcp || quic) && tls.handshake.type == 1 &&
	    tls.handshake.extensions_server_name' \
	    -T fields -e ip.dst -e ipv6.dst -e tls.handshake.extensions_server_name 2>/dev/null |
	awk -F'\t' '{ print ($1 != "" ? $1 : $2) " " $3 }'
	tshark -r "$1" -Y 'http.request && http.host' -T fields -e ip.dst -e ipv6.dst \
	    -e http.host 2>/dev/null |
	awk -F'\t' '{
		h = $3; sub(/:[0-9]+$/, "", h)
		if (h ~ /^\[/ || h ~ /^[0-9.]+$/ || h == "") next
		print ($1 != "" ? $1 : $2) " " h
	}'
}

check() {
	"$IOTSCOPE" -q -r "$1" --report json >"$TMP/r.json" 2>/dev/null
	jq -r '.names[] | select(.source != "mdns") | "\(.ip) \(.name)"' "$TMP/r.json" |
	    sort -u >"$TMP/ours"
	tshark_names "$1" | sort -u >"$TMP/theirs"
	n=$(wc -l <"$TMP/theirs")
	[ "$n" -gt 0 ] || return 0
	if cmp -s "$TMP/ours" "$TMP/theirs"; then
		pass "$2: $n address-name pairs equal tshark's"
	else
		fail "$2: names differ from tshark's (< iotscope, > tshark):
$(diff "$TMP/ours" "$TMP/theirs" | head -10)"
	fi
	# Every named destination's name is one tshark shows for that address.
	bad=$(jq -r '.destinations[] | select(.name != null and .range == "public") |
	    "\(.ip) \(.name)"' "$TMP/r.json" | sort -u | comm -23 - "$TMP/theirs" | head -3)
	if [ -z "$bad" ]; then
		pass "$2: every destination's name is one tshark shows"
	else
		fail "$2: destination names tshark does not show: $bad"
	fi
}

"$GEN" demo -o "$TMP/demo.pcap"
check "$TMP/demo.pcap" demo
if have_shared; then
	for f in $(find "$SHARED_PCAPS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o \
	    -name '*.pcap.gz' -o -name '*.pcapng.gz' \) | sort); do
		case ${f#"$SHARED_PCAPS"/} in
		hostile/*) continue ;;		# damage, checked by shared-hostile.sh
		linktypes/dlt_ppp.pcap) continue ;;	# PPP is counted, not decoded
		esac
		check "$f" "${f#"$SHARED_PCAPS"/}"
	done
else
	skip "../shared/pcaps not present"
fi
finish
