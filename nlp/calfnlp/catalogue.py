"""Load and validate the rule data shipped inside the package.

`rules/symptoms.jsonl` lists every finding with its lay phrasings; `rules/context.jsonl` lists the
ConText trigger phrases. Both are validated when loaded: an unknown key, a missing key, a bad value or a
duplicate is an error naming the file and the line. Loaded tables are immutable tuples, so no caller can
rewrite them for everyone else.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator, Optional, Union

from .errors import RulesError
from .sequences import PatternError, compile_pattern

# "ignore": phrases that look like a finding but are not one ("painkillers"); they hide what they contain
GROUPS = ("location", "side", "quality", "onset", "course", "trigger", "sign", "risk", "ignore")
CATEGORIES = ("negated", "hypothetical", "historical", "other_person", "uncertain", "pseudo", "terminate")
DIRECTIONS = ("forward", "backward", "both")

PathLike = Union[str, Path]


@dataclass(frozen=True)
class Near:
    """Two word sets that make a finding when they occur within `window` tokens in one clause."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    window: int


@dataclass(frozen=True)
class FindingDef:
    id: str
    group: str
    label: str
    phrases: tuple[str, ...]
    near: tuple[Near, ...] = ()
    patterns: tuple = ()
    denied_by: tuple[str, ...] = ()  # phrases that say the finding is absent ("I can walk on it")


@dataclass(frozen=True)
class ContextRule:
    phrase: str
    category: str
    direction: str
    max_gap: int = 4
    personal_blocks: bool = False
    not_after: frozenset = frozenset()  # words after which the phrase is no trigger ("it eases if I rest")


def _lines(path: Optional[PathLike], default: str) -> tuple[str, Iterator[tuple[int, str]]]:
    if path is None:
        text = resources.files("calfnlp").joinpath("rules", default).read_text(encoding="utf-8")
        name = f"calfnlp/rules/{default}"
    else:
        text = Path(path).read_text(encoding="utf-8")
        name = str(path)
    rows = ((n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip())
    return name, rows


def _parse(name: str, n: int, line: str, required: set, optional: set) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RulesError(f"{name}:{n}: not valid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise RulesError(f"{name}:{n}: expected a JSON object")
    unknown = set(obj) - required - optional
    if unknown:
        raise RulesError(f"{name}:{n}: unknown key(s) {sorted(unknown)}")
    missing = required - set(obj)
    if missing:
        raise RulesError(f"{name}:{n}: missing key(s) {sorted(missing)}")
    return obj


def _words(name: str, n: int, value, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{name}:{n}: {what} must be a list of non-empty strings")
    return tuple(v.lower() for v in value)


def parse_symptoms(path: Optional[PathLike] = None) -> tuple[FindingDef, ...]:
    name, rows = _lines(path, "symptoms.jsonl")
    out: list[FindingDef] = []
    seen_ids: set[str] = set()
    seen_phrases: dict[str, str] = {}
    for n, line in rows:
        obj = _parse(name, n, line, {"id", "group", "label", "phrases"}, {"near", "patterns", "denied_by"})
        fid = obj["id"]
        if not isinstance(fid, str) or not fid.isidentifier():
            raise RulesError(f"{name}:{n}: id {fid!r} must be a lower-case identifier")
        if fid in seen_ids:
            raise RulesError(f"{name}:{n}: duplicate id {fid!r}")
        if obj["group"] not in GROUPS:
            raise RulesError(f"{name}:{n}: group {obj['group']!r} is not one of {', '.join(GROUPS)}")
        phrases = _words(name, n, obj["phrases"], "phrases")
        denied_by = _words(name, n, obj.get("denied_by", []), "denied_by")
        for p in phrases + denied_by:
            if p in seen_phrases:
                raise RulesError(f"{name}:{n}: phrase {p!r} already belongs to {seen_phrases[p]!r}")
            seen_phrases[p] = fid
        near = []
        for item in obj.get("near", []):
            if not isinstance(item, dict) or set(item) != {"a", "b", "window"} or not isinstance(item["window"], int):
                raise RulesError(f"{name}:{n}: each near rule needs exactly a, b and an integer window")
            near.append(Near(_words(name, n, item["a"], "near.a"), _words(name, n, item["b"], "near.b"), item["window"]))
        patterns = obj.get("patterns", [])
        if not isinstance(patterns, list) or not all(isinstance(p, list) and p for p in patterns):
            raise RulesError(f"{name}:{n}: patterns must be a list of token patterns")
        for p in patterns:
            try:
                compile_pattern(fid, p)
            except (PatternError, TypeError, AttributeError) as exc:
                raise RulesError(f"{name}:{n}: {exc}") from None
        seen_ids.add(fid)
        out.append(FindingDef(fid, obj["group"], str(obj["label"]), phrases, tuple(near), tuple(map(_freeze, patterns)),
                              denied_by))
    if not out:
        raise RulesError(f"{name}: no findings defined")
    return tuple(out)


def parse_context(path: Optional[PathLike] = None) -> tuple[ContextRule, ...]:
    name, rows = _lines(path, "context.jsonl")
    out: list[ContextRule] = []
    seen: set[tuple[str, str]] = set()
    for n, line in rows:
        obj = _parse(name, n, line, {"phrase", "category", "direction"}, {"max_gap", "personal_blocks", "not_after"})
        phrase = obj["phrase"]
        if not isinstance(phrase, str) or not phrase.strip():
            raise RulesError(f"{name}:{n}: phrase must be a non-empty string")
        if obj["category"] not in CATEGORIES:
            raise RulesError(f"{name}:{n}: category {obj['category']!r} is not one of {', '.join(CATEGORIES)}")
        if obj["direction"] not in DIRECTIONS:
            raise RulesError(f"{name}:{n}: direction {obj['direction']!r} is not one of {', '.join(DIRECTIONS)}")
        gap = obj.get("max_gap", 4)
        if not isinstance(gap, int) or not 0 <= gap <= 12:
            raise RulesError(f"{name}:{n}: max_gap must be an integer from 0 to 12")
        key = (phrase.lower(), obj["direction"])
        if key in seen:
            raise RulesError(f"{name}:{n}: duplicate trigger {phrase!r} ({obj['direction']})")
        seen.add(key)
        out.append(ContextRule(phrase.lower(), obj["category"], obj["direction"], gap,
                               bool(obj.get("personal_blocks", False)),
                               frozenset(_words(name, n, obj.get("not_after", []), "not_after"))))
    return tuple(out)


def _freeze(obj):
    """Token patterns are JSON; keep them as JSON text so the loaded table stays immutable."""
    return json.dumps(obj, sort_keys=True)


@lru_cache(maxsize=None)
def symptoms() -> tuple[FindingDef, ...]:
    """The packaged finding catalogue (parsed once)."""
    return parse_symptoms()


@lru_cache(maxsize=None)
def context_rules() -> tuple[ContextRule, ...]:
    """The packaged context triggers (parsed once)."""
    return parse_context()


@lru_cache(maxsize=None)
def finding_groups() -> dict[str, str]:
    return {f.id: f.group for f in symptoms()}


@lru_cache(maxsize=None)
def common_words() -> frozenset[str]:
    """Real English words close to catalogue words, which the spelling step leaves alone."""
    path = resources.files("calfnlp").joinpath("rules", "common_words.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))
