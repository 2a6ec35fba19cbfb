#!/usr/bin/env bash
# Times the map outputs on the national plan of the bundled data with the release build:
# `hubctl export` as GeoPackage and GeoJSON and `hubctl report`, for the nation and for
# VR17, with wall time, peak resident memory and file size. Measures; asserts nothing.
# Usage: bench/maps_national.sh [DATA_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
RUNS=${2:-3}
bin=build/release/daemon
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/hubplannerd" --db "$tmp/hub.db" import "$DATA_DIR" >/dev/null
"$bin/hubplannerd" --db "$tmp/hub.db" plan >/dev/null 2>&1
measure() { # NAME FILE COMMAND...
  local name=$1 file=$2
  shift 2
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$tmp/time" || { cat "$tmp/time"; exit 1; }
    read -r wall rss < <(tail -1 "$tmp/time")
    printf '%-26s run %d: wall %5.2f s, peak RSS %7d KiB, %10d bytes\n' "$name" "$i" \
      "$wall" "$rss" "$(stat -c %s "$file")"
  done
}
ctl=("$bin/hubctl" --db "$tmp/hub.db")
measure "export gpkg, nation" "$tmp/nl.gpkg" "${ctl[@]}" export "$tmp/nl.gpkg"
measure "export geojson, nation" "$tmp/nl.geojson" "${ctl[@]}" export "$tmp/nl.geojson"
measure "export gpkg, VR17" "$tmp/vr17.gpkg" "${ctl[@]}" export --region VR17 "$tmp/vr17.gpkg"
measure "report, nation" "$tmp/nl.html" "${ctl[@]}" report -o "$tmp/nl.html"
measure "report, VR17" "$tmp/vr17.html" "${ctl[@]}" report --region VR17 -o "$tmp/vr17.html"
measure "report, GM0599" "$tmp/gm.html" "${ctl[@]}" report --region GM0599 -o "$tmp/gm.html"
