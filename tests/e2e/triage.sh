#!/bin/sh
# triage.sh — verdicts, protocols and ports on the demo against what the generator planted
# (--truth), and protocol detection on shared captures whose contents SOURCES.md states.
. "$TESTLIB"
need jq jq

"$GEN" demo -o "$TMP/demo.pcap" --truth "$TMP/truth" || { fail "generator"; finish; }
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json >"$TMP/r.json"
J="$TMP/r.json"
tab=$(printf '\t')
field() { printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p" | head -1; }
# flow CLIENT>SERVER JQ: the JSON expression evaluated on that flow.
flow() {
	c=${1%>*}
	s=${1#*>}
	jq -r --arg cp "${c##*:}" --arg sp "${s##*:}" "[.flows[] | select((.a_port|tostring) == \$cp and (.b_port|tostring) == \$sp)][0] | $2" "$J"
}

grep "^tls$tab" "$TMP/truth" >"$TMP/tls"
while IFS="$tab" read -r _ sni ver client server rest; do
	f="${client#client=}>${server#server=}"
	check "TLS $sni: protocol" "TLS" "$(flow "$f" '.proto' | sed 's/MQTT\///')"
	check "TLS $sni: version" "TLS $ver" "$(flow "$f" '.tls_version')"
	check "TLS $sni: SNI" "$sni" "$(flow "$f" '.sni')"
	check "TLS $sni: encrypted both ways" "encrypted/encrypted" \
		"$(flow "$f" '.a_to_b_verdict + "/" + .b_to_a_verdict')"
	check "TLS $sni: on a secure port" "true" "$(flow "$f" '.server_port_secure')"
done <"$TMP/tls"
grep -c "^tls$tab" "$TMP/truth" | grep -q '^[1-9]' && pass "truth lists TLS sessions" ||
	fail "no TLS in the truth"

line=$(grep "^jpeg$tab" "$TMP/truth" | head -1)
f=$(field "$line" flow)
check "JPEG upload over HTTP: compressed, not encrypted" "HTTP compressed JPEG" \
	"$(flow "$f" '"\(.proto) \(.a_to_b_verdict) \(.a_to_b_media)"')"
e=$(flow "$f" '.a_to_b_entropy')
awk -v e="$e" 'BEGIN { exit !(e > 7.0) }' && pass "JPEG upload: entropy $e above the fixed threshold" ||
	fail "JPEG upload entropy $e"
check "JPEG upload: the fixed threshold alone would say encrypted" "encrypted" \
	"$(flow "$f" '.a_to_b_fixed_threshold_verdict')"

line=$(grep "^base64$tab" "$TMP/truth" | head -1)
f=$(field "$line" flow)
check "base64 telemetry: encoded" "encoded" "$(flow "$f" '.a_to_b_verdict')"

line=$(grep "^port-mismatch$tab" "$TMP/truth" | head -1)
f=$(field "$line" flow)
check "plain HTTP on 443: flagged" "HTTP cleartext on a secure port" \
	"$(flow "$f" '"\(.proto) \(.port_mismatch)"')"

line=$(grep "^credential${tab}http-basic" "$TMP/truth" | head -1)
f=$(field "$line" flow)
check "HTTP with Basic auth: cleartext" "HTTP cleartext" "$(flow "$f" '"\(.proto) \(.a_to_b_verdict)"')"
line=$(grep "^credential${tab}mqtt" "$TMP/truth" | head -1)
f=$(field "$line" flow)
check "MQTT CONNECT: cleartext MQTT" "MQTT cleartext" "$(flow "$f" '"\(.proto) \(.a_to_b_verdict)"')"

check "every verdict is one of the five" "" \
	"$(jq -r '.flows[] | .a_to_b_verdict, .b_to_a_verdict' "$J" | grep -v -E '^(cleartext|encoded|compressed|encrypted|unknown)$')"
check "short directions are unknown" "0" \
	"$(jq '[.flows[] | select(.a_to_b_payload_captured < 64 and .a_to_b_verdict != "unknown")] | length' "$J")"
check "22 secure ports loaded" "22" "$(jq .settings.secure_ports "$J")"
check "port 443 listed as secure in the ports table" "true" \
	"$(jq '[.ports[] | select(.port == 443 and .transport == "TCP")][0].secure' "$J")"
check "Table 3: the camera's cloud channel holds cleartext" "true" \
	"$(jq '[.table3[] | select(.device_name == "cam-livingroom" and .channel == "device-to-cloud")][0].cleartext' "$J")"
phone3='[.table3[] | select(.device_name == "pixel-phone" and
	.channel == "device-to-cloud")][0]'
check "Table 3: the phone's cloud traffic is its HTTP login, TLS 1.3 and its ping" \
	"HTTP, TLS 1.3, ICMP" "$(jq -r "$phone3.protocols" "$J")"
check "Table 3: the phone's cloud channel: the cleartext login, encrypted TLS, encoded ping" \
	"true cleartext, encoded, encrypted" \
	"$(jq -r "$phone3 | \"\\(.cleartext) \\(.verdicts)\"" "$J")"
check "per device: the summary line" "pixel-phone 97% encrypted" \
	"$(jq -r '.devices[] | select(.name == "pixel-phone") | "\(.name) \(.payload_summary | split(",")[0])"' "$J")"
# Without its login, the phone's cloud channel is the one with no cleartext at all.
login=$(field "$(grep "^leak${tab}password$tab" "$TMP/truth" | head -1)" flow)
login=${login##*>}
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -r "$TMP/demo.pcap" -w "$TMP/nologin.pcap" "not host ${login%:*}" 2>/dev/null
	check "Table 3 without the phone's login: no cleartext, encrypted TLS, encoded ping" \
		"TLS 1.3, ICMP false encoded, encrypted" \
		"$("$IOTSCOPE" -q -r "$TMP/nologin.pcap" --report json |
		jq -r "$phone3 | \"\\(.protocols) \\(.cleartext) \\(.verdicts)\"")"
else
	skip "tcpdump not installed (Debian package tcpdump): a channel without cleartext"
fi
phone=$(grep "^device${tab}pixel-phone" "$TMP/truth" | head -1)
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json --controller "$(field "$phone" mac)" >"$TMP/c.json"
check "--controller: the phone's cloud flows become app-to-cloud" "app-to-cloud" \
	"$(jq -r '[.table3[] | select(.device_name == "pixel-phone")][0].channel' "$TMP/c.json")"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json --entropy-threshold 7.95 >"$TMP/t.json"
check "--entropy-threshold moves the fixed-threshold verdict only" "cleartext encrypted" \
	"$(jq -r '[.flows[] | select(.a_to_b_entropy != null and .a_to_b_entropy < 7.95 and .a_to_b_verdict == "encrypted")][0] | "\(.a_to_b_fixed_threshold_verdict) \(.a_to_b_verdict)"' "$TMP/t.json")"
printf '80/tcp http plain web\n' >"$TMP/ports"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json --secure-ports "$TMP/ports" >"$TMP/p.json"
check "--secure-ports replaces the list" "1 true" \
	"$(jq -r '"\(.settings.secure_ports) \([.ports[] | select(.port == 80)][0].secure)"' "$TMP/p.json")"

if have_shared; then
	S=$SHARED_PCAPS
	q() { "$IOTSCOPE" -q -r "$S/$1" --report json 2>/dev/null | jq -r -c "$2"; }
	check "tls13-ech: TLS 1.3 with the outer SNI" "TLS 1.3 cloudflare-ech.com" \
		"$(q names/tls13-ech.pcap '[.flows[] | select(.sni != null)][0] | "\(.tls_version) \(.sni)"')"
	check "google_ssl: an SSLv2 ClientHello, no SNI" "SSLv2 null" \
		"$(q names/google_ssl.pcap '.flows[0] | "\(.proto) \(.sni)"')"
	check "quic_handshake: QUIC v1 (TLS 1.3)" "QUIC v1 (TLS 1.3)" \
	    "$(q linktypes/quic_handshake.pcap '.flows[0].proto')"
	check "sonos: TLS 1.2, SNI an IP string" "TLS 1.2 192.168.1.70" \
		"$(q iot/sonos.pcapng '[.flows[] | select(.proto == "TLS")][0] | "\(.tls_version) \(.sni)"')"
	check "http_ipv6: SNIs" "s-static.ak.facebook.com,www.ntop.org" \
		"$(q names/http_ipv6.pcap '[.flows[].sni | select(. != null)] | unique | join(",")')"
	check "http_ipv6: Google QUIC" "true" \
		"$(q names/http_ipv6.pcap '[.flows[].proto] | index("QUIC") != null')"
	check "rtsp: RTSP" "RTSP" "$(q iot/rtsp.pcap '[.flows[].proto | select(. != null)] | unique | join(",")')"
	check "smtp: SMTP" "true" "$(q creds/smtp-auth-login.pcap '[.flows[].proto] | index("SMTP") != null')"
	check "imap: IMAP" "IMAP" "$(q creds/imap.pcap '.flows[0].proto')"
	check "pop3: POP3" "true" "$(q creds/pop3-auth-plain.pcap '[.flows[].proto] | index("POP3") != null')"
	check "ftp: FTP" "FTP" "$(q creds/ftp.pcap '.flows[0].proto')"
	check "mqtt: MQTT on 1883" "true" "$(q creds/mqtt.pcap '[.flows[].proto] | index("MQTT") != null')"
	check "coap_mqtt: CoAP" "true" "$(q iot/coap_mqtt.pcap '[.flows[].proto] | index("CoAP") != null')"
	check "coap_mqtt: MQTT on port 17501, from the payload" "true" \
		"$(q iot/coap_mqtt.pcap '[.flows[] | select(.b_port == 17501) | .proto] | index("MQTT") != null')"
	check "windowsupdate: HTTP carrying compressed data" "HTTP compressed" \
		"$(q names/windowsupdate_over_http.pcap '.flows[0] | "\(.proto) \(.b_to_a_verdict)"')"
	# Every SNI tshark finds in a ClientHello, iotscope finds too (and no other).
	if command -v tshark >/dev/null 2>&1; then
		for c in iot/iphone.pcap iot/alexa-app.pcapng iot/sonos.pcapng names/tls13-ech.pcap \
		    names/http_ipv6.pcap iot/schlage-lock-01.pcap; do
			want=$(tshark -r "$S/$c" -Y 'tls.handshake.type == 1' -T fields \
			    -e tls.handshake.extensions_server_name 2>/dev/null | grep . | sort -u |
			    tr '\n' ',')
			got=$(q "$c" '[.flows[].sni | select(. != null)] | unique | join(",")')
			check "$c: the SNIs tshark finds" "$want" "${got:+$got,}"
		done
	fi
	check "blink-cam: payload stripped, not enough to judge" "true" \
		"$(q iot/blink-cam-01.pcap '[.flows[] | select(.snaplen_cut) | .a_to_b_verdict] | all(. == "unknown" or . == "encrypted")')"
else
	skip "../shared/pcaps not present"
fi
finish
