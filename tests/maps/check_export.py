#!/usr/bin/python3
"""Checks a hubctl export pair: the GeoJSON against RFC 7946 (a FeatureCollection, no
"crs" member, lon/lat positions inside the Netherlands, at most 7 decimals, closed rings
of 4+ positions, exterior rings counter-clockwise and holes clockwise) and the
GeoPackage's layers, srs and blob headers, and that both hold the same features per
layer; and the changes layer against the two newest stored plans, matched here again by
position (within 1 m), or empty for a first plan. Standard library only; prints one line
per failure and exits 1 when any.

Usage: check_export.py EXPORT.geojson EXPORT.gpkg DATABASE [SCOPE]
"""
import json
import re
import sqlite3
import struct
import sys

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def ring_area2(ring):
    """Twice the signed area (shoelace): positive for counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))


def check_ring(where, ring, exterior):
    if len(ring) < 4 or ring[0] != ring[-1]:
        fail(f"{where}: ring of {len(ring)} positions is not closed")
        return
    for lon, lat in ring:
        if not (3.0 <= lon <= 7.5 and 50.5 <= lat <= 53.8):
            fail(f"{where}: position {lon},{lat} is not lon/lat in the Netherlands")
            return
    a = ring_area2(ring)
    if exterior and a < 0 or not exterior and a > 0:
        fail(f"{where}: {'exterior' if exterior else 'hole'} ring has the wrong "
             f"orientation (signed area {a:.3g})")


def check_geometry(where, g):
    t = g.get("type")
    if t == "Point":
        lon, lat = g["coordinates"]
        if not (3.0 <= lon <= 7.5 and 50.5 <= lat <= 53.8):
            fail(f"{where}: point {lon},{lat} is not lon/lat in the Netherlands")
        return
    polys = [g["coordinates"]] if t == "Polygon" else g["coordinates"] if t == "MultiPolygon" else None
    if polys is None:
        fail(f"{where}: unexpected geometry type {t}")
        return
    for poly in polys:
        for k, ring in enumerate(poly):
            check_ring(where, ring, k == 0)


def check_geojson(path):
    text = open(path, encoding="utf-8").read()
    long_decimals = re.findall(r"-?\d+\.\d{8,}", text)
    if long_decimals:
        fail(f"{path}: {len(long_decimals)} numbers with more than 7 decimals, "
             f"e.g. {long_decimals[0]}")
    doc = json.loads(text)
    if doc.get("type") != "FeatureCollection" or "crs" in doc:
        fail(f"{path}: not an RFC 7946 FeatureCollection (type {doc.get('type')}, crs member "
             f"{'crs' in doc})")
    counts = {}
    for i, f in enumerate(doc["features"]):
        layer = f["properties"].get("layer")
        counts[layer] = counts.get(layer, 0) + 1
        check_geometry(f"{path}: feature {i} ({layer} {f['properties'].get('code', '')})",
                       f["geometry"])
    return counts, doc


def check_gpkg(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    app, = db.execute("PRAGMA application_id").fetchone()
    if app != 0x47504B47:
        fail(f"{path}: application_id {app:#x}, not GPKG")
    srs = {r[0] for r in db.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
    if not {-1, 0, 4326, 28992} <= srs:
        fail(f"{path}: srs ids {sorted(srs)} lack one of -1, 0, 4326, 28992")
    counts = {}
    for table, gtype, srs_id in db.execute(
            "SELECT table_name, geometry_type_name, srs_id FROM gpkg_geometry_columns"):
        if srs_id != 28992:
            fail(f"{path}: layer {table} has srs {srs_id}, not 28992 (RD New)")
        counts[table] = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for blob, in db.execute(f'SELECT geom FROM "{table}" LIMIT 50'):
            magic, version, flags, blob_srs = struct.unpack("<2sBBi", blob[:8])
            wkb_type = struct.unpack("<I", blob[41:45])[0]
            want = 1 if gtype == "POINT" else 6
            if magic != b"GP" or blob_srs != 28992 or wkb_type != want:
                fail(f"{path}: {table}: blob header {magic} srs {blob_srs} WKB type {wkb_type}")
                break
    return counts, db


def check_against_store(doc, gpkg, store_path, scope):
    """The national sums of the export equal the stored plan's rows."""
    if scope:
        return
    store = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    plan, = store.execute("SELECT max(id) FROM plans").fetchone()
    want = store.execute("SELECT count(*), round(sum(residents)) FROM plan_areas "
                         "WHERE plan_id = ? AND level = 1", (plan,)).fetchone()
    got = gpkg.execute("SELECT count(*), round(sum(residents)) FROM gemeenten").fetchone()
    if tuple(want) != tuple(got):
        fail(f"gemeenten: export has {got}, the stored plan {want} (count, residents)")
    sites = store.execute("SELECT count(*) FROM plan_sites WHERE plan_id = ?", (plan,)).fetchone()
    if sites[0] != gpkg.execute("SELECT count(*) FROM sites").fetchone()[0]:
        fail(f"sites: the stored plan has {sites[0]}, the export a different number")
    # backup coverage (#16): residents covered twice and each site's purpose, as stored
    want = store.execute("SELECT round(sum(twice_covered)) FROM plan_areas WHERE plan_id = ?"
                         " AND level = 1", (plan,)).fetchone()
    got = gpkg.execute("SELECT round(sum(twice_covered)) FROM gemeenten").fetchone()
    if tuple(want) != tuple(got):
        fail(f"gemeenten: twice_covered sums to {got}, the stored plan's to {want}")
    want = dict(store.execute("SELECT coalesce(purpose, 'primary'), count(*) FROM plan_sites"
                              " WHERE plan_id = ? GROUP BY 1", (plan,)).fetchall())
    got = dict(gpkg.execute("SELECT purpose, count(*) FROM sites GROUP BY 1").fetchall())
    if want != got:
        fail(f"sites: purposes {got} in the export, {want} in the stored plan")


def expected_changes(store, plan_from, plan_to):
    """{(level, change): count}: greedy nearest matching within 1 m, as model/changes.c."""
    out = {}
    for level in (1, 2):
        def sites(plan):
            return store.execute("SELECT x_rd, y_rd FROM plan_sites WHERE plan_id = ? AND "
                                 "level = ? ORDER BY seq", (plan, level)).fetchall()
        old, new = sites(plan_from), sites(plan_to)
        used = [False] * len(new)
        removed = 0
        for x, y in old:
            best, best_d2 = None, 1.0
            for j, (u, v) in enumerate(new):
                d2 = (u - x) ** 2 + (v - y) ** 2
                if not used[j] and d2 <= best_d2:
                    best, best_d2 = j, d2
            if best is None:
                removed += 1
            else:
                used[best] = True
        name = "local" if level == 1 else "regional"
        out[(name, "added")] = used.count(False)
        out[(name, "removed")] = removed
    return {k: v for k, v in out.items() if v}


def check_changes(doc, gpkg, store_path, scope):
    """The changes layer: its fields, and its points against the two newest plans."""
    cols = [r[1] for r in gpkg.execute("PRAGMA table_info(changes)")]
    want_cols = ["level", "change", "name", "gemeente_code", "region_code", "plan_from", "plan_to"]
    if not set(want_cols) <= set(cols):
        fail(f"changes: columns {cols} lack some of {want_cols}")
        return
    store = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    plans = [r[0] for r in store.execute("SELECT id FROM plans ORDER BY id DESC LIMIT 2")]
    got = {(lv, ch): n for lv, ch, n in gpkg.execute(
        "SELECT level, change, count(*) FROM changes GROUP BY level, change")}
    gj = [f["properties"] for f in doc["features"] if f["properties"].get("layer") == "changes"]
    if len(plans) < 2:
        if got or gj:
            fail(f"changes: the first plan has no previous one, yet the layer holds {got}")
        return
    pairs = set(gpkg.execute("SELECT DISTINCT plan_from, plan_to FROM changes"))
    if got and pairs != {(plans[1], plans[0])}:
        fail(f"changes: plan_from/plan_to {pairs}, expected {(plans[1], plans[0])}")
    bad = gpkg.execute("SELECT count(*) FROM changes WHERE change NOT IN ('added', 'removed')"
                       " OR level NOT IN ('local', 'regional')").fetchone()[0]
    if bad:
        fail(f"changes: {bad} rows with a bad level or change")
    if {(p["level"], p["change"], p["plan_to"]) for p in gj} != \
            {(lv, ch, plans[0]) for lv, ch in got}:
        fail("changes: the GeoJSON's changes differ from the GeoPackage's")
    if not scope:
        want = expected_changes(store, plans[1], plans[0])
        if got != want:
            fail(f"changes: the layer holds {got}, the stored plans give {want}")


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    geojson, gpkg_path, store = sys.argv[1:4]
    scope = sys.argv[4] if len(sys.argv) > 4 else ""
    gj_counts, doc = check_geojson(geojson)
    gp_counts, gpkg = check_gpkg(gpkg_path)
    if gj_counts != {k: v for k, v in gp_counts.items() if v}:   # GeoJSON: no empty layers
        fail(f"layers differ: GeoJSON {gj_counts}, GeoPackage {gp_counts}")
    for layer in ("sites", "uncovered", "regions"):
        if not gp_counts.get(layer):
            fail(f"{gpkg_path}: layer {layer} is missing or empty")
    if "changes" not in gp_counts:
        fail(f"{gpkg_path}: layer changes is missing")
    else:
        check_changes(doc, gpkg, store, scope)
    check_against_store(doc, gpkg, store, scope)
    print(f"checked {sum(gj_counts.values())} features in {len(gj_counts)} layers: "
          + ", ".join(f"{k} {v}" for k, v in sorted(gj_counts.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
