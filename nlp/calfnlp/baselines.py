"""Baselines that `calfnlp evaluate` prints beside calfnlp, in the same run, on the same gold file:

- `majority`: always the most frequent training cause (and urgency);
- `tfidf_logreg`: word 1-2 gram TF-IDF + LogisticRegression trained on the same training data as the
  shipped model (train + validation), urgency from the cause's usual level (no safety layer);
- `findings_rules`: calfnlp's own findings and safety layer, with a hand-weighted score per cause in place
  of the learned model (how much the learning adds).
Evaluation-only code: it imports scikit-learn, and is never on the classify path.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Sequence

from .dataset import LABELS, Row

# characteristic findings per cause, from ../shared/docs/clinical.md (weights are ours, untuned)
CAUSE_SIGNS: dict[str, dict[str, float]] = {
    "doms": {"delayed_onset": 2, "new_exercise": 1, "extreme_exercise": 0.5, "exercise": 0.5, "bilateral": 1,
             "stiffness": 1, "ache": 0.5, "tenderness": 0.5, "improving": 0.5},
    "strain": {"sudden_onset": 1, "explosive_move": 2, "pop": 1, "tear": 1, "sharp_pain": 1, "bruising": 1, "tenderness": 0.5,
               "limping": 0.5},
    "cramp": {"cramp": 2, "at_night": 1, "visible_knot": 1, "heat_dehydration": 0.5, "recurring": 0.5},
    "dvt": {"swelling": 1, "calf_bigger": 2, "warmth": 1, "redness": 1, "long_travel": 1.5, "surgery": 1,
            "immobilisation": 1, "hormones": 1, "previous_clot": 1, "anticoagulant": 0.5, "cancer": 1,
            "unilateral": 1},
    "pad": {"claudication": 2.5, "smoking": 1, "diabetes": 1, "older_age": 0.5, "pale_cold_foot": 1, "shiny_skin": 1,
            "rest_pain": 1, "nonhealing_sores": 1, "black_toes": 1, "hypertension": 0.5, "high_cholesterol": 0.5},
    "rhabdo": {"dark_urine": 3, "low_urine": 2, "extreme_exercise": 1.5, "severe_swelling": 1, "weakness": 1,
               "nausea": 0.5},
    "compartment": {"tense_calf": 2, "pain_out_of_proportion": 1.5, "pain_on_stretch": 1.5, "trauma": 1,
                    "tightness": 1, "burning_pain": 0.5},
    "achilles": {"achilles": 2.5, "pop": 0.5, "cannot_tiptoe": 1, "stiffness": 0.5},
    "nerve": {"back_pain": 2, "radiating_pain": 2, "tingling": 1, "numbness": 1, "burning_pain": 1,
              "saddle_numbness": 1, "bladder_bowel": 1},
}
MIN_SCORE = 1.5


def _as_pred(ranked: Sequence[tuple[str, float]], urgency: str) -> dict:
    top = ranked[0][0]
    return {"top_cause": None if top == "other" else top, "urgency": urgency,
            "causes": [{"label": l, "probability": p} for l, p in ranked]}


def majority(train: Sequence[Row]) -> Callable[[Sequence[str]], list[dict]]:
    cause = Counter(r.cause for r in train).most_common(1)[0][0]
    urgency = Counter(r.urgency for r in train).most_common(1)[0][0]
    counts = Counter(r.cause for r in train)
    ranked = [(l, counts[l] / len(train)) for l, _ in counts.most_common()]
    return lambda texts: [_as_pred(ranked, urgency) for _ in texts] if cause else []


def tfidf_logreg(train: Sequence[Row]) -> Callable[[Sequence[str]], list[dict]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from .safety import CAUSE_CARE, UNSURE_CARE

    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                         LogisticRegression(C=10.0, max_iter=5000, random_state=0))
    pipe.fit([r.text for r in train], [r.cause for r in train])
    labels = list(pipe.classes_)

    def predict(texts: Sequence[str]) -> list[dict]:
        out = []
        for p in pipe.predict_proba(list(texts)):
            ranked = sorted(zip(labels, map(float, p)), key=lambda x: -x[1])
            level = CAUSE_CARE.get(ranked[0][0], UNSURE_CARE)[0]
            out.append(_as_pred(ranked, level))
        return out

    return predict


def findings_rules(classifier) -> Callable[[Sequence[str]], list[dict]]:
    from . import safety
    from .api import _symptoms

    def predict(texts: Sequence[str]) -> list[dict]:
        out = []
        for text, doc in zip(texts, classifier.nlp.pipe(texts)):
            symptoms = tuple(_symptoms(doc, "calf_symptoms", text))
            present = {s.id for s in symptoms if s.present}
            scores = {c: sum(w for f, w in signs.items() if f in present) for c, signs in CAUSE_SIGNS.items()}
            scores["other"] = MIN_SCORE
            z = sum(math.exp(v) for v in scores.values())
            ranked = sorted(((c, math.exp(v) / z) for c, v in scores.items()), key=lambda x: -x[1])
            top = ranked[0][0] if ranked[0][0] != "other" else None
            urgency, _, _ = safety.triage(top, symptoms, text)
            out.append(_as_pred(ranked, urgency))
        return out

    return predict


assert set(CAUSE_SIGNS) | {"other"} == set(LABELS)
