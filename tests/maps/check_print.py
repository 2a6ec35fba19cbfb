#!/usr/bin/python3
"""Checks a `hubctl report` page as Chromium printed it to PDF (poppler-utils' pdfinfo,
pdftotext and pdftoppm; the PNG reader of check_report.py).

  check_print.py PDF WORKDIR [--lang en|nl]

Every page is A4 or A3 (either orientation) and there are at least two. Page 1 holds the
title with the plan's date, the headline figures, and the map with its legend (every class
label) and scale bar; rendered to PNG, every coverage class colour of the legend is on it
and the coverage colours fill a good part of it (the map is drawn, not cut off). The
sections (changes, tables, parameters, bound, data) are not on page 1 but follow. The
words looked for are those of --lang (default en). Prints what failed; exit 1 then.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_report import CLASS_COLOURS, colour_counts  # noqa: E402

# Points: A4 595 x 842, A3 842 x 1191.
PAPER = {"A4": (595.3, 841.9), "A3": (841.9, 1190.6)}
CLASS_LABELS = {
    "en": ["99.9 % or more", "99.5 – 99.9 %", "99 – 99.5 %", "98 – 99 %", "95 – 98 %",
           "90 – 95 %", "under 90 %", "no residents / not planned"],
    "nl": ["99,9 % of meer", "99,5 – 99,9 %", "99 – 99,5 %", "98 – 99 %", "95 – 98 %",
           "90 – 95 %", "minder dan 90 %", "geen inwoners / niet gepland"]}
PAGE1 = {
    "en": ["Noodsteunpunten:", "computed", "residents", "covered:", "local points",
           "Residents within reach of a local", "km", "grid north"],
    "nl": ["Noodsteunpunten:", "berekend", "inwoners", "gedekt:", "lokale noodsteunpunten",
           "Inwoners binnen bereik van een", "km", "roosternoorden"]}
LATER = {"en": ["Plan parameters", "Bound and gap", "Data version"],
         "nl": ["Parameters van het plan", "Bovengrens en gat", "Gegevensversie"]}

failures = []


def fail(msg):
    failures.append(msg)


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def check_pages(pdf):
    info = run("pdfinfo", "-f", "1", "-l", "999", pdf)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    if pages < 2:
        fail(f"{pdf}: {pages} page(s); the tables should follow the map on later pages")
    for k, w, h in re.findall(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info, re.M):
        dims = sorted((float(w), float(h)))
        if not any(abs(dims[0] - a) < 2 and abs(dims[1] - b) < 2 for a, b in PAPER.values()):
            fail(f"{pdf}: page {k} is {w} x {h} pt, not A4 or A3")
            break
    return pages


def squash(text):
    return re.sub(r"\s+", " ", text)


def check_text(pdf, pages, lang):
    first = squash(run("pdftotext", "-f", "1", "-l", "1", pdf, "-"))
    rest = squash(run("pdftotext", "-f", "2", "-l", str(max(pages, 2)), pdf, "-"))
    for needle in PAGE1[lang] + CLASS_LABELS[lang]:
        if needle not in first:
            fail(f"{pdf}: page 1 lacks {needle!r} (title, date, figures, map, legend, scale)")
    if not re.search(r"\d{4}-\d\d-\d\d", first):
        fail(f"{pdf}: page 1 shows no date")
    for needle in LATER[lang]:
        if needle in first:
            fail(f"{pdf}: {needle!r} is on page 1; the sections belong on later pages")
        if needle not in rest:
            fail(f"{pdf}: {needle!r} is on no later page")


def check_page1_png(pdf, workdir):
    stem = os.path.join(workdir, os.path.basename(pdf)[:-4] + "-page1")
    run("pdftoppm", "-f", "1", "-l", "1", "-r", "100", "-png", "-singlefile", pdf, stem)
    counts, pixels = colour_counts(stem + ".png", CLASS_COLOURS, 4)
    for c, n in zip(CLASS_COLOURS, counts):
        if n < 30:  # a legend swatch at 100 dpi is about 60 px
            fail(f"{stem}.png: class colour {c} has only {n} pixels on page 1")
    share = sum(counts) / pixels
    if share < 0.02:
        fail(f"{stem}.png: only {100 * share:.1f} % of page 1 in class colours; "
             f"the map is not on it")
    return share


def main(argv):
    lang = "en"
    if len(argv) == 5 and argv[3] == "--lang" and argv[4] in PAGE1:
        lang = argv[4]
    elif len(argv) != 3:
        print(__doc__)
        return 2
    pdf, workdir = argv[1], argv[2]
    pages = check_pages(pdf)
    check_text(pdf, pages, lang)
    share = check_page1_png(pdf, workdir)
    for f in failures:
        print("  " + f)
    if not failures:
        print(f"  {pdf}: {pages} pages of A4/A3; page 1 has the title, date, figures, map "
              f"({100 * share:.0f} % in class colours), legend and scale bar")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
