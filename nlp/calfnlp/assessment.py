"""The Assessment: what calfnlp answers for one description (schema 1 of the output contract,
../shared/docs/contract.md). Immutable records with `to_dict()`; extra fields are additions only.

The Assessment is a frozen dataclass. Its parts (Symptom, RedFlag, Cause) are named tuples: immutable like a
frozen dataclass, but one object each instead of an instance and its __dict__, and built without a
setattr per field (classify_many builds about twenty per description).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Optional

SCHEMA = 1
URGENCY_LEVELS = ("self_care", "routine", "urgent", "emergency")
LEVEL = {name: i for i, name in enumerate(URGENCY_LEVELS)}
DISCLAIMER = (
    "calfnlp is not a diagnosis and not a doctor: it reads words, not your leg. "
    "If you feel very unwell or are worried, call your local emergency number or a doctor."
)


class Symptom(NamedTuple):
    id: str
    text: str
    start: int
    end: int
    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    other_person: bool = False
    side: Optional[str] = None
    uncertain: bool = False

    @property
    def present(self) -> bool:
        """Described as the writer's own, current finding (hedged mentions count as present)."""
        return not (self.negated or self.hypothetical or self.historical or self.other_person)

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "start": self.start, "end": self.end,
                "negated": self.negated, "hypothetical": self.hypothetical, "historical": self.historical,
                "other_person": self.other_person, "side": self.side, "uncertain": self.uncertain}


def make_symptom(*values) -> Symptom:
    """Symptom(*values) with every field given, without the keyword handling of the named tuple's __new__
    (classify_many builds about ten Symptoms per description)."""
    return tuple.__new__(Symptom, values)


class RedFlag(NamedTuple):
    id: str
    level: str
    evidence: str
    start: int
    end: int
    advice: str
    source: str

    def to_dict(self) -> dict:
        return {"id": self.id, "evidence": self.evidence, "start": self.start, "end": self.end,
                "advice": self.advice, "source": self.source, "level": self.level}


class Cause(NamedTuple):
    label: str
    probability: float
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"label": self.label, "probability": round(self.probability, 4), "evidence": list(self.evidence)}


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    sha256: Optional[str]

    def to_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "sha256": self.sha256}


@dataclass(frozen=True)
class Assessment:
    urgency: str
    red_flags: tuple[RedFlag, ...]
    top_cause: Optional[str]
    causes: tuple[Cause, ...]
    symptoms: tuple[Symptom, ...]
    advice: str
    model: ModelInfo
    disclaimer: str = DISCLAIMER
    id: Optional[str] = None
    model_error: Optional[str] = None
    schema: int = field(default=SCHEMA)

    def to_dict(self) -> dict:
        d = {"schema": self.schema}
        if self.id is not None:
            d["id"] = self.id
        d.update({
            "urgency": self.urgency,
            "red_flags": [f.to_dict() for f in self.red_flags],
            "top_cause": self.top_cause,
            "causes": [c.to_dict() for c in self.causes],
            "symptoms": [s.to_dict() for s in self.symptoms],
            "advice": self.advice,
            "disclaimer": self.disclaimer,
            "model": self.model.to_dict(),
        })
        if self.model_error is not None:
            d["model_error"] = self.model_error
        return d
