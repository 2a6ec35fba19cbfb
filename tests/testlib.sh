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
# testlib_done WHAT: the summary line and the exit status
testlib_done() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all $1 checks passed"
}
