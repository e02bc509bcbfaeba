#!/usr/bin/env python3
"""Scores fusion against the hand-made groups of eval/fusion/bench_groups.gold.jsonl:
pairwise precision, recall and F1 over (group, article) items. Two items are together
in the gold when they are the same group; in our output when one cluster holds an event
of each article that fits the group (its type or a type fusion deems compatible, within
its place radius, within its dates give or take three days).
    tools/fusion_eval.py FUSED.jsonl [--gold eval/fusion/bench_groups.gold.jsonl] [--verbose]
FUSED is the output of `sitrep fuse` over the bench articles (ids = file names).

A report that denies a happening ("there are no signs of a withdrawal") is put by fusion in
a cluster of its own, linked in `contradicts` to the cluster of the claim it denies (the
issue's representation of a claim and its denial). The gold counts the article that
denies it as reporting the event. So, besides the strict score (same cluster), the tool
prints a score where a claim's cluster and a denying cluster linked to it count as one
happening ("with denials"); only links between a negated/denied cluster and an asserted
one count, not the other contradictions (two sides capturing, loss figures).
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
    clusters = {}
    for line in open(args.fused, encoding="utf-8"):
        r = json.loads(line)
        if r.get("kind") == "cluster":
            clusters[r["id"]] = r
            for d in r["docs"]:
                clusters_of_doc[d].append(r)

    def negative(c):
        return c.get("status") == "denied" or c.get("negated")

    # A happening: a cluster with the denials linked to it (for the second score).
    happening = {cid: {cid} for cid in clusters}
    for cid, c in clusters.items():
        for other in c.get("contradicts", []):
            o = clusters.get(other)
            if o is not None and negative(c) != negative(o):
                happening[cid].add(other)
                happening[other].add(cid)
    for with_denials in (False, True):
        score(groups, clusters_of_doc, happening if with_denials else None, args, with_denials)
    return 0


def score(groups, clusters_of_doc, happening, args, with_denials):
    verbose = args.verbose and with_denials
    items = []  # (group index, doc, set of fitting cluster ids)
    for gi, g in enumerate(groups):
        for d in g["docs"]:
            ids = {c["id"] for c in clusters_of_doc.get(d, []) if fits(g, c)}
            if happening is not None:
                ids = set().union(*(happening[i] for i in ids)) if ids else set()
            items.append((gi, d, ids))
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
            if pred and not gold and verbose:
                print(f"together but apart in gold: {groups[gi]['group']}/{di} {groups[gj]['group']}/{dj} via {sorted(ci & cj)}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    found = sum(1 for _, _, c in items if c)
    label = "with denials" if with_denials else "same cluster"
    print(f"fusion pairwise ({label})  P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {tp} fp {fp} fn {fn}; "
          f"{len(groups)} groups, {found}/{len(items)} articles with a fitting cluster)")
    if verbose:
        for gi, g in enumerate(groups):
            its = [(d, c) for k, d, c in items if k == gi]
            print(f"{g['group']} {g['type']}/{g['side']} {g['place']['name'][:40]} "
                  f"{g['date']['from']}..{g['date']['to']}: missed pairs {misses.get(g['group'], 0)}")
            for d, c in its:
                print(f"   {d}: {sorted(c) or '-'}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
