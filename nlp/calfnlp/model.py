"""Apply the fitted cause model with numpy alone (no scikit-learn, scipy or joblib import on the
classify path: see docs/performance.md).

`training.py` fits a DictVectorizer + LogisticRegression with temperature scaling in scikit-learn, and
exports its parameters to `causes.npz`: feature names, coefficients, intercepts and the inverse
temperature. Here p = softmax(beta * (x @ W + b)). `meta.json` records the sha256 of each artifact; the
weights are checked before they are read.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence, Union

from functools import partial
from operator import is_not

import numpy as np

from .errors import ModelError

_NOT_NONE = partial(is_not, None)
WEIGHTS = "causes.npz"
ESTIMATOR = "causes.joblib"
META = "meta.json"


def default_dir() -> Path:
    return Path(str(resources.files("calfnlp.models")))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_meta(model_dir: Union[str, Path, None] = None) -> dict:
    model_dir = Path(model_dir) if model_dir is not None else default_dir()
    path = model_dir / META
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no model at {model_dir} ({META} is missing); run `calfnlp train`") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from None


def verified_path(model_dir: Path, meta: dict, name: str) -> Path:
    """The path of artifact `name`, after checking its sha256 against meta.json."""
    path = model_dir / name
    expected = meta.get("artifacts", {}).get(name, {}).get("sha256")
    if not expected:
        raise ModelError(f"{META} in {model_dir} records no sha256 for {name}; retrain with `calfnlp train`")
    try:
        actual = sha256_file(path)
    except FileNotFoundError:
        raise ModelError(f"model file {path} is missing; reinstall calfnlp or run `calfnlp train`") from None
    if actual != expected:
        raise ModelError(f"model file {path} does not match the sha256 in {META} (it was changed or corrupted); "
                         "reinstall calfnlp or run `calfnlp train`")
    return path


def load_estimator(model_dir: Union[str, Path, None] = None):
    """The full scikit-learn estimator (for evaluation and retraining), unpickled only after its sha256 matches
    meta.json; warns when it was saved with another scikit-learn version. Never unpickle other files."""
    import warnings

    import joblib
    import sklearn

    model_dir = Path(model_dir) if model_dir is not None else default_dir()
    meta = read_meta(model_dir)
    path = verified_path(model_dir, meta, ESTIMATOR)
    saved = meta.get("versions", {}).get("scikit-learn")
    if saved and saved != sklearn.__version__:
        warnings.warn(f"{path} was saved with scikit-learn {saved}; this is {sklearn.__version__}", stacklevel=2)
    return joblib.load(path)


@dataclass(frozen=True)
class CauseModel:
    labels: tuple[str, ...]
    index: dict  # finding-feature name -> row
    key_index: dict  # word key (int, see features.word_keys) -> row
    weights: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,)
    beta: float
    meta: dict
    centered: np.ndarray  # weights minus each feature's mean over labels, for evidence

    @classmethod
    def load(cls, model_dir: Union[str, Path, None] = None) -> "CauseModel":
        model_dir = Path(model_dir) if model_dir is not None else default_dir()
        meta = read_meta(model_dir)
        return cls.from_npz(verified_path(model_dir, meta, WEIGHTS), meta)

    @classmethod
    def from_npz(cls, path: Path, meta: dict) -> "CauseModel":
        try:
            with np.load(path, allow_pickle=False) as z:
                names = z["features"].tolist()
                keys = z["word_keys"].tolist()
                labels = tuple(z["labels"].tolist())
                weights = np.ascontiguousarray(z["coef"].T, dtype=np.float64)
                intercept = z["intercept"].astype(np.float64)
                beta = float(z["beta"])
        except (OSError, KeyError, ValueError, EOFError) as exc:
            raise ModelError(f"cannot read model weights {path}: {exc}") from None
        if weights.shape != (len(names) + len(keys), len(labels)):
            raise ModelError(f"model weights {path} have shape {weights.shape}, expected "
                             f"{(len(names) + len(keys), len(labels))}")
        index = {n: i for i, n in enumerate(names)}
        key_index = {k: i + len(names) for i, k in enumerate(keys)}
        centered = weights - weights.mean(axis=1, keepdims=True)
        return cls(labels, index, key_index, weights, intercept, beta, meta, centered)

    @property
    def sha256(self) -> Optional[str]:
        return self.meta.get("artifacts", {}).get(WEIGHTS, {}).get("sha256")

    @property
    def feature_options(self) -> dict:
        return self.meta.get("features", {"use_words": True, "word_weight": 1.0})

    @property
    def abstain_below(self) -> float:
        return float(self.meta.get("abstain_below", 0.0))

    def logits_split(self, findings: dict, word_keys: Sequence[int], word_weight: float) -> np.ndarray:
        """x @ W + b from finding features (name -> value) and word keys (each worth `word_weight`)."""
        z = self.intercept.copy()
        get = self.index.get
        by_value: dict[float, list] = {}
        for name, value in findings.items():
            i = get(name)
            if i is not None:
                by_value.setdefault(value, []).append(i)
        rows = list(filter(_NOT_NONE, map(self.key_index.get, word_keys)))
        if rows and word_weight:
            by_value.setdefault(word_weight, []).extend(rows)
        for value, idx in by_value.items():
            z += value * self.weights[idx].sum(axis=0)
        return z

    def logits(self, feats: dict) -> np.ndarray:
        """x @ W + b for a named feature dict, as training builds it ("w:<key>" for words)."""
        findings, keys, weight = {}, [], 0.0
        for name, value in feats.items():
            if name.startswith("w:"):
                keys.append(int(name[2:]))
                weight = value
            else:
                findings[name] = value
        return self.logits_split(findings, keys, weight)

    def proba_from_logits(self, z: np.ndarray) -> np.ndarray:
        z = self.beta * z
        z -= z.max()
        e = np.exp(z)
        return e / e.sum()

    def predict_proba(self, feature_dicts: Sequence[dict]) -> np.ndarray:
        out = np.empty((len(feature_dicts), len(self.labels)))
        for row, feats in enumerate(feature_dicts):
            out[row] = self.proba_from_logits(self.logits(feats))
        return out

    def contributions(self, feats: dict, label: str, names: Optional[Sequence[str]] = None) -> list[tuple[str, float]]:
        """Features (all, or just `names`) that pushed `label` up, strongest first."""
        j = self.labels.index(label)
        out = []
        for name in feats if names is None else names:
            value = feats.get(name, 0.0)
            i = self.index.get(name)
            if i is not None:
                c = value * self.centered[i, j]
                if c > 0:
                    out.append((name, c))
        out.sort(key=lambda x: -x[1])
        return out
