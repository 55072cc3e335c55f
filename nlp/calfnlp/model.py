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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence, Union

import numpy as np

from .errors import ModelError

_FIRST = np.zeros(1, dtype=np.intp)  # reduceat over one segment starting at row 0
SINGLE_LOOKUPS = 64  # single descriptions before _add_words_one switches to a dict look-up

WEIGHTS = "causes.npz"


def _minus_second(pair: tuple) -> float:
    return -pair[1]


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
    index: dict  # finding-feature name -> row of `all_weights`
    words: np.ndarray  # word keys (uint64, see features.word_keys), sorted
    all_weights: np.ndarray  # (n_findings + n_words + 1, n_labels): finding rows, word rows (row n_findings + k
    #                          belongs to words[k]), then a row of zeros
    intercept: np.ndarray  # (n_labels,)
    beta: float
    meta: dict
    centered: np.ndarray  # finding weights minus each feature's mean over labels, for evidence
    centered_rows: list  # the same as Python floats (reading a numpy array one number at a time is slow)
    # word key -> row of `all_weights`, for single descriptions (_add_words_one); built on first use
    _row_of: Optional[dict] = field(default=None, compare=False, repr=False)
    _single_calls: int = field(default=0, compare=False, repr=False)

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
                keys = z["word_keys"].astype(np.uint64)
                labels = tuple(z["labels"].tolist())
                coef = np.asarray(z["coef"], dtype=np.float64)
                intercept = z["intercept"].astype(np.float64)
                beta = float(z["beta"])
        except (OSError, KeyError, ValueError, EOFError) as exc:
            raise ModelError(f"cannot read model weights {path}: {exc}") from None
        if coef.shape != (len(labels), len(names) + len(keys)):
            raise ModelError(f"model weights {path} have shape {coef.T.shape}, expected "
                             f"{(len(names) + len(keys), len(labels))}")
        # word rows sorted by key: a binary search in a compact array (np.searchsorted) finds a description's
        # rows with a few cache misses, where a dict of 28,000 Python ints took one or more per key
        word_coef = coef[:, len(names):].T
        if len(keys) > 1 and not (keys[:-1] < keys[1:]).all():  # models exported before the keys were sorted
            order = np.argsort(keys, kind="stable")
            keys, word_coef = keys[order], word_coef[order]
        weights = np.ascontiguousarray(coef[:, :len(names)].T)
        all_weights = np.vstack([weights, word_coef, np.zeros((1, len(labels)))])
        index = {n: i for i, n in enumerate(names)}
        centered = weights - weights.mean(axis=1, keepdims=True)
        return cls(labels, index, np.ascontiguousarray(keys), all_weights, intercept, beta, meta,
                   centered, centered.tolist())

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
        keys = np.array(word_keys, dtype=np.uint64)
        return self.logits_many([findings], (keys, np.zeros(len(keys), dtype=np.intp)), word_weight)[0]

    def logits_many(self, findings: Sequence[dict], words: tuple[np.ndarray, np.ndarray],
                    word_weight: float) -> np.ndarray:
        """x @ W + b for a batch of descriptions, one row each. `words` is (keys, owners) as
        features.word_key_arrays gives it: word key keys[i] belongs to description owners[i]; a key that
        repeats within a description counts once. A fixed number of numpy calls per batch (a dozen small
        calls per description cost more than the arithmetic); each description's rows are summed on their
        own, in row order, so it scores the same alone or in any batch."""
        n = len(findings)
        z = self._finding_logits(findings)
        if n == 1:  # classify: the word step in a third of the numpy calls
            return self._add_words_one(z, words[0], word_weight)
        zero = len(self.all_weights) - 1  # a row of zeros
        keys, owners = words
        if word_weight and len(keys) and len(self.words):
            vocab = self.words
            # looked up in key order: a binary search for each of a batch's ~30,000 keys in turn walks the
            # 28,000 sorted keys with a cache miss per step; in key order, neighbouring searches share their
            # path (about 2.5x faster with the sort). The pairs are sorted below, so the order does not matter.
            order = np.argsort(keys)
            keys, owners = keys[order], owners[order]
            at = np.searchsorted(vocab, keys)
            np.minimum(at, len(vocab) - 1, out=at)
            hit = vocab[at] == keys
            # one (description, row) pair per known word, sorted: description by description, rows ascending
            pairs = np.sort((owners[hit].astype(np.int64) << 32) | at[hit])
            if len(pairs) > 1:  # drop repeats (np.unique would do, but its first call imports for ~17 ms)
                pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
            if len(pairs):
                word_rows = (pairs & 0xFFFFFFFF) + len(self.index)
                ends = np.cumsum(np.bincount(pairs >> 32, minlength=n))
                # a zero row closes each description's rows: no segment is empty, and a description's segment
                # is the same alone or in a batch (reduceat's rounding depends on a segment's length)
                rows_closed = np.insert(word_rows, ends, zero)
                first = np.concatenate(([0], ends[:-1])) + np.arange(n)
                sums = np.add.reduceat(self.all_weights[rows_closed], first)
                sums *= word_weight
                z += sums
        z += self.intercept
        return z

    def _finding_logits(self, findings: Sequence[dict]) -> np.ndarray:
        """The finding features' part of x @ W, one row per description (each ends with a zero row, so no
        segment is empty)."""
        zero = len(self.all_weights) - 1
        get = self.index.get
        rows: list[int] = []
        values: list[float] = []
        starts: list[int] = []
        for feats in findings:
            starts.append(len(rows))
            for name, value in feats.items():
                i = get(name)
                if i is not None:
                    rows.append(i)
                    values.append(value)
            rows.append(zero)
            values.append(0.0)
        gathered = self.all_weights[rows]
        if any(v != 1.0 for v in values):
            gathered *= np.array(values)[:, None]
        return np.add.reduceat(gathered, starts)

    def _add_words_one(self, z: np.ndarray, keys: np.ndarray, word_weight: float) -> np.ndarray:
        """logits_many's word step and intercept for one description: the same rows summed in the same order
        by the same reduction, so the same numbers to the last bit (tested). Once a process classifies
        descriptions one at a time, their hundred-odd keys are looked up in a dict: for so few, that beats the
        numpy calls of a binary search on tiny arrays (about 13 us a description)."""
        vocab = self.words
        if word_weight and len(keys) and len(vocab):
            row_of = self._row_of
            if row_of is None:
                # the dict costs 4 ms to build, which a one-off `calfnlp classify` would pay for nothing: a
                # process builds it once it has classified SINGLE_LOOKUPS descriptions one at a time
                object.__setattr__(self, "_single_calls", self._single_calls + 1)  # a frozen dataclass
                if self._single_calls >= SINGLE_LOOKUPS:
                    offset = len(self.index)
                    row_of = dict(zip(vocab.tolist(), range(offset, offset + len(vocab))))
                    object.__setattr__(self, "_row_of", row_of)
            if row_of is not None:
                found = sorted({r for r in map(row_of.get, keys.tolist()) if r is not None})
            else:
                at = np.searchsorted(vocab, keys)
                np.minimum(at, len(vocab) - 1, out=at)
                found = sorted({r + len(self.index) for r in at[vocab[at] == keys].tolist()})
            if found:
                found.append(len(self.all_weights) - 1)  # closed by the zero row
                sums = np.add.reduceat(self.all_weights[found], _FIRST)
                sums *= word_weight
                z += sums
        z += self.intercept
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
        """Softmax of beta * z, over the last axis (one description, or one row per description)."""
        z = self.beta * z
        z -= z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)

    def predict_proba(self, feature_dicts: Sequence[dict]) -> np.ndarray:
        return np.array([self.proba_from_logits(self.logits(feats)) for feats in feature_dicts]).reshape(
            len(feature_dicts), len(self.labels))

    def contributions(self, feats: dict, label: str, names: Optional[Sequence[str]] = None) -> list[tuple[str, float]]:
        """Features (all, or just `names`) that pushed `label` up, strongest first."""
        j = self.labels.index(label)
        rows = self.centered_rows
        out = []
        for name in feats if names is None else names:
            i = self.index.get(name)
            if i is not None:
                c = feats.get(name, 0.0) * rows[i][j]
                if c > 0:
                    out.append((name, c))
        out.sort(key=_minus_second)
        return out

