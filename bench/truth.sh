#!/usr/bin/env bash
# Where people live (#14): plans Rotterdam-Rijnmond's 12 gemeenten with buurten from coarser
# population layers and scores the plans' local sites against the real 100 m grid
# (bench/truth.py). Variants: wijken only; wijken + the 2015 buurten (dasymetric spreading);
# the 2024 buurten (reference). Each is planned in budget mode (local_sites = 100) and in
# target mode (coverage_target_pct as configured, 99). Every variant imports the same
# sites (everything in DATA_DIR and OLD_DIR); the 100 m grid is never planned on.
# Usage: bench/truth.sh [DATA_DIR] [OLD_DIR]. Measures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
OLD_DIR=${2:-../shared/data/nl-2016}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --db "$tmp/full.db" import --mappings config/mappings "$DATA_DIR" "$OLD_DIR" >/dev/null
refs=$(sqlite3 "$tmp/full.db" "SELECT count(*) FROM ref_areas WHERE layer = 'buurten_2015'")
if [ "$refs" = 0 ]; then    # an importer without reference layers: the bench loads them
  echo "note: the importer stored no 2015 buurten; bench/truth.py load-refs loads them"
  bench/truth.py load-refs "$tmp/full.db" "$OLD_DIR/buurten_2015.gpkg"
fi
scope=$(sqlite3 "$tmp/full.db" "SELECT group_concat(code) FROM (SELECT DISTINCT gemeente_code
  AS code FROM areas WHERE level = 3 ORDER BY 1)")
echo "gemeenten with 2024 buurten: $scope"

variant() { # name, area levels dropped, 1 = keep the 2015 buurten
  sqlite3 "$tmp/full.db" ".backup '$tmp/v.db'"
  sqlite3 "$tmp/v.db" "DELETE FROM areas WHERE level IN ($2);
    DELETE FROM area_water WHERE level IN ($2);
    $([ "$3" = 1 ] || echo "DELETE FROM ref_areas;")"
  for mode in budget target; do
    "$bin" --dump-config | sed "s|^database = .*|database = $tmp/v.db|; s/^local_mode = .*/local_mode = $mode/; s/^local_sites = .*/local_sites = 100/" > "$tmp/c.conf"
    "$bin" -c "$tmp/c.conf" plan --fresh --scope "$scope" > "$tmp/out" 2>&1 ||
      { cat "$tmp/out"; exit 1; }
    grep -E "^time" "$tmp/out" | head -1 || true
    bench/truth.py score "$tmp/v.db" "$tmp/full.db" "$DATA_DIR/cbs_vk100_2024_rijnmond.gpkg" \
      "$1, $mode"
    sqlite3 "$tmp/v.db" "SELECT '  demand placed: ' || group_concat(n || ' ' || s, ', ') FROM
      (SELECT coalesce(spread, 'finer') AS s, count(*) AS n FROM plan_areas WHERE plan_id =
       (SELECT max(id) FROM plans) AND level > 1 GROUP BY 1 ORDER BY 2 DESC)"
  done
}

variant "wijken only" "3,4,5" 0
variant "wijken + 2015 buurten" "3,4,5" 1
variant "2024 buurten (reference)" "4,5" 0
