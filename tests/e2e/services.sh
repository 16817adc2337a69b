#!/bin/sh
# services.sh — the "services" of each destination in the JSON and CSV reports, exactly, for
# destinations reached only by protocols without ports (ICMP, ICMPv6, IGMP), one reached by TCP
# and ICMP, and DNS ones before and after them (a row without ports once showed uninitialised
# bytes or the row before's "UDP/53").
. "$TESTLIB"
need jq jq

"$GEN" noports -o "$TMP/np.pcap" >/dev/null 2>&1 || { fail "generator writes noports"; finish; }
"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator writes demo"; finish; }

# csv_services FILE: "device_mac ip services" per row of destinations.csv, by the header's names
# (quoted cells may hold commas).
csv_services() {
	tr -d '\r' <"$1" | awk '
	function split_csv(line, f,    n, i, c, q, cell) {
		n = 0; cell = ""; q = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (q) {
				if (c == "\"" && substr(line, i + 1, 1) == "\"") { cell = cell c; i++ }
				else if (c == "\"") q = 0
				else cell = cell c
			} else if (c == "\"") q = 1
			else if (c == ",") { f[++n] = cell; cell = "" }
			else cell = cell c
		}
		f[++n] = cell
		return n
	}
	NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
	{ split_csv($0, f); print f[col["device_mac"]], f[col["ip"]], f[col["services"]] }'
}

expected='00:17:88:6f:a2:04 239.255.255.250 IGMP
24:0a:c4:5e:12:f3 8.8.8.8 TCP/443;ICMP
3c:8d:20:91:5c:e7 2001:4860:4860::8888 ICMPv6
50:c7:bf:3a:81:01 192.168.1.20 UDP/53
c0:56:e3:4d:21:9a 1.1.1.1 ICMP
c0:56:e3:4d:21:9a 192.168.1.1 UDP/53'

"$IOTSCOPE" -q -r "$TMP/np.pcap" --report json >"$TMP/np.json"
check "json: exit 0" 0 "$?"
check "json: every destination's services, exactly" "$expected" \
	"$(jq -r '.destinations[] | "\(.device_mac) \(.ip) \(.services | join(";"))"' \
	"$TMP/np.json" | sort)"
check "json: services are lists of strings" "true" \
	"$(jq '[.destinations[].services | type == "array" and all(type == "string")] | all' \
	"$TMP/np.json")"

"$IOTSCOPE" -q -r "$TMP/np.pcap" --report csv -o "$TMP/csv"
check "csv: exit 0" 0 "$?"
check "csv: every destination's services, exactly" "$expected" \
	"$(csv_services "$TMP/csv/destinations.csv" | sort)"

# The ground truth the generator wrote agrees (its list separator is a comma).
"$GEN" noports -o /dev/null --truth "$TMP/np.truth" >/dev/null 2>&1
for ip in 1.1.1.1 2001:4860:4860::8888 239.255.255.250 8.8.8.8; do
	want=$(awk -F'\t' -v ip="ip=$ip" '$1 == "dest" && $3 == ip { sub("services=", "", $4);
		gsub(",", ";", $4); print $4 }' "$TMP/np.truth")
	check "truth: $ip" "$want" \
		"$(jq -r --arg ip "$ip" '.destinations[] | select(.ip == $ip) | .services | join(";")' \
		"$TMP/np.json")"
done

# The demo's one ICMP-only destination: the phone's pings to 8.8.8.8.
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json >"$TMP/demo.json"
check "demo: the phone's pings to 8.8.8.8" '["ICMP"]' \
	"$(jq -c '.destinations[] | select(.ip == "8.8.8.8" and .device_mac == "3c:8d:20:91:5c:e7") |
	.services' "$TMP/demo.json")"

finish
