"""Features for the cause model, from the extracted findings and (optionally) the words.

Finding features carry their context: `f:swelling` (present), `neg:swelling`, `hyp:`, `hist:`, `oth:`.
Word features are lower-cased unigrams and bigrams, `w:` and `b:`, with words inside a negation scope
marked `w:NOT_...`, so "no swelling" and "swelling" are different evidence. A few conjunctions of findings
(`x:`) give the linear model the combinations clinicians reason with (exercise + next-day onset, ...).
"""
from __future__ import annotations

from typing import Iterable, Sequence

from spacy.tokens import Doc

from .assessment import Symptom

STATE_PREFIX = (("negated", "neg:"), ("hypothetical", "hyp:"), ("historical", "hist:"), ("other_person", "oth:"))
EXERTION = frozenset({"exercise", "new_exercise", "extreme_exercise", "explosive_move"})
CLOT_RISK = frozenset({"long_travel", "surgery", "immobilisation", "hormones", "previous_clot", "cancer"})
VASCULAR_RISK = frozenset({"smoking", "diabetes", "older_age", "hypertension", "high_cholesterol", "statins"})
SKIP = frozenset({"the", "a", "an", "and", "to", "of", "it", "is", "was", "i", "my", "in", "on", "for", "at",
                  "that", "this", "with", "be", "me", "so", "but", "just", "its", "it's", "'s", "am", "are", "im",
                  "i'm", "have", "has", "had", "been", "do", "did"})
NEG_STOP = frozenset({".", "!", "?", ";", ",", "but", "however", "though", "although", "and", "because"})


def finding_features(symptoms: Sequence[Symptom]) -> dict[str, float]:
    feats: dict[str, float] = {}
    present = set()
    for s in symptoms:
        prefix = "f:"
        for flag, p in STATE_PREFIX:
            if getattr(s, flag):
                prefix = p
                break
        feats[prefix + s.id] = 1.0
        if prefix == "f:":
            present.add(s.id)
    if not present:
        feats["x:nothing_present"] = 1.0
    exertion = bool(present & EXERTION)
    pairs = {
        "x:exertion_delayed": exertion and "delayed_onset" in present,
        "x:exertion_sudden": exertion and ("sudden_onset" in present or "pop" in present),
        "x:exertion_bilateral": exertion and "bilateral" in present,
        "x:swelling_clot_risk": bool(present & CLOT_RISK) and bool(present & {"swelling", "severe_swelling", "calf_bigger"}),
        "x:walking_vascular_risk": "claudication" in present and bool(present & VASCULAR_RISK),
        "x:extreme_swelling": "extreme_exercise" in present and bool(present & {"swelling", "severe_swelling", "weakness"}),
        "x:night_cramp": "cramp" in present and "at_night" in present,
    }
    for name, on in pairs.items():
        if on:
            feats[name] = 1.0
    return feats


def word_features(doc: Doc, weight: float = 1.0) -> dict[str, float]:
    """Unigrams and bigrams of the lower-cased words, negation-marked."""
    negated = _negation_mask(doc)
    feats: dict[str, float] = {}
    prev = None
    for i, tok in enumerate(doc):
        if tok.is_punct or tok.is_space:
            prev = None
            continue
        w = tok.norm_
        if tok.like_num:
            w = "<num>"
        if negated[i]:
            w = "NOT_" + w
        if w not in SKIP:
            feats["w:" + w] = weight
        if prev is not None:
            feats["b:" + prev + "_" + w] = weight
        prev = w
    return feats


def _negation_mask(doc: Doc) -> list[bool]:
    mask = [False] * len(doc)
    triggers = doc.spans["calf_context"] if "calf_context" in doc.spans else ()
    for t in triggers:
        if t.label_ != "negated":
            continue
        for i in range(t.end, min(t.end + 5, len(doc))):
            if doc[i].norm_ in NEG_STOP:
                break
            mask[i] = True
    return mask


def featurize(doc: Doc, symptoms: Sequence[Symptom], use_words: bool = True, word_weight: float = 1.0) -> dict[str, float]:
    feats = finding_features(symptoms)
    if use_words:
        feats.update(word_features(doc, word_weight))
    return feats


def featurize_all(docs: Iterable[Doc], symptom_lists: Iterable[Sequence[Symptom]], **kw) -> list[dict[str, float]]:
    return [featurize(d, s, **kw) for d, s in zip(docs, symptom_lists)]
