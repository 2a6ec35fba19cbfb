#!/usr/bin/env bash
# Times `hubplannerd solve` (release preset) on uniform random instances of the
# Cordeau-Furini-Ljubic kind (bench/cfl_instances.py: 100 facilities, 10^5 and 10^6
# customers in [0,30]^2, radius 3.25/3.5/3.75, p 10/15/20), with one start and with
# --starts 64, and checks each answer against CBC's proven optimum on the aggregated model
# through bench/mip_check.py (python3-pulp + coinor-cbc). Figures: docs/benchmarks.md,
# "#15 literature instances". Usage: bench/solve_literature.sh [CBC_LIMIT_S] [SIZES]
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=${1:-300}
SIZES=${2:-"100000 1000000"}
bin=build/release/daemon/hubplannerd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-9s %-6s %-3s %-6s %-8s %-8s %-9s %-8s %-8s %s\n' customers radius p starts \
  time_s peak_MB gap_pct points cbc_s "covered / optimum"
for n in $SIZES; do
  bench/cfl_instances.py gen --customers "$n" --seed 1 "$tmp/u$n.cfl"
  for r in 3.25 3.5 3.75; do
    for p in 10 15 20; do
      for starts in 1 64; do
        j=$tmp/u$n-$r-$p-$starts.json
        /usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" -c /dev/null solve --format cfl \
          --radius "$r" --p "$p" --starts "$starts" --json "$j" "$tmp/u$n.cfl" >/dev/null
        read -r secs kb <"$tmp/time"
        bench/cfl_instances.py aggregate --radius "$r" --p "$p" --report "$j" \
          "$tmp/u$n.cfl" "$tmp/agg.txt" >/dev/null
        t0=$(date +%s.%N)
        out=$(bench/mip_check.py "$tmp/agg.txt" "$LIMIT")
        cbc=$(echo "$(date +%s.%N) - $t0" | bc)
        ratio=$(sed -n 's/.*= \([0-9.]*\)% of the optimum.*/\1 %/p' <<<"$out")
        grep -q "cbc Optimal" <<<"$out" || ratio="$ratio (CBC stopped at the limit)"
        python3 - "$j" "$n" "$r" "$p" "$starts" "$secs" "$kb" "$cbc" "$ratio" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n, rad, p, starts, secs, kb, cbc, ratio = sys.argv[2:]
print(f"{n:<9} {rad:<6} {p:<3} {starts:<6} {float(secs):<8.2f} {int(kb) / 1024:<8.0f} "
      f"{r['gap_pct']:<9.4f} {r['solved_points']:<8} {float(cbc):<8.1f} {ratio}")
PY
      done
    done
  done
done
