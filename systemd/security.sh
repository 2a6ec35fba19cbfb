#!/bin/sh
# systemd_security: `systemd-analyze security --offline=true` on a service unit file; fails
# when the overall exposure level is above the limit (default 1.0), and always prints the
# settings that add to the exposure.
# Usage: security.sh UNIT_FILE [LIMIT]    Exit status: 0 pass, 1 fail, 77 skipped.
set -u
analyze=${SYSTEMD_ANALYZE:-systemd-analyze}
if ! command -v "$analyze" >/dev/null 2>&1; then
	echo "security.sh: $analyze not found; skipped"
	exit 77
fi
unit=${1:?usage: security.sh UNIT_FILE [LIMIT]}
limit=${2:-1.0}

out=$("$analyze" security --offline=true --no-pager "$unit" 2>&1)
rc=$?
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^ ]*: \([0-9.]*\).*/\1/p')
if [ -z "$level" ]; then
	printf 'security.sh: no overall exposure level (exit status %d):\n%s\n' "$rc" "$out"
	exit 1
fi
printf '%s\n' "$out" | grep -e '^✗' -e '^- ' -e 'Overall exposure level'
if LC_ALL=C awk -v l="$level" -v m="$limit" 'BEGIN { exit !(l + 0 <= m + 0) }'; then
	echo "${unit##*/}: exposure $level <= $limit: OK"
	exit 0
fi
echo "${unit##*/}: exposure $level is above $limit"
exit 1
