#!/bin/sh
# follow.sh — --follow on captures that another program is still writing: a writer appends a
# capture (pcap, nanosecond and big-endian pcap, pcapng; generated and real) in slices cut
# anywhere, headers and records included, with short pauses, while iotscope -r FILE --follow
# reads it; ended by --count or by SIGTERM once everything was read, its report equals -r of
# the finished file.  -r DIR --follow reads rotated files (iotscope -C, tcpdump -C) added one
# by one, in version order (cap, cap1, ... cap9, cap10).
. "$TESTLIB"
need jq jq
need perl perl-base
need tcpdump tcpdump

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 &&
"$GEN" demo --format pcapng -o "$TMP/demo.pcapng" >/dev/null 2>&1 &&
"$GEN" demo --format pcap-ns -o "$TMP/demo-ns.pcap" >/dev/null 2>&1 &&
"$GEN" demo --format pcap-be -o "$TMP/demo-be.pcap" >/dev/null 2>&1 ||
    { fail "generator runs"; finish; }
ndemo=$("$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json | jq .capture.packets)

# writer SRC DST MIN MAX: appends SRC to DST in slices of MIN..MAX bytes (the first one 10
# bytes, inside the file header), pausing 2 to 12 ms after each; same seed, same cuts.
writer() {
	perl -e '
		my ($src, $dst, $min, $max) = @ARGV;
		srand(7);
		open(my $in, "<", $src) or die "$src: $!";
		open(my $out, ">>", $dst) or die "$dst: $!";
		binmode $in; binmode $out;
		my $n = 10;
		while (read($in, my $buf, $n)) {
			syswrite($out, $buf) == length($buf) or die "$dst: $!";
			select(undef, undef, undef, 0.002 + rand(0.01));
			$n = $min + int(rand($max - $min + 1));
		}' "$@"
}

# wait_read PID FILE: until PID has read FILE to its end (its descriptor's position, from
# /proc), at most 10 s; 1 if it never does.
wait_read() {
	size=$(wc -c <"$2")
	i=0
	while [ $i -lt 100 ]; do
		for fd in /proc/"$1"/fd/*; do
			[ "$(readlink "$fd")" = "$2" ] || continue
			pos=$(sed -n 's/^pos:[[:space:]]*//p' /proc/"$1"/fdinfo/"${fd##*/}")
			[ "$pos" = "$size" ] && return 0
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_exit PID SECONDS: its exit status, or 124 after killing it when it runs longer.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		wait "$1" 2>/dev/null
		return 124
	fi
	wait "$1"
}

# same_report DESC FOLLOW-JSON FILE-JSON: equal but for the inputs (where the totals must agree).
same_report() {
	if [ "$(jq -S -c 'del(.inputs)' "$2")" = "$(jq -S -c 'del(.inputs)' "$3")" ]; then
		pass "$1: report equals -r of the finished file"
	else
		fail "$1: report differs from -r of the finished file in $(jq -r 'keys[]' "$3" |
		    while read -r k; do [ "$(jq -c ".$k" "$2")" = "$(jq -c ".$k" "$3")" ] ||
		    printf '%s ' "$k"; done)"
	fi
	check "$1: packets and bytes read" \
	    "$(jq -c '[([.inputs[].packets] | add), ([.inputs[].bytes] | add)]' "$3")" \
	    "$(jq -c '[([.inputs[].packets] | add), ([.inputs[].bytes] | add)]' "$2")"
}

# follow_file SRC NAME HOW MIN MAX: SRC written to $TMP/growing/NAME in slices while iotscope
# follows it; HOW is "count" (-c the number of packets) or "term" (SIGTERM once all was read).
follow_file() {
	src=$1 f=$TMP/growing/$2 how=$3
	"$IOTSCOPE" -r "$src" --report json -o "$TMP/want.json" 2>/dev/null
	total=$(jq .capture.packets "$TMP/want.json")
	: >"$f"
	rm -f "$TMP/got.json"
	if [ "$how" = count ]; then
		"$IOTSCOPE" -r "$f" --follow -c "$total" --report json -o "$TMP/got.json" \
		    2>"$TMP/err" &
	else
		"$IOTSCOPE" -r "$f" --follow --report json -o "$TMP/got.json" 2>"$TMP/err" &
	fi
	pid=$!
	writer "$src" "$f" "$4" "$5" || fail "$2: the writer"
	cp "$f" "$TMP/finished"
	"$IOTSCOPE" -r "$TMP/finished" --report json -o "$TMP/want.json" 2>/dev/null
	if [ "$how" = term ]; then
		wait_read $pid "$f" || fail "$2: iotscope reads to the end of the file"
		sleep 0.2
		kill -TERM $pid
	fi
	wait_exit $pid 20
	rc=$?
	check "$2 ($how): exits 0" 0 $rc
	[ "$how" = term ] && sed -i '/capture ended by Terminated/d' "$TMP/err"
	check "$2 ($how): no warnings" "" "$(head -c 300 "$TMP/err")"
	sed -i "s|\"$TMP/finished\"|\"$f\"|" "$TMP/want.json"
	check "$2 ($how): every packet" "$total" "$(jq .capture.packets "$TMP/got.json")"
	same_report "$2 ($how)" "$TMP/got.json" "$TMP/want.json"
}

mkdir "$TMP/growing"
follow_file "$TMP/demo.pcap" demo.pcap count 1 3000
follow_file "$TMP/demo.pcap" demo2.pcap term 1 600
follow_file "$TMP/demo.pcapng" demo.pcapng count 1 3000
follow_file "$TMP/demo.pcapng" demo2.pcapng term 1 600
follow_file "$TMP/demo-ns.pcap" demo-ns.pcap count 1 3000
follow_file "$TMP/demo-be.pcap" demo-be.pcap term 1 3000
if have_shared; then
	follow_file "$SHARED_PCAPS/iot/coap_mqtt.pcap" coap_mqtt.pcap count 1 4000
	follow_file "$SHARED_PCAPS/iot/alexa-app.pcapng" alexa-app.pcapng term 1000 40000
	follow_file "$SHARED_PCAPS/linktypes/pcapng-multi-interface.pcapng" multi.pcapng \
	    count 1 2000
else
	skip "../shared/pcaps absent: generated captures only"
fi

# -r DIR --follow: files rotated by iotscope -C 1 (pcapng), all there from the start, and by
# tcpdump -C 1 (pcap), added to the folder one at a time, each in slices; read in version
# order, cap10 after cap9.
"$GEN" bench --size 12M --flows 200 -o "$TMP/big.pcap" >/dev/null 2>&1 || fail "bench capture"
"$IOTSCOPE" -r "$TMP/big.pcap" --report json -o "$TMP/big.json" 2>/dev/null
total=$(jq .capture.packets "$TMP/big.json")
mkdir "$TMP/rot-iot" "$TMP/rot-tcpdump"
"$IOTSCOPE" -q -r "$TMP/big.pcap" -w "$TMP/rot-iot/cap" -C 1 --report json >/dev/null
# tcpdump gives up root for its own user unless told: -Z root writes where we can.
tcpdump -r "$TMP/big.pcap" -w "$TMP/rot-tcpdump/cap" -C 1 -Z root 2>/dev/null
for rot in "$TMP"/rot-*; do
	who=${rot##*/rot-}
	names=$(ls "$rot" | sort -V | tr '\n' ' ')
	nfiles=$(ls "$rot" | wc -l)
	[ "$nfiles" -ge 11 ] && pass "$who -C 1: $nfiles files" || fail "$who -C 1: $nfiles files"
	mkdir "$TMP/dir-$who"
	rm -f "$TMP/got.json"
	# iotscope's files are all in the folder before it starts (they make no events);
	# tcpdump's arrive one by one.
	ahead=0
	[ "$who" = iot ] && ahead=$nfiles
	set -- $names
	while [ $ahead -gt 0 ]; do
		cp "$rot/$1" "$TMP/dir-$who/$1"
		shift
		ahead=$((ahead - 1))
	done
	"$IOTSCOPE" -r "$TMP/dir-$who" --follow -c "$total" --report json -o "$TMP/got.json" \
	    2>"$TMP/err" &
	pid=$!
	for n in "$@"; do
		writer "$rot/$n" "$TMP/dir-$who/$n" 50000 300000
	done
	wait_exit $pid 15
	check "$who dir: exits 0 after every packet" 0 $?
	check "$who dir: no warnings" "" "$(head -c 300 "$TMP/err")"
	check "$who dir: every packet" "$total" "$(jq .capture.packets "$TMP/got.json")"
	check "$who dir: the files in version order" "$names" \
	    "$(jq -r '.inputs[].name' "$TMP/got.json" | sed 's|.*/||' | tr '\n' ' ')"
	check "$who dir: the packets of each file" \
	    "$(for n in $names; do tcpdump -nn -r "$rot/$n" 2>/dev/null | wc -l; done |
	    tr '\n' ' ')" \
	    "$(jq -r '.inputs[].packets' "$TMP/got.json" | tr '\n' ' ')"
	sections='capture overview devices flows destinations findings'
	jq -S -c "$(echo $sections | sed 's/\([a-z]*\)/.\1,/g; s/,$//')" "$TMP/big.json" >"$TMP/a"
	jq -S -c "$(echo $sections | sed 's/\([a-z]*\)/.\1,/g; s/,$//')" "$TMP/got.json" >"$TMP/b"
	i=1
	for s in $sections; do
		[ "$(sed -n ${i}p "$TMP/a")" = "$(sed -n ${i}p "$TMP/b")" ] &&
		    pass "$who dir: $s as -r of the whole capture" ||
		    fail "$who dir: $s differs from -r of the whole capture"
		i=$((i + 1))
	done
done

# Files arriving faster than they are read: the demo in 161 files of two packets, each written
# whole but for its last 3 bytes, which follow after up to 0.4 ms, the next file at once.
mkdir "$TMP/small" "$TMP/dir-small"
perl -e '
	my ($src, $dir) = @ARGV;
	open(my $in, "<", $src) or die "$src: $!";
	binmode $in;
	read($in, my $hdr, 24);
	my ($i, $n, $out) = (0, 0);
	while (read($in, my $rh, 16) == 16) {
		read($in, my $data, unpack("V", substr($rh, 8, 4)));
		if (!defined $out || $n == 2) {
			open($out, ">", "$dir/cap" . ($i ? $i : "")) or die "$dir: $!";
			binmode $out;
			print $out $hdr;
			$i++;
			$n = 0;
		}
		print $out $rh, $data;
		$n++;
	}' "$TMP/demo.pcap" "$TMP/small"
for seed in 1 2 3; do
	rm -rf "$TMP/dir-small" "$TMP/got.json"
	mkdir "$TMP/dir-small"
	"$IOTSCOPE" -r "$TMP/dir-small" --follow -c "$ndemo" --report json -o "$TMP/got.json" \
	    2>"$TMP/err" &
	pid=$!
	perl -MTime::HiRes=usleep -e '
		my ($seed, $src, $dst, @names) = @ARGV;
		srand($seed);
		for my $n (@names) {
			open(my $in, "<", "$src/$n") or die "$src/$n: $!";
			binmode $in;
			local $/;
			my $b = <$in>;
			open(my $out, ">", "$dst/$n") or die "$dst/$n: $!";
			binmode $out;
			syswrite($out, substr($b, 0, length($b) - 3));
			usleep(int(rand(400)));
			syswrite($out, substr($b, length($b) - 3));
		}' $seed "$TMP/small" "$TMP/dir-small" $(ls "$TMP/small" | sort -V)
	wait_exit $pid 10
	d="161 small files in a burst ($seed)"
	check "$d: exits 0 after every packet" 0 $?
	check "$d: no warnings" "" "$(head -c 300 "$TMP/err")"
	check "$d: every file" 161 "$(jq '.inputs | length' "$TMP/got.json")"
	check "$d: every packet" "$ndemo" "$(jq .capture.packets "$TMP/got.json")"
done

finish
