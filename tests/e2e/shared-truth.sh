#!/bin/sh
# shared-truth.sh — what ../shared/pcaps/SOURCES.md says each capture holds, as iotscope
# reports it: devices and their names, link types, formats, damage counts, names.
. "$TESTLIB"
need jq jq
if ! have_shared; then
	echo "SKIP: ../shared/pcaps not present"
	exit 77
fi
S=$SHARED_PCAPS

# q FILE JQ-EXPR: the report of FILE as JSON, filtered (raw output, one line).
q() {
	"$IOTSCOPE" -q -r "$S/$1" --report json 2>/dev/null | jq -r -c "$2"
}

# Devices and the names they announce.
check "dhcp.pcap: DHCP host name of 90:b1:1c:99:49:29" "btest.is.cool" \
	"$(q iot/dhcp.pcap '.devices[] | select(.mac == "90:b1:1c:99:49:29") | .name')"
check "dhcp.pcap: vendor class ArubaAP" "true" \
	"$(q iot/dhcp.pcap '[.devices[].names[]] | index("dhcp-vendor:ArubaAP") != null')"
check "dhcp.pcap: the ACKed address" '["128.2.6.189"]' \
	"$(q iot/dhcp.pcap '.devices[] | select(.mac == "90:b1:1c:99:49:29") | .ips')"
check "blink-cam-01: camera name" "F4B85EFF2B1B-mysimplelink" \
	"$(q iot/blink-cam-01.pcap '.devices[] | select(.mac == "f4:b8:5e:ff:2b:1b") | .name')"
check "blink-cam-01: camera IP" '["192.168.1.129"]' \
	"$(q iot/blink-cam-01.pcap '.devices[] | select(.mac == "f4:b8:5e:ff:2b:1b") | .ips')"
check "blink-cam-01: frames cut by the snap length" "14790" \
	"$(q iot/blink-cam-01.pcap '.overview.truncated')"
check "blink-cam-01: the gateway side is VLAN-tagged" "9133" \
	"$(q iot/blink-cam-01.pcap '.overview.vlan_tagged')"
check "blink-cam-01: the gateway is marked" "00:1c:7f:53:d0:28" \
	"$(q iot/blink-cam-01.pcap '.devices[] | select(.gateway) | .mac')"
check "schlage-lock-01: lock name and IP" 'Schlage ["192.168.1.122"]' \
	"$(q iot/schlage-lock-01.pcap '.devices[] | select(.mac == "78:db:2f:db:43:48") |
	    "\(.name) \(.ips | tostring)"')"
check "schlage-lock-01: frames cut by the snap length" "4423" \
	"$(q iot/schlage-lock-01.pcap '.overview.truncated')"
check "mdns.pcap: the host name it claims" "mdns:johanna-QEMU-Virtual-Machine.local" \
	"$(q iot/mdns.pcap '[.devices[].names[]] | map(select(startswith("mdns:"))) | .[0]')"
check "ssdp-m-search-ua: user agent" "Google Chrome/99.0.4844.74 Mac OS X" \
	"$(q iot/ssdp-m-search-ua.pcap '.devices[] | select(.ips | index("192.168.242.50")) | .name')"
check "tplink_shp: every broadcasting plug is a device" "true" \
	"$(q iot/tplink_shp.pcap '[.devices[].ips[]] as $i | ["192.168.242.32", "192.168.242.33",
	    "192.168.242.38", "192.168.242.40", "192.168.242.41", "192.168.242.122"] |
	    all(. as $x | $i | index($x))')"
check "iphone.pcap: DHCP name of the phone" "Lucas-iPhone" \
	"$(q iot/iphone.pcap '.devices[] | select(.ips | index("192.168.2.17")) | .name')"

# Formats and link types.
check "nano.pcapng: nanosecond timestamps kept" "2024-07-18T09:35:18.976755289Z" \
	"$(q linktypes/nano.pcapng '.capture.first')"
check "tcp-handshake-nano: nanosecond pcap" "pcap-ns" \
	"$(q linktypes/tcp-handshake-nano.pcap '.inputs[0].format')"
check "bigendian-pptp: big-endian pcap" "true 23" \
	"$(q linktypes/bigendian-pptp.pcap '"\(.inputs[0].big_endian) \(.capture.packets)"')"
check "802.1ad_QinQ: double-tagged frames" "2" "$(q linktypes/802.1ad_QinQ.pcap '.overview.vlan_tagged')"
check "http-vlan-0: VLAN 0 priority tags" "14 1" \
	"$(q linktypes/http-vlan-0.pcap '"\(.overview.vlan_tagged) \(.capture.flows)"')"
check "linux-sll2: link type" "LINUX_SLL2 6" \
	"$(q linktypes/linux-sll2.pcap '"\(.linktypes[0].name) \(.capture.packets)"')"
check "LINKTYPE_RAW_ipv4: one UDP flow" "1 1" \
	"$(q linktypes/LINKTYPE_RAW_ipv4.pcap '"\(.capture.packets) \(.capture.flows)"')"
check "LINKTYPE_RAW_ipv6: one UDP flow" "1 1" \
	"$(q linktypes/LINKTYPE_RAW_ipv6.pcap '"\(.capture.packets) \(.capture.flows)"')"
check "quic_handshake: BSD NULL, one flow over ::1" "NULL 18 ::1" \
	"$(q linktypes/quic_handshake.pcap '"\(.linktypes[0].name) \(.capture.packets) \(.flows[0].a_ip)"')"
check "80211-wep-auth: protected data counted, not decoded" "2 0" \
	"$(q linktypes/80211-wep-auth.pcap '"\(.overview.wlan_protected) \(.overview.ipv4)"')"
check "80211-wep-auth: the station is a device" "true" \
	"$(q linktypes/80211-wep-auth.pcap '[.devices[].mac] | index("00:14:a5:30:b0:af") != null')"
check "ieee802.11_exthdr: radiotap" "IEEE802_11_RADIO 26" \
	"$(q linktypes/ieee802.11_exthdr.pcap '"\(.linktypes[0].name) \(.capture.packets)"')"
check "pcapng-multi-interface: both interfaces read" "6 3" \
	"$(q linktypes/pcapng-multi-interface.pcapng '"\(.capture.packets) \(.capture.flows)"')"
check "pcapng-multi-interface: names from both" "true" \
	"$(q linktypes/pcapng-multi-interface.pcapng '[.names[].query] | (index("www.apple.com") != null) and (index("google.com") != null)')"
check "pcapng-comments-rtp: comments ignored" "112 30" \
	"$(q linktypes/pcapng-comments-rtp.pcapng '"\(.capture.packets) \(.overview.vlan_tagged)"')"
check "dlt_ppp: named, counted, not decoded" "PPP false 1" \
	"$(q linktypes/dlt_ppp.pcap '"\(.linktypes[0].name) \(.linktypes[0].supported) \(.overview.unsupported_link)"')"
check "dlt_ppp: warns that the link type is not supported" "true" \
	"$(q linktypes/dlt_ppp.pcap '[.warnings[].message] | any(test("not supported"))')"
check "ipv4-fragments-icmp: fragments stay in their ICMP flow" '[{"transport":"ICMP","fragments":24}]' \
	"$(q linktypes/ipv4-fragments-icmp.pcap '[.flows[] | {transport, fragments}]')"
check "ipv6-fragments: fragments stay in their ICMPv6 flows" "ICMPv6 20" \
	"$(q linktypes/ipv6-fragments.pcapng '"\([.flows[].transport] | unique | join(",")) \(.overview.fragments)"')"

# Damage.
check "trunc-hdr: 8 of 78 bytes captured: truncated at the link layer" "1 1 0" \
	"$(q hostile/trunc-hdr.pcap '"\(.overview.truncated) \(.overview.truncated_link) \(.overview.malformed)"')"
check "ftp-truncated: analysed up to the cut" "144 true" \
	"$(q hostile/ftp-truncated.pcap '"\(.inputs[0].packets) \(.inputs[0].truncated)"')"
check "empty.pcapng: no packets, no warning" "0 0" \
	"$(q hostile/empty.pcapng '"\(.capture.packets) \(.warnings | length)"')"
"$IOTSCOPE" -q -r "$S/hostile/header-only-cut.pcap" >/dev/null 2>&1
check "header-only-cut: unreadable, exit 1" "1" "$?"
check "ftp-nvt-long-line.pcap.gz: gunzipped and read" "true 12363" \
	"$(q hostile/ftp-nvt-long-line.pcap.gz '"\(.inputs[0].gzip) \(.capture.packets)"')"
check "http-1000-requests.pcap.gz: one keep-alive connection" "4102 1" \
	"$(q names/http-1000-requests.pcap.gz '"\(.capture.packets) \(.capture.flows)"')"

# Names from DNS answers.
check "dns.pcap: A answers name their addresses" "e7.whatsapp.net" \
	"$(q names/dns.pcap '[.names[].name] | unique | join(",")')"
check "dns_tcp.pcap: DNS over TCP (the answer, and the name servers' glue addresses)" \
	"nic.sandelman.ca,sns.cooperix.net,www.tcpdump.org" \
	"$(q names/dns_tcp.pcap '[.names[].name] | unique | join(",")')"
check "blink-cam-01: the camera's cloud name" "true" \
	"$(q iot/blink-cam-01.pcap '[.names[].query] | index("VS-cam.u011.immedia-semi.com") != null')"
finish
