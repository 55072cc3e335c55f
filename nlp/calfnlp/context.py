"""A ConText-style context engine: which findings are negated, hypothetical, past, about someone else,
or hedged.

Triggers come from `rules/context.jsonl` (see `catalogue.parse_context`). We wrote our own engine instead
of using medspaCy (its releases pin spaCy < 3.8 on Python 3.11) or negspacy (negation only, needs a
sentencizer, slower: see docs/context.md).

Scope, the part NegEx-style windows get wrong for lay text:
- a forward trigger reaches the first finding within `max_gap` tokens, never across a comma, a sentence
  end or a terminator ("but", "because", "now", ...);
- from there it carries on only through a list ("no fever, chills or swelling"): the tokens between two
  findings must all be list glue (commas, "or", "and", "nor", "any", ...) or a place ("in my calf").
  So "no swelling and my pee is dark" negates the swelling and leaves the dark urine alone;
- backward triggers ("swelling: none", "had a DVT years ago") work the same way to the left;
- location findings are never negated: "no pain in my calf" still locates the complaint in the calf; they
  do share history, other-person and hypothetical context ("my husband's calf").
- a question-type hypothetical ("signs of dark urine?") does not reach a finding when the words in
  between are first-person ("what does it mean when my pee is brown" is about the writer's own urine).
- history and other people cover their clause, questions about conditions in general or about what may
  happen are hypothetical, another person's past illness is history: docs/context.md lists every scope rule;
- other_person is linguistic: "my husband's calf" is about someone else. `is_proxy` tells whether the
  writer ever mentions their own body; when they do not, calfnlp's Assessment treats the person they
  describe as the patient (proxy writing: a parent or carer about the person they look after).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import repeat

FLAGS = ("negated", "hypothetical", "historical", "other_person", "uncertain")

HARD_PUNCT = frozenset({".", "!", "?", ";", "\n", "\n\n", "...", "…", ":)", ":(", "(", ")"})
GLUE = frozenset({",", "or", "and", "nor", "/", "&", "+", "no", "not", "any", "either", "neither", "-", "a",
                  "an", "signs", "sign", "n't", "never", "nt", "obvious", "real", "significant", "much",
                  "noticeable", "visible", "major", "other", "recent", "previous", "new", "big", "bad", "serious"})
PLACE_WORDS = frozenset({"in", "on", "at", "of", "around", "to", "the", "my", "both", "behind", "either",
                         "left", "right", "l", "r", "lower", "back", "front", "whole", "entire", "that", "this"})
# words between a negation and the place it denies: "it's not my knee", "not down by the heel", "not near the ankle"
PLACE_DENIAL_WORDS = PLACE_WORDS | {"down", "by", "near", "up", "round", "towards", "anywhere"}
BOUND = {**dict.fromkeys(HARD_PUNCT, 2), ",": 1}
QA_MARKS = frozenset({"?", ":"})
# "if my calf swelled up or I got breathless": a conditional list may restate its subject and verb
LIST_VERBS = frozenset({"i", "am", "got", "get", "had", "felt", "feel", "became", "become", "was", "went", "go", "it", "my",
                        "started", "start", "began", "noticed", "turned", "turns", "goes", "stopped", "stop"})
CLAUSE_STOP = frozenset({"but", "however", "although", "though", "tho", "yet", "whereas", "now", "today", "currently",
                         "anyway", "still", "except", "while", "whilst", "this", "tonight"})
CLAUSE_WIDE = frozenset({"historical", "other_person"})
PARENS = frozenset({"(", ")"})
CESSATION = frozenset({"quit", "stopped", "gave", "given", "came", "packed", "quitting"})
OTHER_PREPS = frozenset({"at", "in", "from"})
OBJECT_GAP = 2
SENTENCE_LEAD = frozenset({"back", "way", "and", "so", "but", "also", "even", "well", "ok", "okay"})
# "I haven't been on a plane or had any surgery": after "or"/"nor" a negated list may restate its verb
LIST_OR_VERBS = frozenset({"had", "been", "taken", "got", "noticed", "seen", "felt"})
PLACE_END = frozenset({",", "but", "it", "it's", "its", "more", "rather", "though", "tho", "-"})
PAST_HAVE = frozenset({"had", "got", "needed", "suffered", "ended", "diagnosed", "developed", "broke", "tore", "fractured",
                       "smoked", "died"})
OUTCOME = frozenset({"turned"})
QUESTION_AUX = frozenset({"can", "could", "do", "does", "is", "are", "will", "would", "might", "should", "may"})
POSSIBILITY_AUX = frozenset({"will", "would", "could", "might"})
DO_AUX = frozenset({"do", "does", "can"})
# "does anyone else get...?" asks about something the writer has
QUESTION_SELF = frozenset({"i", "it", "that", "this", "these", "those", "there", "we", "i'm", "im", "it's", "you",
                           "anyone", "anybody", "someone", "somebody"})
QUESTION_FILLERS = frozenset({"so", "and", "but", "also", "ok", "okay", "hi", "hey", "then", "just", "oh", "well", "or"})
ONSET_VERBS = frozenset({"get", "develop", "catch"})
GENERIC_VERBS = frozenset({"get", "have", "develop", "catch", "suffer", "feel", "be", "still"})
# a finding right after these words is one the writer already has (or a definite one): not a what-if
OWNERS = frozenset({"my", "our", "the", "this", "these", "those", "that", "mine", "his", "her", "their", "it", "them"})
DEFINITE = frozenset({"the", "this", "these", "those"})
PAST_PREFIX = frozenset({"ex", "ex-", "former", "formerly", "previous", "past"})
# a past-event risk factor whose own words open with one of these is past: "had a clot", "my last DVT", "hx of DVT"
RISK_PAST_OPENERS = frozenset({"had", "last", "history", "hx", "h/o", "pmh", "pmhx"})
PAST_EVENTS = frozenset({"previous_clot"})  # risk factors that are events (a clot), not lasting conditions (AF)
PAST_LINKS = frozenset({"after", "when", "whenever", "because", "cause", "cos", "coz", "bc", "as", "until", "till", "til"})
# words that set one statement against another: the person spoken of may change after them
CONTRAST = frozenset({"but", "however", "although", "though", "tho", "yet", "whereas", "except", "while", "whilst",
                      "instead", "apart", "aside", "besides"})
# "my friend says / told me / reckons ...": what follows is that person's claim, not their body
REPORT_VERBS = frozenset({"says", "said", "say", "told", "tells", "reckons", "reckoned", "thinks", "swears", "swore",
                          "claims", "claimed", "reckon"})
CLAUSE_MAX = 20
CONJUNCTIONS = frozenset({"and", "or", "&", "+", "but", "plus", "also", "so"})
NEW_SUBJECT = frozenset({"my", "i", "i'm", "im", "it", "it's", "its", "the", "his", "her", "he", "she", "now",
                         "then", "we", "they", "there", "this", "today", "me", "i've", "ive", "mine", "that"})
FIRST_PERSON = frozenset({"i", "my", "me", "i'm", "im", "i've", "ive", "mine", "myself", "we", "our", "us"})
BODY = frozenset({"calf", "calves", "calve", "calfs", "leg", "legs", "foot", "feet", "toe", "toes", "pee", "urine",
                  "wee", "knee", "knees", "heel", "heels", "ankle", "ankles", "achilles", "shin", "shins", "thigh",
                  "chest", "skin", "muscle", "muscles", "hamstring", "body", "breath", "breathing", "piss", "bum", "bottom"})
OTHER_NOUNS = frozenset({"son", "daughter", "dad", "father", "mum", "mom", "mother", "brother", "sister", "friend",
                         "mate", "wife", "husband", "partner", "boyfriend", "girlfriend", "kid", "child", "gran",
                         "nan", "grandma", "grandad", "grandpa", "uncle", "aunt", "cousin", "neighbour", "neighbor",
                         "colleague", "coworker", "boss", "buddy", "teammate", "flatmate", "roommate", "player",
                         "patient", "client", "baby", "toddler", "teen", "teenager", "boy", "girl", "parent",
                         "parents", "family", "children", "kids", "pal", "housemate", "granddaughter", "grandson",
                         "nephew", "niece", "stepson", "stepdaughter", "grandfather", "grandmother", "granddad",
                         "granny", "grandparent", "grandparents", "stepdad", "stepmum", "stepmom", "stepfather",
                         "stepmother", "father-in-law", "mother-in-law", "aunty", "auntie", "mam", "mummy", "daddy",
                         "resident", "pupil", "student", "athlete", "client", "husband's", "wife's", "hubby", "wifey",
                         "missus", "nana", "bf", "gf", "fiance", "fiancee", "fiancé", "fiancée",
                         "bro", "sis", "bestie", "bff", "co-worker"})
# possessives typed without the apostrophe ("my dads calf", "my grandads feet")
OTHER_NOUNS = OTHER_NOUNS | {w + "s" for w in OTHER_NOUNS if w.isalpha() and not w.endswith("s")}


@dataclass(slots=True)
class Trigger:
    start: int
    end: int
    category: str
    direction: str
    max_gap: int
    personal_blocks: bool


@dataclass(slots=True)
class Mention:
    """A finding as the engine sees it: token offsets, whether it is a place, whether words may sit inside."""

    start: int
    end: int
    is_location: bool
    open_inside: bool = False
    is_risk: bool = False  # a long-standing risk factor (smoking, a past clot, cancer...)


def assign(norms: list[str], mentions: list[Mention], triggers: list[Trigger],
           present: frozenset[str] | set[str] | None = None) -> list[dict[str, bool]]:
    """Return one {flag: bool} dict per mention (same order as `mentions`, which is sorted by start).
    `present` is WATCH & set(norms) when the caller has it (one pass over the words for every rule below
    that only runs when its words are there)."""
    if present is None:
        present = WATCH.intersection(norms)
    n = len(norms)
    blank = dict.fromkeys(FLAGS, False)
    flags = [blank.copy() for _ in mentions]
    if not mentions:
        return flags
    # 0 = ordinary token, 1 = comma, 2 = hard boundary (sentence end or terminator trigger)
    bound = list(map(BOUND.get, norms, repeat(0, n)))  # BOUND.get(t, 0) for each token, in C
    for w in CONJUNCTIONS.intersection(norms):
        for i in positions(norms, w):
            if i + 1 < n and norms[i + 1] in NEW_SUBJECT:
                bound[i] = 2  # "no swelling and my pee is dark": a new clause starts
    loc_tok = [False] * n
    for m in mentions:
        if m.is_location:
            for i in range(m.start, m.end):
                loc_tok[i] = True
    starts = [m.start for m in mentions]
    open_inside = [k for k, m in enumerate(mentions) if m.open_inside]
    active = []
    for t in triggers:
        if t.category == "terminate":
            for i in range(t.start, t.end):
                bound[i] = 2
        elif t.category == "negated" and norms[t.start] == "without" and _after_inability(norms, bound, t.start):
            # a double negative: "can't walk without pain", "couldn't sleep without my calf cramping" say the pain
            # is there, so neither "without" nor the inability's own "not" reaches past it
            bound[t.start] = 2
        else:
            active.append(t)
    for t in active:
        if t.category == "pseudo":
            continue
        if t.direction in ("forward", "both") or (t.category in ("historical", "hypothetical")
                                                   and _opens_sentence(norms, t.start)):
            # a time phrase that opens its sentence dates what follows ("In my twenties I tore my calf",
            # "Next month I'm flying to Perth")
            _reach(t, mentions, flags, norms, bound, loc_tok, starts, open_inside, forward=True)
        if t.direction in ("backward", "both") and not (t.category == "negated" and _leads(t, norms, bound, starts)):
            _reach(t, mentions, flags, norms, bound, loc_tok, starts, open_inside, forward=False)
    if present:
        if "?" in present:
            _questions(norms, mentions, flags, starts)
        if not PAST_HAVE.isdisjoint(present) or not OUTCOME.isdisjoint(present):
            _other_past(norms, bound, mentions, flags, active)
        if not CESSATION.isdisjoint(present):
            _given_up(norms, mentions, flags, present)
    return flags


INABILITY = frozenset({"not", "never", "barely", "hardly", "cannot", "cant", "couldnt", "unable", "impossible"})


def _after_inability(norms: list[str], bound: list[int], i: int) -> bool:
    """Whether "without" at i follows an inability in its clause ("can't walk to the shop without"): a double
    negative, which says the finding after "without" happens."""
    for j in range(i - 1, max(i - 12, -1), -1):  # "can't do a full calf raise on that leg without"
        if bound[j]:
            return False
        if norms[j] in INABILITY:
            return True
    return False


def _given_up(norms, mentions, flags, present) -> None:
    """A habit or medicine given up later in the sentence is past: "smoked for 30 years but quit in 2012",
    "was on statins, stopped them last year". Only when the nearest finding before the verb, in the same
    sentence (a parenthesis does not end it: "smoked for 40 years (stopped in 2012)"), is a long-standing
    risk factor."""
    n = len(norms)
    for i in sorted(i for w in CESSATION.intersection(present) for i in positions(norms, w)):
        if norms[i] in ("gave", "given", "came", "packed") and (i + 1 >= n or norms[i + 1] not in ("up", "off", "in")):
            continue
        for k in range(len(mentions) - 1, -1, -1):
            m = mentions[k]
            if m.end > i:
                continue
            if i - m.end > 8 or any(norms[j] in HARD_PUNCT and norms[j] not in PARENS for j in range(m.end, i)):
                break
            if m.is_risk and not flags[k]["negated"]:
                flags[k]["historical"] = True
            break  # only the nearest finding: "I smoke but my calf pain stopped" is about the pain


def _other_past(norms, bound, mentions, flags, triggers) -> None:
    """Someone else's past illness is their history: "my uncle had a clot after his knee op", "my aunt got
    shingles and needed a week in hospital" (from "had"/"got"/"needed" to the end of that clause), and a story
    about someone else told with its outcome is a finished episode ("my mate collapsed on the bus, turned out
    it was his heart": every finding about them in that sentence). Only findings already about that person
    are touched. When the writer never mentions their own body, the person they describe is the patient
    (see is_proxy) and their recent operation, fall or flight is the complaint itself: then "had"/"got" dates
    only long-standing risk factors (a past clot, cancer, smoking), which the safety layer counts when past
    too; a story whose outcome is known ("turned out") or that is dated in its clause ("years ago") is over
    either way."""
    n = len(norms)
    spans = []
    for t in triggers:
        if t.category != "other_person" or PAST_HAVE.isdisjoint(norms[t.end:t.end + 6]):
            continue
        hi = _other_clause_end(norms, bound, t.end)
        for v in range(t.end, min(hi, t.end + 6)):
            if norms[v] in PAST_HAVE:
                end = v + 1
                while end < hi and (not bound[end] or (norms[end] in PAST_LINKS and not bound[end - 1]
                                                       and norms[end - 1] not in CONJUNCTIONS)):
                    end += 1
                # a story dated inside its own clause ("my dad got rhabdo years ago and had dark urine") is over
                dated = any(h.category == "historical" and v <= h.start < end for h in triggers)
                # ...and so is what it goes on to say about them after a comma ("my mate had rhabdo last year after
                # crossfit, his pee went brown")
                while dated and end + 1 < hi and norms[end] == "," and norms[end + 1] in THIRD_PERSON:
                    end += 1
                    while end < hi and not bound[end]:
                        end += 1
                spans.append((v, end, dated))
                break
    for w in OUTCOME:
        for i in positions(norms, w):
            if i + 1 < n and norms[i + 1] == "out":  # "turned out"
                lo = i
                while lo > 0 and not (norms[lo - 1] in HARD_PUNCT and norms[lo - 1] not in PARENS):
                    lo -= 1
                hi = i
                while hi < n and not (norms[hi] in HARD_PUNCT and norms[hi] not in PARENS):
                    hi += 1
                spans.append((lo, hi, True))
    if not spans:
        return
    proxy = None
    for k, m in enumerate(mentions):
        f = flags[k]
        if not f["other_person"] or f["negated"] or f["hypothetical"] or f["historical"]:
            continue
        inside = [done for lo, hi, done in spans if lo <= m.start and m.end <= hi]
        if inside:
            if not m.is_risk and not any(inside):
                if proxy is None:
                    proxy = is_proxy(norms)
                if proxy:
                    continue
            f["historical"] = True


def _leads(t: Trigger, norms: list[str], bound: list[int], starts: list[int]) -> bool:
    """Whether a negation leads straight into a finding ("calf swollen - no redness"): then it is that
    finding's determiner, not an answer about what came before ("Any swelling? No.")."""
    k = bisect_left(starts, t.end)
    if k == len(starts) or starts[k] - t.end > 2:
        return False
    return all(norms[i] in GLUE and not bound[i] for i in range(t.end, starts[k]))


def _opens_sentence(norms: list[str], i: int) -> bool:
    """Nothing but a sentence end (and maybe "back", "way", "and", "so") before position i."""
    j = i - 1
    while j >= 0 and norms[j] in SENTENCE_LEAD:
        j -= 1
    return j < 0 or (norms[j] in HARD_PUNCT and norms[j] not in PARENS)


def _questions(norms: list[str], mentions: list[Mention], flags: list[dict[str, bool]], starts: list[int]) -> None:
    """A yes/no question about a condition in general, or about what might happen, makes the findings it
    names hypothetical: "Can you get cramps from dehydration?", "Is a hot calf always a clot?", "Do painkillers
    cause dark pee?", "Will my ankles puff up on the plane?". The question is the clause before "?" (from the
    sentence start or the last comma) and must open with an auxiliary verb:
    - a general question: "can/do/is/should..." followed by "you get/have...", "a"/"an" or a finding
      ("do statins..."); not "do you think", "is it OK that my...", which ask about the writer's own state;
    - a question about what may happen: "will/would/could/might" followed by anything but "I", "it",
      "that" or "this" ("could this explain my sore ankle?" asks what explains what the writer has), or by
      "I get/develop/catch" ("could I get a clot on the plane?").
    A finding the writer already owns keeps its state ("Will my swollen ankle go down?", "Could the
    swelling be from the flight?"): right after "my", "the", "this"... or right after such a finding."""
    n = len(norms)
    q = -1
    for _ in range(norms.count("?")):
        q = norms.index("?", q + 1)
        i = q - 1
        while i >= 0 and norms[i] not in HARD_PUNCT and norms[i] != ",":
            i -= 1
        a = _question_asks(norms, mentions, starts, i, q)
        if a < 0 and i > 0 and norms[i] == "," and norms[i + 1] == "or":
            # "Would swelling after a drive mean a clot, or is that normal?": the question is the clause before
            i -= 1
            while i >= 0 and norms[i] not in HARD_PUNCT and norms[i] != ",":
                i -= 1
            a = _question_asks(norms, mentions, starts, i, q)
        if a < 0:
            continue
        k0 = bisect_left(starts, a + 1)
        owned_end = -1
        for k in range(k0, len(mentions)):
            m = mentions[k]
            if m.end > q:
                break
            if (m.start > 0 and norms[m.start - 1] in OWNERS) or m.start == owned_end:  # ("your" is generic)
                owned_end = m.end  # "my swollen calf": the calf right after an owned finding is owned too
                continue
            flags[k]["hypothetical"] = True


def _question_asks(norms, mentions, starts, i: int, q: int) -> int:
    """Where the auxiliary of the question that runs from after position i to the "?" at q is, when that
    question asks about a condition in general or about what may happen and names a finding; else -1."""
    a = i + 1
    while a < q and norms[a] in QUESTION_FILLERS:
        a += 1
    if a + 1 >= q or norms[a] not in QUESTION_AUX:
        return -1
    aux, nxt = norms[a], norms[a + 1]
    k0 = bisect_left(starts, a + 1)
    if k0 == len(mentions) or mentions[k0].start >= q:
        return -1  # no finding in the question
    if aux in POSSIBILITY_AUX:  # "will my ankles swell?", "could I get a clot on the plane?"
        asks = nxt not in QUESTION_SELF or (nxt == "i" and a + 2 < q and norms[a + 2] in ONSET_VERBS)
    elif nxt in ("you", "u"):
        asks = a + 2 < q and norms[a + 2] in GENERIC_VERBS
    elif aux in DO_AUX:  # "does rhabdo make...", "can stretching cause...": the subject is not the writer
        asks = nxt not in QUESTION_SELF and nxt not in FIRST_PERSON
    else:  # "is a hot calf...", "are calf cramps...": a finding in general
        asks = nxt in ("a", "an") or mentions[k0].start == a + 1
    return a if asks else -1


def positions(norms: list[str], w: str) -> list[int]:
    """Where `w` occurs in `norms` (list.count and list.index run in C: cheaper than a Python loop)."""
    out, i = [], -1
    for _ in range(norms.count(w)):
        i = norms.index(w, i + 1)
        out.append(i)
    return out


def _reach(t, mentions, flags, norms, bound, loc_tok, starts, open_inside, forward: bool) -> None:
    # history and other people cover their clause; a history trigger with a short reach (max_gap <= 2) dates
    # only what it governs: "came off the pill", "quit smoking" (not "stopped running because my calf swelled")
    if t.category in CLAUSE_WIDE and not (t.category == "historical" and t.max_gap <= OBJECT_GAP):
        return _reach_clause(t, mentions, flags, norms, bound, forward)
    edge = t.end if forward else t.start
    # mentions are sorted by start: skip straight to the first one past the trigger (forwards, after any
    # gapped mention the trigger sits inside) or the last one that starts before it (backwards)
    if forward:
        k0 = bisect_left(starts, edge)
        order = [k for k in open_inside if k < k0] + list(range(k0, len(mentions)))
    else:
        order = range(bisect_right(starts, edge) - 1, -1, -1)
    first = True
    for k in order:
        m = mentions[k]
        # a trigger inside a gapped finding, in the same clause as all of it ("pee isn't dark"; not "...pissed
        # all day. What's come out is dark")
        inside = (m.open_inside and m.start <= t.start and t.end <= m.end and forward
                  and t.category in ("negated", "hypothetical")
                  and not any(bound[i] for i in range(m.start, t.start)) and not any(bound[i] for i in range(t.end, m.end)))
        if inside:
            gap = range(0)
        elif forward:
            if m.start < edge:
                continue
            gap = range(edge, m.start)
        else:
            if m.end > edge:
                continue
            gap = range(m.end, edge)
        if first:
            hypo = t.category == "hypothetical"
            # a list header ("negatives: urine colour, swelling, fever") reaches across the list's commas
            header = t.end < len(norms) and norms[t.end] == ":" or norms[t.end - 1] == ":"
            if header:
                gap = range(0) if len(gap) <= t.max_gap + 4 and not any(bound[i] == 2 for i in gap) else gap
            if len(gap) > t.max_gap or any(
                    bound[i] and not (not forward and norms[i] in QA_MARKS)  # "Any night pain? No."
                    and not (hypo and norms[i] in LIST_VERBS)  # "if I got chest pain"
                    for i in gap):
                return
            if t.personal_blocks and any(norms[i] in FIRST_PERSON for i in gap):
                return
            # "what if the swelling is a clot?": the swelling is there, what is hypothetical is the clot; the
            # condition goes on past it ("if the pain spreads": the spreading is hypothetical)
            if hypo and forward and len(gap) and norms[gap[-1]] in DEFINITE and not m.is_location:
                edge = m.end
                continue
        elif not _is_glue(gap, norms, bound, loc_tok, LIST_VERBS if t.category == "hypothetical" else ()):
            return
        if m.is_location:
            # places are transparent: they never break a list and are never negated ("no pain in my calf"
            # still places the complaint in the calf), but they share a hypothetical ("is a swollen calf...")
            if t.category != "negated":
                flags[k][t.category] = True
            elif first and (m.end == len(norms) or norms[m.end] in HARD_PUNCT or norms[m.end] in PLACE_END) \
                    and all(norms[i] in PLACE_DENIAL_WORDS for i in gap):
                # ...unless the negation denies the place itself: "it's not my knee, it's lower down"
                flags[k]["negated"] = True
                return
            continue
        flags[k][t.category] = True
        first = False
        if inside:
            return
        edge = m.end if forward else m.start


def _reach_clause(t, mentions, flags, norms, bound, forward: bool) -> None:
    """History and other people cover their whole clause: "my friend got rhabdo after spin and his pee
    went dark"; the clause ends at a hard boundary and, for other people, where the writer speaks of
    themselves again ("my wife says my calf is swollen")."""
    n = len(norms)

    def ends(i: int) -> bool:
        # backwards ("numb ... after an operation years ago") a clause ends at a sentence end, "but"/"now"-like
        # words or a new subject, not at "after" or "when"
        return bound[i] == 2 and (norms[i] in HARD_PUNCT or norms[i] in CLAUSE_STOP or norms[i] in CONJUNCTIONS)

    if forward and t.category == "other_person":
        # "me and my friend both got cramps": the writer is one of the people spoken of
        if t.start >= 2 and norms[t.start - 1] in ("and", "&") and norms[t.start - 2] in ("me", "i", "myself"):
            return
        lo = t.end
        hi = _other_clause_end(norms, bound, lo)
    elif forward:  # forwards, a comma or a terminator ends a history clause: current events follow...
        lo = t.end
        hi = lo
        while hi < n and hi - lo < CLAUSE_MAX and (not bound[hi] or norms[hi] in PARENS or (
                # ...except a word that tells when or why inside the dated clause itself ("had a clot in 2015
                # after a knee op", "used to cramp when I was on the pill", "DVT in 2018 (post-op)"): the same past
                norms[hi] in PAST_LINKS and hi > 0 and not bound[hi - 1] and norms[hi - 1] not in CONJUNCTIONS)):
            hi += 1
    else:
        hi = t.start
        lo = hi
        # backwards, a dated clause that opens on its own past verb after a comma stops there: in "calf swollen
        # and red, had surgery in 2019" only the surgery is dated
        while lo > 0 and hi - lo < CLAUSE_MAX and not ends(lo - 1) and not (
                t.category == "historical" and norms[lo - 1] == "," and norms[lo] in PAST_HAVE):
            lo -= 1
        if t.category == "historical" and t.end + 1 < n and norms[t.end] in PAST_LINKS:
            # the occasion of a dated event, told right after its date, is the same past: "had a clot 2 yrs ago
            # after breaking my ankle" (to the end of that clause)
            hi = t.end + 1
            while hi < n and hi - t.end <= CLAUSE_MAX and not bound[hi]:
                hi += 1
    for k, m in enumerate(mentions):
        if lo <= m.start and m.end <= hi:
            flags[k][t.category] = True


def _other_clause_end(norms, bound, lo: int) -> int:
    """Where a clause about someone else ends, going forwards from `lo`. The person stays the same through
    words that only move the story on in time or give a reason, when they sit inside the clause ("my mum's
    ankle went blue after a knock", "her ankle is now puffy", "my uncle (60) did a marathon"); it ends at a
    sentence end, a contrast ("but"), a conjunction that opens a new clause ("and my..."), a time or reason
    word that opens one (", now calf is sore"), the writer speaking of themselves ("my brother had it and I
    ..."), or a report of what that person said ("my friend says cramps mean low salt": the claim is not
    about the friend)."""
    n = len(norms)
    hi = lo
    while hi < n and hi - lo < CLAUSE_MAX:
        w = norms[hi]
        if w in FIRST_PERSON:
            # "a woman at my gym had...": "my" in a place or group that the person belongs to is not the
            # writer speaking of themselves ("with my calf" is)
            if not (w in ("my", "our") and hi > 0 and norms[hi - 1] in OTHER_PREPS and hi + 1 < n
                    and norms[hi + 1] not in BODY and norms[hi + 1] not in OTHER_NOUNS):
                break
        if w in REPORT_VERBS and hi + 1 < n and norms[hi + 1] not in THIRD_PERSON:
            break
        if bound[hi] == 2 and w not in PARENS:
            prev = norms[hi - 1] if hi > lo else ","
            if (w in HARD_PUNCT or w in CONJUNCTIONS or w in CONTRAST or prev == "," or prev in CONJUNCTIONS
                    or (prev in HARD_PUNCT and prev not in PARENS)):
                break
        hi += 1
    return hi


def _is_glue(gap: range, norms, bound, loc_tok, extra=()) -> bool:
    if len(gap) > 6:
        return False
    idx = list(gap)
    for j, i in enumerate(idx):
        w = norms[i]
        if extra and (w in extra or w in CONJUNCTIONS) and w not in HARD_PUNCT:
            continue  # "if my wee turned brown or I stopped peeing": the condition goes on
        if bound[i] == 2:
            return False
        if loc_tok[i] or w in GLUE:
            continue
        if w in LIST_OR_VERBS and j and norms[idx[j - 1]] in ("or", "nor"):
            continue
        if w in PLACE_WORDS and (extra or any(loc_tok[x] for x in idx[j + 1:])):
            continue  # "if I got breathless on the plane": where and when belong to the condition
        return False
    return True


def described_people(norms: list[str], taken: set[int], present=None) -> list[Trigger]:
    """Other-person triggers for "my"/"our" + a few describing words + a person ("my twin sister", "my 80 year
    old dad", "our daughter", "both my parents"), for the people the trigger list does not spell out. The
    trigger is "my" itself, so findings among those words ("my diabetic uncle") are in the person's clause.
    Stops at the writer's own body or a break ("my calf and my friend's"). Looks back from each person word
    in the text (`present`: the words of the text it may contain), which is rarer than "my"."""
    out = []
    for w in OTHER_NOUNS.intersection(norms if present is None else present):
        for j in positions(norms, w):
            for i in range(j - 1, max(j - 6, -1), -1):
                x = norms[i]
                if x == "my" or x == "our":
                    if i not in taken:
                        taken.add(i)
                        out.append(Trigger(i, i + 1, "other_person", "forward", 5, False))
                    break
                if x in BODY or x in FIRST_PERSON or x in HARD_PUNCT or x == "," or x in CONJUNCTIONS:
                    break
    return out


def bare_kin(norms: list[str], taken: set[int], covered: set[int] = frozenset(), present=None) -> list[Trigger]:
    """Other-person triggers for a relative named without "my" ("Mum is 82 and her ankles are swollen",
    "Dad (75) has a black toe", "took hubby to A&E"). Not after a determiner ("a mum of two", "his dad"
    is already in his clause) and not a writer naming themselves ("mum of two here, calf swollen")."""
    out = []
    n = len(norms)
    for w in BARE_KIN.intersection(norms if present is None else present):
        for i in positions(norms, w):
            if i in taken or i in covered or (i > 0 and norms[i - 1] in KIN_DETERMINERS) or (i + 1 < n and norms[i + 1] == "of"):
                continue
            out.append(Trigger(i, i + 1, "other_person", "forward", 5, False))
    return out


INABILITY_IDS = frozenset({"cannot_bear_weight", "cannot_tiptoe", "cannot_move_toes"})
PAIN_AFTER_WITHOUT = frozenset({"pain", "hurting", "hurts", "hurt", "discomfort", "twinge", "aching", "ache"})
SEVERE_PAIN = frozenset({"screaming", "agony", "excruciating", "unbearable", "severe", "terrible", "crying"})


def only_with_pain(norms: list[str], end: int) -> bool:
    """Whether an inability that ends at `end` goes on "without pain" / "without it hurting" in its clause:
    "can't do a calf raise without it hurting", "cannot walk without some pain" say the writer can, and that
    it hurts (the pain is read as present, see assign). Not "without screaming": only plain pain words."""
    n = len(norms)
    for j in range(end, min(end + 6, n)):
        w = norms[j]
        if w in HARD_PUNCT or w == ",":
            return False
        if w == "without":  # "without it hurting", "without that same sharp spot pain"
            for x in norms[j + 1:j + 7]:
                if x in HARD_PUNCT or x == "," or x in SEVERE_PAIN:
                    return False
                if x in PAIN_AFTER_WITHOUT:
                    return True
            return False
    return False


WAS = frozenset({"was", "were"})
# words that may stand between "was" and a risk factor it puts in the past ("was a heavy smoker", "was on statins")
WAS_FILLERS = frozenset({"a", "an", "heavy", "big", "lifelong", "chain", "bad", "on"})


def was_before(norms: list[str], i: int) -> bool:
    """Whether the risk factor starting at i follows "was"/"were" with at most two filler words between
    ("my gran was a heavy smoker", "grandad was diabetic", "I was on statins"): a state the past tense puts
    behind the writer. Not "was told", "was diagnosed" (other words between)."""
    j = i - 1
    while j >= max(i - 3, 0) and norms[j] in WAS_FILLERS:
        j -= 1
    return j >= 0 and i - j <= 3 and norms[j] in WAS


def is_year(norms: list[str], i: int) -> bool:
    """A past year at position i, or right after an opening parenthesis there ("DVT 2015", "PE (2019)")."""
    if i < len(norms) and norms[i] == "(":
        i += 1
    if i >= len(norms):
        return False
    w = norms[i]
    return len(w) == 4 and w.isdigit() and "1940" <= w <= "2029"


def past_ages(norms: list[str]) -> list[Trigger]:
    """History triggers for an age in the past: "when I was 30", "when she was 19" (a past age dates its
    clause, as "when I was pregnant" does)."""
    out = []
    n = len(norms)
    for i in positions(norms, "was"):
        if 2 <= i and i + 1 < n and norms[i - 2] == "when" and norms[i + 1].isdigit():
            out.append(Trigger(i - 2, i + 2, "historical", "both", 6, False))
    return out


PROXY_NOUNS = frozenset({"son", "daughter", "dad", "father", "mum", "mom", "mother", "wife", "husband", "partner",
                         "kid", "child", "gran", "nan", "grandma", "grandad", "grandpa", "granny", "grandmother",
                         "grandfather", "player", "patient", "client", "baby", "toddler", "teen", "teenager", "boy",
                         "girl", "kids", "children", "stepson", "stepdaughter", "grandson", "granddaughter", "father-in-law",
                         "mother-in-law", "boyfriend", "girlfriend", "brother", "sister"})


def is_proxy(norms: list[str]) -> bool:
    """True when the writer never mentions their own body: then whoever they describe ("my son, 15, ...
    his calf is swollen", "Wife, 70, fainted", "one of our residents") is the patient, and words about that
    person are not marked other_person. Only a writer who also describes their own leg ("his pee went dark,
    mine is fine") is contrasting themselves with someone else."""
    n = len(norms)
    for i, t in enumerate(norms):
        if t in ("my", "our"):
            for j in range(i + 1, min(i + 4, n)):
                w = norms[j]
                if w in OTHER_NOUNS or w in THIRD_PERSON or w in HARD_PUNCT or w == ",":
                    break
                if w in BODY:
                    return False
        elif t == "mine":
            return False
        elif t in ("i", "i'm", "im", "i've", "ive"):
            for j in range(i + 1, min(i + 9, n)):
                w = norms[j]
                if w in OTHER_NOUNS or w in THIRD_PERSON or w in SENTENCE_END:
                    break  # "I finished fine; calves sore": a semicolon goes on about the writer
                if w in BODY:
                    return False
    return True


# words a clinical or care note opens on when it is about its patient ("Pt is 74", "Resident has...")
PATIENT_OPENERS = frozenset({"pt", "patient", "resident", "client", "mr", "mrs", "ms", "miss", "mr.", "mrs.", "ms."})
SENTENCE_END = frozenset({".", "!", "?", "\n", "\n\n", "...", "…"})
THIRD_PERSON = frozenset({"he", "she", "his", "her", "him", "their", "they", "them", "he's", "she's"})
BARE_KIN = frozenset({"mum", "mom", "dad", "mam", "mummy", "daddy", "grandma", "grandad", "grandpa", "granny", "gran",
                      "nan", "nana", "hubby", "husband", "wife", "wifey", "missus", "grandmother", "grandfather",
                      "uncle", "aunt", "auntie", "aunty"})  # not "brother"/"sister": an address, a ward sister
KIN_DETERMINERS = frozenset({"my", "our", "his", "her", "their", "your", "a", "an", "the", "this", "that", "every",
                             "any", "as", "new", "single", "working", "first-time", "fellow", "another", "other"})
BARE_PROXY = frozenset({"mum", "mom", "dad", "mother", "father", "grandma", "grandad", "grandpa", "gran", "nan",
                        "granny", "mam", "ma", "pa", "mummy", "daddy"})
AGE_WORDS = frozenset({"little", "older", "oldest", "younger", "youngest", "teenage", "elderly", "old", "young", "eldest",
                       "15", "16", "17", "14", "13", "12", "80", "85", "90"})


# every word whose presence switches on a rule above: one intersection with the text's words tells which run
WATCH = frozenset({"?", "when", "was"}) | PAST_HAVE | OUTCOME | CESSATION | OTHER_NOUNS | BARE_KIN


def vocabulary() -> frozenset[str]:
    """Every word the context engine reads (trigger phrases and the word lists above): spelling correction
    leaves them alone, so "gran" stays a grandmother."""
    from .catalogue import context_rules

    words = {w for r in context_rules() for w in r.phrase.split()}
    words.update(OTHER_NOUNS, PROXY_NOUNS, BARE_PROXY, THIRD_PERSON, FIRST_PERSON, CLAUSE_STOP, NEW_SUBJECT, BODY)
    return frozenset(words)


SELF = frozenset({"i", "me", "i'm", "im", "i've", "ive", "i'd", "myself", "mine", "we", "us", "we're", "we've"})


CHILDREN = frozenset({"son", "daughter", "kid", "kids", "child", "children", "boy", "girl", "lad", "lass", "teen",
                      "teenager", "toddler", "baby", "grandson", "granddaughter", "stepson", "stepdaughter", "sons",
                      "daughters", "boys", "girls", "youngest", "eldest", "year-old"})


def carry_person(norms: list[str], mentions: list[Mention], flags: list[dict[str, bool]]) -> None:
    """When the writer describes someone else and never their own body (see is_proxy), every sentence in which
    the writer is not a person ("I", "me", "we"; the "my" of "my mum" does not count) is about that person:
    "My husband, 64, felt a pull in his calf. It's tender", "Since his op his leg has swollen and it is warm".
    A sentence where the writer speaks of themselves keeps its flags ("my sister had a clot, now calf swollen
    and I am breathless")."""
    if not CHILDREN.isdisjoint(norms):
        return  # a parent writing about their child is writing the child's own complaint (see docs/context.md)
    n = len(norms)
    bounds = [0] + [i + 1 for i, w in enumerate(norms) if w in SENTENCE_END and i + 1 < n] + [n]
    k = 0
    for lo, hi in zip(bounds, bounds[1:]):
        writer = not SELF.isdisjoint(norms[lo:hi])
        while k < len(mentions) and mentions[k].start < hi:
            if not writer:
                flags[k]["other_person"] = True
            k += 1
