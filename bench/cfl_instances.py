#!/usr/bin/python3
"""Uniform random maximal-covering instances of the Cordeau-Furini-Ljubic kind.

J.-F. Cordeau, F. Furini, I. Ljubic, "Benders decomposition for very large scale partial
set covering and maximal covering location problems", European Journal of Operational
Research 275(3) (2019) 882-896, benchmark their exact method on random instances with few
facilities and up to millions of customers. The rules used here (docs/benchmarks.md,
"#15 literature instances"):
  - customers and facilities uniformly distributed in the square [0, SIDE]^2, SIDE = 30
    (the unit square scaled by 30);
  - customer demand a uniformly random integer in 1..100;
  - facility opening cost 1 (so the budget B is the number of sites p);
  - coverage by Euclidean distance at most R, R given when solving (3.25, 3.5, 3.75 with
    100 facilities), budget p in {10, 15, 20}.
Points are drawn with Python's Mersenne Twister from the seed, so a seed gives the same
file on any machine.

  cfl_instances.py gen [--facilities 100] [--customers N] [--side 30] [--seed S] OUT
      writes OUT in the cfl format that `hubplannerd solve --format cfl` reads: a first
      line "NF NC", then "F j x y cost" and "C i x y demand" lines (indices from 0).
  cfl_instances.py aggregate --radius R --p P [--report SOLVE.json] IN OUT
      writes the hubplanner-instance (docs/instance-format.md) of IN with customers of
      identical coverage sets merged into one point (weights added; customers no facility
      covers dropped, they cannot change the optimum), for bench/mip_check.py. With
      --report (the --json of `hubplannerd solve`) the plan, bound and covered lines are
      hubplanner's, so mip_check.py compares them with CBC's optimum.
"""
import argparse
import json
import random
import sys

import numpy as np


def generate(args):
    rng = random.Random(args.seed)
    side = args.side
    with open(args.out, "w") as f:
        f.write(f"{args.facilities} {args.customers}\n")
        for j in range(args.facilities):
            f.write(f"F {j} {rng.uniform(0, side):.6f} {rng.uniform(0, side):.6f} 1\n")
        lines = []
        for i in range(args.customers):
            x, y = rng.uniform(0, side), rng.uniform(0, side)
            lines.append(f"C {i} {x:.6f} {y:.6f} {rng.randint(1, 100)}\n")
            if len(lines) == 100000:
                f.writelines(lines)
                lines = []
        f.writelines(lines)


def read_cfl(path):
    fac, cus = [], []
    with open(path) as f:
        nf, nc = (int(t) for t in f.readline().split())
        for line in f:
            t = line.split()
            if t and t[0] == "F":
                fac.append((int(t[1]), float(t[2]), float(t[3])))
            elif t and t[0] == "C":
                cus.append((int(t[1]), float(t[2]), float(t[3]), float(t[4])))
    if len(fac) != nf or len(cus) != nc:
        sys.exit(f"{path}: {len(fac)} F and {len(cus)} C lines, the first line says {nf} {nc}")
    fac.sort()
    cus.sort()
    return np.array([f[1:] for f in fac]), np.array([c[1:] for c in cus])


def aggregate(args):
    fxy, cus = read_cfl(args.input)
    nf = len(fxy)
    keys = np.zeros((len(cus), (nf + 7) // 8), dtype=np.uint8)
    for j in range(nf):
        d2 = (cus[:, 0] - fxy[j, 0]) ** 2 + (cus[:, 1] - fxy[j, 1]) ** 2
        keys[:, j // 8] |= ((d2 <= args.radius ** 2).astype(np.uint8) << (j % 8))
    covered = keys.any(axis=1)
    uniq, first, inverse = np.unique(keys[covered], axis=0, return_index=True,
                                     return_inverse=True)
    weight = np.bincount(inverse.ravel(), weights=cus[covered][:, 2], minlength=len(uniq))
    rep_xy = cus[covered][first, :2]
    lists = [[] for _ in range(nf)]
    for k, key in enumerate(uniq):
        for j in range(nf):
            if key[j // 8] >> (j % 8) & 1:
                lists[j].append(k)
    plan, bound, cov = [], 0.0, 0.0
    if args.report:
        with open(args.report) as f:
            r = json.load(f)
        plan = [s["index"] for s in r["sites"]]
        bound, cov = r["bound"], r["covered_weight"]
    with open(args.output, "w") as f:
        f.write("hubplanner-instance 1\n")
        f.write(f"# {args.input} aggregated: {len(cus)} customers, {int(covered.sum())} "
                f"covered by some facility, {len(uniq)} distinct coverage sets; "
                f"radius {args.radius}\n")
        f.write(f"p {args.p}\nsizes {len(uniq)} {nf} {sum(len(l) for l in lists)}\n")
        for k in range(len(uniq)):
            f.write(f"d {k} {weight[k]:.6f} {weight[k]:.6f} 0 {rep_xy[k, 0]:.6f} "
                    f"{rep_xy[k, 1]:.6f}\n")
        for j in range(nf):
            f.write(f"c {j} 0 0 {fxy[j, 0]:.6f} {fxy[j, 1]:.6f}\n")
        for j in range(nf):
            f.write(f"a {j} {len(lists[j])} {' '.join(map(str, lists[j]))}\n".replace("  ", " "))
        f.write(f"plan {len(plan)} {' '.join(map(str, plan))}\n")
        f.write(f"bound {bound:.6f}\ncovered {cov:.6f}\n")
    print(f"{args.output}: {len(uniq)} aggregated points from {len(cus)} customers")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--facilities", type=int, default=100)
    g.add_argument("--customers", type=int, default=100000)
    g.add_argument("--side", type=float, default=30.0)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("out")
    a = sub.add_parser("aggregate")
    a.add_argument("--radius", type=float, required=True)
    a.add_argument("--p", type=int, required=True)
    a.add_argument("--report")
    a.add_argument("input")
    a.add_argument("output")
    args = ap.parse_args()
    generate(args) if args.cmd == "gen" else aggregate(args)


if __name__ == "__main__":
    main()
