#!/bin/sh
# geo.sh — destinations' countries and network owners from MaxMind-format databases: fixture
# databases built here (tests/geo/make-fixtures.pl, both country layouts and ASN, IPv4 and
# IPv6) answer as tests/geo/fixtures.txt says; special ranges are labelled, never looked up;
# disagreeing databases are all kept and marked, the tables count the first one's answer;
# the countries table, device × country matrix and organisations add up; the databases are
# named in every report; a missing or broken database is a one-line error; an owner's name
# with escape sequences is printed escaped.  With real databases from `make geoip`, every
# public destination's country equals mmdblookup's.
. "$TESTLIB"
need jq jq
need perl perl
if ! perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
	skip "perl MaxMind::DB::Writer missing (Debian package libmaxmind-db-writer-perl)"
	finish
fi
here=$(cd "$(dirname "$0")/.." && pwd)
fx=$here/geo/fixtures.txt
perl "$here/geo/make-fixtures.pl" "$TMP/geo" >/dev/null || { fail "make-fixtures.pl"; finish; }
G=$TMP/geo

# want IP DB FIELD: the fixture's answer (field 4: country, 8: asn, 9: org), "-" for none.
want() {
	awk -F'|' -v ip="$1" -v db="$2" -v f="$3" '$1 == ip && $2 == db { print $f; found = 1 }
	    END { if (!found) print "-" }' "$fx"
}

"$GEN" demo -o "$TMP/demo.pcap"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json --geoip "$G/GeoLite2-Country.mmdb" \
    --geoip "$G/dbip-country.mmdb" --geoip "$G/GeoLite2-ASN.mmdb" >"$TMP/r.json"
check "--geoip: three databases, in order, recognised" \
    "country GeoLite2-Country, country country ipvAll, asn GeoLite2-ASN" \
    "$(jq -r '[.geoip[] | "\(.kind) \(.type)"] | join(", ")' "$TMP/r.json")"
check "--geoip: build dates from the metadata" "3" \
    "$(jq '[.geoip[] | select(.build_date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))] | length' "$TMP/r.json")"

# Every public destination against the fixture table, each database's answer in order.
bad=0
n=0
for ip in $(jq -r '[.destinations[] | select(.range == "public") | .ip] | unique[]' "$TMP/r.json"); do
	n=$((n + 1))
	c1=$(want "$ip" GeoLite2-Country 4)
	c2=$(want "$ip" dbip-country 4)
	asn=$(want "$ip" GeoLite2-ASN 8)
	org=$(want "$ip" GeoLite2-ASN 9)
	dis=false
	[ "$c1" != - ] && [ "$c2" != - ] && [ "$c1" != "$c2" ] && dis=true
	exp="$( [ "$c1" = - ] && echo null || echo "$c1") [\"$( [ "$c1" = - ] || echo "$c1")\",\"$( [ "$c2" = - ] || echo "$c2")\"] $dis $( [ "$asn" = - ] && echo null || echo "$asn") $( [ "$org" = - ] && echo null || echo "$org")"
	got=$(jq -r --arg ip "$ip" '[.destinations[] | select(.ip == $ip)][0] |
	    "\(.country_code) \(.countries | tojson) \(.countries_disagree) \(.asn) \(.org)"' "$TMP/r.json")
	if [ "$exp" != "$got" ]; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && echo "  $ip: want $exp, got $got"
	fi
done
if [ "$bad" -eq 0 ] && [ "$n" -ge 10 ]; then
	pass "$n public destinations: countries (both databases), disagreement, AS and owner as the fixtures say"
else
	fail "$bad of $n public destinations differ from the fixtures"
fi
check "registered_country when the country is absent (162.159.200.123)" \
    "$(want 162.159.200.123 GeoLite2-Country 4)" \
    "$(jq -r '[.destinations[] | select(.ip == "162.159.200.123")][0].country_code' "$TMP/r.json")"
check "an IPv6 destination (2606:4700:3031::6815:3a2c)" \
    "$(want 2606:4700:3031::6815:3a2c GeoLite2-Country 4) $(want 2606:4700:3031::6815:3a2c GeoLite2-ASN 8)" \
    "$(jq -r '[.destinations[] | select(.ip == "2606:4700:3031::6815:3a2c")][0] | "\(.country_code) \(.asn)"' "$TMP/r.json")"
check "a destination lists every name it went by (DNS with its CNAME chain, SNI)" \
    '["dns:api.camvendor.example-cloud.com > d3k4p9wzq1x7ab.cloudfront.net","sni:api.camvendor.example-cloud.com"]' \
    "$(jq -c '[.destinations[] | select(.ip == "52.84.150.21")][0].names | map(sub(" [^ ]*$"; ""))' "$TMP/r.json")"
check "English country names" "United States" \
    "$(jq -r '[.destinations[] | select(.ip == "8.8.8.8")][0].country' "$TMP/r.json")"
check "special ranges labelled, not looked up" \
    "broadcast null multicast null multicast null private null" \
    "$(jq -r '[.destinations[] | select(.ip == "255.255.255.255" or .ip == "224.0.0.251" or .ip == "ff02::fb" or .ip == "192.168.1.1")] | unique_by(.ip) | sort_by(.range) | map("\(.range) \(.country_code)") | join(" ")' "$TMP/r.json")"

# The tables add up, and count each destination under the first database's answer.
check "countries table = destinations summed by first answer" \
    "$(jq -c '[.destinations[] | select(.range == "public")] | group_by(.country_code) |
	map({cc: .[0].country_code, bytes: (map(.bytes_out + .bytes_in) | add), dests: length}) |
	sort_by(.cc)' "$TMP/r.json")" \
    "$(jq -c '[.countries[] | {cc: .country_code, bytes: (.bytes_out + .bytes_in), dests: .destinations}] | sort_by(.cc)' "$TMP/r.json")"
check "device x country cells = each device's destinations there" \
    "$(jq -c '[.destinations[] | select(.range == "public")] | group_by([.device, .country_code]) |
	map({d: .[0].device, cc: .[0].country_code, b: (map(.bytes_out + .bytes_in) | add)}) | sort_by(.d, .cc)' "$TMP/r.json")" \
    "$(jq -c '[.device_countries[] | {d: .device, cc: .country_code, b: .bytes}] | sort_by(.d, .cc)' "$TMP/r.json")"
check "organisations table = destinations summed by AS" \
    "$(jq -c '[.destinations[] | select(.range == "public")] | group_by(.asn) | map({asn: .[0].asn, b: (map(.bytes_out + .bytes_in) | add)}) | sort_by(.asn)' "$TMP/r.json")" \
    "$(jq -c '[.organisations[] | {asn, b: (.bytes_out + .bytes_in)}] | sort_by(.asn)' "$TMP/r.json")"
check "devices reaching more than one country" \
    "$(jq '[.destinations[] | select(.range == "public" and .country_code != null)] | group_by(.device) | map(select((map(.country_code) | unique | length) > 1)) | length' "$TMP/r.json")" \
    "$(jq '.geo_summary.devices_in_several_countries' "$TMP/r.json")"
check "a disagreement is marked in the countries table" "true" \
    "$(jq '[.countries[] | select(.databases_disagree)] | length > 0' "$TMP/r.json")"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json --geoip "$G/dbip-country.mmdb" \
    --geoip "$G/GeoLite2-Country.mmdb" >"$TMP/r2.json"
check "the first database decides (dbip first for 47.254.130.44)" \
    "$(want 47.254.130.44 dbip-country 4)" \
    "$(jq -r '[.destinations[] | select(.ip == "47.254.130.44")][0].country_code' "$TMP/r2.json")"

# Databases from IOTSCOPE_GEOIP (a folder: every .mmdb, in name order), and none at all.
IOTSCOPE_GEOIP=$G "$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json >"$TMP/r3.json"
check "IOTSCOPE_GEOIP folder: four databases in name order" \
    "GeoLite2-ASN.mmdb GeoLite2-Country.mmdb dbip-country.mmdb geo-whois-asn-country.mmdb" \
    "$(jq -r '[.geoip[].path | split("/") | last] | join(" ")' "$TMP/r3.json")"
mkdir -p "$TMP/none"
IOTSCOPE_GEOIP=$TMP/none "$IOTSCOPE" -q -r "$TMP/demo.pcap" >"$TMP/t.txt"
grep -q "none: countries and network owners are unknown.  Run \`make geoip\`" "$TMP/t.txt" &&
	pass "no database: the text report says how to add one" ||
	fail "no database: no advice in the text report"
check "no database: destinations still listed, countries unknown" "true null" \
    "$(IOTSCOPE_GEOIP=$TMP/none "$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json |
	jq -r '"\(.destinations | length > 10) \([.destinations[] | select(.range == "public")][0].country_code)"')"

# Bad databases: one line each, the report still made.
"$IOTSCOPE" -r "$TMP/demo.pcap" --report json --geoip "$TMP/missing.mmdb" >"$TMP/m.json" 2>"$TMP/m.err"
rc=$?
check "missing --geoip file: exit status 1" 1 "$rc"
check "missing --geoip file: one line naming it" 1 \
    "$(grep -c "missing.mmdb: No such file" "$TMP/m.err")"
check "missing --geoip file: the report is still made" true \
    "$(jq '.destinations | length > 0' "$TMP/m.json")"
head -c 4096 /dev/urandom >"$TMP/bad.mmdb"
"$IOTSCOPE" -r "$TMP/demo.pcap" --report json --geoip "$TMP/bad.mmdb" >/dev/null 2>"$TMP/b.err"
check "not a MaxMind database: one line naming it" 1 "$(grep -c "bad.mmdb: " "$TMP/b.err")"

# An owner whose name carries escape sequences (5.45.100.9 in the fixtures), and a
# documentation address the fixtures answer for but iotscope must not look up.
hex="d4c3b2a1020004000000000000000000ffff000001000000"
frame() {	# frame DST_IP_HEX: UDP 192.168.1.50:4000 -> DST:4001, 4 bytes of payload
	ip="450000200001000040110000c0a80132$1"
	f="00112233445502aabbccddee0800${ip}0fa00fa1000c0000deadbeef"
	len=$(printf '%08x' $((${#f} / 2)) | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
	printf '%s' "0100000000000000${len}${len}${f}"
}
perl -e 'print pack("H*", $ARGV[0])' "$hex$(frame 052d6409)$(frame c6336407)" >"$TMP/evil.pcap"
"$IOTSCOPE" -q -r "$TMP/evil.pcap" --geoip "$G/GeoLite2-Country.mmdb" \
    --geoip "$G/GeoLite2-ASN.mmdb" >"$TMP/evil.txt"
if grep -q "$(printf '\033')" "$TMP/evil.txt"; then
	fail "owner with escape sequences: raw ESC in the text report"
else
	pass "owner with escape sequences: no raw ESC in the text report"
fi
grep -qF 'Evil\x1b]0;owned\x07' "$TMP/evil.txt" && pass "owner with escape sequences: shown escaped" ||
	fail "owner with escape sequences: not shown escaped: $(grep -a Evil "$TMP/evil.txt" | head -1)"
check "a documentation address is labelled, not looked up" "documentation null null" \
    "$("$IOTSCOPE" -q -r "$TMP/evil.pcap" --report json --geoip "$G/GeoLite2-Country.mmdb" \
	--geoip "$G/GeoLite2-ASN.mmdb" | jq -r '[.destinations[] | select(.ip == "198.51.100.7")][0] | "\(.range) \(.country_code) \(.asn)"')"

# Answers are cached per /24 only where every database's network covers it: a /25 splits
# 5.61.7.0/24 (JP below .128, FR above), while 5.61.200.0/24 lies in one /17 of each.
perl -e 'print pack("H*", $ARGV[0])' "$hex$(frame 053d0701)$(frame 053d07c8)$(frame 053d0702)$(frame 053d07c9)" >"$TMP/split.pcap"
check "a /24 split by a /25: each address its own network's country" "5.61.7.1 JP,5.61.7.2 JP,5.61.7.200 FR,5.61.7.201 FR" \
    "$("$IOTSCOPE" -q -r "$TMP/split.pcap" --report json --geoip "$G/GeoLite2-Country.mmdb" \
	--geoip "$G/dbip-country.mmdb" --geoip "$G/GeoLite2-ASN.mmdb" |
	jq -r '[.destinations[] | "\(.ip) \(.country_code)"] | sort | join(",")')"
perl -e 'print pack("H*", $ARGV[0])' "$hex$(frame 053dc801)$(frame 053dc802)$(frame 053dc803)$(frame 053dc901)" >"$TMP/net24.pcap"
"$IOTSCOPE" -q -r "$TMP/net24.pcap" --report json --profile --geoip "$G/GeoLite2-Country.mmdb" \
    --geoip "$G/dbip-country.mmdb" --geoip "$G/GeoLite2-ASN.mmdb" >"$TMP/n24.json"
check "three addresses of one /24 and one of the next: the three databases asked twice each" \
    "6 JP,JP,JP,JP" "$(jq -r '"\(.profile.geo_lookups) \([.destinations[].country_code] | join(","))"' "$TMP/n24.json")"

# A report of 12,000 flows is formatted on several threads (report-par.h): each flow's
# country and owner are its address's, the same as one thread writes them (23.0.0.1-127
# answered, 128-250 not), and every flow is there once, in order.
"$GEN" udpflows --flows 12000 --addrs 250 -o "$TMP/many.pcap" >/dev/null
"$IOTSCOPE" -q -r "$TMP/many.pcap" --report json --geoip "$G/GeoLite2-Country.mmdb" \
    --geoip "$G/GeoLite2-ASN.mmdb" >"$TMP/many.json"
check "12,000 flows written on several threads: countries and owners by address, ids in order" \
    "12000 0 0 true" "$(jq -r '[.flows[] | .b_ip | split(".")[3] | tonumber] as $o |
	[.flows[]] as $f | "\($f | length) \([range(0; $f | length) |
	select(($f[.].b_country == "NL" and $f[.].b_org == "Scale Example") != ($o[.] < 128))] |
	length) \([range(1; $f | length) | select($f[.].id <= $f[. - 1].id)] | length) \(
	[$f[] | select(.b_ip | startswith("23.0.0."))] | length == ($f | length))"' "$TMP/many.json")"

# The same flows as CSV (also formatted on several threads).
"$IOTSCOPE" -q -r "$TMP/many.pcap" --report csv -o "$TMP/many-csv" --geoip "$G/GeoLite2-Country.mmdb" \
    --geoip "$G/GeoLite2-ASN.mmdb"
check "12,000 flows as CSV: countries and owners by address, ids in order" "12000 0 0" \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ n++; split($col["b_ip"], o, ".")
	  if (($col["b_country"] == "NL" && $col["b_org"] == "Scale Example") != (o[4] < 128)) bad++
	  if (n > 1 && $col["id"] + 0 <= prev) order++; prev = $col["id"] + 0 }
	END { print n, bad + 0, order + 0 }' "$TMP/many-csv/flows.csv")"

# Real databases (make geoip): every public destination's country is mmdblookup's.
real=$here/../share/geoip/dbip-country.mmdb
if [ -f "$real" ] && command -v mmdblookup >/dev/null 2>&1; then
	for f in "$TMP/demo.pcap" $( [ -n "${SHARED_PCAPS:-}" ] && [ -d "$SHARED_PCAPS/iot" ] &&
	    find "$SHARED_PCAPS/iot" -type f | sort); do
		"$IOTSCOPE" -q -r "$f" --report json --geoip "$real" >"$TMP/real.json" 2>/dev/null
		bad=0
		n=0
		for ip in $(jq -r '[.destinations[] | select(.range == "public") | .ip] | unique[]' "$TMP/real.json"); do
			n=$((n + 1))
			m=$(mmdblookup --file "$real" --ip "$ip" country_code 2>/dev/null |
			    sed -n 's/^ *"\(..\)" <utf8_string>.*/\1/p')
			g=$(jq -r --arg ip "$ip" '[.destinations[] | select(.ip == $ip)][0].country_code // ""' "$TMP/real.json")
			[ "$m" = "$g" ] || { bad=$((bad + 1)); echo "  $ip: mmdblookup '$m', iotscope '$g'"; }
		done
		[ "$n" -eq 0 ] && continue
		if [ "$bad" -eq 0 ]; then
			pass "${f##*/}: $n public destinations' countries equal mmdblookup's (dbip-country)"
		else
			fail "${f##*/}: $bad of $n countries differ from mmdblookup's"
		fi
	done
else
	skip "no real database (make geoip) or no mmdblookup: the comparison with mmdblookup"
fi
finish
