#!/usr/bin/env bash
# Copies the GeoNames files the gazetteer is built from into data/gazetteer/, gzip'd
# (reproducible: no name or time stamp in the gzip header). Source: ../shared/data/gazetteer
# (see its SOURCE.md). Run from anywhere; pass another source directory as $1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:-$here/../../shared/data/gazetteer}"
dst="$here/../data/gazetteer"
mkdir -p "$dst"
for f in UA.txt cities500.RU-border-BY.txt admin1CodesASCII.UA-RU-BY.txt admin2Codes.UA-RU-BY.txt; do
  gzip -9 -n -c "$src/$f" > "$dst/$f.gz"
  echo "$dst/$f.gz: $(stat -c %s "$dst/$f.gz") bytes"
done
