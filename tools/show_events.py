#!/usr/bin/env python3
"""Prints sitrep's JSONL output as a readable list: per document, each event with its
trigger, actor, side, places, status and sentence. For error analysis.
    tools/show_events.py OUT.jsonl [DOC_ID_PREFIX]
"""
import json
import sys


def main():
    path = sys.argv[1]
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if not r.get("doc_id", "").startswith(only):
            continue
        if r["kind"] == "document":
            pub = (r.get("published") or {}).get("value")
            print(f"\n## {r['doc_id']}  published={pub}  title={r.get('title')!r}")
            print("   places: " + ", ".join(f"{p['text']}→{p['name']}" for p in r.get("places", [])))
        elif r["kind"] == "event":
            ev = r["evidence"]
            actor = r["actor"]
            locs = ", ".join(f"{l['text']}→{l['name']}({l['role']})" for l in r["locations"])
            src = (r.get("source") or {}).get("name")
            q = ", ".join(f"{x['value']} {x['unit']}" for x in r["quantities"])
            print(f" {r['type']:<20} {actor['side']:<7} actor={actor.get('text')!r} «{ev['trigger']}» "
                  f"@[{locs}] {r['status']}{' NEG' if r['negated'] else ''} src={src} q=[{q}]")
            print(f"      {ev['text'][:160]}")


if __name__ == "__main__":
    main()
