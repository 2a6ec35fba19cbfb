#!/usr/bin/env python3
"""The executable half of docs/architecture.md: reads every project include and fails when
a file includes a room above its own (or a sibling room), when an include is not written
from the project root, when headers include each other in a cycle, or when GEOS, PROJ,
libuv or logging are used outside the rooms that own them.
Usage: test_layering.py SOURCE_DIR. Prints one line per violation; exit 1 when any."""
import os
import re
import sys

# Rooms, lowest first. A file may include its own room and any room of a lower rank;
# rooms of equal rank are siblings and may not include each other.
RANKS = {
    "util": 0,
    "config": 1,
    "geo": 2,
    "plan": 3,
    "data": 4,
    "model": 5,
    "jobs": 6,
    "maps": 7,
    "daemon/server": 8,
    "daemon/rpc": 8,
    "daemon": 9,
    "client": 9,
}
# Rooms outside the product: they may include anything of the product, nothing includes them.
OUTSIDE = ("tests", "bench", "fuzz")
# System headers that only some rooms may include.
OWNED = {
    "geos_c.h": ("geo",),
    "proj.h": ("geo",),
    "uv.h": ("daemon", "daemon/server"),
    "systemd/sd-daemon.h": ("daemon", "daemon/server"),
    "daemon/log.h": ("daemon",),
    "geo/geom_internal.h": ("geo",),
    "Cbc_C_Interface.h": ("plan",),
}
# Identifiers that only some rooms may use (the handle or API does not leave its room).
OWNED_IDENT = [
    (re.compile(r"\bGEOS\w*"), ("geo",), "GEOS"),
    (re.compile(r"\bproj_\w+\s*\("), ("geo",), "PROJ"),
    (re.compile(r"\buv_\w+"), ("daemon", "daemon/server"), "libuv"),
    (re.compile(r"\bsd_\w+\s*\("), ("daemon", "daemon/server"), "libsystemd"),
    (re.compile(r"\blog_(?:msg|err|warn|notice|info|debug|init|set_level|enabled)\s*\("), ("daemon",), "logging"),
]
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"", re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)


def room_of(path):
    best = None
    for room in RANKS:
        if path.startswith(room + "/") and (best is None or len(room) > len(best)):
            best = room
    if best is None and path.split("/")[0] in OUTSIDE:
        return path.split("/")[0]
    return best


def source_files(root):
    for top in list(RANKS) + list(OUTSIDE):
        if "/" in top:
            continue
        for d, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, n), root)


def check_file(root, path, graph, bad):
    room = room_of(path)
    text = open(os.path.join(root, path), encoding="utf-8").read()
    check_idents(path, room, text, bad)
    for kind, target in INCLUDE.findall(text):
        owners = OWNED.get(target)
        if owners and room not in owners and room not in OUTSIDE:
            bad.append(f"{path}: includes {target}, which only {', '.join(owners)} may use")
        if kind == "<":
            continue
        if not os.path.exists(os.path.join(root, target)) or "/" not in target:
            bad.append(f'{path}: #include "{target}" is not a path from the project root')
            continue
        graph.setdefault(path, []).append(target)
        other = room_of(target)
        if other in OUTSIDE and room not in OUTSIDE:
            bad.append(f"{path}: includes {target} from {other}/, outside the product")
        elif room in RANKS and other in RANKS and other != room and RANKS[other] >= RANKS[room]:
            rel = "a sibling room" if RANKS[other] == RANKS[room] else "a room above it"
            bad.append(f"{path} ({room}, rank {RANKS[room]}) includes {target}: {other} is "
                       f"{rel} (rank {RANKS[other]})")


def check_idents(path, room, text, bad):
    if room in OUTSIDE:
        return
    code = COMMENT.sub(" ", text)
    for pattern, owners, what in OWNED_IDENT:
        m = pattern.search(code)
        if m and room not in owners:
            line = code[:m.start()].count("\n") + 1
            bad.append(f"{path}:{line}: uses {what} ({m.group(0).strip()}), which only "
                       f"{', '.join(owners)} may use")


def find_cycles(graph, bad):
    state = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cyc = stack[stack.index(nxt):] + [nxt]
                bad.append("include cycle: " + " -> ".join(cyc))
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    graph, bad = {}, []
    files = sorted(source_files(root))
    for path in files:
        if room_of(path) is None:
            bad.append(f"{path}: in no room of the layout (docs/architecture.md)")
            continue
        check_file(root, path, graph, bad)
    find_cycles(graph, bad)
    for line in bad:
        print("layering:", line)
    print(f"layering: {len(files)} files, {sum(map(len, graph.values()))} project includes, "
          f"{len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
