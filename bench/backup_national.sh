#!/usr/bin/env bash
# Times the national plan from scratch with backup sites (plan --fresh with [plan]
# backup_sites = N) on the bundled data with the release build, RUNS times, then once as a
# stable recompute of the last one; prints the backup coverage line, the region table's
# VR01 and VR17 rows and the phase times. Usage: bench/backup_national.sh [DATA_DIR] [N]
# [RUNS]. N = 0 gives the same plan without backup sites. Measures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
N=${2:-400}
RUNS=${3:-3}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
OLD_DIR=${OLD_DIR:-../shared/data/nl-2016}   # fire stations, care, 2015 buurten when present
sources=("$DATA_DIR")
[ -d "$OLD_DIR" ] && sources+=("$OLD_DIR")
"$bin" --db "$tmp/hub.db" import --mappings config/mappings "${sources[@]}" >/dev/null
"$bin" --dump-config | sed "s|^database = .*|database = $tmp/hub.db|; s/^backup_sites = .*/backup_sites = $N/" > "$tmp/c.conf"
for i in $(seq "$RUNS") stable; do
  fresh=--fresh
  [ "$i" = stable ] && fresh=
  /usr/bin/time -f "run $i: wall %e s, peak RSS %M KiB" \
    "$bin" -c "$tmp/c.conf" plan $fresh 2>"$tmp/err" |
    grep -E "^(local  |backup coverage|region|VR01|VR17|changes|time)"
  grep "^run" "$tmp/err"
done
