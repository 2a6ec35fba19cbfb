#!/usr/bin/env bash
# Compares hubplanner's plans with the exact optimum of CBC on instances cut from the real
# data: several municipalities (wijk sampling) and one safety region at 100 m grid
# resolution (VR17, Rotterdam-Rijnmond), in budget mode with several p, plus the local
# level of a target-mode plan. Usage: bench/quality.sh [DATA_DIR] [CBC_LIMIT_S]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
LIMIT=${2:-900}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --db "$tmp/hub.db" import "$DATA_DIR" >/dev/null

run() { # name scope mode p
  "$bin" --dump-config | sed "s|^database = .*|database = $tmp/hub.db|; s/^local_mode = .*/local_mode = $3/; s/^local_sites = .*/local_sites = $4/" > "$tmp/c.conf"
  "$bin" -c "$tmp/c.conf" plan --scope "$2" --export-instance "$tmp/$1.txt" 2>/dev/null | sed -n 2p
  bench/mip_check.py "$tmp/$1.txt" "$LIMIT"
}

run gm-utrecht-groningen GM0344,GM0014 budget 25
run gm-amsterdam-rotterdam GM0363,GM0599 budget 40
run gm-five GM0363,GM0599,GM0518,GM0344,GM0014 budget 120
run vr17-grid100-p60 VR17 budget 60
run vr17-grid100-p150 VR17 budget 150
run vr17-grid100-target VR17 target 1
