"""A small token-sequence matcher for the catalogue's `patterns` and `near` rules.

spaCy's Matcher handles wildcards ({"OP": "{0,5}"}) by tracking every partial match, which made it the
slowest part of extraction (about 2,500 docs/s for our rules alone). Our rules have one shape, so we
match them directly: steps that each accept a set of NORM values (or a regex, or a number), separated
by bounded gaps of non-punctuation tokens. Candidate starts come from a dict look-up on the first step.

Supported pattern elements (validated when the catalogue loads):
  {"NORM": {"IN": [...]}} | {"NORM": {"REGEX": "..."}} | {"LIKE_NUM": true}   a step (add "OP": "?" to
  make it optional, which is read as a gap of at most one token);
  {"OP": "{0,N}", "IS_PUNCT": false}                                            a gap of 0..N words;
  {"OP": "{0,N}"}                                                               a gap that may cross punctuation;
  add "NORM": {"NOT_IN": [...]} to a gap to forbid words in it.
A regex or number step may only start a pattern if it matches numbers only (it is tried on tokens that
start with a digit or are number words).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

PUNCT_RE = re.compile(r"^[^\w]+$")


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    words: Optional[frozenset] = None
    regex: Optional[re.Pattern] = None
    number: bool = False

    def accepts(self, norm: str) -> bool:
        if self.words is not None:
            return norm in self.words
        if self.regex is not None:
            return self.regex.search(norm) is not None
        return _like_num(norm)


@dataclass(frozen=True)
class Sequence_:
    label: str
    steps: tuple[Step, ...]
    gaps: tuple[int, ...]  # gaps[k] = most tokens allowed before steps[k + 1]
    near: bool = False
    blocked: frozenset = frozenset()  # words a gap may not contain
    punct_ok: tuple[bool, ...] = ()  # punct_ok[k]: the gap before steps[k + 1] may cross punctuation


def _like_num(w: str) -> bool:
    w = w.replace(",", "").replace(".", "", 1)
    return w.isdigit() or w in NUMBER_WORDS


NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
                         "forty fifty sixty seventy eighty ninety hundred thousand half".split())


def compile_pattern(label: str, pattern: Sequence[dict]) -> Sequence_:
    steps: list[Step] = []
    gaps: list[int] = []
    punct_ok: list[bool] = []
    blocked: set[str] = set()
    pending = 0
    crosses = False
    for el in pattern:
        op = el.get("OP")
        keys = set(el) - {"OP"}
        if op and op.startswith("{"):
            m = re.fullmatch(r"\{0,(\d+)\}", op)
            not_in = el.get("NORM", {}).get("NOT_IN") if isinstance(el.get("NORM"), dict) else None
            if not m or keys - {"IS_PUNCT", "NORM"} or el.get("IS_PUNCT", False) is not False or (
                    "NORM" in el and not_in is None):
                raise PatternError(f"unsupported wildcard {el}")
            pending += int(m.group(1))
            crosses = crosses or "IS_PUNCT" not in el
            blocked.update(w.lower() for w in not_in or ())
            continue
        if op not in (None, "?"):
            raise PatternError(f"unsupported OP {op!r}")
        if keys == {"NORM"} and isinstance(el["NORM"], dict) and set(el["NORM"]) == {"IN"}:
            step = Step(words=frozenset(w.lower() for w in el["NORM"]["IN"]))
        elif keys == {"NORM"} and isinstance(el["NORM"], dict) and set(el["NORM"]) == {"REGEX"}:
            step = Step(regex=re.compile(el["NORM"]["REGEX"]))
        elif keys == {"LIKE_NUM"} and el["LIKE_NUM"] is True:
            step = Step(number=True)
        else:
            raise PatternError(f"unsupported element {el}")
        if op == "?":
            pending += 1  # an optional word is a gap of at most one token
            continue
        if steps:
            gaps.append(pending)
            punct_ok.append(crosses)
        pending, crosses = 0, False  # leading wildcards or optional words do not change what matches
        steps.append(step)
    if not steps:
        raise PatternError("a pattern needs at least one word step")
    return Sequence_(label, tuple(steps), tuple(gaps), blocked=frozenset(blocked), punct_ok=tuple(punct_ok))


def compile_near(label: str, a: Sequence[str], b: Sequence[str], window: int, blocked: Sequence[str]) -> list[Sequence_]:
    sa, sb = Step(words=frozenset(a)), Step(words=frozenset(b))
    gap = max(window - 1, 0)
    return [Sequence_(label, (sa, sb), (gap,), True, frozenset(blocked), (False,)),
            Sequence_(label, (sb, sa), (gap,), True, frozenset(blocked), (False,))]


# Words most descriptions contain: a rule is filed under one of its other steps when it can ("weight" in
# "can't put weight on it", "cold" in "calf ... cold"), so that most descriptions never look at it.
COMMON = frozenset("no not n't never it and or the a an my i is was am are be been to of in on at can ca nt do did "
                   "does feel felt like get got go went have has had calf calves leg legs foot feet toe toes pain "
                   "hurts sore walk walking left right both one".split())


class SequenceMatcher:
    def __init__(self, sequences: Sequence[Sequence_]):
        self.sequences = tuple(sequences)
        self._by_anchor: dict[str, list[int]] = {}
        self._needed: list[tuple[frozenset, ...]] = []
        self._first_words: list[Optional[frozenset]] = []
        for k, s in enumerate(self.sequences):
            word_steps = [st.words for st in s.steps if st.words is not None]
            if not word_steps:  # a number-only rule: every text with a number is a candidate
                anchor: frozenset = frozenset({_NUMBER})
            else:
                anchor = min(word_steps, key=lambda ws: (not COMMON.isdisjoint(ws), len(ws)))
            for w in anchor:
                self._by_anchor.setdefault(w, []).append(k)
            needed = [ws for ws in word_steps if ws is not anchor]
            self._needed.append(tuple(sorted(needed, key=len)))
            self._first_words.append(s.steps[0].words)
        self._anchors = frozenset(self._by_anchor)
        self._number_cache: dict[tuple[int, str], bool] = {}

    def __call__(self, norms: Sequence[str], punct: Sequence[bool],
                 present: Optional[set] = None) -> list[tuple[str, int, int, tuple[int, ...]]]:
        """(label, start, end, step positions) for every sequence that matches, leftmost-shortest per start.
        Tokens inside a match that no step took are gap words ("pee isn't dark": "n't").
        `present` is the set of `norms` when the caller has it already."""
        present = set(norms) if present is None else present
        numbers = present.intersection(NUMBER_WORDS)
        numbers.update([w for w in present if w[:1].isdecimal()])  # and the words that start with a digit
        anchors = present.intersection(self._anchors)
        if numbers and _NUMBER in self._by_anchor:
            anchors.add(_NUMBER)
        if not anchors:
            return []  # most rules never get looked at: their rarest word is not in the text
        by_anchor, needed, first_words = self._by_anchor, self._needed, self._first_words
        candidates = set()
        for w in anchors:
            candidates.update(by_anchor[w])
        tried = []  # (rule, the words it may start on, rank)
        starts: set = set()
        for k in candidates:  # any order: `out` is sorted below
            for words in needed[k]:
                if present.isdisjoint(words):
                    break
            else:  # every word the rule needs is somewhere in the text: try it where it can start
                first = first_words[k]
                if first is not None:
                    heads = present.intersection(first)
                    tried.append((k, heads, 0))
                else:
                    # number rules after word rules at the same start, as the catalogue lists them
                    heads = {w for w in numbers if self._accepts(k, w)}
                    tried.append((k, heads, 1))
                starts |= heads
        if not tried:
            return []
        at: dict[str, list[int]] = {}  # where each possible start word is, in one pass over the words
        for i, w in enumerate(norms):
            if w in starts:
                if w in at:
                    at[w].append(i)
                else:
                    at[w] = [i]
        out = []
        n = len(norms)
        sequences = self.sequences
        for k, heads, rank in tried:
            s = sequences[k]
            for w in heads:
                for i in at[w]:
                    hit = _steps(s, norms, punct, 1, i + 1, n)
                    if hit is not None:
                        out.append((i, rank, k, (s.label, i, hit[-1] + 1 if hit else i + 1, (i,) + hit)))
        out.sort()
        return [m[3] for m in out]

    def _accepts(self, k: int, w: str) -> bool:
        """Whether rule k's first (regex or number) step takes `w`, cached."""
        key = (k, w)
        ok = self._number_cache.get(key)
        if ok is None:
            ok = self.sequences[k].steps[0].accepts(w)
            if len(self._number_cache) < 50_000:
                self._number_cache[key] = ok
        return ok


_NUMBER = "<number>"


def _steps(s: Sequence_, norms, punct, k: int, pos: int, n: int) -> Optional[tuple[int, ...]]:
    """Positions of steps k.. in the shortest match starting at token `pos`, or None."""
    if k == len(s.steps):
        return ()
    step, limit, punct_ok = s.steps[k], s.gaps[k - 1], s.punct_ok[k - 1]
    words = step.words
    last = k == len(s.steps) - 1
    j = pos
    while j < n and j - pos <= limit:
        if (norms[j] in words) if words is not None else step.accepts(norms[j]):
            if last:
                return (j,)
            rest = _steps(s, norms, punct, k + 1, j + 1, n)
            if rest is not None:
                return (j,) + rest
        if (punct[j] and not punct_ok) or norms[j] in s.blocked:
            return None
        j += 1
    return None
