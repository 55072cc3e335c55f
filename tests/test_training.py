"""Retraining: reproducible, fast enough, and the artifact it writes loads and agrees with itself."""
import json
import time

import pytest

from calfnlp.api import Classifier
from calfnlp.training import train
from conftest import ROOT

PROBES = ["both calves sore two days after leg day", "left calf swollen and hot after a flight",
          "calf aches after walking 100 m, eases when I stop", "woke with a cramp in my calf"]


@pytest.mark.slow
def test_training_twice_gives_identical_predictions_within_two_minutes(tmp_path):
    t0 = time.perf_counter()
    meta_a = train(ROOT / "data", tmp_path / "a", log=lambda m: None)
    seconds = time.perf_counter() - t0
    meta_b = train(ROOT / "data", tmp_path / "b", log=lambda m: None)
    assert seconds < 120
    a, b = Classifier(tmp_path / "a", strict=True), Classifier(tmp_path / "b", strict=True)
    for text in PROBES:
        assert [c.to_dict() for c in a.classify(text).causes] == [c.to_dict() for c in b.classify(text).causes]
    assert meta_a["metrics"] == meta_b["metrics"]
    assert meta_a["artifacts"]["causes.npz"] == meta_b["artifacts"]["causes.npz"]
    assert (tmp_path / "a" / "MODEL_CARD.md").read_text().startswith("# Model card")
