#!/usr/bin/env bash
# Rebuilds bundled/data from the real list files in ../shared/data/lists:
# each file is gzip-compressed (-9n: no timestamp, so the output is
# reproducible) under the same relative path. The manifest
# (bundled/manifest.json) names the files, their publisher dates and formats,
# and their content hashes: after a rebuild, `go test ./ingest -run TestBundledManifest`
# prints the hashes to put there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=${LEXSCREEN_SHARED:-$here/../shared}/data/lists
out=$here/bundled/data
rm -rf "$out" && mkdir -p "$out"
while read -r rel; do
  [ -z "$rel" ] && continue
  mkdir -p "$out/$(dirname "$rel")"
  gzip -9nc "$src/$rel" > "$out/$rel.gz"
done <<LIST
us_ofac/sdn/2025-12-24/sdn.csv
us_ofac/sdn/2025-12-24/add.csv
us_ofac/sdn/2025-12-24/alt.csv
us_ofac/sdn/2025-12-24/sdn_comments.csv
us_ofac/cons/2025-12/cons_prim.csv
us_ofac/cons/2025-12/cons_add.csv
us_ofac/cons/2025-12/cons_alt.csv
us_ofac/cons/2025-12/cons_comments.csv
un/2026-02-27/consolidated.xml
eu/csv/2024-01-24/eu_csl.csv
uk/ofsi/2024-01-25/ConList.csv
LIST
# The ICC-related lists are lexscreen's own (bundled/icc, lexscreen-json).
mkdir -p "$out/icc"
for f in "$here"/bundled/icc/*.json; do
  gzip -9nc "$f" > "$out/icc/$(basename "$f").gz"
done
du -sh "$out"
