#!/usr/bin/env bash
# Corpus throughput: runs `sitrep extract` over the bench corpora in ../shared/data/bench
# with -j 1 and -j 2 and prints MB/s, documents/s and peak RSS for each; appends the
# figures to bench/results/<date>.csv. Skips (exit 0) when ../shared is absent.
#   bench/corpus_throughput.sh [BIN] [REPEAT]
# REPEAT concatenates the corpus that many times (RSS must stay flat as it grows).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/sitrep}
repeat=${2:-1}
shared=${SITREP_SHARED:-../shared}
bench="$shared/data/bench"
if [ ! -d "$bench" ]; then echo "skipped: $bench not present"; exit 0; fi
[ -x "$bin" ] || { echo "no binary at $bin (build first)"; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The 447 war articles come as files; their JSON Lines form is made here when absent.
ukr="$bench/ukraine_war_en_articles.jsonl"
if [ ! -f "$ukr" ]; then
  ukr="$work/ukraine_war_en_articles.jsonl"
  python3 bench/war_articles_jsonl.py "$bench/ukraine_war_en_articles" "$ukr"
fi

date=$(date +%Y-%m-%d)
results="bench/results/$date.csv"
[ -f "$results" ] || echo "date,corpus,repeat,jobs,bytes,documents,seconds,mb_per_s,docs_per_s,peak_rss_mb" > "$results"

for corpus in "$ukr" "$bench/reuters21578.jsonl"; do
  [ -f "$corpus" ] || continue
  input="$corpus"
  if [ "$repeat" -gt 1 ]; then
    input="$work/$(basename "$corpus" .jsonl).x$repeat.jsonl"
    for _ in $(seq "$repeat"); do cat "$corpus"; done > "$input"
  fi
  bytes=$(stat -c %s "$input")
  docs=$(wc -l < "$input")
  for jobs in 1 2; do
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$bin" extract "$input" -j "$jobs" -q -o /dev/null
    end=$(date +%s.%N)
    rss_kb=$(tail -n 1 "$work/rss")
    python3 - "$corpus" "$repeat" "$jobs" "$bytes" "$docs" "$start" "$end" "$rss_kb" "$date" >> "$results" <<'PY'
import os, sys
corpus, repeat, jobs, size, docs, start, end, rss, date = sys.argv[1:]
secs = float(end) - float(start)
mbs = int(size) / secs / 1e6
dps = int(docs) / secs
name = os.path.basename(corpus)
print(f"{date},{name},{repeat},{jobs},{size},{docs},{secs:.2f},{mbs:.2f},{dps:.0f},{int(rss) / 1024:.0f}")
sys.stderr.write(f"{name} x{repeat} -j {jobs}: {mbs:.2f} MB/s, {dps:.0f} docs/s, "
                 f"{secs:.2f} s, peak RSS {int(rss) / 1024:.0f} MB\n")
PY
  done
done
echo "figures appended to $results"
