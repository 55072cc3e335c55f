"""The shipped cause model: artifact checks, numpy vs scikit-learn, degraded mode, behaviour tests."""
import json
import shutil

import numpy as np
import pytest

from calfnlp.api import Classifier
from calfnlp.errors import ModelError
from calfnlp.model import CauseModel, default_dir
from conftest import ROOT


def test_meta_records_versions_labels_hashes_and_metrics():
    meta = json.loads((default_dir() / "meta.json").read_text())
    assert set(meta["labels"]) == {"doms", "strain", "cramp", "dvt", "pad", "rhabdo", "compartment", "achilles", "nerve", "other"}
    for key in ("versions", "data", "metrics", "seed", "artifacts"):
        assert key in meta
    assert meta["data"]["sha256"]
    assert meta["metrics"]["test"]["ece"] <= 0.08


def test_numpy_weights_give_the_same_probabilities_as_the_joblib_estimator(clf):
    from calfnlp.api import _symptoms
    from calfnlp.dataset import load_splits
    from calfnlp.features import featurize
    from calfnlp.model import load_estimator

    model = clf.model
    pipe = load_estimator()
    rows = load_splits(ROOT / "data")["test"]
    docs = list(clf.nlp.pipe(r.text for r in rows))
    feats = [featurize(d, tuple(_symptoms(d, "calf_symptoms")), **model.feature_options) for d in docs]
    ours = model.predict_proba(feats)
    theirs = pipe.predict_proba(feats)
    order = [list(pipe.classes_).index(l) for l in model.labels]
    np.testing.assert_allclose(ours, theirs[:, order], atol=1e-9)


def test_batched_word_keys_are_the_training_features(clf):
    """classify reads word features for a whole batch with numpy (features.word_key_arrays); training
    names them one description at a time (features.word_keys, the same function on a batch of one): a
    batch must give each description the keys it has alone."""
    from calfnlp.dataset import load_splits
    from calfnlp.features import word_key_arrays, word_keys

    docs = list(clf.nlp.pipe(r.text for r in load_splits(ROOT / "data")["validation"]))
    keys, owners = word_key_arrays(docs)
    for i, doc in enumerate(docs):
        assert set(keys[owners == i].tolist()) == set(word_keys(doc))


def test_one_description_scores_bit_for_bit_as_in_a_batch(clf):
    """A batch of one takes a shorter path (Python word keys, fewer numpy calls): its logits must be the
    batch path's exactly, so classify and classify_many never disagree."""
    from calfnlp.api import _symptoms
    from calfnlp.dataset import load_splits
    from calfnlp.features import finding_features, word_key_arrays

    model, opts = clf.model, clf.model.feature_options
    texts = [r.text for r in load_splits(ROOT / "data")["test"]] + ["", "...", "no no no", "200m 2 days 48hrs"]
    docs = list(clf.nlp.pipe(texts))
    findings = [finding_features(tuple(_symptoms(d, "calf_symptoms"))) for d in docs]
    batch = model.logits_many(findings, word_key_arrays(docs), opts["word_weight"])
    for i, doc in enumerate(docs):
        keys, owners = word_key_arrays([doc])
        # the batch path's keys for this description, in its order
        two, of = word_key_arrays([doc, doc])
        assert keys.tolist() == two[of == 0].tolist()
        assert np.array_equal(model.logits_many([findings[i]], (keys, owners), opts["word_weight"])[0], batch[i])
    # both look-ups of the single path (binary search first, a dict once the process has classified enough
    # descriptions one at a time) give the batch's numbers
    fresh = CauseModel.load()
    for i, doc in enumerate(docs):
        keys, owners = word_key_arrays([doc])
        assert np.array_equal(fresh.logits_many([findings[i]], (keys, owners), opts["word_weight"])[0], batch[i])
    assert fresh._row_of is not None


@pytest.fixture()
def model_copy(tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(default_dir(), dst, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return dst


def test_altered_weights_fail_the_sha256_check(model_copy):
    p = model_copy / "causes.npz"
    p.write_bytes(p.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match="does not match the sha256"):
        CauseModel.load(model_copy)


def test_an_altered_estimator_is_never_unpickled(model_copy):
    from calfnlp.model import load_estimator

    (model_copy / "causes.joblib").write_bytes(b"cos\nsystem\n(S'echo pwned'\ntR.")
    with pytest.raises(ModelError, match="does not match the sha256"):
        load_estimator(model_copy)


@pytest.mark.parametrize("damage", ["corrupt", "missing", "no-meta"])
def test_degraded_mode_still_gives_red_flags_and_urgency(model_copy, damage):
    if damage == "corrupt":
        (model_copy / "causes.npz").write_bytes(b"not a model")
    elif damage == "missing":
        (model_copy / "causes.npz").unlink()
    else:
        (model_copy / "meta.json").unlink()
    c = Classifier(model_copy)
    a = c.classify("my calf is swollen and my urine is dark")
    assert a.urgency == "emergency" and a.red_flags[0].id == "dark_urine"
    assert a.top_cause is None and a.causes == ()
    assert a.model_error and "model" in a.to_dict()["model_error"]
    with pytest.raises(ModelError):
        Classifier(model_copy, strict=True)


def test_a_model_that_raises_at_run_time_degrades(clf, monkeypatch):
    c = Classifier()
    monkeypatch.setattr(c.model.__class__, "logits_many", lambda self, *a: 1 / 0)
    a = c.classify("calf swollen, can't put weight on it")
    assert "cannot_bear_weight" in [f.id for f in a.red_flags]
    assert a.urgency == "urgent" and "failed" in a.model_error


def test_a_model_failing_on_one_description_degrades_only_that_one(monkeypatch):
    c = Classifier()
    real = c.model.__class__.logits_many

    def fails_on_dark_urine(self, findings, words, weight):
        if any("f:dark_urine" in f for f in findings):
            raise ValueError("boom")
        return real(self, findings, words, weight)

    monkeypatch.setattr(c.model.__class__, "logits_many", fails_on_dark_urine)
    out = list(c.classify_many(["sore calves after leg day", "my calf is swollen and my urine is dark",
                                "calf cramp woke me at night"], batch_size=3))
    assert [a.model_error is None for a in out] == [True, False, True]
    assert out[0].top_cause == "doms" and out[2].causes
    assert out[1].urgency == "emergency" and out[1].causes == () and "boom" in out[1].model_error


@pytest.mark.parametrize("text, cause", [
    ("both calves really sore two days after my first leg day, no swelling, pee is normal", "doms"),
    ("felt a sudden sharp pull in my calf sprinting for the bus, tender spot, hurts to push off", "strain"),
    ("woke at 3am with my calf in a hard knot, agony for a minute then it let go", "cramp"),
    ("left calf swollen, warm and red since my flight back from Sydney", "dvt"),
    ("70, smoker, calf aches after walking 200 yards and eases when I stand still for a few minutes", "pad"),
    ("did 300 squats in a challenge, calves massively swollen and weak and my pee looks like cola", "rhabdo"),
    ("every run after 15 minutes both calves get tight and burning, then settle 10 minutes after stopping", "compartment"),
    ("stiff and sore just above my heel every morning for 2 months since I upped my mileage", "achilles"),
    ("shooting electric pain from my lower back down the back of my leg into my calf with pins and needles", "nerve"),
], ids=lambda v: v if len(v) < 12 else None)
def test_minimum_functionality_per_cause(clf, text, cause):
    assert clf.classify(text).top_cause == cause


BASES = ["calves sore two days after a long downhill hike", "left calf swollen and warm after a long drive",
         "calf cramp woke me at night", "felt a pop in my calf playing tennis, can still walk"]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("swap", [("", " - Priya"), ("", " (Nike shoes)"), ("", ", I live in Leeds"), ("", " btw I'm Tom")])
def test_invariance_to_names_brands_and_places(clf, base, swap):
    a, b = clf.classify(base), clf.classify(base + swap[1])
    assert a.top_cause == b.top_cause
    assert a.urgency == b.urgency


@pytest.mark.parametrize("base", BASES + ["my calves are sore after spin class"])
def test_adding_dark_urine_never_lowers_rhabdo(clf, base):
    def p(a):
        return {c.label: c.probability for c in a.causes}["rhabdo"]

    assert p(clf.classify(base + " and my urine is dark")) >= p(clf.classify(base))


def test_probabilities_sum_to_one_and_are_sorted(clf):
    a = clf.classify("sore calf after running")
    probs = [c.probability for c in a.causes]
    assert probs == sorted(probs, reverse=True)
    assert abs(sum(probs) - 1) < 1e-6
