#!/usr/bin/env python3
"""Scores fusion against the hand-made groups of eval/fusion/bench_groups.gold.jsonl:
pairwise precision, recall and F1 over (group, article) items. Two items are together
in the gold when they are the same group; in our output when one cluster holds an event
of each article that fits the group (its type or a type fusion deems compatible, within
its place radius, within its dates give or take three days).
    tools/fusion_eval.py FUSED.jsonl [--gold eval/fusion/bench_groups.gold.jsonl] [--verbose]
FUSED is the output of `sitrep fuse` over the bench articles (ids = file names).
"""
import argparse
import datetime as dt
import json
import math
import os
import sys
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATE_SLACK = 3


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def day(s):
    return dt.date.fromisoformat(s[:10]).toordinal()


def load_compatible():
    pairs = set()
    for line in open(os.path.join(REPO, "data", "fusion", "compatible_types.tsv"), encoding="utf-8"):
        if line.startswith("#") or line.startswith("a\t") or not line.strip():
            continue
        a, b = line.split("\t")[:2]
        pairs |= {(a, b), (b, a)}
    return pairs


COMPATIBLE = load_compatible()


def fits(group, cluster):
    # The gold's type, or one that fusion treats as another wording of it.
    types = group["type"] if isinstance(group["type"], list) else [group["type"]]
    if not any(cluster["type"] == t or (cluster["type"], t) in COMPATIBLE for t in types):
        return False
    if group.get("side") not in (None, "UNKNOWN") and cluster["side"] not in ("UNKNOWN", group["side"]):
        return False
    # Any place the cluster's reports name (its most specific `location` among them).
    locs = [l for l in (cluster.get("places") or [cluster.get("location")]) if l and l.get("lat") is not None]
    if locs:
        g = group["place"]
        if all(km((g["lat"], g["lon"]), (l["lat"], l["lon"])) > g["r"] + (l.get("radius_km") or 0) for l in locs):
            return False
    t = cluster.get("time") or {}
    if t.get("value"):
        a, b = day(t["value"]), day(t.get("end") or t["value"])
        if b < day(group["date"]["from"]) - DATE_SLACK or a > day(group["date"]["to"]) + DATE_SLACK:
            return False
    return True


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("fused")
    ap.add_argument("--gold", default=os.path.join(REPO, "eval", "fusion", "bench_groups.gold.jsonl"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    groups = [json.loads(l) for l in open(args.gold, encoding="utf-8") if l.strip()]
    clusters_of_doc = defaultdict(list)
    for line in open(args.fused, encoding="utf-8"):
        r = json.loads(line)
        if r.get("kind") == "cluster":
            for d in r["docs"]:
                clusters_of_doc[d].append(r)
    items = []  # (group index, doc, set of fitting cluster ids)
    for gi, g in enumerate(groups):
        for d in g["docs"]:
            items.append((gi, d, {c["id"] for c in clusters_of_doc.get(d, []) if fits(g, c)}))
    tp = fp = fn = 0
    misses = defaultdict(int)
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            gi, di, ci = items[i]
            gj, dj, cj = items[j]
            if di == dj:
                continue
            gold = gi == gj
            pred = bool(ci & cj)
            tp += gold and pred
            fn += gold and not pred
            fp += pred and not gold
            if gold and not pred:
                misses[groups[gi]["group"]] += 1
            if pred and not gold and args.verbose:
                print(f"together but apart in gold: {groups[gi]['group']}/{di} {groups[gj]['group']}/{dj} via {sorted(ci & cj)}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    found = sum(1 for _, _, c in items if c)
    print(f"fusion pairwise  P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {tp} fp {fp} fn {fn}; "
          f"{len(groups)} groups, {found}/{len(items)} articles with a fitting cluster)")
    if args.verbose:
        for gi, g in enumerate(groups):
            its = [(d, c) for k, d, c in items if k == gi]
            print(f"{g['group']} {g['type']}/{g['side']} {g['place']['name'][:40]} "
                  f"{g['date']['from']}..{g['date']['to']}: missed pairs {misses.get(g['group'], 0)}")
            for d, c in its:
                print(f"   {d}: {sorted(c) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
