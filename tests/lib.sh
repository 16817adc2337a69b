# lib.sh — shared helpers of the end-to-end tests (sourced).  Each check prints one
# "PASS: …", "FAIL: …" or "SKIP: …" line (or "XFAIL: …", below), which ./setup test counts; the
# script exits 1 when any check failed, 77 when it could run none for want of a tool.
set -u

npass=0
nfail=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iotscope-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# No geolocation database unless a test names one: what `make geoip` left in share/geoip
# must not change what the tests see.
mkdir -p "$TMP/nogeo"
export IOTSCOPE_GEOIP="$TMP/nogeo"
# Nor a developer's own finding patterns (~/.config/iotscope/patterns).
mkdir -p "$TMP/config"
export XDG_CONFIG_HOME="$TMP/config"

nxfail=0
# known: set to a one-line description of a reported iotscope bug just before the check that
# shows it.  That check's failure then prints "XFAIL: … (known bug: …)" and does not fail the
# script; its success prints FAIL, so that the mark is dropped once the bug is fixed.  Either
# way the mark applies to that one check only.
known=

pass() {
	if [ -n "$known" ]; then
		echo "FAIL: $* (passes now: drop its known-bug mark: $known)"
		nfail=$((nfail + 1))
	else
		echo "PASS: $*"
		npass=$((npass + 1))
	fi
	known=
}
fail() {
	if [ -n "$known" ]; then
		echo "XFAIL: $* (known bug: $known)"
		nxfail=$((nxfail + 1))
	else
		echo "FAIL: $*"
		nfail=$((nfail + 1))
	fi
	known=
}
skip() { echo "SKIP: $*"; }

# need TOOL PACKAGE: skip the whole script (exit 77) when TOOL is missing.
need() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "SKIP: $1 not installed (Debian package $2)"
		exit 77
	fi
}

# check DESCRIPTION EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# have_shared: whether ../shared/pcaps is beside the source tree.
have_shared() {
	[ -n "${SHARED_PCAPS:-}" ] && [ -d "$SHARED_PCAPS" ]
}

finish() {
	if [ "$nxfail" -gt 0 ]; then
		echo "# $npass passed, $nfail failed, $nxfail known failures"
	else
		echo "# $npass passed, $nfail failed"
	fi
	[ "$nfail" -eq 0 ]
	exit $?
}
