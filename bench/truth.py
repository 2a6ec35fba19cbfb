#!/usr/bin/env python3
"""Helper of bench/truth.sh: scores a stored plan's local sites against the real 100 m grid.

  truth.py score PLAN_DB FULL_DB GRID_GPKG [LABEL]
      PLAN_DB: the database the plan was made in (its newest plan's local sites, radii,
      detour factor and per-gemeente coverage are read); FULL_DB: a database with every
      bundled layer imported (the 2024 gemeenten, wijken and buurten say where each cell
      lies and its urbanity class); GRID_GPKG: the CBS 100 m grid. Prints the real grid
      coverage of the planned gemeenten and, per gemeente, the plan's own figure against
      the grid truth.
  truth.py load-refs DB BUURTEN_2015_GPKG
      Bench fallback while the importer cannot load the 2015 buurten yet: writes them into
      ref_areas (layer buurten_2015) of DB as the importer would (non-polygons skipped,
      CBS special values as NULL).

Truth rules: a cell's residents (aantal_inwoners; secret values, -99997, count as unknown
and are left out) sit at its centre; the centre's gemeente is the 2024 gemeente whose land
polygon holds it, else the nearest within 2,000 m (as the planner attributes cells); its
urbanity class is that of the 2024 buurt holding it, else of the wijk, else of the
gemeente, else 5. A cell is covered when a local site lies within the plan's local radius
of that class divided by the detour factor. Pure Python and sqlite3: no GDAL needed.
"""
import json
import math
import sqlite3
import struct
import sys

ASSIGN_MAX_M = 2000.0


def wkb_rings(b, off=0):
    """The polygons of a (multi)polygon WKB as lists of rings (lists of (x, y)); the
    offset after it. Other types give no polygons."""
    order = '<' if b[off] == 1 else '>'
    (t,) = struct.unpack_from(order + 'I', b, off + 1)
    off += 5
    t2 = t % 1000
    dims = {0: 2, 1: 3, 2: 3, 3: 4}.get(t // 1000, 2)     # ISO Z / M / ZM
    if t2 == 3:
        (nr,) = struct.unpack_from(order + 'I', b, off)
        off += 4
        rings = []
        for _ in range(nr):
            (n,) = struct.unpack_from(order + 'I', b, off)
            off += 4
            pts = [struct.unpack_from(order + 'dd', b, off + k * 8 * dims) for k in range(n)]
            off += n * 8 * dims
            rings.append(pts)
        return [rings], off
    if t2 == 6:
        (np_,) = struct.unpack_from(order + 'I', b, off)
        off += 4
        polys = []
        for _ in range(np_):
            p, off = wkb_rings(b, off)
            polys += p
        return polys, off
    return [], off


def gpkg_wkb(blob):
    """The WKB inside a GeoPackage geometry blob."""
    flags = blob[3]
    env = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    return bytes(blob[8 + env:])


class Poly:
    def __init__(self, key, wkb):
        self.key = key
        self.polys, _ = wkb_rings(wkb)
        xs = [x for p in self.polys for r in p for x, _ in r]
        ys = [y for p in self.polys for r in p for _, y in r]
        self.bbox = (min(xs), min(ys), max(xs), max(ys)) if xs else None

    def contains(self, x, y):
        b = self.bbox
        if not b or x < b[0] or x > b[2] or y < b[1] or y > b[3]:
            return False
        inside = False
        for p in self.polys:
            for r in p:
                for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1]):
                    if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
        return inside

    def dist(self, x, y):
        best = math.inf
        for p in self.polys:
            for r in p:
                for (x1, y1), (x2, y2) in zip(r, r[1:] + r[:1]):
                    dx, dy = x2 - x1, y2 - y1
                    L = dx * dx + dy * dy
                    t = 0 if L == 0 else max(0, min(1, ((x - x1) * dx + (y - y1) * dy) / L))
                    best = min(best, math.hypot(x - x1 - t * dx, y - y1 - t * dy))
        return best


class Index:
    """Polygons on a 1 km bucket grid of their bounding boxes."""
    def __init__(self, polys):
        self.buckets = {}
        for p in polys:
            if not p.bbox:
                continue
            for i in range(int(p.bbox[0] // 1000), int(p.bbox[2] // 1000) + 1):
                for j in range(int(p.bbox[1] // 1000), int(p.bbox[3] // 1000) + 1):
                    self.buckets.setdefault((i, j), []).append(p)
        self.polys = polys

    def find(self, x, y):
        for p in self.buckets.get((int(x // 1000), int(y // 1000)), []):
            if p.contains(x, y):
                return p
        return None

    def nearest(self, x, y, max_m):
        best, best_d = None, max_m
        for p in self.polys:
            b = p.bbox
            if b and b[0] - max_m <= x <= b[2] + max_m and b[1] - max_m <= y <= b[3] + max_m:
                d = p.dist(x, y)
                if d <= best_d:
                    best, best_d = p, d
        return best


def load_areas(full_db):
    db = sqlite3.connect(full_db)
    rows = db.execute('SELECT level, code, name, gemeente_code, wijk_code, urbanity, geom_land'
                      ' FROM areas WHERE level IN (1, 2, 3)').fetchall()
    by_level = {1: [], 2: [], 3: []}
    info = {}
    for level, code, name, gm, wk, urb, wkb in rows:
        p = Poly(code, bytes(wkb))
        p.gm, p.wk, p.urb, p.name = gm, wk, urb, name
        by_level[level].append(p)
        info[code] = p
    return {k: Index(v) for k, v in by_level.items()}, info


def cells(grid_gpkg):
    db = sqlite3.connect(grid_gpkg)
    unknown = 0
    for cid, res in db.execute('SELECT crs28992res100m, aantal_inwoners FROM cbs_vk100_2024'):
        if res is None or res < 0:
            unknown += 1
            continue
        x = int(cid[1:5]) * 100 + 50.0
        y = int(cid[6:10]) * 100 + 50.0
        yield x, y, float(res)
    cells.unknown = unknown


def cell_place(ix, info, x, y):
    """(gemeente code, urbanity class) of a cell centre."""
    gm = ix[1].find(x, y) or ix[1].nearest(x, y, ASSIGN_MAX_M)
    if not gm:
        return None, 5
    urb = None
    for level in (3, 2):
        p = ix[level].find(x, y)
        if p and (p.gm == gm.key) and p.urb:
            urb = p.urb
            break
    return gm.key, urb or gm.urb or 5


def score(plan_db, full_db, grid_gpkg, label):
    db = sqlite3.connect(plan_db)
    (pid, params) = db.execute('SELECT id, params FROM plans ORDER BY id DESC LIMIT 1').fetchone()
    params = json.loads(params)
    radius = params['local_radius_m']
    detour = params['detour_factor']
    sites = db.execute('SELECT x_rd, y_rd FROM plan_sites WHERE plan_id = ? AND level = 1',
                       (pid,)).fetchall()
    own = {code: (res, cov) for code, res, cov in db.execute(
        'SELECT code, residents, covered FROM plan_areas WHERE plan_id = ? AND level = 1',
        (pid,))}
    buckets = {}
    rmax = max(radius) / detour
    for sx, sy in sites:
        buckets.setdefault((int(sx // rmax), int(sy // rmax)), []).append((sx, sy))
    ix, info = load_areas(full_db)
    tot = {}
    for x, y, res in cells(grid_gpkg):
        gm, urb = cell_place(ix, info, x, y)
        if gm not in own:
            continue
        r = radius[urb - 1] / detour
        i, j = int(x // rmax), int(y // rmax)
        hit = any((sx - x) ** 2 + (sy - y) ** 2 <= r * r
                  for di in (-1, 0, 1) for dj in (-1, 0, 1)
                  for sx, sy in buckets.get((i + di, j + dj), []))
        t = tot.setdefault(gm, [0.0, 0.0])
        t[0] += res
        t[1] += res if hit else 0
    all_res = sum(t[0] for t in tot.values())
    all_cov = sum(t[1] for t in tot.values())
    own_res = sum(own[g][0] for g in tot)
    own_cov = sum(own[g][1] for g in tot)
    print(f'{label}: plan {pid}, mode {params["local_mode"]}, {len(sites)} local sites')
    print(f'  real grid coverage {100 * all_cov / all_res:.1f} % of {all_res:,.0f} grid '
          f'residents; the plan says {100 * own_cov / own_res:.1f} %')
    print(f'  {"gemeente":<30} {"plan %":>7} {"grid %":>7} {"diff pp":>8}')
    worst = 0.0
    for gm in sorted(tot, key=lambda g: info[g].name or g):
        res, cov = own[gm]
        p, t = 100 * cov / res, 100 * tot[gm][1] / tot[gm][0]
        worst = max(worst, abs(p - t))
        print(f'  {gm + " " + (info[gm].name or ""):<30} {p:7.1f} {t:7.1f} {p - t:+8.1f}')
    print(f'  largest |plan - grid|: {worst:.1f} pp; cells with unknown residents left out: '
          f'{cells.unknown}')


def special(v):
    return None if v is None or v < 0 else float(v)


def load_refs(db_path, gpkg):
    src = sqlite3.connect(gpkg)
    db = sqlite3.connect(db_path)
    n = skipped = 0
    with db:
        db.execute("DELETE FROM ref_areas WHERE layer = 'buurten_2015'")
        for code, name, res, p65, hh, cars, blob in src.execute(
                'SELECT BU_CODE, BU_NAAM, AANT_INW, P_65_EO_JR, AANTAL_HH, AUTO_HH, geom'
                ' FROM buurt_2015'):
            wkb = gpkg_wkb(blob) if blob else b''
            p = Poly(code, wkb) if wkb else None
            if not p or not p.polys:
                skipped += 1
                continue
            res = special(res)
            p65 = special(p65)
            db.execute('INSERT INTO ref_areas VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                       ('buurten_2015', code, name, 2015, res,
                        res * p65 / 100 if res is not None and p65 is not None else None,
                        special(hh), special(cars), wkb, *p.bbox))
            n += 1
    print(f'load-refs: {n} buurten_2015 polygons, {skipped} not polygonal skipped')


if __name__ == '__main__':
    if len(sys.argv) >= 5 and sys.argv[1] == 'score':
        score(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else '')
    elif len(sys.argv) == 4 and sys.argv[1] == 'load-refs':
        load_refs(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
