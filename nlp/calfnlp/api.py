"""The library: text -> Assessment.

    import calfnlp
    a = calfnlp.classify("my calf is swollen and my urine is dark")
    for a in calfnlp.classify_many(texts): ...

The spaCy pipeline and the model load once, lazily and thread-safely, on first use. If the model cannot be
loaded or fails, classify still returns the red flags and urgency of the safety layer, with the error in
`model_error` (degraded mode): never a silent pass.
"""
from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from .assessment import Assessment, Cause, ModelInfo, Symptom, make_symptom
from .docdata import FLAGS as FLAGS_KEY
from .docdata import PROXY as PROXY_KEY
from .errors import InputError, ModelError

MAX_CHARS = 5000
MODEL_NAME = "calfnlp-causes"
log = logging.getLogger("calfnlp")


def check_text(text: object) -> str:
    """Return `text` if calfnlp can classify it, else raise InputError saying why."""
    if not isinstance(text, str):
        raise InputError(f"expected text (a str), got {type(text).__name__}")
    if not text.strip():
        raise InputError("the text is empty; describe the calf pain in a few words")
    if len(text) > MAX_CHARS:
        raise InputError(f"the text is {len(text)} characters long; the limit is {MAX_CHARS}")
    return text


@dataclass(frozen=True)
class BatchError:
    """A batch line that could not be classified."""

    id: Optional[str]
    error: str

    def to_dict(self) -> dict:
        return {"id": self.id, "error": self.error}


class Classifier:
    """A loaded pipeline + cause model. Build one with `calfnlp.load()`."""

    def __init__(self, model_dir: Union[str, Path, None] = None, strict: bool = False):
        import spacy

        from . import components  # noqa: F401  (registers the factories when not installed)
        from .model import CauseModel

        self.nlp = spacy.blank("en")
        # findings as plain data only (no Span objects): the Assessment is built from doc.user_data
        self.nlp.add_pipe("calf_symptoms", config={"spans": False})
        self.nlp.add_pipe("calf_context")
        self.model: Optional[CauseModel] = None
        self.model_error: Optional[str] = None
        try:
            self.model = CauseModel.load(model_dir)
        except ModelError as exc:
            if strict:
                raise
            self.model_error = str(exc)
            log.warning("cause model unavailable, safety layer only: %s", exc)
        if self.model is not None:
            self.info = ModelInfo(MODEL_NAME, self.model.meta.get("version", "?"), self.model.sha256)
        else:
            self.info = ModelInfo(MODEL_NAME, "unavailable", None)

    # -- public -------------------------------------------------------------------------------------
    def classify(self, text: str) -> Assessment:
        # our own pipeline, so its steps are called directly: Language.__call__'s per-component bookkeeping
        # (configs, error handlers) was about 3% of a classify
        doc = self.nlp.make_doc(check_text(text))
        for _, step in self.nlp.pipeline:
            doc = step(doc)
        return self.assess_doc(doc, text=text)

    def classify_many(self, texts: Iterable[str], batch_size: int = 256, n_process: int = 1) -> Iterator[Assessment]:
        from spacy.util import minibatch

        checked = ((check_text(t), t) for t in texts)
        docs = self.nlp.pipe(checked, as_tuples=True, batch_size=batch_size, n_process=n_process)
        for batch in _batches_without_gc(minibatch(docs, batch_size),
                                         lambda b: self.assess_docs([d for d, _ in b], [t for _, t in b])):
            yield from batch

    def classify_records(self, records: Iterable[tuple[Optional[str], object]], batch_size: int = 256,
                         n_process: int = 1) -> Iterator[Union[Assessment, BatchError]]:
        """(id, text) pairs -> Assessment or BatchError, one per record, in input order. `text` may be an
        InputError from the reader (a line that could not be decoded or parsed)."""
        pending: dict[int, BatchError] = {}
        ids: list[Optional[str]] = []

        def valid():
            for n, (rid, text) in enumerate(records):
                ids.append(rid)
                try:
                    if isinstance(text, InputError):  # the reader could not read this line
                        raise text
                    yield check_text(text), (n, text)
                except InputError as exc:
                    pending[n] = BatchError(rid, str(exc))

        from spacy.util import minibatch

        next_out = 0
        docs = self.nlp.pipe(valid(), as_tuples=True, batch_size=batch_size, n_process=n_process)

        def assess(batch):
            return batch, self.assess_docs([d for d, _ in batch], [t for _, (_, t) in batch],
                                           [ids[n] for _, (n, _) in batch])

        for batch, assessed in _batches_without_gc(minibatch(docs, batch_size), assess):
            for (_, (n, _)), assessment in zip(batch, assessed):
                while next_out < n:
                    yield pending.pop(next_out)
                    next_out += 1
                yield assessment
                next_out = n + 1
        while next_out < len(ids):
            yield pending.pop(next_out)
            next_out += 1

    # -- the flow: findings -> features -> model -> safety -> Assessment ---------------------------------
    def assess_doc(self, doc, id: Optional[str] = None, spans_key: str = "calf_symptoms",
                   text: Optional[str] = None) -> Assessment:
        """Assessment of a Doc that went through calf_symptoms and calf_context. Pass `text` (the Doc's own
        text) when you have it: rebuilding it from the tokens is slow."""
        return self.assess_docs([doc], [text], [id], spans_key)[0]

    def assess_docs(self, docs: Sequence, texts: Optional[Sequence[Optional[str]]] = None,
                    ids: Optional[Sequence[Optional[str]]] = None, spans_key: str = "calf_symptoms") -> list[Assessment]:
        """Assessments of a batch of Docs (as `assess_doc`); the cause model scores the batch at once."""
        from . import safety

        n = len(docs)
        texts = [d.text if t is None else t for d, t in zip(docs, texts or [None] * n)]
        ids = ids or [None] * n
        symptom_lists = [tuple(_symptoms(d, spans_key, t)) for d, t in zip(docs, texts)]
        scored: list = [((), None)] * n
        errors = [self.model_error] * n
        if self.model is not None and n:
            try:
                scored = self._causes(docs, symptom_lists)
            except Exception:
                # degraded mode, one description at a time so that only the ones the model fails on lose
                # their causes: the safety layer still answers for every one
                for k in range(n):
                    try:
                        scored[k] = self._causes(docs[k:k + 1], symptom_lists[k:k + 1])[0]
                    except Exception as exc:
                        errors[k] = f"the cause model failed: {exc}"
                        log.warning("cause model failed, safety layer only: %s", exc)
        out = []
        info = self.info
        for text, id_, symptoms, (causes, top), error in zip(texts, ids, symptom_lists, scored, errors):
            urgency, flags, advice = safety.triage(top, symptoms, text)
            out.append(Assessment(urgency=urgency, red_flags=flags, top_cause=top, causes=causes, symptoms=symptoms,
                                  advice=advice, model=info, id=id_, model_error=error))
        return out

    def _causes(self, docs, symptom_lists) -> list[tuple[tuple[Cause, ...], Optional[str]]]:
        import numpy as np

        from .features import finding_features, word_key_arrays

        model = self.model
        opts = model.feature_options
        findings = [finding_features(s) for s in symptom_lists]
        if opts.get("use_words", True):
            words = word_key_arrays(docs, opts.get("bigrams", True))
        else:
            words = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp))
        proba = model.proba_from_logits(model.logits_many(findings, words, opts.get("word_weight", 1.0)))
        # most likely first; a stable sort keeps label order among equal probabilities, as sorted() would
        orders = np.argsort(-proba, axis=1, kind="stable").tolist()
        probas = proba.tolist()
        labels = model.labels
        other = labels.index("other") if "other" in labels else -1
        abstain = model.abstain_below
        new_cause = tuple.__new__
        out = []
        for feats, symptoms, proba, order in zip(findings, symptom_lists, probas, orders):
            texts = {}
            for s in symptoms:
                if not (s.negated or s.hypothetical or s.historical or s.other_person):  # s.present
                    texts.setdefault("f:" + s.id, s.text)
            names = list(texts)
            causes = []
            for j in order:
                p = proba[j]
                evidence = ()
                if p >= 0.05 and names and j != other:
                    evidence = tuple(texts[n] for n, _ in model.contributions(feats, labels[j], names))[:4]
                causes.append(new_cause(Cause, (labels[j], p, evidence)))  # Cause(label, p, evidence), faster
            best = order[0]
            top = None if (best == other or proba[best] < abstain or not names) else labels[best]
            out.append((tuple(causes), top))
        return out


def _batches_without_gc(batches: Iterator, work) -> Iterator:
    """work(batch) for each batch, with Python's cyclic garbage collector paused while a batch is read
    through the pipeline and assessed, and running again (if it was on) whenever control is back with the
    caller. A batch makes tens of thousands of short-lived objects, almost none of them in reference
    cycles; collecting every 700 allocations meanwhile cost about 6% of `classify_many`
    (docs/performance.md). Whatever a batch leaves behind is collected as usual afterwards."""
    while True:
        was_on = gc.isenabled()
        gc.disable()
        try:
            batch = next(batches, None)
            result = None if batch is None else work(batch)
        finally:
            if was_on:
                gc.enable()
        if batch is None:
            return
        yield result


def _symptoms(doc, spans_key: str, text: Optional[str] = None) -> Iterator[Symptom]:
    spans = doc.spans[spans_key] if spans_key in doc.spans else None
    text = doc.text if text is None else text
    compact = doc.user_data.get(FLAGS_KEY)
    # someone writing only about another person (a parent about a child) is describing the patient
    other_is_patient = bool(doc.user_data.get(PROXY_KEY))
    if compact is not None and (spans is None or len(compact) == len(spans)):
        for a, b, label, negated, hypothetical, historical, other, uncertain, side in compact:
            yield make_symptom(label, text[a:b], a, b, negated, hypothetical, historical,
                               other and not other_is_patient, side, uncertain)
        return
    for s in spans or ():  # spans changed after calf_context ran: read the extension attributes
        x = s._
        a, b = s.start_char, s.end_char
        yield Symptom(s.label_, text[a:b], a, b, x.negated, x.hypothetical, x.historical,
                      x.other_person and not other_is_patient, x.side, x.uncertain)


_lock = threading.Lock()
_default: Optional[Classifier] = None


def load(path: Union[str, Path, None] = None, strict: bool = False) -> Classifier:
    """Load a Classifier. `path` is a model folder (default: the model shipped in the package).
    With strict=True a missing or altered model raises ModelError instead of running safety-only."""
    return Classifier(path, strict=strict)


def get_classifier() -> Classifier:
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Classifier()
    return _default


def classify(text: str) -> Assessment:
    """Classify one description with the packaged model."""
    return get_classifier().classify(text)


def classify_many(texts: Iterable[str], batch_size: int = 256, n_process: int = 1) -> Iterator[Assessment]:
    """Classify many descriptions, streaming through `nlp.pipe`, in input order."""
    return get_classifier().classify_many(texts, batch_size=batch_size, n_process=n_process)
