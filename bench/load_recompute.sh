#!/usr/bin/env bash
# Load test of the query daemon during recomputes (issue #7): imports the bundled data into a
# temporary database, computes the national plan, starts hubplannerd on a temporary socket and
# runs bench_load while `hubctl recompute --wait` runs back to back, then prints the results.
# Builds nothing, touches nothing outside its temporary folder; measures, asserts nothing.
# Usage: bench/load_recompute.sh BUILD_DIR [DATA_DIR] [-- bench_load options, e.g. --slow 8]
#   env: CLIENTS (256), DURATION (60 s), MAX_CLIENTS (512), IDLE_TIMEOUT_S (300)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?usage: bench/load_recompute.sh BUILD_DIR [DATA_DIR] [-- bench_load options]}
shift
DATA_DIR=../shared/data/nl
if [ $# -gt 0 ] && [ "$1" != "--" ]; then DATA_DIR=$1; shift; fi
if [ $# -gt 0 ]; then shift; fi
CLIENTS=${CLIENTS:-256}
DURATION=${DURATION:-60}
bin=$BUILD/daemon/hubplannerd
ctl=$BUILD/client/hubctl
load=$BUILD/bench/bench_load
for f in "$bin" "$ctl" "$load"; do
  [ -x "$f" ] || { echo "load_recompute.sh: $f missing: build $BUILD first" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/hub-load.XXXXXX)
daemon_pid='' loop_pid=''
cleanup() {
  [ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null || true
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

grid=$(cd "$DATA_DIR/.." && pwd)/proj
cat >"$tmp/hub.conf" <<EOF
[store]
database = $tmp/hub.db
[daemon]
socket = $tmp/hub.sock
max_clients = ${MAX_CLIENTS:-512}
idle_timeout_s = ${IDLE_TIMEOUT_S:-300}
[proj]
grid_dir = $([ -d "$grid" ] && echo "$grid")
EOF

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" -c "$tmp/hub.conf" import "$DATA_DIR" >/dev/null
/usr/bin/time -f "== national plan: %e s, peak RSS %M KiB" \
  "$bin" -c "$tmp/hub.conf" plan 2>&1 >/dev/null | grep '^=='
"$bin" -c "$tmp/hub.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
for _ in $(seq 100); do
  "$ctl" -c "$tmp/hub.conf" status >/dev/null 2>&1 && break
  sleep 0.2
done

# Recomputes back to back from 2 s into the run until 20 s before its end, so the last one
# has finished (and its plan is loaded) before the final memory reading.
recompute_loop() {
  local stop=$(($(date +%s) + DURATION - 20))
  sleep 2
  while [ "$(date +%s)" -lt "$stop" ]; do
    "$ctl" -c "$tmp/hub.conf" recompute --wait 2>&1 | tail -n 1
  done
}
recompute_loop >"$tmp/recompute.log" &
loop_pid=$!
"$load" "$tmp/hub.sock" -c "$CLIENTS" -t "$DURATION" --pid "$daemon_pid" \
  --regions "$DATA_DIR/gemeenten_veiligheidsregios_2023.csv" "$@"
wait "$loop_pid" || true
loop_pid=''
echo "== hubctl recompute --wait during the run:"
sed 's/^/   /' "$tmp/recompute.log"
echo "== daemon now: $(grep -E '^(VmRSS|VmHWM)' /proc/"$daemon_pid"/status | tr -s ' \t\n' ' ')"
echo "== machine load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'warn|err' "$tmp/daemon.log" | sed 's/^/   daemon log: /' | head -20 || true
