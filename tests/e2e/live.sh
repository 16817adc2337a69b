#!/bin/sh
# live.sh — live capture end to end on a veth pair between two network namespaces: real
# captures and the demo replayed at 100 Mbit/s while iotscope -i captures headless on the other
# end.  The -w file (pcapng, --pcap, rotated with -C) holds exactly the replayed frames in
# order; the live report equals the report of -r on that file; a filter on the interface;
# SIGTERM, SIGHUP and SIGINT end it with a report and a whole file; -Z; no permission; -D.
. "$TESTLIB"
. "$(dirname "$0")/netns.sh"
need tcpdump tcpdump
need tshark tshark
need capinfos tshark
need jq jq
need setpriv util-linux
netns_setup

"$GEN" demo -o "$TMP/demo.pcap" >/dev/null 2>&1 || { fail "generator runs"; finish; }
frames "$TMP/demo.pcap" >"$TMP/demo.frames"
ndemo=$(wc -l <"$TMP/demo.frames")

# unfit FILE: how many of its frames are longer than the veth takes or cut short by the snaplen
# (tcpdump -e shows each frame's length on the wire; the hex lines what was captured).
unfit() {
	tcpdump -r "$1" -nn -t -e -xx 2>/dev/null | awk '
		function done_one() { if (n && (wire > 1514 || wire != cap)) bad++ }
		/^\t0x[0-9a-f]+:/ {
			sub(/^\t0x[0-9a-f]+: +/, "")
			gsub(/ /, "")
			cap += length($0) / 2
			next
		}
		{
			done_one()
			n++
			cap = 0
			wire = -1
			if (match($0, /, length [0-9]+: /))
				wire = substr($0, RSTART + 9, RLENGTH - 11) + 0
		}
		END { done_one(); print bad + 0 }'
}

# The replayed set: the demo, then real captures of devices, credentials and names, each with
# Ethernet frames that fit the veth's MTU (1500 bytes of payload) and none cut short.
set -- "$TMP/demo.pcap"
cp "$TMP/demo.frames" "$TMP/all.frames"
if have_shared; then
	for f in iot/coap_mqtt.pcap iot/dhcp.pcap iot/iphone.pcap iot/mdns.pcap \
	    iot/mqtt-paho.pcap iot/tplink_shp.pcap iot/sonos.pcapng iot/upnp.pcap creds/ftp.pcap \
	    creds/http-basic-auth-extra-space.pcap creds/http-post-login-dvwa.pcapng \
	    creds/imap.pcap creds/mqtt.pcap creds/smtp-auth-login.pcap names/dns.pcap \
	    names/google_ssl.pcap names/quic-29.pcap names/tls13-ech.pcap; do
		p=$SHARED_PCAPS/$f
		[ -f "$p" ] || continue
		tcpdump -nn -r "$p" -c 1 2>&1 >/dev/null | grep -q "link-type EN10MB" || continue
		[ "$(unfit "$p")" -eq 0 ] || continue
		set -- "$@" "$p"
		frames "$p" >>"$TMP/all.frames"
	done
	check "shared captures to replay" 18 $(($# - 1))
else
	skip "../shared/pcaps absent: the live run replays the demo only"
fi
nall=$(wc -l <"$TMP/all.frames")

# tshark_reads FILE: tshark reads it to the end without a complaint.
tshark_reads() {
	tshark -r "$1" >/dev/null 2>"$TMP/tshark.all"
	rc=$?
	grep -v '^Running as user' "$TMP/tshark.all" >"$TMP/tshark.err"
	[ $rc -eq 0 ] && [ ! -s "$TMP/tshark.err" ]
}

# ws_count FILE: its packets as Wireshark's reader counts them (capinfos reads every record as
# tshark does, without dissecting: a second where tshark takes two), or what it complained of.
ws_count() {
	capinfos -c -M "$1" >"$TMP/capinfos.out" 2>"$TMP/capinfos.err"
	if [ $? -eq 0 ] && [ ! -s "$TMP/capinfos.err" ]; then
		sed -n 's/^Number of packets: *//p' "$TMP/capinfos.out"
	else
		echo "unreadable: $(head -c 200 "$TMP/capinfos.err")"
	fi
}

# drops_zero DESC JSON: every drop counter in the report is 0.
drops_zero() {
	d=$(jq -c '[.. | objects | to_entries[] | select(.key | test("drop")) | .value]' "$2")
	case $d in
	"[]") skip "$1: the report has no drop counters yet" ;;
	*)	[ "$(echo "$d" | jq 'all(. == 0)')" = true ] && pass "$1: drop counters all 0 $d" ||
		    fail "$1: drop counters $d" ;;
	esac
}

# same_report DESC LIVE-JSON FILE-JSON: the live report equals the file's, section by section;
# only inputs (an interface against a file), drop counters (a file has none) and what the
# capture says of how it was made (live, the evidence file it wrote) differ.
same_report() {
	norm='del(.inputs) | del(.capture.live, .capture.evidence, .capture.evidence_files,
	    .capture.evidence_packets, .capture.evidence_failed) | walk(if type == "object" then
	    with_entries(select(.key | test("drop") | not)) else . end)'
	jq -S "$norm" "$2" >"$TMP/a.json" && jq -S "$norm" "$3" >"$TMP/b.json" ||
	    { fail "$1: reports parse"; return; }
	for s in capture overview devices flows names destinations findings warnings; do
		if [ "$(jq -c ".$s" "$TMP/a.json")" = "$(jq -c ".$s" "$TMP/b.json")" ] &&
		    [ "$(jq -c ".$s" "$TMP/a.json")" != null ]; then
			pass "$1: $s equal"
		else
			fail "$1: $s differs: $(jq -c ".$s" "$TMP/a.json" | head -c 200) against \
$(jq -c ".$s" "$TMP/b.json" | head -c 200)"
		fi
	done
	cmp -s "$TMP/a.json" "$TMP/b.json" && pass "$1: whole report equal but inputs" ||
	    fail "$1: reports differ in $(jq -r 'keys[]' "$TMP/a.json" | while read -r k; do
	    [ "$(jq -c ".$k" "$TMP/a.json")" = "$(jq -c ".$k" "$TMP/b.json")" ] || printf '%s ' "$k"
	    done)"
}

# Everything replayed at 100 Mbit/s, captured with --count: pcapng evidence, then the report.
if cap_start "$TMP/live.pcapng" -c "$nall" --report json -o "$TMP/live.json"; then
	replay -M 100 "$@"
	cap_wait 30 || fail "live run ends after $nall packets (still running after 30 s)"
	check "live run exits 0" 0 "$cap_rc"
	check "live report: packets" "$nall" "$(jq .capture.packets "$TMP/live.json")"
	check "live report: the input is the interface" "$VETH_RX live" \
	    "$(jq -r '.inputs[0] | "\(.name) \(.format)"' "$TMP/live.json")"
	same_frames "-w holds the replayed frames in order" "$TMP/all.frames" "$TMP/live.pcapng"
	tshark_reads "$TMP/live.pcapng" && pass "tshark reads the -w file" ||
	    fail "tshark: $(head -c 300 "$TMP/tshark.err")"
	check "-w: capinfos counts every packet" "$nall" "$(ws_count "$TMP/live.pcapng")"
	"$IOTSCOPE" -r "$TMP/live.pcapng" --report json -o "$TMP/file.json" 2>"$TMP/file.err"
	check "-r of the evidence exits 0" 0 $?
	same_report "live report against -r of the evidence" "$TMP/live.json" "$TMP/file.json"
	drops_zero "live report" "$TMP/live.json"
fi

# --pcap: nanosecond pcap, the same frames.
if cap_start "$TMP/live.pcap" --pcap -c "$ndemo" --report json -o "$TMP/pcap.json"; then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "--pcap run exits 0" 0 "$cap_rc"
	check "--pcap: nanosecond pcap magic" "4d3cb2a1" \
	    "$(od -An -tx1 -N4 "$TMP/live.pcap" | tr -d ' \n')"
	same_frames "--pcap holds the demo's frames" "$TMP/demo.frames" "$TMP/live.pcap"
	"$IOTSCOPE" -r "$TMP/live.pcap" --report json -o "$TMP/file.json" 2>/dev/null
	check "--pcap: devices as -r of it" "$(jq -c .devices "$TMP/file.json")" \
	    "$(jq -c .devices "$TMP/pcap.json")"
fi

# --immediate-mode: each packet handed over as it arrives, the same frames.
if cap_start "$TMP/imm.pcapng" --immediate-mode -c "$ndemo" --report json -o "$TMP/imm.json"
then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "--immediate-mode run exits 0" 0 "$cap_rc"
	same_frames "--immediate-mode holds the demo's frames" "$TMP/demo.frames" "$TMP/imm.pcapng"
fi

# -C 1: a 3 MB capture becomes files of at most 1,000,000 bytes, each one valid, together
# holding every frame.
"$GEN" bench --size 3M --flows 50 -o "$TMP/bench.pcap" >/dev/null 2>&1 || fail "bench capture"
frames "$TMP/bench.pcap" >"$TMP/bench.frames"
nbench=$(wc -l <"$TMP/bench.frames")
mkdir "$TMP/rot"
if cap_start "$TMP/rot/cap" -C 1 -c "$nbench" --report json -o "$TMP/rot.json"; then
	replay -M 100 "$TMP/bench.pcap"
	cap_wait 30
	check "-C 1 run exits 0" 0 "$cap_rc"
	nfiles=$(ls "$TMP/rot" | wc -l)
	[ "$nfiles" -ge 4 ] && pass "-C 1: $nfiles files" || fail "-C 1: $nfiles files"
	: >"$TMP/rot.frames"
	total=0 bad=
	for f in $(ls "$TMP/rot" | sort -V); do
		n=$(ws_count "$TMP/rot/$f")
		size=$(wc -c <"$TMP/rot/$f")
		case $n in
		*[!0-9]*) bad="$bad $f($n)"; n=0 ;;
		*) [ "$size" -le 1000000 ] || bad="$bad $f($size bytes)" ;;
		esac
		total=$((total + n))
		frames "$TMP/rot/$f" >>"$TMP/rot.frames"
	done
	[ -z "$bad" ] && pass "-C 1: every file readable and at most 1 MB" || fail "-C 1:$bad"
	check "-C 1: packets in all files" "$nbench" "$total"
	check "-C 1: the report's packets" "$nbench" "$(jq .capture.packets "$TMP/rot.json")"
	if cmp -s "$TMP/bench.frames" "$TMP/rot.frames"; then
		pass "-C 1: the files in name order hold every frame in order"
	else
		fail "-C 1: frames differ from the replayed capture"
	fi
fi

# -i any: Linux cooked capture (SLL) of the same packets, the report as -r of its evidence.
cap_iface=any
if cap_start "$TMP/any.pcapng" -c "$ndemo" --report json -o "$TMP/any.json"; then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "-i any: exits 0" 0 "$cap_rc"
	check "-i any: cooked capture" "any LINUX_SLL $ndemo" \
	    "$(jq -r '.inputs[0] | "\(.name) \(.linktype_name) \(.packets)"' "$TMP/any.json")"
	# The 16-byte cooked header stands where the 14-byte Ethernet header was.
	cut -c29- "$TMP/demo.frames" >"$TMP/want.frames"
	frames "$TMP/any.pcapng" | cut -c33- >"$TMP/any.frames"
	cmp -s "$TMP/want.frames" "$TMP/any.frames" &&
	    pass "-i any: the demo's packets after the cooked header" ||
	    fail "-i any: packets differ from the demo's"
	"$IOTSCOPE" -r "$TMP/any.pcapng" --report json -o "$TMP/file.json" 2>/dev/null
	same_report "-i any: against -r of the evidence" "$TMP/any.json" "$TMP/file.json"
fi
cap_iface=

# -s 100: each packet cut to 100 bytes in the evidence, its length on the wire kept.
if cap_start "$TMP/snap.pcapng" -s 100 -c "$ndemo" --report json -o "$TMP/snap.json"; then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "-s 100: exits 0" 0 "$cap_rc"
	cut -c1-200 "$TMP/demo.frames" >"$TMP/want.frames"
	same_frames "-s 100: the first 100 bytes of each packet" "$TMP/want.frames" \
	    "$TMP/snap.pcapng"
	check "-s 100: the report's wire bytes" \
	    "$("$IOTSCOPE" -q -r "$TMP/demo.pcap" --report json | jq .capture.wire_bytes)" \
	    "$(jq .capture.wire_bytes "$TMP/snap.json")"
	check "-s 100: the report's captured bytes" \
	    "$(awk '{ n += length($0) / 2 } END { print n }' "$TMP/want.frames")" \
	    "$(jq '.capture.captured_bytes' "$TMP/snap.json")"
fi

# A filter on the interface, as trailing arguments and with -f, keeps what tcpdump keeps.
for how in args f; do
	case $how in
	args) expr='tcp port 80 or arp' ;;
	f) expr='udp and not port 53' ;;
	esac
	tcpdump -r "$TMP/demo.pcap" -w "$TMP/want.pcap" "$expr" 2>/dev/null
	frames "$TMP/want.pcap" >"$TMP/want.frames"
	nwant=$(wc -l <"$TMP/want.frames")
	if [ $how = args ]; then
		cap_start "$TMP/filt.pcapng" -c "$nwant" --report json -o "$TMP/filt.json" \
		    $expr
	else
		cap_start "$TMP/filt.pcapng" -c "$nwant" --report json -o "$TMP/filt.json" \
		    -f "$expr"
	fi || continue
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "filter ($how) '$expr': exits 0" 0 "$cap_rc"
	same_frames "filter ($how) '$expr': what tcpdump selects" "$TMP/want.frames" \
	    "$TMP/filt.pcapng"
done

# A bad filter: exit 2, one line with libpcap's message, before any capture.
ip netns exec "$NS_RX" "$IOTSCOPE" -i "$VETH_RX" --report json 'tcp prot 80' >/dev/null \
    2>"$TMP/err"
check "bad filter on an interface: exit 2" 2 $?
check "bad filter: one line with libpcap's message" \
    "iotscope: bad filter expression: can't parse filter expression: syntax error" \
    "$(cat "$TMP/err")"

# Signals: a headless run ended by each one writes its report and a whole evidence file.
for sig in TERM HUP INT; do
	cap_start "$TMP/sig.pcapng" --report json -o "$TMP/sig.json" || continue
	replay -M 100 "$TMP/demo.pcap"
	sleep 0.5
	kill -s $sig "$cap_pid"
	cap_wait 10 || fail "SIG$sig: iotscope still running 10 s later"
	check "SIG$sig: exits 0" 0 "$cap_rc"
	grep -q "capture ended by" "$TMP/cap.err" && pass "SIG$sig: says the capture was ended" ||
	    fail "SIG$sig: stderr: $(head -c 300 "$TMP/cap.err")"
	n=$(jq .capture.packets "$TMP/sig.json" 2>/dev/null)
	check "SIG$sig: a report in valid JSON, every packet in it" "$ndemo" "$n"
	check "SIG$sig: the file holds the report's packets, whole (capinfos)" "$n" \
	    "$(ws_count "$TMP/sig.pcapng")"
done

# SIGTERM with nothing captured: a report of 0 packets and a valid file of none.
if cap_start "$TMP/idle.pcapng" --report json -o "$TMP/idle.json"; then
	sleep 0.5
	kill -s TERM "$cap_pid"
	cap_wait 10 || fail "SIGTERM while idle: still running 10 s later"
	check "SIGTERM while idle: exits 0" 0 "$cap_rc"
	check "SIGTERM while idle: a report of 0 packets" 0 \
	    "$(jq .capture.packets "$TMP/idle.json")"
	check "SIGTERM while idle: a valid file of no packets (capinfos)" 0 \
	    "$(ws_count "$TMP/idle.pcapng")"
fi

# --duration 1.5: the capture ends by itself after a second and a half, report written.
t0=$(date +%s%N)
if cap_start "$TMP/dur.pcapng" --duration 1.5 --report json -o "$TMP/dur.json"; then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 10
	ms=$((($(date +%s%N) - t0) / 1000000))
	check "--duration 1.5: exits 0" 0 "$cap_rc"
	[ $ms -ge 1500 ] && [ $ms -lt 6000 ] && pass "--duration 1.5: ended after $ms ms" ||
	    fail "--duration 1.5: ended after $ms ms"
	check "--duration 1.5: every packet sent in time" "$ndemo" \
	    "$(jq .capture.packets "$TMP/dur.json")"
fi

# SIGTERM while packets pour in at top speed (the bench capture over and over for 2 s), sent
# once the evidence file has grown: the file and the report still agree.
if cap_start "$TMP/sig.pcapng" --report json -o "$TMP/sig.json"; then
	replay --topspeed --loop=1000 --duration=2 "$TMP/bench.pcap" &
	rp=$!
	i=0
	while [ "$(wc -c <"$TMP/sig.pcapng")" -lt 1000000 ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -s TERM "$cap_pid"
	cap_wait 10
	wait $rp
	check "SIGTERM mid-burst: exits 0" 0 "$cap_rc"
	n=$(jq .capture.packets "$TMP/sig.json" 2>/dev/null)
	[ "${n:-0}" -gt 0 ] && pass "SIGTERM mid-burst: $n packets reported" ||
	    fail "SIGTERM mid-burst: report: $(head -c 300 "$TMP/sig.json")"
	tshark_reads "$TMP/sig.pcapng" && pass "SIGTERM mid-burst: tshark reads the file" ||
	    fail "SIGTERM mid-burst: tshark: $(head -c 300 "$TMP/tshark.err")"
	tshark_reads "$TMP/sig.pcapng" && pass "SIGTERM mid-burst: tshark reads the file" ||
	    fail "SIGTERM mid-burst: tshark: $(head -c 300 "$TMP/tshark.err")"
	check "SIGTERM mid-burst: the file holds the report's packets, whole (capinfos)" "$n" \
	    "$(ws_count "$TMP/sig.pcapng")"
fi

# -Z nobody: the interface, the -w file and the report file are opened as root (in $TMP, where
# nobody may not create files), the rest runs as nobody, and the evidence belongs to nobody.
if cap_start "$TMP/z.pcapng" -Z nobody -c "$ndemo" --report json -o "$TMP/z.json"; then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "-Z nobody: exits 0" 0 "$cap_rc"
	check "-Z nobody: no message" "" "$(cat "$TMP/cap.err")"
	check "-Z nobody: the -w file belongs to nobody" nobody "$(stat -c %U "$TMP/z.pcapng")"
	check "-Z nobody: the report file belongs to nobody" nobody "$(stat -c %U "$TMP/z.json")"
	check "-Z nobody: the report in a folder only root may write to" "$ndemo" \
	    "$(jq .capture.packets "$TMP/z.json")"
	same_frames "-Z nobody: the evidence" "$TMP/demo.frames" "$TMP/z.pcapng"
fi
if cap_start "$TMP/zc.pcapng" -Z nobody -c "$ndemo" --report csv -o "$TMP/zcsv"; then
	replay -M 100 "$TMP/demo.pcap"
	cap_wait 20
	check "-Z nobody, CSV: exits 0" 0 "$cap_rc"
	check "-Z nobody, CSV: the folder belongs to nobody" nobody "$(stat -c %U "$TMP/zcsv")"
	check "-Z nobody, CSV: capture.csv written" 1 \
	    "$(grep -c "^$ndemo," "$TMP/zcsv/capture.csv" 2>/dev/null)"
fi

# Without root and without capabilities: one line saying what to do, exit 1.
ip netns exec "$NS_RX" setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
    --inh-caps=-all "$IOTSCOPE" -i "$VETH_RX" --report json >/dev/null 2>"$TMP/err"
rc=$?
if [ $rc -eq 127 ] || grep -q "Permission denied.*iotscope\|cannot execute" "$TMP/err"; then
	skip "nobody cannot run $IOTSCOPE from here"
else
	check "unprivileged: exit 1" 1 $rc
	check "unprivileged: one line" 1 "$(wc -l <"$TMP/err")"
	grep -q "no permission to capture.*root.*setcap cap_net_raw,cap_net_admin=eip" \
	    "$TMP/err" && pass "unprivileged: says to run as root or setcap" ||
	    fail "unprivileged: $(cat "$TMP/err")"
fi

# -D inside the namespace lists the receiving end, as tcpdump -D does, and not the other.
ip netns exec "$NS_RX" "$IOTSCOPE" -D >"$TMP/d.out" 2>&1
check "-D exits 0" 0 $?
grep -q "^[0-9]*\.$VETH_RX \[Up, Running" "$TMP/d.out" && pass "-D lists $VETH_RX, up" ||
    fail "-D: $(cat "$TMP/d.out")"
grep -q "$VETH_TX" "$TMP/d.out" && fail "-D lists the other namespace's $VETH_TX" ||
    pass "-D: only this namespace's interfaces"
ip netns exec "$NS_RX" tcpdump -D >"$TMP/td.out" 2>&1
check "-D: the names tcpdump -D lists" "$(sed 's/^[0-9]*\.\([^ ]*\).*/\1/' "$TMP/td.out" | sort)" \
    "$(sed 's/^[0-9]*\.\([^ ]*\).*/\1/' "$TMP/d.out" | sort)"

# The interface goes away (a USB adapter pulled out): the run ends by itself with its report,
# exit 1 and the reason, and the evidence holds what came before.  Last: it takes the pair.
if cap_start "$TMP/gone.pcapng" --report json -o "$TMP/gone.json"; then
	replay -M 100 "$TMP/demo.pcap"
	sleep 0.5
	ip -n "$NS_TX" link del "$VETH_TX"
	cap_wait 10 || fail "interface gone: iotscope still runs 10 s later"
	check "interface gone: exits 1" 1 "$cap_rc"
	grep -q "$VETH_RX.*The interface disappeared" "$TMP/cap.err" &&
	    pass "interface gone: says so with libpcap's reason" ||
	    fail "interface gone: stderr: $(head -c 300 "$TMP/cap.err")"
	check "interface gone: the report" "$ndemo" "$(jq .capture.packets "$TMP/gone.json")"
	same_frames "interface gone: the evidence" "$TMP/demo.frames" "$TMP/gone.pcapng"
fi

finish
