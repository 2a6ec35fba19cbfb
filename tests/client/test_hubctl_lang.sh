#!/usr/bin/env bash
# hubctl's human output in Dutch (label e2e, issue #17): on the bundled data (VR17, two
# plans), stats, gaps, coverage, resilience, status, diff and recompute --wait with --lang nl
# print Dutch words, Dutch numbers and none of the English-only texts of client/hubctl_text.h;
# LANG=nl_NL.UTF-8 alone gives Dutch, --lang en overrides it, --lang de is a usage error.
# Usage: test_hubctl_lang.sh HUBCTL HUBPLANNERD SOURCE_DIR DATA_DIR PROJ_DIR
set -euo pipefail

hubctl=${1:?usage: test_hubctl_lang.sh HUBCTL HUBPLANNERD SOURCE_DIR DATA_DIR PROJ_DIR}
hubplannerd=$2
src=$3
data=$4
proj=$5
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh" lang

testlib_import "$hubctl" "$hubplannerd" "$data" "$proj"
# The raw binary (no --lang from testlib's ctl) with the test's config, under a locale.
raw() { env LC_ALL= LC_MESSAGES= LANG="$1" "$hubctl" -c "$tmp/hub.conf" "${@:2}"; }
hubd plan --scope VR17
printf '[plan]\ncoverage_target_pct = 80\n' >>"$tmp/hub.conf"
hubd plan --scope VR17
python3 "$src/tests/check_text.py" HT_ "$src/client/hubctl_text.h" --foreign nl \
	>"$tmp/english.json" || fail "check_text.py --foreign nl failed"

sock=$tmp/hub.sock
testlib_serve "$sock"

# Each command in Dutch and in English; the Dutch output must not be the English one.
run_both() { # NAME ARGS...
	local name=$1
	shift
	ctl --lang nl "$@" >"$tmp/$name.nl" 2>&1 || fail "$name --lang nl: exit $? ($(cat "$tmp/$name.nl"))"
	ctl --lang en "$@" >"$tmp/$name.en" 2>&1 || fail "$name --lang en: exit $?"
	check "$name: Dutch differs from English" bash -c "! cmp -s '$tmp/$name.nl' '$tmp/$name.en'"
}
run_both stats --socket "$sock" stats
run_both stats_vr --socket "$sock" stats VR17
run_both gaps --socket "$sock" gaps VR17 --worst 5
run_both coverage --socket "$sock" coverage 51.9225 4.47917
run_both resilience --socket "$sock" resilience VR17 -n 5
run_both status --socket "$sock" status
run_both diff --db "$tmp/hub.db" diff

has() { grep -qF -- "$2" "$tmp/$1"; }
check "stats: Dutch header" has stats.nl "NIVEAU"
check "stats: Dutch row label" has stats.nl "lokaal"
check "stats: Dutch thousands (inwoners)" grep -qE '^inwoners +[0-9]{1,3}(\.[0-9]{3})+$' "$tmp/stats.nl"
check "stats: English thousands (residents)" grep -qE '^residents +[0-9]{1,3}(,[0-9]{3})+$' "$tmp/stats.en"
check "stats VR17: veiligheidsregio" has stats_vr.nl "veiligheidsregio"
check "gaps: gedekt with a Dutch percentage" grep -qE '^gedekt +[0-9.]+ +[0-9]+,[0-9]{2}%$' "$tmp/gaps.nl"
check "gaps: niet gedekt" has gaps.nl "niet gedekt"
check "gaps: dekking bij stroomuitval" has gaps.nl "gedekt bij stroomuitval"
check "coverage: veiligheidsregio line" grep -q '^veiligheidsregio  *VR17 ' "$tmp/coverage.nl"
check "coverage: the level table in Dutch" has coverage.nl "GEDEKT"
check "coverage: noodstroom" has coverage.nl "noodstroom"
check "resilience: Dutch levels" has resilience.nl "REGIONAAL"
check "resilience: precies één punt" has resilience.nl "precies één punt"
check "status: herberekening" has status.nl "herberekening"
check "diff: wijzigingen" has diff.nl "wijzigingen"
check "diff: verwijderde punten" grep -q '^verwijderde punten ([0-9]*)$' "$tmp/diff.nl"
check "diff: English unchanged" grep -q '^removed sites ([0-9]*)$' "$tmp/diff.en"

# The language from the locale, --lang over it, --json the same in both.
raw nl_NL.UTF-8 --socket "$sock" stats >"$tmp/locale.nl"
check "LANG=nl_NL.UTF-8 without --lang: Dutch" cmp "$tmp/locale.nl" "$tmp/stats.nl"
raw nl_NL.UTF-8 --lang en --socket "$sock" stats >"$tmp/locale.en"
check "--lang en overrides LANG=nl_NL.UTF-8" cmp "$tmp/locale.en" "$tmp/stats.en"
raw C --socket "$sock" stats >"$tmp/locale.c"
check "LANG=C: English" cmp "$tmp/locale.c" "$tmp/stats.en"
raw nl_NL.UTF-8 --json --socket "$sock" stats VR17 >"$tmp/nl.json"
raw C --json --socket "$sock" stats VR17 >"$tmp/en.json"
check "--json is the same in both languages" cmp "$tmp/nl.json" "$tmp/en.json"
expect_fail "--lang de" 2 '--lang "de"' ctl --lang de --socket "$sock" status

# recompute --wait (not a terminal: a line per phase) and its notes in Dutch; last, as it
# replaces the served plan.
ctl --lang nl --socket "$sock" recompute --wait >"$tmp/recompute.nl" 2>&1 ||
	fail "recompute --wait --lang nl: exit $? ($(cat "$tmp/recompute.nl"))"
check "recompute --wait: started in Dutch" grep -qx "herberekening gestart" "$tmp/recompute.nl"
check "recompute --wait: a phase line in Dutch" \
	grep -qE '^herberekening: (vraagpunten|kandidaten|lokaal|regionaal|resultaten) \([0-9]+%\)$' \
	"$tmp/recompute.nl"
check "recompute --wait: finished in Dutch" \
	grep -qE '^herberekening klaar in [0-9.]+(,[0-9])? s; hubplannerd gebruikt plan #3 ' \
	"$tmp/recompute.nl"
check "recompute --wait: no English" bash -c "! grep -qE 'recompute|finished|serves' '$tmp/recompute.nl'"

# No English-only catalog text in any Dutch output: the pieces check_text.py --foreign nl
# lists (stretches between conversions that no Dutch text holds); the English outputs
# hold many of them (so the search finds what it looks for).
english_pieces() { # nl|en FILE...: nl fails on any piece found, en on fewer than 40
	python3 - "$tmp/english.json" "$@" <<'PY'
import json, re, sys
pieces, mode, files = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3:]
found = set()
for path in files:
    text = open(path, encoding="utf-8").read()
    for e in pieces:
        p = e["piece"]
        if re.search(r"(?<![A-Za-z])" + re.escape(p) + r"(?![A-Za-z])", text):
            if mode == "nl":
                print("%s: English %r (%s)" % (path, p, e["key"]))
            found.add(p)
print("%d English-only pieces, %d found in %d files" % (len(pieces), len(found), len(files)))
sys.exit(1 if (found if mode == "nl" else len(found) < 40) else 0)
PY
}
check "no English-only catalog text in the Dutch output" english_pieces nl "$tmp"/*.nl
check "... while the English output holds it" english_pieces en "$tmp"/*.en

kill -TERM "$daemon"
wait "$daemon" || fail "the daemon exited with $?"

testlib_done lang
