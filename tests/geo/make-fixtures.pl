#!/usr/bin/perl
# make-fixtures.pl — writes the small MaxMind DBs the geo tests read, with made-up but
# plausible answers for the demo capture's public addresses, a few more public networks and
# two documentation ranges:
#   GeoLite2-Country.mmdb       GeoIP2 layout (country / registered_country / continent)
#   dbip-country.mmdb           ip-location-db layout (country_code), as the DB-IP lite file
#   geo-whois-asn-country.mmdb  ip-location-db layout, a second opinion that disagrees elsewhere
#   GeoLite2-ASN.mmdb           autonomous_system_number / autonomous_system_organization
# fixtures.txt beside this file lists what each address must give in each; keep the two in
# step.  Deterministic: with a fixed build time (the writer sorts map keys) every run writes
# the same bytes, so a changed fixture shows in a checksum.
# usage: make-fixtures.pl OUTDIR   (needs Debian's libmaxmind-db-writer-perl)
use strict;
use warnings;
use utf8;

use MaxMind::DB::Writer::Tree;

die "usage: $0 OUTDIR\n" unless @ARGV == 1;
my $outdir = $ARGV[0];
-d $outdir or mkdir $outdir or die "$outdir: $!\n";

# 2026-03-14 00:00 UTC, the demo capture's day.
my $epoch = 1773446400;

my %country = (
	CA => [ 6251999, 'Canada', 'NA' ],
	CN => [ 1814991, 'China', 'AS' ],
	DE => [ 2921044, 'Germany', 'EU' ],
	FR => [ 3017382, 'France', 'EU' ],
	IE => [ 2963597, 'Ireland', 'EU' ],
	JP => [ 1861060, 'Japan', 'AS' ],
	NL => [ 2750405, 'Netherlands', 'EU' ],
	US => [ 6252001, 'United States', 'NA' ],
);
my %continent = (
	AS => [ 6255147, 'Asia' ],
	EU => [ 6255148, 'Europe' ],
	NA => [ 6255149, 'North America' ],
);
my %eu = map { $_ => 1 } qw(DE FR IE NL);

# network => [ GeoLite2 country, GeoLite2 registered_country, dbip country_code,
#              geo-whois-asn country_code, AS number, AS organisation ]; undef: no record
# there.  Listed broad before narrow: with merge_strategy none the later insert wins, so a
# more specific network splits its parent.
my @nets = (
	# The demo capture's public destinations (see fixtures.txt for which host is which).
	[ '8.8.8.0/24',       'US', 'US', 'US', 'US', 15169, 'Google LLC' ],
	[ '142.250.0.0/15',   'US', 'US', 'US', 'US', 15169, 'Google LLC' ],
	# Anycast: GeoIP2 knows only who registered it, so the country falls back to that.
	[ '162.159.192.0/18', undef, 'US', 'US', 'US', 13335, 'Cloudflare, Inc.' ],
	[ '18.192.0.0/12',    'DE', 'US', 'DE', 'DE', 16509, 'Amazon.com, Inc.' ],
	[ '3.120.0.0/14',     'DE', 'US', 'DE', 'DE', 16509, 'Amazon.com, Inc.' ],
	[ '52.84.0.0/15',     'US', 'US', 'US', 'US', 16509, 'Amazon.com, Inc.' ],
	# dbip and geo-whois-asn disagree here (IE against NL); GeoIP2 sides with dbip.
	[ '20.32.0.0/11',     'IE', 'US', 'IE', 'NL', 8075, 'Microsoft Corporation' ],
	[ '34.116.0.0/14',    'US', 'US', 'US', 'US', 396982, 'Google LLC' ],
	# GeoIP2 (DE, registered CN) and dbip (CN) disagree; the comma without a space in the
	# organisation tests CSV quoting.
	[ '47.254.128.0/18',  'DE', 'CN', 'CN', 'DE', 37963, 'Hangzhou Alibaba Advertising Co.,Ltd.' ],
	[ '2606:4700::/32',   'US', 'US', 'CA', 'US', 13335, 'Cloudflare, Inc.' ],
	# The demo LAN's own global IPv6 prefix.
	[ '2a02:8070::/31',   'DE', 'DE', 'DE', 'DE', 3209, 'Vodafone GmbH' ],

	# Public space with made-up answers for what the demo lacks: a gap in coverage,
	# terminal escapes and non-ASCII text in an organisation, a nested network.
	[ '5.61.0.0/16',      'JP', 'JP', undef, undef, undef, undef ],
	[ '5.45.64.0/18',     undef, undef, 'FR', 'FR', 64511, "Evil\e]0;owned\a Networks\e[2J" ],
	# A /25 splitting a /24 of 5.61.0.0/16: answers cached per /24 must not cross it.
	[ '5.61.7.128/25',    'FR', 'FR', 'FR', 'FR', 64502, 'Split Network Example' ],
	[ '2a0f:ff00::/32',   'FR', 'FR', 'FR', undef, 64496, 'Beispiel Straße GmbH' ],
	[ '2a0f:ff00:beef::/48', 'NL', 'FR', undef, undef, 64497, 'Exemple Réseau SARL' ],
	# The scale shapes' remote addresses (tests/gen/scen-scale.c): half of them answered,
	# for the flows of a report formatted on several threads.
	[ '23.0.0.0/25',      'NL', 'NL', 'NL', 'NL', 64503, 'Scale Example' ],
	# Documentation ranges: iotscope labels them and never asks a database, so these
	# answers must not show.
	[ '198.51.100.0/24',  'JP', 'JP', 'JP', 'JP', 64500, 'Documentation Example' ],
	[ '2001:db8::/32',    'FR', 'FR', 'FR', 'FR', 64501, 'Documentation Example' ],
);

my %types = (
	continent => 'map',
	country => 'map',
	registered_country => 'map',
	names => 'map',
	code => 'utf8_string',
	en => 'utf8_string',
	iso_code => 'utf8_string',
	geoname_id => 'uint32',
	is_in_european_union => 'boolean',
	country_code => 'utf8_string',
	autonomous_system_number => 'uint32',
	autonomous_system_organization => 'utf8_string',
);

# tree DATABASE-TYPE ALIAS DESCRIPTION LANGUAGES
sub tree {
	my ($type, $alias, $desc, $langs) = @_;
	return MaxMind::DB::Writer::Tree->new(
		ip_version => 6,
		record_size => 24,
		database_type => $type,
		languages => $langs,
		description => $desc,
		map_key_type_callback => sub { $types{ $_[0] } },
		# MaxMind's own files alias ::ffff:0:0/96, 2001::/32 and 2002::/16 to IPv4;
		# ip-location-db's do not (::ffff:8.8.8.8 is not found there).
		alias_ipv6_to_ipv4 => $alias,
		# Keep the documentation ranges, whose answers iotscope must not show.
		remove_reserved_networks => 0,
		merge_strategy => 'none',
		_build_epoch => $epoch,
	);
}

sub place {
	my ($cc) = @_;
	my ($id, $name) = @{ $country{$cc} };
	my %p = (geoname_id => $id, iso_code => $cc, names => { en => $name });
	$p{is_in_european_union} = 1 if $eu{$cc};
	return \%p;
}

my %db = (
	'GeoLite2-Country.mmdb' => tree('GeoLite2-Country', 1,
	    { en => 'GeoLite2 Country database (iotscope test fixture, fictional data)' }, ['en']),
	# database_type, empty description and no languages as in the real ip-location-db files.
	'dbip-country.mmdb' => tree('country ipvAll', 0, {}, []),
	'geo-whois-asn-country.mmdb' => tree('country ipvAll', 0, {}, []),
	'GeoLite2-ASN.mmdb' => tree('GeoLite2-ASN', 1,
	    { en => 'GeoLite2 ASN database (iotscope test fixture, fictional data)' }, []),
);

for my $n (@nets) {
	my ($net, $cc, $reg, $dbip, $whois, $asn, $org) = @$n;
	if (defined $cc || defined $reg) {
		my %r;
		if (defined $cc) {
			my $k = $country{$cc}[2];
			$r{continent} = { code => $k, geoname_id => $continent{$k}[0],
			    names => { en => $continent{$k}[1] } };
			$r{country} = place($cc);
		}
		$r{registered_country} = place($reg) if defined $reg;
		$db{'GeoLite2-Country.mmdb'}->insert_network($net, \%r);
	}
	$db{'dbip-country.mmdb'}->insert_network($net, { country_code => $dbip }) if defined $dbip;
	$db{'geo-whois-asn-country.mmdb'}->insert_network($net, { country_code => $whois })
	    if defined $whois;
	$db{'GeoLite2-ASN.mmdb'}->insert_network($net, { autonomous_system_number => $asn,
	    autonomous_system_organization => $org }) if defined $asn;
}

for my $name (sort keys %db) {
	my $tmp = "$outdir/$name.tmp";
	open my $fh, '>:raw', $tmp or die "$tmp: $!\n";
	$db{$name}->write_tree($fh);
	close $fh or die "$tmp: $!\n";
	rename $tmp, "$outdir/$name" or die "$outdir/$name: $!\n";
}
exit 0;
