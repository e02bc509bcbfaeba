#!/usr/bin/env bash
# Side by side with what users would use instead (issue 7): sitrep's full extraction against
# two npm libraries on the bench corpora of ../shared/data/bench (the 447 war articles, as
# JSON Lines made here, and Reuters-21578), one table, the issue's targets checked.
#   bench/peers.sh [--runs N] [--check] [--bin PATH]
#     --runs N   measure each tool N times and keep the median (default 3)
#     --check    exit non-zero when a target FAILs (otherwise exit 0: a benchmark, not a test)
#     --bin PATH sitrep binary (default build/sitrep)
# SITREP_SHARED points at the shared folder (default ../shared); skipped (exit 0) when absent.
#
# Peers, pinned in bench/peers_src/package.json + package-lock.json and installed, when
# missing or out of date, with `npm ci` into bench/peers/ (git-ignored; needs only the npm
# registry); bench/peers_src/run_peer.mjs runs one peer over one corpus, one thread:
#   wink-nlp + wink-eng-lite-web-model: nlp.readDoc(text).entities().out() — tokens,
#     sentences, POS and wink's entities. NB wink's English model finds no person or place
#     names: its entities are DATE, CARDINAL, DURATION, ORDINAL, PERCENT, MONEY, TIME, …
#     (the sanity line prints the types found);
#   chrono-node: chrono.parse(text, refDate) — dates only; refDate = the line's `published`
#     (else Reuters' `date`).
# sitrep: `sitrep extract CORPUS -j 1|2 -q -o /dev/null` (events, places, dates, sources).
#
# Timing, wall clock. sitrep: the whole process, INCLUDING its start-up (~0.06 s: data and
# gazetteer loading); "MB/s excl." subtracts the median time of sitrep on a one-line input
# (start-up plus one trivial document). Peers: the clock runs inside Node from the first
# line read to the last processed (reading, JSON.parse, the peer's work), EXCLUDING Node's
# start-up and the loading of the library and model (~0.4 s, shown in the start-up column).
# So the headline MB/s and the ratio are conservative for sitrep. MB = 1e6 bytes of the
# JSONL file (for every tool). Peak RSS: /usr/bin/time -f %M, the largest over the runs
# (peers' includes Node and the model). "found" is what each found (sitrep: events and
# places, from one more untimed run), so an empty run cannot look fast.
#
# Targets (issue 7), on the headline figures: sitrep -j1 >= 10 MB/s per thread on each
# corpus; -j2 >= 1.8x -j1; sitrep -j1 >= 3x the faster peer. Figures are appended to
# bench/results/<date>-peers.csv, with the load average (the machine may be shared).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
check=0
bin=build/sitrep
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    --check) check=1; shift ;;
    --bin) bin=${2:?--bin needs a path}; shift 2 ;;
    --bin=*) bin=${1#--bin=}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/peers.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench/peers.sh: --runs wants a positive integer" >&2; exit 2; }

shared=${SITREP_SHARED:-../shared}
bench="$shared/data/bench"
if [ ! -d "$bench" ]; then echo "skipped: $bench not present"; exit 0; fi
[ -x "$bin" ] || { echo "no binary at $bin (build first)"; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }
for tool in node npm python3; do
  command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }
done

# --- the peers, pinned, from the npm registry ---------------------------------------------
src=bench/peers_src
peers=bench/peers
installed() {
  cmp -s "$src/package-lock.json" "$peers/package-lock.json" &&
    cmp -s "$src/package.json" "$peers/package.json" &&
    for p in wink-nlp wink-eng-lite-web-model chrono-node; do
      [ -f "$peers/node_modules/$p/package.json" ] || return 1
    done
}
if ! installed; then
  echo "installing the peers into $peers (npm ci) ..." >&2
  mkdir -p "$peers"
  cp "$src/package.json" "$src/package-lock.json" "$peers/"
  npm ci --prefix "$peers" --no-audit --no-fund --loglevel=error >&2
  installed || { echo "the peers did not install into $peers"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- the corpora --------------------------------------------------------------------------
# The 447 war articles come as files; their JSON Lines form is made here when absent
# (bench/war_articles_jsonl.py, shared with bench/corpus_throughput.sh).
ukr="$bench/ukraine_war_en_articles.jsonl"
if [ ! -f "$ukr" ]; then
  ukr="$work/ukraine_war_en_articles.jsonl"
  python3 bench/war_articles_jsonl.py "$bench/ukraine_war_en_articles" "$ukr"
fi
corpora=()
for c in "$ukr" "$bench/reuters21578.jsonl"; do [ -f "$c" ] && corpora+=("$c"); done
[ ${#corpora[@]} -gt 0 ] || { echo "skipped: no corpus in $bench"; exit 0; }

# --- measuring ----------------------------------------------------------------------------
# Every run is one line of $work/runs.tsv: corpus tool jobs wall_s rss_kb json (peers' report).
runs_tsv="$work/runs.tsv"
: > "$runs_tsv"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# sitrep's start-up: a one-line input (an empty one is refused before any work is done).
echo '{"id":"startup","text":"."}' > "$work/one.jsonl"
for _ in $(seq $((runs > 5 ? runs : 5))); do
  t0=$(now)
  /usr/bin/time -f %M -o "$work/rss" "$bin" extract "$work/one.jsonl" -j 1 -q -o /dev/null
  t1=$(now)
  printf '%s\tsitrep-startup\t1\t%s\t%s\t{}\n' "-" "$(elapsed "$t0" "$t1")" "$(tail -n 1 "$work/rss")" >> "$runs_tsv"
done

for corpus in "${corpora[@]}"; do
  name=$(basename "$corpus" .jsonl)
  # What sitrep finds (untimed): events and places.
  "$bin" extract "$corpus" -j 2 -q -o "$work/sitrep.out.jsonl"
  found=$(python3 - "$work/sitrep.out.jsonl" <<'PY'
import json, sys
events = places = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["kind"] == "event":
        events += 1
    elif r["kind"] == "document":
        places += len(r.get("places", []))
print(json.dumps({"found": events + places, "events": events, "places": places}))
PY
)
  rm -f "$work/sitrep.out.jsonl"
  for r in $(seq "$runs"); do
    echo "$name: run $r of $runs ..." >&2
    # The tools take turns, so a slow spell of the shared machine falls on all of them.
    for jobs in 1 2; do
      t0=$(now)
      /usr/bin/time -f %M -o "$work/rss" "$bin" extract "$corpus" -j "$jobs" -q -o /dev/null
      t1=$(now)
      printf '%s\tsitrep\t%s\t%s\t%s\t%s\n' "$name" "$jobs" "$(elapsed "$t0" "$t1")" \
        "$(tail -n 1 "$work/rss")" "$found" >> "$runs_tsv"
    done
    for peer in wink chrono; do
      t0=$(now)
      /usr/bin/time -f %M -o "$work/rss" node "$src/run_peer.mjs" "$peers" "$peer" "$corpus" > "$work/peer.json"
      t1=$(now)
      printf '%s\t%s\t1\t%s\t%s\t%s\n' "$name" "$peer" "$(elapsed "$t0" "$t1")" \
        "$(tail -n 1 "$work/rss")" "$(cat "$work/peer.json")" >> "$runs_tsv"
    done
  done
done

# --- the table, the targets, the CSV ------------------------------------------------------
sizes="$work/sizes.tsv"
: > "$sizes"
for corpus in "${corpora[@]}"; do
  printf '%s\t%s\t%s\n' "$(basename "$corpus" .jsonl)" "$(stat -c %s "$corpus")" "$(grep -c . "$corpus")" >> "$sizes"
done
date=$(date +%Y-%m-%d)
results="bench/results/$date-peers.csv"
sitrep_version="$("$bin" --version 2>/dev/null | head -n 1) ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
status=0
python3 - "$runs_tsv" "$sizes" "$results" "$date" "$runs" "$sitrep_version" <<'PY' || status=$?
import json, os, statistics, sys

runs_tsv, sizes_tsv, results, date, nruns, sitrep_version = sys.argv[1:]
# The machine may be shared: the 5-minute load average at the end of the measurements.
load = open("/proc/loadavg").read().split()[1] if os.path.exists("/proc/loadavg") else ""
sizes = {}
for line in open(sizes_tsv):
    name, size, docs = line.rstrip("\n").split("\t")
    sizes[name] = (int(size), int(docs))

rows = {}  # (corpus, tool, jobs) -> list of runs
for line in open(runs_tsv):
    corpus, tool, jobs, wall, rss, info = line.rstrip("\n").split("\t", 5)
    rows.setdefault((corpus, tool, int(jobs)), []).append(
        {"wall": float(wall), "rss": int(rss), "info": json.loads(info)})

startup = statistics.median(r["wall"] for r in rows.pop(("-", "sitrep-startup", 1)))
DOES = {"sitrep": "full extraction", "wink": "entities only", "chrono": "dates only"}

table = []
for (corpus, tool, jobs), rs in rows.items():
    size, docs = sizes[corpus]
    info = rs[-1]["info"]
    wall = statistics.median(r["wall"] for r in rs)
    if tool == "sitrep":
        secs = wall                          # start-up included
        # less than 20 ms left once start-up is taken off: too small to mean anything
        secs_excl = wall - startup if wall - startup >= 0.02 else None
        start_s, included = startup, True
        found = f"{info['events']} events, {info['places']} places"
        version = sitrep_version
    else:
        secs = statistics.median(r["info"]["seconds"] for r in rs)  # start-up excluded
        secs_excl = secs
        start_s, included = statistics.median(r["info"]["startup_seconds"] for r in rs), False
        found = f"{info['found']} {'entities' if tool == 'wink' else 'dates'}"
        version = info["version"]
        if info["documents"] != docs:
            print(f"warning: {tool} read {info['documents']} documents of {docs} in {corpus}")
    table.append({
        "corpus": corpus, "tool": tool, "does": DOES[tool], "jobs": jobs, "bytes": size,
        "documents": docs, "found": found, "found_n": info["found"], "seconds": secs,
        "included": included, "startup": start_s, "mbs": size / secs / 1e6,
        "mbs_excl": size / secs_excl / 1e6 if secs_excl else None, "wall": wall,
        "rss": max(r["rss"] for r in rs) / 1024, "version": version,
        "examples": info.get("examples"), "types": info.get("sample_types")})

order = {"sitrep": 0, "wink": 1, "chrono": 2}
table.sort(key=lambda t: (list(sizes).index(t["corpus"]), order[t["tool"]], t["jobs"]))
fails = []
lines = []
num = lambda x, f=".2f", suffix="": "n/a" if x is None else f"{x:{f}}{suffix}"
div = lambda a, b: None if a is None or b is None else a / b
for corpus in sizes:
    ts = [t for t in table if t["corpus"] == corpus]
    peers = [t for t in ts if t["tool"] != "sitrep"]
    best = max(peers, key=lambda t: t["mbs"]) if peers else None
    for t in ts:
        t["ratio"] = t["mbs"] / best["mbs"] if best and t["tool"] == "sitrep" else None
    by = {(t["tool"], t["jobs"]): t for t in ts}
    j1, j2 = by.get(("sitrep", 1)), by.get(("sitrep", 2))
    def line(ok, what):
        lines.append(f"{'PASS' if ok else 'FAIL'}  {corpus}: {what}")
        if not ok:
            fails.append(what)
    if j1:
        line(j1["mbs"] >= 10, f"sitrep -j1 {j1['mbs']:.2f} MB/s per thread >= 10 "
             f"(excl. start-up {num(j1['mbs_excl'])})")
    if j1 and j2:
        line(j2["mbs"] >= 1.8 * j1["mbs"], f"sitrep -j2 {j2['mbs'] / j1['mbs']:.2f}x -j1 >= 1.8x "
             f"(excl. start-up {num(div(j2['mbs_excl'], j1['mbs_excl']), suffix='x')})")
    if j1 and best:
        line(j1["ratio"] >= 3, f"sitrep -j1 {j1['ratio']:.2f}x the faster peer ({best['tool']}, "
             f"{best['mbs']:.2f} MB/s) >= 3x (excl. start-up {num(div(j1['mbs_excl'], best['mbs']), suffix='x')})")
    for t in peers:
        if t["found_n"] == 0:
            line(False, f"{t['tool']} found nothing: its figure means nothing")

head = ["corpus", "tool", "does", "jobs", "found", "seconds", "start-up s", "MB/s",
        "MB/s excl.", "peak RSS MB", "sitrep/faster peer"]
body = [[t["corpus"], t["tool"], t["does"], str(t["jobs"]), t["found"], f"{t['seconds']:.2f}",
         f"{'incl.' if t['included'] else 'excl.'} {t['startup']:.2f}", f"{t['mbs']:.2f}",
         num(t["mbs_excl"]), f"{t['rss']:.0f}",
         f"{t['ratio']:.2f}x" if t["ratio"] is not None else ""] for t in table]
width = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
right = {3, 5, 7, 8, 9, 10}
fmt = lambda r: "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, width)))
print(f"medians of {nruns} runs; MB = 1e6 bytes of the JSONL file; wall clock; "
      f"sitrep start-up (one-line input) {startup:.3f} s; load average (5 min) {load or '?'} "
      f"on {os.cpu_count()} cores")
print(fmt(head))
print(fmt(["-" * w for w in width]))
for r in body:
    print(fmt(r))
print("seconds: sitrep's whole process (start-up included); the peers' processing inside Node "
      "(start-up and model loading excluded).\nMB/s excl.: sitrep less its start-up. "
      "sitrep/faster peer: MB/s against the faster peer's on that corpus.")
for t in table:
    if t["tool"] != "sitrep":
        types = ", ".join(f"{k} {v}" for k, v in sorted(t["types"].items(), key=lambda kv: -kv[1]))
        print(f"  {t['corpus']} {t['tool']} ({t['version']}): e.g. {t['examples'][:4]}"
              + (f"; entity types in the first 200 documents: {types}" if types else ""))
print()
for l in lines:
    print(l)

new = not os.path.exists(results)
with open(results, "a") as out:
    if new:
        out.write("date,corpus,tool,version,does,jobs,bytes,documents,found,runs,seconds,"
                  "startup_included,startup_seconds,mb_per_s,mb_per_s_excl_startup,"
                  "wall_seconds_all_in,peak_rss_mb,ratio_to_faster_peer,load_avg_5min\n")
    for t in table:
        out.write(",".join([date, t["corpus"], t["tool"], t["version"].replace(",", ";"), t["does"],
                            str(t["jobs"]), str(t["bytes"]), str(t["documents"]), str(t["found_n"]),
                            nruns, f"{t['seconds']:.3f}", "yes" if t["included"] else "no",
                            f"{t['startup']:.3f}", f"{t['mbs']:.2f}",
                            "" if t["mbs_excl"] is None else f"{t['mbs_excl']:.2f}", f"{t['wall']:.3f}", f"{t['rss']:.0f}",
                            f"{t['ratio']:.2f}" if t["ratio"] is not None else "", load]) + "\n")
print(f"\nfigures appended to {results}")
sys.exit(3 if fails else 0)  # 3: a target failed (1 would be a crash)
PY
if [ "$status" != 0 ] && [ "$status" != 3 ]; then exit "$status"; fi
if [ "$check" = 1 ] && [ "$status" = 3 ]; then exit 1; fi
exit 0
