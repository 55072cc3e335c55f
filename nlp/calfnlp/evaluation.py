"""Metrics with the same definitions as ../shared/eval/score.py, plus per-class precision/recall/F1, the
confusion matrix and expected calibration error. `evaluate()` returns a dict; the CLI only prints it."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Optional, Sequence

from .assessment import LEVEL
from .dataset import CORE, LABELS


def _pct(a: float, b: float) -> Optional[float]:
    return round(100.0 * a / b, 2) if b else None


def score(gold: Sequence, preds: Sequence[dict]) -> dict:
    """gold: rows with .cause and .urgency; preds: Assessment dicts (or None for a missing prediction)."""
    n = len(gold)
    top1 = top3 = core_n = core1 = core3 = 0
    exact = under = em_n = em_hit = up_n = up_hit = sc_n = sc_over = 0
    confusion: dict[str, Counter] = defaultdict(Counter)
    tp, fp, fn = Counter(), Counter(), Counter()
    conf_bins: list[tuple[float, bool]] = []
    for g, p in zip(gold, preds):
        p = p or {}
        top = p.get("top_cause")
        ranked = [c["label"] for c in sorted(p.get("causes") or [], key=lambda c: -c["probability"])]
        if g.cause == "other":
            ok1 = top in (None, "other")
            ok3 = ok1 or "other" in ranked[:3]
        else:
            ok1 = top == g.cause
            ok3 = g.cause in ranked[:3]
        top1 += ok1
        top3 += ok3
        if g.cause in CORE:
            core_n += 1
            core1 += ok1
            core3 += ok3
        predicted = top or "other"
        confusion[g.cause][top or "none"] += 1
        if ok1:
            tp[g.cause] += 1
        else:
            fn[g.cause] += 1
            fp[predicted] += 1
        if p.get("causes"):
            best = max(p["causes"], key=lambda c: c["probability"])
            conf_bins.append((best["probability"], best["label"] == g.cause))
        gu, pu = LEVEL[g.urgency], LEVEL.get(p.get("urgency"), -1)
        exact += gu == pu
        under += pu < gu
        if gu == 3:
            em_n += 1
            em_hit += pu == 3
        if gu >= 2:
            up_n += 1
            up_hit += pu >= 2
        if gu == 0:
            sc_n += 1
            sc_over += pu >= 2
    per_class = {}
    for c in LABELS:
        prec = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        rec = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[c] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                        "support": tp[c] + fn[c]}
    return {
        "cases": n,
        "top1_all": _pct(top1, n),
        "top3_all": _pct(top3, n),
        "top1_core": _pct(core1, core_n),
        "top3_core": _pct(core3, core_n),
        "macro_f1_core": round(100.0 * sum(per_class[c]["f1"] for c in CORE) / len(CORE), 2),
        "macro_f1_all": round(100.0 * sum(per_class[c]["f1"] for c in LABELS) / len(LABELS), 2),
        "urgency_exact": _pct(exact, n),
        "under_triage": _pct(under, n),
        "emergency_sensitivity": _pct(em_hit, em_n),
        "urgent_or_higher_sensitivity": _pct(up_hit, up_n),
        "self_care_over_triage": _pct(sc_over, sc_n),
        "ece": expected_calibration_error(conf_bins),
        "per_class": per_class,
        "confusion": {k: dict(v) for k, v in sorted(confusion.items())},
    }


def expected_calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> Optional[float]:
    """ECE of the top-ranked cause: mean |accuracy - confidence| over 10 equal-width bins, weighted by size."""
    if not pairs:
        return None
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, ok) for p, ok in pairs if lo < p <= hi or (b == 0 and p == 0)]
        if inside:
            conf = sum(p for p, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) * abs(acc - conf)
    return round(total / len(pairs), 4)


def has_negation(classifier, texts) -> list[bool]:
    """Whether calfnlp's context stage found a negation trigger in each text (for the negation slice)."""
    from .docdata import TRIGGERS

    return [any(c == "negated" for _, _, c in doc.user_data.get(TRIGGERS, ())) for doc in classifier.nlp.pipe(texts)]


def evaluate(gold_path, classifier=None, data_dir=None, baselines: bool = True) -> dict:
    """Classify every row of a gold JSONL file (text, cause, urgency) and score calfnlp and, when the
    training data is at hand, the baselines (majority, TF-IDF + logistic regression, findings + rules)
    on the same rows, overall and on the rows that contain a negation."""
    from pathlib import Path

    from .api import get_classifier
    from .dataset import read_rows

    rows = read_rows(Path(gold_path), require_batch=False)
    clf = classifier or get_classifier()
    texts = [r.text for r in rows]
    systems = {"calfnlp": [a.to_dict() for a in clf.classify_many(texts)]}
    note = None
    if baselines:
        from . import baselines as B
        from .dataset import DataError, load_splits

        try:
            splits = load_splits(Path(data_dir) if data_dir else _default_data_dir())
            train = splits["train"] + splits["validation"]
            systems["majority"] = B.majority(train)(texts)
            systems["tfidf_logreg"] = B.tfidf_logreg(train)(texts)
            systems["findings_rules"] = B.findings_rules(clf)(texts)
        except (DataError, FileNotFoundError) as exc:
            note = f"baselines skipped: {exc}"
    negated = has_negation(clf, texts)
    neg_rows = [r for r, n in zip(rows, negated) if n]
    out = {name: score(rows, preds) for name, preds in systems.items()}
    out["negation_slice"] = {name: score(neg_rows, [p for p, n in zip(preds, negated) if n])
                             for name, preds in systems.items()}
    if note:
        out["note"] = note
    return out


def _default_data_dir():
    from pathlib import Path

    here = Path.cwd() / "data"
    return here if (here / "manifest.json").exists() else Path(__file__).resolve().parents[2] / "data"
