#!/usr/bin/env bash
# Fusion cost and memory as the record count grows: extracts the 447 bench articles
# (../shared/data/bench/ukraine_war_en_articles, 2022-2024) once, then fuses their records
# 1x, 10x and 100x over, each copy its own documents and events shifted by the corpus's
# span (so 100 copies are 100 periods of news one after another, as a long archive is),
# printing seconds and peak RSS; appends to bench/results/<date>-fusion.csv. Memory should
# stay flat: fusion holds a window of days, not the archive. Skips (exit 0) when ../shared
# is absent.
#   bench/fusion_scale.sh [BIN] [MAX_COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/sitrep}
max=${2:-100}
shared=${SITREP_SHARED:-../shared}
src="$shared/data/bench/ukraine_war_en_articles"
if [ ! -d "$src" ]; then echo "skipped: $src not present"; exit 0; fi
[ -x "$bin" ] || { echo "no binary at $bin (build first)"; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$src" "$work/articles.jsonl" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
with open(dst, "w", encoding="utf-8") as out:
    for name in sorted(os.listdir(src)):
        if name.endswith(".txt"):
            text = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
            day = name[:8]
            out.write(json.dumps({"id": name[:-4], "published": f"{day[:4]}-{day[4:6]}-{day[6:8]}",
                                  "text": text}) + "\n")
PY
/usr/bin/time -f "%e %M" -o "$work/extract.time" "$bin" extract "$work/articles.jsonl" -o "$work/records.jsonl" -q
read -r ext_s ext_kb < "$work/extract.time"
echo "extract 447 articles: ${ext_s}s, peak RSS $((ext_kb / 1024)) MB"

date=$(date +%Y-%m-%d)
results="bench/results/$date-fusion.csv"
[ -f "$results" ] || echo "date,copies,records,events,seconds,peak_rss_mb" > "$results"
for copies in 1 10 "$max"; do
  python3 - "$work/records.jsonl" "$work/copies.jsonl" "$copies" <<'PY'
import datetime as dt, json, re, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, encoding="utf-8").read().splitlines()
date_re = re.compile(r'"(\d{4}-\d{2}-\d{2})"')
pub_re = re.compile(r'"published":\s*\{"value":\s*"(\d{4}-\d{2}-\d{2})"')
days = sorted({m for line in lines for m in pub_re.findall(line)})
span = (dt.date.fromisoformat(days[-1]) - dt.date.fromisoformat(days[0])).days + 60 if days else 1000
with open(dst, "w", encoding="utf-8") as out:
    for k in range(copies):
        shift = dt.timedelta(days=span * k)
        def move(m):
            return '"%s"' % (dt.date.fromisoformat(m.group(1)) + shift).isoformat()
        for line in lines:
            r = json.loads(line)
            if "doc_id" in r:
                r["doc_id"] = f"{r['doc_id']}~{k}"
            if r.get("kind") == "event":
                r["id"] = f"{r['id']}~{k}"
            # Copies are other articles: drop the sketch, or all would be near-duplicates.
            if r.get("kind") == "document":
                r["fingerprint"] = None
            out.write(date_re.sub(move, json.dumps(r, ensure_ascii=False)) + "\n")
PY
  records=$(wc -l < "$work/copies.jsonl")
  events=$(grep -c '"kind": *"event"' "$work/copies.jsonl" || true)
  /usr/bin/time -f "%e %M" -o "$work/fuse.time" "$bin" fuse "$work/copies.jsonl" -o "$work/fused.jsonl"
  read -r s kb < "$work/fuse.time"
  echo "fuse ${copies}x: $records records, $events events: ${s}s, peak RSS $((kb / 1024)) MB"
  echo "$date,$copies,$records,$events,$s,$((kb / 1024))" >> "$results"
done
