#!/bin/sh
# filter.sh — the capture filter on files (-r) keeps exactly the packets tcpdump keeps with the
# same expression, given as trailing arguments, with -f and with -F: the counts in the report
# and, through -w, the packets themselves (bytes and timestamps).  A bad expression exits 2
# with one line carrying libpcap's message.
. "$TESTLIB"
need tcpdump tcpdump
need jq jq
# The expressions go unquoted as trailing arguments, as a user types them: no globbing.
set -f

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator runs"; finish; }

# dump FILE: every packet with its nanosecond time and bytes, as tcpdump prints them.
dump() {
	tcpdump -r "$1" -nn -tt --time-stamp-precision=nano -xx 2>/dev/null
}

# same_as_tcpdump FILE EXPR: iotscope -r FILE with EXPR given each way in $hows (trailing
# arguments, -f, -F: a file with the expression's words on two lines and comments) against
# tcpdump -r FILE EXPR.
same_as_tcpdump() {
	f=$1 expr=$2 name=$(basename "$1")
	if ! tcpdump -r "$f" -w "$TMP/want.pcap" "$expr" 2>"$TMP/tcpdump.err"; then
		fail "$name '$expr': tcpdump refuses it: $(tail -1 "$TMP/tcpdump.err")"
		return
	fi
	dump "$TMP/want.pcap" >"$TMP/want.txt"
	want=$(tcpdump -nn -r "$TMP/want.pcap" 2>/dev/null | wc -l)
	echo "$expr" | awk '{
		print "# the filter"
		for (i = 1; i <= NF; i++) {
			sep = i == NF ? "\n" : " "
			if (i == int(NF / 2))
				sep = "  # as tcpdump -F reads it\n"
			printf "%s%s", $i, sep
		} }' >"$TMP/expr"
	for how in $hows; do
		rm -f "$TMP/got.pcapng"
		case $how in
		args)	"$IOTSCOPE" -q -r "$f" -w "$TMP/got.pcapng" --report json $expr ;;
		f)	"$IOTSCOPE" -q -r "$f" -w "$TMP/got.pcapng" --report json -f "$expr" ;;
		F)	"$IOTSCOPE" -q -r "$f" -w "$TMP/got.pcapng" --report json -F "$TMP/expr" ;;
		esac >"$TMP/got.json" 2>"$TMP/err"
		rc=$?
		got=$(jq .capture.packets "$TMP/got.json" 2>/dev/null)
		if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
			fail "$name '$expr' ($how): $got packets (exit $rc), tcpdump $want: \
$(head -c 200 "$TMP/err")"
		elif ! dump "$TMP/got.pcapng" | cmp -s - "$TMP/want.txt"; then
			fail "$name '$expr' ($how): $want packets, but not the same ones"
		else
			pass "$name '$expr' ($how): the $want packets tcpdump keeps"
		fi
	done
}

hows="args f"
for expr in 'tcp port 80' 'udp' 'host 192.168.1.20' 'not arp' 'ether host c0:56:e3:4d:21:9a' \
    'ip6' 'tcp[tcpflags] & tcp-syn != 0' 'port 53 or port 5353' 'net 192.168.1.0/28' \
    'greater 500' 'icmp' 'ether broadcast' 'src port 68' 'vlan'; do
	same_as_tcpdump "$TMP/demo.pcap" "$expr"
done
hows=F
for expr in 'ether multicast and not ip6' 'tcp and dst port 80 and tcp[tcpflags] & tcp-push != 0' \
    'udp'; do
	same_as_tcpdump "$TMP/demo.pcap" "$expr"
done

# Real captures, each expression given one way (the ways differ only in how the words are read).
if have_shared; then
	hows=f
	for expr in 'tcp port 443' 'udp port 5353' 'ip6 and udp' 'not (tcp or udp)' \
	    'host 17.248.176.75' 'len > 1000'; do
		same_as_tcpdump "$SHARED_PCAPS/iot/iphone.pcap" "$expr"
	done
	hows=args
	same_as_tcpdump "$SHARED_PCAPS/names/http_ipv6.pcap" 'ip6 and tcp port 443'
	same_as_tcpdump "$SHARED_PCAPS/linktypes/http-vlan-0.pcap" 'vlan and tcp'
	same_as_tcpdump "$SHARED_PCAPS/linktypes/LINKTYPE_RAW_ipv4.pcap" 'udp port 53'
	same_as_tcpdump "$SHARED_PCAPS/linktypes/linux-sll2.pcap" 'udp or icmp'
	same_as_tcpdump "$SHARED_PCAPS/iot/sonos.pcapng" 'udp'
else
	skip "../shared/pcaps absent: filters on the demo only"
fi

# A bad expression: exit 2, one line carrying libpcap's message (tcpdump's, without its name).
for expr in 'tcp prot 80' 'host nosuchhost.invalid' 'port 99999'; do
	tcpdump -r "$TMP/demo.pcap" "$expr" 2>&1 >/dev/null | sed -n 's/^tcpdump: //p' >"$TMP/want"
	for how in args f; do
		if [ $how = args ]; then
			"$IOTSCOPE" -r "$TMP/demo.pcap" --report json $expr
		else
			"$IOTSCOPE" -r "$TMP/demo.pcap" --report json -f "$expr"
		fi >/dev/null 2>"$TMP/err"
		check "bad filter '$expr' ($how): exit 2" 2 $?
		check "bad filter '$expr' ($how): one line with libpcap's message" \
		    "iotscope: bad filter expression: $(cat "$TMP/want")" "$(cat "$TMP/err")"
	done
done

finish
