#!/usr/bin/env python3
"""Smoke test of tools/error_analysis.py on the seeds gold set.

Checks that it runs (exit 0), prints a heading for every cause it counts, and that
its counts add up to the official scorer's: missed events = fn, spurious = fp, place
misses = places fn, spurious places = places fp. The scorer is also run on its own
(score.py --json on a fresh `sitrep extract`), so the tool cannot drift from it.
Exits 77 (skipped) when ../shared is absent.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("SITREP_SOURCE") or os.path.normpath(os.path.join(HERE, "../.."))
SHARED = os.environ.get("SITREP_SHARED") or os.path.normpath(os.path.join(SOURCE, "../shared"))
BIN = os.environ.get("SITREP_BIN") or os.path.join(SOURCE, "build", "sitrep")
TOOL = os.path.join(SOURCE, "tools", "error_analysis.py")


def tool(*args):
    return subprocess.run([sys.executable, TOOL, "--bin", BIN, "--shared", SHARED, *args],
                          capture_output=True, text=True, timeout=600)


class ErrorAnalysisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        r = tool("--set", "seeds", "--json")
        assert r.returncode == 0, r.stderr
        cls.summary = json.loads(r.stdout)
        r = tool("--set", "seeds")
        assert r.returncode == 0, r.stderr
        cls.text = r.stdout

    def test_counts_add_up_to_the_scorer(self):
        s = self.summary["sets"]["seeds"]
        self.assertNotIn("error", s)
        ev, pl, c = s["scores"]["events_strict"], s["scores"]["places"], s["causes"]
        self.assertEqual(sum(c["missed"].values()), ev["fn"])
        self.assertEqual(sum(c["spurious"].values()), ev["fp"])
        self.assertEqual(sum(v for k, v in c["places"].items() if k != "spurious place"), pl["fn"])
        self.assertEqual(c["places"].get("spurious place", 0), pl["fp"])
        self.assertEqual(s["counts"]["missed"], ev["fn"])
        self.assertEqual(len([i for i in s["items"] if i["section"] == "spurious"]), ev["fp"])

    def test_scores_are_the_official_scorers(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "seeds.jsonl")
            r = subprocess.run([BIN, "extract", os.path.join(SHARED, "data", "seeds"), "-o", out, "-q"],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = subprocess.run([sys.executable, os.path.join(SHARED, "eval", "score.py"),
                                os.path.join(SHARED, "eval", "dev", "seeds.gold.jsonl"), out, "--json"],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            official = json.loads(r.stdout)
        ours = self.summary["sets"]["seeds"]["scores"]
        for key in ("events_strict", "events_family", "places"):
            self.assertEqual(ours[key], official[key], key)
        for key in ("status_accuracy", "published_accuracy", "quantities_recall"):
            self.assertEqual(ours[key], official[key], key)

    def test_prints_every_cause_and_the_scores(self):
        self.assertIn("events strict", self.text)
        self.assertIn("=== totals per cause", self.text)
        for section, causes in self.summary["sets"]["seeds"]["causes"].items():
            for cause, n in causes.items():
                self.assertIn(f"### {cause} ({n})", self.text)
                self.assertIn(f"{section}: {cause}", self.text)

    def test_one_document(self):
        doc = "000"
        r = tool("--doc", doc, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        self.assertEqual(list(s["sets"]), ["seeds"])
        self.assertTrue(all(i["doc"].startswith(doc) for i in s["sets"]["seeds"]["items"]))

    def test_usage_errors_and_absent_shared(self):
        self.assertEqual(tool("--set", "no-such-set").returncode, 2)
        self.assertEqual(tool("--doc", "no-such-document").returncode, 2)
        r = subprocess.run([sys.executable, TOOL, "--shared", os.path.join(HERE, "no-such-shared")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0)
        self.assertIn("skipped", r.stdout)


if __name__ == "__main__":
    if not os.path.isdir(os.path.join(SHARED, "eval", "dev")) or \
            not os.path.isdir(os.path.join(SHARED, "data", "seeds")):
        print(f"skipped: {SHARED} not present")
        sys.exit(77)
    unittest.main()
