#!/usr/bin/env bash
# The national demo of hazard layers (#16): imports the bundled data, then a made-up flood
# area around dike ring 16 (bench/hazard_dijkring16.geojson, hand-drawn, filtered on
# depth_m>=0.5) and plans the nation: from scratch with the layer flagged (the baseline:
# its sites inside counted), then excluded (and flagged, which counts what is left inside)
# from that plan (stable) and from scratch, printing counts and plan times.
# Usage: bench/hazard_national.sh [DATA_DIR]. Release build. Measures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
OLD_DIR=${OLD_DIR:-../shared/data/nl-2016}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sources=("$DATA_DIR")
[ -d "$OLD_DIR" ] && sources+=("$OLD_DIR")
"$bin" --db "$tmp/hub.db" import --mappings config/mappings "${sources[@]}" >/dev/null
/usr/bin/time -f "hazard-import: wall %e s" \
  "$bin" --db "$tmp/hub.db" hazard-import --where 'depth_m>=0.5' flood16 \
  bench/hazard_dijkring16.geojson
"$bin" --db "$tmp/hub.db" hazard-list
# flag only: the baseline plan, its sites inside the layer kept and named; then exclude
# (and flag, which counts the sites left inside: 0 but fixed ones) from that plan (stable)
# and from scratch
printf '[plan]\nhazard_flag = flood16\n' >"$tmp/flag.conf"
printf '[plan]\nhazard_exclude = flood16\nhazard_flag = flood16\n' >"$tmp/exclude.conf"
for run in "flag --fresh" "exclude" "exclude --fresh"; do
  set -- $run
  echo "== plan ${2:-} with [plan] hazard_$1"
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$bin" -c "$tmp/$1.conf" --db "$tmp/hub.db" \
    plan ${2:-} 2>"$tmp/err" | grep -E "^(plan|local |regional |hazard|stable|time)" || true
  tail -1 "$tmp/err"
  echo "sites of the plan flagged flood16: $(sqlite3 "$tmp/hub.db" "SELECT count(*) FROM
    plan_sites WHERE plan_id = (SELECT max(id) FROM plans) AND hazard = 'flood16'")"
done
