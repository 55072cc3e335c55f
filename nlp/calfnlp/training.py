"""Fit the cause model with scikit-learn and export it for numpy-only inference.

Flow: data/ (checked against its manifest) -> spaCy findings -> feature dicts -> DictVectorizer +
linear classifier -> temperature scaling (CalibratedClassifierCV, ensemble=False) -> models/causes.joblib
(the full estimator, for evaluation and retraining) + models/causes.npz (the fitted parameters that
model.py applies with numpy) + models/meta.json + models/MODEL_CARD.md.

The model family, features and C are chosen by cross-validation over train + validation (folds by writing
batch); calibration and the abstention threshold are fitted on train and chosen on validation; the final
model is refitted on train + validation and scored once on the test split.
"""
from __future__ import annotations

import json
import math
import platform
import time
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from . import __version__
from .dataset import LABELS, Row, data_hashes, label_counts, load_splits
from .evaluation import score
from .model import ESTIMATOR, META, WEIGHTS, sha256_file

SEED = 0
GRID_C = (0.3, 1.0, 3.0, 10.0)
GRID_FEATURES = tuple([{"use_words": False, "word_weight": 0.0, "bigrams": False}]
                      + [{"use_words": True, "word_weight": w, "bigrams": b} for b in (False, True) for w in (0.5, 1.0)])
ABSTAIN_GRID = (0.0, 0.2, 0.25, 0.3, 0.35, 0.4)
CV_FOLDS = 5


def _estimator(family: str, C: float):
    from sklearn.linear_model import LogisticRegression, RidgeClassifier

    if family == "logreg":
        return LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    if family == "ridge":
        return RidgeClassifier(alpha=1.0 / C, random_state=SEED)
    raise ValueError(family)


def _pipeline(family: str, C: float, calibrate: bool):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline

    clf = _estimator(family, C)
    if calibrate:
        clf = CalibratedClassifierCV(clf, method="temperature", ensemble=False,
                                     cv=StratifiedKFold(5, shuffle=True, random_state=SEED))
    return Pipeline([("vec", DictVectorizer()), ("clf", clf)])


class Extracted:
    """Texts run once through the spaCy stage; features are rebuilt cheaply per option set."""

    def __init__(self, classifier, rows: Sequence[Row]):
        from .api import _symptoms

        self.rows = list(rows)
        self.docs = list(classifier.nlp.pipe(r.text for r in self.rows))
        self.symptoms = [tuple(_symptoms(d, "calf_symptoms")) for d in self.docs]
        self.y = [r.cause for r in self.rows]

    def features(self, opts: dict) -> list[dict]:
        from .features import featurize

        return [featurize(d, s, **opts) for d, s in zip(self.docs, self.symptoms)]


def export_weights(pipe, path: Path) -> None:
    """Write the fitted parameters of a calibrated linear pipeline as plain arrays (no pickle): finding
    features by name, word features by their integer key (features.word_keys)."""
    vec, cal = pipe.named_steps["vec"], pipe.named_steps["clf"]
    inner = cal.calibrated_classifiers_[0]
    est = inner.estimator
    beta = float(inner.calibrators[0].beta_)
    labels = [str(cal.classes_[int(c)]) if not isinstance(c, str) else c for c in est.classes_]
    names = list(vec.feature_names_)
    coef = np.asarray(est.coef_, dtype=np.float64)
    plain = [i for i, n in enumerate(names) if not n.startswith("w:")]
    # word features sorted by key, as model.py searches them; uncompressed, because float weights hardly
    # compress and decompressing was a third of the model's load time
    words = sorted((i for i, n in enumerate(names) if n.startswith("w:")), key=lambda i: int(names[i][2:]))
    with open(path, "wb") as fh:
        np.savez(
            fh, features=np.array([names[i] for i in plain], dtype=str),
            word_keys=np.array([int(names[i][2:]) for i in words], dtype=np.uint64),
            labels=np.array(labels, dtype=str), coef=coef[:, plain + words],
            intercept=np.asarray(est.intercept_, dtype=np.float64), beta=np.float64(beta))


def _predict_dicts(clf, model, ex: Extracted) -> list[dict]:
    """Assessments of the extracted rows with `model`, through the same path as classify, for scoring."""
    clf.model = model
    return [clf.assess_doc(doc, text=row.text).to_dict() for doc, row in zip(ex.docs, ex.rows)]


def train(data_dir: Path, out_dir: Path, log=print) -> dict:
    from sklearn import __version__ as sk_version
    import joblib
    import spacy

    from .api import Classifier
    from .model import CauseModel

    t0 = time.perf_counter()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    splits = load_splits(data_dir)
    clf = Classifier(model_dir=out_dir / "__none__")  # pipeline only; the model is what we build
    ex = {name: Extracted(clf, rows) for name, rows in splits.items()}
    log(f"extracted findings: " + ", ".join(f"{k} {len(v.rows)}" for k, v in ex.items()))

    # 1. choose family, features and C by grouped cross-validation over train + validation (uncalibrated:
    # calibration keeps the ranking). Folds hold out whole writing batches, as the splits do; scoring every
    # candidate on all 1,650 pooled descriptions instead of the 370 of one validation split keeps the choice
    # from flipping on a single description when the extraction changes.
    from sklearn.model_selection import GroupKFold

    pool_y = np.array(ex["train"].y + ex["validation"].y)
    groups = [r.batch for r in ex["train"].rows + ex["validation"].rows]
    folds = list(GroupKFold(n_splits=CV_FOLDS).split(np.zeros(len(pool_y)), pool_y, groups))
    pooled = [ex["train"].features(opts) + ex["validation"].features(opts) for opts in GRID_FEATURES]
    # each fold's features are vectorized once and shared by every family and C: the matrices _pipeline's
    # DictVectorizer would build for each of them, so the same fits (vectorizing was over a third of training)
    from sklearn.feature_extraction import DictVectorizer

    right: dict[tuple, int] = {}
    for k, X in enumerate(pooled):
        for fit_idx, held_idx in folds:
            vec = DictVectorizer()
            fit_X, held_X = vec.fit_transform([X[i] for i in fit_idx]), vec.transform([X[i] for i in held_idx])
            for family in ("logreg", "ridge"):
                for C in GRID_C:
                    guess = _estimator(family, C).fit(fit_X, pool_y[fit_idx]).predict(held_X)
                    right[family, k, C] = right.get((family, k, C), 0) + int(np.sum(guess == pool_y[held_idx]))
    results = [{"family": family, "C": C, **opts, "cv_top1": round(100 * right[family, k, C] / len(pool_y), 2)}
               for family in ("logreg", "ridge") for k, opts in enumerate(GRID_FEATURES) for C in GRID_C]
    # one-standard-error rule: the simplest model (findings only < words < words + bigrams, then stronger
    # regularisation) whose cross-validated top-1 is within one standard error of the best
    n_cv = len(pool_y)
    top = max(r["cv_top1"] for r in results) / 100
    floor = 100 * (top - math.sqrt(top * (1 - top) / n_cv))
    results.sort(key=lambda r: (-r["cv_top1"], r["bigrams"], r["use_words"], r["family"] != "ridge", r["C"]))
    best = min((r for r in results if r["cv_top1"] >= floor),
               key=lambda r: (r["use_words"], r["bigrams"], r["C"], r["family"] != "ridge", -r["cv_top1"]))
    opts = {"use_words": best["use_words"], "word_weight": best["word_weight"], "bigrams": best["bigrams"]}
    log(f"selected {best}")

    # 2. calibrate on train, pick the abstention threshold on validation
    pipe = _pipeline(best["family"], best["C"], calibrate=True).fit(ex["train"].features(opts), ex["train"].y)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / ".selection.npz"
    export_weights(pipe, tmp)
    gold_va = ex["validation"].rows
    abstain = max(ABSTAIN_GRID, key=lambda a: (
        score(gold_va, _predict_dicts(clf, _numpy_model(tmp, opts, a), ex["validation"]))["top1_all"], -a))
    sel = _numpy_model(tmp, opts, abstain)
    tmp.unlink()

    # 3. refit on train + validation, score once on test
    both_X = ex["train"].features(opts) + ex["validation"].features(opts)
    both_y = ex["train"].y + ex["validation"].y
    final = _pipeline(best["family"], best["C"], calibrate=True).fit(both_X, both_y)
    joblib.dump(final, out_dir / ESTIMATOR, compress=3)
    export_weights(final, out_dir / WEIGHTS)
    model = _numpy_model(out_dir / WEIGHTS, opts, abstain)
    metrics = {
        "validation_selection": score(gold_va, _predict_dicts(clf, sel, ex["validation"])),
        "test": score(ex["test"].rows, _predict_dicts(clf, model, ex["test"])),
    }
    from . import baselines as B

    test_texts = [r.text for r in ex["test"].rows]
    train_rows = ex["train"].rows + ex["validation"].rows
    base = {"majority": score(ex["test"].rows, B.majority(train_rows)(test_texts)),
            "tfidf_logreg": score(ex["test"].rows, B.tfidf_logreg(train_rows)(test_texts))}
    for m in list(metrics.values()) + list(base.values()):
        m.pop("confusion", None)
        m.pop("per_class", None)
    meta = {
        "name": "calfnlp-causes",
        "version": __version__,
        "labels": list(model.labels),
        "family": best["family"],
        "C": best["C"],
        "features": opts,
        "abstain_below": abstain,
        "seed": SEED,
        "selection": results[:12],
        "selection_rule": (f"simplest model within one standard error of the best {CV_FOLDS}-fold cross-validated "
                           f"top-1 over train + validation, folds by writing batch (>= {floor:.2f})"),
        "data": {"sha256": data_hashes(data_dir),
                 "rows": {k: len(v) for k, v in splits.items()},
                 "labels": {k: label_counts(v) for k, v in splits.items()}},
        "metrics": metrics,
        "baselines_on_test": base,
        "versions": {"calfnlp": __version__, "python": platform.python_version(), "spacy": spacy.__version__,
                     "scikit-learn": sk_version, "numpy": np.__version__, "joblib": joblib.__version__},
        "train_command": "calfnlp train",
        "train_seconds": round(time.perf_counter() - t0, 1),
        "artifacts": {name: {"sha256": sha256_file(out_dir / name)} for name in (WEIGHTS, ESTIMATOR)},
    }
    (out_dir / META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    from .modelcard import write_model_card

    write_model_card(out_dir)
    CauseModel.load(out_dir)  # the artifact we wrote must load
    log(f"test: top1_all {metrics['test']['top1_all']} top1_core {metrics['test']['top1_core']} "
        f"ECE {metrics['test']['ece']}; wrote {out_dir} in {meta['train_seconds']} s")
    return meta


def _numpy_model(path: Path, opts: dict, abstain: float = 0.0):
    from .model import CauseModel

    return CauseModel.from_npz(path, {"features": opts, "abstain_below": abstain})
