#!/usr/bin/python3
"""Checks one `hubctl report` page and what headless Chromium made of it (stdlib only).

  check_report.py HTML PNG DOM LOG [--max-bytes N] [--min-rows N] [--sorted KEY]
                  [--changes first|ADDED,REMOVED] [--lang en|nl] [--catalog TEXT_H]

HTML: the report file: self-contained (no http(s) reference, no <link>, no <script src>,
no @import or url() to outside), with the map, legend, scale bar, north arrow,
attribution, the tables, parameters, bound and data sections, and SVG path data that
parses. PNG: Chromium's screenshot: the coverage colours cover a good part of it (the map
is drawn) and every class colour of the legend is present. DOM: Chromium's --dump-dom of
the page opened with #sort=-KEY: the page script ran (data-state="ready"), no error was
caught (data-errors="0"), the table has its rows and is sorted. LOG: Chromium's stderr
(--enable-logging=stderr): no console message at all. --changes: the DOM marks exactly
ADDED sites with a green ring and REMOVED with a grey cross on the map, the legend names
both, the changes table lists the same sites, and the screenshot shows both colours; or,
for a first plan, says "first plan" and marks nothing. --lang: the language the page must
be in (<html lang>, its headings; default en). --catalog: maps/report_text.h; no text of
the other language (an entry whose two texts differ) is anywhere in the page's visible
text. Prints what failed; exit 1 then.
"""
import html as htmllib
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from check_text import foreign, read_catalog  # noqa: E402

CLASS_COLOURS = ["#d4d4d4", "#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014",
                 "#cc4c02", "#8c2d04"]
REQUIRED_IDS = ["map", "areas", "uncovered", "regions", "local", "regional", "legend",
                "scalebar", "north", "attribution", "gm-table", "vr-table", "figures",
                "params", "bound", "data", "report-status"]

# Per language: headings and labels every report has, and what a first plan says.
NEEDLES = {
    "en": ["Bron: CBS, Kadaster (PDOK)", "grid north", "Plan parameters", "Bound and gap",
           "data version", "<title>"],
    "nl": ["Bron: CBS, Kadaster (PDOK)", "roosternoorden", "Parameters van het plan",
           "Bovengrens en gat", "gegevensversie", "<title>"],
}
FIRST_PLAN = {"en": "first plan", "nl": "eerste plan"}
SINCE = {"en": ("added since plan", "removed since plan"),
         "nl": ("toegevoegd sinds plan", "vervallen sinds plan")}

failures = []


def fail(msg):
    failures.append(msg)


def check_html(path, max_bytes, min_rows, lang):
    raw = open(path, "rb").read()
    if max_bytes and len(raw) > max_bytes:
        fail(f"{path}: {len(raw):,} bytes, more than {max_bytes:,}")
    text = raw.decode("utf-8")
    for pattern, what in [(r"https?:", "an http(s) reference"), (r"<link\b", "a <link>"),
                          (r"<script[^>]*\bsrc\s*=", "a <script src>"),
                          (r"@import", "an @import"), (r"url\(\s*['\"]?(?!#)", "a url() "
                           "to something not in the page"),
                          (r"\b(src|href)\s*=\s*['\"]?(//|[a-z]+:)", "an outside src/href")]:
        m = re.search(pattern, text, re.I)
        if m:
            fail(f"{path}: {what}: ...{text[max(0, m.start() - 40):m.end() + 40]}...")
    for i in REQUIRED_IDS:
        if f'id="{i}"' not in text:
            fail(f"{path}: no element with id {i}")
    if f'<html lang="{lang}">' not in text:
        fail(f"{path}: not <html lang=\"{lang}\">")
    for needle in NEEDLES[lang]:
        if needle.lower() not in text.lower():
            fail(f"{path}: lacks {needle!r}")
    for d in re.findall(r'<path[^>]*\sd="([^"]*)"', text):
        if not re.fullmatch(r"[MmLlHhVvZz0-9 .\-]*", d) or not d.startswith("M"):
            fail(f"{path}: bad path data {d[:60]!r}")
            break
    rows = len(re.findall(r"<tr>", text.split('id="gm-table"', 1)[-1].split("</table>")[0]))
    if rows < min_rows:
        fail(f"{path}: gemeente table has {rows} rows, expected at least {min_rows}")
    check_sites_kinds(path, text)
    markup = re.sub(r"<script>.*?</script>", "", text, flags=re.S)
    for bad in re.findall(r"&(?!(amp|lt|gt|quot|#39|#x[0-9a-f]+|#[0-9]+);)", markup):
        fail(f"{path}: unescaped '&'")
        break


def check_sites_kinds(path, text):
    """The section on where the points stand: the kinds table with a row per kind whose
    shares add up to 100 % at each level that has points, and the care summary."""
    m = re.search(r'<section id="sites-kinds">(.*?)</section>', text, re.S)
    if not m:
        fail(f"{path}: no section sites-kinds")
        return
    sec = m.group(1)
    table = re.search(r'<table id="kinds-table".*?</table>', sec, re.S)
    if not table:
        fail(f"{path}: no kinds-table in section sites-kinds")
    else:
        rows = re.findall(r'<tr data-kind="([^"]*)">(.*?)</tr>', table.group(0), re.S)
        if not rows:
            fail(f"{path}: kinds-table has no rows")
        for level, col in (("local", 1), ("regional", 3)):
            cells = [re.findall(r'<td class="n">([^<]*)</td>', r[1]) for r in rows]
            if any(len(c) != 4 for c in cells):
                fail(f"{path}: a kinds-table row has not 4 figures")
                break
            count = sum(int(c[col - 1]) for c in cells)
            # "31.3%" or, in Dutch, "31,3%" (a share is under 1,000: no thousands mark)
            share = sum(float(c[col].rstrip("%").replace(",", ".")) for c in cells)
            if count and abs(share - 100) > 0.1 * len(cells):
                fail(f"{path}: kinds-table {level} shares add up to {share:.1f}%")
    if 'id="care-summary"' not in sec:
        fail(f"{path}: no care-summary in section sites-kinds")


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"{path}: PNG type {ctype}/{depth}/{interlace} not handled")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_png(path, min_share):
    w, h, bpp, rows = read_png(path)
    counts = {}
    for line in rows:
        for x in range(0, len(line), bpp):
            rgb = line[x:x + 3]
            counts[rgb] = counts.get(rgb, 0) + 1
    def near(colour, tol=3):
        want = bytes.fromhex(colour[1:])
        return sum(n for rgb, n in counts.items()
                   if all(abs(rgb[i] - want[i]) <= tol for i in range(3)))
    per_class = {c: near(c) for c in CLASS_COLOURS}
    shaded = sum(per_class.values())
    if shaded < min_share * w * h:
        fail(f"{path}: only {shaded} pixels ({100 * shaded / (w * h):.1f} %) in the coverage "
             f"and no-residents colours; the map is not drawn")
    for c, n in per_class.items():
        if n < 150:  # a legend swatch alone is 22 x 13 px
            fail(f"{path}: legend colour {c} has only {n} pixels")
    return shaded / (w * h)


def check_dom(path, min_rows, sorted_key):
    dom = open(path, encoding="utf-8").read()
    m = re.search(r'<div id="report-status"([^>]*)>(.*?)</div>', dom, re.S)
    if not m:
        fail(f"{path}: no report-status element in the DOM")
        return
    attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', m.group(1)))
    if attrs.get("data-state") != "ready":
        fail(f"{path}: page state {attrs.get('data-state')!r}, not 'ready'")
    if attrs.get("data-errors") != "0":
        fail(f"{path}: script errors: {attrs.get('data-errors')}: {m.group(2).strip()}")
    if int(attrs.get("data-rows", "0")) < min_rows:
        fail(f"{path}: {attrs.get('data-rows')} table rows in the DOM")
    if sorted_key:
        if attrs.get("data-sorted") != sorted_key:
            fail(f"{path}: table not sorted by {sorted_key}: {attrs.get('data-sorted')!r}")
        table = dom.split('id="gm-table"', 1)[-1].split("</table>")[0]
        col = re.findall(r'<th data-key="([a-z0-9]+)"', table).index(sorted_key)
        values = []
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
            cell = re.findall(r"<td([^>]*)>", row)[col]
            v = re.search(r'data-v="([^"]*)"', cell)
            values.append(float(v.group(1)) if v else float("nan"))
        if values != sorted(values, reverse=True):
            fail(f"{path}: column {sorted_key} is not in descending order: {values[:5]}")


ADDED_COLOUR, REMOVED_COLOUR = "#00b050", "#7a7a7a"


def colour_counts(png, colours, tol):
    """Pixels of png within tol of each "#rrggbb" of colours (each pixel counted once)."""
    w, h, bpp, rows = read_png(png)
    want = [bytes.fromhex(c[1:]) for c in colours]
    counts = [0] * len(want)
    for line in rows:
        for x in range(0, len(line), bpp):
            px = line[x:x + 3]
            for k, c in enumerate(want):
                if abs(px[0] - c[0]) <= tol and abs(px[1] - c[1]) <= tol and \
                        abs(px[2] - c[2]) <= tol:
                    counts[k] += 1
                    break
    return counts, w * h


def colour_pixels(png, colour, tol=6):
    w, h, bpp, rows = read_png(png)
    want = bytes.fromhex(colour[1:])
    return sum(1 for line in rows for x in range(0, len(line), bpp)
               if all(abs(line[x + i] - want[i]) <= tol for i in range(3)))


def visible_text(page):
    """The page's text as a reader sees it (and hears it: titles, aria labels), without the
    script, the style and the path data."""
    t = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', t))
    t = re.sub(r"<[^>]+>", "\n", t) + "\n" + labels
    return htmllib.unescape(t)


def labels(page):
    """The page's labels: table headers, headings, the figures' captions, legend lines."""
    found = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>|<h2>(.*?)</h2>|<span>([^<]*)</span>|"
                       r'<text x="30" y="10">([^<]*)</text>', page, re.S)
    return [htmllib.unescape("".join(g)).strip() for g in found]


def check_catalog(path, catalog, lang):
    """No text of the other language is in the page: every entry is rendered in lang."""
    entries, faults = read_catalog(catalog, "RT_")
    for f in faults:
        fail(f)
    page = open(path, encoding="utf-8").read()
    seen, shown = visible_text(page), set(labels(page))
    other = "nl" if lang == "en" else "en"
    for key, e in sorted(entries.items()):
        if not e["same"] and e[other] in shown and e[other] != e[lang]:
            fail(f"{path}: {other} label of {key} in a {lang} page: {e[other]!r}")
    # sentences anywhere; single words could be data (names, kinds), so only as labels;
    # words that also stand in a text of lang ("RD New, EPSG:28992") are not foreign
    for piece, key in foreign(entries, lang, words=2):
        if re.search(r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])", seen):
            fail(f"{path}: {other} text of {key} in a {lang} page: {piece!r}")


def check_changes(dom_path, png, spec, lang):
    """The change markers and list in the rendered DOM (and screenshot) against spec."""
    dom = open(dom_path, encoding="utf-8").read()
    group = re.search(r'<g id="chg">(.*?)</g>', dom, re.S)
    marks = group.group(1) if group else ""
    legend = dom.split('id="legend"', 1)[-1].split("</g>\n</svg>")[0] if 'id="legend"' in dom else ""
    section = dom.split('<section id="changes">', 1)[-1].split("</section>")[0] \
        if '<section id="changes">' in dom else None
    if section is None:
        fail(f"{dom_path}: no changes section")
        return
    if spec == "first":
        first = FIRST_PLAN[lang]
        if first not in section.lower() or first not in legend.lower():
            fail(f"{dom_path}: a first plan's report does not say \"{first}\" in the list "
                 "and the legend")
        if re.search(r'class="chg-(add|rem)"', marks):
            fail(f"{dom_path}: a first plan's map marks changes")
        return
    added, removed = (int(v) for v in spec.split(","))
    if not group:
        fail(f"{dom_path}: no change markers on the map (<g id=\"chg\">)")
    got = (len(re.findall(r'<circle class="chg-add"', marks)),
           len(re.findall(r'<path class="chg-rem"', marks)))
    if got != (added, removed):
        fail(f"{dom_path}: the map marks {got[0]} added and {got[1]} removed sites, expected "
             f"{added} and {removed}")
    for what in SINCE[lang]:
        if what not in legend:
            fail(f"{dom_path}: the legend lacks {what!r}")
    rows = (len(re.findall(r'<tr data-change="added">', section)),
            len(re.findall(r'<tr data-change="removed">', section)))
    if rows != (added, removed):
        fail(f"{dom_path}: the changes table lists {rows[0]} added and {rows[1]} removed "
             f"sites, expected {added} and {removed}")
    for n, colour, what in ((added, ADDED_COLOUR, "added"), (removed, REMOVED_COLOUR, "removed")):
        if n and colour_pixels(png, colour) < 20:
            fail(f"{png}: the {what} markers' colour {colour} is not on the screenshot")


def check_log(path):
    for line in open(path, encoding="utf-8", errors="replace"):
        if "CONSOLE" in line or "Uncaught" in line:
            fail(f"{path}: console message: {line.strip()}")


def main(argv):
    args, opts = [], {"--max-bytes": "0", "--min-rows": "1", "--sorted": "",
                      "--min-share": "0.02", "--changes": "", "--lang": "en", "--catalog": ""}
    it = iter(argv[1:])
    for a in it:
        if a in opts:
            opts[a] = next(it)
        else:
            args.append(a)
    if len(args) != 4:
        print(__doc__)
        return 2
    html, png, dom, log = args
    min_rows, lang = int(opts["--min-rows"]), opts["--lang"]
    if lang not in NEEDLES:
        print(f"--lang {lang!r}: en or nl")
        return 2
    check_html(html, int(opts["--max-bytes"]), min_rows, lang)
    if opts["--catalog"]:
        check_catalog(html, opts["--catalog"], lang)
    share = check_png(png, float(opts["--min-share"]))
    check_dom(dom, min_rows, opts["--sorted"])
    check_log(log)
    if opts["--changes"]:
        check_changes(dom, png, opts["--changes"], lang)
    for f in failures:
        print("  " + f)
    if not failures:
        print(f"  {html}: self-contained; map drawn ({100 * share:.0f} % of the screenshot "
              f"in class colours), legend colours present, script ready, no console errors")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
