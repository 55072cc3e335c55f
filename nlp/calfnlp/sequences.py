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


class SequenceMatcher:
    def __init__(self, sequences: Sequence[Sequence_]):
        self.sequences = tuple(sequences)
        self._by_first: dict[str, list[Sequence_]] = {}
        self._other_first: list[Sequence_] = []
        self._reach = {id(s): sum(s.gaps) + len(s.steps) - 1 for s in self.sequences}
        self._max_reach = max(self._reach.values(), default=0)
        for s in self.sequences:
            first = s.steps[0]
            if first.words is not None:
                for w in first.words:
                    self._by_first.setdefault(w, []).append(s)
            else:
                self._other_first.append(s)

    def __call__(self, norms: Sequence[str], punct: Sequence[bool]) -> list[tuple[str, int, int, tuple[int, ...]]]:
        """(label, start, end, step positions) for every sequence that matches, leftmost-shortest per start.
        Tokens inside a match that no step took are gap words ("pee isn't dark": "n't")."""
        out = []
        by_first = self._by_first
        n = len(norms)
        other = self._other_first
        reach = self._reach
        for i, w in enumerate(norms):
            cands = by_first.get(w)
            if cands is not None:
                ahead = None
                for s in cands:
                    last = s.steps[-1].words
                    if last is not None and len(s.steps) > 1:
                        if ahead is None:
                            ahead = set(norms[i + 1:i + 1 + self._max_reach])
                        if last.isdisjoint(ahead):
                            continue  # the rule's last word is nowhere in reach
                    hit = _steps(s, norms, punct, 1, i + 1, n)
                    if hit is not None:
                        out.append((s.label, i, hit[-1] + 1 if hit else i + 1, (i,) + hit))
            if not other or not (w[:1].isdigit() or w in NUMBER_WORDS):
                continue  # regex and number first steps only ever match numbers ("200 m", "72yo")
            for s in other:
                if s.steps[0].accepts(w):
                    hit = _steps(s, norms, punct, 1, i + 1, n)
                    if hit is not None:
                        out.append((s.label, i, hit[-1] + 1 if hit else i + 1, (i,) + hit))
        return out


def _steps(s: Sequence_, norms, punct, k: int, pos: int, n: int) -> Optional[tuple[int, ...]]:
    """Positions of steps k.. in the shortest match starting at token `pos`, or None."""
    if k == len(s.steps):
        return ()
    step, limit, punct_ok = s.steps[k], s.gaps[k - 1], s.punct_ok[k - 1]
    words = step.words
    j = pos
    while j < n and j - pos <= limit:
        if (norms[j] in words) if words is not None else step.accepts(norms[j]):
            rest = _steps(s, norms, punct, k + 1, j + 1, n)
            if rest is not None:
                return (j,) + rest
        if (punct[j] and not punct_ok) or norms[j] in s.blocked:
            return None
        j += 1
    return None
