#!/usr/bin/env bash
# Install test (label install), on a built tree:
# 1. `cmake --install` into a staging folder (DESTDIR): binaries, manual pages, the
#    configuration, units, sysusers and tmpfiles files and documents are where
#    GNUInstallDirs and systemd look for them, and the units run the installed binaries;
# 2. `cpack -G DEB`: the control fields, Depends, the maintainer scripts, the conffile, and
#    the package holds exactly the files `cmake --install` installs, owned by root;
# 3. dpkg installs the .deb into a throwaway root (postinst creates the user there), the
#    installed programs run, a changed conffile survives a reinstall and goes on purge.
# Builds nothing and installs nothing into the real system: all goes under one temporary
# folder. Needs dpkg (dpkg-shlibdeps from dpkg-dev for Depends); uses man and
# systemd-sysusers when present.
# Usage: test_install.sh BUILD_DIR
set -euo pipefail

build=$(cd "${1:?usage: test_install.sh BUILD_DIR}" && pwd)
dirs=$build/hub-install-dirs.sh
if [ ! -f "$dirs" ]; then
	echo "FAIL: $dirs is missing: is cmake/packaging.cmake included?"
	exit 1
fi
# shellcheck source=/dev/null
. "$dirs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hub-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PATH=$PATH:/usr/sbin:/sbin   # dpkg wants ldconfig and start-stop-daemon in PATH
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
check() { # DESCRIPTION COMMAND...: runs COMMAND, reports DESCRIPTION as ok or FAIL
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
run() { # LOG COMMAND...: runs COMMAND quietly; on failure shows its output and stops
	local log=$1
	shift
	if ! "$@" >"$log" 2>&1; then
		cat "$log"
		echo "FAIL: $*"
		exit 1
	fi
}
in_dirs() { # FILE DIR...: FILE is directly in one of the DIRs
	local file=$1 dir
	shift
	for dir in "$@"; do
		[ "$(dirname "$file")" = "$dir" ] && return 0
	done
	return 1
}
# The files (and links) of a tree, as absolute paths of the installed system.
files_of() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort); }

# Where systemd reads units, sysusers.d and tmpfiles.d files from (a package's own places).
unit_dirs=(/lib/systemd/system /usr/lib/systemd/system /usr/local/lib/systemd/system)
sysusers_dirs=(/usr/lib/sysusers.d /usr/local/lib/sysusers.d)
tmpfiles_dirs=(/usr/lib/tmpfiles.d /usr/local/lib/tmpfiles.d)
units=(hubplannerd.service hubplannerd.socket hubplanner-recompute.service
	hubplanner-recompute.timer)

# The installed files under ROOT are in their places.
check_tree() { # ROOT WHAT
	local root=$1 what=$2 list page unit file exe
	list=$(files_of "$root")
	check "$what: $HUB_SBINDIR/hubplannerd" test -x "$root$HUB_SBINDIR/hubplannerd"
	check "$what: $HUB_BINDIR/hubctl" test -x "$root$HUB_BINDIR/hubctl"
	for page in man8/hubplannerd.8 man1/hubctl.1 man5/hubplanner.conf.5; do
		check "$what: $HUB_MANDIR/$page" test -f "$root$HUB_MANDIR/$page"
	done
	check "$what: configuration $HUB_CONFFILE" test -f "$root$HUB_CONFFILE"
	if [ "$HUB_CONFFILE" != "$HUB_PREFIX/etc/hubplanner/hubplanner.conf" ] &&
		[ -e "$root$HUB_PREFIX/etc/hubplanner/hubplanner.conf" ]; then
		fail "$what: configuration in $HUB_PREFIX/etc: install it to \${CMAKE_INSTALL_FULL_SYSCONFDIR}"
	fi
	check "$what: $HUB_DOCDIR/protocol.md" test -f "$root$HUB_DOCDIR/protocol.md"
	check "$what: $HUB_DOCDIR/glossary.md (hubctl(1) names it)" \
		test -f "$root$HUB_DOCDIR/glossary.md"
	for unit in "${units[@]}"; do
		file=$(grep "/$unit\$" <<<"$list" || true)
		check "$what: unit $unit in a systemd unit folder (${file:-missing})" \
			in_dirs "${file:-/missing/$unit}" "${unit_dirs[@]}"
		[ -n "$file" ] || continue
		while read -r exe; do
			case $exe in
			"$HUB_PREFIX"/*) check "$what: $unit runs $exe, which is installed" test -x "$root$exe" ;;
			esac
		done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$root$file")
	done
	file=$(grep '/sysusers\.d/hubplanner\.conf$' <<<"$list" || true)
	check "$what: sysusers.d/hubplanner.conf (${file:-missing})" \
		in_dirs "${file:-/missing}" "${sysusers_dirs[@]}"
	file=$(grep '/tmpfiles\.d/hubplanner\.conf$' <<<"$list" || true)
	check "$what: tmpfiles.d/hubplanner.conf (${file:-missing})" \
		in_dirs "${file:-/missing}" "${tmpfiles_dirs[@]}"
}

echo "== cmake --install (DESTDIR, prefix $HUB_PREFIX)"
stage=$tmp/stage
DESTDIR=$stage run "$tmp/install.log" cmake --install "$build"
check_tree "$stage" install
check "install: hubplannerd --check-config accepts the installed configuration" \
	grep -qx 'configuration OK' <("$stage$HUB_SBINDIR/hubplannerd" -c "$stage$HUB_CONFFILE" --check-config)

echo "== cpack -G DEB"
run "$tmp/cpack.log" cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg"
debs=("$tmp"/pkg/*.deb)
if [ "${#debs[@]}" -ne 1 ] || [ ! -f "${debs[0]}" ]; then
	fail "cpack made no single .deb"
	exit 1
fi
deb=${debs[0]}
arch=$(dpkg --print-architecture)
check "file name $(basename "$deb")" test "$(basename "$deb")" = "hubplanner_${HUB_VERSION}-1_$arch.deb"
dpkg-deb -I "$deb" >"$tmp/info"
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: hubplanner" test "$(field Package)" = hubplanner
check "Version: $HUB_VERSION-1" test "$(field Version)" = "$HUB_VERSION-1"
check "Architecture: $arch" test "$(field Architecture)" = "$arch"
check "Section: science" test "$(field Section)" = science
check "Maintainer: $(field Maintainer)" grep -q '<.*@.*>' <<<"$(field Maintainer)"
check "Description: $(field Description | head -n 1)" test "$(field Description | wc -l)" -ge 2
depends=$(field Depends)
echo "   Depends: $depends"
for lib in libc6 libuv1 libgeos-c1v5 libsqlite3-0 libjansson4 libinih1 libproj25 libsystemd0; do
	check "Depends names $lib" grep -qE "(^|, )$lib( |,|\$)" <<<"$depends"
done
dpkg-deb -e "$deb" "$tmp/control"
check "conffiles lists exactly $HUB_CONFFILE" test "$(cat "$tmp/control/conffiles")" = "$HUB_CONFFILE"
for script in postinst prerm postrm; do
	check "$script: executable shell script" test -x "$tmp/control/$script"
	check "$script: sh -n" sh -n "$tmp/control/$script"
done
dpkg-deb -c "$deb" >"$tmp/contents"
awk '$1 !~ /^d/ { print $6 }' "$tmp/contents" | sed 's|^\.||' | sort >"$tmp/deb.files"
files_of "$stage" >"$tmp/stage.files"
check "the package holds exactly what cmake --install installs" \
	diff -u "$tmp/stage.files" "$tmp/deb.files"
check "every entry is owned by root/root" test -z "$(awk '$2 != "root/root"' "$tmp/contents")"
for exe in "$HUB_SBINDIR/hubplannerd" "$HUB_BINDIR/hubctl"; do
	check "$exe is -rwxr-xr-x" grep -qE "^-rwxr-xr-x .* \.$exe\$" "$tmp/contents"
done

echo "== dpkg --root (a throwaway root; maintainer scripts run with DPKG_ROOT)"
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" \
	"$root/etc"
: >"$root/var/lib/dpkg/status"
dpkg_root() {
	dpkg --root="$root" --log=/dev/null --force-not-root --force-depends \
		--force-script-chrootless --force-confdef --force-confold "$@" </dev/null
}
run "$tmp/dpkg.log" dpkg_root -i "$deb"
check "dpkg: hubplanner is installed" \
	grep -qx 'Status: install ok installed' <(dpkg --root="$root" -s hubplanner)
check "dpkg: the configuration is registered as a conffile" \
	grep -q "^ $HUB_CONFFILE " <(dpkg --root="$root" -s hubplanner)
check_tree "$root" dpkg
if command -v systemd-sysusers >/dev/null 2>&1; then
	check "postinst: user hubplanner created (sysusers)" grep -q '^hubplanner:' "$root/etc/passwd"
	check "postinst: group hubplanner created (sysusers)" grep -q '^hubplanner:' "$root/etc/group"
fi
check "installed: hubplannerd --version" \
	test "$("$root$HUB_SBINDIR/hubplannerd" --version)" = "hubplannerd $HUB_VERSION"
check "installed: hubctl --version" test "$("$root$HUB_BINDIR/hubctl" --version)" = "hubctl $HUB_VERSION"
check "installed: hubplannerd --check-config on the packaged configuration" \
	grep -qx 'configuration OK' <("$root$HUB_SBINDIR/hubplannerd" -c "$root$HUB_CONFFILE" --check-config)
if command -v man >/dev/null 2>&1; then
	for page in man8/hubplannerd.8 man1/hubctl.1 man5/hubplanner.conf.5; do
		check "installed: man -l $page" grep -q . <(env MANPAGER=cat man -l "$root$HUB_MANDIR/$page" 2>/dev/null)
	done
fi
if [ -f "$root$HUB_CONFFILE" ]; then
	echo '; changed by the administrator' >>"$root$HUB_CONFFILE"
	run "$tmp/dpkg2.log" dpkg_root -i "$deb"
	check "reinstall keeps a changed conffile" grep -q 'changed by the administrator' "$root$HUB_CONFFILE"
fi
run "$tmp/dpkg3.log" dpkg_root -r hubplanner
check "remove: binaries gone" test ! -e "$root$HUB_SBINDIR/hubplannerd"
check "remove: conffile kept" test -f "$root$HUB_CONFFILE"
run "$tmp/dpkg4.log" dpkg_root -P hubplanner
check "purge: conffile gone" test ! -e "$root$HUB_CONFFILE"

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "install and Debian package OK"
