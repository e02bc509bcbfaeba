#!/usr/bin/env bash
# Builds the database the API benchmark reads: the 447 bench articles
# (../shared/data/bench/ukraine_war_en_articles) COPIES times over (default 100, about
# 125,000 events), each copy its own articles published one corpus-span later (so the
# copies are periods of news one after another, as a long archive is), extracted and
# fused by `sitrep extract --db`. Skips (exit 0) when ../shared is absent.
#   bench/api_db.sh [OUT.db] [COPIES] [BIN]
# Then: build/bench/micro_bench --benchmark_filter=Api with SITREP_API_BENCH_DB=OUT.db.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/api_bench.db}
copies=${2:-100}
bin=${3:-build/sitrep}
shared=${SITREP_SHARED:-../shared}
src="$shared/data/bench/ukraine_war_en_articles"
if [ ! -d "$src" ]; then echo "skipped: $src not present"; exit 0; fi
[ -x "$bin" ] || { echo "no binary at $bin (build first)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$src" "$work/articles.jsonl" "$copies" <<'PY'
import datetime as dt, json, os, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
articles = []
for name in sorted(os.listdir(src)):
    if name.endswith(".txt"):
        text = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
        day = name[:8]
        articles.append((name[:-4], dt.date(int(day[:4]), int(day[4:6]), int(day[6:8])), text))
first, last = min(a[1] for a in articles), max(a[1] for a in articles)
span = dt.timedelta(days=(last - first).days + 60)
with open(dst, "w", encoding="utf-8") as out:
    for k in range(copies):
        for doc_id, day, text in articles:
            out.write(json.dumps({"id": f"{doc_id}~{k}", "published": (day + span * k).isoformat(),
                                  "text": text}) + "\n")
PY
rm -f "$out" "$out-wal" "$out-shm"
"$bin" extract "$work/articles.jsonl" -o /dev/null --db "$out" -q
sqlite3 "$out" "SELECT count(*) || ' events, ' || (SELECT count(*) FROM clusters) || ' clusters' FROM events" 2>/dev/null || true
echo "wrote $out"
