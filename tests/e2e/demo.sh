#!/bin/sh
# demo.sh — the demo capture against the generator's ground truth (--truth): devices with
# their MAC, IP, DHCP names and vendor, the router as gateway, DNS answers and CNAME chains,
# mDNS and SSDP names, every TCP connection as a flow with the right initiator, exact counts.
. "$TESTLIB"
need jq jq

"$GEN" demo -o "$TMP/demo.pcap" --truth "$TMP/truth" || { fail "generator"; finish; }
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json >"$TMP/r.json"
check "demo: exit status" 0 "$?"
J="$TMP/r.json"

# field LINE KEY: the value of key=value in a tab-separated truth line.
field() {
	printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p" | head -1
}

check "demo: nothing malformed or truncated" "0 0" \
	"$(jq -r '"\(.overview.malformed) \(.overview.truncated)"' "$J")"
check "demo: no warnings" "0" "$(jq '.warnings | length' "$J")"
count=$(grep '^count' "$TMP/truth")
check "demo: packet count" "$(field "$count" packets)" "$(jq '.capture.packets' "$J")"
check "demo: TCP conversations" "$(field "$count" tcp_conversations)" \
	"$(jq '[.flows[] | select(.transport == "TCP")] | length' "$J")"
for k in arp dhcp dns mdns ssdp; do
	n=$(jq ".overview.$k" "$J")
	[ "$n" -gt 0 ] && pass "demo: $k packets seen ($n)" || fail "demo: no $k packets"
done

oui_file=
for f in /usr/share/ieee-data/oui.txt /usr/share/wireshark/manuf; do
	[ -r "$f" ] && { oui_file=$f; break; }
done

tab=$(printf '\t')
grep "^device$tab" "$TMP/truth" >"$TMP/lines1"
while IFS= read -r line; do
	host=$(printf '%s' "$line" | cut -f2)
	mac=$(field "$line" mac)
	ip=$(field "$line" ip)
	vc=$(field "$line" vendor_class)
	vendor=$(field "$line" vendor)
	dev=$(jq -c --arg m "$mac" '.devices[] | select(.mac == $m)' "$J")
	if [ -z "$dev" ]; then
		fail "demo: device $host ($mac) missing"
		continue
	fi
	check "demo: $host name" "$host" "$(printf '%s' "$dev" | jq -r .name)"
	check "demo: $host has IP $ip" "true" "$(printf '%s' "$dev" | jq --arg i "$ip" '.ips | index($i) != null')"
	check "demo: $host vendor class" "true" \
		"$(printf '%s' "$dev" | jq --arg v "dhcp-vendor:$vc" '.names | index($v) != null')"
	check "demo: $host is not a gateway" "false" "$(printf '%s' "$dev" | jq .gateway)"
	if [ -n "$oui_file" ]; then
		got=$(printf '%s' "$dev" | jq -r .vendor)
		case $(echo "$got" | tr 'A-Z' 'a-z') in
		"$(echo "$vendor" | tr 'A-Z' 'a-z')"*) pass "demo: $host vendor $got" ;;
		*) fail "demo: $host vendor: expected '$vendor', got '$got'" ;;
		esac
	fi
	flows=$(printf '%s' "$dev" | jq .flows)
	[ "$flows" -gt 0 ] && pass "demo: $host has flows ($flows)" || fail "demo: $host has no flows"
done <"$TMP/lines1"

router=$(grep "^router$tab" "$TMP/truth")
rmac=$(field "$router" mac)
check "demo: router is the gateway" "true" \
	"$(jq --arg m "$rmac" '.devices[] | select(.mac == $m) | .gateway' "$J")"
check "demo: only the router is a gateway" "1" "$(jq '[.devices[] | select(.gateway)] | length' "$J")"

grep "^dns$tab" "$TMP/truth" >"$TMP/lines2"
while IFS="$tab" read -r _ name addr; do
	check "demo: DNS answer $name = $addr" "true" \
		"$(jq --arg n "$name" --arg a "$addr" '[.names[] | select(.ip == $a and (.name == $n or .query == $n))] | length > 0' "$J")"
done <"$TMP/lines2"
grep "^cname$tab" "$TMP/truth" >"$TMP/lines3"
while IFS="$tab" read -r _ name target; do
	check "demo: CNAME chain $name > $target" "true" \
		"$(jq --arg c "$name > $target" '[.names[] | select(.chain != null and (.chain | startswith($c)))] | length > 0' "$J")"
done <"$TMP/lines3"
grep "^mdns$tab" "$TMP/truth" >"$TMP/lines4"
while IFS= read -r line; do
	host=$(printf '%s' "$line" | cut -f2)
	[ -n "$(field "$line" name)" ] || continue	# a querier, not an announcer
	inst=$(field "$line" instance)
	inst=${inst%%._*}
	check "demo: $host announces $(field "$line" name) over mDNS" "true" \
		"$(jq --arg h "$host" --arg n "mdns:$(field "$line" name)" '.devices[] | select(.name == $h) | .names | index($n) != null' "$J")"
	check "demo: $host announces service $inst" "true" \
		"$(jq --arg h "$host" --arg n "mdns-service:$inst" '.devices[] | select(.name == $h) | .names | index($n) != null' "$J")"
done <"$TMP/lines4"
grep "^ssdp$tab" "$TMP/truth" >"$TMP/lines5"
while IFS= read -r line; do
	host=$(printf '%s' "$line" | cut -f2)
	check "demo: $host SSDP server string" "true" \
		"$(jq --arg h "$host" --arg n "ssdp:$(field "$line" server)" '.devices[] | select(.name == $h) | .names | index($n) != null' "$J")"
done <"$TMP/lines5"

# Every TCP connection is a flow whose initiator is the client.
jq -r '.flows[] | select(.transport == "TCP") |
	if .ip_version == 4 then "\(.a_ip):\(.a_port)>\(.b_ip):\(.b_port)"
	else "[\(.a_ip)]:\(.a_port)>[\(.b_ip)]:\(.b_port)" end' "$J" | sort >"$TMP/ours"
grep "^conv${tab}tcp$tab" "$TMP/truth" | awk -F'\t' '{ print $3 ">" $4 }' | sort >"$TMP/want"
if cmp -s "$TMP/ours" "$TMP/want"; then
	pass "demo: every TCP connection, initiator first ($(wc -l <"$TMP/want"))"
else
	fail "demo: TCP connections differ: $(diff "$TMP/want" "$TMP/ours" | head -5)"
fi
finish
