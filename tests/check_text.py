#!/usr/bin/env python3
"""Checks hubplanner's text catalogs (maps/report_text.h, client/hubctl_text.h): every entry
has an English and a Dutch text, neither empty, the two differ unless the entry says
LANG_SAME, both have the same printf conversions in the same order, no key is defined twice
and every key is used in the sources given. Lists the keys per language.

  check_text.py PREFIX CATALOG.h [--used-in DIR]...   check, print the key counts
  check_text.py PREFIX CATALOG.h --dump               the entries as JSON, for other checks
  check_text.py PREFIX CATALOG.h --foreign LANG [--words N]
      what must not stand in output in LANG (en or nl): as JSON, [{"piece", "key"}], the
      stretches of the other language's texts between their conversions and HTML tags
      that say something (three letters in a row, at least N words, default 1) and that
      no text in LANG holds; entries the same in both languages are left out
Exit 0 when the catalog is sound, 1 with one line per fault otherwise."""
import json
import os
import re
import sys

# printf conversions; no ' ' flag, so "% of the bound" in plain text is not one
CONV = re.compile(r"%(?:%|[-+#0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcsp])")
ESC = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "0": "\0"}
TRIM = " \n,.;:()#"   # around a piece of text


def logical_lines(text):
    """The file's lines with backslash continuations joined, each with its first line number."""
    out, buf, start = [], "", None
    for no, line in enumerate(text.split("\n"), 1):
        if start is None:
            start = no
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        out.append((start, buf + line))
        buf, start = "", None
    return out


def literal(s, i):
    """The C string literal starting at s[i] (a quote): its value and the index after it."""
    val, i = [], i + 1
    while i < len(s) and s[i] != '"':
        if s[i] == "\\":
            val.append(ESC.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            val.append(s[i])
            i += 1
    if i >= len(s):
        raise ValueError("unterminated string literal")
    return "".join(val), i + 1


def parse_body(body):
    """A define's body: ["en", "nl"], or ["s"] with same=True for LANG_SAME("s")."""
    body = re.sub(r"/\*.*?\*/", " ", body).strip()
    same = body.startswith("LANG_SAME(")
    if same:
        if not body.endswith(")"):
            raise ValueError("LANG_SAME( without its closing parenthesis")
        body = body[len("LANG_SAME("):-1]
    parts, cur, i = [], None, 0
    while i < len(body):
        c = body[i]
        if c == '"':
            v, i = literal(body, i)
            cur = (cur or "") + v
        elif c == ",":
            parts.append(cur)
            cur, i = None, i + 1
        elif c.isspace():
            i += 1
        else:
            raise ValueError("unexpected %r: an entry is string literals only" % body[i:i + 12])
    parts.append(cur)
    if any(p is None for p in parts):
        raise ValueError("an empty part between commas")
    return parts, same


def read_catalog(path, prefix):
    entries, faults = {}, []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for no, line in logical_lines(text):
        m = re.match(r"\s*#\s*define\s+(%s\w+)\s+(.*)$" % re.escape(prefix), line)
        if not m:
            continue
        key, where = m.group(1), "%s:%d: %s" % (path, no, m.group(1))
        try:
            parts, same = parse_body(m.group(2))
        except ValueError as e:
            faults.append("%s: %s" % (where, e))
            continue
        if key in entries:
            faults.append("%s: defined twice (first on line %d)" % (where, entries[key]["line"]))
            continue
        if same:
            parts = parts * 2 if len(parts) == 1 else parts + ["<extra>"]
        entries[key] = {"line": no, "en": parts[0], "nl": parts[1] if len(parts) > 1 else None,
                        "same": same, "nparts": len(parts)}
    return entries, faults


def check(entries, path):
    faults = []
    for key, e in entries.items():
        where = "%s:%d: %s" % (path, e["line"], key)
        if e["nparts"] != 2:
            faults.append("%s: %d texts, want English and Dutch" % (where, e["nparts"]))
            continue
        for lang in ("en", "nl"):
            if not e[lang].strip():
                faults.append("%s: the %s text is empty" % (where, lang))
        if not e["same"] and e["en"] == e["nl"]:
            faults.append("%s: Dutch is the same as English (%r); translate it or mark it "
                          "LANG_SAME" % (where, e["en"]))
        ce = [c for c in CONV.findall(e["en"]) if c != "%%"]
        cn = [c for c in CONV.findall(e["nl"]) if c != "%%"]
        if ce != cn:
            faults.append("%s: conversions differ: English %s, Dutch %s" % (where, ce, cn))
    return faults


def pieces(text, words=1):
    """The stretches of a catalog text between its printf conversions and HTML tags that say
    something: three letters in a row and at least `words` words."""
    for part in re.split(CONV.pattern + r"|<[^>]+>", text):
        part = part.strip(TRIM)
        if re.search(r"[A-Za-z]{3}", part) and len(part.split()) >= words:
            yield part


def foreign(entries, lang, words=1):
    """[(piece, key)]: the pieces of the other language's texts that no text in lang holds,
    so that output in lang must not show them; entries the same in both are left out."""
    other = "nl" if lang == "en" else "en"
    own = [e[lang] for e in entries.values() if e[lang]]
    found = {}
    for key, e in sorted(entries.items()):
        if e["same"] or e["en"] == e["nl"] or not e[other]:
            continue
        for p in pieces(e[other], words):
            if p not in found and not any(p in t for t in own):
                found[p] = key
    return sorted(found.items())


def unused(entries, dirs, catalog):
    seen = set()
    for d in dirs:
        for root, _, names in os.walk(d):
            for n in names:
                p = os.path.join(root, n)
                if not n.endswith((".c", ".h")) or os.path.samefile(p, catalog):
                    continue
                with open(p, encoding="utf-8", errors="replace") as f:
                    seen.update(re.findall(r"\b\w+\b", f.read()))
    return ["%s:%d: %s is never used" % (catalog, e["line"], k)
            for k, e in entries.items() if k not in seen]


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    prefix, path, rest = argv[1], argv[2], argv[3:]
    entries, faults = read_catalog(path, prefix)
    if "--dump" in rest:
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    if "--foreign" in rest:
        i = rest.index("--foreign")
        lang = rest[i + 1] if i + 1 < len(rest) else ""
        words = int(rest[rest.index("--words") + 1]) if "--words" in rest else 1
        if lang not in ("en", "nl") or faults:
            sys.stderr.write("--foreign wants en or nl and a sound catalog\n" + "\n".join(faults))
            return 2
        json.dump([{"piece": p, "key": k} for p, k in foreign(entries, lang, words)],
                  sys.stdout, ensure_ascii=False, indent=1)
        return 0
    dirs = [rest[i + 1] for i, a in enumerate(rest) if a == "--used-in" and i + 1 < len(rest)]
    faults += check(entries, path)
    if dirs:
        faults += unused(entries, dirs, path)
    if not entries:
        faults.append("%s: no %s entries" % (path, prefix))
    for f in faults:
        print(f)
    n = len(entries)
    per = {lang: sum(bool((e[lang] or "").strip()) for e in entries.values()) for lang in ("en", "nl")}
    same = sum(e["same"] for e in entries.values())
    print("%s: %d keys; en: %d texts, nl: %d texts (%d the same in both by design)%s"
          % (path, n, per["en"], per["nl"], same, "" if not faults else "; %d faults" % len(faults)))
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
