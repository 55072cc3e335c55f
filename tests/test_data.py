"""Data tests: schema, labels, manifest, splits without leaks, nothing copied from ../shared/eval."""
import json
import re
from collections import defaultdict
from itertools import combinations

import pytest

from calfnlp.dataset import LABELS, build_manifest, load_splits, read_rows
from conftest import DATA, ROOT, SHARED_EVAL, read_jsonl

CORPUS = sorted((ROOT / "data" / "corpus").glob("*.jsonl"))


def shingles(text, n=3):
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1))}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def close_pairs(texts_a, texts_b, threshold):
    """Pairs (i, j) with 3-gram Jaccard >= threshold, via an inverted index of shingles."""
    sh_a = [shingles(t) for t in texts_a]
    sh_b = [shingles(t) for t in texts_b]
    index = defaultdict(set)
    for j, s in enumerate(sh_b):
        for g in s:
            index[g].add(j)
    out = []
    for i, s in enumerate(sh_a):
        counts = defaultdict(int)
        for g in s:
            for j in index.get(g, ()):
                counts[j] += 1
        for j, shared in counts.items():
            if shared / len(s | sh_b[j]) >= threshold:
                out.append((i, j))
    return out


def test_every_file_has_a_valid_schema_and_labels():
    assert len(CORPUS) >= 30
    rows = [r for p in CORPUS for r in read_rows(p)]
    assert len(rows) >= 1500
    assert {r.cause for r in rows} == set(LABELS)
    for label in LABELS:
        assert sum(r.cause == label for r in rows) >= 80, label


def test_manifest_is_current():
    on_disk = json.loads((ROOT / "data" / "manifest.json").read_text())
    assert on_disk == build_manifest(ROOT / "data"), "run `python scripts/manifest.py`"


def test_each_batch_is_in_exactly_one_split():
    splits = json.loads((ROOT / "data" / "splits.json").read_text())
    names = [b for v in splits.values() for b in v]
    assert len(names) == len(set(names))
    assert {p.stem for p in CORPUS} <= set(names)
    loaded = load_splits(ROOT / "data")
    assert all(loaded[s] for s in ("train", "validation", "test"))


def test_no_duplicates_within_the_corpus():
    texts = [r.text.strip().lower() for p in CORPUS for r in read_rows(p)]
    assert len(texts) == len(set(texts))


def test_no_near_duplicates_across_splits():
    splits = load_splits(ROOT / "data")
    for a, b in combinations(("train", "validation", "test"), 2):
        ta, tb = [r.text for r in splits[a]], [r.text for r in splits[b]]
        pairs = close_pairs(ta, tb, 0.8)
        assert not pairs, f"{a}/{b}: {[(ta[i][:60], tb[j][:60]) for i, j in pairs[:3]]}"


def test_the_leak_check_catches_a_near_copy():
    text = "both calves really sore two days after my first leg day, no swelling, pee is normal"
    assert close_pairs([text], [text.replace("really", "very")], 0.6)


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="../shared/eval is not beside this checkout")
def test_nothing_is_copied_from_the_shared_evaluation_sets():
    ours = [r.text for p in CORPUS for r in read_rows(p)]
    ours += [r["text"] for p in sorted((DATA).glob("**/*.jsonl")) for r in read_jsonl(p)]
    theirs = [r["text"] for p in SHARED_EVAL.glob("*.jsonl") for r in read_jsonl(p)]
    pairs = close_pairs(ours, theirs, 0.5)
    assert not pairs, [(ours[i][:60], theirs[j][:60]) for i, j in pairs[:3]]


def test_gold_tables_have_valid_labels():
    flags = {"dark_urine", "pe_signs", "limb_ischaemia", "compartment", "cauda_equina", "progressive_weakness", "dvt_signs", "fever",
             "tendon_rupture", "cannot_bear_weight", "rest_pain", "none"}
    for path in DATA.glob("safety_cases*.jsonl"):
        for row in read_jsonl(path):
            assert set(row) == {"text", "must_flag", "flag", "urgency", "form"}
            assert row["flag"] in flags and (row["flag"] == "none") != row["must_flag"]
