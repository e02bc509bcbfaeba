#!/usr/bin/env python3
"""The sitrep command as a user meets it: help, inputs, formats, errors, exit codes."""
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("SITREP_BIN", "build/sitrep")
SOURCE = os.environ.get("SITREP_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
EXAMPLES = os.path.join(SOURCE, "examples")

ARTICLE = ("KYIV, June 3 (Reuters) - Russian forces shelled Kupiansk overnight, the regional "
           "governor said. Ukrainian troops recaptured the village of Synkivka.\n")


def run(args, stdin=None):
    return subprocess.run([BIN] + args, input=stdin, capture_output=True, text=True, timeout=300)


def records(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class Help(unittest.TestCase):
    def test_every_command_has_help_with_examples(self):
        for args in (["--help"], ["extract", "--help"], ["gazetteer", "--help"]):
            r = run(args)
            self.assertEqual(r.returncode, 0, args)
            self.assertIn("Examples", r.stdout, args)
        for args in (["fuse", "--help"], ["control", "--help"]):
            r = run(args)
            self.assertEqual(r.returncode, 0, args)
            self.assertIn("Example", r.stdout, args)

    def test_unknown_option_is_a_usage_error(self):
        r = run(["extract", "--no-such-flag", EXAMPLES])
        self.assertNotEqual(r.returncode, 0)


class Extract(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_examples_to_jsonl_and_sqlite(self):
        out, db = self.path("new/events.jsonl"), self.path("new/sitrep.db")
        r = run(["extract", EXAMPLES, "-o", out, "--db", db])
        self.assertEqual(r.returncode, 0, r.stderr)
        recs = records(open(out).read())
        docs = [x for x in recs if x["kind"] == "document"]
        events = [x for x in recs if x["kind"] == "event"]
        self.assertGreaterEqual(len(docs), 6)
        self.assertGreater(len(events), 5)
        # The empty JSONL record is reported with its file and line and skipped.
        self.assertIn("wire.jsonl:4", r.stderr)
        self.assertIn("events:", r.stderr)  # the human summary
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT count(*) FROM events").fetchone()[0], len(events))
        # Re-running does not duplicate rows.
        r = run(["extract", EXAMPLES, "-o", out, "--db", db, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(con.execute("SELECT count(*) FROM events").fetchone()[0], len(events))

    def test_stdin(self):
        r = run(["extract", "-", "-q"], stdin=ARTICLE)
        self.assertEqual(r.returncode, 0, r.stderr)
        recs = records(r.stdout)
        self.assertEqual(recs[0]["kind"], "document")
        types = {(e["type"], e["actor"]["side"]) for e in recs if e["kind"] == "event"}
        self.assertIn(("shelling", "RU"), types)
        self.assertIn(("recapture", "UA"), types)

    def test_threads_keep_input_order_and_results(self):
        one = run(["extract", EXAMPLES, "-j", "1", "-q"])
        two = run(["extract", EXAMPLES, "-j", "2", "-q"])
        self.assertEqual(one.returncode, 0, one.stderr)
        self.assertEqual(one.stdout, two.stdout)

    def test_malformed_jsonl_line_is_reported_and_the_run_goes_on(self):
        src = self.path("corpus.jsonl")
        with open(src, "w") as f:
            f.write(json.dumps({"id": "a", "text": ARTICLE}) + "\n")
            f.write("{not json\n")
            f.write(json.dumps({"id": "b", "text": ARTICLE}) + "\n")
        r = run(["extract", src, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("corpus.jsonl:2:", r.stderr)
        ids = [x["doc_id"] for x in records(r.stdout) if x["kind"] == "document"]
        self.assertEqual(ids, ["a", "b"])

    def test_nothing_readable_exits_non_zero(self):
        r = run(["extract", self.path("missing.txt"), "-q"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing.txt", r.stderr)

    def test_unwritable_output_fails_and_keeps_the_old_file(self):
        out = self.path("keep.jsonl")
        with open(out, "w") as f:
            f.write("old\n")
        # A path below a regular file can never be written.
        r = run(["extract", EXAMPLES, "-o", os.path.join(out, "x.jsonl"), "-q"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("keep.jsonl", r.stderr)
        if os.path.exists("/dev/full"):
            r = run(["extract", EXAMPLES, "-q"], stdin=None)
            full = subprocess.run(f"{BIN} extract {EXAMPLES} -q > /dev/full", shell=True,
                                  capture_output=True, text=True)
            self.assertEqual(full.returncode, 1, full.stderr)
            self.assertIn("cannot write", full.stderr)
        self.assertEqual(open(out).read(), "old\n")

    def test_a_device_or_pipe_output_is_written_in_place_not_replaced(self):
        # `-o /dev/null` once renamed a temporary file over /dev/null (as root: the device
        # became a regular file). A named pipe stands for any such file here.
        import stat
        import threading
        fifo = self.path("pipe")
        for args in (["extract", EXAMPLES, "-q"], ["extract", EXAMPLES, "--fuse", "-q"]):
            os.mkfifo(fifo)
            got = []
            reader = threading.Thread(target=lambda: got.append(open(fifo).read()), daemon=True)
            reader.start()
            r = run(args + ["-o", fifo])
            reader.join(timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode), args)
            self.assertTrue(any(x["kind"] == "event" for x in records(got[0])), args)
            self.assertEqual([f for f in os.listdir(self.dir) if f != "pipe"], [], args)
            os.remove(fifo)

    def test_csv_and_geojson(self):
        r = run(["extract", EXAMPLES, "--format", "csv", "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        self.assertTrue(rows)
        self.assertIn("event_type", rows[0])
        self.assertIn("latitude", rows[0])
        gj = self.path("events.geojson")
        r = run(["extract", EXAMPLES, "-o", gj, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        fc = json.load(open(gj))
        self.assertEqual(fc["type"], "FeatureCollection")
        self.assertTrue(all(f["geometry"]["type"] == "Point" for f in fc["features"]))


CAPTURE = "date 2022-06-20\n\nRussian forces captured Kupiansk on Sunday, June 19, 2022, officials said.\n"
RETAKE = "date 2022-09-11\n\nUkrainian troops recaptured Kupiansk on Saturday, September 10, 2022.\n"


class Fuse(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        for name, text in (("a.txt", CAPTURE), ("b.txt", RETAKE), ("c.txt", CAPTURE.replace("officials", "the governor"))):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)
        self.events = os.path.join(self.dir, "events.jsonl")
        r = run(["extract", self.dir, "-o", self.events, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        self.tmp.cleanup()

    def test_fuse_writes_clusters_control_and_every_input_record(self):
        out = os.path.join(self.dir, "fused.jsonl")
        r = run(["fuse", self.events, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("clusters", r.stderr)  # the summary
        recs = records(open(out).read())
        inputs = records(open(self.events).read())
        self.assertEqual(sum(x["kind"] == "event" for x in recs), sum(x["kind"] == "event" for x in inputs))
        clusters = {x["id"]: x for x in recs if x["kind"] == "cluster"}
        events = [x for x in recs if x["kind"] == "event"]
        self.assertTrue(all(e["cluster"] in clusters for e in events))
        captures = [c for c in clusters.values() if c["type"] == "capture"]
        self.assertEqual(len(captures), 1, captures)
        self.assertEqual(sorted(captures[0]["docs"]), ["a", "c"])
        for key in ("members", "docs", "sources", "independent_sources", "status", "contradicts", "time", "location"):
            self.assertIn(key, captures[0])
        control = [x for x in recs if x["kind"] == "control" and x["settlement"]["name"] == "Kupiansk"]
        self.assertEqual([(k["side"], k["from"]) for k in control], [("RU", "2022-06-19"), ("UA", "2022-09-10")])
        docs = [x for x in recs if x["kind"] == "document"]
        self.assertTrue(all(any(s["id"] == "corroboration" for s in d["credibility"]["signals"]) for d in docs))
        # Fusing the fused output again gives the same clusters, not doubled ones.
        again = run(["fuse", out])
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(sum(x["kind"] == "cluster" for x in records(again.stdout)), len(clusters))

    def test_bad_lines_on_stdin_are_named_by_line_and_skipped(self):
        text = open(self.events).read()
        lines = text.splitlines()
        r = run(["fuse", "-", "-q", "--window-days", "7"], stdin="\n".join(lines[:1] + ["not json"] + lines[1:]) + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("sitrep fuse: -:2: not a JSON record, skipped", r.stderr)
        recs = records(r.stdout)
        self.assertEqual(sum(x["kind"] == "event" for x in recs), sum(1 for l in lines if '"kind":"event"' in l))
        self.assertEqual(recs[-1]["kind"], "control")  # control records come last

    def test_control_prints_who_held_what_on_a_day(self):
        r = run(["control", "--date", "2022-07-01", self.events])
        self.assertEqual(r.returncode, 0, r.stderr)
        line = next(l for l in r.stdout.splitlines() if l.startswith("Kupiansk"))
        self.assertIn(" RU ", line)
        self.assertIn("2022-06-19", line)
        self.assertTrue(any(l.startswith("Donetsk ") and " RU " in l for l in r.stdout.splitlines()))
        r = run(["control", "--date", "2022-10-01", "--place", "Kup", self.events])
        self.assertIn(" UA ", r.stdout.splitlines()[-1])
        bad = run(["control", "--date", "yesterday", self.events])
        self.assertEqual(bad.returncode, 2)

    def test_extract_fuse_in_one_run(self):
        out = os.path.join(self.dir, "fused.jsonl")
        r = run(["extract", self.dir, "--fuse", "-o", out, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        recs = records(open(out).read())
        self.assertTrue(any(x["kind"] == "cluster" for x in recs))
        self.assertTrue(all("cluster" in x for x in recs if x["kind"] == "event"))
        self.assertFalse([f for f in os.listdir(self.dir) if ".tmp-" in f], "no temporary file left")
        bad = run(["extract", self.dir, "--fuse", "--format", "csv", "-q"])
        self.assertEqual(bad.returncode, 2)

    def test_a_database_is_fused_when_written(self):
        db = os.path.join(self.dir, "sitrep.db")
        r = run(["extract", self.dir, "--db", db, "-o", os.devnull, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(db)
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        self.assertEqual(con.execute("SELECT count(*) FROM cluster_members").fetchone()[0], n_events)
        row = con.execute("SELECT json FROM clusters WHERE type = 'capture'").fetchone()
        self.assertEqual(sorted(json.loads(row[0])["docs"]), ["a", "c"])
        sides = con.execute("SELECT side, \"from\" FROM control WHERE name = 'Kupiansk' ORDER BY \"from\"").fetchall()
        self.assertEqual(sides, [("RU", "2022-06-19"), ("UA", "2022-09-10")])
        clusters = con.execute("SELECT count(*) FROM clusters").fetchone()[0]
        for (j, score) in con.execute("SELECT json, credibility_score FROM documents"):
            cred = json.loads(j)["credibility"]
            self.assertTrue(any(s["id"] == "corroboration" for s in cred["signals"]))
            self.assertAlmostEqual(cred["score"], score, places=3)
        con.close()
        # Fusing again replaces the fusion rather than adding to it.
        r = run(["fuse", "--db", db, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT count(*) FROM clusters").fetchone()[0], clusters)
        con.close()
        r = run(["control", "--date", "2022-07-01", "--db", db, "--place", "Kup"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(" RU ", r.stdout.splitlines()[-1])
        self.assertEqual(run(["fuse", "--db", db, self.events]).returncode, 2)

    def test_adding_articles_to_a_database_fuses_only_what_they_touch_and_agrees_with_a_full_fusion(self):
        db = os.path.join(self.dir, "inc.db")
        first, second = os.path.join(self.dir, "june"), os.path.join(self.dir, "september")
        os.makedirs(first)
        os.makedirs(second)
        for name, text, where in (("a.txt", CAPTURE, first), ("c.txt", CAPTURE.replace("officials", "the governor"), first),
                                  ("b.txt", RETAKE, second)):
            with open(os.path.join(where, name), "w") as f:
                f.write(text)
        for folder in (first, second):
            r = run(["extract", folder, "--db", db, "-o", os.devnull])
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("from 1 documents fused in 1 clusters", r.stderr)  # only its own days

        def state():
            con = sqlite3.connect(db)
            clusters = sorted((json.loads(j)["id"], tuple(sorted(json.loads(j)["docs"])))
                              for (j,) in con.execute("SELECT json FROM clusters"))
            members = con.execute("SELECT count(*) FROM cluster_members").fetchone()[0]
            control = sorted(con.execute("SELECT name, side, \"from\" FROM control"))
            con.close()
            return clusters, members, control
        incremental = state()
        self.assertIn(("Kupiansk", "UA", "2022-09-10"), incremental[2])
        self.assertIn(("Kupiansk", "RU", "2022-06-19"), incremental[2])
        r = run(["fuse", "--db", db, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(state(), incremental)

    def test_a_bad_line_is_reported_and_skipped(self):
        broken = os.path.join(self.dir, "broken.jsonl")
        with open(broken, "w") as f:
            f.write(open(self.events).read() + "{not json\n")
        r = run(["fuse", broken, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("broken.jsonl:", r.stderr)
        self.assertTrue(any(x["kind"] == "cluster" for x in records(r.stdout)))


ARTICLES = (
    "KYIV, June 3 (Reuters) - Russian forces shelled Kupiansk overnight, the regional governor said.\n",
    "KHARKIV, May 12 (Reuters) - Russian troops withdrew from the villages north of Kharkiv, "
    "Ukraine's General Staff said on Thursday.\n",
    "ODESA, July 20 - A Russian missile strike hit the port of Odesa overnight, the governor said.\n",
)


def slurp(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def dump(db):
    """Every row of the document tables with its rowid: a row written again gets a new one."""
    con = sqlite3.connect(db)
    rows = [con.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
            for t in ("documents", "events", "places", "quantities", "clusters", "cluster_members")]
    con.close()
    return rows


class Incremental(unittest.TestCase):
    """Re-runs skip the documents stored unchanged (same content, same data version)."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.input = os.path.join(self.dir, "in")
        os.makedirs(self.input)
        for i, text in enumerate(ARTICLES):
            self.write(i, text)
        self.out = os.path.join(self.dir, "events.jsonl")
        self.db = os.path.join(self.dir, "sitrep.db")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, i, text):
        with open(os.path.join(self.input, f"a{i}.txt"), "w") as f:
            f.write(text)

    def extract(self, *extra):
        r = run(["extract", self.input, "-o", self.out, "--db", self.db] + list(extra))
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def test_a_rerun_skips_every_document_and_keeps_the_outputs_as_they_were(self):
        first = self.extract()
        self.assertIn("sitrep: 3 documents", first.stderr)
        self.assertNotIn("unchanged", first.stderr)
        jsonl, rows = slurp(self.out, "rb"), dump(self.db)
        docs = [x for x in records(jsonl.decode()) if x["kind"] == "document"]
        self.assertTrue(all(len(d["content_hash"]) == 16 and len(d["data_version"]) == 16 for d in docs))
        again = self.extract()
        self.assertIn("sitrep: 0 documents", again.stderr)
        self.assertIn("3 unchanged, skipped", again.stderr)
        self.assertEqual(dump(self.db), rows, "no row written again")
        self.assertEqual(slurp(self.out, "rb"), jsonl, "the file's lines copied as they were")
        forced = self.extract("--force")
        self.assertIn("sitrep: 3 documents", forced.stderr)
        self.assertNotIn("unchanged", forced.stderr)
        self.assertNotEqual(dump(self.db), rows)
        self.assertEqual(slurp(self.out, "rb"), jsonl, "the same records, extracted again")

    def test_a_changed_article_alone_is_extracted_again(self):
        self.extract()
        before = {x["doc_id"]: x for x in records(slurp(self.out)) if x["kind"] == "document"}
        self.write(1, ARTICLES[1] + "Russian forces shelled Vovchansk, the governor said.\n")
        r = self.extract()
        self.assertIn("sitrep: 1 documents", r.stderr)
        self.assertIn("2 unchanged, skipped", r.stderr)
        recs = records(slurp(self.out))
        after = {x["doc_id"]: x for x in recs if x["kind"] == "document"}
        self.assertEqual([x["doc_id"] for x in recs if x["kind"] == "document"], ["a0", "a1", "a2"])
        self.assertEqual(after["a0"], before["a0"])
        self.assertNotEqual(after["a1"]["content_hash"], before["a1"]["content_hash"])
        self.assertTrue(any(e["doc_id"] == "a1" and e["locations"] and e["locations"][0]["name"] == "Vovchansk"
                            for e in recs if e["kind"] == "event"))
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT content_hash FROM documents WHERE doc_id = 'a1'").fetchone()[0],
                         after["a1"]["content_hash"])
        con.close()

    def test_changed_knowledge_extracts_everything_again(self):
        import shutil
        self.extract()
        data = os.path.join(self.dir, "data")
        shutil.copytree(os.path.join(SOURCE, "data"), data)
        with open(os.path.join(data, "lexicons", "weapons.tsv"), "a") as f:
            f.write("# a line added by cli_test\n")
        r = self.extract("--data", data)
        self.assertIn("sitrep: 3 documents", r.stderr)
        self.assertNotIn("unchanged", r.stderr)
        versions = {x["data_version"] for x in records(slurp(self.out)) if x["kind"] == "document"}
        self.assertEqual(len(versions), 1)
        self.assertIn("3 unchanged, skipped", self.extract("--data", data).stderr)

    def test_a_json_lines_file_alone_with_incremental(self):
        r = run(["extract", self.input, "-o", self.out, "--incremental"])
        self.assertEqual(r.returncode, 0, r.stderr)
        jsonl = slurp(self.out, "rb")
        r = run(["extract", self.input, "-o", self.out, "--incremental"])
        self.assertIn("3 unchanged, skipped", r.stderr)
        self.assertEqual(slurp(self.out, "rb"), jsonl)
        # Without it a file is written whole, as always.
        r = run(["extract", self.input, "-o", self.out])
        self.assertIn("sitrep: 3 documents", r.stderr)
        self.assertEqual(slurp(self.out, "rb"), jsonl)
        # Nothing to keep on a stream, or in a CSV file.
        self.assertEqual(run(["extract", self.input, "--incremental", "-q"]).returncode, 2)
        self.assertEqual(run(["extract", self.input, "-o", self.path("e.csv"), "--incremental"]).returncode, 2)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_other_outputs_of_a_database_run(self):
        self.extract()
        # A stream carries what the run extracted: nothing, here.
        r = run(["extract", self.input, "--db", self.db])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("3 unchanged, skipped", r.stderr)
        # A CSV file cannot be kept whole by copying: everything is extracted, and it says so.
        csv_out = self.path("events.csv")
        r = run(["extract", self.input, "--db", self.db, "-o", csv_out])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("every document extracted again", r.stderr)
        self.assertIn("sitrep: 3 documents", r.stderr)
        self.assertGreater(len(slurp(csv_out).splitlines()), 1)
        # A new -o file has no lines to copy: its documents are extracted.
        other = self.path("other.jsonl")
        r = run(["extract", self.input, "--db", self.db, "-o", other])
        self.assertIn("sitrep: 3 documents", r.stderr)
        self.assertEqual(slurp(other), slurp(self.out))

    def test_a_version_2_database_is_brought_up_to_date_and_extracted_again(self):
        self.extract()
        con = sqlite3.connect(self.db)
        con.executescript("ALTER TABLE documents DROP COLUMN content_hash;"
                          "ALTER TABLE documents DROP COLUMN data_version;"
                          "UPDATE meta SET value = '2' WHERE key = 'schema_version';")
        con.close()
        r = self.extract()
        self.assertIn("sitrep: 3 documents", r.stderr, "what they were extracted with is not known")
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0], "3")
        self.assertEqual(con.execute("SELECT count(*) FROM documents WHERE content_hash IS NOT NULL").fetchone()[0], 3)
        con.close()
        self.assertIn("3 unchanged, skipped", self.extract().stderr)


def jsonl_doc(i, pad=0):
    text = ARTICLES[i % len(ARTICLES)] + ("The situation remained tense. " * pad)
    return json.dumps({"id": f"d{i}", "text": text}) + "\n"


class Filter(unittest.TestCase):
    """extract - -q as a streaming filter (Spark's RDD.pipe, Hadoop Streaming): records
    come out as documents are done, while stdin stays open."""

    def start(self, *extra):
        import queue
        import threading
        proc = subprocess.Popen([BIN, "extract", "-", "-q"] + list(extra), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()

        def pump():
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)
        threading.Thread(target=pump, daemon=True).start()

        def stop():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for f in (proc.stdin, proc.stdout, proc.stderr):
                f.close()
        self.addCleanup(stop)
        return proc, lines

    def next_record(self, lines, deadline, what):
        import queue
        import time
        try:
            line = lines.get(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            self.fail(f"no {what} while stdin is open")
        self.assertIsNotNone(line, f"stdout closed before {what}")
        return json.loads(line)  # nothing but records on stdout

    def wait_for(self, lines, doc_id, timeout=60):
        """Reads up to doc_id's document record and then its events; fails after timeout."""
        import time
        deadline = time.time() + timeout
        while True:
            rec = self.next_record(lines, deadline, f"record of {doc_id} within {timeout} s")
            if rec["kind"] == "document" and rec["doc_id"] == doc_id:
                break
        for _ in range(rec["events"]):
            event = self.next_record(lines, deadline, f"event of {doc_id} within {timeout} s")
            self.assertEqual((event["kind"], event["doc_id"]), ("event", doc_id))
        return rec

    def feed(self, *extra):
        proc, lines = self.start(*extra)
        # The read stage decides the input's format on its first 4 KB (or the end): a
        # first write that long, then one document at a time, each answered in full before
        # the next goes in.
        first = "".join(jsonl_doc(i, pad=50) for i in range(3))
        self.assertGreater(len(first), 4096)
        proc.stdin.write(first)
        proc.stdin.flush()
        self.wait_for(lines, "d2")
        for i in range(3, 7):
            proc.stdin.write(jsonl_doc(i))
            proc.stdin.flush()
            self.assertGreater(self.wait_for(lines, f"d{i}")["events"], 0)
        proc.stdin.close()
        self.assertIsNone(lines.get(timeout=60), "nothing more after the end of the input")
        self.assertEqual(proc.wait(timeout=60), 0)
        self.assertEqual(proc.stderr.read(), "", "-q: nothing on stderr")

    def test_records_come_out_while_the_input_stalls_on_one_thread(self):
        self.feed("-j", "1")

    def test_records_come_out_while_the_input_stalls_on_several_threads(self):
        self.feed("-j", "3")

    def test_an_empty_input_is_no_error(self):
        r = run(["extract", "-", "-q"], stdin="")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")

    def test_the_first_short_document_comes_out_before_stdin_closes(self):
        # The read stage decides stdin's format from what has arrived (reader.cc:
        # SniffHead), not after 4 KB or the end of the input.
        proc, lines = self.start()
        proc.stdin.write(jsonl_doc(0))
        proc.stdin.flush()
        self.wait_for(lines, "d0", timeout=10)

if __name__ == "__main__":
    unittest.main(verbosity=2)
