#!/usr/bin/env bash
# Export test (label maps), on the real bundled data: imports it, plans Rotterdam-Rijnmond
# (VR17: the one region with buurten and 100 m cells), then checks `hubctl export`:
# the GeoPackage passes GDAL's validate_gpkg.py, the GeoJSON follows RFC 7946, both hold
# the same layers and features and agree with the stored plan (check_export.py); a
# gemeente export; and every failure (unknown region, no plan, unwritable path, bad
# command line) says what was wrong and leaves the target file as it was.
# Usage: test_export.sh HUBCTL HUBPLANNERD SOURCE_DIR DATA_DIR PROJ_DIR
set -euo pipefail

hubctl=${1:?usage: test_export.sh HUBCTL HUBPLANNERD SOURCE_DIR DATA_DIR PROJ_DIR}
hubplannerd=$2
src=$3
data=$4
proj=$5
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh" export

testlib_import "$hubctl" "$hubplannerd" "$data" "$proj"
cp "$tmp/hub.db" "$tmp/noplan.db"
hubd plan --scope VR17

# The whole plan, both formats.
check "export gpkg" ctl export --format gpkg "$tmp/plan.gpkg"
check "export geojson (format from the extension)" ctl export "$tmp/plan.geojson"
if /usr/bin/python3 -c 'import osgeo_utils.samples.validate_gpkg' 2>/dev/null; then
	check "validate_gpkg.py passes" /usr/bin/python3 -m osgeo_utils.samples.validate_gpkg \
		"$tmp/plan.gpkg"
	/usr/bin/python3 -m osgeo_utils.samples.validate_gpkg "$tmp/plan.gpkg" >"$tmp/v.log" 2>&1 || true
	check "validate_gpkg.py prints no warning" test ! -s "$tmp/v.log"
else
	fail "GDAL's validate_gpkg.py is missing (python3-gdal: scripts/install-deps)"
fi
check "RFC 7946 GeoJSON, same features as the GeoPackage and the stored plan" \
	/usr/bin/python3 "$src/tests/maps/check_export.py" "$tmp/plan.geojson" "$tmp/plan.gpkg" \
	"$tmp/hub.db"
check "no temporary file left" test -z "$(find "$tmp" -name '*.tmp-*')"
n=$(sqlite3 "$tmp/plan.gpkg" "SELECT count(*) FROM changes")
check "the first plan's changes layer is empty ($n)" test "$n" = 0

# One gemeente.
check "export one gemeente" ctl export --region gm0599 "$tmp/gm.gpkg"
check "export one gemeente as GeoJSON" ctl export --format geojson --region GM0599 \
	"$tmp/gm.json"
check "the gemeente export is valid" /usr/bin/python3 "$src/tests/maps/check_export.py" \
	"$tmp/gm.json" "$tmp/gm.gpkg" "$tmp/hub.db" GM0599
n=$(sqlite3 "$tmp/gm.gpkg" "SELECT count(*) FROM gemeenten")
check "the gemeente export holds one gemeente ($n)" test "$n" = 1
bad=$(sqlite3 "$tmp/gm.gpkg" "SELECT count(*) FROM wijken WHERE gemeente <> 'GM0599'")
check "... and only its wijken ($bad others)" test "$bad" = 0

# Failures leave the target as it was.
echo keep >"$tmp/keep.gpkg"
expect_fail "a region outside the plan" 1 'VR01 is outside plan 1, which was computed for VR17' \
	ctl export --region VR01 "$tmp/keep.gpkg"
check "... leaves the target unchanged" grep -qx keep "$tmp/keep.gpkg"
expect_fail "an unknown gemeente" 1 'no safety region, gemeente, wijk or buurt "GM9999"' \
	ctl export --region GM9999 "$tmp/keep.gpkg"
check "... leaves the target unchanged" grep -qx keep "$tmp/keep.gpkg"
expect_fail "an unwritable path" 1 "$tmp/missing/x.gpkg" ctl export "$tmp/missing/x.gpkg"
expect_fail "a GeoJSON into a missing folder" 1 "$tmp/missing/x.geojson" \
	ctl export "$tmp/missing/x.geojson"
expect_fail "a database without a plan" 1 "no plan" \
	ctl --db "$tmp/noplan.db" export "$tmp/keep.gpkg"
check "... leaves the target unchanged" grep -qx keep "$tmp/keep.gpkg"
expect_fail "no format and no known extension" 2 "give --format gpkg or --format geojson" \
	ctl export "$tmp/out.shp"
expect_fail "an unknown format" 2 '--format "shp": gpkg or geojson' \
	ctl export --format shp "$tmp/out.shp"
expect_fail "no file" 2 "give the output FILE" ctl export --format gpkg
expect_fail "a bad region code" 2 '"VR1" is not a region code' \
	ctl export --region VR1 "$tmp/x.gpkg"
check "no temporary file left after the failures" test -z "$(find "$tmp" -name '*.tmp-*')"

# A second plan with a lower target: the changes layer holds what it added and removed.
printf '[plan]\ncoverage_target_pct = 80\n' >>"$tmp/hub.conf"
hubd plan --scope VR17
check "export gpkg of the second plan" ctl export "$tmp/plan2.gpkg"
check "export geojson of the second plan" ctl export "$tmp/plan2.geojson"
check "the changes layer matches the two stored plans" /usr/bin/python3 \
	"$src/tests/maps/check_export.py" "$tmp/plan2.geojson" "$tmp/plan2.gpkg" "$tmp/hub.db"
n=$(sqlite3 "$tmp/plan2.gpkg" "SELECT count(*) FROM changes WHERE change = 'removed'")
check "... and lists removed sites ($n)" test "$n" -gt 0
check "a gemeente's changes layer" ctl export --region GM0599 "$tmp/gm2.gpkg"
bad=$(sqlite3 "$tmp/gm2.gpkg" "SELECT count(*) FROM changes WHERE gemeente_code <> 'GM0599'")
check "... holds only its changes ($bad others)" test "$bad" = 0

testlib_done export
