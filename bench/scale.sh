#!/usr/bin/env bash
# Grows the synthetic national instance (bench_cover SCALE: area, residents, points,
# candidates, towns, groups and P times SCALE) and prints, per phase, the wall time and
# peak memory at each scale, the growth exponent log(t_last/t_first)/log(s_last/s_first)
# and the same against the growth of the coverage pairs (the work). Each scale runs RUNS
# times; the lower time and memory of the runs are kept (the machine is shared).
# Usage: bench/scale.sh [SCALES] [RUNS]   (defaults "1 4 10" 2; release build)
# Env: TIME_LIMIT_S (default 0: no solver time limit, so none caps the work; a limit that
# strikes is reported), BOUND_ITERATIONS (default 60), SEED (default 1). Measures only.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALES=${1:-"1 4 10"}
RUNS=${2:-2}
bin=build/release/bench/bench_cover
[ -x "$bin" ] || { echo "scale.sh: $bin missing: cmake --preset release && cmake --build --preset release -j2" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "# $(date -u +%FT%TZ), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for s in $SCALES; do
  for r in $(seq "$RUNS"); do
    "$bin" "${SEED:-1}" 0 "${BOUND_ITERATIONS:-60}" "${TIME_LIMIT_S:-0}" "$s" >"$out.run"
    grep -E "^(instance|budget|cover_bound|target)" "$out.run" | sed "s/^/# ${s}x run $r: /"
    grep "^phase " "$out.run" | sed "s/\$/ run=$r/" >>"$out"
  done
done
rm -f "$out.run"
awk -v scales="$SCALES" '
function val(line, key,    n, i, kv) {
  n = split(line, kv, " ")
  for (i = 1; i <= n; i++) if (index(kv[i], key "=") == 1) return substr(kv[i], length(key) + 2)
  return ""
}
{
  ph = $2; s = val($0, "scale"); t = val($0, "time_s") + 0; mib = val($0, "peak_mib") + 0
  if (!(ph in seen)) { seen[ph] = 1; order[++np] = ph }
  k = ph SUBSEP s
  if (!(k in T) || t < T[k]) T[k] = t
  if (!(k in M) || mib < M[k]) M[k] = mib
  if (val($0, "limit_hit") == "1") hit[k] = 1
  if (ph == "coverage") pairs[s] = val($0, "work") + 0
  if (val($0, "peak_since_start") == "1") whole = 1
}
END {
  ns = split(scales, S, " "); first = S[1]; last = S[ns]
  head = "| phase |"; rule = "|---|"
  for (i = 1; i <= ns; i++) { head = head " " S[i] "x s |"; rule = rule "---|" }
  for (i = 1; i <= ns; i++) { head = head " " S[i] "x MiB |"; rule = rule "---|" }
  head = head " exponent (scale) | exponent (pairs) |"; rule = rule "---|---|"
  print head; print rule
  for (p = 1; p <= np; p++) {
    ph = order[p]; row = "| " ph " |"
    for (i = 1; i <= ns; i++) row = row sprintf(" %.2f%s |", T[ph SUBSEP S[i]], ((ph SUBSEP S[i]) in hit) ? " (LIMIT)" : "")
    for (i = 1; i <= ns; i++) row = row sprintf(" %.0f |", M[ph SUBSEP S[i]])
    t0 = T[ph SUBSEP first]; t1 = T[ph SUBSEP last]
    if (t0 > 0 && t1 > 0 && last != first)
      row = row sprintf(" %.2f | %.2f |", log(t1 / t0) / log(last / first), log(t1 / t0) / log(pairs[last] / pairs[first]))
    else
      row = row " - | - |"
    print row
  }
  printf "\ncoverage pairs: "
  for (i = 1; i <= ns; i++) printf "%s%.0f at %sx", (i > 1 ? ", " : ""), pairs[S[i]], S[i]
  if (last != first)
    printf "; their growth exponent %.3f", log(pairs[last] / pairs[first]) / log(last / first)
  printf "\n"
  for (k in hit) { split(k, a, SUBSEP); printf "SOLVER TIME LIMIT HIT: %s at %sx (its work was cut short)\n", a[1], a[2] }
  if (length(hit) == 0) print "no solver hit its time limit"
  if (whole) print "note: /proc/self/clear_refs unavailable; peaks are since the start of the process"
}' "$out"
