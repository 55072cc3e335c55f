"""A small token-sequence matcher for the catalogue's `patterns` and `near` rules.

spaCy's Matcher handles wildcards ({"OP": "{0,5}"}) by tracking every partial match, which made it the
slowest part of extraction (about 2,500 docs/s for our rules alone). Our rules have one shape, so we
match them directly: steps that each accept a set of NORM values (or a regex, or a number), separated
by bounded gaps of non-punctuation tokens. Candidate starts come from a dict look-up on the first step.

Supported pattern elements (validated when the catalogue loads):
  {"NORM": {"IN": [...]}} | {"NORM": {"REGEX": "..."}} | {"LIKE_NUM": true}   a step (add "OP": "?" to
  make it optional, which is read as a gap of at most one token);
  {"OP": "{0,N}", "IS_PUNCT": false}                                            a gap of 0..N tokens.
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


def _like_num(w: str) -> bool:
    w = w.replace(",", "").replace(".", "", 1)
    return w.isdigit() or w in NUMBER_WORDS


NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
                         "forty fifty sixty seventy eighty ninety hundred thousand half".split())


def compile_pattern(label: str, pattern: Sequence[dict]) -> Sequence_:
    steps: list[Step] = []
    gaps: list[int] = []
    pending = 0
    for el in pattern:
        op = el.get("OP")
        keys = set(el) - {"OP"}
        if op and op.startswith("{"):
            m = re.fullmatch(r"\{0,(\d+)\}", op)
            if not m or keys - {"IS_PUNCT"}:
                raise PatternError(f"unsupported wildcard {el}")
            pending += int(m.group(1))
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
        elif pending:
            pass  # leading wildcards or optional words do not change what matches
        pending = 0
        steps.append(step)
    if not steps:
        raise PatternError("a pattern needs at least one word step")
    return Sequence_(label, tuple(steps), tuple(gaps))


def compile_near(label: str, a: Sequence[str], b: Sequence[str], window: int, blocked: Sequence[str]) -> list[Sequence_]:
    sa, sb = Step(words=frozenset(a)), Step(words=frozenset(b))
    gap = max(window - 1, 0)
    return [Sequence_(label, (sa, sb), (gap,), True, frozenset(blocked)),
            Sequence_(label, (sb, sa), (gap,), True, frozenset(blocked))]


class SequenceMatcher:
    def __init__(self, sequences: Sequence[Sequence_]):
        self.sequences = tuple(sequences)
        self._by_first: dict[str, list[Sequence_]] = {}
        self._other_first: list[Sequence_] = []
        for s in self.sequences:
            first = s.steps[0]
            if first.words is not None:
                for w in first.words:
                    self._by_first.setdefault(w, []).append(s)
            else:
                self._other_first.append(s)

    def __call__(self, norms: Sequence[str], punct: Sequence[bool]) -> list[tuple[str, int, int, bool]]:
        """(label, start, end, near) for every sequence that matches, leftmost-shortest per start."""
        out = []
        by_first = self._by_first
        n = len(norms)
        other = self._other_first
        for i, w in enumerate(norms):
            cands = by_first.get(w)
            if cands is not None:
                for s in cands:
                    end = _match_from(s, norms, punct, i, n)
                    if end:
                        out.append((s.label, i, end, s.near))
            if not other or not (w[:1].isdigit() or w in NUMBER_WORDS):
                continue  # regex and number first steps only ever match numbers ("200 m", "72yo")
            for s in other:
                if s.steps[0].accepts(w):
                    end = _match_from(s, norms, punct, i, n)
                    if end:
                        out.append((s.label, i, end, s.near))
        return out


def _match_from(s: Sequence_, norms, punct, i: int, n: int) -> int:
    """End (exclusive) of the shortest match of s starting at token i, or 0."""
    return _steps(s, norms, punct, 1, i + 1, n)


def _steps(s: Sequence_, norms, punct, k: int, pos: int, n: int) -> int:
    if k == len(s.steps):
        return pos
    step, limit = s.steps[k], s.gaps[k - 1]
    j = pos
    while j < n and j - pos <= limit:
        if step.accepts(norms[j]):
            end = _steps(s, norms, punct, k + 1, j + 1, n)
            if end:
                return end
        if punct[j] or norms[j] in s.blocked:
            return 0
        j += 1
    return 0
