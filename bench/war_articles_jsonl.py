#!/usr/bin/env python3
"""The bench's 447 war articles come as .txt files; this writes their JSON Lines form
(id, published from the file name's date, text), as bench/corpus_throughput.sh and
bench/peers.sh read them.   war_articles_jsonl.py SRC_DIR DST.jsonl"""
import json
import os
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(dst, "w", encoding="utf-8") as out:
    for name in sorted(os.listdir(src)):
        if not name.endswith(".txt"):
            continue
        text = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
        day = name[:8]
        out.write(json.dumps({"id": name[:-4], "published": f"{day[:4]}-{day[4:6]}-{day[6:8]}",
                              "text": text}) + "\n")
