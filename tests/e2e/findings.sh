#!/bin/sh
# findings.sh — what iotscope finds in payloads (credentials, tokens, identifiers, personal
# data): on the demo and the splitauth captures against what the generator planted (--truth:
# type, value, user, flow, direction, stream offset), on ../shared/pcaps against SOURCES.md
# (values, users, login outcomes) and tshark's count of FTP PASS commands, and against ngrep's
# matching packets; slow and broken pattern files; --mask and --no-findings.
#
# A check that shows a reported iotscope bug is marked with `known=…` (see tests/lib.sh): it
# prints XFAIL while the bug is there and FAIL once it is fixed, to have the mark dropped.
. "$TESTLIB"
need jq jq
need timeout coreutils

tab=$(printf '\t')
# field LINE KEY: the value of key=value in a tab-separated truth line.
field() { printf '%s\n' "$1" | tr '\t' '\n' | sed -n "s/^$2=//p" | head -1; }

# The generator plants secrets (leak lines in --truth, the splitauth scenario) since tests/gen
# learnt to; with an older generator the checks against them are skipped, with the reason.
if "$GEN" -h 2>&1 | grep -q splitauth; then
	newgen=1
else
	newgen=
	skip "gen-capture plants no secrets (no splitauth scenario): truth checks left out"
fi

# ---- 1. the demo against its truth ------------------------------------------------------
"$GEN" demo -o "$TMP/demo.pcap" --truth "$TMP/demo.truth" || { fail "generator: demo"; finish; }
D=$TMP/demo.json
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json >"$D"
check "demo: exit status" 0 "$?"

# ftype KIND: the iotscope finding type of a truth leak kind.
ftype() {
	case $1 in
	user) echo username ;;
	weight_kg) echo weight ;;
	height_cm) echo height ;;
	device_serial) echo serial ;;
	*) echo "$1" ;;
	esac
}

# leak NAME JSON LINE: the truth leak LINE is a finding of JSON with the right type and value,
# in its flow and direction (src and dst are the endpoints the bytes went from and to), at its
# stream offset, and for HTTP Basic and MQTT passwords with its user.
leak() {
	kind=$(printf '%s\n' "$3" | cut -f2)
	t=$(ftype "$kind")
	v=$(field "$3" value)
	fl=$(field "$3" flow)
	d=$(field "$3" dir)
	o=$(field "$3" offset)
	u=
	case $t in http-basic|mqtt-password) u=$(field "$3" user) ;; esac
	c=${fl%>*}
	s=${fl#*>}
	if [ "$d" = 0 ]; then want="$c>$s dir=$d offset=$o"; else want="$s>$c dir=$d offset=$o"; fi
	[ -n "$u" ] && want="$want user=$u"
	jq -r --arg t "$t" --arg v "$v" --arg u "$u" '.findings[] |
	    select(.type == $t and .value == $v) |
	    "\(.src)>\(.dst) dir=\(.dir) offset=\(.offset)" +
	    (if $u != "" then " user=\(.user // "null")" else "" end)' "$2" >"$TMP/got"
	if grep -qxF "$want" "$TMP/got"; then
		pass "$1: $t '$v' at $want"
	else
		fail "$1: $t '$v': expected '$want', found '$(tr '\n' ';' <"$TMP/got")'"
	fi
}

if [ -n "$newgen" ]; then
	grep "^leak$tab" "$TMP/demo.truth" >"$TMP/leaks"
	n=$(wc -l <"$TMP/leaks")
	if [ "$n" -gt 0 ]; then
		pass "demo: the truth lists $n leaks"
	else
		fail "demo: no leak lines in the truth"
	fi

	while IFS= read -r line; do
		leak demo "$D" "$line"
	done <"$TMP/leaks"

	# Every credential and token the demo report holds is one the generator planted.
	awk -F'\t' '{ k = $2; sub(/^user$/, "username", k); sub(/^weight_kg$/, "weight", k)
		sub(/^height_cm$/, "height", k); sub(/^device_serial$/, "serial", k)
		for (i = 3; i <= NF; i++) if ($i ~ /^value=/) print k " " substr($i, 7) }' \
		"$TMP/leaks" | sort -u >"$TMP/planted"
	jq -r '.findings[] | select(.category == "credential" or .category == "token") |
		"\(.type) \(.value)"' "$D" | sort -u | comm -23 - "$TMP/planted" >"$TMP/extra"
	check "demo: every credential and token found was planted" "" "$(tr '\n' ';' <"$TMP/extra")"
fi

# Nothing at all is found in TLS sessions: their payload is not scanned.
jq -r '.flows[] | if .ip_version == 4 then "\(.a_ip):\(.a_port)>\(.b_ip):\(.b_port)"
	else "[\(.a_ip)]:\(.a_port)>[\(.b_ip)]:\(.b_port)" end' "$D" >"$TMP/demo.flows"
grep "^tls$tab" "$TMP/demo.truth" >"$TMP/tls"
[ -s "$TMP/tls" ] || fail "demo: no TLS sessions in the truth"
while IFS="$tab" read -r _ sni _ client server _; do
	c=${client#client=}
	s=${server#server=}
	seen=$(grep -cxF "$c>$s" "$TMP/demo.flows")
	nf=$(jq --arg c "$c" --arg s "$s" '[.findings[] | select((.src == $c and .dst == $s) or
	    (.src == $s and .dst == $c))] | length' "$D")
	check "demo: the TLS flow to $sni ($c>$s) is there, with no finding" "1 0" "$seen $nf"
done <"$TMP/tls"

# ---- 2. shared captures against SOURCES.md ----------------------------------------------
if have_shared; then
	S=$SHARED_PCAPS
	jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l
	jwt=${jwt}IiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c

	# sj FILE: the path of the JSON report of the shared capture FILE (made once).
	sj() {
		out=$TMP/shared-$(printf '%s' "$1" | tr '/.' '__').json
		[ -f "$out" ] || "$IOTSCOPE" -q -r "$S/$1" --report json >"$out" 2>/dev/null
		echo "$out"
	}

	# cred FILE TYPE VALUE [KEY=VALUE...]: FILE has a finding of TYPE with exactly VALUE;
	# each KEY (user, outcome, from = the sender's address) is as given on every such finding.
	cred() {
		file=$1 t=$2 v=$3
		shift 3
		want=found
		keys=
		for kv in "$@"; do
			want="$want $kv"
			keys="$keys ${kv%%=*}"
		done
		got=$(jq -r --arg t "$t" --arg v "$v" --arg keys "$keys" '
		    def val($k): if $k == "user" then (.user // "null")
			elif $k == "outcome" then (.outcome // "null")
			elif $k == "from" then
			    (.src | sub(":[0-9]+$"; "") | ltrimstr("[") | rtrimstr("]"))
			else "?" end;
		    ($keys | split(" ") | map(select(. != ""))) as $ks |
		    [.findings[] | select(.type == $t and .value == $v) | . as $f |
			(["found"] + [$ks[] as $k | "\($k)=\($f | val($k))"]) | join(" ")] |
		    unique | if length == 0 then "none" else join(" | ") end' "$(sj "$file")")
		check "$file: $t '$v'" "$want" "$got"
	}

	cred creds/ftp.pcap ftp-password 'NcFTP@' user=anonymous outcome=accepted
	cred creds/ftp-password-pass-command.pcap ftp-password qwerty user=Admin outcome=rejected
	cred creds/http-basic-auth-extra-space.pcap http-basic 1234 user=test
	cred creds/imap.pcap imap-password pfres user=samir
	cred creds/mqtt.pcap mqtt-client-id cbaabcbabacbbbbbaaaaab from=192.168.0.1
	cred creds/mqtt.pcap mqtt-username 02D5050223D3 from=192.168.0.1
	cred creds/mqtt.pcap mqtt-password 02D5050223D3 user=02D5050223D3 from=192.168.0.1
	azure='iotazewpmlithub.azure-devices.net/P47775ID170W2120/?api-version=2018-06-30'
	sas='SharedAccessSignature sig=KU4UiBTfWe%2Fxs%2BgTG5WQDLvzrPx4U62HTpSlfkfxrfQ%3D'
	sas="$sas&se=1643017947&sr=iotazewpmlithub.azure-devices.net%2FP47775ID170W2120%2F"
	sas="$sas%3Fapi-version%3D2018-06-30"
	cred creds/mqtt.pcap mqtt-client-id P47775ID170W2120 from=100.67.35.238
	cred creds/mqtt.pcap mqtt-username "$azure" from=100.67.35.238
	cred creds/mqtt.pcap mqtt-password "$sas" user="$azure" from=100.67.35.238
	pop=digitalinvestigator@networksims.com
	cred creds/pop3-auth-plain.pcap pop3-password napier user=$pop outcome=rejected
	cred creds/pop3-auth-plain.pcap pop3-password napier123 user=$pop outcome=accepted
	check "creds/pop3-auth-plain.pcap: napier123 in two sessions" 2 \
	    "$(jq '[.findings[] | select(.type == "pop3-password" and .value == "napier123")] |
	    length' "$(sj creds/pop3-auth-plain.pcap)")"
	cred creds/smtp-auth-login.pcap smtp-password 'punjab@123' user=gurpartap@patriots.in \
	    outcome=accepted
	check "creds/snmp.pcap: communities and their packets" "adsl 4, public 24, public2c 2" \
	    "$(jq -r '[.findings[] | select(.type == "snmp-community")] | group_by(.value) |
	    map("\(.[0].value) \(map(.count) | add)") | join(", ")' "$(sj creds/snmp.pcap)")"
	cred creds/redis-auth-null.pcap redis-password notapassword user=notauser outcome=rejected
	cred creds/redis-auth-null.pcap redis-password defaultpassword user=default \
	    outcome=accepted
	cred creds/http-post-login-dvwa.pcapng password password
	cred creds/http-post-login-dvwa.pcapng username admin
	cred creds/http-post-comment.pcapng email chris@chrissanders.org
	check "creds/http-post-comment.pcapng: no credential found" "" \
	    "$(jq -r '[.findings[] | select(.category == "credential") | "\(.type) \(.value)"] |
	    join("; ")' "$(sj creds/http-post-comment.pcapng)")"
	cred creds/pcredz-sample.pcap http-basic password123 user=admin
	cred creds/pcredz-sample.pcap password wonderland123
	cred creds/pcredz-sample.pcap aws-access-key AKIAIOSFODNN7EXAMPLE
	cred creds/pcredz-sample.pcap github-token ghp_1234567890abcdefghijklmnopqrstuv1234
	cred creds/pcredz-sample.pcap jwt "$jwt"

	# 703 guessed passwords in one capture: grouped in the text report, each kept in JSON.
	bf=hostile/ftp-bruteforce.pcap
	"$IOTSCOPE" -q -r "$S/$bf" >"$TMP/bf.txt" 2>/dev/null
	line=$(grep -E ' and [0-9]+ more ftp-password values' "$TMP/bf.txt" | head -1)
	if [ -n "$line" ]; then
		pass "$bf: the text report groups the guesses:$line"
	else
		fail "$bf: no '… and N more ftp-password values' line in the text report"
	fi
	npw=$(jq '[.findings[] | select(.type == "ftp-password")] | length' "$(sj $bf)")
	check "$bf: every guess rejected (530)" "rejected" \
	    "$(jq -r '[.findings[] | select(.type == "ftp-password") | .outcome // "null"] |
	    unique | join(",")' "$(sj $bf)")"
	if command -v tshark >/dev/null 2>&1; then
		ncmd=$(tshark -r "$S/$bf" -Y 'ftp.request.command=="PASS"' 2>/dev/null | wc -l)
		check "$bf: one ftp-password finding per PASS command tshark sees" "$ncmd" "$npw"
	else
		skip "tshark not installed (Debian package tshark): $bf PASS commands"
	fi
else
	skip "../shared/pcaps not present: credentials of real captures"
fi

# ---- 3. secrets split, reordered and retransmitted across TCP segments ------------------
if [ -n "$newgen" ]; then
	"$GEN" splitauth -o "$TMP/split.pcap" --truth "$TMP/split.truth" ||
		{ fail "generator: splitauth"; finish; }
	SJ=$TMP/split.json
	"$IOTSCOPE" -q -r "$TMP/split.pcap" --report json >"$SJ"
	check "splitauth: exit status" 0 "$?"
	grep "^leak$tab" "$TMP/split.truth" >"$TMP/sleaks"
	[ -s "$TMP/sleaks" ] || fail "splitauth: no leak lines in the truth"
	while IFS= read -r line; do
		t=$(ftype "$(printf '%s\n' "$line" | cut -f2)")
		v=$(field "$line" value)
		want="1 count=1 user=$(field "$line" user) offset=$(field "$line" offset)"
		check "splitauth: $t '$v' found once, whole, at its offset" \
		    "$want $(field "$line" flow)" \
		    "$(jq -r --arg t "$t" --arg v "$v" '
			[.findings[] | select(.type == $t and .value == $v)] | "\(length) " +
			(map("count=\(.count) user=\(.user) offset=\(.offset) \(.src)>\(.dst)") |
			join(" | "))' "$SJ")"
	done <"$TMP/sleaks"
	runflow=$(field "$(grep "^run$tab" "$TMP/split.truth" | head -1)" flow)
	check "splitauth: nothing found in the run of 'a'" 0 \
	    "$(jq --arg f "$runflow" '[.findings[] | select("\(.src)>\(.dst)" == $f)] | length' \
	    "$SJ")"
fi

# ---- 4. patterns that backtrack -----------------------------------------------------------
# (a+)+$ matches splitauth's run of 100000 'a' without backtracking (the run ends its stream,
# so $ holds at once): it must just not disturb anything.  (a+)+[bc] cannot match and
# backtracks exponentially over the run: PCRE2's limit must stop it, with a warning.
if [ -n "$newgen" ]; then
	basic='[.findings[] | select(.type == "http-basic") | .value] | sort | join(",")'
	want=$(jq -r "$basic" "$SJ")
	for p in '(a+)+$' '(a+)+[bc]'; do
		printf 'slow credential high - %s\n' "$p" >"$TMP/slow.pat"
		timeout 60 "$IOTSCOPE" -r "$TMP/split.pcap" --patterns "$TMP/slow.pat" \
		    --report json >"$TMP/slow.json" 2>"$TMP/slow.err"
		check "pattern $p on 100000 'a': finishes within 60 s, exit 0" 0 "$?"
		check "pattern $p: the other findings are still there" "$want" \
		    "$(jq -r "$basic" "$TMP/slow.json")"
	done
	if grep -q "pattern slow ($TMP/slow.pat:1): .*limit" "$TMP/slow.err"; then
		pass "pattern (a+)+[bc]: warned: $(head -1 "$TMP/slow.err")"
	else
		fail "pattern (a+)+[bc]: no warning naming it and a limit on stderr:" \
		    "$(head -c 300 "$TMP/slow.err")"
	fi
	check "pattern (a+)+[bc]: the warning is in the JSON report too" "true" \
	    "$(jq '[.warnings[].message] | any(test("pattern slow .*limit"))' "$TMP/slow.json")"
fi

# ---- 5. a pattern file with mistakes -------------------------------------------------------
P=$TMP/bad.pat
cat >"$P" <<'EOF'
# line 1: a comment
broken     credential high   -   pass(word
wrongcat   secretish  high   -   foo
missing    credential high
demo-marker identifier low   -   (?<value>cam-livingroom)
wrongsev   credential urgent -   foo
wrongdec   credential high   rot13 foo
EOF
"$IOTSCOPE" -r "$TMP/demo.pcap" --patterns "$P" --report json >"$TMP/bad.json" 2>"$TMP/bad.err"
check "bad pattern file: exit 0" 0 "$?"
# bad LINE PATTERN DESCRIPTION: a warning on stderr names FILE:LINE and says PATTERN.
bad() {
	if grep -F "$P:$1:" "$TMP/bad.err" | grep -q -- "$2"; then
		pass "bad pattern file: $3: $(grep -F "$P:$1:" "$TMP/bad.err" | head -1)"
	else
		fail "bad pattern file: $3: no warning '$P:$1: …$2…': $(head -c 400 "$TMP/bad.err")"
	fi
}
bad 2 "missing closing parenthesis at offset 9" "PCRE2's message and offset"
bad 3 "secretish" "unknown category"
bad 4 "expected NAME CATEGORY SEVERITY DECODE EXPRESSION" "missing fields"
bad 6 "urgent" "unknown severity"
bad 7 "rot13" "unknown decoding"
check "bad pattern file: no warning for the comment or the good line" "" \
    "$(grep -E -e "$P:(1|5):" "$TMP/bad.err")"
check "bad pattern file: the warnings are in the JSON report too" 5 \
    "$(jq --arg p "$P:" '[.warnings[].message | select(contains($p))] | length' "$TMP/bad.json")"
check "bad pattern file: its good line still finds cam-livingroom" "true" \
    "$(jq '[.findings[] | select(.type == "demo-marker" and .value == "cam-livingroom" and
    .category == "identifier" and .severity == "low")] | length > 0' "$TMP/bad.json")"
"$IOTSCOPE" -r "$TMP/demo.pcap" --patterns "$TMP/nope.pat" --report json >/dev/null 2>"$TMP/err"
check "missing pattern file: exit 0" 0 "$?"
if grep -q "$TMP/nope.pat: No such file" "$TMP/err"; then
	pass "missing pattern file: warned"
else
	fail "missing pattern file: no warning: $(head -c 300 "$TMP/err")"
fi

# The user's own file: read from $XDG_CONFIG_HOME/iotscope/patterns; tests/lib.sh points
# XDG_CONFIG_HOME at an empty folder so that a developer's file changes nothing here.
mkdir -p "$TMP/xdg/iotscope"
sed -n 5p "$P" >"$TMP/xdg/iotscope/patterns"
check "user pattern file in \$XDG_CONFIG_HOME is read" "true" \
    "$(XDG_CONFIG_HOME=$TMP/xdg "$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json |
    jq '[.findings[] | select(.type == "demo-marker")] | length > 0')"
check "no user pattern file in the tests' \$XDG_CONFIG_HOME" "false" \
    "$(jq '[.findings[] | select(.type == "demo-marker")] | length > 0' "$D")"

# ---- 6. --mask and --no-findings -----------------------------------------------------------
# masked NAME CAPTURE: the masked JSON (all its strings), text and CSV (all tables) reports of
# CAPTURE as $TMP/NAME.mjs, .mtxt and .mcsv; checks that all three were written.
masked() {
	"$IOTSCOPE" -q -r "$2" --mask --report json >"$TMP/mask.json"
	r1=$?
	jq -r '.. | strings' "$TMP/mask.json" >"$TMP/$1.mjs"
	"$IOTSCOPE" -q -r "$2" --mask >"$TMP/$1.mtxt"
	r2=$?
	rm -rf "$TMP/mcsv"
	"$IOTSCOPE" -q -r "$2" --mask --report csv -o "$TMP/mcsv"
	r3=$?
	cat "$TMP/mcsv"/*.csv >"$TMP/$1.mcsv" 2>/dev/null
	check "--mask (${2##*/}): JSON, text and CSV reports written" "0 0 0" "$r1 $r2 $r3"
}
# leaks NAME SECRET [PIECES]: where the masked reports of NAME still show SECRET, or with
# PIECES any 8 characters of it ("" when nowhere).
leaks() {
	w=
	for f in mjs:JSON mtxt:text mcsv:CSV; do
		file=$TMP/$1.${f%%:*}
		if grep -qF -- "$2" "$file"; then
			at=$(grep -F -- "$2" "$file" | head -1 | cut -c1-160)
			w="$w ${f#*:}: all of it in '$at';"
		elif [ -n "${3:-}" ]; then
			printf '%s\n' "$2" | awk '{ for (i = 1; i + 7 <= length($0); i++)
			    print substr($0, i, 8) }' >"$TMP/pieces"
			piece=$(grep -oF -f "$TMP/pieces" "$file" | head -1)
			if [ -n "$piece" ]; then
				at=$(grep -F -- "$piece" "$file" | head -1 | cut -c1-160)
				w="$w ${f#*:}: '$piece' in '$at';"
			fi
		fi
	done
	printf '%s' "$w"
}

masked demo "$TMP/demo.pcap"
# The secrets of the unmasked report, as decoded and as sent: none of them, nor any 8
# characters of one, shows in the masked reports.
if [ -n "$newgen" ]; then
	jq -r '.findings[] | select(.category == "credential" or .category == "token") |
		"\(.type)\tvalue\t\(.value)",
		(select(.raw != null) | "\(.type)\traw\t\(.raw)")' "$D" | sort -u >"$TMP/secrets"
	[ -s "$TMP/secrets" ] || fail "--mask: no secrets in the demo to hide"
	while IFS="$tab" read -r t k sec; do
		check "--mask (demo): $t ($k) hidden in JSON, text and CSV" "" \
		    "$(leaks demo "$sec" pieces)"
	done <"$TMP/secrets"
fi
# Identifiers and personal data are not secrets: shown as they are.
jq -r '.findings[] | select(.category == "identifier" or .category == "personal") | .value' \
	"$D" | sort -u >"$TMP/idents"
for f in mjs:JSON mtxt:text mcsv:CSV; do
	missing=$(while IFS= read -r v; do
		grep -qF -- "$v" "$TMP/demo.${f%%:*}" || printf '%s; ' "$v"
	done <"$TMP/idents")
	check "--mask (demo): the $(wc -l <"$TMP/idents") identifier values kept in ${f#*:}" "" \
	    "$missing"
done
if grep -q "secrets masked (--mask)" "$TMP/demo.mtxt"; then
	pass "--mask: the text report says so"
else
	fail "--mask: the text report does not say secrets are masked"
fi

if have_shared; then
	# mask_shared FILE SECRET...: none of the SECRETs (as decoded or as sent) of the shared
	# capture FILE shows in its masked reports.
	mask_shared() {
		masked shared "$S/$1"
		file=$1
		shift
		for sec in "$@"; do
			short=$(printf '%s' "$sec" | cut -c1-24)
			[ "$short" = "$sec" ] || short="$short…"
			check "--mask ($file): '$short' hidden" "" "$(leaks shared "$sec")"
		done
	}
	mask_shared creds/pcredz-sample.pcap password123 YWRtaW46cGFzc3dvcmQxMjM= wonderland123 \
	    AKIAIOSFODNN7EXAMPLE ghp_1234567890abcdefghijklmnopqrstuv1234 \
	    "$jwt"
	mask_shared creds/mqtt.pcap KU4UiBTfWe%2Fxs%2BgTG5WQDLvzrPx4U62HTpSlfkfxrfQ%3D
	mask_shared creds/ftp.pcap 'NcFTP@'
	masked shared "$S/creds/imap.pcap"
	check "--mask (creds/imap.pcap): 'pfres' hidden" "" "$(leaks shared pfres)"
	mask_shared creds/redis-auth-null.pcap notapassword defaultpassword
	mask_shared creds/http-basic-auth-extra-space.pcap dGVzdDoxMjM0
	masked shared "$S/creds/smtp-auth-login.pcap"
	check "--mask (creds/smtp-auth-login.pcap): 'punjab@123' hidden" "" \
	    "$(leaks shared 'punjab@123')"
	check "--mask (creds/smtp-auth-login.pcap): 'cHVuamFiQDEyMw==' (punjab@123 as sent)" \
	    "" "$(leaks shared cHVuamFiQDEyMw==)"
	masked shared "$S/creds/pop3-auth-plain.pcap"
	check "--mask (creds/pop3-auth-plain.pcap): 'napier123' hidden" "" \
	    "$(leaks shared napier123)"
	# AUTH PLAIN sends base64 of "\0user\0password": the blob is the password as sent.
	plain=AGRpZ2l0YWxpbnZlc3RpZ2F0b3JAbmV0d29ya3NpbXMuY29tAG5hcGll
	for blob in "${plain}cg==:napier" "${plain}cjEyMw==:napier123"; do
		check "--mask (creds/pop3-auth-plain.pcap): the AUTH PLAIN blob of ${blob#*:}" \
		    "" "$(leaks shared "${blob%:*}")"
	done
	masked shared "$S/creds/http-post-login-dvwa.pcapng"
	check "--mask (creds/http-post-login-dvwa.pcapng): the session cookie hidden" "" \
	    "$(leaks shared 8tokslnu6t07ru35q4vbsc8tk6)"
fi

"$IOTSCOPE" -q -r "$TMP/demo.pcap" --no-findings --report json >"$TMP/nf.json"
check "--no-findings: an empty findings array, no flow with findings" "[] 0" \
    "$(jq -c '.findings' "$TMP/nf.json") $(jq '[.flows[].findings] | add' "$TMP/nf.json")"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --no-findings >"$TMP/nf.txt"
if grep -q "not looked for (--no-findings)" "$TMP/nf.txt"; then
	pass "--no-findings: the text report says findings were not looked for"
else
	fail "--no-findings: the text report's Findings section: $(grep -A3 '^Findings' \
	    "$TMP/nf.txt" | tr '\n' ' ')"
fi
rm -rf "$TMP/nfcsv"
"$IOTSCOPE" -q -r "$TMP/demo.pcap" --no-findings --report csv -o "$TMP/nfcsv"
check "--no-findings: findings.csv has its header only" 1 "$(wc -l <"$TMP/nfcsv/findings.csv")"

# ---- 7. ngrep's matching packets ----------------------------------------------------------
# ngrep matches packet by packet, iotscope the reassembled stream of each direction: iotscope
# may find more, never less.  For a few plain expressions, every flow in which ngrep prints a
# matching packet is (a) one `iotscope --grep` prints and (b) one where a --patterns file
# holding the same expression has a finding.  (b) leaves out ICMP (ngrep's "I" lines: the
# scanner reads TCP and UDP payload only), the flows iotscope knows to be encrypted (TLS,
# DTLS, QUIC, SSH, MQTT over TLS) and HTTP flows carrying media (image/, video/, audio/
# bodies), whose payload (bodies) it does not scan for findings by design.
if ! command -v ngrep >/dev/null 2>&1; then
	skip "ngrep not installed (Debian package ngrep): findings against ngrep's matches"
elif ! have_shared; then
	skip "../shared/pcaps not present: findings against ngrep's matches"
else
	"$IOTSCOPE" -h 2>&1 | grep -q -- '--grep' && has_grep=1 || has_grep=
	[ -n "$has_grep" ] || skip "iotscope has no --grep: ngrep against --grep not compared"
	for f in $(cd "$S" && find creds iot names -type f \( -name '*.pcap' -o \
	    -name '*.pcapng' -o -name '*.gz' \) | sort); do
		cap=$S/$f
		case $f in *.gz) gzip -dc "$cap" >"$TMP/ng.pcap"; cap=$TMP/ng.pcap ;; esac
		for pat in 'Authorization' 'PASS ' 'USER ' 'password=' '@'; do
			ngrep -I "$cap" -q -t "$pat" >"$TMP/ng.out" 2>"$TMP/ng.err"
			if grep -q "^fatal" "$TMP/ng.err"; then
				skip "ngrep cannot read $f: $(head -1 "$TMP/ng.err")"
				break
			fi
			# "PROTO SRC DST" per flow direction, endpoints as iotscope writes them
			# ("[v6]:port"; ICMP, without ports in ngrep, with port 0).
			grep -E '^[TUI] [0-9/]+ [0-9:.]+ [^ ]+ -> [^ ]+' "$TMP/ng.out" |
			    awk '{ a = $4; b = $6; if ($1 == "I") { a = a ":0"; b = b ":0" }
				print $1, a, b }' |
			    sed -E 's/ ([^ ]*:[^ ]*):([0-9]+)/ [\1]:\2/g' | sort -u >"$TMP/ng.flows"
			[ -s "$TMP/ng.flows" ] || continue
			n=$(wc -l <"$TMP/ng.flows")

			if [ -n "$has_grep" ]; then
				"$IOTSCOPE" -q -r "$cap" --grep "$pat" 2>/dev/null |
				    awk '/^[TUI?] / { print $2, $4; print $4, $2 }' |
				    sort -u >"$TMP/ng.grep"
				missing=$(cut -d' ' -f2- "$TMP/ng.flows" | sort -u |
				    comm -23 - "$TMP/ng.grep" | tr '\n' ';')
				d="ngrep '$pat' in $f: --grep prints all $n flow directions"
				check "$d" "" "$missing"
			fi

			printf 'ngrep-check identifier low - %s\n' \
			    "$(printf '%s' "$pat" | sed 's/ $/[ ]/')" >"$TMP/ng.pat"
			"$IOTSCOPE" -q -r "$cap" --patterns "$TMP/ng.pat" --report json \
			    >"$TMP/ng.json" 2>/dev/null
			jq -r '.findings[] | select(.type == "ngrep-check") |
			    "\(.src) \(.dst)", "\(.dst) \(.src)"' "$TMP/ng.json" |
			    sort -u >"$TMP/ng.ours"
			jq -r '.flows[] | select((.proto != null and
			    (.proto | test("^(TLS|SSLv2|DTLS|QUIC|SSH)$|^QUIC |/TLS$"))) or
			    (.http_content_type != null and
			    (.http_content_type | test("^(image|video|audio)/")))) |
			    if .ip_version == 6 then "[\(.a_ip)]:\(.a_port) [\(.b_ip)]:\(.b_port)",
				"[\(.b_ip)]:\(.b_port) [\(.a_ip)]:\(.a_port)"
			    else "\(.a_ip):\(.a_port) \(.b_ip):\(.b_port)",
				"\(.b_ip):\(.b_port) \(.a_ip):\(.a_port)" end' "$TMP/ng.json" \
			    >"$TMP/ng.enc"
			nflows=0 nout=0 missing=
			while read -r proto a b; do
				if [ "$proto" = I ] || grep -qxF "$a $b" "$TMP/ng.enc"; then
					nout=$((nout + 1))
					continue
				fi
				nflows=$((nflows + 1))
				grep -qxF "$a $b" "$TMP/ng.ours" || missing="$missing $a $b;"
			done <"$TMP/ng.flows"
			[ "$nflows" -gt 0 ] || continue
			d="ngrep '$pat' in $f: a finding of the same pattern in all $nflows TCP/UDP"
			check "$d flow directions not encrypted or media ($nout left out)" "" "$missing"
		done
	done
fi
# ---- 8. RTSP: a camera's DESCRIBE with Digest, then Basic credentials ---------------------
# Two segments of one TCP connection to port 554, written here byte by byte (pcap, Ethernet).
le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
hexof() { printf "$1" | od -An -tx1 -v | tr -d ' \n'; }	# the bytes a printf format makes
rtsp1='DESCRIBE rtsp://192.168.1.20:554/stream1 RTSP/1.0\r\nCSeq: 3\r\nAuthorization: Digest username="camadmin", realm="IP Camera", nonce="4d2b9f", uri="rtsp://192.168.1.20:554/stream1", response="0123456789abcdef0123456789abcdef"\r\n\r\n'
rtsp2='DESCRIBE rtsp://192.168.1.20:554/stream1 RTSP/1.0\r\nCSeq: 4\r\nAuthorization: Basic Y2FtYWRtaW46cnRzcC1wYXNz\r\n\r\n'
rtsp_pcap="d4c3b2a1020004000000000000000000ffff000001000000"
seq=1000
for msg in "$rtsp1" "$rtsp2"; do
	payload=$(hexof "$msg")
	plen=$((${#payload} / 2))
	tcp="9c40022a$(printf '%08x' $seq)0000000050180400000000 00"
	tcp=$(printf '%s' "$tcp" | tr -d ' ')
	ip="4500$(printf '%04x' $((plen + 40)))00010000400600000a0000050a000006"
	frame="00112233445502aabbccddee0800${ip}${tcp}${payload}"
	flen=$((${#frame} / 2))
	rtsp_pcap="$rtsp_pcap$(le32 1)00000000$(le32 $flen)$(le32 $flen)$frame"
	seq=$((seq + plen))
done
perl -e 'print pack("H*", shift)' "$rtsp_pcap" >"$TMP/rtsp.pcap"
"$IOTSCOPE" -q -r "$TMP/rtsp.pcap" --report json >"$TMP/rtsp.json" 2>"$TMP/rtsp.err"
check "RTSP: Digest user name" "camadmin" \
    "$(jq -r '.findings[] | select(.type == "http-digest") | .value' "$TMP/rtsp.json")"
check "RTSP: Basic credentials decoded" "camadmin rtsp-pass" \
    "$(jq -r '.findings[] | select(.type == "http-basic") | "\(.user) \(.value)"' \
    "$TMP/rtsp.json")"
check "RTSP: the Basic token's offset in the stream" \
    "$(( $(printf "$rtsp1" | wc -c) + $(printf "$rtsp2" | grep -bo 'Y2Ft' | cut -d: -f1) ))" \
    "$(jq -r '.findings[] | select(.type == "http-basic") | .offset' "$TMP/rtsp.json")"

finish
