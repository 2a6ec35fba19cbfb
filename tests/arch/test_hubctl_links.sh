#!/usr/bin/env bash
# hubctl links no server code (issue #12): no global symbol defined by the server, RPC and
# daemon libraries is defined in the hubctl binary, and by name not daemon_run, server_open
# nor rpc_handle. As a control that the check can fail, hubplannerd, which links those
# libraries, must show the same names and a non-empty overlap.
# Usage: test_hubctl_links.sh HUBCTL HUBPLANNERD LIBRARY.a...
set -euo pipefail

if [ $# -lt 3 ]; then
	echo "usage: test_hubctl_links.sh HUBCTL HUBPLANNERD LIBRARY.a..." >&2
	exit 2
fi
hubctl=$1 hubd=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hub-links.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# The global symbols a file defines (code, data, bss, read-only data), one a line, sorted.
defined() {
	nm -g --defined-only --format=posix "$1" | awk 'NF >= 2 && $2 ~ /^[TDBRGS]$/ { print $1 }' |
		sort -u
}

for lib in "$@"; do
	[ -f "$lib" ] || { echo "FAIL: no library $lib (build first)"; exit 1; }
	defined "$lib" >"$tmp/$(basename "$lib").syms"
	echo "$(basename "$lib"): $(wc -l <"$tmp/$(basename "$lib").syms") global symbols"
done
sort -u "$tmp"/*.a.syms >"$tmp/server.syms"
for name in daemon_run server_open rpc_handle; do
	grep -qx "$name" "$tmp/server.syms" ||
		fail "$name is defined in none of the libraries: renamed? update this test"
done

# overlap BINARY: the server symbols BINARY defines
overlap() {
	defined "$1" >"$tmp/bin.syms"
	comm -12 "$tmp/server.syms" "$tmp/bin.syms"
}

# The control: hubplannerd links the server, so the check must see it there.
control=$(overlap "$hubd")
if [ -z "$control" ]; then
	fail "hubplannerd defines none of the libraries' symbols: the check cannot fail"
fi
for name in daemon_run server_open rpc_handle; do
	grep -qx "$name" <<<"$control" || fail "control: hubplannerd does not define $name"
done
echo "control: hubplannerd defines $(grep -c . <<<"$control") of their symbols"

shared=$(overlap "$hubctl")
if [ -n "$shared" ]; then
	fail "hubctl defines $(grep -c . <<<"$shared") symbols of the server libraries:" \
		"$(head -20 <<<"$shared" | tr '\n' ' ')"
fi
nm --defined-only "$hubctl" | awk '{ print $NF }' >"$tmp/hubctl.all"   # local ones too
for name in daemon_run server_open rpc_handle; do
	if grep -qx "$name" "$tmp/hubctl.all"; then
		fail "hubctl defines $name"
	fi
done

if [ "$failures" -ne 0 ]; then
	echo "test_hubctl_links: $failures failures"
	exit 1
fi
echo "test_hubctl_links: hubctl defines none of the $(wc -l <"$tmp/server.syms") symbols"
