#!/usr/bin/env bash
# Backup coverage against CBC's optimum of the backup covering model (bench/backup_cbc.py)
# on safety region VR17 (Rotterdam-Rijnmond, 100 m grid): budget mode with several p and
# backup_sites, and the target-mode plan. Usage: bench/backup_cbc.sh [DATA_DIR] [CBC_LIMIT_S]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
LIMIT=${2:-900}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --db "$tmp/hub.db" import "$DATA_DIR" >/dev/null

run() { # name mode p backup_sites
  "$bin" --dump-config | sed "s|^database = .*|database = $tmp/hub.db|; s/^local_mode = .*/local_mode = $2/; s/^local_sites = .*/local_sites = $3/; s/^backup_sites = .*/backup_sites = $4/" > "$tmp/c.conf"
  "$bin" -c "$tmp/c.conf" plan --fresh --scope VR17 --export-instance "$tmp/$1.txt" 2>/dev/null | grep '^backup coverage'
  /usr/bin/python3 bench/backup_cbc.py "$tmp/$1.txt" "$LIMIT"
}

run vr17-p60-b10 budget 60 10
run vr17-p150-b30 budget 150 30
run vr17-p150-b100 budget 150 100
run vr17-target-b30 target 1 30
