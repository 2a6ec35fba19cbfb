#!/usr/bin/env bash
# Times the exact mode (bench_exact: cover_exact_budget through CBC's C API, on the
# aggregated model, warm-started with the plan) against CBC through PuLP
# (bench/mip_check.py) on the real instances of bench/quality.sh: municipalities with wijk
# sampling and VR17 Rotterdam-Rijnmond on the 100 m grid. Both get the same time limit.
# Which "target": the exact target mode (fewest sites for the plan's coverage_target_pct
# of the total weight, cover_exact_target) on VR17's target-mode export, the same through
# PuLP and through `hubplannerd solve --target --exact`.
# Usage: bench/exact_real.sh [DATA_DIR] [LIMIT_S] [budget|target|all]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${1:-../shared/data/nl}
LIMIT=${2:-900}
WHICH=${3:-all}
bin=build/release/daemon/hubplannerd
exact=build/release/bench/bench_exact
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --db "$tmp/hub.db" import "$DATA_DIR" >/dev/null

export_instance() { # name scope mode p
  "$bin" --dump-config | sed "s|^database = .*|database = $tmp/hub.db|; s/^local_mode = .*/local_mode = $3/; s/^local_sites = .*/local_sites = $4/" > "$tmp/c.conf"
  "$bin" -c "$tmp/c.conf" plan --scope "$2" --export-instance "$tmp/$1.txt" >/dev/null 2>&1
  echo "== $1"
}

run() { # name scope mode p
  export_instance "$@"
  "$exact" "$tmp/$1.txt" "$LIMIT"
  bench/mip_check.py "$tmp/$1.txt" "$LIMIT" | sed -n 2p
}

run_target() { # name scope
  export_instance "$1" "$2" target 1
  pct=$("$bin" --dump-config | sed -n 's/^coverage_target_pct = //p')
  "$exact" "$tmp/$1.txt" "$LIMIT" "$pct"
  bench/mip_check.py "$tmp/$1.txt" "$LIMIT" "$pct" | sed -n '2,3p'
  "$bin" solve --target "$pct" --exact --time-limit "$LIMIT" "$tmp/$1.txt" | grep -E '^(sites|covered|exact):'
}

if [ "$WHICH" = target ]; then
  run_target vr17-grid100-target-exact VR17
  exit 0
fi

run gm-utrecht-groningen GM0344,GM0014 budget 25
run gm-amsterdam-rotterdam GM0363,GM0599 budget 40
run gm-five GM0363,GM0599,GM0518,GM0344,GM0014 budget 120
run vr17-grid100-p60 VR17 budget 60
run vr17-grid100-p150 VR17 budget 150
run vr17-grid100-target VR17 target 1
[ "$WHICH" = all ] && run_target vr17-grid100-target-exact VR17
exit 0
