#!/usr/bin/env python3
"""Stability of the national plan under population drift (issue #13).

Imports the bundled data (and the 2016 fire stations and care institutions when present)
once, plans from scratch (plan A), then for each scenario copies
the database, changes residents, and plans twice on the new data: a stable recompute that
starts from plan A, and a fresh plan. Reports per level the sites added, removed and kept
against plan A (same position within 1 m = the same site), the coverage of both plans and
their number of sites, and the stable recompute's wall time. Measures; asserts nothing.

Scenarios: unchanged data; every wijk's residents times a seeded factor within +-1 % and
+-5 % (its buurten and, for grid cells, a factor of their own, the same way); one wijk's
residents doubled (and its buurten).

Usage: bench/stability.py [--data DIR] [--bin PATH] [--seed N] [--keep DIR]
"""
import argparse
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

SAME_M = 1.0


def run(bin_, db, *args):
    t0 = time.monotonic()
    p = subprocess.run([bin_, "--db", db, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return p.stdout, time.monotonic() - t0


def latest_plan(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT max(id) FROM plans").fetchone()[0]


def plan_sites(db, plan_id):
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT level, x_rd, y_rd, gemeente_code FROM plan_sites"
                         " WHERE plan_id = ?", (plan_id,)).fetchall()
    out = {1: [], 2: []}
    for level, x, y, gm in rows:
        out[level].append((x, y, gm))
    return out


def plan_cover(db, plan_id):
    """Covered share of weighted demand per level, from the plan's summary line data."""
    with sqlite3.connect(db) as c:
        summary = c.execute("SELECT summary FROM plans WHERE id = ?", (plan_id,)).fetchone()[0]
    import json
    s = json.loads(summary)
    return {lvl: 100.0 * s[name]["covered_weight"] / s[name]["weight"]
            for lvl, name in ((1, "local"), (2, "regional"))}


def match(a, b):
    """Sites of b kept from a (within SAME_M), added in b, removed from a."""
    cell = {}
    for i, (x, y, _) in enumerate(a):
        cell.setdefault((math.floor(x), math.floor(y)), []).append(i)
    used = set()
    kept = 0
    added = []
    for (x, y, gm) in b:
        hit = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for i in cell.get((math.floor(x) + dx, math.floor(y) + dy), []):
                    if i not in used and math.hypot(a[i][0] - x, a[i][1] - y) <= SAME_M:
                        hit = i
                        break
                if hit is not None:
                    break
            if hit is not None:
                break
        if hit is None:
            added.append((x, y, gm))
        else:
            used.add(hit)
            kept += 1
    removed = [a[i] for i in range(len(a)) if i not in used]
    return kept, added, removed


def copy_db(src, dst):
    """A consistent copy (the store runs in WAL mode: copying the file alone can miss
    committed changes still in the log)."""
    if os.path.exists(dst):
        os.remove(dst)
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    b.close()
    a.close()


def perturb(db, pct, seed):
    rng = random.Random(seed)
    c = sqlite3.connect(db)
    with c:
        wijken = [r[0] for r in c.execute("SELECT code FROM areas WHERE level = 2 ORDER BY code")]
        for code in wijken:
            f = 1.0 + rng.uniform(-pct, pct) / 100.0
            scale(c, f, "(level = 2 AND code = ?1) OR (level = 3 AND wijk_code = ?1)", code)
        cells = [r[0] for r in c.execute("SELECT code FROM areas WHERE level >= 4 ORDER BY code")]
        for code in cells:
            f = 1.0 + rng.uniform(-pct, pct) / 100.0
            scale(c, f, "level >= 4 AND code = ?1", code)
    c.close()


def scale(c, f, where, code):
    c.execute(f"UPDATE areas SET residents = residents * {f!r},"
              f" residents_65plus = residents_65plus * {f!r},"
              f" households = households * {f!r} WHERE {where}", (code,))


def double_wijk(db):
    """Doubles the residents of the most populous wijk without buurten or cells of its own
    being overridden: the wijk with the most residents among those whose buurten exist."""
    c = sqlite3.connect(db)
    with c:
        code, gm, res = c.execute(
            "SELECT w.code, w.gemeente_code, w.residents FROM areas w WHERE w.level = 2"
            " AND w.residents > 0 AND NOT EXISTS (SELECT 1 FROM areas b WHERE b.level = 3"
            " AND b.wijk_code = w.code) ORDER BY w.residents DESC LIMIT 1 OFFSET 50").fetchone()
        scale(c, 2.0, "(level = 2 AND code = ?1) OR (level = 3 AND wijk_code = ?1)", code)
        box = c.execute("SELECT minx, miny, maxx, maxy FROM areas WHERE level = 2 AND code = ?",
                        (code,)).fetchone()
    c.close()
    return code, gm, res, box


def report_level(name, a, b, f, cover_b, cover_f, extra=""):
    kept, added, removed = match(a, b)
    fk, fadded, fremoved = match(a, f)
    na = max(len(a), 1)
    print(f"  {name:8s} plan A {len(a):5d} sites; stable {len(b):5d} sites: {kept} kept, "
          f"{len(added)} added ({100.0 * len(added) / max(len(b), 1):.2f} %), {len(removed)} "
          f"removed ({100.0 * len(removed) / na:.2f} %); fresh {len(f):5d} sites "
          f"(stable has {100.0 * (len(b) - len(f)) / max(len(f), 1):+.2f} %); covered stable "
          f"{cover_b:.3f} % vs fresh {cover_f:.3f} % ({cover_b - cover_f:+.3f} pp){extra}")
    print(f"  {'':8s} the fresh plan against plan A: {len(fadded)} at new positions "
          f"({100.0 * len(fadded) / max(len(f), 1):.2f} %), {len(fremoved)} of A's gone "
          f"({100.0 * len(fremoved) / na:.2f} %)")
    return added, removed


def scenario(args, base, name, change):
    print(f"== {name}")
    work = os.path.join(args.keep, name.replace(" ", "_"))
    os.makedirs(work, exist_ok=True)
    s_db, f_db = os.path.join(work, "stable.db"), os.path.join(work, "fresh.db")
    copy_db(base, s_db)
    info = change(s_db) if change else None
    copy_db(s_db, f_db)
    a_id = latest_plan(s_db)
    _, secs = run(args.bin, s_db, "plan")
    run(args.bin, f_db, "plan", "--fresh")
    b_id, f_id = latest_plan(s_db), latest_plan(f_db)
    a, b, f = plan_sites(s_db, a_id), plan_sites(s_db, b_id), plan_sites(f_db, f_id)
    cb, cf = plan_cover(s_db, b_id), plan_cover(f_db, f_id)
    print(f"  stable recompute: {secs:.2f} s wall")
    for lvl, lname in ((1, "local"), (2, "regional")):
        added, removed = report_level(lname, a[lvl], b[lvl], f[lvl], cb[lvl], cf[lvl])
        if info and lvl == 1:
            code, gm, res, box = info
            inside = sum(1 for (x, y, _) in added if box[0] - 3000 <= x <= box[2] + 3000
                         and box[1] - 3000 <= y <= box[3] + 3000)
            print(f"           wijk {code} ({gm}, {res:.0f} residents doubled): {inside} of "
                  f"{len(added)} added sites within 3 km of it; "
                  f"{len(removed)} removed anywhere")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/nl")
    ap.add_argument("--old", default="../shared/data/nl-2016",
                    help="the 2016 layers (fire stations, care), imported when present")
    ap.add_argument("--bin", default="build/release/daemon/hubplannerd")
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--keep", default=None, help="keep the databases in this folder")
    args = ap.parse_args()
    tmp = None
    if not args.keep:
        tmp = tempfile.mkdtemp(prefix="stability.")
        args.keep = tmp
    base = os.path.join(args.keep, "base.db")
    if os.path.exists(base):
        os.remove(base)
    sources = [args.data] + ([args.old] if os.path.isdir(args.old) else [])
    run(args.bin, base, "import", "--mappings", "config/mappings", *sources)
    _, secs = run(args.bin, base, "plan", "--fresh")
    print(f"plan A (fresh, national): {secs:.2f} s wall")
    scenario(args, base, "unchanged", None)
    scenario(args, base, "drift 1 pct", lambda db: perturb(db, 1.0, args.seed))
    scenario(args, base, "drift 5 pct", lambda db: perturb(db, 5.0, args.seed))
    scenario(args, base, "one wijk doubled", double_wijk)
    if tmp:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
