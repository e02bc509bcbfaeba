#!/usr/bin/env python3
"""Error analysis on the shared gold sets: runs `sitrep extract` on every gold set,
scores it with the official scorer (../shared/eval/score.py, imported, so the numbers
are the scorer's own) and prints every miss and false alarm grouped by cause.

    tools/error_analysis.py [--bin build/sitrep] [--shared ../shared]
                            [--set NAME ...] [--doc ID] [--json]

  --set NAME  only this gold set (repeatable); default: every <shared>/eval/dev/NAME.gold.jsonl
              whose articles are in <shared>/data/NAME/
  --doc ID    only this document (an exact id or an id prefix); scores then cover it alone
  --json      a machine-readable summary: scores, counts per cause, and every item

Defaults: --bin $SITREP_BIN or <repo>/build/sitrep; --shared $SITREP_SHARED or <repo>/../shared.
Exit status: 0 (it is a report, also when ../shared is absent: then it says so and
skips), 2 on usage errors (unknown set or document, missing binary).

Causes, strict matching (the scorer's, per document, after its de-duplication):
 missed required gold events (they add up to the scorer's fn)
  shared prediction   a prediction would match, but it is the match of another gold event
                      (ours has one event where gold has two; identical predictions were
                      merged by the scorer's de-duplication)
  wrong side          a prediction of an accepted type at a matching place has another side
  wrong type          same side and place, type not accepted (noted when the same family)
  wrong place         accepted type and side, no location within r; ours resolves the gold
                      place elsewhere in the document but did not attach it to this event
  place not found     ... and the gold place (or a close spelling) is not among the
                      document's predicted places at all
  place unresolved    ... the text is among our places, without coordinates
  place mis-resolved  ... the text is among our places, but placed beyond r
  no location         accepted type and side, the prediction has no locations
  wrong side and place  accepted type exists, but neither side nor place matches
  missed trigger      nothing of an accepted type in the document (the gold note is shown)
 spurious predictions (they add up to the scorer's fp), first rule that applies:
  duplicate           it would match a gold event that another prediction already matches,
                      or has the type and side of a matched prediction, at another place
  wrong place         type and side of a missed gold event, at another place (required
                      gold events first; optional ones after the duplicates)
  wrong side twin     a gold event at this place (or with no place) has this type and another side
  wrong type twin     a gold event at this place has this side and another type (same family
                      first; another family only after the duplicates)
  not in gold         nothing of this type in the document's gold
  wrong side and place  the type is in the gold, at another place and with another side
 Spurious lines carry [negated] / [expected] / [hypothetical] when the prediction is
 background-ish; places marked * were inferred by the extractor (not in the sentence).
Only the diagnosis uses predictions not already matched to a required gold event.
"""
import argparse
import difflib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTH = 110  # evidence / note characters shown

SECTIONS = [  # (key, heading)
    ("missed", "MISSED gold events (strict)"),
    ("spurious", "SPURIOUS predictions (strict)"),
    ("status", "STATUS of matched events"),
    ("places", "PLACES"),
    ("published", "PUBLISHED dates"),
    ("quantities", "QUANTITIES"),
]


class UsageError(Exception):
    pass


def load_scorer(shared):
    path = os.path.join(shared, "eval", "score.py")
    spec = importlib.util.spec_from_file_location("sitrep_official_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cut(s, n=WIDTH):
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


class Analyzer:
    def __init__(self, sc):
        self.sc = sc
        self.strict = lambda t: t

    # ---- formatting -------------------------------------------------------------------
    def pred_places(self, ev):
        out = []
        for loc in ev.get("locations") or []:
            if not isinstance(loc, dict):
                continue
            name = loc.get("name") or loc.get("text") or "?"
            if not isinstance(loc.get("lat"), (int, float)):
                name += "(no coords)"
            out.append(name + ("*" if loc.get("inferred") else ""))
        return ", ".join(out) if out else "-"

    def flags(self, ev):
        f = []
        if ev.get("negated"):
            f.append("negated")
        if ev.get("status") in ("expected", "hypothetical"):
            f.append(ev["status"])
        return f

    def fmt_pred(self, doc, ev, with_flags=True):
        evd = ev.get("evidence") or {}
        fl = self.flags(ev) if with_flags else []
        return (f"{doc}  {ev.get('type')}/{self.sc.side_of(ev)} @{self.pred_places(ev)}  "
                f"«{cut(evd.get('trigger'), 40)}» — {cut(evd.get('text'))}"
                + (f"  [{', '.join(fl)}]" if fl else ""))

    def short_pred(self, ev):
        evd = ev.get("evidence") or {}
        return f"{ev.get('type')}/{self.sc.side_of(ev)} @{self.pred_places(ev)} «{cut(evd.get('trigger'), 40)}»"

    def gold_str(self, ge):
        locs = ", ".join(l.get("name", "?") for l in ge.get("loc") or []) or "-"
        return f"{'|'.join(self.sc.gold_types(ge))}/{ge.get('side', 'UNKNOWN')} @{locs}"

    def fmt_gold(self, doc, ge):
        opt = " (optional)" if ge.get("optional") else ""
        return f"{doc}  {self.gold_str(ge)}{opt}  — {cut(ge.get('note'))}"

    # ---- geometry ---------------------------------------------------------------------
    def nearest(self, ge, ev):
        """(km, our place name, gold place name) of the closest pair, or None."""
        best = None
        for g in ge.get("loc") or []:
            for loc in ev.get("locations") or []:
                if isinstance(loc, dict) and isinstance(loc.get("lat"), (int, float)) \
                        and isinstance(loc.get("lon"), (int, float)):
                    d = self.sc.km((g["lat"], g["lon"]), (float(loc["lat"]), float(loc["lon"])))
                    if best is None or d < best[0]:
                        best = (d, loc.get("name") or loc.get("text"), g.get("name"),
                                float(g.get("r", self.sc.DEFAULT_R_KM)))
        return best

    def close_name(self, a, b):
        """Same folded name, one extends the other by whole words, or a close spelling."""
        if not a or not b:
            return False
        if self.sc.same_name(a, b):
            return True
        return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8

    def doc_place_candidates(self, doc_rec, preds):
        """Every predicted place of the document: folded text/name -> list of records."""
        cands = []
        for pl in (doc_rec or {}).get("places") or []:
            if isinstance(pl, dict):
                cands.append(pl)
        for ev in preds:
            for loc in ev.get("locations") or []:
                if isinstance(loc, dict):
                    cands.append(loc)
        return cands

    def place_status(self, glocs, cands):
        """For a missed event's gold locations: 'not found', 'unresolved',
        ('misresolved', detail) or 'found' (resolved within r somewhere in the document)."""
        seen_text = unresolved = False
        mis = None
        for g in glocs:
            gname = self.sc.fold(g.get("name"))
            r = float(g.get("r", self.sc.DEFAULT_R_KM))
            for c in cands:
                names = {self.sc.fold(c.get("text")), self.sc.fold(c.get("name"))}
                if not any(self.close_name(gname, n) for n in names if n):
                    continue
                seen_text = True
                if not (isinstance(c.get("lat"), (int, float)) and isinstance(c.get("lon"), (int, float))):
                    unresolved = True
                    continue
                d = self.sc.km((g["lat"], g["lon"]), (float(c["lat"]), float(c["lon"])))
                if d <= r:
                    return "found", None
                if mis is None or d < mis[0]:
                    mis = (d, c.get("text"), c.get("name"), g.get("name"), r)
        if not seen_text:
            return "not found", None
        if mis is not None:
            return "misresolved", mis
        return "unresolved", None

    # ---- one document -----------------------------------------------------------------
    def analyze_doc(self, gdoc, doc_rec, raw_preds, items):
        sc = self.sc
        doc = gdoc["doc_id"]
        gold = gdoc.get("events", [])
        preds = sc.dedupe(raw_preds, self.strict)  # what match_doc sees, in the same order
        pairs, missed, spurious = sc.match_doc(gold, raw_preds, self.strict)
        owner = {id(pe): ge for ge, pe in pairs}  # prediction -> gold event it matches
        dropped = [e for e in raw_preds if not any(e is p for p in preds)]
        # Predictions free for diagnosis: not the match of a required gold event.
        free = [p for p in preds if not (id(p) in owner and not owner[id(p)].get("optional"))]
        cands = self.doc_place_candidates(doc_rec, raw_preds)

        def add(section, cause, line, detail=None, **extra):
            items.append(dict(section=section, cause=cause, doc=doc, line=line, detail=detail, **extra))

        def accepted(ge, p):
            return p.get("type") in set(sc.gold_types(ge))

        def side_ok(ge, p):
            gs = ge.get("side", "UNKNOWN")
            return gs == "UNKNOWN" or sc.side_of(p) == gs

        # Missed required gold events.
        for ge in missed:
            if ge.get("optional"):
                continue
            line = self.fmt_gold(doc, ge)
            comp = [p for p in preds if sc.compatible(ge, p, self.strict)]
            if comp:
                p = comp[0]
                other = owner.get(id(p))
                merged = sum(1 for e in dropped if sc.compatible(ge, e, self.strict))
                if other is None:  # cannot happen with a maximum matching; say so if it does
                    det = f"ours {self.short_pred(p)} is compatible but unmatched (scorer changed?)"
                else:
                    det = f"ours {self.short_pred(p)} matches gold {self.gold_str(other)}" \
                          f"{' (optional)' if other.get('optional') else ''} «{cut(other.get('note'), 60)}»"
                if merged:
                    det += f"; {merged} identical prediction(s) merged by de-duplication"
                add("missed", "shared prediction", line, det)
                continue
            ws = [p for p in free if accepted(ge, p) and sc.loc_ok(ge, p) and not side_ok(ge, p)]
            if ws:
                add("missed", "wrong side", line, f"ours {self.short_pred(ws[0])}")
                continue
            wt = [p for p in free if not accepted(ge, p) and side_ok(ge, p) and sc.loc_ok(ge, p)
                  and (ge.get("loc") or self.same_family(ge, p))]  # no gold place: same family only
            if wt:
                wt.sort(key=lambda p: not self.same_family(ge, p))
                p = wt[0]
                fam = " (same family)" if self.same_family(ge, p) else ""
                add("missed", "wrong type", line, f"ours {self.short_pred(p)}{fam}")
                continue
            ts = [p for p in free if accepted(ge, p) and side_ok(ge, p)]
            if ts:
                located = [p for p in ts if sc.pred_locs(p)]
                if not located:
                    add("missed", "no location", line, f"ours {self.short_pred(ts[0])}")
                    continue
                near = min(((self.nearest(ge, p), p) for p in located), key=lambda x: x[0][0])
                (d, ours, gname, r), p = near
                det = f"ours {self.short_pred(p)}: {ours} is {d:.0f} km from {gname} (r {r:g})"
                st, mis = self.place_status(ge.get("loc") or [], cands)
                if st == "not found":
                    add("missed", "place not found", line, det + "; the gold place is not among our places")
                elif st == "unresolved":
                    add("missed", "place unresolved", line, det + "; the gold place is among our places without coordinates")
                elif st == "misresolved":
                    md, mtext, mname, mg, mr = mis
                    add("missed", "place mis-resolved", line,
                        det + f"; our '{mtext}' resolves to {mname}, {md:.0f} km from {mg} (r {mr:g})")
                else:
                    add("missed", "wrong place", line, det + "; the gold place is resolved elsewhere in the document")
                continue
            tt = [p for p in free if accepted(ge, p)]
            if tt:
                add("missed", "wrong side and place", line, f"ours {self.short_pred(tt[0])}")
                continue
            taken = [p for p in preds if accepted(ge, p) and id(p) in owner]
            det = None
            if taken:
                p = taken[0]
                det = f"our only {p.get('type')} events match other gold events, e.g. {self.short_pred(p)}"
            add("missed", "missed trigger", line, det)

        # Spurious predictions.
        matched = [p for p in preds if id(p) in owner]
        missed_ids = {id(ge) for ge in missed}
        for p in spurious:
            line = self.fmt_pred(doc, p)
            fl = self.flags(p)
            bg = {"background": bool(fl), "flags": fl}
            inferred = [l for l in p.get("locations") or [] if isinstance(l, dict) and l.get("inferred")]
            if inferred:
                bg["inferred_places"] = [l.get("name") for l in inferred]
            # A second prediction of a gold event that another of ours already matches.
            again = [ge for ge in gold if id(ge) not in missed_ids and sc.compatible(ge, p, self.strict)]
            if again:
                ge = again[0]
                m = next(m for m in matched if owner[id(m)] is ge)
                add("spurious", "duplicate", line,
                    f"gold {self.gold_str(ge)}{' (optional)' if ge.get('optional') else ''} is already "
                    f"matched by ours {self.short_pred(m)}", **bg)
                continue

            def wrong_place(optional):
                wp = [ge for ge in gold if id(ge) in missed_ids and bool(ge.get("optional")) == optional
                      and accepted(ge, p) and side_ok(ge, p) and not sc.loc_ok(ge, p)]
                if not wp:
                    return False
                ge = wp[0]
                n = self.nearest(ge, p)
                where = f"{n[1]} is {n[0]:.0f} km from {n[2]} (r {n[3]:g})" if n else "ours has no location"
                add("spurious", "wrong place", line,
                    f"gold {self.gold_str(ge)}{' (optional)' if optional else ''}: {where}", **bg)
                return True

            if wrong_place(False):
                continue
            at_place = [ge for ge in gold if ge.get("loc") and sc.loc_ok(ge, p)]
            tw = [ge for ge in gold if accepted(ge, p) and not side_ok(ge, p) and sc.loc_ok(ge, p)]
            if tw:
                tw.sort(key=lambda ge: not ge.get("loc"))
                add("spurious", "wrong side twin", line, f"gold {self.gold_str(tw[0])}", **bg)
                continue
            # Another type of the same family, at this place (or with no place).
            tw = [ge for ge in gold if not accepted(ge, p) and side_ok(ge, p) and sc.loc_ok(ge, p)
                  and self.same_family(ge, p)]
            if tw:
                tw.sort(key=lambda ge: not ge.get("loc"))
                add("spurious", "wrong type twin", line, f"gold {self.gold_str(tw[0])} (same family)", **bg)
                continue
            dup = [m for m in matched if m.get("type") == p.get("type") and sc.side_of(m) == sc.side_of(p)]
            if dup:
                det = f"matched one @{self.pred_places(dup[0])}"
                if inferred and self.explicit_key(p) == self.explicit_key(dup[0]):
                    det += "; same explicit places, kept apart by inferred ones"
                add("spurious", "duplicate", line, det, **bg)
                continue
            if wrong_place(True):
                continue
            # Another family at this place: the weakest twin (an oblast-wide gold place holds a lot).
            tw = [ge for ge in at_place if not accepted(ge, p) and side_ok(ge, p)]
            if tw:
                add("spurious", "wrong type twin", line, f"gold {self.gold_str(tw[0])}", **bg)
                continue
            if not any(accepted(ge, p) for ge in gold):
                add("spurious", "not in gold", line, None, **bg)
                continue
            ge = next(ge for ge in gold if accepted(ge, p))
            add("spurious", "wrong side and place", line, f"gold {self.gold_str(ge)}", **bg)

        # Status of matched required events (what the scorer's status accuracy counts).
        for ge, pe in pairs:
            if ge.get("optional") or not ge.get("status") or pe.get("status") == ge["status"]:
                continue
            add("status", f"{ge['status']} read as {pe.get('status')}", self.fmt_gold(doc, ge),
                f"ours {self.short_pred(pe)} «{cut((pe.get('evidence') or {}).get('text'), 90)}»")

        self.analyze_places(gdoc, doc_rec, add)
        self.analyze_published(gdoc, doc_rec, add)
        self.analyze_quantities(gdoc, raw_preds, add)
        return dict(raw=len(raw_preds), deduped=len(preds),
                    split_by_inferred=self.split_by_inferred(preds))

    def same_family(self, ge, p):
        fam = self.sc.FAMILY
        return fam.get(p.get("type"), p.get("type")) in {fam.get(t, t) for t in self.sc.gold_types(ge)}

    def explicit_key(self, ev):
        return (ev.get("type"), self.sc.side_of(ev), tuple(sorted(
            (round(float(l["lat"]), 1), round(float(l["lon"]), 1)) for l in ev.get("locations") or []
            if isinstance(l, dict) and not l.get("inferred") and isinstance(l.get("lat"), (int, float))
            and isinstance(l.get("lon"), (int, float)))))

    def split_by_inferred(self, preds):
        """Predictions the scorer keeps apart only because of their inferred locations."""
        keys = Counter(self.explicit_key(p) for p in preds)
        return sum(n - 1 for n in keys.values() if n > 1)

    # ---- places, dates, quantities (the scorer's rules) ---------------------------------
    def analyze_places(self, g, doc_rec, add):
        sc = self.sc
        if "places" not in g:
            return
        doc = g["doc_id"]
        predicted = {}
        for pl in (doc_rec or {}).get("places") or []:
            if isinstance(pl, dict) and pl.get("text"):
                predicted.setdefault(sc.fold(pl["text"]), pl)
        gold_by_text = {}
        for gp in g["places"]:
            gold_by_text.setdefault(sc.fold(gp["text"]), gp)
        optional = {sc.fold(t) for t in g.get("places_optional", [])}
        claimed = set()
        for t, gp in gold_by_text.items():
            cands = [pt for pt in predicted if sc.same_name(t, pt)]
            claimed.update(cands)
            r = float(gp.get("r", sc.DEFAULT_R_KM))
            coords = [(pt, predicted[pt]) for pt in cands
                      if isinstance(predicted[pt].get("lat"), (int, float)) and isinstance(predicted[pt].get("lon"), (int, float))]
            if any(sc.km((gp["lat"], gp["lon"]), (q["lat"], q["lon"])) <= r for _, q in coords):
                continue
            line = f"{doc}  {gp['text']}  ({gp['lat']:.3f}, {gp['lon']:.3f}, r {r:g})"
            if not cands:
                close = [predicted[pt].get("text") for pt in predicted
                         if difflib.SequenceMatcher(None, t, pt).ratio() >= 0.75]
                add("places", "place not found", line,
                    f"close spelling among ours: {', '.join(close)}" if close else None)
            elif not coords:
                add("places", "place unresolved", line, f"ours: {', '.join(predicted[pt].get('text') for pt in cands)}")
            else:
                add("places", "place mis-resolved", line, "ours: " + "; ".join(
                    f"'{q.get('text')}' -> {q.get('name')} ({q.get('admin1') or q.get('country')}, "
                    f"{sc.km((gp['lat'], gp['lon']), (q['lat'], q['lon'])):.0f} km)" for _, q in coords))
        for t, pl in predicted.items():
            if t in claimed or any(sc.same_name(o, t) for o in optional):
                continue
            actor = ", used as actor" if pl.get("as_actor") else ""
            add("places", "spurious place",
                f"{doc}  '{pl.get('text')}' -> {pl.get('name')} ({pl.get('feature')}, {pl.get('admin1') or pl.get('country')}{actor})")

    def analyze_published(self, g, doc_rec, add):
        if "published" not in g:
            return
        doc = g["doc_id"]
        if doc_rec is None:
            add("published", "document missing from output", f"{doc}  gold {g['published']}")
            return
        pub = doc_rec.get("published")
        val = pub.get("value") if isinstance(pub, dict) else None
        if val == g["published"]:
            return
        basis = pub.get("basis") if isinstance(pub, dict) else None
        line = f"{doc}  gold {g['published']}  ours {val} ({basis})"
        if g["published"] is None:
            add("published", "date not in text but ours given", line)
        elif val is None:
            add("published", "date missed", line)
        else:
            add("published", "wrong date", line)

    def analyze_quantities(self, g, raw_preds, add):
        want = g.get("quantities") or []
        if not want:
            return
        have = defaultdict(set)
        for ev in raw_preds:
            for q in ev.get("quantities") or []:
                if isinstance(q, dict) and isinstance(q.get("value"), (int, float)):
                    have[float(q["value"])].add(q.get("unit"))
        for q in want:
            v = float(q["value"])
            if v in have and (q.get("unit") is None or q["unit"] in have[v]):
                continue
            line = f"{g['doc_id']}  {q['value']} {q.get('unit')}"
            if v in have:
                add("quantities", "quantity with another unit", line,
                    f"ours: {q['value']} {', '.join(str(u) for u in sorted(have[v], key=str))}")
            else:
                add("quantities", "quantity missed", line)


def discover_sets(shared):
    gold_dir = os.path.join(shared, "eval", "dev")
    out = {}
    for f in sorted(os.listdir(gold_dir)):
        if f.endswith(".gold.jsonl"):
            name = f[: -len(".gold.jsonl")]
            data = os.path.join(shared, "data", name)
            if os.path.isdir(data):
                out[name] = (os.path.join(gold_dir, f), data)
    return out


def run_extract(binary, data, out):
    r = subprocess.run([binary, "extract", data, "-o", out, "-q"], capture_output=True, text=True)
    return r.returncode, r.stderr


def analyze_set(sc, name, gold_path, data, binary, doc_filter, tmp):
    gold = sc.load_jsonl(gold_path)
    if doc_filter:
        gold = [g for g in gold if g["doc_id"] == doc_filter or g["doc_id"].startswith(doc_filter)]
    out = os.path.join(tmp, f"{name}.jsonl")
    rc, err = run_extract(binary, data, out)
    if rc != 0:
        return dict(name=name, error=f"sitrep extract exited {rc}: {err.strip()[-500:]}")
    pred = sc.load_jsonl(out)
    res, _ = sc.score(gold, pred)
    docs, evs = {}, defaultdict(list)
    for rec in pred:
        if rec.get("kind") == "document":
            docs[rec.get("doc_id")] = rec
        elif rec.get("kind") == "event":
            evs[rec.get("doc_id")].append(rec)
    an = Analyzer(sc)
    items = []
    dd = Counter()
    for g in gold:
        st = an.analyze_doc(g, docs.get(g["doc_id"]), evs.get(g["doc_id"], []), items)
        dd.update(st)
    return dict(name=name, gold=gold_path, data=data, scores=res, items=items,
                dedupe=dict(dd), docs=len(gold))


def counts(items):
    c = defaultdict(Counter)
    for it in items:
        c[it["section"]][it["cause"]] += 1
    return c


def background(items):
    """Spurious predictions that are negated / expected / hypothetical, per flag."""
    c = Counter()
    for it in items:
        c.update(it.get("flags") or [])
    return dict(c)


def fmt_scores(res):
    e, fam, pl = res["events_strict"], res["events_family"], res["places"]
    return [
        f"events strict  P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f}  (tp {e['tp']} fp {e['fp']} fn {e['fn']})",
        f"events family  P {fam['precision']:.3f} R {fam['recall']:.3f} F1 {fam['f1']:.3f}  (tp {fam['tp']} fp {fam['fp']} fn {fam['fn']})",
        f"places         P {pl['precision']:.3f} R {pl['recall']:.3f} F1 {pl['f1']:.3f}  (tp {pl['tp']} fp {pl['fp']} fn {pl['fn']})",
        f"status accuracy {res['status_accuracy']}  published accuracy {res['published_accuracy']}  "
        f"quantities recall {res['quantities_recall']}",
        f"documents {res['documents']['gold']} in gold, {res['documents']['missing_in_output']} missing from output",
    ]


def print_set(r):
    print(f"\n=== {r['name']}  ({r['docs']} documents; {os.path.relpath(r['data'])})")
    for line in fmt_scores(r["scores"]):
        print("  " + line)
    dd = r["dedupe"]
    print(f"  predictions {dd.get('raw', 0)}, {dd.get('deduped', 0)} after the scorer's de-duplication"
          f"; {dd.get('split_by_inferred', 0)} kept apart only by inferred places")
    c = counts(r["items"])
    for key, heading in SECTIONS:
        if not c.get(key):
            continue
        total = sum(c[key].values())
        print(f"\n## {heading}: {total}")
        if key == "spurious":
            bg = background(r["items"])
            if bg:
                print(f"   background-ish: {sum(1 for it in r['items'] if it.get('background'))} "
                      f"({', '.join(f'{k} {v}' for k, v in sorted(bg.items()))})")
        for cause, n in sorted(c[key].items(), key=lambda x: (-x[1], x[0])):
            print(f"\n### {cause} ({n})")
            for it in r["items"]:
                if it["section"] == key and it["cause"] == cause:
                    print("  " + it["line"])
                    if it.get("detail"):
                        print("      ↳ " + it["detail"])


def print_totals(results):
    names = [r["name"] for r in results if "error" not in r]
    cs = {r["name"]: counts(r["items"]) for r in results if "error" not in r}
    rows = []
    for key, _ in SECTIONS:
        causes = Counter()
        for n in names:
            causes.update(cs[n].get(key, {}))
        for cause, tot in sorted(causes.items(), key=lambda x: (-x[1], x[0])):
            rows.append((f"{key}: {cause}", [cs[n].get(key, {}).get(cause, 0) for n in names], tot))
    print("\n=== totals per cause")
    w = max([len(r[0]) for r in rows] + [10])
    print(f"  {'cause':<{w}}" + "".join(f"{n:>8}" for n in names) + f"{'total':>8}")
    for label, per, tot in rows:
        print(f"  {label:<{w}}" + "".join(f"{x:>8}" for x in per) + f"{tot:>8}")
    for n in names:
        r = next(x for x in results if x["name"] == n)
        e, pl = r["scores"]["events_strict"], r["scores"]["places"]
        c = cs[n]
        print(f"  check {n}: missed {sum(c['missed'].values())} = fn {e['fn']}, spurious "
              f"{sum(c['spurious'].values())} = fp {e['fp']}, places missed "
              f"{sum(v for k, v in c['places'].items() if k != 'spurious place')} = fn {pl['fn']}, "
              f"spurious {c['places'].get('spurious place', 0)} = fp {pl['fp']}")


def to_json(results):
    out = {"sets": {}, "totals": {}}
    tot = defaultdict(Counter)
    for r in results:
        if "error" in r:
            out["sets"][r["name"]] = {"error": r["error"]}
            continue
        c = counts(r["items"])
        for k, v in c.items():
            tot[k].update(v)
        out["sets"][r["name"]] = {
            "documents": r["docs"], "scores": r["scores"], "dedupe": r["dedupe"],
            "causes": {k: dict(c.get(k, {})) for k, _ in SECTIONS},
            "counts": {k: sum(c.get(k, {}).values()) for k, _ in SECTIONS},
            "spurious_background": {"total": sum(1 for it in r["items"] if it.get("background")),
                                    **background(r["items"])},
            "items": r["items"],
        }
    out["totals"] = {k: dict(tot.get(k, {})) for k, _ in SECTIONS}
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--bin", default=os.environ.get("SITREP_BIN") or os.path.join(REPO, "build", "sitrep"),
                    help="the sitrep binary (default: $SITREP_BIN or <repo>/build/sitrep)")
    ap.add_argument("--shared", default=os.environ.get("SITREP_SHARED") or os.path.join(REPO, "..", "shared"),
                    help="the shared folder (default: $SITREP_SHARED or <repo>/../shared)")
    ap.add_argument("--set", action="append", dest="sets", metavar="NAME",
                    help="only this gold set (repeatable; default: every one with its articles)")
    ap.add_argument("--doc", metavar="ID", help="only this document (id or id prefix)")
    ap.add_argument("--json", action="store_true", help="print a machine-readable summary")
    a = ap.parse_args(argv)

    shared = os.path.normpath(a.shared)
    if not os.path.isfile(os.path.join(shared, "eval", "score.py")) or \
            not os.path.isdir(os.path.join(shared, "eval", "dev")):
        print(f"skipped: {shared} (the shared gold and scorer) is not present")
        return 0
    try:
        available = discover_sets(shared)
        names = a.sets or list(available)
        for n in names:
            if n not in available:
                raise UsageError(f"unknown set '{n}' (available: {', '.join(available) or 'none'})")
        if not os.path.isfile(a.bin) or not os.access(a.bin, os.X_OK):
            raise UsageError(f"no sitrep binary at {a.bin} "
                             "(cmake --build build -j2 --target sitrep, or --bin PATH)")
        sc = load_scorer(shared)
        if a.doc:
            keep = []
            for n in names:
                ids = [g["doc_id"] for g in sc.load_jsonl(available[n][0])]
                if any(i == a.doc or i.startswith(a.doc) for i in ids):
                    keep.append(n)
            if not keep:
                raise UsageError(f"no document '{a.doc}' in the gold of {', '.join(names)}")
            names = keep
    except UsageError as e:
        print(f"error_analysis: {e}", file=sys.stderr)
        return 2

    results = []
    with tempfile.TemporaryDirectory(prefix="sitrep-ea-") as tmp:
        for n in names:
            gold_path, data = available[n]
            results.append(analyze_set(sc, n, gold_path, data, a.bin, a.doc, tmp))
    if a.json:
        print(json.dumps(to_json(results), ensure_ascii=False))
        return 0
    if a.doc:
        print(f"(document {a.doc} only: the scores cover it alone)")
    for r in results:
        if "error" in r:
            print(f"\n=== {r['name']}: {r['error']}")
            continue
        print_set(r)
    if any("error" not in r for r in results):
        print_totals(results)
    return 0


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:  # piped into head: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
