#!/bin/sh
# systemd_sysusers: applies the sysusers.d and tmpfiles.d files to a scratch root, as package
# installation does: the user hubplanner must appear with home /var/lib/hubplanner, and
# /var/lib/hubplanner must be made 0750 and owned by it (by the caller when not run as root).
# Warnings fail the test.
# Usage: sysusers.sh SYSUSERS_FILE TMPFILES_FILE    Exit status: 0 pass, 1 fail, 77 skipped.
set -u
for tool in systemd-sysusers systemd-tmpfiles; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "sysusers.sh: $tool not found; skipped"
		exit 77
	fi
done
[ $# -eq 2 ] || { echo "usage: sysusers.sh SYSUSERS_FILE TMPFILES_FILE" >&2; exit 1; }
sysusers=$(realpath "$1") && tmpfiles=$(realpath "$2") || exit 1

root=$(mktemp -d "${TMPDIR:-/tmp}/hub-sysusers.XXXXXX") || exit 1
trap 'rm -rf "$root"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$root/etc" || exit 1

fail() {
	[ -s "$root/stderr" ] && sed 's/^/  /' "$root/stderr"
	echo "FAIL: $*"
	exit 1
}

systemd-sysusers --root="$root" "$sysusers" 2>"$root/stderr" || fail "systemd-sysusers: exit status $?"
grep -q -v -e '^Creating group ' -e '^Creating user ' "$root/stderr" && fail "systemd-sysusers warned"
entry=$(grep '^hubplanner:' "$root/etc/passwd") || fail "no user hubplanner in passwd"
[ "$(echo "$entry" | cut -d: -f6)" = /var/lib/hubplanner ] || fail "home: $entry"
grep -q '^hubplanner:' "$root/etc/group" || fail "no group hubplanner"
echo "sysusers: $entry"
: >"$root/stderr"

# Only root may give files away: others check a copy with the owners left out.
uid=$(echo "$entry" | cut -d: -f3)
if [ "$(id -u)" -ne 0 ]; then
	awk '!/^#/ && NF { $4 = "-"; $5 = "-" } { print }' "$tmpfiles" >"$root/tmpfiles.conf"
	tmpfiles=$root/tmpfiles.conf
	uid=$(id -u)
fi
systemd-tmpfiles --root="$root" --create "$tmpfiles" 2>"$root/stderr" ||
	fail "systemd-tmpfiles: exit status $?"
[ -s "$root/stderr" ] && fail "systemd-tmpfiles warned"
got=$(stat -c '%a %u' "$root/var/lib/hubplanner") || fail "no /var/lib/hubplanner"
[ "$got" = "750 $uid" ] || fail "/var/lib/hubplanner: mode and uid $got, expected 750 $uid"
echo "tmpfiles: /var/lib/hubplanner mode 0750, owner uid $uid: OK"
