#!/bin/sh
# linktypes.sh — the demo capture under every link type iotscope decodes: the same TCP/UDP
# conversations with the same packet counts, devices keyed by MAC or by IP as the link allows,
# nothing malformed; and, where tshark is installed, the same conversation figures as tshark.
. "$TESTLIB"
need jq jq
here=$(dirname "$0")

convs() {
	jq -r '.flows[] | select(.transport == "TCP" or .transport == "UDP") |
		"\(.transport) \(.a_ip)/\(.a_port) \(.b_ip)/\(.b_port) \(.packets)"' "$1" | sort
}

"$GEN" demo -o "$TMP/ether.pcap"
"$IOTSCOPE" -q -r "$TMP/ether.pcap" --report json >"$TMP/ether.json"
convs "$TMP/ether.json" >"$TMP/ether.convs"
ndev=$(jq '.devices | length' "$TMP/ether.json")

for spec in vlan:EN10MB qinq:EN10MB sll:LINUX_SLL sll2:LINUX_SLL2 raw:RAW null:NULL loop:LOOP \
    80211:IEEE802_11 radiotap:IEEE802_11_RADIO; do
	link=${spec%%:*}
	name=${spec#*:}
	"$GEN" demo --link "$link" -o "$TMP/$link.pcap"
	"$IOTSCOPE" -q -r "$TMP/$link.pcap" --report json >"$TMP/$link.json"
	J="$TMP/$link.json"
	check "$link: link type" "$name" "$(jq -r '.linktypes[0].name' "$J")"
	check "$link: nothing malformed or truncated" "0 0" \
		"$(jq -r '"\(.overview.malformed) \(.overview.truncated)"' "$J")"
	convs "$J" >"$TMP/$link.convs"
	cmp -s "$TMP/ether.convs" "$TMP/$link.convs" &&
		pass "$link: same conversations and packet counts as Ethernet" ||
		fail "$link: conversations differ: $(diff "$TMP/ether.convs" "$TMP/$link.convs" | head -4)"
	case $link in
	vlan|qinq)
		check "$link: every frame tagged" "$(jq .capture.packets "$J")" \
			"$(jq .overview.vlan_tagged "$J")"
		check "$link: same devices" "$ndev" "$(jq '.devices | length' "$J")" ;;
	80211|radiotap)
		check "$link: same devices" "$ndev" "$(jq '.devices | length' "$J")" ;;
	raw|null|loop)
		# No MACs on the link: devices by local address, with the MAC DHCP told of.
		check "$link: same devices" "$ndev" "$(jq '.devices | length' "$J")"
		check "$link: the router keyed by its IP" "null" \
			"$(jq -r '.devices[] | select(.ips | index("192.168.1.1")) | .mac' "$J")"
		check "$link: DHCP clients keep their MAC" "5" \
			"$(jq '[.devices[] | select(.mac != null and (.names | length) > 0)] | length' "$J")" ;;
	sll|sll2)
		# Devices are the senders the cooked header names.
		n=$(jq '[.devices[] | select(.mac != null)] | length' "$J")
		check "$link: devices by source MAC" "$ndev" "$n" ;;
	esac
	if command -v tshark >/dev/null 2>&1; then
		sh "$here/conv-compare.sh" "$TMP/$link.pcap" "$TMP/cmp" 2>/dev/null
		cmp -s "$TMP/cmp/ours" "$TMP/cmp/tshark" && pass "$link: equals tshark" ||
			fail "$link: differs from tshark: $(diff "$TMP/cmp/ours" "$TMP/cmp/tshark" | head -4)"
	fi
done
finish
