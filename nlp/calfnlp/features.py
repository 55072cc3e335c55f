"""Features for the cause model, from the extracted findings and (optionally) the words.

Finding features carry their context: `f:swelling` (present), `neg:swelling`, `hyp:`, `hist:`, `oth:`.
Word features are lower-cased unigrams and bigrams with words inside a negation scope marked, so "no
swelling" and "swelling" are different evidence; they are integer keys (`word_keys`), named `w:<key>` for
training. A few conjunctions of findings
(`x:`) give the linear model the combinations clinicians reason with (exercise + next-day onset, ...).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, NORM
from spacy.strings import hash_string
from spacy.tokens import Doc

from . import docdata
from .assessment import Symptom

EXERTION = frozenset({"exercise", "new_exercise", "extreme_exercise", "explosive_move"})
CLOT_RISK = frozenset({"long_travel", "surgery", "immobilisation", "hormones", "previous_clot", "anticoagulant",
                       "cancer"})
VASCULAR_RISK = frozenset({"smoking", "diabetes", "older_age", "hypertension", "high_cholesterol", "statins"})
SKIP = frozenset({"the", "a", "an", "and", "to", "of", "it", "is", "was", "i", "my", "in", "on", "for", "at",
                  "that", "this", "with", "be", "me", "so", "but", "just", "its", "it's", "'s", "am", "are", "im",
                  "i'm", "have", "has", "had", "been", "do", "did"})
SKIP_KEYS = frozenset(hash_string(w) for w in SKIP)
NUM_KEY = hash_string("<num>")
NEG_SALT = 0x9E3779B97F4A7C15
BIGRAM_SALT = 0xC2B2AE3D27D4EB4F
MIX = 0x100000001B3
WORD_ATTRS = [NORM, IS_PUNCT, IS_SPACE, LIKE_NUM]
_SKIP_ARRAY = np.array(sorted(SKIP_KEYS), dtype=np.uint64)
_NUM_KEY, _NEG_SALT, _BIGRAM_SALT, _MIX = (np.uint64(x) for x in (NUM_KEY, NEG_SALT, BIGRAM_SALT, MIX))
NEG_STOP = frozenset({".", "!", "?", ";", ",", "but", "however", "though", "although", "and", "because"})


def finding_features(symptoms: Sequence[Symptom]) -> dict[str, float]:
    feats: dict[str, float] = {}
    present = set()
    for s in symptoms:  # the first state that holds names the feature: negated, hypothetical, past, other
        if s.negated:
            feats["neg:" + s.id] = 1.0
        elif s.hypothetical:
            feats["hyp:" + s.id] = 1.0
        elif s.historical:
            feats["hist:" + s.id] = 1.0
        elif s.other_person:
            feats["oth:" + s.id] = 1.0
        else:
            feats["f:" + s.id] = 1.0
            present.add(s.id)
    if not present:
        feats["x:nothing_present"] = 1.0
    exertion = bool(present & EXERTION)
    pairs = {
        "x:exertion_delayed": exertion and "delayed_onset" in present,
        "x:exertion_sudden": exertion and bool(present & {"sudden_onset", "pop", "tear"}),
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


def word_keys(doc: Doc, bigrams: bool = True) -> list[int]:
    """Integer keys of the doc's unigrams and bigrams (negation-marked), from the NORM hashes.

    A unigram's key is its NORM hash (numbers share one key), XOR NEG_SALT inside a negation scope; a
    bigram's key mixes the two unigram keys, BIGRAM_SALT apart from any unigram. Common function words
    are left out as unigrams but still form bigrams. Training names them "w:<key>"; the model applies
    them by key, so classify never builds feature strings.
    """
    return list(dict.fromkeys(_one_doc_keys(doc, bigrams)))


def word_key_arrays(docs: Sequence[Doc], bigrams: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The keys of `word_keys` for a batch of docs at once, with numpy: (keys, owners), flat arrays where
    keys[i] (uint64) belongs to docs[owners[i]]. A key may repeat within a doc (the model counts it once).
    A pass over the batch in a dozen numpy calls replaces a Python loop over every token."""
    if len(docs) == 1:  # one description (classify): a short Python loop beats two dozen calls on tiny arrays
        keys = _one_doc_keys(docs[0], bigrams)
        return np.array(keys, dtype=np.uint64), np.zeros(len(keys), dtype=np.intp)
    arrays = [d.to_array(WORD_ATTRS) for d in docs]
    lens = [len(a) for a in arrays]
    if not sum(lens):
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp)
    a = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
    owner = np.repeat(np.arange(len(docs), dtype=np.intp), lens)
    norm = a[:, 0]
    keep = (a[:, 1] | a[:, 2]) == 0  # not punctuation or space
    k = np.where(a[:, 3] != 0, _NUM_KEY, norm)
    negated, offset = [], 0
    for doc, n in zip(docs, lens):
        negated += [offset + i for i in _negated_positions(doc)]
        offset += n
    if negated:
        k[negated] ^= _NEG_SALT
    at = np.searchsorted(_SKIP_ARRAY, norm)
    np.minimum(at, len(_SKIP_ARRAY) - 1, out=at)
    unigram = keep & (_SKIP_ARRAY[at] != norm)
    keys, owners = [k[unigram]], [owner[unigram]]
    if bigrams and len(k) > 1:
        pair = keep[:-1] & keep[1:] & (owner[:-1] == owner[1:])
        with np.errstate(over="ignore"):  # uint64 arithmetic wraps modulo 2**64
            keys.append((k[:-1][pair] * _MIX + k[1:][pair]) ^ _BIGRAM_SALT)
        owners.append(owner[1:][pair])
    return np.concatenate(keys), np.concatenate(owners)


_M64 = (1 << 64) - 1


def _one_doc_keys(doc: Doc, bigrams: bool) -> list[int]:
    """word_key_arrays' keys for one Doc, in the same order, with Python ints (uint64 wrap-around by mask)."""
    if not len(doc):
        return []
    negated = set(_negated_positions(doc))
    unigrams, pairs = [], []
    prev = None
    for i, (norm, punct, space, num) in enumerate(doc.to_array(WORD_ATTRS).tolist()):
        if punct or space:
            prev = None
            continue
        key = NUM_KEY if num else norm
        if i in negated:
            key ^= NEG_SALT
        if norm not in SKIP_KEYS:
            unigrams.append(key)
        if prev is not None:
            pairs.append(((prev * MIX + key) & _M64) ^ BIGRAM_SALT)
        prev = key
    return unigrams + pairs if bigrams else unigrams


def word_features(doc: Doc, weight: float = 1.0, bigrams: bool = True) -> dict[str, float]:
    """The word keys as named features ("w:<key>"), for training with DictVectorizer."""
    return {f"w:{k}": weight for k in word_keys(doc, bigrams)}


def _negated_positions(doc: Doc) -> list[int]:
    out = []
    norms = None
    n = len(doc)
    for start, end, category in doc.user_data.get(docdata.TRIGGERS, ()):
        if category != "negated":
            continue
        if norms is None:
            norms = doc.user_data.get(docdata.NORMS) or [t.norm_ for t in doc]
        for i in range(end, min(end + 5, n)):
            if norms[i] in NEG_STOP:
                break
            out.append(i)
    return out


def featurize(doc: Doc, symptoms: Sequence[Symptom], use_words: bool = True, word_weight: float = 1.0,
              bigrams: bool = True) -> dict[str, float]:
    feats = finding_features(symptoms)
    if use_words:
        feats.update(word_features(doc, word_weight, bigrams))
    return feats


def featurize_all(docs: Iterable[Doc], symptom_lists: Iterable[Sequence[Symptom]], **kw) -> list[dict[str, float]]:
    return [featurize(d, s, **kw) for d, s in zip(docs, symptom_lists)]
