#!/bin/sh
# conv-compare.sh CAPTURE OUTDIR — writes OUTDIR/ours and OUTDIR/tshark: one line per TCP or UDP
# conversation, "PROTO LO-ENDPOINT HI-ENDPOINT PACKETS BYTES", sorted, from iotscope's JSON and
# from tshark's per-frame fields (tcp.stream/udp.stream, frame.len).  Non-first IP fragments,
# which tshark (without reassembly) leaves outside any stream, are charged by (src, dst, IP id)
# to the stream of their first fragment, as iotscope does.  ICMP errors quoting a UDP/TCP
# header are not part of that conversation.
set -eu
cap=$1
out=$2
mkdir -p "$out"
rm -f "$out/ours.json"

"$IOTSCOPE" -q -r "$cap" --report json -o "$out/ours.json" || true
jq -r '.flows[] | select(.transport == "TCP" or .transport == "UDP") |
	[.transport, (.a_ip + "/" + (.a_port|tostring)), (.b_ip + "/" + (.b_port|tostring)),
	 .packets, .bytes] | @tsv' "$out/ours.json" |
awk -F'\t' '{ a = $2; b = $3; if (a > b) { t = a; a = b; b = t }
	print $1 " " a " " b " " $4 " " $5 }' | sort >"$out/ours"

tshark -n -r "$cap" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	-o tcp.desegment_tcp_streams:FALSE -T fields -E occurrence=f -E separator='|' \
	-e frame.len -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst \
	-e ip.id -e ip.frag_offset -e ipv6.fraghdr.ident -e ipv6.fraghdr.offset \
	-e frame.protocols -e frame.number -e ip.flags.mf -e ipv6.fraghdr.more \
	-e ip.proto -e ipv6.fraghdr.nxt \
	-e tcp.stream -e tcp.srcport -e tcp.dstport -e udp.stream -e udp.srcport -e udp.dstport \
	2>/dev/null |
awk -F'|' '
{
	len = $1; src = ($2 != "") ? $2 : $4; dst = ($3 != "") ? $3 : $5
	id = ($6 != "") ? $6 : $8; off = ($7 != "") ? $7 : $9
	mf = ($12 != "") ? $12 : $13; proto = ($14 != "") ? $14 : $15
	# ICMP quoting a UDP/TCP header is not part of that conversation.
	n = split($10, layer, ":")
	for (i = 1; i <= n; i++)
		if (layer[i] ~ /^(tcp|udp|icmp|icmpv6)$/)
			break
	if (i <= n && layer[i] ~ /^icmp/) next
	fk = src "|" dst "|" id "|" proto
	if ($16 != "") {
		k = "TCP " $16; a = src "/" $17; b = dst "/" $18
	} else if ($19 != "") {
		# UDP has no connection: one conversation per endpoint pair (tshark splits some,
		# as SNMP responses, into streams of their own).
		a = src "/" $20; b = dst "/" $21; if (a > b) { t = a; a = b; b = t }
		k = "UDP " a " " b
	} else if (off != "" && off != "0" && (fk in frag)) {
		k = frag[fk]
	} else
		next
	if (!(k in ep)) { if (a > b) { t = a; a = b; b = t }; ep[k] = a " " b }
	if (off == "0" && (mf == "1" || mf == "True"))
		frag[fk] = k
	pk[k]++; by[k] += len
}
END { for (k in pk) { split(k, p, " "); print p[1] " " ep[k] " " pk[k] " " by[k] } }' |
sort >"$out/tshark"
