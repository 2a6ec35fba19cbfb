#!/usr/bin/python3
"""Latency of whatif with a failed area (issue #16): on a daemon serving the national plan,
N requests (default 1000), one at a time on one connection, each failing one gemeente
(every gemeente of the plan in turn) or a drawn polygon (a 3 km square around a local
site), with the default 3 replacements. Prints p50, p99 and max per kind, and the
largest gemeenten's times. Measures, asserts nothing.
Usage: bench/whatif_fail.py SOCKET DATABASE [N]"""
import json
import socket
import sqlite3
import sys
import time


def rpc(sock, rfile, method, params, ident):
    sock.sendall((json.dumps({"jsonrpc": "2.0", "id": ident, "method": method,
                              "params": params}) + "\n").encode())
    reply = json.loads(rfile.readline())
    if "error" in reply:
        raise SystemExit(f"{method} {params}: {reply['error']}")
    return reply["result"]


def pct(sorted_ms, q):
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def run(sock, rfile, requests):
    times = []
    for k, (label, params) in enumerate(requests):
        t0 = time.perf_counter()
        rpc(sock, rfile, "whatif", params, k)
        times.append(((time.perf_counter() - t0) * 1000, label))
    return times


def report(kind, times):
    ms = sorted(t for t, _ in times)
    print(f"{kind}: {len(ms)} requests, p50 {pct(ms, 0.5):.1f} ms, p99 {pct(ms, 0.99):.1f} ms,"
          f" max {ms[-1]:.1f} ms")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    db = sqlite3.connect(f"file:{sys.argv[2]}?mode=ro", uri=True)
    plan = db.execute("SELECT max(id) FROM plans").fetchone()[0]
    gms = [r[0] for r in db.execute("SELECT code FROM plan_areas WHERE plan_id = ? AND level = 1"
                                    " ORDER BY residents DESC", (plan,))]
    sites = db.execute("SELECT x_rd, y_rd FROM plan_sites WHERE plan_id = ? AND level = 1"
                       " ORDER BY seq", (plan,)).fetchall()
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(sys.argv[1])
    rfile = sock.makefile("r")
    areas = [(gms[k % len(gms)], {"fail": {"region": gms[k % len(gms)]}}) for k in range(n)]
    times = run(sock, rfile, areas)
    report("failed gemeente", times)
    worst = sorted(times, reverse=True)[:3]
    print("  slowest: " + ", ".join(f"{g} {t:.1f} ms" for t, g in worst))
    print("  largest gemeenten: " + ", ".join(f"{g} {t:.1f} ms" for t, g in times[:3]))
    # polygons: the RD square's corners to lon/lat via the daemon's own coverage point
    polys = []
    for k in range(min(n, len(sites))):
        x, y = sites[(k * 37) % len(sites)]
        ring = []
        for dx, dy in ((-1500, -1500), (1500, -1500), (1500, 1500), (-1500, 1500), (-1500, -1500)):
            p = rpc(sock, rfile, "coverage", {"point": {"x": x + dx, "y": y + dy}, "k": 1}, -1)
            ring.append([p["point"]["lon"], p["point"]["lat"]])
        polys.append((f"square {k}", {"fail": {"polygon": {"type": "Polygon",
                                                            "coordinates": [ring]}}}))
    report("failed 3 km square", run(sock, rfile, polys))


if __name__ == "__main__":
    main()
