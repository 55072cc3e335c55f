import subprocess
import sys

import pytest
import spacy

from conftest import findings


@pytest.mark.parametrize("text, expected", [
    ("my calf is swollen and my urine is dark", [("calf", ""), ("swelling", ""), ("dark_urine", "")]),
    ("no fever, but I'm short of breath", [("fever", "n"), ("breathlessness", "")]),
    ("no pain, swelling or redness in my calf and my pee is dark",
     [("pain", "n"), ("swelling", "n"), ("redness", "n"), ("calf", ""), ("dark_urine", "")]),
    ("what if my pee goes dark?", [("dark_urine", "h")]),
    ("had a DVT years ago, now my calf is just sore after the gym",
     [("previous_clot", "p"), ("calf", ""), ("pain", ""), ("exercise", "")]),
    ("my friend got rhabdo and his pee went cola coloured, my legs are just stiff",
     [("dark_urine", "o"), ("stiffness", "")]),
    ("my friend did spin yesterday and now his pee is cola coloured", [("extreme_exercise", "o"), ("dark_urine", "o")]),
    ("my son's calf is swollen and his pee is brown", [("calf", "o"), ("swelling", "o"), ("dark_urine", "o")]),
    ("pee isn't dark", [("dark_urine", "n")]),
    ("not only swollen but hot", [("swelling", ""), ("warmth", "")]),
    ("it eases if I rest", [("improving", "")]),
    ("swolen calve, cant put weight on it", [("swelling", ""), ("calf", ""), ("cannot_bear_weight", "")]),
], ids=["plain", "but-ends-scope", "list-then-new-clause", "hypothetical", "history", "other-person",
        "writing-for-a-friend", "proxy",
        "negation-inside", "pseudo-negation", "habitual-if", "misspelt"])
def test_findings_and_context(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("my uncle's calf swelled up after a long flight", [("calf", "o"), ("swelling", "o"), ("long_travel", "o")]),
    ("my aunt is 75 and her shin is now red and warm",
     [("older_age", "o"), ("shin", "o"), ("redness", "o"), ("warmth", "o")]),
    ("my neighbour (70) did a charity marathon and now his legs are weak",
     [("older_age", "o"), ("exercise", "o"), ("weakness", "o")]),
    ("my sister had a clot, now calf swollen and I am breathless",
     [("previous_clot", "po"), ("calf", ""), ("swelling", ""), ("breathlessness", "")]),
    ("my best mate has the same calf cramps", [("calf", "o"), ("cramp", "o")]),
    ("my 80 year old dad has diabetes and a sore on his shin",
     [("older_age", "o"), ("diabetes", "o"), ("nonhealing_sores", "o"), ("shin", "o")]),
    ("my friend reckons calf cramps mean you need more salt", [("calf", ""), ("cramp", ""), ("heat_dehydration", "")]),
    ("Our daughter's ankle is swollen after netball.", [("swelling", "o"), ("exercise", "o")]),
    ("Both my parents had clots.", [("previous_clot", "po")]),
    ("Runs in my family, my mum had a DVT at 40.", [("previous_clot", "po")]),
    ("Calf swollen and hot, asking for my mum.", [("calf", "o"), ("swelling", "o"), ("warmth", "o")]),
    ("my friend from my work has a swollen calf", [("swelling", "o"), ("calf", "o")]),
    ("Mum is 82 and her ankles are swollen.", [("older_age", "o"), ("swelling", "o")]),
    ("Mum of two here, calf swollen after the flight.", [("calf", ""), ("swelling", ""), ("long_travel", "")]),
    ("Me and my friend both got cramps.", [("cramp", "")]),
], ids=["after-inside-clause", "now-inside-clause", "parenthesis", "now-opens-new-clause", "describing-word",
        "age-before-person", "reported-claim", "our-child", "any-person-after-my", "runs-in-the-family-is-not-running",
        "asking-for-someone", "my-in-their-place", "bare-relative", "writer-names-themselves", "joint-subject"])
def test_other_person_scope(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("former smoker, calf aches when I walk", [("smoking", "p"), ("calf", ""), ("ache", ""), ("claudication", "")]),
    ("ex-smoker with diabetes", [("smoking", "p"), ("diabetes", "")]),
    ("I was a heavy smoker, my calf aches when I walk",
     [("smoking", "p"), ("calf", ""), ("ache", ""), ("claudication", "")]),
    ("I am a heavy smoker", [("smoking", "")]),
    ("I was told I'm diabetic", [("diabetes", "")]),
    ("PMH: DVT 2015, T2DM, HTN.", [("previous_clot", "p"), ("diabetes", ""), ("hypertension", "")]),
    ("no history of clots or cancer", [("previous_clot", "n"), ("cancer", "n")]),
    ("I had a clot in 2019 after a long flight", [("previous_clot", "p"), ("long_travel", "p")]),
    ("had a DVT in 2015, after that I was fine", [("previous_clot", "p")]),
    ("my legs cramped a lot when I was pregnant", [("cramp", "p"), ("hormones", "p")]),
    ("booked in for a knee replacement next month", [("surgery", "h")]),
    ("been on the NHS waiting list for a knee op since June", [("surgery", "h")]),
    ("Thinking of starting HRT.", [("hormones", "h")]),
    ("When I was 19 I broke my ankle, now my calf swells.", [("trauma", "p"), ("calf", ""), ("swelling", "")]),
    ("my calf swelled when I was running", [("calf", ""), ("swelling", ""), ("exercise", "")]),
    ("Had sciatica a few years back, this feels different.", [("back_pain", "p")]),
    ("I'm running a marathon next month and worried about cramps.", [("exercise", "h"), ("cramp", "h")]),
    ("I'm worried about my swollen calf.", [("swelling", ""), ("calf", "")]),
    ("Back in my twenties I tore my calf playing football.", [("tear", "p"), ("calf", "p"), ("exercise", "p")]),
    ("my calf is swollen. Years ago I had a DVT.", [("calf", ""), ("swelling", ""), ("previous_clot", "p")]),
    ("I came off the pill in spring and now my ankle is swollen.", [("hormones", "p"), ("swelling", "")]),
    ("stopped running because my calf swelled", [("exercise", "p"), ("calf", ""), ("swelling", "")]),
    ("smoker for 20 years but quit in 2012", [("smoking", "p")]),
    ("I smoke but my calf pain stopped", [("smoking", ""), ("calf", ""), ("pain", "")]),
], ids=["former-risk", "ex-risk", "was-a-smoker-is-past", "am-a-smoker-is-now", "was-told-is-not-past", "bare-year-and-clinical-abbreviations", "negated-history-has-no-date", "after-inside-dated-clause", "comma-ends-it",
        "finding-inside-time-phrase", "booked-operation", "waiting-list", "time-phrase-opens-sentence",
        "time-phrase-after", "stopped-what", "stopped-only-its-object", "habit-given-up-later",
        "given-up-is-the-nearest-finding's", "thinking-of-starting", "worry",
        "worry-about-own", "past-age", "when-i-was-doing", "years-back"])
def test_past_and_planned(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Can you get cramps from being dehydrated?", [("cramp", "h"), ("heat_dehydration", "h")]),
    ("Is a hot red calf always an infection?", [("warmth", "h"), ("redness", "h"), ("calf", "h")]),
    ("Flying to Rome tomorrow, will my ankles swell up?", [("long_travel", "h"), ("swelling", "h")]),
    ("My wee is brown. Can you develop rhabdo after rowing?", [("dark_urine", ""), ("exercise", "h")]),
    ("Will my swollen ankle go down?", [("swelling", "")]),
    ("Could the swelling be from the flight?", [("swelling", ""), ("long_travel", "")]),
    ("is it OK for my legs to feel this tight after spin?", [("tightness", ""), ("extreme_exercise", "")]),
    ("could this explain why my ankle is puffy?", [("swelling", "")]),
    ("Do you think my calf is swollen?", [("calf", ""), ("swelling", "")]),
    ("Do I need A&E with my calf this swollen and my pee dark?", [("calf", ""), ("swelling", ""),
                                                                   ("dark_urine", "")]),
    ("what if the cramp is a clot?", [("cramp", "")]),
    ("if I get chest pain on the flight, what do I do?", [("chest_pain", "h"), ("long_travel", "h")]),
    ("If I have chest pain I'll call 999.", [("chest_pain", "h")]),
    ("if I have to walk far my calf cramps", [("calf", ""), ("cramp", "")]),
    ("If the pain spreads I'll call 111.", [("pain", ""), ("worsening", "h")]),
    ("If I'm short of breath I'll call 999.", [("breathlessness", "h")]),
    ("it hurts if I'm walking uphill", [("pain", ""), ("claudication", "")]),
    ("Next week I'm having knee surgery.", [("surgery", "h")]),
    ("Does rhabdo always make your pee dark?", [("dark_urine", "h")]),
    ("Are calf cramps a sign of dehydration?", [("calf", "h"), ("cramp", "h"), ("heat_dehydration", "h")]),
    ("Does walking make it worse?", [("worsening", "")]),
    ("Can my pee be dark from beetroot?", [("dark_urine", "")]),
    ("should I see someone about dark pee and sore calves", [("dark_urine", ""), ("pain", ""), ("calf", "")]),
    ("Does anyone else's calf swell after flying?", [("calf", ""), ("swelling", ""), ("long_travel", "")]),
], ids=["general-you", "general-a", "what-may-happen", "only-the-question", "owned-finding", "definite-finding",
        "own-state", "what-explains-it", "opinion", "advice-about-own", "what-if-the", "condition-circumstance",
        "general-subject", "general-plural", "it-is-the-writers", "my-subject", "see-someone-is-not-another-person", "anyone-else",
        "if-i-have", "if-i-have-to-is-habit", "if-the-x-spreads", "if-im", "habitual-if-im", "future-opens-sentence"])
def test_questions(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("my uncle had a clot after his knee op, so I worry about my swollen calf",
     [("previous_clot", "po"), ("surgery", "po"), ("swelling", ""), ("calf", "")]),
    ("my aunt had cancer and my calf is swollen", [("cancer", "po"), ("calf", ""), ("swelling", "")]),
    ("My brother broke his leg skiing and now I'm worried about my calf.",
     [("trauma", "po"), ("exercise", "po"), ("calf", "")]),
    ("my dad had a hip op and is now out of breath, his calf aches",
     [("surgery", "o"), ("breathlessness", "o"), ("calf", "o"), ("ache", "o")]),
    ("my mate collapsed after a long flight, turned out it was a clot. My calf is sore after my flight too",
     [("fainting", "po"), ("long_travel", "po"), ("calf", ""), ("pain", ""), ("long_travel", "")]),
], ids=["their-past-illness", "clause-ends-at-new-subject", "broke", "person-described-is-the-patient",
        "story-with-outcome"])
def test_another_persons_history(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("I'm not sure if my pee is darker than normal.", [("dark_urine", "")]),
    ("Don't know if it's swelling or just fat.", [("swelling", "")]),
    ("I can't tell if my calf is warm.", [("calf", ""), ("warmth", "")]),
    ("what if my wee turns brown?", [("dark_urine", "h")]),
    ("I would say my calf is a bit swollen.", [("calf", ""), ("swelling", "")]),
], ids=["not-sure-if", "dont-know-if", "cant-tell-if", "what-if-stays", "would-say"])
def test_doubt_is_not_a_condition(nlp, text, expected):
    """The if-clause after "not sure", "don't know", "can't tell" is what the writer doubts, not a what-if;
    hedged findings still count (span._.uncertain)."""
    doc = nlp(text)
    assert findings(doc) == expected
    if expected[-1][1] == "":
        assert doc.spans["calf_symptoms"][-1]._.uncertain


@pytest.mark.parametrize("text, expected", [
    ("not in my calf, more behind the knee", [("calf", "n"), ("back_of_knee", "")]),
    ("not the left calf, the right one", [("calf", "n")]),
    ("no pain in my calf", [("pain", "n"), ("calf", "")]),
    ("no calf pain", [("calf", ""), ("pain", "n")]),
    ("Not really swollen.", [("severe_swelling", "n")]),
    ("I wouldn't say it's swollen.", [("swelling", "n")]),
    ("painkillers aren't touching it", [("pain_out_of_proportion", "")]),
    ("non smoker, non diabetic", [("smoking", "n"), ("diabetes", "n")]),
    ("non-stop pain in my calf", [("pain", ""), ("calf", "")]),
    ("No fall, no knock.", [("trauma", "n"), ("trauma", "n")]),
    ("I can't fall asleep because of the cramps.", [("cramp", "")]),
    ("I don't get short of breath, even on stairs.", [("breathlessness", "n")]),
    ("I can't get my breath", [("breathlessness", "")]),
    ("calf pain: no swelling", [("calf", ""), ("pain", ""), ("swelling", "n")]),
    ("I didn't notice my pee being dark.", [("dark_urine", "n")]),
    ("I haven't had any trouble peeing.", [("bladder_bowel", "n")]),
    ("haven't peed since this morning", [("low_urine", "")]),
    ("I don't think I'm short of breath.", [("breathlessness", "n")]),
    ("swelling: none", [("swelling", "n")]),
], ids=["place-denied", "side-denied", "place-of-a-negated-finding", "place-before-a-negated-finding",
        "negation-running-into-a-finding", "wouldnt-say", "negation-that-is-the-finding", "non-", "non-stop",
        "a-fall", "fall-asleep", "dont-get-short-of-breath", "cant-get-my-breath", "no-leads-into-its-finding",
        "answer-after", "didnt-notice-dark-pee", "no-trouble-peeing", "not-peed", "dont-think-im"])
def test_negation_edges(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("my calf cramps after about 200 yards, then eases off once I stop and rest",
     [("calf", ""), ("cramp", ""), ("claudication", "")]),
    ("after a mile or so my calves ache and I have to stand still until it passes",
     [("calf", ""), ("ache", ""), ("claudication", "")]),
    ("the cramp in my calf just won't let go", [("cramp", ""), ("calf", "")]),
    ("had a pain at the back of my leg, up near the hamstring", [("pain", "")]),
    ("shin is swollen from the knee down", [("shin", ""), ("swelling", "")]),
    ("my dad's 82 and his feet are always cold", [("older_age", "o"), ("pale_cold_foot", "o")]),
    ("it felt as if someone behind me had kicked my heel", [("pop", ""), ("achilles", "")]),
    ("a horse kicked me in the calf", [("trauma", ""), ("calf", "")]),
    ("my calf feels full and like it's going to burst", [("calf", ""), ("tightness", ""), ("tense_calf", "")]),
    ("pain shooting from my lower back into my calf", [("radiating_pain", ""), ("back_pain", ""), ("calf", "")]),
    ("been sleeping in the armchair because my foot hurts in bed", [("rest_pain", ""), ("at_night", "")]),
    ("I don't drink and I don't smoke", [("smoking", "n")]),
    ("I didn't drink enough water on the hike", [("heat_dehydration", ""), ("exercise", "")]),
    ("ran an ultramarathon on Sunday", [("extreme_exercise", "")]),
    ("did CrossFit for the 1st time", [("extreme_exercise", ""), ("new_exercise", "")]),
    ("the ulcer on my ankle has been weeping for weeks and won't heal", [("nonhealing_sores", ""), ("long_duration", "")]),
    ("I can move my toes fine but the calf is tight", [("cannot_move_toes", "n"), ("calf", ""), ("tightness", "")]),
    ("no temperature but I feel shivery", [("fever", "n"), ("fever", "")]),
    ("my foot is swollen and purple", [("swelling", ""), ("redness", "")]),
    ("my foot has gone purple", [("pale_cold_foot", "")]),
    ("the pain in my calf comes and goes", [("pain", ""), ("calf", ""), ("recurring", "")]),
    ("calf has been giving me grief since Monday, feels like a vice", [("calf", ""), ("pain", ""), ("tightness", "")]),
    ("crease of my knee is puffy", [("back_of_knee", ""), ("swelling", "")]),
    ("it hurts in my left and right calves", [("pain", ""), ("bilateral", ""), ("calf", "")]),
    ("my legs keep giving out on the stairs", [("weakness", "")]),
    ("the hair on my shins has stopped growing", [("shiny_skin", ""), ("shin", "")]),
    ("day after leg day and my calves are wrecked", [("delayed_onset", ""), ("exercise", ""), ("calf", ""), ("pain", "")]),
    ("my bladder feels full but nothing comes out", []),
    ("it's 90 degrees out and my calf is swollen", [("heat_dehydration", ""), ("calf", ""), ("swelling", "")]),
    ("throbing calf after the match", [("ache", ""), ("calf", ""), ("exercise", "")]),
    ("I nearly pasted out at work", [("fainting", "")]),
    ("I am 6 weeks pregnant and one calf is swollen", [("hormones", ""), ("unilateral", ""), ("calf", ""), ("swelling", "")]),
    ("a car door hit my calf", [("trauma", ""), ("calf", "")]),
], ids=["claudication-walk-then-relief", "stand-still-until-it-passes", "cramp-wont-let-go", "back-of-leg-is-not-calf",
        "knee-down-is-not-whole-leg", "age-after-apostrophe-s", "kicked-simile-is-pop", "named-kicker-is-trauma",
        "full-is-tightness-about-to-burst-is-tense", "shooting-from-the-back-is-radiating", "sleeping-in-a-chair",
        "dont-drink-is-not-dehydration", "not-drinking-enough", "ran-an-ultra", "1st-time", "sore-that-wont-heal-once",
        "able-to-move-toes", "no-temperature", "swollen-purple-foot-is-red", "purple-foot-alone", "comes-and-goes",
        "giving-me-grief-like-a-vice", "crease-of-the-knee", "left-and-right", "giving-out", "hair-stopped-growing",
        "day-after-leg-day", "bladder-feels-full", "its-90-degrees-is-no-age", "throbing-is-not-throwing",
        "pasted-out", "weeks-pregnant-is-not-a-duration", "hit-my-calf"])
def test_lay_phrasings(nlp, text, expected):
    assert findings(nlp(text)) == expected


def test_side_attribute(nlp):
    doc = nlp("L calf puffy + hot since flight from tokyo")
    sides = {s.label_: s._.side for s in doc.spans["calf_symptoms"]}
    assert sides["calf"] == "left" and sides["swelling"] == "left"


def test_offsets_point_into_the_text(nlp):
    text = "Calves ROCK hard, can't wiggle my toes!!"
    doc = nlp(text)
    assert len(doc.spans["calf_symptoms"]) >= 2
    for s in doc.spans["calf_symptoms"]:
        assert text[s.start_char:s.end_char] == s.text


def test_spelling_can_be_turned_off():
    nlp = spacy.blank("en")
    nlp.add_pipe("calf_symptoms", config={"spelling": False})
    nlp.add_pipe("calf_context")
    doc = nlp("my foot is tinglinng")
    assert "tingling" not in [s.label_ for s in doc.spans["calf_symptoms"]]
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("calf_symptoms")
    doc2 = nlp2("my foot is tinglinng")
    assert "tingling" in [s.label_ for s in doc2.spans["calf_symptoms"]]


FRESH = """
import sys, spacy
nlp = spacy.blank("en")
nlp.add_pipe("calf_symptoms")
nlp.add_pipe("calf_context")
doc = nlp("no swelling but my urine is dark")
print([(s.label_, s._.negated) for s in doc.spans["calf_symptoms"]])
assert "calfnlp" in sys.modules  # loaded by spaCy through the entry point, not by us
"""


def test_factories_work_through_entry_points_in_a_fresh_interpreter():
    out = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[('swelling', True), ('dark_urine', False)]"


def test_saved_pipeline_loads_back_with_the_same_spans(nlp, tmp_path):
    text = "L calf swollen & hot after the flight, no chest pain, my dad had a clot"
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "calf_symptoms" / "symptoms.jsonl").exists()
    loaded = spacy.load(tmp_path / "pipe")
    a, b = nlp(text), loaded(text)
    assert [(s.start, s.end, s.label_) for s in a.spans["calf_symptoms"]] == \
           [(s.start, s.end, s.label_) for s in b.spans["calf_symptoms"]]
    assert findings(a) == findings(b)


def test_calfnlp_component_puts_the_assessment_on_the_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("calfnlp")
    doc = nlp("my calf is swollen and my urine is dark")
    assert doc._.calf_assessment.urgency == "emergency"
    assert doc._.calf_assessment.red_flags[0].id == "dark_urine"


def test_make_symptom_is_an_ordinary_symptom():
    from calfnlp.assessment import Symptom, make_symptom

    values = ("swelling", "swollen", 3, 10, True, False, False, False, "left", False)
    fast, slow = make_symptom(*values), Symptom(*values)
    assert type(fast) is Symptom and fast.side == "left" and fast.negated and not fast.present
    assert fast == slow and hash(fast) == hash(slow) and fast.to_dict() == slow.to_dict()
    assert list(Symptom._fields) == list(slow.to_dict())  # to_dict writes every field


@pytest.mark.parametrize("text, other", [
    ("A woman at my gym had dark pee after spin. I did the class too; calves sore, pee normal.", True),
    ("Wife had a clot after her op; calf swollen again today.", False),
], ids=["writer-goes-on-after-a-semicolon", "person-described-is-the-patient"])
def test_proxy_across_a_semicolon(text, other):
    import calfnlp

    a = calfnlp.classify(text)
    assert any(s.other_person for s in a.symptoms) is other


@pytest.mark.parametrize("text, expected", [
    ("I can still walk on it but it hurts", [("cannot_bear_weight", "n"), ("pain", "")]),
    ("no pop that I heard, and I can stand on my toes", [("pop", "n"), ("cannot_tiptoe", "n")]),
    ("toes look pink and I can wiggle my toes fine", [("cannot_move_toes", "n")]),
    ("I can't walk on it at all", [("cannot_bear_weight", "")]),
], ids=["able-to-walk", "able-to-tiptoe", "able-to-move-toes", "unable-stays-present"])
def test_a_stated_ability_denies_the_inability(nlp, text, expected):
    assert [f for f in findings(nlp(text)) if f[0] != "calf"] == expected


def test_denials_survive_a_saved_pipeline(nlp, tmp_path):
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    text = "sore calf but I can walk on it"
    assert findings(again(text)) == findings(nlp(text))


@pytest.mark.parametrize("text, expected", [
    ("smashed out 500 burpees yesterday", [("extreme_exercise", "")]),
    ("calf is black and blue after footy", [("calf", ""), ("bruising", ""), ("exercise", "")]),
    ("Fell in the garden and now my calf is sore", [("trauma", ""), ("calf", ""), ("pain", "")]),
    ("dropped a weight on my shin", [("trauma", ""), ("shin", "")]),
    ("calf feels bruised but I didn't bang it on anything", [("calf", ""), ("tenderness", ""), ("trauma", "n")]),
    ("just out of hospital and my calf aches", [("immobilisation", ""), ("calf", ""), ("ache", "")]),
    ("she had a c section last week", [("surgery", "o")]),
    ("ran down a steep hill and my calves are wrecked", [("new_exercise", ""), ("calf", ""), ("pain", "")]),
    ("way more than I used to", [("new_exercise", "")]),
    ("SOB climbing stairs", [("breathlessness", "")]),
    ("swollen from the thigh down", [("swelling", ""), ("whole_leg", "")]),
    ("my left calf is twice the size of the right one", [("calf", ""), ("calf_bigger", "")]),
    ("his foot has gone a funny blue colour", [("pale_cold_foot", "o")]),
    ("feet like blocks of ice", [("pale_cold_foot", "")]),
    ("both legs feel dead", [("bilateral", ""), ("numbness", "")]),
    ("I feel dead tired", []),
    ("wee is dark, barely any coming out", [("dark_urine", ""), ("low_urine", "")]),
    ("the pain is unreal and nothing touches it", [("pain_out_of_proportion", ""), ("pain_out_of_proportion", "")]),
    ("unable to plantarflex", [("cannot_tiptoe", "")]),
    ("I can walk on it fine and go up on my toes no problem", [("cannot_bear_weight", "n"), ("cannot_tiptoe", "n")]),
    ("keep nearly blacking out", [("fainting", "")]),
    ("I feel a bit dizzy", []),
    ("spitting up blood", [("coughing_blood", "")]),
    ("pulsing pain in my calf", [("ache", ""), ("calf", "")]),
    ("it's like a hot poker in my calf", [("burning_pain", ""), ("calf", "")]),
    ("my leg has puffed right up", [("swelling", "")]),
    ("ankles swell up every evening", [("swelling", ""), ("recurring", "")]),
    ("it's a lot better than it was", [("improving", "")]),
    ("I walk about half a mile, stop for a minute and it's fine again", [("claudication", "")]),
    ("he has to stop and lean on the wall till it goes", [("claudication", "o")]),
    ("can't walk more than a few minutes", [("claudication", "")]),
    ("I'm a heavy smoker", [("smoking", "")]),
    ("My BP's through the roof", [("hypertension", "")]),
    ("on ramipril for my pressure", [("hypertension", "")]),
    ("on atorva", [("statins", "")]),
    ("my nan is poorly, shes 88", [("older_age", "o")]),
    ("im 70", [("older_age", "")]),
    ("I'm in my late sixties", [("older_age", "")]),
    ("Old fella here with a sore calf", [("older_age", ""), ("pain", ""), ("calf", "")]),
    ("I'm a truckie", [("long_travel", "")]),
    ("undergoing treatment for breast ca", [("cancer", "")]),
], ids=["hundreds-of-burpees", "footy", "fell-in-the-garden", "dropped-a-weight-on", "didnt-bang-it",
        "out-of-hospital", "c-section-spaced", "ran-down-a-hill-is-downhill", "more-than-i-used-to",
        "climbing-stairs-is-not-exercise", "thigh-down-is-whole-leg", "twice-the-size-of-the-other",
        "funny-blue-colour", "blocks-of-ice", "legs-feel-dead", "dead-tired-is-not-numb", "barely-any-coming-out",
        "nothing-touches-it", "plantarflex", "go-up-on-my-toes-denies", "blacking-out", "dizzy-alone-is-not-fainting",
        "spitting-up-blood", "pulsing", "hot-poker-is-burning-not-warmth", "puffed-right-up-is-swelling",
        "every-evening", "a-lot-better", "walk-stop-fine-again", "has-to-stop-till-it-goes", "cant-walk-more-than",
        "heavy-smoker-is-not-heaviness", "bp-through-the-roof", "for-my-pressure-is-not-tightness", "atorva",
        "shes-88", "im-70", "late-sixties", "old-fella", "truckie-is-not-trickle", "breast-ca"])
def test_more_lay_phrasings(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Just in case: no fever, no chest pain.", [("fever", "n"), ("chest_pain", "n")]),
    ("just in case my ankles swell", [("swelling", "h")]),
    ("In case it matters, I had a hysterectomy last year.", [("surgery", "p")]),
    ("Dunno if it's swollen", [("swelling", "")]),
    ("No way is this just a cramp, my whole leg is swollen.", [("cramp", "n"), ("whole_leg", ""), ("swelling", "")]),
    ("I'm no longer on the pill.", [("hormones", "p")]),
    ("No longer swollen.", [("swelling", "n")]),
    ("It's been three years since my last DVT.", [("previous_clot", "p")]),
    ("What if I had a clot?", [("previous_clot", "")]),
    ("There's a history of blood clots in my family.", [("previous_clot", "po")]),
    ("I've never had a clot and no one in my family has either.", [("previous_clot", "n")]),
    ("I haven't been on a plane or had any surgery.", [("long_travel", "n"), ("surgery", "n")]),
    ("Hx of DVT in 2018 (post-op), nil since.", [("previous_clot", "p"), ("surgery", "p")]),
    ("I smoked for 40 years (stopped in 2012).", [("smoking", "p")]),
    ("Would swelling after a long drive mean a clot, or is that normal?", [("swelling", "h"), ("long_travel", "h")]),
    ("My calf is swollen, or is that normal?", [("calf", ""), ("swelling", "")]),
    ("My dad got rhabdo after a spin class years ago and had dark urine for days.",
     [("extreme_exercise", "po"), ("dark_urine", "po")]),
    ("my bf's calf went purple", [("calf", "o"), ("redness", "o")]),
    ("I can hardly go up the stairs without pain.", [("pain", "")]),
    ("I couldn't sleep without my calf cramping.", [("calf", ""), ("cramp", "")]),
    ("Walked home without pain.", [("pain", "n")]),
    ("Resident is 89 and has a hot calf; she denies any fall.",
     [("older_age", ""), ("warmth", ""), ("calf", ""), ("trauma", "n")]),
    ("Patient reports his wife had a DVT.", [("previous_clot", "po")]),
], ids=["in-case-colon-is-no-worry", "in-case-is-a-worry", "in-case-it-matters", "dunno-if-hedges", "no-way-is-this",
        "no-longer-on-a-medicine-is-past", "no-longer-a-symptom-is-absent", "last-dvt-is-past", "what-if-i-had",
        "family-history-reaches-back", "no-one-in-my-family", "negated-list-restates-verb", "dated-clause-parenthesis",
        "given-up-in-parenthesis", "or-is-that-normal-question-before", "or-is-that-normal-own-finding",
        "dated-story-of-someone-else", "bf-is-a-person", "double-negative-without", "double-negative-stops-the-not", "plain-without",
        "note-about-its-patient", "note-patient-his-wife"])
def test_context_rules_gold11(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("legs same size, no colour change, not swollen", [("calf_bigger", "n"), ("redness", "n"), ("swelling", "n")]),
    ("his toes have no colour in them", [("pale_cold_foot", "o")]),
    ("I couldn't move my foot. It passed in about 90 seconds.", [("cannot_move_toes", ""), ("improving", "")]),
    ("I'm no longer on the pill.", [("hormones", "p")]),
], ids=["no-colour-change-is-not-pallor", "no-colour-in-them-is-pallor", "it-passed-is-the-resolution-not-past",
        "no-longer-on-dates-what-follows"])
def test_phrases_that_open_with_a_trigger(nlp, text, expected):
    """A finding whose own words begin with a time phrase ("it passed in 90 seconds") is not dated by it; one
    that starts inside the phrase ("no longer on" + "on the pill") is. "No colour change" denies a change."""
    assert findings(nlp(text)) == expected



@pytest.mark.parametrize("text, expected", [
    ("calf swollen and red, had surgery in 2019",
     [("calf", ""), ("swelling", ""), ("redness", ""), ("surgery", "p")]),
    ("I'm 75, had a heart bypass ten years ago and still smoke", [("older_age", ""), ("surgery", "p"), ("smoking", "")]),
    ("Auntie had a clot on the pill", [("previous_clot", "po"), ("hormones", "o")]),
    ("Sister checked and my calf is swollen", [("calf", ""), ("swelling", "")]),
    ("My husband, 64, felt a sharp pull in his calf. It's tender and a bruise is coming out.",
     [("older_age", "o"), ("sharp_pain", "o"), ("calf", "o"), ("tenderness", "o"), ("bruising", "o")]),
    ("Mr P, 91, bedbound.", [("older_age", ""), ("immobilisation", "")]),
    ("walked 2 miles, 60 minutes, then my calf cramped", [("calf", ""), ("cramp", "")]),
    ("the ache is worse at night", [("ache", ""), ("at_night", "")]),
    ("felt as if someone had kicked me in the calf", [("pop", ""), ("calf", "")]),
    ("I wouldn't call it swollen", [("swelling", "n")]),
    ("Denies SOB/CP.", [("breathlessness", "n"), ("chest_pain", "n")]),
    ("my son has CP and his calf is sore", [("calf", "o"), ("pain", "o")]),
    ("PMH AF, HTN.", [("afib", ""), ("hypertension", "")]),
    ("calves tight af after leg day", [("calf", ""), ("tightness", ""), ("exercise", "")]),
    ("both calves the same size", [("bilateral", ""), ("calf", ""), ("calf_bigger", "n")]),
    ("my left calf is not the same size as the right", [("calf", ""), ("calf_bigger", "")]),
    ("calf is not only swollen but hot", [("calf", ""), ("swelling", ""), ("warmth", "")]),
    ("no swelling, no heat, no redness", [("swelling", "n"), ("warmth", "n"), ("redness", "n")]),
    ("ran 20k in 30 degree heat", [("exercise", ""), ("heat_dehydration", "")]),
    ("ultra in 32C heat", [("extreme_exercise", ""), ("heat_dehydration", "")]),
    ("sore calf, ice or heat?", [("pain", ""), ("calf", "")]),
    ("swollen and it's not getting better", [("swelling", ""), ("improving", "n")]),
    ("not improving, urine tea-coloured", [("improving", "n"), ("dark_urine", "")]),
], ids=["comma-then-own-past-verb-ends-backward-dating", "an-age-is-never-past", "bare-auntie", "ward-sister-is-not-kin",
        "proxy-sentence-goes-on-about-them", "age-between-commas", "a-number-between-commas-is-not-an-age",
        "worse-at-night-is-when-not-course", "felt-as-if-is-a-simile", "wouldnt-call-it",
        "cp-in-a-symptom-list", "cp-alone-is-not-chest-pain", "af-after-pmh", "af-as-slang",
        "same-size-denies-bigger", "not-the-same-size", "is-not-only-is-pseudo",
        "heat-in-a-list-of-signs-is-warmth", "degree-heat-is-the-weather", "temperature-heat", "ice-or-heat-is-treatment",
        "not-getting-better-is-not-improving", "its-negation-stays-inside"])
def test_rules_from_gold13(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("bruising? not yet", [("bruising", "n")]),
    ("improving, no swelling, tiptoe ok", [("improving", ""), ("swelling", "n"), ("cannot_tiptoe", "n")]),
    ("calf cramp at 3am, 4th night in a row", [("calf", ""), ("cramp", ""), ("at_night", ""), ("recurring", "")]),
    ("Pt 81, whole leg swollen", [("older_age", ""), ("whole_leg", ""), ("swelling", "")]),
    ("my dads calf is swollen", [("calf", "o"), ("swelling", "o")]),
    ("got sciatica, will it make my leg give way?", [("back_pain", ""), ("weakness", "h")]),
    ("pee not dark, peeing normal amount", [("dark_urine", "n"), ("low_urine", "n")]),
    ("numb around bum? no. bladder ok? yes", [("saddle_numbness", "n"), ("bladder_bowel", "n")]),
    ("my calf goes hard at night", [("calf", ""), ("at_night", "")]),
    ("Fever: N, swelling? n", [("fever", "n"), ("swelling", "n")]),
    ("calf swollen n hot", [("calf", ""), ("swelling", ""), ("warmth", "")]),
    ("no pop, can go up on tiptoes fine", [("pop", "n"), ("cannot_tiptoe", "n")]),
    ("my dad snapped his achilles last yr", [("pop", "po"), ("achilles", "po")]),
], ids=["not-yet", "tiptoe-ok-denies", "nights-in-a-row", "patient-note-age", "possessive-without-apostrophe",
        "will-it-make", "normal-amount-denies-low-urine", "bladder-ok-denies", "goes-hard-in-a-cramp-is-not-tense",
        "form-answer-n", "n-as-and-is-not-a-no", "tiptoes-fine-denies", "last-yr"])
def test_rules_from_gold16(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Our son, 15, did a fitness test. He says his calves are tight. They're sore today.",
     [("extreme_exercise", "o"), ("calf", "o"), ("tightness", "o"), ("pain", "")]),
    ("Retired dairy farmer, 76, with cramp at night", [("older_age", ""), ("older_age", ""), ("cramp", ""), ("at_night", "")]),
    ("No swelling, and my wee is a normal colour", [("swelling", "n"), ("dark_urine", "n")]),
    ("the ankle on that side has gone fat", [("swelling", "")]),
    ("Playing Gaelic on Sunday I took a knee to the shin", [("exercise", ""), ("trauma", ""), ("shin", "")]),
    ("In my first pregnancy I had night cramps, now calf swollen", [("hormones", "p"), ("cramp", "p"), ("calf", ""),
                                                                  ("swelling", "")]),
    ("I have shin splints", [("shin", "")]),
    ("a lump behind the knee that burst", [("visible_knot", ""), ("back_of_knee", "")]),
    ("a dodgy knee for years", [("long_duration", "")]),
    ("back playing badminton after ten years off", [("new_exercise", ""), ("new_exercise", "")]),
], ids=["a-parent-writes-the-childs-complaint", "risk-factors-are-not-joined", "normal-colour-denies-dark-urine",
        "gone-fat-is-swelling", "gaelic-is-exercise", "an-earlier-pregnancy-is-past",
        "splints-are-not-sprints", "a-cyst-burst-is-not-a-move", "for-years-is-how-long", "back-after-years-off"])
def test_rules_from_gold15(nlp, text, expected):
    assert findings(nlp(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("I was a smoker for 20 years", [("smoking", "p")]),
    ("my calves keep cramping in bed", [("calf", ""), ("recurring", ""), ("cramp", ""), ("at_night", "")]),
    ("cramps every night", [("cramp", ""), ("at_night", ""), ("recurring", "")]),
    ("sore on every run", [("pain", ""), ("recurring", ""), ("exercise", "")]),
    ("calf aches worse at night", [("calf", ""), ("ache", ""), ("at_night", "")]),
    ("a red blotch on the calf", [("redness", ""), ("calf", "")]),
    ("swollen from the thigh to my foot", [("swelling", ""), ("whole_leg", "")]),
    ("no breathing problem", [("breathlessness", "n")]),
    ("peeing normal, calves sore", [("low_urine", "n"), ("calf", ""), ("pain", "")]),
    ("started running again after a 2 year break", [("new_exercise", "")]),
    ("I went running again today", [("exercise", "")]),
    ("it's not down by the heel, it's in the calf", [("achilles", "n"), ("calf", "")]),
    ("I stood on the cold floor and it let go", [("improving", "")]),
    ("I can't do a calf raise without it hurting", [("cannot_tiptoe", "n"), ("calf", ""), ("pain", "")]),
    ("warm day, my calf locked", [("heat_dehydration", ""), ("calf", ""), ("cramp", "")]),
    ("should I skip the wine on the plane (sob)?", [("long_travel", "")]),
    ("c/o SOB and calf swelling", [("breathlessness", ""), ("calf", ""), ("swelling", "")]),
    ("nothing hurts, no swelling", [("pain", "n"), ("swelling", "n")]),
    ("someone on tiktok said about dark pee", [("dark_urine", "h")]),
    ("the pulses in my left foot were faint", []),
    ("my pulse is racing and I feel faint", [("fast_heart", ""), ("fainting", "")]),
    ("a single leg calf raise hurts", [("pain", "")]),
    ("I can get up on tiptoe but it grabs", [("cannot_tiptoe", "n")]),
], ids=["was-a-smoker", "keeps-cramping-recurs", "every-night-is-night-and-recurring", "every-run-is-a-run-that-recurs",
        "worse-at-night-is-not-worsening", "a-blotch-is-not-blotchy", "thigh-to-my-foot", "breathing-problem",
        "peeing-normal-denies", "again-after-a-break-is-new", "again-alone-is-not-new", "place-denied-down-by",
        "standing-on-the-floor-is-not-a-blow", "able-with-pain", "warm-day-is-weather", "a-sob-is-not-breathless",
        "sob-in-capitals", "nothing-negates", "said-about-is-a-topic", "faint-pulses-are-not-fainting",
        "feeling-faint-still-is", "single-leg-exercise-is-not-one-sided", "can-get-up-on-tiptoe"])
def test_rules_from_gold17_18(nlp, text, expected):
    # how often something happens is its own layer: "keeps cramping" is a cramp and a recurrence
    assert findings(nlp(text)) == expected
