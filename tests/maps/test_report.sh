#!/usr/bin/env bash
# Report test (label maps), on the real bundled data: imports it, computes the national
# plan, writes `hubctl report` for the nation, for VR17 and for GM0599, and checks each in
# a real browser: headless Chromium renders it to a screenshot and dumps its DOM (opened
# with #sort=-residents), and check_report.py checks the file (self-contained, < 5 MB
# nationally), the screenshot (map drawn, legend colours), the DOM (script ran, sorted,
# no error) and Chromium's log (no console message). Three broken copies must fail the
# checker, and failures name the file and leave no temporary file. The national and VR17
# reports are also printed to PDF and checked (check_print.py), and their GeoPackage exports
# opened in QGIS (check_qgis.py); two broken copies must fail each.
# Usage: test_report.sh HUBCTL HUBPLANNERD SOURCE_DIR DATA_DIR PROJ_DIR [SCREENSHOT_DIR]
# With SCREENSHOT_DIR the national, VR17 and Dutch VR17 screenshots are copied there
# (report-national.png, report-vr17.png, report-vr17-nl.png; docs/ holds the ones in the repository).
set -euo pipefail

hubctl=${1:?usage: test_report.sh HUBCTL HUBPLANNERD SOURCE_DIR DATA_DIR PROJ_DIR [SHOTS]}
hubplannerd=$2
src=$3
data=$4
proj=$5
shots=${6:-}
chromium=${CHROMIUM:-/usr/bin/chromium}
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh" report
browser() { # the flags of the issue, a fixed window, a private profile
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --hide-scrollbars --window-size=1400,1400 \
		--user-data-dir="$tmp/profile" "$@"
}
# render NAME: screenshot with Chromium's log, then the DOM of the page sorted by residents
render() {
	local f=$tmp/$1
	browser --enable-logging=stderr --v=0 --screenshot="$f.png" "file://$f.html" \
		>/dev/null 2>"$f.log" || { cat "$f.log"; return 1; }
	browser --dump-dom "file://$f.html#sort=-residents" >"$f.dom" 2>/dev/null
}
# in_browser NAME MIN_ROWS [checker options]: render and check one report (English unless
# the options say --lang nl; no text of the other language in it, by the catalog)
in_browser() {
	local name=$1 rows=$2
	shift 2
	render "$name" && /usr/bin/python3 "$src/tests/maps/check_report.py" "$tmp/$name.html" \
		"$tmp/$name.png" "$tmp/$name.dom" "$tmp/$name.log" --min-rows "$rows" \
		--sorted residents --catalog "$src/maps/report_text.h" "$@"
}

# expect_reject DESCRIPTION NAME NEEDLE: the checker rejects $tmp/NAME.html, saying NEEDLE
expect_reject() {
	if in_browser "$2" 13 >"$tmp/$2.out" 2>&1; then
		fail "$1 passes the check"
	elif ! grep -qF -- "$3" "$tmp/$2.out"; then
		fail "$1: the check does not say \"$3\": $(cat "$tmp/$2.out")"
	else
		echo "ok: $1 fails the check:$(grep -F -- "$3" "$tmp/$2.out" | head -1 | cut -c1-110)"
	fi
}

testlib_import "$hubctl" "$hubplannerd" "$data" "$proj"
hubd plan

# The three scopes, each rendered and checked.
check "report of the nation" ctl report -o "$tmp/nat.html"
size=$(stat -c %s "$tmp/nat.html")
check "the national report is under 5 MB ($size bytes)" test "$size" -lt 5000000
check "the national report in Chromium (a first plan)" in_browser nat 342 --max-bytes 5000000 \
	--changes first
# The national batteries start hidden; the checkbox (ticked here by #bat=1) shows them.
grep -q '<path id="bat" style="display:none"' "$tmp/nat.html" &&
	browser --dump-dom "file://$tmp/nat.html#bat=1" >"$tmp/nat-bat.dom" 2>/dev/null
check "the checkbox shows the national batteries" grep -q '<path id="bat" style=""' \
	"$tmp/nat-bat.dom"
check "report of VR17" ctl --lang en report --region VR17 -o "$tmp/vr17.html"
check "the VR17 report in Chromium" in_browser vr17 13
# In Dutch: the same page with every label from the catalog's Dutch column, numbers as
# 1.234,5, and no English text left (--catalog); LANG chooses it when --lang is not given.
check "report of VR17 in Dutch" ctl --lang nl report --region VR17 -o "$tmp/vr17nl.html"
check "the Dutch VR17 report in Chromium" in_browser vr17nl 13 --lang nl
check "the Dutch report's numbers are Dutch" grep -q '<td class="n" data-v="[0-9]*">[0-9]\{1,3\}\.[0-9]\{3\}</td>' \
	"$tmp/vr17nl.html"
check "... with a decimal comma" grep -q 'data-v="[0-9.]*">[0-9]*,[0-9][0-9]</td>' "$tmp/vr17nl.html"
check "LANG=nl_NL.UTF-8 gives the Dutch report" env LC_ALL= LC_MESSAGES= LANG=nl_NL.UTF-8 \
	"$hubctl" -c "$tmp/hub.conf" report --region VR17 -o "$tmp/vr17lang.html"
check "... the same page as --lang nl" cmp "$tmp/vr17nl.html" "$tmp/vr17lang.html"
check "the text check rejects the English page as Dutch" bash -c "! /usr/bin/python3 \
	'$src/tests/maps/check_report.py' '$tmp/vr17.html' '$tmp/vr17.png' '$tmp/vr17.dom' \
	'$tmp/vr17.log' --min-rows 13 --lang nl --catalog '$src/maps/report_text.h' \
	>'$tmp/vr17-as-nl.out'"
check "... naming English text" grep -q "en text of RT_" "$tmp/vr17-as-nl.out"
# Printed: Chromium prints the page to PDF (its print stylesheet: A4 landscape) and
# check_print.py reads it with poppler: map, legend, scale bar, figures and date on page 1,
# the sections on the pages after.
printed() {
	browser --no-pdf-header-footer --print-to-pdf="$tmp/$1.pdf" "file://$tmp/$1.html" \
		>/dev/null 2>&1 && /usr/bin/python3 "$src/tests/maps/check_print.py" "$tmp/$1.pdf" \
		"$tmp" "${@:2}"
}
# rejects CHECKER DESCRIPTION NAME NEEDLE [ARGS]: the checker function fails on NAME (with
# ARGS), saying NEEDLE
rejects() {
	if "$1" "$3" "${@:5}" >"$tmp/$3.out" 2>&1; then
		fail "$2 passes the $1 check"
	elif ! grep -qF -- "$4" "$tmp/$3.out"; then
		fail "$2: the $1 check does not say \"$4\": $(cat "$tmp/$3.out")"
	else
		echo "ok: $2 fails the $1 check:$(grep -F -- "$4" "$tmp/$3.out" | head -1 | cut -c1-100)"
	fi
}
check "the national report prints on A4, the map on page 1" printed nat
check "the VR17 report prints on A4, the map on page 1" printed vr17
check "the Dutch VR17 report prints on A4, the map and legend on page 1" printed vr17nl \
	--lang nl
/usr/bin/python3 -c 'import re, sys; t = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"@page\{.*?content:none\}\}\n", "", t, flags=re.S))' \
	"$tmp/vr17.html" "$tmp/noprint.html"
check "the copy without a print stylesheet lacks it" bash -c "! grep -q '@page' $tmp/noprint.html"
rejects printed "a report without its print stylesheet" noprint "not A4 or A3"
sed 's|<svg id="map"|<div style="height:200mm"></div><svg id="map"|' "$tmp/vr17.html" \
	>"$tmp/late.html"
rejects printed "a report whose map is pushed off page 1" late "page 1 lacks '99.9 % or more'"
# In QGIS: the national and VR17 GeoPackages open in the real QGIS (PyQGIS, headless) with
# every layer valid, in EPSG:28992, with its features and its default style from
# layer_styles, and the rendered map shows the coverage classes (check_qgis.py). Two
# broken styles must fail it.
in_qgis() {
	local rc=0
	QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$tmp /usr/bin/python3 \
		"$src/tests/maps/check_qgis.py" "$tmp/$1.gpkg" "$tmp/$1-qgis.png" "${@:2}" \
		>"$tmp/$1-qgis.log" 2>&1 || rc=$?
	grep -v '^QStandardPaths' "$tmp/$1-qgis.log" || true
	return "$rc"
}
# qgis_broken NAME SQL: a copy of vr17q.gpkg changed by SQL
qgis_broken() {
	cp "$tmp/vr17q.gpkg" "$tmp/$1.gpkg" && sqlite3 "$tmp/$1.gpkg" "$2"
}
check "the national GeoPackage export" ctl export "$tmp/natq.gpkg"
check "... opens styled in QGIS" in_qgis natq
check "VR17's GeoPackage export" ctl export --region VR17 "$tmp/vr17q.gpkg"
check "... opens styled in QGIS" in_qgis vr17q
# With --lang nl the legends are Dutch: each the catalog's Dutch text of the English one.
check "VR17's GeoPackage export with Dutch legends" ctl --lang nl export --region VR17 \
	"$tmp/vr17nlq.gpkg"
check "... opens styled in QGIS with Dutch legends" in_qgis vr17nlq --lang nl \
	--catalog "$src/maps/report_text.h"
check "... and its fields are the English ones" cmp <(sqlite3 "$tmp/vr17q.gpkg" \
	"SELECT * FROM sites") <(sqlite3 "$tmp/vr17nlq.gpkg" "SELECT * FROM sites")
rejects in_qgis "the English legends read as Dutch" vr17q "expected ['hoofdsteunpunt in een" \
	--lang nl --catalog "$src/maps/report_text.h"
qgis_broken badrenderer "UPDATE layer_styles SET styleQML = replace(styleQML, '<renderer-v2',
	'<renderer-broken') WHERE f_table_name = 'buurten'"
rejects in_qgis "a coverage style without its renderer" badrenderer "of layer buurten has 0 pixels"
qgis_broken badsites "UPDATE layer_styles SET styleQML = substr(styleQML, 1, 300) WHERE
	f_table_name = 'sites'"
rejects in_qgis "a truncated sites style" badsites "layer sites opens without its style"
check "report of GM0599 (Rotterdam)" ctl report --region gm0599 -o "$tmp/gm.html"
check "the GM0599 report in Chromium" in_browser gm 1
check "the gemeente report names Rotterdam" grep -q "Noodsteunpunten: Rotterdam (GM0599)" \
	"$tmp/gm.html"
check "no temporary file left" test -z "$(find "$tmp" -name '*.tmp-*')"

# The checks can fail: an SVG that draws nothing, and a script error.
sed 's/<svg id="map" viewBox="[^"]*"/<svg id="map" viewBox="0 0 0 0"/' "$tmp/vr17.html" \
	>"$tmp/nosvg.html"
expect_reject "an SVG that draws nothing" nosvg 'the map is not drawn'
sed 's|</body>|<script>no_such_function();</script></body>|' "$tmp/vr17.html" \
	>"$tmp/jserr.html"
expect_reject "a script error" jserr 'console message'
/usr/bin/python3 -c 'import re, sys; t = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"<section id=\"sites-kinds\">.*?</section>", "", t,
    flags=re.S))' "$tmp/vr17.html" "$tmp/nokinds.html"
expect_reject "a report without the section on site kinds" nokinds 'no section sites-kinds'

# A second national plan with a lower target: the report marks and lists its changes.
printf '[plan]\ncoverage_target_pct = 80\n' >>"$tmp/hub.conf"
hubd plan
want=$(sqlite3 "$tmp/hub.db" "SELECT json_extract(summary, '$.changes.total.added') || ',' ||
	json_extract(summary, '$.changes.total.removed') FROM plans ORDER BY id DESC LIMIT 1")
check "report of the second plan" ctl report -o "$tmp/nat2.html"
check "the second plan's report marks and lists its changes ($want)" in_browser nat2 342 \
	--max-bytes 5000000 --changes "$want"
sed 's|<g id="chg">.*||' "$tmp/nat2.html" >"$tmp/nochg.html"
if in_browser nochg 342 --changes "$want" >"$tmp/nochg.out" 2>&1; then
	fail "a report without change markers passes the check"
elif ! grep -qF "no change markers on the map" "$tmp/nochg.out"; then
	fail "a report without change markers: the check says: $(cat "$tmp/nochg.out")"
else
	echo "ok: a report without change markers fails the check"
fi

# Failures name the file and leave the target as it was.
echo keep >"$tmp/keep.html"
expect_fail "a region outside the plan's data" 1 'no safety region, gemeente, wijk or buurt' \
	ctl report --region GM9999 -o "$tmp/keep.html"
check "... leaves the target unchanged" grep -qx keep "$tmp/keep.html"
expect_fail "an unwritable path" 1 "$tmp/missing/r.html" ctl report -o "$tmp/missing/r.html"
check "no temporary file left after the failures" test -z "$(find "$tmp" -name '*.tmp-*')"

if [ -n "$shots" ]; then
	cp "$tmp/nat.png" "$shots/report-national.png"
	cp "$tmp/vr17.png" "$shots/report-vr17.png"
	cp "$tmp/vr17nl.png" "$shots/report-vr17-nl.png"
	echo "screenshots copied to $shots"
fi
testlib_done report
