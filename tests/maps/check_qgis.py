#!/usr/bin/python3
"""Opens a `hubctl export` GeoPackage in the real QGIS (PyQGIS, headless) and checks it.

  QT_QPA_PLATFORM=offscreen check_qgis.py GPKG PNG [--lang nl --catalog TEXT_H]

Every feature layer of the file opens valid in EPSG:28992 with as many features as its
table has rows, and with hubplanner's default style from layer_styles applied as QGIS
loads it (a rule-based renderer whose legend labels are the expected ones for that
layer). The coverage layers' classes are the report's. Then the map (regions, the finest
coverage layer, sites) is rendered to PNG, and every coverage class that some feature of
the rendered layer falls in must show its colour there. With --lang nl the legends must
be the Dutch texts that maps/report_text.h gives for the English ones, each of them.
Prints what failed; exit 1 then.
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_report import colour_counts  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsMapRendererParallelJob,  # noqa: E402
                       QgsMapSettings, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

CLASSES = [("#d4d4d4", "no residents / not planned", None, None),
           ("#ffffd4", "99.9 % or more", 99.9, None),
           ("#fee391", "99.5 – 99.9 %", 99.5, 99.9),
           ("#fec44f", "99 – 99.5 %", 99, 99.5),
           ("#fe9929", "98 – 99 %", 98, 99),
           ("#ec7014", "95 – 98 %", 95, 98),
           ("#cc4c02", "90 – 95 %", 90, 95),
           ("#8c2d04", "under 90 %", None, 90)]
COVERAGE = ["gemeenten", "wijken", "buurten", "cells_100m", "cells_500m"]
LABELS = {
    "sites": ["regional noodsteunpunt in a fire station",
              "regional noodsteunpunt, other site or generated position",
              "local noodsteunpunt in a school",
              "local noodsteunpunt in another building (town hall, ...)",
              "local noodsteunpunt at a generated position (area centre or block)"],
    "batteries": ["wijkbatterij, funded by the budget", "wijkbatterij, not funded"],
    "uncovered": ["uncovered places: no local noodsteunpunt in reach"],
    "regions": ["safety region boundary"],
    "changes": ["added since the previous plan", "removed since the previous plan"],
}
for name in COVERAGE:
    LABELS[name] = [c[1] for c in CLASSES]

failures = []


def fail(msg):
    failures.append(msg)


def class_of(pct):
    if pct is None:
        return 0
    for k, (_, _, lo, hi) in enumerate(CLASSES):
        if k and (lo is None or pct >= lo) and (hi is None or pct < hi):
            return k
    return len(CLASSES) - 1


def open_layer(gpkg, db, name):
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    if not layer.isValid():
        fail(f"{gpkg}: layer {name} does not open in QGIS")
        return None
    if layer.crs().authid() != "EPSG:28992":
        fail(f"{gpkg}: layer {name} is in {layer.crs().authid()}, not EPSG:28992")
    rows = db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    if layer.featureCount() != rows:
        fail(f"{gpkg}: layer {name} has {layer.featureCount()} features in QGIS, {rows} rows")
    renderer = layer.renderer()
    if renderer is None or renderer.type() != "RuleRenderer":
        fail(f"{gpkg}: layer {name} opens without its style (renderer "
             f"{renderer.type() if renderer else None}, not hubplanner's rule-based one)")
        return layer
    labels = [r.label() for r in renderer.rootRule().children()]
    if labels != LABELS.get(name, labels):
        fail(f"{gpkg}: layer {name}'s legend is {labels}, expected {LABELS[name]}")
    if name in COVERAGE:
        for rule, (colour, _, _, _) in zip(renderer.rootRule().children(), CLASSES):
            got = rule.symbol().color().name() if rule.symbol() else None
            if got != colour:
                fail(f"{gpkg}: layer {name}, class {rule.label()!r} is {got}, not {colour}")
    return layer


def render(layers, extent, png):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setOutputSize(QSize(900, 900))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("#ffffff"))
    settings.setDestinationCrs(layers[0].crs())
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png, "PNG")


def check(gpkg, png):
    db = sqlite3.connect(gpkg)
    names = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = "
                                      "'features' ORDER BY rowid")]
    layers = {n: open_layer(gpkg, db, n) for n in names}
    finest = [n for n in COVERAGE if n in names and layers.get(n) and
              db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] > 0]
    if not finest:
        fail(f"{gpkg}: no coverage layer with features")
    else:
        # The area layer with the most features (cells are too small to see at this size).
        areas = [n for n in finest if not n.startswith("cells_")] or finest
        shown = max(areas, key=lambda n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])
        cover = layers[shown]
        extent = QgsRectangle(cover.extent())
        extent.scale(1.05)
        stack = [layers[n] for n in ("sites", "regions") if layers.get(n)] + [cover]
        render(stack, extent, png)
        want = sorted({class_of(r[0]) for r in db.execute(f'SELECT covered_pct FROM "{shown}"')})
        counts, _ = colour_counts(png, [CLASSES[k][0] for k in want], 3)
        for k, n in zip(want, counts):
            if n < 20:
                fail(f"{png}: class {CLASSES[k][1]!r} ({CLASSES[k][0]}) of layer {shown} has "
                     f"{n} pixels in QGIS's rendering")
        print(f"  {gpkg}: rendered {shown} in QGIS: classes "
              + ", ".join(f"{CLASSES[k][0]} {n} px" for k, n in zip(want, counts)))
    return names


def to_dutch(catalog):
    """LABELS with every legend label replaced by its Dutch text from the catalog."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from check_text import read_catalog  # noqa: E402
    entries, faults = read_catalog(catalog, "RT_")
    for f in faults:
        fail(f)
    dutch = {e["en"]: e["nl"] for e in entries.values()}
    for name, labels in LABELS.items():
        for label in labels:
            if label not in dutch:
                fail(f"{catalog}: no entry for the legend label {label!r} of layer {name}")
        LABELS[name] = [dutch.get(label, label) for label in labels]
    for k, c in enumerate(CLASSES):
        CLASSES[k] = (c[0], dutch.get(c[1], c[1]), c[2], c[3])


def main(argv):
    if len(argv) == 7 and argv[3] == "--lang" and argv[4] == "nl" and argv[5] == "--catalog":
        to_dutch(argv[6])
    elif len(argv) != 3:
        print(__doc__)
        return 2
    gpkg, png = argv[1], argv[2]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    names = check(gpkg, png)      # every QGIS object is gone when it returns
    app.exitQgis()
    for f in failures:
        print("  " + f)
    if not failures:
        print(f"  {gpkg}: {len(names)} layers open valid in EPSG:28992 with their features "
              f"and hubplanner's default style")
    return 1 if failures else 0


if __name__ == "__main__":
    # Python's own teardown after exitQgis can crash PyQGIS 3.22; the result is known.
    code = main(sys.argv)
    sys.stdout.flush()
    os._exit(code)
