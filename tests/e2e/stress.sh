#!/bin/sh
# stress.sh — floods in bounded time and memory (issue 11): each shape of `gen-capture stress`
# (very long and very many HTTP header lines, DNS compression loops and overlong names,
# millions of tiny TCP segments out of order, frames cut at every byte) read with --report
# json: exit status, packet and byte counts, the credentials and names that can be recovered
# (and none that cannot), what the snap length cut, and the peak resident size under a limit
# of 48 MiB plus a sixteenth of the capture.  `timeout` is a hang guard, not a speed test
# (the time ratios against a plain read are `make bench-stress`).  Under AddressSanitizer the
# captures are smaller and the peak size is not checked.
. "$TESTLIB"
need jq jq
need timeout coreutils

asan=
if ldd "$IOTSCOPE" 2>/dev/null | grep -q libasan; then
	asan=1
fi

# field KEY FILE [LINE-PREFIX]: the value of KEY=value on the first truth line starting so.
field() { grep "^${3:-count}	" "$2" | tr '\t' '\n' | sed -n "s/^$1=//p" | head -1; }

# run NAME GEN-ARGS...: generates $TMP/NAME.pcap and its truth, reads it into $TMP/NAME.json;
# checks exit status, counts and peak size.  Returns 1 when there is nothing to check further.
run() {
	name=$1
	shift
	if ! "$GEN" stress "$@" -o "$TMP/$name.pcap" --truth "$TMP/$name.truth"; then
		fail "$name: the generator writes it"
		return 1
	fi
	timeout 300 "$IOTSCOPE" -q -r "$TMP/$name.pcap" --report json --profile \
	    -o "$TMP/$name.json" 2>"$TMP/$name.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$name: exit $rc (124: still running after 300 s) $(head -c 300 "$TMP/$name.err")"
		return 1
	fi
	pass "$name: exit 0 within the hang guard"
	J=$TMP/$name.json
	T=$TMP/$name.truth
	check "$name: packets, wire and captured bytes as generated" \
	    "$(field packets "$T") $(field wire_bytes "$T") $(field captured_bytes "$T")" \
	    "$(jq -r '.capture | "\(.packets) \(.wire_bytes) \(.captured_bytes)"' "$J")"
	if [ -n "$asan" ]; then
		skip "$name: peak RSS under AddressSanitizer says nothing of the limit"
	else
		size=$(wc -c <"$TMP/$name.pcap")
		limit=$((48 * 1024 + size / 16 / 1024))
		rss=$(jq .profile.maxrss_kb "$J")
		if [ "$rss" -le "$limit" ]; then
			pass "$name: peak RSS ${rss} kB within ${limit} kB (capture $((size / 1024)) kB)"
		else
			fail "$name: peak RSS ${rss} kB over ${limit} kB (capture $((size / 1024)) kB)"
		fi
	fi
	return 0
}

# leaks NAME: every leak line of the truth is an http-basic finding with its user and port,
# no lost line is, and nothing else is an http-basic finding.
leaks() {
	grep "^leak	" "$TMP/$1.truth" >"$TMP/lines"
	while IFS='	' read -r _ type v u p; do
		v=${v#value=} u=${u#user=} p=${p#port=}
		n=$(jq --arg t "$type" --arg v "$v" --arg u "$u" --arg p ":$p" '[.findings[] |
		    select(.type == $t and .value == $v and .user == $u and
		    (.dst | endswith($p)))] | length' "$TMP/$1.json")
		check "$1: $type '$v' of user $u found once, to port $p" 1 "$n"
	done <"$TMP/lines"
	grep "^lost	" "$TMP/$1.truth" >"$TMP/lines"
	while IFS='	' read -r _ type v u; do
		v=${v#value=}
		check "$1: $type '$v' cannot be recovered, and is not made up" 0 \
		    "$(jq --arg v "$v" '[.findings[] | select(.value == $v)] | length' "$TMP/$1.json")"
	done <"$TMP/lines"
	check "$1: no other credential" "$(grep -c "^leak	" "$TMP/$1.truth")" \
	    "$(jq '[.findings[] | select(.type == "http-basic")] | length' "$TMP/$1.json")"
}

# expect NAME: the overview counters the truth's expect lines give.
expect() {
	grep "^expect	" "$TMP/$1.truth" | cut -f2 >"$TMP/lines"
	while IFS='=' read -r k v; do
		check "$1: overview $k" "$v" "$(jq ".overview.$k" "$TMP/$1.json")"
	done <"$TMP/lines"
}

# ---- longhdr: a 1 MiB Host, Cookie and Bearer line, 100000 header lines each way, a head
# that never ends.
if [ -n "$asan" ]; then sz=64K; else sz=1M; fi
if run longhdr --shape longhdr --size $sz; then
	leaks longhdr
	check "longhdr: four flows" 4 "$(jq .capture.flows "$J")"
	check "longhdr: no name longer than 255 (the long Host is no name)" 0 \
	    "$(jq '[.names[] | select(.name | length > 255)] | length' "$J")"
	check "longhdr: no warning" 0 "$(jq '.warnings | length' "$J")"
fi

# ---- dnsloop: loops, chains at and past 64 jumps, pointers past the end, names at and past
# 255 octets, a 64-octet label, each over UDP, mDNS and TCP; then 20000 names for one address.
if [ -n "$asan" ]; then sz=4096; else sz=20000; fi
if run dnsloop --shape dnsloop --size $sz; then
	expect dnsloop
	grep "^name	" "$T" >"$TMP/names"
	while IFS='	' read -r _ ip nm; do
		ip=${ip#ip=} nm=${nm#name=}
		check "dnsloop: $ip named ${nm%%.*}… (${#nm} characters) by DNS and mDNS" \
		    "dns mdns" "$(jq -r --arg ip "$ip" --arg n "$nm" '[.names[] |
		    select(.ip == $ip and .name == $n) | .source] | sort | join(" ")' "$J")"
	done <"$TMP/names"
	grep "^noname	" "$T" >"$TMP/names"
	while IFS='	' read -r _ ip; do
		ip=${ip#ip=}
		check "dnsloop: $ip, in a refused message, has no name" 0 \
		    "$(jq --arg ip "$ip" '[.names[] | select(.ip == $ip)] | length' "$J")"
	done <"$TMP/names"
	check "dnsloop: every flooded name of 192.168.9.77 kept once" \
	    "$(field names "$T" flood) $(field names "$T" flood)" \
	    "$(jq '[.names[] | select(.ip == "192.168.9.77")] |
	    "\(length) \(map(.name) | unique | length)"' -r "$J")"
fi

# ---- tinyooo: four uploads of 1- to 3-byte segments, round robin: reversed in blocks of
# eight, overlapping and retransmitted, wrapping with a 2^31 jump, and all reversed.
if [ -n "$asan" ]; then sz=8K; else sz=256K; fi
if run tinyooo --shape tinyooo --size $sz --flows 4; then
	leaks tinyooo
	check "tinyooo: four flows" 4 "$(jq .capture.flows "$J")"
fi

# ---- snapcut: five kinds of frame, each cut at every length below its own.
if run snapcut --shape snapcut; then
	expect snapcut
	leaks snapcut
	T=$TMP/snapcut.truth
	want="$(field truncated "$T" expect) packets cut short by the snap length"
	want="$want ($(field truncated_link "$T" expect) in the link header,"
	want="$want $(field truncated_network "$T" expect) in the network header,"
	want="$want $(field truncated_transport "$T" expect) in the transport header,"
	want="$want $(field truncated_application "$T" expect) in the payload):"
	want="$want what they held past the cut was not read"
	check "snapcut: one warning says what was cut, at which layer" "$want" \
	    "$(jq -r '.warnings[].message' "$J")"
	check "snapcut: ... and only once, for all inputs" 1 "$(jq '.warnings | length' "$J")"
fi
finish
