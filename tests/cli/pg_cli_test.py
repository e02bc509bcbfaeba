#!/usr/bin/env python3
"""sitrep with PostgreSQL, as a team uses it: `export` of SQLite files, `extract --db URL`,
`serve --db URL`. Needs the throw-away server of scripts/pg-test-server (ctest's fixture
"pg" starts it and names its URL file in SITREP_PG_URL_FILE); exits 77 (skipped) when
there is none because PostgreSQL or PostGIS is not installed."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BIN = os.environ.get("SITREP_BIN", "build/sitrep")
SOURCE = os.environ.get("SITREP_SOURCE", os.path.join(os.path.dirname(__file__), "../.."))
EXAMPLES = os.path.join(SOURCE, "examples")
PSQL = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"


def server_url():
    path = os.environ.get("SITREP_PG_URL_FILE", "")
    if path and os.path.exists(path):
        return open(path).read().strip()
    return ""


def run(args, env=None):
    return subprocess.run([BIN] + args, capture_output=True, text=True, timeout=600, env=env)


def psql(url, sql):
    r = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"psql {sql}: {r.stderr}")
    return r.stdout.strip()


def with_database(url, name):
    return url[:url.rfind("/")] + "/" + name


TABLES = ("documents", "events", "places", "quantities")


class PostgresCli(unittest.TestCase):
    """Each test gets fresh databases, copies of sitrep_test (which has postgis)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.sqlite = os.path.join(cls.tmp.name, "sitrep.db")
        r = run(["extract", EXAMPLES, "-o", os.path.join(cls.tmp.name, "events.jsonl"),
                 "--db", cls.sqlite, "-q"])
        assert r.returncode == 0, r.stderr
        cls.counts = {t: sqlite3.connect(cls.sqlite).execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in TABLES}
        assert cls.counts["events"] > 5, cls.counts

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.admin = with_database(SERVER, "postgres")
        self.names = []

    def tearDown(self):
        for name in self.names:
            psql(self.admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def database(self):
        name = f"sitrep_cli_{os.getpid()}_{len(self.names) + 1}"
        psql(self.admin, f"CREATE DATABASE {name} TEMPLATE sitrep_test")
        self.names.append(name)
        return with_database(SERVER, name)

    def pg_counts(self, url):
        return {t: int(psql(url, f"SELECT count(*) FROM {t}")) for t in TABLES}

    def test_export_copies_the_file_and_again_changes_nothing(self):
        url = self.database()
        r = run(["export", "--db", url, self.sqlite, "--batch", "3"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"{self.counts['documents']} documents ({self.counts['events']} events", r.stderr)
        self.assertEqual(self.pg_counts(url), self.counts)
        self.assertGreater(int(psql(url, "SELECT count(*) FROM clusters")), 0)
        self.assertEqual(psql(url, "SELECT count(*) FROM events WHERE (lat IS NULL) <> (geom IS NULL)"), "0")
        before = psql(url, "SELECT md5(string_agg(json, '' ORDER BY id)) FROM events")
        r = run(["export", "--db", url, self.sqlite, "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual(self.pg_counts(url), self.counts)
        self.assertEqual(psql(url, "SELECT md5(string_agg(json, '' ORDER BY id)) FROM events"), before)

    def test_extract_to_a_url_writes_what_export_writes_and_leaves_no_file(self):
        url = self.database()
        tmp = tempfile.mkdtemp(dir=self.tmp.name)
        env = dict(os.environ, TMPDIR=tmp)
        r = run(["extract", EXAMPLES, "-o", os.path.join(tmp, "events.jsonl"), "--db", url], env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("sitrep export:", r.stderr)
        self.assertEqual(self.pg_counts(url), self.counts)
        self.assertEqual(os.listdir(tmp), ["events.jsonl"], "the temporary database is removed")
        exported = self.database()
        self.assertEqual(run(["export", "--db", exported, self.sqlite, "-q"]).returncode, 0)
        for table, order in (("events", "id"), ("clusters", "id"), ("control", "id")):
            sql = f"SELECT md5(string_agg(json, '' ORDER BY {order})) FROM {table}"
            self.assertEqual(psql(url, sql), psql(exported, sql), table)

    def test_extract_to_a_url_again_skips_what_postgresql_holds_unchanged(self):
        url = self.database()
        tmp = tempfile.mkdtemp(dir=self.tmp.name)
        articles = os.path.join(tmp, "in")
        os.makedirs(articles)
        for name in ("a", "b"):
            with open(os.path.join(articles, name + ".txt"), "w") as f:
                f.write(f"KYIV, June 3 (Reuters) - Russian forces shelled Kupiansk overnight, governor {name} said.\n")
        r = run(["extract", articles, "-o", os.devnull, "--db", url])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(psql(url, "SELECT count(*) FROM documents WHERE content_hash IS NOT NULL "
                                   "AND data_version IS NOT NULL"), "2")
        before = psql(url, "SELECT string_agg(xmin::text, ',' ORDER BY doc_id) FROM documents")
        r = run(["extract", articles, "-o", os.devnull, "--db", url])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2 unchanged, skipped", r.stderr)
        self.assertIn("nothing new", r.stderr)
        self.assertEqual(psql(url, "SELECT string_agg(xmin::text, ',' ORDER BY doc_id) FROM documents"), before)
        with open(os.path.join(articles, "b.txt"), "a") as f:
            f.write("Ukrainian troops recaptured the village of Synkivka.\n")
        r = run(["extract", articles, "-o", os.devnull, "--db", url])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 unchanged, skipped", r.stderr)
        self.assertIn("sitrep export: 1 documents", r.stderr)
        self.assertEqual(psql(url, "SELECT count(*) FROM events WHERE type = 'recapture'"), "1")
        r = run(["extract", articles, "-o", os.devnull, "--db", url, "--force", "-q"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotEqual(psql(url, "SELECT string_agg(xmin::text, ',' ORDER BY doc_id) FROM documents"), before)

    def test_bad_urls_are_clear_errors_without_the_password(self):
        r = run(["export", "--db", "postgresql://ann:s3cret@127.0.0.1:1/sitrep", self.sqlite])
        self.assertEqual(r.returncode, 1)
        self.assertIn("postgresql://ann:***@127.0.0.1:1/sitrep: cannot connect", r.stderr)
        self.assertNotIn("s3cret", r.stderr)
        r = run(["export", "--db", "out/other.db", self.sqlite])
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs a PostgreSQL URL", r.stderr)
        r = run(["export", "--db", self.database(), os.path.join(self.tmp.name, "missing.db")])
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing.db", r.stderr)

    def test_serve_answers_from_postgres(self):
        url = self.database()
        self.assertEqual(run(["export", "--db", url, self.sqlite, "-q"]).returncode, 0)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([BIN, "serve", "--db", url, "--port", str(port)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            summary = None
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=5) as f:
                        summary = json.load(f)
                    break
                except OSError:
                    if server.poll() is not None:
                        break
                    time.sleep(0.1)
            self.assertIsNotNone(summary, server.stderr.read() if server.poll() is not None else "")
            self.assertEqual(summary["backend"], "postgresql")
            self.assertEqual(summary["documents"], self.counts["documents"])
            self.assertEqual(summary["events"], self.counts["events"])
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    SERVER = server_url()
    if not SERVER:
        print("no PostgreSQL test server (SITREP_PG_URL_FILE names no file): PostgreSQL or "
              "PostGIS is not installed; skipping", file=sys.stderr)
        sys.exit(77)
    unittest.main()
