import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("calf_symptoms")
    nlp.add_pipe("calf_context")
    return nlp


@pytest.fixture(scope="session")
def clf():
    from calfnlp.api import get_classifier

    c = get_classifier()
    assert c.model is not None, c.model_error
    return c


def read_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def findings(doc):
    """(id, flags) per finding, flags as a string of n/h/p/o (negated, hypothetical, past, other)."""
    out = []
    for s in doc.spans["calf_symptoms"]:
        flags = "".join(c for c, k in (("n", "negated"), ("h", "hypothetical"), ("p", "historical"),
                                        ("o", "other_person")) if s._.get(k))
        out.append((s.label_, flags))
    return out
