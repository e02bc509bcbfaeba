#!/usr/bin/env python3
"""sitrep over a sharded corpus on a Dask cluster, checked against one `sitrep extract`.

    run.py --input corpus.jsonl --shards 4          # cut corpus.jsonl into 4 shards first
    run.py --shard-dir shards/                      # or take a directory of *.jsonl shards
    run.py --input corpus.jsonl --check             # and compare with the command's output

Starts a distributed.LocalCluster of worker processes (one thread each); every worker
imports the `sitrep` module (build/python) and turns one shard into one output shard of
JSON Lines records, what `sitrep extract` writes for it. A record the command would skip
(an empty text, invalid JSON) is skipped and reported the same way ("shard:line: reason").
With --check the command runs once over the same shards, in one process, and the union
of the output shards must equal its output record for record (byte for byte, in fact),
and the reported errors must equal the command's.

Exit status: 0 done (and equal), 1 a difference or a failure, 2 bad arguments, 77 skipped
(python3-distributed not installed, or --skip-missing and no input).
"""
import argparse
import gzip
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
SKIP = 77


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--input", help="a JSONL corpus to cut into shards")
    src.add_argument("--shard-dir", help="a directory of JSONL shards (*.jsonl, *.jsonl.gz)")
    p.add_argument("--shards", type=int, default=4, help="shards to cut --input into (4)")
    p.add_argument("--limit", type=int, default=0, help="only the first N lines of --input")
    p.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    p.add_argument("--work", default="sitrep-dask", help="working directory (./sitrep-dask)")
    p.add_argument("--check", action="store_true",
                   help="compare with `sitrep extract` over the same shards")
    p.add_argument("--skip-missing", action="store_true",
                   help="exit 77 (skipped) when --input does not exist")
    p.add_argument("--sitrep", default=os.environ.get("SITREP_BIN", str(REPO / "build/sitrep")),
                   help="the sitrep command for --check ($SITREP_BIN, else build/sitrep)")
    p.add_argument("--module-dir", default=None,
                   help="where the sitrep module is (default: importable, else build/python)")
    p.add_argument("--data", help="sitrep's data/ (default: found as the command finds it)")
    p.add_argument("--gazetteer", help="the compiled gazetteer (default: found)")
    return p.parse_args()


def make_shards(source: pathlib.Path, out_dir: pathlib.Path, shards: int, limit: int):
    """Cuts a JSONL file into `shards` files of consecutive lines, byte for byte."""
    opener = gzip.open if source.name.endswith(".gz") else open
    with opener(source, "rb") as f:
        lines = f.readlines()
    if limit:
        lines = lines[:limit]
    if lines and not lines[-1].endswith(b"\n"):
        lines[-1] += b"\n"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    shards = max(1, min(shards, len(lines) or 1))
    size = -(-len(lines) // shards)
    paths = []
    for i in range(shards):
        path = out_dir / f"shard-{i:05d}.jsonl"
        path.write_bytes(b"".join(lines[i * size:(i + 1) * size]))
        paths.append(path)
    return paths


def extract_shard(shard: str, out_path: str, data, gazetteer):
    """On a worker: one shard in, one JSONL output shard out. Returns counts and errors.

    Lines are read as bytes and handed to sitrep.extract_jsonl as the command reads them:
    blank lines passed over, a byte-order mark on the first line dropped, the shard's path
    and the line number as the document's `source` and `line` (and its id, when it has
    none), so the records are the ones `sitrep extract <shard>` writes.
    """
    import sitrep  # imported on the worker; the pipeline loads once per worker process

    if data or gazetteer:
        if sitrep.paths() is None:
            sitrep.load(data=data, gazetteer=gazetteer)
    start = time.perf_counter()
    documents = events = 0
    errors = []
    opener = gzip.open if shard.endswith(".gz") else open
    tmp = out_path + ".tmp"
    with opener(shard, "rb") as f, open(tmp, "w", encoding="utf-8", newline="") as out:
        for number, line in enumerate(f, 1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip(b" \t\r\n\f\v"):
                continue
            try:
                records = sitrep.extract_jsonl(line, source=shard, line_number=number, raw=True)
            except ValueError as e:  # what the command reports and skips
                errors.append(str(e))
                continue
            out.write(records)
            documents += 1
            events += records.count("\n") - 1
    os.replace(tmp, out_path)
    return {"shard": shard, "output": out_path, "documents": documents, "events": events,
            "errors": errors, "seconds": time.perf_counter() - start, "pid": os.getpid()}


def run_command(args, shards, out_path: pathlib.Path):
    """`sitrep extract` over the shards in one process: its output and error lines."""
    cmd = [args.sitrep, "extract", *map(str, shards), "-q", "-o", str(out_path)]
    if args.data:
        cmd += ["--data", args.data]
    if args.gazetteer:
        cmd += ["--gazetteer", args.gazetteer]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"run.py: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return [l for l in done.stderr.splitlines() if l.strip()]


def compare(union: bytes, single: bytes) -> bool:
    got = [json.loads(l) for l in union.splitlines()]
    want = [json.loads(l) for l in single.splitlines()]
    if got == want:
        if union != single:
            print("run.py: note: the same records, written differently")
        return True
    print(f"run.py: DIFFERENT: {len(got)} records from the cluster, {len(want)} from one run",
          file=sys.stderr)
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            keys = sorted(k for k in set(g) | set(w) if g.get(k) != w.get(k))
            print(f"  first difference at record {i + 1} ({w.get('kind')} "
                  f"{w.get('id') or w.get('doc_id')}): fields {keys}", file=sys.stderr)
            break
    return False


def main():
    args = parse_args()
    try:
        import distributed
    except ImportError as e:
        print(f"run.py: skipped: {e} (apt-get install python3-distributed)")
        return SKIP

    # Workers are processes started by the cluster: they find the module via PYTHONPATH.
    module_dir = args.module_dir
    if module_dir is None:
        try:
            import sitrep  # noqa: F401
        except ImportError:
            module_dir = str(REPO / "build" / "python")
    if module_dir is not None:
        module_dir = str(pathlib.Path(module_dir).resolve())
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [module_dir] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
        sys.path.insert(0, module_dir)
    import sitrep  # fails here, clearly, when the module is not built

    work = pathlib.Path(args.work).resolve()
    if args.input:
        source = pathlib.Path(args.input)
        if not source.exists():
            if args.skip_missing:
                print(f"run.py: skipped: no {source}")
                return SKIP
            print(f"run.py: no such file: {source}", file=sys.stderr)
            return 2
        shards = make_shards(source, work / "shards", args.shards, args.limit)
    else:
        shards = sorted(p for p in pathlib.Path(args.shard_dir).iterdir()
                        if p.name.endswith((".jsonl", ".jsonl.gz", ".ndjson")))
        if not shards:
            print(f"run.py: no *.jsonl shards in {args.shard_dir}", file=sys.stderr)
            return 2
    out_dir = work / "out"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    start = time.perf_counter()
    with distributed.LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        started = time.perf_counter()
        futures = client.map(extract_shard, [str(s) for s in shards],
                             [str(out_dir / (s.name.split(".")[0] + ".out.jsonl")) for s in shards],
                             data=args.data, gazetteer=args.gazetteer, pure=False)
        results = client.gather(futures)
    cluster_s = time.perf_counter() - start
    work_s = sum(r["seconds"] for r in results)
    documents = sum(r["documents"] for r in results)
    events = sum(r["events"] for r in results)
    errors = [e for r in results for e in r["errors"]]
    for e in errors:
        print(e, file=sys.stderr)
    print(f"run.py: {len(shards)} shards on {args.workers} workers "
          f"({len({r['pid'] for r in results})} processes used): {documents} documents, "
          f"{events} events, {len(errors)} skipped; {cluster_s:.1f} s with the cluster's "
          f"start ({time.perf_counter() - started:.1f} s after it; extraction "
          f"{work_s:.1f} s summed over shards)")
    union_path = work / "union.jsonl"
    with open(union_path, "wb") as union:
        for r in results:  # in shard order: gather keeps the order of the map
            union.write(pathlib.Path(r["output"]).read_bytes())
    print(f"run.py: wrote {union_path} (and one output per shard in {out_dir})")

    if not args.check:
        return 0
    single_path = work / "single.jsonl"
    start = time.perf_counter()
    command_errors = run_command(args, shards, single_path)
    print(f"run.py: `sitrep extract` over the same shards in one process: "
          f"{time.perf_counter() - start:.1f} s")
    same = compare(union_path.read_bytes(), single_path.read_bytes())
    if command_errors != errors:
        print(f"run.py: DIFFERENT errors: the command's {command_errors}, the cluster's {errors}",
              file=sys.stderr)
        same = False
    if same:
        records = union_path.read_bytes().count(b"\n")
        print(f"run.py: equal: {records} records, record for record, and the same "
              f"{len(errors)} skipped")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
