#!/bin/sh
# fixtures-check.sh — builds the geo fixture databases with make-fixtures.pl and holds every
# line of fixtures.txt to what libmaxminddb (through mmdblookup) finds in them, so the table
# the C and shell tests trust says what the files hold; also that two builds are identical.
# Skips (77) without mmdblookup (mmdb-bin) or perl's MaxMind::DB::Writer.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "${TESTLIB:-$here/../lib.sh}"
need mmdblookup mmdb-bin
need perl perl
if ! perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
	echo "SKIP: perl MaxMind::DB::Writer not installed (Debian package libmaxmind-db-writer-perl)"
	exit 77
fi

if ! perl "$here/make-fixtures.pl" "$TMP/a" || ! perl "$here/make-fixtures.pl" "$TMP/b"; then
	fail "make-fixtures.pl failed"
	finish
fi
for f in "$TMP"/a/*.mmdb; do
	if cmp -s "$f" "$TMP/b/${f##*/}"; then
		pass "${f##*/}: two builds identical"
	else
		fail "${f##*/}: two builds differ"
	fi
done

for t in GeoLite2-Country:GeoLite2-Country "dbip-country:country ipvAll" \
    "geo-whois-asn-country:country ipvAll" GeoLite2-ASN:GeoLite2-ASN; do
	got=$(mmdblookup --file "$TMP/a/${t%%:*}.mmdb" --ip 1.1.1.1 --verbose 2>/dev/null |
	    sed -n 's/^ *Type: *//p')
	check "${t%%:*}: database_type" "${t#*:}" "$got"
done

# answer FILE IP: mmdblookup's record for IP as fixtures.txt's netmask|country|iso_code|
# registered|name|asn|org, parsed from its indented dump; control bytes written \xHH.  The
# country shown is ip-location-db's country_code, else GeoIP2's country, else the country
# that registered the network.
answer() {
	mmdblookup --file "$1" --ip "$2" --verbose 2>&1 | perl -e '
		my ($nm, $found, $pending, @path, %v) = ("-", 1, "");
		while (<STDIN>) {
			chomp;
			$found = 0 if /Could not find an entry/;
			if (/^ *Record prefix length: *(\d+)/) { $nm = $1; next }
			if (/^ *"([^"]*)": *$/) { $pending = $1; next }
			if (/^ *\{$/) { push @path, $pending; $pending = ""; next }
			if (/^ *\}$/) { pop @path; next }
			if (/^ *"(.*)" <utf8_string>$/ || /^ *(\S+) <(?:uint\d+|boolean)>$/) {
				$v{ join ".", grep { $_ ne "" } @path, $pending } = $1;
				$pending = "";
			}
		}
		$nm = "-" unless $found;
		my $cc = $v{country_code} // $v{"country.iso_code"}
		    // $v{"registered_country.iso_code"};
		my $out = join "|", $nm, map { $_ // "-" } $cc, @v{"country.iso_code",
		    "registered_country.iso_code", "country.names.en",
		    "autonomous_system_number", "autonomous_system_organization"};
		$out =~ s/([\x00-\x1f\x7f])/sprintf "\\x%02x", ord $1/ge;
		print "$out\n";'
}

rows=0
bad=0
while IFS='|' read -r ip db netmask country iso reg name asn org; do
	case $ip in '' | '#'*) continue ;; esac
	rows=$((rows + 1))
	f=$TMP/a/$db.mmdb
	if [ ! -f "$f" ]; then
		fail "$ip: no fixture $db.mmdb"
		bad=$((bad + 1))
		continue
	fi
	want="$netmask|$country|$iso|$reg|$name|$asn|$org"
	got=$(answer "$f" "$ip")
	if [ "$want" != "$got" ]; then
		fail "$ip in $db: fixtures.txt says '$want', the database '$got'"
		bad=$((bad + 1))
	fi
done <"$here/fixtures.txt"
if [ "$rows" -gt 0 ] && [ "$bad" -eq 0 ]; then
	pass "fixtures.txt: all $rows address/database lines as the databases answer"
fi
finish
