#!/usr/bin/perl
# build-asn.pl — turns the IP-range CSVs of the npm package @ip-location-db/asn (RouteViews,
# NRO and DB-IP data, CC BY 4.0) into one MaxMind DB with GeoLite2-ASN's record layout, so
# iotscope reads AS numbers and owners with the same libmaxminddb code as MaxMind's own file.
# Needs Debian's libmaxmind-db-writer-perl.  `fetch.sh` runs it; by hand:
#   build-asn.pl [--source TEXT] OUT.mmdb asn-ipv4.csv asn-ipv6.csv
use strict;
use warnings;

use Getopt::Long qw(GetOptions);
use Socket qw(AF_INET AF_INET6 inet_pton inet_ntop);
use Time::HiRes qw(time);
use MaxMind::DB::Writer::Tree;

my $source = '@ip-location-db/asn';
GetOptions('source=s' => \$source)
	or die "usage: $0 [--source TEXT] OUT.mmdb CSV...\n";
die "usage: $0 [--source TEXT] OUT.mmdb CSV...\n" if @ARGV < 2;
my ($out, @csvs) = @ARGV;

# The writer keeps IPv4 in ::/96 of an IPv6 tree.  Aliasing makes ::ffff:a.b.c.d (IPv4-mapped),
# 2002:AABB:CCDD::/48 (6to4) and 2001:0:AABB:CCDD::/64 (Teredo, the server's address) answer
# as the IPv4 address they embed, as MaxMind's own databases do; the owner of that IPv4 address
# is a better answer for such an address than the relay operator that announces all of
# 2002::/16.  The price: the writer refuses rows inside those ranges ("Attempted to overwrite
# an aliased network"), so rows inside them are dropped and rows across their edges clipped.
# In the June 2026 data that is two rows, 2001::/32 and 2002::/16, both AS6939.
my @aliased = map { [ pack6($_->[0]), pack6($_->[1]), $_->[2] ] } (
	[ '::ffff:0:0', '::ffff:ffff:ffff', '::ffff:0:0/96 IPv4-mapped' ],
	[ '2001::', '2001:0:ffff:ffff:ffff:ffff:ffff:ffff', '2001::/32 Teredo' ],
	[ '2002::', '2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '2002::/16 6to4' ],
);

my %types = (
	autonomous_system_number => 'uint32',
	autonomous_system_organization => 'utf8_string',
);

my $t0 = time;
my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => 6,
	# 24-bit records address 16.7 M nodes plus data; the June 2026 build has about
	# 1.3 M nodes and 3 MB of data, so 24 bits leaves room and keeps the file small.
	record_size => 24,
	database_type => 'iotscope-ASN',
	languages => ['en'],
	description => { en => "AS numbers and owners from $source: RouteViews, NRO and "
	    . 'DB-IP (https://db-ip.com) data, CC BY 4.0; built by iotscope build-asn.pl' },
	map_key_type_callback => sub { $types{ $_[0] } },
	alias_ipv6_to_ipv4 => 1,
	# Private, documentation and other reserved ranges have no AS to report.
	remove_reserved_networks => 1,
	merge_strategy => 'none',
);

my ($rows, $v4, $v6, $dropped, $clipped, $bad) = (0, 0, 0, 0, 0, 0);
for my $csv (@csvs) {
	open my $fh, '<:raw', $csv or die "$csv: $!\n";
	while (my $line = <$fh>) {
		$line =~ s/\r?\n\z//;
		next if $line eq '';
		# ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization
		# (inclusive range, no header); only the organisation is ever quoted, with "" for ".
		my ($s, $e, $asn, $org) = $line =~ /\A([^,]+),([^,]+),(\d+),(.*)\z/
			or do { $bad++; next };
		if ($org =~ /\A"(.*)"\z/) {
			($org = $1) =~ s/""/"/g;
		}
		# The writer encodes character strings; undecoded bytes would be UTF-8 twice.
		utf8::decode($org) or do { $bad++; next };
		next if $asn > 4294967295;
		$rows++;
		my $data = { autonomous_system_number => $asn + 0,
		    autonomous_system_organization => $org };
		if ($s =~ /:/) {
			$v6++;
			my @pieces = clip(pack6($s), pack6($e));
			if (@pieces == 0) {
				$dropped++;
				print "asn: dropped $s-$e AS$asn (inside an aliased range)\n";
				next;
			}
			$clipped++ if @pieces != 1 || $pieces[0][0] ne pack6($s)
			    || $pieces[0][1] ne pack6($e);
			$tree->insert_range(inet_ntop(AF_INET6, $_->[0]), inet_ntop(AF_INET6, $_->[1]),
			    $data) for @pieces;
		} else {
			$v4++;
			$tree->insert_range($s, $e, $data);
		}
	}
	close $fh;
}
die "asn: no usable rows in @csvs\n" if $rows == 0;

my $tmp = "$out.tmp";
open my $ofh, '>:raw', $tmp or die "$tmp: $!\n";
$tree->write_tree($ofh);
close $ofh or die "$tmp: $!\n";
rename $tmp, $out or die "$out: $!\n";

printf "asn: %d ranges (%d IPv4, %d IPv6) -> %s, %.1f MB in %.1f s\n",
    $rows, $v4, $v6, $out, (-s $out) / 1e6, time - $t0;
printf "asn: IPv4 aliased into 2002::/16, 2001::/32, ::ffff:0:0/96; %d IPv6 rows inside "
    . "them dropped, %d clipped%s\n", $dropped, $clipped,
    $bad ? ", $bad malformed lines skipped" : '';
exit 0;

sub pack6 {
	my $a = inet_pton(AF_INET6, $_[0]);
	die "asn: bad IPv6 address $_[0]\n" unless defined $a;
	return $a;
}

# clip(START, END): the parts of an inclusive range of packed IPv6 addresses outside every
# aliased range, as [start, end] pairs.  Packed addresses of one length compare as numbers
# under string comparison.
sub clip {
	my @todo = ([ $_[0], $_[1] ]);
	for my $al (@aliased) {
		my ($as, $ae) = @$al;
		my @next;
		for my $r (@todo) {
			my ($s, $e) = @$r;
			if ($e lt $as || $s gt $ae) {
				push @next, $r;
				next;
			}
			push @next, [ $s, add($as, -1) ] if $s lt $as;
			push @next, [ add($ae, 1), $e ] if $e gt $ae;
		}
		@todo = @next;
	}
	return @todo;
}

# add(PACKED, ±1): the neighbouring address; never called across ::/0's ends, since no
# aliased range starts at :: or ends at the last address.
sub add {
	my ($a, $d) = @_;
	my @b = unpack 'C16', $a;
	for (my $i = 15; $i >= 0; $i--) {
		$b[$i] += $d;
		if ($b[$i] >= 0 && $b[$i] <= 255) {
			last;
		}
		$b[$i] &= 255;
	}
	return pack 'C16', @b;
}
