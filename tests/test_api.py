import subprocess
import sys
import threading

import pytest

import calfnlp
from calfnlp.errors import InputError
from conftest import ROOT

CONTRACT_KEYS = {"schema", "urgency", "red_flags", "top_cause", "causes", "symptoms", "advice", "disclaimer", "model"}


def test_public_surface():
    assert set(calfnlp.__all__) == {"classify", "classify_many", "load", "Assessment", "__version__"}


def test_import_is_cheap():
    code = ("import sys, calfnlp; heavy = [m for m in ('spacy', 'sklearn', 'scipy', 'joblib') if m in sys.modules];"
            "print(heavy)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_classify_path_never_imports_scikit_learn():
    code = ("import sys, calfnlp; calfnlp.classify('calf sore'); "
            "print([m for m in ('sklearn', 'scipy', 'joblib') if m in sys.modules])")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_assessment_follows_the_contract(clf):
    text = "my calf is swollen and my urine is dark"
    d = calfnlp.classify(text).to_dict()
    assert CONTRACT_KEYS <= set(d)
    assert d["schema"] == 1 and d["urgency"] == "emergency" and d["top_cause"] == "rhabdo"
    flag = d["red_flags"][0]
    assert flag["id"] == "dark_urine" and text[flag["start"]:flag["end"]] == flag["evidence"]
    assert flag["advice"] and flag["source"]
    assert abs(sum(c["probability"] for c in d["causes"]) - 1) < 1e-3
    for s in d["symptoms"]:
        assert text[s["start"]:s["end"]] == s["text"]
        assert {"id", "negated", "hypothetical", "historical", "other_person", "side"} <= set(s)
    assert d["model"]["name"] == "calfnlp-causes" and len(d["model"]["sha256"]) == 64


def test_abstains_when_no_calf_complaint(clf):
    a = calfnlp.classify("what is the weather like in Leeds tomorrow?")
    assert a.top_cause is None and a.red_flags == ()


def test_classify_many_streams_in_order(clf):
    texts = ["sore calves after leg day", "can't put weight on my leg", "my urine is dark after spin class"] * 40
    out = list(calfnlp.classify_many(texts, batch_size=7))
    assert len(out) == len(texts)
    assert [a.urgency for a in out[:3]] == ["self_care", "urgent", "emergency"]
    assert [a.urgency for a in out] == [calfnlp.classify(t).urgency for t in texts]


def test_a_description_scores_exactly_the_same_alone_or_in_any_batch(clf):
    from calfnlp.dataset import load_splits

    texts = [r.text for r in load_splits(ROOT / "data")["test"]][:90]
    alone = [calfnlp.classify(t) for t in texts]
    for size in (1, 7, 256):
        assert list(calfnlp.classify_many(texts, batch_size=size)) == alone  # floats compared exactly


@pytest.mark.slow
def test_classify_many_with_two_processes(clf):
    texts = ["sore calves after leg day", "can't put weight on my leg", "my urine is dark after spin class"] * 20
    single = [a.to_dict() for a in calfnlp.classify_many(texts)]
    multi = [a.to_dict() for a in calfnlp.classify_many(texts, n_process=2, batch_size=10)]
    assert multi == single


@pytest.mark.parametrize("bad, message", [("", "empty"), ("   \n", "empty"), ("x" * 5001, "limit is 5000"), (None, "expected text")])
def test_bad_input_raises_input_error(clf, bad, message):
    with pytest.raises(InputError, match=message):
        calfnlp.classify(bad)


def test_lazy_load_is_thread_safe(monkeypatch):
    from calfnlp import api

    monkeypatch.setattr(api, "_default", None)
    built = []
    real = api.Classifier

    class Counting(real):
        def __init__(self, *a, **k):
            built.append(1)
            super().__init__(*a, **k)

    monkeypatch.setattr(api, "Classifier", Counting)
    threads = [threading.Thread(target=api.get_classifier) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1


def test_load_returns_an_independent_classifier():
    c = calfnlp.load()
    assert c.classify("calf cramp at night").top_cause == "cramp"


@pytest.mark.parametrize("text, other", [
    ("my son's calf is swollen and his pee is brown after rugby", False),
    ("Wife, 70, swollen left calf since our flight, now she's short of breath", False),
    ("my friend's pee went brown after spin, mine is normal and my calves are just stiff", True),
], ids=["parent-for-child", "spouse-for-spouse", "contrast-with-self"])
def test_the_person_described_is_the_patient_unless_the_writer_describes_themselves(clf, text, other):
    a = calfnlp.classify(text)
    spans = [s for s in a.symptoms if s.id in ("dark_urine", "breathlessness")]
    assert spans and all(s.other_person is other for s in spans)
    assert bool(a.red_flags) is not other


@pytest.mark.parametrize("collector_on", [True, False])
def test_classify_many_leaves_the_garbage_collector_as_it_found_it(clf, collector_on):
    # classify_many pauses the collector while it works on a batch (docs/performance.md); the caller's code
    # between items, and everything after, runs with the collector as the caller set it
    import gc

    was = gc.isenabled()
    (gc.enable if collector_on else gc.disable)()
    try:
        seen = [gc.isenabled() for _ in calfnlp.classify_many(["sore calves after leg day"] * 5, batch_size=2)]
        assert seen == [collector_on] * 5 and gc.isenabled() is collector_on
        with pytest.raises(InputError):
            list(calfnlp.classify_many(["sore calves", ""]))
        assert gc.isenabled() is collector_on
        records = list(clf.classify_records([("a", "sore calves"), ("b", ""), ("c", "dark pee after spin")]))
        assert [type(r).__name__ for r in records] == ["Assessment", "BatchError", "Assessment"]
        assert gc.isenabled() is collector_on
    finally:
        (gc.enable if was else gc.disable)()
