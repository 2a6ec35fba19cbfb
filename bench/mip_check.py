#!/usr/bin/python3
"""Checks a hubplanner plan against the exact optimum of its exported instance.

Reads the file written by `hubplannerd plan --export-instance FILE`
(docs/instance-format.md), solves the maximal covering problem with the same number of
sites exactly with CBC (Debian's python3-pulp + coinor-cbc), and prints hubplanner's
covered weight, the optimum, their ratio, and whether hubplanner's bound is >= the optimum.
With a TARGET_PCT it solves the fewest sites covering that share of the total weight
instead (no capacities, fixed sites open) and prints CBC's count and the plan's.
A benchmark: it reports; it exits 1 only when the bound is below the optimum (a bug).

Usage: bench/mip_check.py INSTANCE [TIME_LIMIT_S [TARGET_PCT]]
"""
import sys
import time

import pulp


def read_instance(path):
    inst = {"w": [], "fixed": [], "cover": {}, "plan": [], "p": 0}
    with open(path) as f:
        for line in f:
            t = line.split()
            if not t or t[0].startswith("#"):
                continue
            if t[0] == "p":
                inst["p"] = int(t[1])
            elif t[0] == "d":
                inst["w"].append(float(t[2]))
            elif t[0] == "c":
                inst["fixed"].append(int(t[2]))
            elif t[0] == "a":
                inst["cover"][int(t[1])] = [int(x) for x in t[3:]]
            elif t[0] == "plan":
                inst["plan"] = [int(x) for x in t[2:]]
            elif t[0] in ("bound", "covered"):
                inst[t[0]] = float(t[1])
    return inst


def solve(inst, limit, target_pct=None):
    """Maximal coverage with p sites, or (target_pct) the fewest sites for the share."""
    n, m = len(inst["w"]), len(inst["fixed"])
    covers = [[] for _ in range(n)]
    for j, pts in inst["cover"].items():
        for i in pts:
            covers[i].append(j)
    sense = pulp.LpMaximize if target_pct is None else pulp.LpMinimize
    prob = pulp.LpProblem("mclp" if target_pct is None else "min_sites", sense)
    x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(m)]
    y = [pulp.LpVariable(f"y{i}", lowBound=0, upBound=1) for i in range(n)]
    covered = pulp.lpSum(inst["w"][i] * y[i] for i in range(n) if covers[i])
    if target_pct is None:
        prob += covered
        prob += pulp.lpSum(x) == inst["p"]
    else:
        prob += pulp.lpSum(x)
        prob += covered >= target_pct / 100 * sum(inst["w"])
    for i in range(n):
        if covers[i]:
            prob += y[i] <= pulp.lpSum(x[j] for j in covers[i])
    for j in range(m):
        if inst["fixed"][j]:
            prob += x[j] == 1
    t0 = time.time()
    prob.solve(pulp.COIN_CMD(msg=False, timeLimit=limit))
    status = pulp.LpStatus[prob.status]
    return pulp.value(prob.objective), status, time.time() - t0


def main_target(path, inst, limit, pct):
    sites, status, secs = solve(inst, limit, pct)
    proven = status == "Optimal" and secs < 0.98 * limit
    what = "optimum" if proven else "best found (time limit reached, not proven optimal)"
    print(f"{path}: demand {len(inst['w'])}, candidates {len(inst['fixed'])}, "
          f"target {pct:g} % of the total weight")
    print(f"  cbc {status} in {secs:.1f} s: {what} {sites:.0f} sites")
    print(f"  hubplanner plan {len(inst['plan'])} sites")
    return 0


def main():
    path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    inst = read_instance(path)
    if len(sys.argv) > 3:
        return main_target(path, inst, limit, float(sys.argv[3]))
    opt, status, secs = solve(inst, limit)
    ours, bound = inst["covered"], inst["bound"]
    print(f"{path}: demand {len(inst['w'])}, candidates {len(inst['fixed'])}, p {inst['p']}")
    proven = status == "Optimal" and secs < 0.98 * limit
    what = "optimum" if proven else "best found (time limit reached, not proven optimal)"
    print(f"  cbc {status} in {secs:.1f} s: {what} {opt:.1f}")
    print(f"  hubplanner covered {ours:.1f} = {100 * ours / opt:.3f}% of the optimum")
    print(f"  hubplanner bound   {bound:.1f} ({'>=' if bound >= opt - 1e-6 * opt else '<'} optimum,"
          f" gap to optimum {100 * (bound - opt) / opt:.3f}%)")
    if bound < opt - 1e-6 * opt:
        print("  ERROR: the bound is below the optimum")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
