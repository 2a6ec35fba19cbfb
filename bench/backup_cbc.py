#!/usr/bin/python3
"""Checks hubplanner's backup sites against the exact optimum of the backup covering model.

Reads the file written by `hubplannerd plan --export-instance FILE` with backup_sites set
(docs/instance-format.md: its `backup` and `twice` lines), keeps the primary sites (the
plan's sites that are not backup sites) open, and solves Hogan and ReVelle's backup
covering model for the same number of added sites exactly with CBC (python3-pulp):

    max  sum_i w_i u_i       u_i = 1: point i within reach of two or more open sites
    s.t. c_i + sum_{j reaches i, j not primary} x_j >= 2 u_i
         sum_j x_j <= K,  x_j in {0,1},  u_i in {0,1}

(c_i: the primary sites reaching point i; single coverage is the primary's, kept first).
It prints hubplanner's weight covered twice, the optimum, their ratio, and whether
hubplanner's bound is >= the optimum. It recounts hubplanner's figure from the plan's
sites, so a wrong export shows. A benchmark: exits 1 only when the bound is below the
optimum or the recount disagrees (a bug).

Usage: bench/backup_cbc.py INSTANCE [TIME_LIMIT_S]
"""
import sys
import time

import pulp


def read_instance(path):
    inst = {"w": [], "cover": {}, "plan": [], "backup": []}
    with open(path) as f:
        for line in f:
            t = line.split()
            if not t or t[0].startswith("#"):
                continue
            if t[0] == "d":
                inst["w"].append(float(t[2]))
            elif t[0] == "a":
                inst["cover"][int(t[1])] = [int(x) for x in t[3:]]
            elif t[0] in ("plan", "backup"):
                inst[t[0]] = [int(x) for x in t[2:]]
            elif t[0] == "twice":
                inst["twice"] = [float(x) for x in t[1:4]]
    if "twice" not in inst:
        sys.exit(f"{path}: no `twice` line: export a plan made with backup_sites > 0")
    return inst


def reach_counts(inst, sites):
    count = [0] * len(inst["w"])
    for j in sites:
        for i in inst["cover"].get(j, []):
            count[i] += 1
    return count


def twice_weight(inst, sites):
    return sum(w for w, c in zip(inst["w"], reach_counts(inst, sites)) if c >= 2)


def solve(inst, primary, k, limit):
    """The most weight k added sites cover twice, the primary kept; (value, status, s)."""
    count = reach_counts(inst, primary)
    closed = [j for j in inst["cover"] if j not in set(primary)]
    covers = [[] for _ in inst["w"]]
    for j in closed:
        for i in inst["cover"][j]:
            covers[i].append(j)
    base = sum(w for w, c in zip(inst["w"], count) if c >= 2)
    prob = pulp.LpProblem("backup_cover", pulp.LpMaximize)
    x = {j: pulp.LpVariable(f"x{j}", cat="Binary") for j in closed}
    u = {}
    for i, w in enumerate(inst["w"]):
        need = 2 - count[i]
        if need <= 0 or len(covers[i]) < need or w <= 0:
            continue
        u[i] = pulp.LpVariable(f"u{i}", lowBound=0, upBound=1,
                               cat="Continuous" if need == 1 else "Binary")
        prob += need * u[i] <= pulp.lpSum(x[j] for j in covers[i])
    prob += base + pulp.lpSum(inst["w"][i] * u[i] for i in u)
    prob += pulp.lpSum(x.values()) <= k
    t0 = time.time()
    prob.solve(pulp.COIN_CMD(msg=False, timeLimit=limit))
    return pulp.value(prob.objective), pulp.LpStatus[prob.status], time.time() - t0, len(u)


def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    inst = read_instance(path)
    backup = set(inst["backup"])
    primary = [j for j in inst["plan"] if j not in backup]
    base, ours, bound = inst["twice"]
    recount = twice_weight(inst, inst["plan"])
    k = len(backup)
    opt, status, secs, nu = solve(inst, primary, k, limit)
    proven = status == "Optimal" and secs < 0.98 * limit
    what = "optimum" if proven else "best found (time limit reached, not proven optimal)"
    print(f"{path}: demand {len(inst['w'])}, candidates {len(inst['cover'])}, "
          f"primary {len(primary)}, backup sites {k}, points to back {nu}")
    print(f"  primary alone covers twice {base:.1f}")
    print(f"  cbc {status} in {secs:.1f} s: {what} {opt:.1f}")
    ref = "the optimum" if proven else "CBC's best"
    print(f"  hubplanner covered twice {ours:.1f} = {100 * ours / opt:.3f}% of {ref}"
          f" (gain {100 * (ours - base) / max(opt - base, 1e-9):.2f}% of its gain)")
    print(f"  hubplanner bound   {bound:.1f} ({'>=' if bound >= opt - 1e-6 * opt else '<'} "
          f"{ref}, {100 * (bound - opt) / opt:.3f}% above it)")
    bad = 0
    if abs(recount - ours) > 1e-6 * max(1.0, ours):
        print(f"  ERROR: the plan's sites cover {recount:.1f} twice, the export says {ours:.1f}")
        bad = 1
    if proven and bound < opt - 1e-6 * opt:
        print("  ERROR: the bound is below the optimum")
        bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
