#!/usr/bin/env python3
"""Builds cjk_readings.tsv.gz from Unihan_Readings.txt (Unicode Character
Database, Debian package unicode-data: /usr/share/unicode/Unihan_Readings.txt.bz2).

One line per Han character that has a Korean or Japanese reading:
  char TAB hangul readings (space separated, name readings first) TAB
  Japanese kun readings (lower case, at most 3, okurigana stems) TAB
  Japanese on readings (lower case, at most 2)
"""
import bz2, gzip, sys, collections

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode/Unihan_Readings.txt.bz2"
rd = collections.defaultdict(dict)
opener = bz2.open if src.endswith(".bz2") else open
with opener(src, "rt", encoding="utf-8") as f:
    for line in f:
        if not line.startswith("U+"):
            continue
        cp, field, val = line.rstrip("\n").split("\t")
        if field in ("kHangul", "kJapaneseKun", "kJapaneseOn"):
            rd[int(cp[2:], 16)][field] = val

def hangul(v):
    out = []
    items = [x.split(":") for x in v.split()]
    # name readings (flag N) first, then the rest in order
    for want_n in (True, False):
        for it in items:
            h = it[0]
            n = len(it) > 1 and "N" in it[1]
            if n == want_n and h not in out:
                out.append(h)
    return " ".join(out[:3])

lines = []
for cp in sorted(rd):
    if not (0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF):
        continue
    d = rd[cp]
    h = hangul(d.get("kHangul", ""))
    kun = []
    for k in d.get("kJapaneseKun", "").lower().split():
        if k not in kun:
            kun.append(k)
    on = []
    for k in d.get("kJapaneseOn", "").lower().split():
        if k not in on:
            on.append(k)
    if not (h or kun or on):
        continue
    lines.append("%s\t%s\t%s\t%s" % (chr(cp), h, " ".join(kun[:3]), " ".join(on[:2])))
data = ("\n".join(lines) + "\n").encode("utf-8")
with gzip.GzipFile("cjk_readings.tsv.gz", "wb", compresslevel=9, mtime=0) as g:
    g.write(data)
print(len(lines), "characters,", len(data), "bytes raw")
