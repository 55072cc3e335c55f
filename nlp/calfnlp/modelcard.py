"""Write models/MODEL_CARD.md from models/meta.json, so the card always states the shipped figures."""
from __future__ import annotations

import json
from pathlib import Path

KEYS = ("top1_all", "top3_all", "top1_core", "top3_core", "macro_f1_core", "urgency_exact",
        "emergency_sensitivity", "urgent_or_higher_sensitivity", "self_care_over_triage", "ece")


def render(meta: dict) -> str:
    m = meta["metrics"]
    cols = [k for k in m]
    lines = [
        f"# Model card: {meta['name']} {meta['version']}",
        "",
        "Generated from `meta.json` by `calfnlp train`; do not edit by hand.",
        "",
        "## What it does",
        "Ranks the likely cause of a calf-pain description among "
        + ", ".join(f"`{l}`" for l in meta["labels"])
        + " from the findings calfnlp's spaCy stage extracts (with their negation, hypothetical, history and "
        "other-person context) and, where they helped on validation, the words. It is not a diagnosis; the "
        "red-flag safety layer runs independently of it and always wins on urgency.",
        "",
        "## Model",
        f"- family: `{meta['family']}` (C={meta['C']}), temperature-scaled probabilities "
        "(scikit-learn `CalibratedClassifierCV(method='temperature', ensemble=False)`)",
        f"- features: {json.dumps(meta['features'])}; abstains (`top_cause: null`) below probability "
        f"{meta['abstain_below']} or when it ranks `other` first",
        f"- seed {meta['seed']}; trained in {meta['train_seconds']} s with `{meta['train_command']}`",
        f"- versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- artifacts: " + ", ".join(f"`{k}` sha256 `{v['sha256'][:16]}…`" for k, v in meta["artifacts"].items()),
        "",
        "## Data",
        "Descriptions written for this project (data/README.md), split by writing batch:",
        "",
        "| split | rows | labels |",
        "|---|---|---|",
    ]
    for split, n in meta["data"]["rows"].items():
        labels = ", ".join(f"{k} {v}" for k, v in meta["data"]["labels"][split].items())
        lines.append(f"| {split} | {n} | {labels} |")
    lines += ["", "## Measured", "",
              "Same definitions as ../shared/eval/score.py (percentages; ECE is expected calibration error of the "
              "top-ranked cause, 0-1).", "",
              "| metric | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for k in KEYS:
        lines.append(f"| {k} | " + " | ".join(str(m[c].get(k)) for c in cols) + " |")
    base = meta.get("baselines_on_test", {})
    if base:
        lines += ["", "Baselines on the same test split, trained on the same data (`calfnlp evaluate` prints them "
                  "beside calfnlp for any gold file):", "",
                  "| metric | calfnlp | " + " | ".join(base) + " |", "|---|---|" + "---|" * len(base)]
        for k in ("top1_all", "top1_core", "macro_f1_core", "urgency_exact", "emergency_sensitivity"):
            lines.append(f"| {k} | {m['test'].get(k)} | " + " | ".join(str(base[b].get(k)) for b in base) + " |")
    lines += ["", "`validation_selection` is the model fitted on train only (used to choose the abstention threshold; "
              "the family, features and C are chosen by cross-validation, below); `test` is the shipped model "
              "(refitted on train + validation), scored once.",
              "", "## Model selection (top-1, uncalibrated)", "",
              f"Rule: {meta.get('selection_rule', 'best validation top-1')}.", "",
              f"| family | features | C | {'cross-validated' if 'cv_top1' in meta['selection'][0] else 'validation'} top-1 |",
              "|---|---|---|---|"]
    for r in meta["selection"]:
        feats = ("findings + words%s x%s" % (" + bigrams" if r.get("bigrams") else "", r["word_weight"])
                 if r["use_words"] else "findings only")
        lines.append(f"| {r['family']} | {feats} | {r['C']} | {r.get('cv_top1', r.get('validation_top1'))} |")
    lines += ["", "## Limits",
              "- Trained on descriptions written by the team, not on real patients' words; scores on the team's own "
              "test split flatter it. See README.md for the figures on independently written descriptions.",
              "- English only. It reads words, not legs: a description that leaves out a key fact gets a wrong answer.",
              ""]
    return "\n".join(lines)


def write_model_card(model_dir: Path) -> Path:
    model_dir = Path(model_dir)
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    path = model_dir / "MODEL_CARD.md"
    path.write_text(render(meta), encoding="utf-8")
    return path
