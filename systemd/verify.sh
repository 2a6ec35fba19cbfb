#!/bin/sh
# systemd_verify: `systemd-analyze verify` on the units given as arguments. They are checked
# under a scratch root that holds a copy of the system's own units (for sysinit.target and
# friends) and an empty executable at every path the units run, so the check does not need
# hubplanner installed. Any output on stderr, even a warning, fails the test.
# Manual pages are not checked (--man=no): they are built and installed separately.
# Usage: verify.sh UNIT_FILE...    Exit status: 0 pass, 1 fail, 77 skipped.
set -u
analyze=${SYSTEMD_ANALYZE:-systemd-analyze}
if ! command -v "$analyze" >/dev/null 2>&1; then
	echo "verify.sh: $analyze not found; skipped"
	exit 77
fi
[ $# -gt 0 ] || { echo "usage: verify.sh UNIT_FILE..." >&2; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/hub-verify.XXXXXX") || exit 1
trap 'rm -rf "$root"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" || exit 1
for dir in /usr/lib/systemd/system /lib/systemd/system; do
	if [ -d "$dir" ] && [ ! -d "$root$dir" ]; then
		mkdir -p "$root$(dirname "$dir")" && cp -R "$dir" "$root$(dirname "$dir")/" || exit 1
	fi
done

names=
for unit in "$@"; do
	cp "$unit" "$root/etc/systemd/system/" || exit 1
	names="$names ${unit##*/}"
	# Exec*=[-@:+!]PATH ARGS: a stub at PATH inside the root.
	for exe in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' "$unit"); do
		mkdir -p "$root$(dirname "$exe")" && printf '#!/bin/sh\n' >"$root$exe" &&
			chmod 755 "$root$exe" || exit 1
	done
done

# shellcheck disable=SC2086 # names are plain unit names, split on purpose
"$analyze" verify --man=no --root="$root" $names 2>"$root/stderr"
rc=$?
if [ -s "$root/stderr" ] || [ $rc -ne 0 ]; then
	echo "systemd-analyze verify$names: exit status $rc; stderr:"
	sed 's/^/  /' "$root/stderr"
	exit 1
fi
echo "systemd-analyze verify$names: OK"
