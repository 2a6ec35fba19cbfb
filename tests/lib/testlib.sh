# Shared by the shell tests (sourced, not run): a temporary folder removed on exit and
# check helpers that count failures instead of stopping at the first one.
# Usage: . testlib.sh NAME  (sets $tmp; finish with testlib_done)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hub-${1:-test}.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
check() { # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
# expect_fail DESCRIPTION CODE NEEDLE COMMAND...: exits CODE and stderr names NEEDLE
expect_fail() {
	local what=$1 code=$2 needle=$3 rc=0
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne "$code" ]; then
		fail "$what: exit $rc, expected $code ($(cat "$tmp/err"))"
	elif ! grep -qF -- "$needle" "$tmp/err"; then
		fail "$what: stderr lacks \"$needle\": $(cat "$tmp/err")"
	else
		echo "ok: $what: $(head -1 "$tmp/err")"
	fi
}
# testlib_import HUBCTL HUBPLANNERD DATA_DIR PROJ_DIR: writes $tmp/hub.conf (database
# $tmp/hub.db), defines ctl (hubctl with it) and hubd (hubplannerd with it), and imports the
# data; a failed import shows its output and stops the test.
testlib_import() {
	local data=$3 proj=$4
	testlib_hubctl=$1 testlib_hubd=$2
	printf '[store]\ndatabase = %s\n[proj]\ngrid_dir = %s\n' "$tmp/hub.db" "$proj" \
		>"$tmp/hub.conf"
	# --lang en: the tests read the English tables, whatever the machine's locale
	ctl() { "$testlib_hubctl" -c "$tmp/hub.conf" --lang en "$@"; }
	hubd() { # hubplannerd with the config; its output goes to $tmp/hubd.log, shown on failure
		"$testlib_hubd" -c "$tmp/hub.conf" "$@" >"$tmp/hubd.log" 2>&1 ||
			{ cat "$tmp/hubd.log"; exit 1; }
	}
	hubd import "$data"
}
# testlib_serve SOCKET: after testlib_import, starts hubplannerd on SOCKET in the
# background ($daemon its pid, its stderr in $tmp/daemon.log) and waits until it answers
# status (30 s at most; a failure otherwise). Stop it with kill -TERM "$daemon".
testlib_serve() {
	"$testlib_hubd" -c "$tmp/hub.conf" --socket "$1" 2>"$tmp/daemon.log" &
	daemon=$!
	for _ in $(seq 1 300); do
		ctl --socket "$1" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "hubplannerd does not answer on $1: $(cat "$tmp/daemon.log")"
}
# testlib_done WHAT: the summary line and the exit status
testlib_done() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all $1 checks passed"
}
