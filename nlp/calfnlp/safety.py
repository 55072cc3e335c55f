"""The hard-coded safety layer: red flags, urgency and advice.

It reads only the extracted findings (never the cause model), so no model output can lower the urgency a
red flag sets. Each rule is a short function with its level, its advice and its public clinical source
beside it; docs/red-flags.md is generated from this file (`python scripts/red_flags_doc.py`).

A finding counts when it is the patient's own and current: not negated, not hypothetical, not a past
resolved event and not about someone else; risk factors count when they are in the past too ("had a DVT
in 2015"). Hedged mentions ("I think my wee might be darker") count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from .assessment import LEVEL, RedFlag, Symptom
from .catalogue import finding_groups

EMERGENCY, URGENT, ROUTINE, SELF_CARE = "emergency", "urgent", "routine", "self_care"

LEG = ("calf", "back_of_knee", "achilles", "shin", "whole_leg", "pain", "ache", "stiffness", "sharp_pain", "cramp",
       "burning_pain", "tightness", "tenderness", "swelling", "severe_swelling", "weakness", "tense_calf",
       "calf_bigger", "bruising", "limping", "cannot_bear_weight")
SWOLLEN = ("swelling", "severe_swelling", "calf_bigger")
CLOT_SIGNS = ("swelling", "severe_swelling", "calf_bigger", "warmth", "redness", "unilateral")
# anticoagulants: taken for a past clot (or AF), so a marker of clot history as the finding previous_clot is
CLOT_RISKS = ("long_travel", "surgery", "immobilisation", "hormones", "previous_clot", "anticoagulant", "cancer")
# long-standing risk factors: they count when told as past ("had a DVT in 2015", "ex-smoker"); surgery or the
# pill years ago do not raise today's clot risk, so they are not here
RISK_IDS = frozenset({"smoking", "diabetes", "older_age", "previous_clot", "anticoagulant", "cancer", "afib", "hypertension",
                      "high_cholesterol", "statins"})
SPORT = ("exercise", "new_exercise", "extreme_exercise", "explosive_move")
MUSCLE_INJURY = ("trauma", "immobilisation")  # a crush, a fall, a long lie: muscle breaks down without exercise
EXERTION = (*SPORT, "heat_dehydration")
class Words:
    """A case-insensitive pattern of lower-case words. Searching lower-cased text with a plain pattern is
    several times faster than re.IGNORECASE, which is what `Findings.search` does."""

    def __init__(self, pattern: str):
        self.plain = re.compile(pattern)
        self.any_case = re.compile(pattern, re.I)

    def search(self, text: str) -> Optional[re.Match]:
        return self.any_case.search(text)


RECOVERED_COLOUR = Words(r"warmed (up|back)|colou?r (came|went|is|has come) back|back to (a |their |its )?"
                              r"normal colou?r|pink again|normal colou?r (again|now)")
_BRIEF = r"(\d+ seconds|few seconds|seconds|a minute|one minute|1 min|minute or two|a few minutes|couple of minutes)"
TRANSIENT = Words(rf"\b{_BRIEF}\b")
LASTED = Words(rf"\b(lasted|lasts|lasting)( (maybe|about|only|just|around|roughly))? (a )?{_BRIEF}\b")
_NOT_PACE = "".join(f"(?<!{w} )" for w in ("walk", "walking", "run", "running", "move", "beating", "breathing"))
PROGRESSIVE = Words(r"weaker (and|n|&) weaker|getting (steadily |more |much |a lot )?weaker|going weak|"
                         r"growing weaker|weakening|by the hour|losing (the )?(force|strength|power)|"
                         # rising from the feet is the Guillain-Barre pattern; "more every day" is its course
                         r"\bascending|creeping up|spreading up|moving up|up to (my|me|the|her|his) (knees|thighs|hips|waist)|"
                         r"\b(more|worse|weaker) (every|each) day|(every|each) day (more|worse|weaker)|day by day|"
                         r"weaker than (yesterday|last week|before)|"
                         # came on fast, but not the pace of walking ("weak when I walk fast") or a heartbeat
                         rf"{_NOT_PACE}\b(real|really|very|so) (fast|quickly|rapidly)\b|"
                         rf"{_NOT_PACE}(?<!real )(?<!really )(?<!very )(?<!so )\b(fast|quickly|rapidly)\b")
# a session that is over: "after leg day", "since the marathon", "yesterday's run"
AFTER_SESSION = Words(r"\b(after|since|post|yesterday|yesterdays|yesterday's|yday|yest|last night)\b|days? ago")
# "my legs" (plural) with weakness is both legs for the progressive-weakness rule
BOTH_LEGS = Words(r"\b(legs|calves|thighs)\b")
# urine that is only dark yellow or amber is concentrated (NHS Dehydration: dark yellow pee from not drinking
# enough), not the tea or cola colour of muscle breakdown; it counts only after exercise or heat, where the two
# cannot be told apart by the colour word
CONCENTRATED = Words(r"\bdark(er|ish)? (yellow|amber)\b")
HEAT = Words(r"heat|hot|sun|sweat|humid")  # not drinking enough is what makes urine dark yellow: it alone is no exertion
MUSCLE_DARK = Words(r"\b(brown|brownish|cola|coke|tea|rust|rusty|coffee|black|red|reddish|blood|bloody|mahogany|"
                    r"maroon|murky|muddy)\b")
# a foot cold from its surroundings (bare feet on tiles, snow, cold water), with no other of the 6 Ps
COLD_SURROUNDINGS = Words(r"\b(barefoot|bare feet|bare foot|tiles|tiled|snow|ice bath|cold (water|sea|floor|tiles|"
                          r"weather)|no socks|without socks|air ?con)\b")
COLD_WORD = Words(r"\b(cold|colder|freezing|icy|ice|chilly|cool)\b")
COLOUR_WORD = Words(r"pale|white|blue|grey|gray|mottled|marbled|purple|ashen|colou?r|corpse|deathly")
NIGHT_WORDS = Words(r"\b(sleep|sleeping|bed|night|chair|armchair|dangl|hang|floor)")
# (not "suddenly": the sudden_onset finding carries its negation, "have not changed suddenly")
ACUTE = Words(r"\b(today|tonight|now|this (morning|afternoon|evening)|(an?|few|couple of|\d+) (hours?|minutes?|mins?) ago|since (lunch|breakfast|dinner|tea|this))\b")
CHRONIC = Words(r"\b(always|for (years|months|ages)|all my life|all (year|the time)|year round|every winter|"
                     r"over (a|the (last|past)) (year|years|months)|last time|worse in the cold|"
                     r"in (the )?(cold|winter)|since i was|when i (lift|raise|put|elevate|sit)|go(es)? (a )?(pale|white|"
                     r"purple|purplish|red|blue))\b")
LEG_WORDS = Words(r"\b(calf|calves|calve|leg|legs|shin|ankle|ankles|lower leg|back of (my|the) knee)\b")


class Findings:
    """The present (own, current) findings of one description, by id."""

    def __init__(self, symptoms: Sequence[Symptom], text: str):
        self.text = text
        low = text.lower()
        self._low = low if len(low) == len(text) else None  # lower() keeps offsets for almost all text
        self.by_id: dict[str, list[Symptom]] = {}
        self.denied = frozenset(s.id for s in symptoms if s.negated and not (s.hypothetical or s.other_person))
        for s in symptoms:
            # a risk factor counts when it is in the past too ("had a DVT in 2015", "ex-smoker")
            if s.present or (s.id in RISK_IDS and s.historical and not (s.negated or s.hypothetical or s.other_person)):
                self.by_id.setdefault(s.id, []).append(s)

    def get(self, *ids: str) -> Optional[Symptom]:
        """The first present finding among `ids` (in the order given), or None."""
        for i in ids:
            if i in self.by_id:
                return self.by_id[i][0]
        return None

    def has(self, *ids: str) -> bool:
        return any(i in self.by_id for i in ids)

    def sentence(self, s: Symptom) -> str:
        start, end = self._sentence_bounds(s)
        return self.text[start:end]

    def search(self, words: Words, s: Optional[Symptom] = None) -> bool:
        """Whether `words` occur in the text, or only in the sentence of `s`."""
        start, end = self._sentence_bounds(s) if s is not None else (0, len(self.text))
        if self._low is not None:
            return words.plain.search(self._low, start, end) is not None
        return words.any_case.search(self.text, start, end) is not None

    def _sentence_bounds(self, s: Symptom) -> tuple[int, int]:
        start = max(self.text.rfind(c, 0, s.start) for c in ".!?\n") + 1
        ends = [e for e in (self.text.find(c, s.end) for c in ".!?\n") if e != -1]
        return start, min(ends) if ends else len(self.text)

    def in_leg(self, s: Symptom) -> bool:
        """Whether the sentence of `s` is about the leg: a leg word, or a place calfnlp read there."""
        if self.search(LEG_WORDS, s):
            return True
        start, end = self._sentence_bounds(s)
        return any(start <= p.start and p.end <= end for i in ("calf", "whole_leg", "shin", "back_of_knee")
                   for p in self.by_id.get(i, ()))


# Each check returns the finding to quote as evidence, or None.
Check = Callable[[Findings], Optional[Symptom]]


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    triggers: str  # for people: what fires the rule (docs/red-flags.md)
    advice: str
    source: str
    check: Check


def _dark_urine(f: Findings) -> Optional[Symptom]:
    # CDC/NIOSH: tea- or cola-coloured urine, or little urine, with muscle pain after exertion.
    # NHS Dehydration: dark yellow pee alone, without exercise or heat, is not drinking enough. A blow, a crush
    # or a long lie on the floor breaks muscle down too (Medscape: Rhabdomyolysis, causes include trauma and
    # immobility; emedicine.medscape.com/article/1007814), so after those dark yellow still counts.
    urine = f.get("low_urine")
    hot = any(HEAT.search(h.text) for h in f.by_id.get("heat_dehydration", ()))
    for dark in f.by_id.get("dark_urine", ()):
        if f.has(*SPORT, *MUSCLE_INJURY) or hot or not f.search(CONCENTRATED, dark) or f.search(MUSCLE_DARK, dark):
            urine = dark
            break
    return urine if urine and (f.has(*LEG) or f.has(*EXERTION)) else None


def _pe_signs(f: Findings) -> Optional[Symptom]:
    # NHS DVT: a clot in the leg with breathlessness or chest pain needs emergency care (pulmonary embolism).
    grave = f.get("coughing_blood", "chest_pain")
    if grave and f.has(*LEG, *CLOT_SIGNS):
        return grave
    # Asthma + Lung UK (Pulmonary embolism): a heart beating very fast is a reason to call 999 too
    lungs = f.get("breathlessness", "fainting", "fast_heart")
    if lungs and (f.has(*CLOT_SIGNS) or f.has(*CLOT_RISKS)) and f.has(*LEG, *CLOT_SIGNS):
        return lungs
    return None


def _limb_ischaemia(f: Findings) -> Optional[Symptom]:
    # Acute limb ischaemia: pale, cold, blue or mottled foot, or cannot move the toes (the 6 Ps).
    toes = f.get("cannot_move_toes")
    if toes and not (f.has("cramp", "tense_calf") and f.has("improving")):
        return toes  # (toes that will not move during a cramp that has passed are not ischaemia)
    if not f.has("pale_cold_foot", "no_pulse"):
        return None
    if f.search(RECOVERED_COLOUR) and not f.has("numbness", "cannot_move_toes", "no_pulse", "sudden_onset"):
        return None  # toes that went blue in cold water and warmed up, their colour back
    # a foot only cold (no pallor, numbness, paralysis, missing pulse or extreme pain), and cold from its
    # surroundings (bare feet on tiles, snow, cold water), has one of the 6 Ps and a reason for it
    if f.has("pale_cold_foot") and not f.has("no_pulse", "numbness", "cannot_move_toes", "sudden_onset",
                                             "pain_out_of_proportion", "worsening") and all(
            COLD_WORD.search(p.text) and not COLOUR_WORD.search(p.text) and f.search(COLD_SURROUNDINGS, p)
            for p in f.by_id["pale_cold_foot"]):
        return None
    # NHS (Peripheral arterial disease): skin turning pale or blue, hair loss and shiny skin come on slowly with
    # walking pain; symptoms that develop quickly or get suddenly worse need immediate treatment. So a walking
    # pain story with those slow signs, or going on for weeks, is long-standing disease unless the foot is
    # said to have changed suddenly, and "worse and worse until I stop" is the walking pain building, not the foot.
    established = f.has("claudication") and f.has("shiny_skin", "long_duration")
    for sign in ("pale_cold_foot", "no_pulse"):
        found = f.get(sign)
        if found:
            acute = f.search(ACUTE, found) or f.has("sudden_onset", "numbness", "pain_out_of_proportion") or (
                f.has("worsening") and not f.has("claudication"))
            # a foot said to be long-standing cool or pale, or a pulse already known to be missing, is chronic
            # arterial disease (routine); the same foot changing suddenly is an emergency (acute-on-chronic).
            # Walking pain alone does not make it chronic: missing an acute change is the worse error.
            chronic = f.search(CHRONIC, found) or established
            if acute or not chronic:
                return found
    return None


def _compartment(f: Findings) -> Optional[Symptom]:
    # Acute compartment syndrome: tense calf, pain out of proportion, pain on passive stretch, after injury.
    tense = f.get("tense_calf")
    injured = f.has("trauma", "surgery", "immobilisation")
    # compartment syndrome does not settle by itself in minutes; a cramp does (named, or lasting seconds)
    # ...and one said to have lasted seconds or a minute or two is over too ("lasted maybe a minute")
    settled_cramp = ((f.has("improving") and (f.has("cramp") or f.search(TRANSIENT))
                      or f.has("cramp") and f.search(LASTED))
                     and not f.has("trauma", "surgery", "immobilisation", "numbness", "severe_swelling"))
    # the same symptoms on every run, settling with rest, are chronic exertional compartment syndrome (routine)
    exertional = f.has("recurring") and f.has("improving", "claudication") and not injured
    if exertional:
        return None
    if tense and not settled_cramp and f.has("pain_out_of_proportion", "pain_on_stretch", "numbness", "tingling",
                                             "trauma", "surgery", "severe_swelling"):
        return tense
    extreme = f.get("pain_out_of_proportion")
    if extreme and f.has("trauma", "surgery", "immobilisation") and f.has(
            *SWOLLEN, "tightness", "tense_calf", "numbness", "tingling", "worsening", "pain_on_stretch"):
        return extreme
    if extreme and f.has("pain_on_stretch") and not settled_cramp:
        return extreme
    numb = f.get("numbness")
    if injured and numb and (f.has("severe_swelling", "tightness", "tense_calf") or (
            f.has(*SWOLLEN) and f.has("worsening", "pain_out_of_proportion"))):
        return numb  # after an injury, surgery or cast: numbness with a tight or very swollen calf
    stretch = f.get("pain_on_stretch")
    if stretch and injured and f.has(*SWOLLEN, "tightness", "tense_calf", "numbness", "tingling", "worsening",
                                     "pain_out_of_proportion"):
        return stretch
    if f.has("severe_swelling") and f.has("numbness"):
        return f.get("severe_swelling")
    return None


def _cauda_equina(f: Findings) -> Optional[Symptom]:
    # Cauda equina syndrome: saddle numbness, new bladder or bowel trouble, with back or leg pain.
    saddle = f.get("saddle_numbness")
    if saddle:
        return saddle
    retention = f.get("low_urine")
    if retention and f.has("back_pain", "radiating_pain", "saddle_numbness"):
        return retention  # cannot pass urine with sciatica is retention, not low output
    bladder = f.get("bladder_bowel")
    if bladder and not f.search(CHRONIC, bladder) and f.has(
            "back_pain", "radiating_pain", "numbness", "tingling", "weakness", "burning_pain", "pain", "ache"):
        return bladder
    weak = f.get("weakness")
    if weak and f.has("bilateral") and f.has("back_pain"):
        return weak
    return None


def _progressive_weakness(f: Findings) -> Optional[Symptom]:
    # Weakness in both legs that is spreading or getting worse (for example Guillain-Barre syndrome). Sore, weak
    # legs after a hard session that is over are normally worst 24-72 hours after it (American College of Sports
    # Medicine: Delayed onset muscle soreness), so then a plain "worse today" is not enough: the weakness itself must be spreading or growing
    # ("weaker every day", "creeping up my legs"), have come on suddenly, or come with numbness, tingling or
    # bladder changes. Weakness growing during the session ("worse than at the start of training") still counts.
    after_session = f.has(*SPORT) and (f.has("delayed_onset") or f.search(AFTER_SESSION))
    nerve_signs = f.has("numbness", "tingling", "bladder_bowel")
    for weak in f.by_id.get("weakness", ()):
        both = f.has("bilateral") or f.search(BOTH_LEGS, weak)
        worse = f.has("sudden_onset") or (f.has("worsening") and (not after_session or nerve_signs))
        if both and (worse or f.search(PROGRESSIVE, weak)):
            return weak
    return None


def _dvt_signs(f: Findings) -> Optional[Symptom]:
    # NHS DVT / NICE NG158: swelling in one leg with warmth, redness or a clot risk; one calf bigger.
    bigger = f.get("calf_bigger")
    if bigger:
        return bigger
    swollen = f.get("severe_swelling", "swelling")
    one_sided = f.has("unilateral") or not f.has("bilateral")
    # the swelling must be in the leg, not a gouty toe or a knee: a leg word in the same sentence
    if swollen and one_sided and f.in_leg(swollen) and f.has("warmth", "redness", "unilateral",
                                                                               *CLOT_RISKS):
        return swollen
    hot = f.get("warmth")
    if hot and f.has("redness") and f.has("pain", "ache", "tenderness", "tightness", "swelling") and one_sided \
            and f.in_leg(hot):
        return hot
    return None


def _fever(f: Findings) -> Optional[Symptom]:
    # NHS cellulitis: a hot, red, swollen or spreading patch with fever or chills needs same-day care.
    fever = f.get("fever")
    return fever if fever and f.has("redness", "warmth", *SWOLLEN, "worsening") else None


def _tendon_rupture(f: Findings) -> Optional[Symptom]:
    # Achilles or calf rupture: a snap or "kicked" feeling, then cannot push off or stand on tiptoe.
    pop = f.get("pop", "tear")  # a felt tear is the same warning as a pop
    # a limp or weakness stands in for the missing push-off only when the writer does not say they can still
    # rise on tiptoe ("I can get up on tiptoe but it grabs": BJGP 2015, a single-leg heel raise is the test)
    limp = f.has("limping", "weakness") and "cannot_tiptoe" not in f.denied
    if pop and (f.has("cannot_tiptoe") or (f.has("achilles") and (limp or f.has("cannot_bear_weight")))
                or (f.has("calf") and f.has("cannot_bear_weight"))):
        return pop
    return None


def _cannot_bear_weight(f: Findings) -> Optional[Symptom]:
    # NHS sprains and strains: get seen if you cannot put weight on the leg or walk.
    return f.get("cannot_bear_weight")


def _rest_pain(f: Findings) -> Optional[Symptom]:
    # Chronic limb-threatening ischaemia: rest pain (worse at night, eased by hanging the leg down),
    # ulcers that do not heal, black toes.
    tissue = f.get("black_toes", "nonhealing_sores")
    if tissue:
        return tissue
    rest = f.get("rest_pain")
    if rest and (NIGHT_WORDS.search(rest.text) or f.has("at_night", "claudication", "smoking", "diabetes",
                                                          "pale_cold_foot", "shiny_skin", "older_age")):
        return rest
    return None


CALL = "call your local emergency number (such as 999, 911 or 112)"

RULES: tuple[Rule, ...] = (
    Rule("dark_urine", EMERGENCY, "dark, brown, cola- or tea-coloured urine, or very little urine, with leg "
         "muscle pain or after exercise (urine only dark yellow counts after exercise, heat, an injury or a long lie)",
         f"Go to an emergency department now, or {CALL}. Dark pee, or very little pee, with sore muscles can mean "
         "the muscles are breaking down (rhabdomyolysis). This can harm the kidneys. Sip water on the way. Do not "
         "exercise.",
         "CDC/NIOSH: Rhabdomyolysis, symptoms (cdc.gov/niosh/topics/rhabdo/symptoms.html); NHS: Dehydration "
         "(nhs.uk/conditions/dehydration); Medscape: Rhabdomyolysis", _dark_urine),
    Rule("pe_signs", EMERGENCY, "coughing blood or chest pain with a leg complaint; breathlessness, fainting or a racing heart "
         "with clot signs (swelling, warmth, redness, one side) or a clot risk (travel, surgery, cast, "
         "pregnancy or the pill, cancer, a past clot or blood thinners)",
         f"{CALL.capitalize()} now. Leg clot signs with breathlessness, chest pain, coughing blood, fainting or a racing heart "
         "can mean a clot has reached the lungs (pulmonary embolism). Sit upright and do not drive yourself.",
         "NHS: Deep vein thrombosis (nhs.uk/conditions/deep-vein-thrombosis-dvt); NHS: Pulmonary embolism; "
         "Asthma + Lung UK: Pulmonary embolism", _pe_signs),
    Rule("limb_ischaemia", EMERGENCY, "a pale, white, blue, mottled or cold foot or toes (not when the colour has "
         "come back, nor a foot only cold from bare feet on tiles, snow or cold water), no pulse in the foot, or cannot move the toes; a foot said to have long been cool or pale, "
         "a cool or pale foot in walking pain with shiny, hairless skin or weeks of history, or a pulse known "
         "to be missing, only when something is new (suddenly, today, numbness, extreme pain, or worsening that "
         "is not the walking pain building up)",
         f"{CALL.capitalize()} now. A foot that turns cold, pale or blue, or toes you cannot move, can mean the "
         "blood supply to the leg is blocked. This needs treatment within hours.",
         "NHS Highland vascular guideline; RCEMLearning: Acute limb ischaemia; NICE CG147; NHS: Peripheral arterial "
         "disease", _limb_ischaemia),
    Rule("compartment", EMERGENCY, "a tense, rock-hard calf (not the same pain on every run, settling with rest, "
         "nor a cramp that has let go or lasted seconds or a minute) "
         "with pain out of proportion, pain on moving the toes, numbness or tingling, an injury or surgery; pain out of proportion after an injury, surgery or cast with "
         "swelling, tightness, numbness, tingling, pain on moving the toes or pain that keeps getting worse; pain on "
         "moving the toes after an injury, surgery or cast with swelling, tightness, numbness, tingling, or pain "
         "that is extreme or getting worse; numbness with "
         "a swollen or tight calf and worsening or extreme pain after an injury, surgery or cast; a very swollen "
         "calf with numbness",
         f"Go to an emergency department now, or {CALL}. A tight, rock-hard, very painful calf can mean "
         "pressure is building up inside the muscle (compartment syndrome). Loosen any tight bandage. Keep the "
         "leg level with your heart, not raised high.",
         "Merck Manual: Compartment syndrome; NHS inform: Compartment syndrome", _compartment),
    Rule("cauda_equina", EMERGENCY, "numbness between the legs or around the bottom; little or no urine with back or radiating pain; new bladder or bowel "
         "trouble (not long-standing) with back or leg pain; both legs weak with back pain",
         f"Go to an emergency department now, or {CALL}. Numbness around your bottom, or new trouble with peeing "
         "or pooing, with back or leg pain can mean the nerves at the base of the spine are squeezed (cauda "
         "equina syndrome). You need a scan today.",
         "NHS: Cauda equina syndrome (nhs.uk/conditions/cauda-equina-syndrome); NICE CKS: Sciatica",
         _cauda_equina),
    Rule("progressive_weakness", EMERGENCY, "weakness in both legs (or in \"my legs\") that is spreading or rising, "
         "getting worse day by day or came on suddenly or fast (after a finished session, \"worse today\" alone does "
         "not count: sore weak legs peak a day or two later)",
         f"Go to an emergency department now, or {CALL}. Weakness in both legs that is spreading or getting worse "
         "can come from the nerves or spine and needs urgent tests. Do not wait to see if it passes.",
         "NHS: Guillain-Barre syndrome (nhs.uk/conditions/guillain-barre-syndrome); NICE CKS: Sciatica (red flags); "
         "American College of Sports Medicine: Delayed onset muscle soreness",
         _progressive_weakness),
    Rule("dvt_signs", URGENT, "one calf bigger than the other; leg swelling (not both legs) with warmth, redness, a "
         "one-sided pattern or a clot risk; a warm, red, painful or swollen leg",
         "See a doctor today. Call your doctor's surgery or an urgent care line and say you are worried about a "
         "blood clot in the leg (DVT). If you get short of breath or have chest pain, call an emergency number.",
         "NHS: Deep vein thrombosis; NICE NG158 (venous thromboembolic diseases)", _dvt_signs),
    Rule("fever", URGENT, "fever or chills with a red, hot, swollen or spreading calf",
         "See a doctor today. A hot, red or swollen leg with a fever can be a skin infection (cellulitis) "
         "that needs antibiotics. If you feel very unwell, confused or faint, call an emergency number.",
         "NHS: Cellulitis (nhs.uk/conditions/cellulitis)", _fever),
    Rule("tendon_rupture", URGENT, "a pop, snap, tear or kicked feeling with inability to push off or stand on tiptoe "
         "(or, at the Achilles, with limping or weakness unless they can still rise on tiptoe; in the calf, with "
         "inability to bear weight)",
         "See a doctor or urgent care today, and keep weight off the leg. A snap with trouble pushing off or "
         "standing on tiptoe can mean a torn Achilles tendon or calf muscle; early treatment works best.",
         "BJGP 2015: Achilles tendon rupture (PMC4655731); NHS: Achilles tendinopathy and rupture",
         _tendon_rupture),
    Rule("cannot_bear_weight", URGENT, "cannot put weight on the leg or walk",
         "Get seen today at urgent care or a minor injuries unit. If you cannot put weight on your leg, it "
         "needs checking for a bad tear, break or clot.",
         "NHS: Sprains and strains, when to get help (nhs.uk/conditions/sprains-and-strains)",
         _cannot_bear_weight),
    Rule("rest_pain", URGENT, "black toes or sores that do not heal; leg pain at rest that is eased by hanging the "
         "leg down or sleeping in a chair, or with night pain, walking pain, smoking, diabetes, older age or a cold "
         "or shiny leg",
         "See a doctor today. Leg pain at rest or at night, black toes, or sores that will not heal can mean the "
         "leg is not getting enough blood. This needs a vascular check soon.",
         "NICE CG147 (peripheral arterial disease); NHS: Peripheral arterial disease", _rest_pain),
)

RULES_BY_ID = {r.id: r for r in RULES}


def red_flags(symptoms: Sequence[Symptom], text: str) -> tuple[RedFlag, ...]:
    """Every red flag the findings raise, most urgent first."""
    return _red_flags(Findings(symptoms, text))


def _red_flags(f: Findings) -> tuple[RedFlag, ...]:
    out = []
    for rule in RULES:
        ev = rule.check(f)
        if ev is not None:
            out.append(RedFlag(rule.id, rule.level, ev.text, ev.start, ev.end, rule.advice, rule.source))
    out.sort(key=lambda r: -LEVEL[r.level])
    return tuple(out)


# Usual level for each cause when no red flag fires (../shared/docs/clinical.md, from the sources below).
CAUSE_CARE: dict[str, tuple[str, str, str]] = {
    "doms": (SELF_CARE, "This sounds like delayed muscle soreness after exercise. Keep moving gently, use warmth "
             "or a light massage, and ease back into training; it should fade within 3 to 5 days. See a doctor "
             "if your urine turns dark or the pain gets worse instead of better.",
             "NHS: Sprains and strains (self-care); CDC/NIOSH: Rhabdomyolysis (warning signs)"),
    "strain": (SELF_CARE, "This sounds like a pulled calf muscle. Rest it for 2 to 3 days, use ice wrapped in a "
               "cloth for 20 minutes at a time, then start gentle stretching and walking. Book a GP or "
               "physiotherapist if it is not better in 2 weeks.",
               "NHS: Sprains and strains"),
    "cramp": (SELF_CARE, "This sounds like a muscle cramp. Stretch the calf by pulling your toes towards you, "
              "massage it and walk about; regular calf stretches before bed can help. See a GP if cramps are "
              "frequent, last a long time or come with swelling or weakness.",
              "NHS: Leg cramps (nhs.uk/conditions/leg-cramps)"),
    "dvt": (URGENT, "A blood clot in the leg (DVT) is possible. See a doctor today and tell them about the "
            "swelling and any travel, surgery or other clot risks. Call an emergency number if you get "
            "breathless or have chest pain.",
            "NHS: Deep vein thrombosis; NICE NG158"),
    "pad": (ROUTINE, "Calf pain that comes on when you walk and eases when you stop can be narrowed leg "
            "arteries (peripheral arterial disease). Book a GP appointment for a check of the pulses in your "
            "feet. Stopping smoking and regular walking help.",
            "NHS: Peripheral arterial disease; NICE CG147"),
    "rhabdo": (URGENT, "Very bad muscle pain, swelling or weakness after hard exercise can mean the muscles are "
               "breaking down (rhabdomyolysis). See a doctor today for a blood test, and drink water. If your pee "
               "turns dark or you pee very little, go to an emergency department at once.",
               "CDC/NIOSH: Rhabdomyolysis"),
    "compartment": (ROUTINE, "Tight, burning calf pain that comes on at the same point in exercise and settles "
                    "when you stop can be exertional compartment syndrome. Book a GP or sports doctor "
                    "appointment. If the calf becomes rock hard with severe pain at rest, call an emergency "
                    "number.", "Merck Manual: Compartment syndrome"),
    "achilles": (ROUTINE, "This sounds like an Achilles tendon problem. Ease off running and jumping, use ice "
                 "and supportive shoes, and book a GP or physiotherapist appointment. If you felt a snap and "
                 "cannot stand on tiptoe, get seen today.",
                 "NHS: Achilles tendinopathy and rupture; BJGP 2015 (PMC4655731)"),
    "nerve": (ROUTINE, "Shooting, burning or tingling pain that runs down the leg is often from a nerve, such as "
              "sciatica. Keep gently active and book a GP appointment if it lasts or keeps coming back. Get "
              "emergency help if you have numbness around your bottom or trouble controlling your bladder.",
              "NHS: Sciatica; NICE CKS: Sciatica (lumbar radiculopathy)"),
}
UNSURE_CARE = (ROUTINE, "calfnlp cannot tell the cause from this description. If the pain is not settling in a "
               "few days, or you are worried, book a GP or physiotherapist appointment.",
               "NHS: Sprains and strains, when to get help")
UNSURE_MILD_CARE = (SELF_CARE, "calfnlp cannot tell the cause from this description, and it mentions no worrying "
                    "sign. Rest it, keep gently moving, and book a GP or physiotherapist appointment if it is not "
                    "settling in a few days or you are worried.", "NHS: Sprains and strains, when to get help")
NOTHING_CARE = (SELF_CARE, "calfnlp did not find a calf complaint in this text. If you have leg pain, describe "
                "where it is, when it started and what it feels like.", "")


def base_care(top_cause: Optional[str], symptoms: Sequence[Symptom], text: str) -> tuple[str, str]:
    """Urgency and advice from the likely cause alone (before red flags)."""
    return _base_care(top_cause, Findings(symptoms, text))


def _base_care(top_cause: Optional[str], f: Findings) -> tuple[str, str]:
    if top_cause is None:
        if not f.by_id:
            level, advice, _ = NOTHING_CARE
        elif any(finding_groups().get(i) == "sign" for i in f.by_id):
            level, advice, _ = UNSURE_CARE
        else:
            level, advice, _ = UNSURE_MILD_CARE
        return level, advice
    level, advice, _ = CAUSE_CARE[top_cause]
    if top_cause == "strain" and f.has("worsening", "long_duration"):
        level = ROUTINE  # NHS: see a GP if a strain is not improving, or not better after two weeks
    if top_cause == "cramp" and f.has("recurring", "at_night") and f.has("recurring"):
        level = ROUTINE  # NHS leg cramps: see a GP if they are frequent
    return level, advice


def triage(top_cause: Optional[str], symptoms: Sequence[Symptom], text: str) -> tuple[str, tuple[RedFlag, ...], str]:
    """Final urgency, red flags and advice: a red flag always wins over the cause's usual level."""
    f = Findings(symptoms, text)
    level, advice = _base_care(top_cause, f)
    flags = _red_flags(f)
    if flags:
        top = flags[0]
        if LEVEL[top.level] >= LEVEL[level]:
            level = top.level
        advice = top.advice
    return level, flags, advice
