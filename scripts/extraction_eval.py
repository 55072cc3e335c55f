"""Per-finding precision/recall and context accuracy of the spaCy stage on the extraction gold set.

    python scripts/extraction_eval.py [--split dev|heldout|all] [--errors]

tests/data/extraction/gold_01-05 and gold_11 onwards are used while writing the rules (dev); gold_06-10 only
score them (heldout).
"""
import argparse
import json
from pathlib import Path

import spacy

from calfnlp.extraction_eval import LATER_IDS, read_gold, score
from calfnlp.catalogue import symptoms

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "extraction"
HELDOUT = range(6, 11)
ALL = sorted(int(p.stem[5:]) for p in GOLD.glob("gold_*.jsonl"))
SPLITS = {"dev": [i for i in ALL if i not in HELDOUT], "heldout": HELDOUT, "all": ALL}

ap = argparse.ArgumentParser()
ap.add_argument("--split", default="heldout", choices=SPLITS)
ap.add_argument("--errors", action="store_true")
args = ap.parse_args()
nlp = spacy.blank("en")
nlp.add_pipe("calf_symptoms")
nlp.add_pipe("calf_context")
rows = read_gold(GOLD / f"gold_{i:02d}.jsonl" for i in SPLITS[args.split])
known = {f.id for f in symptoms()} - LATER_IDS
res = score(nlp, rows, known)
print(f"{args.split}: {res['sentences']} sentences  precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
      f"micro-F1 {res['micro_f1']:.4f}  context accuracy {res['context_accuracy']:.4f}")
for fid, c in res["per_finding"].items():
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0
    print(f"  {fid:24} P {p:.2f}  R {r:.2f}  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
if args.errors:
    for e in res["errors"]:
        print(json.dumps(e))
