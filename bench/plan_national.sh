#!/usr/bin/env bash
# Times the national plan from scratch (plan --fresh: both levels, bounds, results, storage;
# bench/stability.py times the stable recompute) on the bundled data with
# the release build and reports wall time per phase and peak resident memory.
# Usage: bench/plan_national.sh [DATA_DIR] [RUNS]. Measures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
RUNS=${2:-3}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
OLD_DIR=${OLD_DIR:-../shared/data/nl-2016}   # fire stations, care, 2015 buurten when present
sources=("$DATA_DIR")
[ -d "$OLD_DIR" ] && sources+=("$OLD_DIR")
"$bin" --db "$tmp/hub.db" import --mappings config/mappings "${sources[@]}" >/dev/null
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "run $i: wall %e s, peak RSS %M KiB" \
    "$bin" --db "$tmp/hub.db" plan --fresh 2>"$tmp/err" | grep -E "^(plan|local|regional|time)"
  grep "^run" "$tmp/err"
done
