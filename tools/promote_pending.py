#!/usr/bin/env python3
"""Moves the sentence cases of src/*/testdata/pending/*.txt that now pass into their
suite file (pending/NAME.txt -> NAME.test), dropping their '# cause:' line.
    tools/promote_pending.py [--bin build/tests/case_runner] [--dry-run]
Runs the case runner on a temporary copy of each pending file; prints what it moved.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def blocks(text):
    """Splits a case file into (header, [case blocks]); a block keeps its comment lines."""
    parts = re.split(r"\n\s*\n", text.strip("\n"))
    header, cases = [], []
    for p in parts:
        lines = p.split("\n")
        body = [l for l in lines if not l.startswith("#")]
        if body and body[0].strip() in ("events", "places"):
            cases.append(p)
        elif not cases:
            header.append(p)
        else:
            cases.append(p)  # a comment-only block between cases stays in place
    return header, cases


def case_line(block, start_line):
    return start_line + next(i for i, l in enumerate(block.split("\n")) if not l.startswith("#"))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "tests", "case_runner"))
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    moved = 0
    for pending in sorted(glob.glob(os.path.join(REPO, "src", "*", "testdata", "pending", "*.txt"))):
        name = os.path.splitext(os.path.basename(pending))[0]
        testdata = os.path.dirname(os.path.dirname(pending))
        suite = os.path.join(testdata, name + ".test")
        if not os.path.exists(suite):
            continue
        text = open(pending, encoding="utf-8").read()
        probe = os.path.join(testdata, f"zzprobe_{name}.test")
        with open(probe, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            stage = os.path.basename(os.path.dirname(testdata))
            out = subprocess.run([args.bin, f"--gtest_filter={stage}/testdata/zzprobe_{name}.test.*"],
                                 capture_output=True, text=True).stdout
        finally:
            os.remove(probe)
        passed = {int(m) for m in re.findall(r"\[       OK \] \S+\.line(\d+)", out)}
        if not passed:
            continue
        # Line numbers of each case's first non-comment line, as the runner names them.
        lines = text.split("\n")
        keep, promote, block, start = [], [], [], 0
        def flush():
            if not block:
                return
            b = "\n".join(block)
            body_at = next((start + i + 1 for i, l in enumerate(block) if l.strip() in ("events", "places")), None)
            (promote if body_at in passed else keep).append(b)
        for i, l in enumerate(lines):
            if l.strip() == "":
                flush()
                block, start = [], i + 1
            else:
                block.append(l)
        flush()
        if not promote:
            continue
        moved += len(promote)
        print(f"{os.path.relpath(pending, REPO)}: {len(promote)} case(s) -> {os.path.relpath(suite, REPO)}")
        if args.dry_run:
            continue
        with open(pending, "w", encoding="utf-8") as f:
            f.write("\n\n".join(keep) + "\n")
        with open(suite, "a", encoding="utf-8") as f:
            for b in promote:
                b = "\n".join(l for l in b.split("\n") if not l.startswith("# cause"))
                f.write("\n" + b + "\n")
    print(f"{moved} case(s) promoted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
