#!/bin/sh
# output-safety.sh — hostile text never reaches a terminal or a spreadsheet raw.  The generator's
# evil capture puts ESC [ 2 J, OSC 0/2/52, C1 CSI (0x9b and U+009B), invalid UTF-8, U+202E,
# formulas and values of several KB into DHCP, DNS, TLS, HTTP, mDNS and SSDP; the text, JSON
# and CSV reports, --grep and standard error must carry no control byte, C1, bidirectional
# control or invalid UTF-8, must show every value escaped (not drop it), and CSV cells that a
# spreadsheet would evaluate start with an apostrophe.  The workbench is tests/tui's business.
. "$TESTLIB"
need jq jq
need perl perl

here=$(cd "$(dirname "$0")/../.." && pwd)
ESC=$(printf '\033')
BEL=$(printf '\007')

"$GEN" evil -o "$TMP/evil.pcap" || { fail "generator: evil"; finish; }

# unsafe FILE...: names the first unsafe bytes of each file; nothing when all are safe.  CSV's
# \r\n line ends are layout; any other byte below 0x20 but \n is not, nor DEL, a C1 control
# (raw, or as UTF-8), a bidirectional or invisible format control, or invalid UTF-8.
unsafe() {
	perl -e '
	undef $/;
	for my $f (@ARGV) {
		open(my $fh, "<:raw", $f) or die "$f: $!\n";
		my $s = <$fh>;
		$s =~ s/\r\n/\n/g if $f =~ /\.csv$/;
		my $bad;
		if ($s =~ /([\x00-\x09\x0b-\x1f\x7f])/) {
			$bad = sprintf "byte 0x%02x at %d", ord $1, $-[0];
		} elsif ($s =~ /\xc2[\x80-\x9f]/) {
			$bad = "a C1 control as UTF-8 at $-[0]";
		} elsif ($s =~ /\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|
		    \xd8\x9c|\xef\xbb\xbf/x) {
			$bad = "a bidirectional or invisible control at $-[0]";
		} else {
			pos($s) = 0;
			1 while $s =~ /\G(?:[\x00-\x7f]+|[\xc2-\xdf][\x80-\xbf]|
			    \xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|
			    \xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|
			    [\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})/gcx;
			my $at = pos($s) // 0;
			$bad = sprintf "invalid UTF-8 (0x%02x) at %d", ord substr($s, $at, 1), $at
			    if $at < length $s;
		}
		print "${f}: $bad\n" if defined $bad;
	}' "$@"
}

# clean DESC FILE...: a check that the files hold only safe bytes.
clean() {
	desc=$1
	shift
	out=$(unsafe "$@")
	[ -z "$out" ] && pass "$desc: no raw control, C1, bidi or bad UTF-8" ||
		fail "$desc: $(printf '%s' "$out" | head -3 | sed "s|$TMP/||g")"
}

# has DESC FILE TEXT: the file holds TEXT (fixed string).
has() {
	grep -qF -- "$3" "$2" && pass "$1" || fail "$1: '$3' not in ${2##*/}"
}

# The tester's own bytes: unsafe must see what it is for.
printf 'ok\n\033[2J\n' >"$TMP/probe1"
printf 'ok \302\233 \342\200\256\n' >"$TMP/probe2"
printf 'ok \233 \355\240\200\n' >"$TMP/probe3"
check "the checker finds ESC, C1 as UTF-8 and raw 0x9b" 3 "$(unsafe "$TMP"/probe? | wc -l)"

# ---- text --------------------------------------------------------------------------------
"$IOTSCOPE" -r "$TMP/evil.pcap" --report text >"$TMP/r.txt" 2>"$TMP/r.err"
check "text: exit status" 0 "$?"
clean "text report" "$TMP/r.txt"
clean "text report's standard error" "$TMP/r.err"
cam='=cam\x1b[2J\x1b]0;pwned\x07\x9b31m\x9b32m\xff\xc0\x80\u202egpj.exe'
check "text: the Destinations heading is the DHCP host name, escaped" "  $cam" \
	"$(sed -n '/^Destinations/,/^Countries/p' "$TMP/r.txt" | sed -n 3p)"
has "text: DHCP host name listed escaped" "$TMP/r.txt" "dhcp          $cam"
has "text: DHCP vendor class (OSC 52, OSC 2, bad UTF-8, RLO)" "$TMP/r.txt" \
	'dhcp-vendor   +vendor\x1b]52;c;cHduZWQ=\x07\x1b]2;pwned\x07\xff\xc0\x80\u202e'
has "text: mDNS host and service names" "$TMP/r.txt" \
	'mdns          @hub\x1b[2J\x1b]0;pwned\x07.local'
has "text: SSDP SERVER" "$TMP/r.txt" 'ssdp          -2+3 \x1b[2J\x1b]52;c;cHduZWQ=\x07\x9b32m'
has "text: DNS answer name" "$TMP/r.txt" \
	'dns       evil\x1b[2J.\x1b]0;pwned\x07.\x9b31m\x9b32m\u202e.'
has "text: TLS SNI" "$TMP/r.txt" 'sni       sni\x1b[2J\x1b]0;pwned\x07\x9b31m\x9b32m\u202e'
has "text: HTTP Host" "$TMP/r.txt" 'http-host host\x1b[2J\x1b]0;pwned\x07\x9b31m.example'
has "text: Basic credentials' user" "$TMP/r.txt" 'adm\x1b[2Jin'
has "text: a form password's context" "$TMP/r.txt" \
	"password=%3Dcmd%7C%27%20%2FC%20calc%27%21A0%1B%5D52"
# A cut column ends before an escape, never inside one.
check "text: a cut name ends at a whole escape" 'evil\x1b[2J.\x1b]0;pwned   ' \
	"$(sed -n 's/.*45\.33\.32\.157:443 *//p' "$TMP/r.txt" | cut -c1-27)"
check "text: device column cut to its width" '=cam\x1b[2J\x1b]0;pwned  192.168.1.66' \
	"$(sed -n 's/^  0 .*Hangzhou Hikvision Dig //p' "$TMP/r.txt" | cut -c1-37)"
"$IOTSCOPE" -q -r "$TMP/evil.pcap" --mask >"$TMP/m.txt" 2>&1
clean "text report with --mask" "$TMP/m.txt"

# ---- JSON --------------------------------------------------------------------------------
"$IOTSCOPE" -q -r "$TMP/evil.pcap" --report json >"$TMP/r.json"
jq empty "$TMP/r.json" 2>/dev/null && pass "JSON: parses" || fail "JSON: does not parse"
clean "JSON report" "$TMP/r.json"
has "JSON: ESC as \\u001b" "$TMP/r.json" '"=cam\u001b[2J\u001b]0;pwned\u0007'
has "JSON: U+009B as \\u009b, U+202E as \\u202e" "$TMP/r.json" \
	'\u009b32m\\xff\\xc0\\x80\u202egpj.exe"'
# The decoded string is the host name, byte for byte where it was UTF-8; the bytes that were
# not are the text \xNN.
printf '=cam\033[2J\033]0;pwned\007\\x9b31m\302\23332m\\xff\\xc0\\x80\342\200\256gpj.exe' \
	>"$TMP/want"
jq -j '.devices[] | select(.mac == "c0:56:e3:66:66:01") | .name' "$TMP/r.json" >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && pass "JSON: the host name decodes to what was sent" ||
	fail "JSON: decoded host name: $(od -c "$TMP/got" | head -3)"
check "JSON: the long SNI kept to 255 bytes, escaped" 1 \
	"$(jq '[.names[] | select(.source == "sni") | .name | select(length > 200)] | length' \
	    "$TMP/r.json")"
check "JSON: three findings from the login" "http-basic password username" \
	"$(jq -r '[.findings[].type] | sort | join(" ")' "$TMP/r.json")"

# ---- CSV ---------------------------------------------------------------------------------
"$IOTSCOPE" -q -r "$TMP/evil.pcap" --report csv -o "$TMP/csv"
clean "CSV tables" "$TMP"/csv/*.csv
# formulas FILE...: "file row column: cell" for each cell that starts with = + - @, a tab or
# a carriage return and is not a plain signed number.
formulas() {
	perl -ne '
	s/\r?\n$//;
	my $col = 0;
	while (/\G(?:"((?:[^"]|"")*)"|([^,]*))(,|$)/g) {
		my ($c, $end) = (defined $1 ? $1 : $2, $3 eq "");
		$c =~ s/""/"/g;
		print "$ARGV $. $col: $c\n"
		    if $c =~ /^[=+\-\@\t\r]/ && $c !~ /^[-+]?[0-9]+(\.[0-9]+)?$/;
		$col++;
		last if $end;
	}
	close ARGV if eof;' "$@"
}
printf 'a,=1+2,"x,y",-3,"@z"\r\n' >"$TMP/probe.csv"
check "the formula checker finds =1+2 and @z, not -3" 2 "$(formulas "$TMP/probe.csv" | wc -l)"
out=$(formulas "$TMP"/csv/*.csv)
[ -z "$out" ] && pass "CSV: no cell starts a formula" ||
	fail "CSV: cells that start a formula: $(printf '%s' "$out" | head -3 | sed "s|$TMP/||g")"
has "CSV: the host name with an apostrophe before =" "$TMP/csv/devices.csv" "'$cam"
has "CSV: the mDNS name with an apostrophe before @" "$TMP/csv/devices.csv" \
	"'@hub\\x1b[2J\\x1b]0;pwned\\x07.local"
has "CSV: a form password with an apostrophe before =" "$TMP/csv/findings.csv" \
	",'=cmd|' /C calc'!A0\\x1b]52;c;cHduZWQ=\\x07\\x9b\\u202e"
has "CSV: a form user with an apostrophe before -" "$TMP/csv/findings.csv" ",'-2+3\\x1b[2J,"
check "CSV: numbers are left as they are (the device ids)" "0 1 2" \
	"$(sed 1d "$TMP/csv/devices.csv" | cut -d, -f1 | tr -d '\r' | tr '\n' ' ' | sed 's/ $//')"

# ---- --grep ------------------------------------------------------------------------------
"$IOTSCOPE" -r "$TMP/evil.pcap" --grep 'pwned' >"$TMP/g.out" 2>"$TMP/g.err"
check "--grep: exit status" 0 "$?"
clean "--grep output and standard error" "$TMP/g.out" "$TMP/g.err"
has "--grep: the match shown escaped" "$TMP/g.out" '=cam\x1b[2J\x1b]0;[pwned]\x07\x9b31m\xc2\x9b32m'
grep -q '^[0-9]* matches in [0-9]* flows$' "$TMP/g.out" && pass "--grep: the summary line" ||
	fail "--grep: no summary line"

# ---- standard error ----------------------------------------------------------------------
# expect DESC CODE TEXT COMMAND...: exit status CODE, one line on standard error holding TEXT
# (fixed string), and nothing unsafe on either output.
expect() {
	desc=$1 code=$2 text=$3
	shift 3
	"$@" >"$TMP/e.out" 2>"$TMP/e.err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		fail "$desc: exit $rc, expected $code"
	elif ! grep -qF -- "$text" "$TMP/e.err"; then
		fail "$desc: standard error lacks '$text':" \
		    "$(head -c 300 "$TMP/e.err" | od -c | head -3)"
	elif [ -n "$(unsafe "$TMP/e.out" "$TMP/e.err")" ]; then
		fail "$desc: $(unsafe "$TMP/e.out" "$TMP/e.err" | sed "s|$TMP/||g")"
	else
		pass "$desc"
	fi
}
pat="$TMP/pat${ESC}]0;pwned${BEL}.pat"
printf 'bad\033[2Jname credential high - (?<value>x\033]0;t\007(\n' >"$pat"
expect "a bad pattern file: its name and pattern escaped" 0 \
	'pat\x1b]0;pwned\x07.pat:1: bad\x1b[2Jname: missing closing parenthesis at offset' \
	"$IOTSCOPE" -r "$TMP/evil.pcap" --patterns "$pat" --report json
expect "a missing pattern file named with escapes" 0 'nope\x1b[2J.pat: No such file' \
	"$IOTSCOPE" -r "$TMP/evil.pcap" --patterns "$TMP/nope${ESC}[2J.pat" --report json
expect "an unknown option" 2 "unknown option '--\\x1b[2Jx'" "$IOTSCOPE" "--${ESC}[2Jx"
expect "an unknown report format" 2 "unknown report format '\\x1b]0;pwned\\x07'" \
	"$IOTSCOPE" -r "$TMP/evil.pcap" --report "${ESC}]0;pwned${BEL}"
expect "a bad --limit" 2 "not '$(printf '\\x9b')31m'" \
	"$IOTSCOPE" -r "$TMP/evil.pcap" --limit "$(printf '\233')31m"
expect "a bad --grep expression" 2 "--grep: bad regular expression" \
	"$IOTSCOPE" -r "$TMP/evil.pcap" --grep "${ESC}[2J("
expect "a missing capture named with escapes" 1 'gone\x1b]52;c;cHduZWQ=\x07.pcap: No such file' \
	"$IOTSCOPE" -r "$TMP/gone${ESC}]52;c;cHduZWQ=${BEL}.pcap"
expect "an unwritable -o named with escapes" 1 'no\x1b[2Jdir/r.txt: No such file' \
	"$IOTSCOPE" -q -r "$TMP/evil.pcap" -o "$TMP/no${ESC}[2Jdir/r.txt"
: >"$TMP/file"
expect "an unusable CSV folder named with escapes" 1 'file/\u202e\x1b[2J: Not a directory' \
	"$IOTSCOPE" -q -r "$TMP/evil.pcap" --report csv \
	-o "$TMP/file/$(printf '\342\200\256')${ESC}[2J"
# A capture named with escapes and cut short: the warning and the report's inputs.
cut="$TMP/cut${ESC}[2J$(printf '\302\233')1m.pcap"
head -c 9000 "$TMP/evil.pcap" >"$cut"
expect "a cut capture named with escapes: the warning" 0 'cut\x1b[2J\x9b1m.pcap' \
	"$IOTSCOPE" -r "$cut"
has "a cut capture named with escapes: the text report's inputs" "$TMP/e.out" \
	'cut\x1b[2J\x9b1m.pcap: pcap'
"$IOTSCOPE" -q -r "$cut" --report json >"$TMP/cut.json"
clean "a cut capture named with escapes: JSON" "$TMP/cut.json"

# Only ui/msg.c writes to standard error: every message passes its escaping.
check "only ui/msg.c writes to standard error" "ui/msg.c" \
	"$(cd "$here" && grep -l 'stderr' src/*.c ui/*.c | tr '\n' ' ' | sed 's/ $//')"
finish
