#!/usr/bin/env python3
"""Tests of the Python module `sitrep` (src/python/sitrep_module.cc).

Run by ctest (test python_module) with PYTHONPATH at the built module, SITREP_DATA and
SITREP_GAZETTEER at the source tree's data/ and the built gazetteer, and SITREP_BIN at
the built `sitrep` command, whose output the module's must equal.
"""
import concurrent.futures
import datetime
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import unittest

import sitrep

KHERSON = ("Russian forces withdrew from Kherson on Friday, "
           "Ukraine's defence ministry said.")
CORPUS = pathlib.Path(__file__).resolve().parents[2] / "examples" / "dask" / "corpus.jsonl"


def cli(stdin: str, *args: str) -> str:
    """`sitrep extract - -q` over stdin: its JSON Lines output."""
    binary = os.environ.get("SITREP_BIN", "sitrep")
    done = subprocess.run([binary, "extract", "-", "-q", *args], input=stdin.encode(),
                          capture_output=True, check=True)
    return done.stdout.decode()


def corpus_lines():
    return CORPUS.read_text(encoding="utf-8").splitlines()


class ExtractTest(unittest.TestCase):
    def test_document_then_events(self):
        records = sitrep.extract(KHERSON, published="2022-11-12", doc_id="kherson")
        self.assertEqual(records[0]["kind"], "document")
        self.assertEqual(records[0]["doc_id"], "kherson")
        self.assertEqual(records[0]["published"]["value"], "2022-11-12")
        self.assertEqual(records[0]["published"]["basis"], "metadata")
        events = records[1:]
        self.assertEqual(records[0]["events"], len(events))
        self.assertTrue(all(e["kind"] == "event" and e["doc_id"] == "kherson" for e in events))
        withdrawal = [e for e in events if e["type"] == "withdrawal"]
        self.assertEqual(len(withdrawal), 1, events)
        event = withdrawal[0]
        self.assertEqual(event["id"], "kherson#1")
        self.assertEqual(event["actor"]["side"], "RU")
        places = {loc["name"]: loc for loc in event["locations"]}
        self.assertIn("Kherson", places)
        self.assertEqual(places["Kherson"]["country"], "UA")
        self.assertAlmostEqual(places["Kherson"]["lat"], 46.64, delta=0.1)
        self.assertAlmostEqual(places["Kherson"]["lon"], 32.61, delta=0.1)
        self.assertEqual(event["time"]["value"], "2022-11-11")  # the Friday before
        begin, end = event["evidence"]["trigger_span"]
        self.assertEqual(KHERSON.encode()[begin:end].decode(), event["evidence"]["trigger"])

    def test_fields_reach_the_document(self):
        doc = sitrep.extract(KHERSON, published=datetime.date(2022, 11, 12), title="Retreat",
                             url="https://news.example/a")[0]
        self.assertEqual(doc["title"], "Retreat")
        self.assertEqual(doc["url"], "https://news.example/a")
        self.assertEqual(doc["published"]["value"], "2022-11-12")
        # No id, no line: an id from the text, the same every time; no source, no line.
        self.assertRegex(doc["doc_id"], r"^doc-[0-9a-f]{16}$")
        self.assertEqual(doc["doc_id"], sitrep.extract(KHERSON)[0]["doc_id"])
        self.assertIsNone(doc["source"])
        self.assertIsNone(doc["line"])
        doc = sitrep.extract(KHERSON, source="feeds/wire.jsonl", line_number=7)[0]
        self.assertEqual((doc["doc_id"], doc["source"], doc["line"]),
                         ("wire-7", "feeds/wire.jsonl", 7))

    def test_raw_is_the_jsonl_text(self):
        text = sitrep.extract(KHERSON, published="2022-11-12", raw=True)
        self.assertIsInstance(text, str)
        self.assertTrue(text.endswith("\n"))
        self.assertEqual([json.loads(line) for line in text.splitlines()],
                         sitrep.extract(KHERSON, published="2022-11-12"))


class SameAsCliTest(unittest.TestCase):
    """The module's records are the command's, for the same JSONL record."""

    def test_extract_equals_cli(self):
        line = json.dumps({"id": "k1", "published": "2022-11-12", "title": "Kherson",
                           "text": KHERSON})
        want = [json.loads(l) for l in cli(line + "\n").splitlines()]
        got = sitrep.extract(KHERSON, published="2022-11-12", title="Kherson", doc_id="k1",
                             source="-", line_number=1)
        self.assertEqual(got, want)
        self.assertGreater(len(got), 1)
        # Without an id both name it after stdin and the line.
        want = [json.loads(l) for l in cli(json.dumps({"text": KHERSON}) + "\n").splitlines()]
        self.assertEqual(want[0]["doc_id"], "stdin-1")
        self.assertEqual(sitrep.extract(KHERSON, source="-", line_number=1), want)

    def test_corpus_byte_for_byte(self):
        """Every line of a corpus through extract_jsonl equals the command over the file."""
        lines = corpus_lines()
        want = cli("\n".join(lines) + "\n")
        got, errors = [], []
        for number, line in enumerate(lines, 1):
            try:
                got.append(sitrep.extract_jsonl(line, source="-", line_number=number, raw=True))
            except ValueError as e:
                errors.append(str(e))
        self.assertEqual("".join(got), want)
        self.assertEqual(errors, ["-:9: empty document"])  # the command skips it too


class ThreadsTest(unittest.TestCase):
    def test_threads_give_the_serial_results(self):
        # The corpus's documents, each also 30 times as long (so that the threads' work
        # outweighs starting them), three times over.
        lines = []
        for line in corpus_lines():
            record = json.loads(line)
            if record["text"].strip():
                lines.append(line)
                record["text"] = "\n".join([record["text"]] * 30)
                lines.append(json.dumps(record))
        lines *= 3
        serial = [sitrep.extract_jsonl(l, line_number=i + 1) for i, l in enumerate(lines)]
        start = time.perf_counter()
        for i, l in enumerate(lines):
            sitrep.extract_jsonl(l, line_number=i + 1)
        serial_s = time.perf_counter() - start
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            parallel = list(pool.map(lambda a: sitrep.extract_jsonl(a[1], line_number=a[0] + 1),
                                     enumerate(lines)))
        parallel_s = time.perf_counter() - start
        self.assertEqual(parallel, serial)
        # Reported, never asserted: how much the threads overlapped on this machine.
        print(f"\n  {len(lines)} documents: serial {serial_s:.3f} s, 4 threads "
              f"{parallel_s:.3f} s (x{serial_s / max(parallel_s, 1e-9):.2f}, "
              f"{os.cpu_count()} cores)")

    def test_first_use_from_many_threads(self):
        """In a fresh process, threads that all call extract first load one pipeline."""
        script = (
            "import concurrent.futures, sitrep\n"
            "assert sitrep.paths() is None\n"
            f"text = {KHERSON!r}\n"
            "with concurrent.futures.ThreadPoolExecutor(8) as pool:\n"
            "    results = list(pool.map(lambda i: sitrep.extract(text, doc_id='t'), range(8)))\n"
            "assert all(r == results[0] for r in results) and len(results[0]) > 1\n"
            "print(sitrep.paths()['gazetteer'])\n")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), os.environ["SITREP_GAZETTEER"])

    def test_gil_released_while_extracting(self):
        """While one thread is inside extract, another runs Python.

        The switch interval is made long (1 s): a thread holding the GIL keeps it that long
        before it has to hand it over, 20 times what this extraction takes. So the spinner
        counts during the call only if the call itself lets the GIL go; held, it counts 0.
        """
        text = (KHERSON + "\n") * 1000
        sitrep.extract(text)  # loaded and warm
        ticks = 0
        stop = threading.Event()

        def spin():
            nonlocal ticks
            while not stop.is_set():
                ticks += 1

        spinner = threading.Thread(target=spin)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1.0)
        try:
            spinner.start()
            before = ticks
            sitrep.extract(text)
            during = ticks - before
        finally:
            stop.set()
            spinner.join()
            sys.setswitchinterval(interval)
        self.assertGreater(during, 0)


class BadInputTest(unittest.TestCase):
    def test_text_must_be_str(self):
        for bad in (b"Russian forces withdrew.", 42, None, ["text"]):
            with self.assertRaises(TypeError, msg=repr(bad)) as caught:
                sitrep.extract(bad)
            self.assertIn("text must be a str", str(caught.exception))

    def test_fields_must_be_str(self):
        with self.assertRaises(TypeError):
            sitrep.extract(KHERSON, title=3)
        with self.assertRaises(TypeError):
            sitrep.extract(KHERSON, published=20221112)
        with self.assertRaises(TypeError):
            sitrep.extract(KHERSON, line_number="1")
        with self.assertRaises(ValueError):
            sitrep.extract(KHERSON, line_number=0)
        with self.assertRaises(TypeError):
            sitrep.extract_jsonl(42)

    def test_empty_text_is_an_error(self):
        """As the command reports an empty record and skips it: ValueError."""
        for empty in ("", "  \n\t "):
            with self.assertRaises(ValueError) as caught:
                sitrep.extract(empty)
            self.assertEqual(str(caught.exception), "empty document")
        with self.assertRaises(ValueError) as caught:
            sitrep.extract("", source="corpus.jsonl", line_number=4)
        self.assertEqual(str(caught.exception), "corpus.jsonl:4: empty document")

    def test_bad_jsonl(self):
        for line, reason in (('{"text": ', "invalid JSON"), ("[1]", "not a JSON object"),
                             ('{"title": "x"}', 'no "text" field'),
                             ('{"text": 3}', '"text" is not a string')):
            with self.assertRaises(ValueError) as caught:
                sitrep.extract_jsonl(line)
            self.assertIn(reason, str(caught.exception))

    def test_bytes_line_repaired_as_the_command_does(self):
        line = b'{"id": "b1", "text": "Russian forces withdrew from Kherson \xff on Friday."}'
        doc = sitrep.extract_jsonl(line)[0]
        self.assertEqual(doc["encoding"], "windows-1252")  # a lone 0xFF: legacy text
        line = line.replace(b"Kherson", "Херсон".encode())  # now damaged UTF-8
        doc = sitrep.extract_jsonl(line)[0]
        self.assertEqual((doc["encoding"], doc["invalid_bytes"]), ("utf-8", 1))
        want = json.loads(subprocess.run(
            [os.environ.get("SITREP_BIN", "sitrep"), "extract", "-", "-q"], input=line + b"\n",
            capture_output=True, check=True).stdout.decode().splitlines()[0])
        self.assertEqual(sitrep.extract_jsonl(line, source="-", line_number=1)[0], want)


class LoadTest(unittest.TestCase):
    def test_paths_and_a_failed_load(self):
        sitrep.extract(KHERSON)  # loaded on first use
        paths = sitrep.paths()
        self.assertEqual(paths["data"], os.environ["SITREP_DATA"])
        self.assertEqual(paths["gazetteer"], os.environ["SITREP_GAZETTEER"])
        with self.assertRaises(RuntimeError) as caught:
            sitrep.load(gazetteer="/nonexistent/sitrep.gaz")
        self.assertIn("/nonexistent/sitrep.gaz", str(caught.exception))
        # The pipeline loaded before stays in use.
        self.assertEqual(sitrep.paths(), paths)
        self.assertGreater(len(sitrep.extract(KHERSON)), 1)
        self.assertEqual(sitrep.load(data=paths["data"], gazetteer=paths["gazetteer"]), paths)


if __name__ == "__main__":
    unittest.main(verbosity=2)
