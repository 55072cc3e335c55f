"""The red-flag phrasing tables (tests/data/safety_cases*.jsonl) through calfnlp.classify_many.

    python scripts/red_flag_tables.py [--list]

Prints how many must_flag rows miss their flag (must be 0: missing a red flag is the worst failure) and how
many negatives (must_flag false) raise any red flag; --list prints every such row.
"""
import argparse
import json
from pathlib import Path

import calfnlp

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"

ap = argparse.ArgumentParser()
ap.add_argument("--list", action="store_true")
args = ap.parse_args()
rows = [json.loads(line) for p in sorted(DATA.glob("safety_cases*.jsonl")) for line in open(p, encoding="utf-8")
        if line.strip()]
out = list(calfnlp.classify_many(r["text"] for r in rows))
pos = [(r, a) for r, a in zip(rows, out) if r["must_flag"]]
neg = [(r, a) for r, a in zip(rows, out) if not r["must_flag"]]
missed = [(r["flag"], r["text"]) for r, a in pos if r["flag"] not in {f.id for f in a.red_flags}]
alarms = [([f.id for f in a.red_flags], r["text"]) for r, a in neg if a.red_flags]
print(f"must_flag rows {len(pos)}: {len(missed)} missed (recall {1 - len(missed) / len(pos):.4f}); "
      f"negatives {len(neg)}: {len(alarms)} with a red flag (specificity {1 - len(alarms) / len(neg):.4f})")
if args.list:
    for flag, text in missed:
        print("missed", flag, text)
    for flags, text in alarms:
        print("false alarm", flags, text)
