#!/usr/bin/env bash
# Shows that test_layering.py can fail: on small fake trees in a temporary folder it must
# exit 1 and name each kind of violation (a room including a room above it, a sibling
# room, GEOS used outside geo/, an include cycle between headers, an include not written
# from the project root), each one alone and all together, and pass a clean tree.
# Usage: test_layering_selftest.sh TEST_LAYERING_PY
set -euo pipefail

checker=${1:?usage: test_layering_selftest.sh TEST_LAYERING_PY}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hub-layering.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# put ROOT PATH LINE...: writes the lines to ROOT/PATH
put() {
	local root=$1 path=$2
	shift 2
	mkdir -p "$(dirname "$root/$path")"
	printf '%s\n' "$@" >"$root/$path"
}

# A clean tree: every room includes only itself and rooms below it, from the project root.
clean() {
	local r=$1
	put "$r" util/strbuf.h '/* strbuf */' '#include <stddef.h>'
	put "$r" util/strbuf.c '#include "util/strbuf.h"'
	put "$r" geo/geom.h '#include <geos_c.h>'
	put "$r" geo/geom.c '#include "geo/geom.h"' '#include "util/strbuf.h"' \
		'void f(GEOSContextHandle_t h, GEOSGeometry *g) { GEOSGeom_destroy_r(h, g); }'
	put "$r" plan/plan.h '#include "geo/geom.h"'
	put "$r" model/served.h '#include "plan/plan.h"'
	put "$r" model/served.c '#include "model/served.h"'
	put "$r" maps/report.c '#include "model/served.h"' '/* GEOSGeom_destroy_r in a comment */' \
		'static const char *s = "GEOSGeom_destroy_r in a string";'
	put "$r" daemon/daemon.h '#include "model/served.h"'
	put "$r" daemon/daemon.c '#include "daemon/daemon.h"' '#include <uv.h>' \
		'#include "daemon/log.h"'
	put "$r" daemon/log.h '/* log */'
	put "$r" tests/test_x.c '#include "daemon/daemon.h"' '#include <geos_c.h>'
}

# Each violation: a file to add to a clean tree and the text the checker must print.
names=(upward geo_plan geos cycle root)
add_upward() { put "$1" util/bad.c '#include "daemon/daemon.h"'; }
want_upward='util/bad.c (util, rank 0) includes daemon/daemon.h: daemon is a room above it'
add_geos() {
	put "$1" maps/bad.c '#include "model/served.h"' \
		'void g(void *h, void *p) { GEOSGeom_destroy_r(h, p); }'
}
want_geos='maps/bad.c:2: uses GEOS (GEOSGeom_destroy_r), which only geo may use'
add_cycle() {
	put "$1" data/a.h '#include "data/b.h"'
	put "$1" data/b.h '#include "data/a.h"'
}
want_cycle='include cycle: data/a.h -> data/b.h -> data/a.h'
add_root() { put "$1" jobs/bad.c '#include "served.h"'; }
want_root='jobs/bad.c: #include "served.h" is not a path from the project root'
add_geo_plan() { put "$1" geo/bad.c '#include "plan/plan.h"'; }
want_geo_plan='geo/bad.c (geo, rank 2) includes plan/plan.h: plan is a room above it'

# run ROOT: the checker's output in $out, its exit status in $rc
run() {
	rc=0
	out=$(python3 "$checker" "$1" 2>&1) || rc=$?
}

clean "$tmp/clean"
clean "$tmp/all"
run "$tmp/clean"
if [ "$rc" -ne 0 ] || ! grep -q ', 0 violations$' <<<"$out"; then
	fail "the clean tree: exit $rc: $out"
else
	echo "ok: the clean tree passes"
fi

for n in "${names[@]}"; do
	clean "$tmp/$n"
	"add_$n" "$tmp/$n"
	"add_$n" "$tmp/all"
	want_var=want_$n
	run "$tmp/$n"
	if [ "$rc" -ne 1 ]; then
		fail "$n alone: exit $rc, want 1: $out"
	elif ! grep -qF -- "layering: ${!want_var}" <<<"$out"; then
		fail "$n alone: no line \"${!want_var}\": $out"
	elif ! grep -q ', 1 violations$' <<<"$out"; then
		fail "$n alone: not exactly one violation: $out"
	else
		echo "ok: $n alone: ${!want_var}"
	fi
done

# All of them together, and a sibling room (daemon/server and daemon/rpc share a rank).
put "$tmp/all" daemon/rpc/rpc.h '/* rpc */'
put "$tmp/all" daemon/server/bad.c '#include "daemon/rpc/rpc.h"'
run "$tmp/all"
want_all=("${names[@]/#/want_}")
if [ "$rc" -ne 1 ]; then
	fail "all together: exit $rc, want 1: $out"
fi
for v in "${want_all[@]}" ; do
	grep -qF -- "layering: ${!v}" <<<"$out" || fail "all together: no line \"${!v}\""
done
grep -qF 'daemon/rpc is a sibling room (rank 8)' <<<"$out" ||
	fail "all together: the sibling include daemon/server -> daemon/rpc is not named: $out"
grep -q ', 6 violations$' <<<"$out" || fail "all together: not 6 violations: $out"

if [ "$failures" -ne 0 ]; then
	echo "test_layering_selftest: $failures failures"
	exit 1
fi
echo "test_layering_selftest: every violation found, the clean tree passes"
