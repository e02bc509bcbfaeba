#!/usr/bin/env python3
"""Derives data/gazetteer/admin1.tsv: one row per first-level unit of Ukraine, Belarus
and the Russian border subjects, with an English name, the Natural Earth label point
(inside the polygon) and a radius from the polygon's area.

    tools/make_gazetteer_admin1.py [--maps ../shared/data/maps/ne_10m_admin1_UA_BY_RU-border.geojson]
                                   [--admin1 ../shared/data/gazetteer/admin1CodesASCII.UA-RU-BY.txt]
                                   [--out data/gazetteer/admin1.tsv]

Natural Earth is public domain; the admin-1 codes are GeoNames (CC BY 4.0). The polygon
and the GeoNames code are joined on the GeoNames id Natural Earth carries (gn_id).
"""
import argparse
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "data")

# English names where Natural Earth's name_en is not the form news uses.
NAME_EN = {
    "UA-51": "Odesa Oblast",
    "UA-43": "Crimea",
    "UA-40": "Sevastopol",
    "UA-30": "Kyiv City",
    "UA-32": "Kyiv Oblast",
    "UA-35": "Kirovohrad Oblast",
    "RU-KDA": "Krasnodar Krai",
    "BY-HM": "Minsk City",
    "BY-MA": "Mogilev Region",
}


def ring_area_km2(ring):
    """Area of a lon/lat ring on a sphere (km^2), by the spherical excess approximation."""
    r = 6371.0
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * r * r / 2.0)


def area_km2(geometry):
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    total = 0.0
    for poly in polys:
        total += ring_area_km2(poly[0]) - sum(ring_area_km2(h) for h in poly[1:])
    return total


def bbox(geometry):
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lons = [p[0] for poly in polys for p in poly[0]]
    lats = [p[1] for poly in polys for p in poly[0]]
    return min(lats), min(lons), max(lats), max(lons)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maps", default=os.path.join(SHARED, "maps", "ne_10m_admin1_UA_BY_RU-border.geojson"))
    ap.add_argument("--admin1", default=os.path.join(SHARED, "gazetteer", "admin1CodesASCII.UA-RU-BY.txt"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "data", "gazetteer", "admin1.tsv"))
    args = ap.parse_args()

    code_by_gn = {}
    for line in open(args.admin1, encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 4:
            code_by_gn[cols[3]] = cols[0]

    rows = []
    for f in json.load(open(args.maps, encoding="utf-8"))["features"]:
        p = f["properties"]
        iso = p["iso_3166_2"]
        code = code_by_gn.get(str(p["gn_id"]), "")
        if not code:
            print(f"no GeoNames admin1 code for {iso} (gn_id {p['gn_id']})", file=sys.stderr)
            continue
        country = iso[:2]
        name = NAME_EN.get(iso)
        if name is None:
            base = p["name_en"]
            if country == "BY":
                name = base + " Region"
            elif base.endswith((" Krai", " Oblast")):
                name = base
            else:
                name = base + " Oblast"
        alts = []
        for a in [p.get("name"), p.get("name_en"), p.get("name_uk"), p.get("name_ru")] + (
                (p.get("name_alt") or "").split("|")):
            a = (a or "").strip()
            if a and a != name and a not in alts:
                alts.append(a)
        area = area_km2(f["geometry"])
        radius = math.sqrt(area / math.pi)
        s, w, n, e = bbox(f["geometry"])
        rows.append((code, iso, str(p["gn_id"]), name, "|".join(alts), f"{p['latitude']:.4f}",
                     f"{p['longitude']:.4f}", f"{radius:.0f}", f"{area:.0f}",
                     f"{s:.3f},{w:.3f},{n:.3f},{e:.3f}"))
    rows.sort()
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("# First-level units of UA, BY and the Russian border subjects. Derived by\n")
        out.write("# tools/make_gazetteer_admin1.py from Natural Earth 10m admin-1 (public domain; label\n")
        out.write("# point, area, bounding box) joined with GeoNames admin1CodesASCII (CC BY 4.0).\n")
        out.write("code\tiso\tgeonameid\tname\talt_names\tlat\tlon\tradius_km\tarea_km2\tbbox\n")
        for r in rows:
            out.write("\t".join(r) + "\n")
    print(f"{args.out}: {len(rows)} units", file=sys.stderr)


if __name__ == "__main__":
    main()
