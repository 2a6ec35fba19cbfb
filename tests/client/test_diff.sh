#!/usr/bin/env bash
# hubctl diff and the plan's changes line (label e2e), on the real bundled data: three
# plans of VR17 (the same one twice, then one with a lower target), the line each
# `hubplannerd plan` prints, `hubctl --db diff` as tables and JSON agreeing with the stored
# sites, the daemon's `changes` giving the same JSON as --db, and the command-line errors.
# Usage: test_diff.sh HUBCTL HUBPLANNERD DATA_DIR PROJ_DIR
set -euo pipefail

hubctl=${1:?usage: test_diff.sh HUBCTL HUBPLANNERD DATA_DIR PROJ_DIR}
hubplannerd=$2
data=$3
proj=$4
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh" diff

testlib_import "$hubctl" "$hubplannerd" "$data" "$proj"
db=$tmp/hub.db
sites() { sqlite3 "$db" "SELECT count(*) FROM plan_sites WHERE plan_id = $1 AND level = $2"; }

expect_fail "diff before any plan" 1 "no plan yet" ctl --db "$db" diff
hubd plan --scope VR17
check "the first plan says so" grep -qx "changes: first plan, nothing to compare" "$tmp/hubd.log"
hubd plan --scope VR17
l1=$(sites 1 1) r1=$(sites 1 2)
want="changes since plan 1: local 0 added, 0 removed, $l1 kept; regional 0 added, 0 removed,"
want="$want $r1 kept; total 0 added, 0 removed, $((l1 + r1)) kept"
check "the same plan again keeps every site" grep -qxF "$want" "$tmp/hubd.log"
printf '[plan]\ncoverage_target_pct = 80\n' >>"$tmp/hub.conf"
hubd plan --scope VR17
line=$(grep '^changes since plan 2: ' "$tmp/hubd.log" || true)
check "a lower target prints its changes ($line)" test -n "$line"
read -r added removed kept < <(sed -E 's/^changes since plan 2: local ([0-9]+) added, ([0-9]+) removed, ([0-9]+) kept;.*/\1 \2 \3/' <<<"$line")
check "local: added + kept = plan 3's sites" test $((added + kept)) = "$(sites 3 1)"
check "local: removed + kept = plan 2's sites" test $((removed + kept)) = "$(sites 2 1)"
check "a lower target removes sites ($removed)" test "$removed" -gt 0

# The tables: newest against the one before.
ctl --db "$db" diff >"$tmp/diff.txt"
check "diff names both plans" grep -q "^changes .*plan #2 .* -> plan #3 " "$tmp/diff.txt"
check "diff has the level table" grep -qE "^local +$added +$removed +$kept$" "$tmp/diff.txt"
check "diff lists the removed sites" grep -q "^removed sites ($removed)$" "$tmp/diff.txt"
check "diff has VR17 with its coverage before and after" \
	grep -qE "^VR17 +Rotterdam-Rijnmond +\+$added -$removed =$kept .*% -> .*%$" "$tmp/diff.txt"
ctl --db "$db" diff 1 2 >"$tmp/same.txt"
check "the same plan twice: nothing added or removed" grep -qE "^total +0 +0 +$((l1 + r1))$" \
	"$tmp/same.txt"
check "... and no site listed" bash -c "! grep -q 'sites (' '$tmp/same.txt'"
ctl --db "$db" --json diff 2 3 --level local --region GM0599 >"$tmp/gm.json"
check "--json --level --region: one gemeente, local only" python3 - "$tmp/gm.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["filter"] == {"level": "local", "code": "GM0599"}, r["filter"]
assert "regional" not in r["levels"], r["levels"]
assert [g["code"] for g in r["gemeenten"]] == ["GM0599"], r["gemeenten"]
assert all(s["gemeente"] == "GM0599" and s["level"] == "local" for s in r["added"] + r["removed"])
assert len(r["removed"]) == r["levels"]["local"]["removed"]
assert all(-90 < s["lat"] < 90 and "x" in s for s in r["added"] + r["removed"])
PY

# The daemon's changes: the same JSON as straight from the database.
sock=$tmp/hub.sock
testlib_serve "$sock"
ctl --socket "$sock" --json diff >"$tmp/rpc.json"
ctl --db "$db" --json diff >"$tmp/db.json"
check "hubctl diff through the daemon equals --db" cmp "$tmp/rpc.json" "$tmp/db.json"
expect_fail "the daemon: an unknown plan" 1 "-32001: no plan 99" ctl --socket "$sock" diff 99
kill -TERM "$daemon"
wait "$daemon" || fail "the daemon exited with $?"

# Command-line errors.
expect_fail "an unknown plan" 1 "no plan 99" ctl --db "$db" diff 99 3
expect_fail "a plan id that is not a number" 2 '"x": a plan id' ctl --db "$db" diff x
expect_fail "three plan ids" 2 'at most two plan ids expected, not also "3"' \
	ctl --db "$db" diff 1 2 3
expect_fail "a wijk as region" 2 "diff counts per safety region (VRnn) or gemeente" \
	ctl --db "$db" diff --region WK059901
expect_fail "a gemeente in neither plan" 1 "GM0363 is in neither plan 2 nor plan 3" \
	ctl --db "$db" diff --region GM0363

testlib_done diff
