#!/usr/bin/env python3
"""End-to-end: `sitrep extract` on the shared gold sets, scored by the shared scorer.

Checks, for ../shared/data/{seeds,dev}:
  - every field of ../shared/spec/schema.md on every record, with contract values;
  - the SQLite database written alongside holds the same documents and events;
  - the scores of ../shared/eval/score.py reach the issue's thresholds.
Exits 77 (skipped) when ../shared is absent.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

SHARED = os.environ.get("SITREP_SHARED") or os.path.join(os.path.dirname(__file__), "../../../shared")
BIN = os.environ.get("SITREP_BIN", "build/sitrep")

# The thresholds of issue 3 ("Done when").
THRESHOLDS = {
    "seeds": {"published_accuracy": 1.0, "places": 0.90, "events_strict": 0.55},
    "dev": {"published_accuracy": 0.9, "places": 0.80, "events_strict": 0.45},
}

TYPES = {"advance", "capture", "recapture", "withdrawal", "redeployment", "encirclement", "surrender",
         "armed_clash", "attack", "shelling", "airstrike", "missile_strike", "drone_strike",
         "air_defence", "demolition", "civilian_evacuation", "humanitarian", "losses",
         "prisoner_exchange"}
SIDES = {"RU", "UA", "OTHER", "UNKNOWN"}
STATUSES = {"asserted", "claimed", "reported", "unverified", "denied", "expected", "hypothetical"}
KINDS = {"government", "military", "official", "media", "ngo", "analyst", "anonymous", "person", "unknown"}
ROLES = {"at", "from", "to", "toward", "near", "between", "in_region"}
UNITS = {None, "personnel", "civilians", "people", "prisoners", "bodies", "tanks", "aircraft", "helicopters",
         "artillery", "armoured_vehicles", "vehicles", "mlrs", "air_defence", "drones", "missiles", "bombs",
         "boats", "ships", "settlements", "attacks", "airstrikes", "km2", "km"}
BASES = {"explicit", "metadata", "inferred", "unknown"}
TIME_BASES = {"explicit", "relative", "document", "unknown", "inferred"}
PRECISIONS = {"day", "range", "month", "unknown"}
REASONS = {"boilerplate", "navigation", "byline", "comments", "related"}

failures = []


def fail(msg):
    failures.append(msg)


def need(rec, keys, where):
    for k in keys:
        if k not in rec:
            fail(f"{where}: missing field '{k}'")


def is_span(v):
    return isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v) and v[0] <= v[1]


def check_document(d):
    w = f"document {d.get('doc_id')}"
    need(d, ["kind", "doc_id", "source", "title", "published", "body", "removed", "places", "credibility", "events"], w)
    p = d.get("published") or {}
    need(p, ["value", "basis", "span"], w + " published")
    if p.get("basis") not in BASES:
        fail(f"{w}: published.basis {p.get('basis')!r}")
    if not is_span(d.get("body")):
        fail(f"{w}: body is not a span")
    for r in d.get("removed", []):
        if not is_span(r.get("span")) or r.get("reason") not in REASONS:
            fail(f"{w}: bad removed entry {r}")
    for pl in d.get("places", []):
        need(pl, ["text", "span", "name", "id", "lat", "lon", "admin1", "country", "feature"], w + " place")
    c = d.get("credibility") or {}
    need(c, ["score", "signals"], w + " credibility")
    for s in c.get("signals", []):
        need(s, ["id", "value", "detail"], w + " signal")
        if not 0 <= s.get("value", -1) <= 1:
            fail(f"{w}: signal value out of [0,1]: {s}")


def check_event(e):
    w = f"event {e.get('id')}"
    need(e, ["kind", "id", "doc_id", "type", "actor", "target", "locations", "time", "source", "status",
             "negated", "quantities", "evidence", "confidence"], w)
    if e.get("type") not in TYPES:
        fail(f"{w}: type {e.get('type')!r}")
    a = e.get("actor")
    if not isinstance(a, dict) or a.get("side") not in SIDES or "text" not in a:
        fail(f"{w}: actor {a!r}")
    if e.get("status") not in STATUSES:
        fail(f"{w}: status {e.get('status')!r}")
    for loc in e.get("locations", []):
        need(loc, ["text", "name", "lat", "lon", "admin1", "country", "feature", "role"], w + " location")
        if loc.get("role") not in ROLES:
            fail(f"{w}: role {loc.get('role')!r}")
    t = e.get("time") or {}
    need(t, ["text", "value", "precision", "basis"], w + " time")
    if t.get("precision") not in PRECISIONS or t.get("basis") not in TIME_BASES:
        fail(f"{w}: time {t}")
    s = e.get("source")
    if s is not None:
        need(s, ["text", "name", "kind", "side", "via"], w + " source")
        if s.get("kind") not in KINDS:
            fail(f"{w}: source kind {s.get('kind')!r}")
    for q in e.get("quantities", []):
        need(q, ["value", "approx", "unit", "what", "side", "text"], w + " quantity")
        if q.get("unit") not in UNITS:
            fail(f"{w}: unit {q.get('unit')!r}")
    ev = e.get("evidence") or {}
    need(ev, ["text", "span", "trigger", "trigger_span"], w + " evidence")
    if not is_span(ev.get("span")) or not is_span(ev.get("trigger_span")):
        fail(f"{w}: evidence spans")


def run_set(name, tmp):
    data = os.path.join(SHARED, "data", name)
    gold = os.path.join(SHARED, "eval", "dev", f"{name}.gold.jsonl")
    out = os.path.join(tmp, f"{name}.jsonl")
    db = os.path.join(tmp, f"{name}.db")
    r = subprocess.run([BIN, "extract", data, "-o", out, "--db", db, "-q"], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{name}: sitrep extract exited {r.returncode}: {r.stderr[-500:]}")
        return
    records = [json.loads(line) for line in open(out, encoding="utf-8")]
    docs = [x for x in records if x["kind"] == "document"]
    events = [x for x in records if x["kind"] == "event"]
    for d in docs:
        check_document(d)
    for e in events:
        check_event(e)
    con = sqlite3.connect(db)
    db_docs = {r[0] for r in con.execute("SELECT doc_id FROM documents")}
    db_events = {r[0] for r in con.execute("SELECT id FROM events")}
    if db_docs != {d["doc_id"] for d in docs}:
        fail(f"{name}: SQLite documents differ from the JSONL")
    if db_events != {e["id"] for e in events}:
        fail(f"{name}: SQLite events differ from the JSONL ({len(db_events)} vs {len(events)})")
    scorer = os.path.join(SHARED, "eval", "score.py")
    r = subprocess.run([sys.executable, scorer, gold, out, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{name}: score.py failed: {r.stderr[-300:]}")
        return
    res = json.loads(r.stdout)
    got = {"published_accuracy": res["published_accuracy"], "places": res["places"]["f1"],
           "events_strict": res["events_strict"]["f1"]}
    print(f"{name}: {json.dumps(got)} status_accuracy={res['status_accuracy']} "
          f"quantities_recall={res['quantities_recall']}")
    for k, floor in THRESHOLDS[name].items():
        if got[k] is None or got[k] < floor:
            fail(f"{name}: {k} {got[k]} below {floor}")


def main():
    if not os.path.isdir(os.path.join(SHARED, "eval", "dev")):
        print(f"skipped: {SHARED} not present")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        for name in THRESHOLDS:
            run_set(name, tmp)
    for f in failures[:50]:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
