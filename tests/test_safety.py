"""The safety layer: team-written phrasings tables, rule invariants and degraded mode."""
import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfnlp import safety
from calfnlp.assessment import LEVEL, Cause
from conftest import DATA, read_jsonl

TABLES = sorted(DATA.glob("safety_cases*.jsonl"))


def _cases():
    for path in TABLES:
        for n, row in enumerate(read_jsonl(path), 1):
            yield pytest.param(row, id=f"{path.stem}:{n}:{row['flag']}:{row['form']}")


@pytest.fixture(scope="module")
def results(clf):
    rows = [r for p in TABLES for r in read_jsonl(p)]
    return rows, list(clf.classify_many(r["text"] for r in rows))


def test_tables_are_big_enough():
    rows = [r for p in TABLES for r in read_jsonl(p)]
    assert sum(r["must_flag"] for r in rows) >= 150
    assert sum(not r["must_flag"] for r in rows) >= 100
    assert {r["flag"] for r in rows if r["must_flag"]} >= {r.id for r in safety.RULES}


def test_every_red_flag_in_the_tables_is_found(results):
    rows, out = results
    missed = [(r["flag"], r["text"]) for r, a in zip(rows, out)
              if r["must_flag"] and r["flag"] not in {f.id for f in a.red_flags}]
    assert not missed, f"{len(missed)} missed, e.g. {missed[:3]}"


def test_flagged_urgency_reaches_the_flag_level(results):
    rows, out = results
    low = [r["text"] for r, a in zip(rows, out) if r["must_flag"] and LEVEL[a.urgency] < LEVEL[r["urgency"]]]
    assert not low, low[:3]


def test_specificity_at_least_95_percent(results):
    rows, out = results
    negatives = [(r, a) for r, a in zip(rows, out) if not r["must_flag"]]
    false_alarms = [r["text"] for r, a in negatives if a.red_flags]
    assert 1 - len(false_alarms) / len(negatives) >= 0.95, false_alarms


@pytest.mark.parametrize("text, flag", [
    ("my calf is swollen and urine is dark", "dark_urine"),
    ("I think my wee might be darker, kind of brown, legs killing me after spin", "dark_urine"),
    ("right calf swollen after the long flight and now I'm short of breath", "pe_signs"),
    ("foot suddenly went white and cold", "limb_ischaemia"),
    ("got kicked in the calf at football, it's rock hard and the pain is unbearable", "compartment"),
    ("sciatica down my calf and I'm numb around my bottom", "cauda_equina"),
    ("left calf swollen and warm", "dvt_signs"),
    ("calf red and spreading and I've got chills", "fever"),
    ("heard a snap at my heel and can't stand on tiptoe", "tendon_rupture"),
    ("can't put any weight on my leg", "cannot_bear_weight"),
    ("my big toe has gone black", "rest_pain"),
], ids=lambda v: v if v in safety.RULES_BY_ID else None)
def test_one_example_per_rule(clf, text, flag):
    assert flag in [f.id for f in clf.classify(text).red_flags]


@pytest.mark.parametrize("text", [
    "no swelling, no redness, pee is normal, just sore calves after leg day",
    "what if my pee goes dark after the marathon?",
    "had a DVT in 2015, fully treated; now just sore after the gym",
    "my friend got rhabdo after spin, his pee went dark. mine is fine, calves a bit sore",
    "calf cramp at night, it went rock hard for a minute then eased off",
], ids=["negated", "hypothetical", "past", "someone-else", "settled-cramp"])
def test_context_suppresses_flags(clf, text):
    assert clf.classify(text).red_flags == ()


RED_SENTENCES = ["My calves ache and my urine is dark brown.", "I can't put any weight on it.", "Now I'm short of breath and my calf is swollen.",
                 "My foot has gone cold and white.", "I coughed up blood this morning and my calf is swollen."]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.text(max_size=300), red=st.sampled_from(RED_SENTENCES))
def test_appending_a_red_flag_sentence_never_lowers_urgency(clf, base, red):
    if not base.strip():
        base = "sore calf"
    before = clf.classify(base)
    after = clf.classify(base.rstrip() + ". " + red)  # a sentence of its own
    assert LEVEL[after.urgency] >= LEVEL[before.urgency]
    assert after.red_flags and LEVEL[after.urgency] >= LEVEL[after.red_flags[0].level]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cause=st.sampled_from([None, "doms", "strain", "cramp", "dvt", "pad", "rhabdo", "compartment", "achilles", "nerve"]),
       text=st.sampled_from(["calves sore after leg day and my pee looks like cola", "cant put weight on my leg at all",
                             "toes went blue and cold suddenly", "calf swollen and hot, flew back from Sydney"]))
def test_no_model_output_lowers_urgency_below_a_fired_flag(clf, cause, text):
    a = clf.classify(text)
    urgency, flags, _ = safety.triage(cause, a.symptoms, text)
    assert flags
    assert LEVEL[urgency] >= max(LEVEL[f.level] for f in flags)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=5000).filter(lambda t: t.strip()))
def test_classify_never_raises_on_any_text_within_the_limit(clf, text):
    a = clf.classify(text)
    assert a.urgency in LEVEL
    for s in a.symptoms:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("text, flagged", [
    ("calf a bit tight from sitting at my desk all day, pee is dark yellow, I've barely drunk anything", False),
    ("got crushed under a pallet at work, calf swollen, wee is dark yellow", True),
    ("fell in the bathroom and lay on the floor all night, legs aching, pee dark yellow", True),
    ("after spin my calves are sore and my pee is dark yellow", True),
    ("pee is dark brown and my calves ache", True),
], ids=["concentrated-only", "crush", "long-lie", "after-exercise", "brown-always"])
def test_dark_yellow_urine_counts_only_with_a_muscle_cause(clf, text, flagged):
    """Dark yellow alone is not drinking enough (NHS: Dehydration); after exercise, heat, a crush or a long lie it
    may be muscle breaking down, and a brown or cola colour always counts."""
    assert ("dark_urine" in [f.id for f in clf.classify(text).red_flags]) is flagged


@pytest.mark.parametrize("text, flagged", [
    ("calves sore and weak 2 days after squats, bit worse today", False),
    ("legs like jelly after the marathon, getting worse as the day goes on", False),
    ("both legs weak after my run and getting worse, feet tingling", True),
    ("both legs feel weak, worse than at the start of the session", True),
    ("my legs are getting weaker every day and now I trip on the stairs", True),
    ("both legs going weak and getting worse since yesterday", True),
], ids=["doms-worse-on-day-two", "after-a-marathon", "with-tingling", "during-the-session", "weaker-every-day",
        "no-exercise"])
def test_weak_legs_after_a_finished_session_need_more_than_worse_today(clf, text, flagged):
    """Sore weak legs after a session that is over peak a day or two later (DOMS): 'worse today' alone is not
    progressive weakness then; spreading or daily-growing weakness, nerve signs, or worsening without a
    finished session still are."""
    assert ("progressive_weakness" in [f.id for f in clf.classify(text).red_flags]) is flagged


def test_red_flag_advice_and_source_are_given_for_every_rule():
    for rule in safety.RULES:
        assert rule.level in ("emergency", "urgent")
        assert len(rule.advice) > 60 and rule.source and rule.triggers
        if rule.level == "emergency":
            assert "999, 911 or 112" in rule.advice


def test_red_flags_doc_is_current():
    from calfnlp.redflagsdoc import render
    from conftest import ROOT

    assert (ROOT / "docs" / "red-flags.md").read_text(encoding="utf-8") == render(), \
        "docs/red-flags.md is stale: run `python scripts/red_flags_doc.py`"


def _grade(text):
    """Flesch-Kincaid grade level (US school grade; reading age is about grade + 5)."""
    import re

    def syllables(word):
        w = re.sub(r"[^a-z]", "", word.lower())
        n = len(re.findall(r"[aeiouy]+", w))
        if w.endswith("e") and n > 1 and not w.endswith("le"):
            n -= 1
        return max(n, 1) if w else 0

    words = re.findall(r"[A-Za-z']+", text)
    sentences = max(1, len(re.findall(r"[.!?]+", text)))
    return 0.39 * len(words) / sentences + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def test_advice_reads_at_about_age_twelve():
    from statistics import median

    from calfnlp.assessment import DISCLAIMER

    texts = [r.advice for r in safety.RULES] + [v[1] for v in safety.CAUSE_CARE.values()] + [DISCLAIMER]
    grades = [_grade(t) for t in texts]
    assert median(grades) <= 7.0 and max(grades) <= 8.5, sorted(zip(grades, texts))[-3:]


@pytest.mark.parametrize("text, flag, flagged", [
    ("calf cramps after 200 yards, eases when I stand still, for months now. Left foot colder than the right, "
     "shiny skin, no hair on the shin", "limb_ischaemia", False),
    ("calf cramps after 200 yards, worse and worse until I stop. My right foot always feels colder", "limb_ischaemia",
     False),
    ("calf cramps after 200 yards for months, shiny skin, and today my foot suddenly went cold and white",
     "limb_ischaemia", True),
    ("calf cramps after 200 yards for months, now my foot is cold and numb", "limb_ischaemia", True),
    ("my foot is cold and pale", "limb_ischaemia", True),
    ("woke with my calf rock hard in a cramp, lasted maybe a minute, I pulled my toes up and it went",
     "compartment", False),
    ("calf rock hard after a kick at football, agony when I pull my toes up", "compartment", True),
    ("I stood on the cold floor and the cramp let go, calf rock hard before that, pulled my toes up",
     "compartment", False),
    ("felt a snap in my calf, I can't do a calf raise without it hurting but I can", "tendon_rupture", False),
    ("felt a snap in my calf and I can't stand on tiptoe", "tendon_rupture", True),
    ("pregnant, one calf or the other cramps at night, ankles a bit puffy but both equally", "dvt_signs", False),
    ("calf aches after a quarter mile walking, eases standing, six months. Shiny skin, feet always cold, not "
     "changed suddenly", "limb_ischaemia", False),
    ("lunged, felt like someone had whacked my calf, limping, the heel hurts but I can get up on tiptoe",
     "tendon_rupture", False),
    ("lunged, felt a snap at the heel, limping", "tendon_rupture", True),
    ("sprint finish, felt a twang in the calf, breathless at the finish from going flat out, a single leg calf "
     "raise is uncomfortable", "pe_signs", False),
    ("warm day, calf cramped at mile 22, gasping at the finish", "pe_signs", False),
    ("calf swollen and warm since the flight, now breathless", "pe_signs", True),
], ids=["pad-with-slow-skin-signs", "pad-walking-pain-building", "pad-foot-changed-suddenly", "pad-foot-numb-now",
        "cold-pale-foot-alone", "cramp-that-lasted-a-minute", "after-a-kick", "stood-on-the-floor-is-not-a-blow",
        "able-with-pain", "cannot-tiptoe", "either-calf-is-not-one-calf", "not-changed-suddenly",
        "can-still-tiptoe", "snap-and-limp", "exertional-breathlessness-and-an-exercise", "warm-weather",
        "clot-signs-and-breathless"])
def test_long_post_false_alarms_stay_fixed(clf, text, flag, flagged):
    """From the long-post evaluation (tests/data/long_posts.jsonl): a cool foot in long-standing walking pain
    with its slow skin signs is chronic arterial disease unless it changed suddenly (NHS: Peripheral arterial
    disease); a cramp that lasted a minute is not compartment syndrome; standing on a cold floor is not a blow;
    "can't ... without it hurting" is able, with pain; "one calf or the other" is not one-sided."""
    assert (flag in [f.id for f in clf.classify(text).red_flags]) is flagged


def test_long_posts_reach_every_emergency_and_never_under_triage(clf):
    """100 long forum-style posts written by the team for evaluation (never trained on): every emergency is
    called one, no post gets a lower level than its gold level allows below urgent, and no self-care post is
    sent to urgent care or above."""
    rows = read_jsonl(DATA / "long_posts.jsonl") + read_jsonl(DATA / "long_posts_b.jsonl")
    got = [a.urgency for a in clf.classify_many([r["text"] for r in rows])]
    order = ["self_care", "routine", "urgent", "emergency"]
    assert all(g == "emergency" for r, g in zip(rows, got) if r["urgency"] == "emergency")
    assert all(order.index(g) >= order.index(r["urgency"]) for r, g in zip(rows, got) if r["urgency"] in ("urgent", "emergency"))
    assert all(order.index(g) <= order.index("routine") for r, g in zip(rows, got) if r["urgency"] == "self_care")
