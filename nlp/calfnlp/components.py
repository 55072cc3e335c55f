"""spaCy components: `calf_symptoms` (lay-language finding matcher), `calf_context` (negation,
hypothetical, history, other person, hedging) and `calfnlp` (the whole Assessment on the Doc).

Registered through the `spacy_factories` entry point, so `spacy.blank("en").add_pipe("calf_symptoms")`
works in any pipeline without importing calfnlp first.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from spacy.attrs import IDX, IS_PUNCT, LENGTH, NORM, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from . import catalogue, context, docdata
from .catalogue import ContextRule, FindingDef
from .sequences import SequenceMatcher, compile_near, compile_pattern

SPANS_KEY = "calf_symptoms"
TRIGGERS_KEY = docdata.TRIGGERS
NEAR_KB = "near"
FLAGS_KEY = docdata.FLAGS
MATCHES_KEY = docdata.MATCHES
NORMS_KEY = docdata.NORMS
PROXY_KEY = docdata.PROXY
DENIED_KEY = docdata.DENIED
SPAN_FLAGS = ("negated", "hypothetical", "historical", "other_person", "uncertain")
SENTENCE_END = frozenset({".", "!", "?", "\n", "\n\n", "...", ":", ";"})
BREAK_WORDS = ["and", "but", "or", "while", "so", "because", "though", "although", "then", "whereas", "except"]


def register_extensions() -> None:
    """Register our extension attributes once; never overwrite another package's attribute."""
    for name in SPAN_FLAGS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=False)
    if not Span.has_extension("side"):
        Span.set_extension("side", default=None)
    if not Doc.has_extension("calf_assessment"):
        Doc.set_extension("calf_assessment", default=None)


register_extensions()


_DIGIT = re.compile(r"\d")


def _plain(word: str, special) -> bool:
    """An ASCII word of letters with no tokenizer exception: one token, whatever surrounds it."""
    return word.isalpha() and word.isascii() and word not in special


def _phrase_keys(tokenizer, vocab, phrases, tokenized: Optional[dict] = None) -> list[list[int]]:
    """PhraseMatcher patterns as NORM hashes (PhraseMatcher.add takes these as well as Docs, and building
    thousands of Docs was most of calfnlp's start-up time). Plain lower-case words are split on spaces and
    take their lexeme's NORM, as a Doc of those words would; any other word goes through the tokenizer."""
    special = tokenizer.rules or {}
    getter = (vocab.lex_attr_getters or {}).get(NORM)
    strings = vocab.strings

    def norm(w: str) -> int:
        # the NORM a new lexeme would get, without creating it (creating 2,000 lexemes costs ~30 ms)
        return vocab[w].norm if getter is None or w in vocab else strings.add(getter(w))

    tokenized = {} if tokenized is None else tokenized  # word -> its NORM keys, shared across calls

    def keys(w: str) -> list[int]:
        # each distinct word once: the tokenizer splits on spaces first and treats each piece alone, so a
        # piece ("can't", "24hrs") tokenizes the same inside any phrase
        got = tokenized.get(w)
        if got is None:
            got = tokenized[w] = [norm(w)] if _plain(w, special) else [t.norm for t in tokenizer(w)]
        return got

    out = []
    for p in phrases:
        words = p.split()
        out.append([k for w in words for k in keys(w)])
        if _DIGIT.search(p):
            # the tokenizer splits a lower-case number + unit ("t2dm" -> "t2", "dm") but not the same
            # letters in capitals ("T2DM"), which is how people type abbreviations: match both
            upper = [k for w in words for k in keys(w if _plain(w, special) else w.upper())]
            if upper != out[-1]:
                out.append(upper)
    return out


MERGE_GAP = 4  # most words between two mentions of one finding that still make them one mention
LIST_WORDS = frozenset({"and", "or", "but", "&", "+", "/", "nor", "then", "also", "plus", "n", "an", "no", "not"})
# generic finding -> the more specific findings that already say it when they stand next to it
SUBSUMED_BY = {
    "pain": frozenset({"ache", "sharp_pain", "burning_pain", "rest_pain", "pain_on_stretch", "radiating_pain",
                       "back_pain", "pain_out_of_proportion"}),
    "exercise": frozenset({"new_exercise", "extreme_exercise", "explosive_move"}),
}
SUBSUME_GAP = 5
# findings of their own layer, like places: how often something happens is said with the words that name what
# happens ("keeps cramping" is a cramp that recurs, "every night" night pain that recurs, "every run" a run)
OWN_LAYER = frozenset({"recurring"})


def _joined(a: tuple, b: tuple, norms: Sequence[str], punct: Sequence[int], limit: int) -> bool:
    """Whether two matches (a before b) sit in one stretch of words: at most `limit` words between them,
    none of them punctuation or a list word ("swollen calf and swollen ankle" are two mentions)."""
    gap = range(a[1], b[0])
    return len(gap) <= limit and not any(punct[i] or norms[i] in LIST_WORDS for i in gap)


def _merge_repeats(matches: list[tuple], norms: Sequence[str], punct: Sequence[int],
                   separate: frozenset = frozenset()) -> list[tuple]:
    """One mention from two matches of the same finding with nothing else between them (sorted input).
    Findings in `separate` are never joined (two statements of a risk factor: "retired farmer, 76,")."""
    out: list[tuple] = []
    for m in matches:
        if out:
            prev = out[-1]
            if prev[2] == m[2] and m[2] not in separate and prev[1] <= m[0] and _joined(prev, m, norms, punct, MERGE_GAP):
                out[-1] = (prev[0], m[1], m[2], prev[3] + tuple(range(prev[1], m[0])) + m[3])
                continue
        out.append(m)
    return out


def _union_same(matches: list[tuple]) -> list[tuple]:
    """Overlapping matches of the same finding become one ("runs down" + "down the back of my thigh" is
    one radiating pain, so "runs" is not also exercise)."""
    by_label: dict[str, list[tuple]] = {}
    for m in matches:
        group = by_label.get(m[2])
        if group is None:
            by_label[m[2]] = [m]
        else:
            group.append(m)
    if len(by_label) == len(matches):
        return matches
    out = []
    for group in by_label.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        group.sort()
        cur = group[0]
        for m in group[1:]:
            if m[0] < cur[1]:  # overlap: one span over both; a word is a gap word only if both say so
                gaps = tuple(i for i in range(cur[0], max(cur[1], m[1]))
                             if (i in cur[3] or not cur[0] <= i < cur[1]) and (i in m[3] or not m[0] <= i < m[1]))
                cur = (cur[0], max(cur[1], m[1]), cur[2], gaps)
            else:
                out.append(cur)
                cur = m
        out.append(cur)
    return out


def _subsume(matches: list[tuple], norms: Sequence[str], punct: Sequence[int]) -> list[tuple]:
    """Drop a generic finding that stands next to a more specific one of its kind (sorted input)."""
    drop = set()
    for k, m in enumerate(matches):
        specific = SUBSUMED_BY.get(m[2])
        if specific is None:
            continue
        for o in matches[max(0, k - 3):k + 4]:
            if o[2] in specific and (_joined(m, o, norms, punct, SUBSUME_GAP) if o[0] >= m[1]
                                     else o[1] <= m[0] and _joined(o, m, norms, punct, SUBSUME_GAP)):
                drop.add(k)
                break
    return [m for k, m in enumerate(matches) if k not in drop] if drop else matches


def _longest_key(m: tuple) -> tuple[int, int]:
    return m[0] - m[1], m[0]


def _longest_first(matches: list[tuple]) -> list[tuple]:
    """Non-overlapping matches, longest first (ties: leftmost), like spacy.util.filter_spans on tuples."""
    if len(matches) < 2:
        return list(matches)
    taken: set[int] = set()
    out = []
    for m in sorted(matches, key=_longest_key):
        r = range(m[0], m[1])
        if taken.isdisjoint(r):
            out.append(m)
            taken.update(r)
    return out


# hash -> string for every NORM seen; a string's hash is the same in every vocabulary, so one table serves all
_NORM_TEXT: dict[int, str] = {}
NORM_PUNCT = [NORM, IS_PUNCT]
IDX_LENGTH = [IDX, LENGTH]


def norm_strings(doc: Doc) -> tuple[list[str], list[int]]:
    """Each token's NORM string and whether it is punctuation (1/0), read in bulk (much faster than per Token)."""
    if not len(doc):
        return [], []
    hashes, punct = doc.to_array(NORM_PUNCT).T.tolist()  # one to_array call for both columns
    norms = list(map(_NORM_TEXT.get, hashes))  # a dict look-up in C instead of a StringStore call per token
    if None in norms:
        strings = doc.vocab.strings
        for i, w in enumerate(norms):
            if w is None:
                norms[i] = w = strings[hashes[i]]
                if len(_NORM_TEXT) < 200_000:
                    _NORM_TEXT[hashes[i]] = w
    if "-" in norms:
        # a hyphen inside a word ("single-leg", "red-brown") does not break a phrase; a spaced dash does
        space = doc.to_array(SPACY).tolist()
        for i, w in enumerate(norms):
            if w == "-" and 0 < i and not space[i - 1] and not space[i]:
                punct[i] = 0
    return norms, punct


def fuzzy_vocabulary(findings: Optional[tuple[FindingDef, ...]] = None) -> frozenset[str]:
    """The words misspellings are corrected towards: every alphabetic word of 4+ letters in the catalogue."""
    words = set()
    for f in catalogue.symptoms() if findings is None else findings:
        for phrase in f.phrases + f.denied_by:
            words.update(phrase.split())
        for near in f.near:
            words.update(near.a)
            words.update(near.b)
    return frozenset(w for w in words if len(w) >= 4 and w.isalpha())


class Speller:
    """Correct a misspelt word to the closest catalogue word ("swolen" -> "swollen", "uriene" -> "urine").

    Only for words that are neither catalogue words nor common English words close to one
    (rules/common_words.txt), with the same first letter, within one edit (two for words of 7+ letters;
    swapping two neighbouring letters counts as one edit).
    Results are cached, so a word costs one look-up per process.
    """

    def __init__(self, vocabulary: frozenset[str], keep: frozenset[str] = frozenset()):
        self.vocabulary = vocabulary
        self._choices = sorted(vocabulary)
        self._by_initial: dict[str, list[str]] = {}
        for w in self._choices:
            self._by_initial.setdefault(w[0], []).append(w)
        self.guard = catalogue.common_words()
        self._cache: dict[str, Optional[str]] = {}
        # words that are never corrected: the catalogue's, common English ones, and `keep` (the context rules'
        # words: "gran" is a grandmother, not a misspelt "gray")
        self._settled: set[str] = set(vocabulary) | set(self.guard) | set(keep)

    def correct(self, word: str) -> Optional[str]:
        if len(word) < 4 or word in self._settled or not word.isalpha():
            return None
        if word in self._cache:
            return self._cache[word]
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = 2 if len(word) >= 7 else 1
        hits = process.extract(word, self._by_initial.get(word[0], ()), scorer=OSA.distance, score_cutoff=limit,
                               limit=8)
        # closest first; among equals, a reordering of the same letters ("boht" -> "both", not "boot")
        hits.sort(key=lambda h: (h[1], sorted(h[0]) != sorted(word), abs(len(h[0]) - len(word)), h[0]))
        result = hits[0][0] if hits else None
        if len(self._cache) < 50_000:
            self._cache[word] = result
        return result

    def __call__(self, doc: Doc, norms: list[str], present: Optional[set] = None) -> int:
        """Correct the NORM of misspelt tokens in place (in the Doc and in `norms`). `present` is the set
        of `norms` when the caller has it (it is not updated)."""
        todo = (set(norms) if present is None else present).difference(self._settled)
        if not todo:
            return 0  # the usual case: every word is known or already looked at (one set operation in C)
        fixes = {}
        for w in todo:
            better = self.correct(w)
            if better is not None:
                fixes[w] = better
            elif len(self._settled) < 100_000:
                self._settled.add(w)  # nothing to correct: never look at this word again
        fixed = 0
        if fixes:
            for i, w in enumerate(norms):
                better = fixes.get(w)
                if better is not None:
                    if i > 0 and norms[i - 1] not in SENTENCE_END and doc[i].is_title:
                        continue  # a capitalised word inside a sentence is a name ("Spain" is not "spin")
                    doc[i].norm_ = better
                    norms[i] = better
                    fixed += 1
        return fixed


class SymptomMatcher:
    """Find every catalogue finding in a Doc and store them in `doc.spans[spans_key]`, labelled by id."""

    def __init__(self, nlp: Language, name: str = "calf_symptoms", spans_key: str = SPANS_KEY,
                 findings: Optional[tuple[FindingDef, ...]] = None, spelling: bool = True, spans: bool = True):
        self.name = name
        self.spans_key = spans_key
        self.spelling = spelling
        self.write_spans = spans
        self.vocab = nlp.vocab
        self._tokenizer = nlp.tokenizer
        self.findings = catalogue.symptoms() if findings is None else findings
        self._build()

    def _build(self) -> None:
        self.groups = {f.id: f.group for f in self.findings}
        self._ignore = frozenset(i for i, g in self.groups.items() if g == "ignore")
        self._risks = frozenset(i for i, g in self.groups.items() if g == "risk")
        self.speller = Speller(fuzzy_vocabulary(self.findings), context.vocabulary()) if self.spelling else None
        self.phrase_matcher = PhraseMatcher(self.vocab, attr="NORM")
        sequences = []
        self._denials: set[int] = set()
        tokenized: dict = {}
        for f in self.findings:
            self.phrase_matcher.add(f.id, _phrase_keys(self._tokenizer, self.vocab, f.phrases, tokenized))
            if f.denied_by:
                key = f"{f.id}|denied"
                self.phrase_matcher.add(key, _phrase_keys(self._tokenizer, self.vocab, f.denied_by, tokenized))
                self._denials.add(self.vocab.strings[key])
            sequences += [compile_pattern(f.id, json.loads(p)) for p in f.patterns]
            for near in f.near:
                # words may sit between the two halves, so a negation inside still counts ("pee isn't dark")
                sequences += compile_near(f.id, near.a, near.b, near.window, BREAK_WORDS)
        self.sequences = SequenceMatcher(sequences)
        self._label_of = {self.vocab.strings[f.id]: f.id for f in self.findings}
        self._label_of.update({self.vocab.strings[f"{f.id}|denied"]: f.id for f in self.findings if f.denied_by})

    def __call__(self, doc: Doc) -> Doc:
        self._match([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Batches go through each step in turn, so a step's tables stay in the CPU cache across a batch
        (about a fifth faster than one description at a time through every step)."""
        for batch in minibatch(docs, size=batch_size):
            self._match(batch)
            yield from batch

    def _match(self, docs: list[Doc]) -> None:
        speller = self.speller
        read = []
        for doc in docs:
            norms, punct = norm_strings(doc)
            present = set(norms)
            if speller is not None and speller(doc, norms, present):
                present = set(norms)
            read.append((norms, punct, present))
        label_of = self._label_of
        phrase_hits = [self.phrase_matcher(doc) for doc in docs]
        sequence_hits = [self.sequences(norms, punct, present) for norms, punct, present in read]
        denials = self._denials
        for doc, (norms, punct, _), phrases, sequences in zip(docs, read, phrase_hits, sequence_hits):
            found = [(start, end, label_of[match_id], ()) for match_id, start, end in phrases]
            denied = {found[k][:3] for k, (match_id, _, _) in enumerate(phrases) if match_id in denials} \
                if denials else None
            for label, start, end, steps in sequences:
                found.append((start, end, label, tuple([i for i in range(start, end) if i not in steps])))
            matches = self._resolve(found, norms, punct, denied)
            if self.write_spans:
                doc.spans[self.spans_key] = [Span(doc, s, e, label=label, kb_id=NEAR_KB if gaps else "")
                                             for s, e, label, gaps in matches]
            # tuples of plain values: the garbage collector stops tracking them, which matters when a caller
            # keeps thousands of Docs (docs/performance.md)
            doc.user_data[MATCHES_KEY] = tuple(matches)
            doc.user_data[NORMS_KEY] = tuple(norms)  # after spelling correction; calf_context reuses them
            if denied:
                doc.user_data[DENIED_KEY] = tuple(k for k, m in enumerate(matches) if m[:3] in denied)
            elif DENIED_KEY in doc.user_data:
                del doc.user_data[DENIED_KEY]  # a Doc run through twice

    def _resolve(self, found: list[tuple], norms: Sequence[str], punct: Sequence[int],
                 denied: Optional[set] = None) -> list[tuple]:
        """Places form their own layer ("both calves" keeps "calves"), and so do findings of how often
        (OWN_LAYER: "keeps cramping" keeps "cramping"). Among everything else the longest
        match wins where two matches share a word of their own ("massively swollen" is severe_swelling,
        "chest pain" is not also "pain"); words in the gap of a gapped rule ("calf is red and fat") or
        places inside it are not its own, so the findings there are kept. Then: `ignore` phrases hide the
        findings inside them ("painkillers", "ring the surgery"), a finding said twice in a row is one
        mention ("flight from Dubai", "sore on my toe that won't heal"), and generic pain or exercise next
        to a more specific kind is part of it ("hurts when I pull my toes up", "downhill run"). A phrase that
        denies a finding (`denied`: "can wiggle my toes") is never hidden by an ignore phrase."""
        if not found:
            return []
        groups = self.groups
        labels = {m[2] for m in found}
        if not labels.isdisjoint(self._ignore):
            masks = [(s, e) for s, e, label, _ in found if label in self._ignore]
            found = [m for m in found if m[2] not in self._ignore
                     and (not any(ms <= m[0] and m[1] <= me for ms, me in masks) or (denied and m[:3] in denied))]
            labels = {m[2] for m in found}
        repeats = len(labels) < len(found)  # the usual case has none: skip the steps that join repeats
        places, rest, often = [], [], []
        for m in found:
            g = groups[m[2]]
            (places if g == "location" else often if m[2] in OWN_LAYER else rest).append(m)
        if repeats:
            rest = _union_same(rest)
        places = _longest_first(places)
        place_tokens = set()
        for s, e, _, _ in places:
            place_tokens.update(range(s, e))
        taken: set[int] = set()
        kept = []
        for m in sorted(rest, key=_longest_key):
            s, e, _, gaps = m
            own = [i for i in range(s, e) if i not in gaps and i not in place_tokens] if gaps else range(s, e)
            if own and taken.isdisjoint(own):
                kept.append(m)
                taken.update(own)
        kept.sort()
        places.sort()
        if often:
            often = _longest_first(often)
            often.sort()
        if repeats:
            kept = _merge_repeats(kept, norms, punct, self._risks)
            places = _merge_repeats(places, norms, punct)
            often = _merge_repeats(often, norms, punct)
        if not labels.isdisjoint(SUBSUMED_BY):
            kept = _subsume(kept, norms, punct)
        out = places + kept + often
        out.sort()
        return out

    # serialisation: the catalogue travels with the pipeline, so a saved pipeline needs no local file
    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "symptoms.jsonl", "w", encoding="utf-8") as fh:
            for f in self.findings:
                fh.write(json.dumps(_finding_to_json(f), ensure_ascii=False) + "\n")

    def from_disk(self, path, *, exclude: Iterable[str] = ()) -> "SymptomMatcher":
        self.findings = catalogue.parse_symptoms(Path(path) / "symptoms.jsonl")
        self._build()
        return self


class ContextTagger:
    """Set `span._.negated`, `._.hypothetical`, `._.historical`, `._.other_person` and `._.uncertain`
    on every finding, and `span._.side` from nearby left/right/both words."""

    def __init__(self, nlp: Language, name: str = "calf_context", spans_key: str = SPANS_KEY,
                 rules: Optional[tuple[ContextRule, ...]] = None):
        self.name = name
        self.spans_key = spans_key
        self.vocab = nlp.vocab
        self._tokenizer = nlp.tokenizer
        self.rules = catalogue.context_rules() if rules is None else rules
        self._build()

    def _build(self) -> None:
        self.matcher = PhraseMatcher(self.vocab, attr="NORM")
        self._kinds: dict[int, tuple] = {}
        by_kind: dict[tuple, list[str]] = {}
        for r in self.rules:
            by_kind.setdefault((r.category, r.direction, r.max_gap, r.personal_blocks, r.not_after), []).append(r.phrase)
        tokenized: dict = {}
        for kind, phrases in by_kind.items():
            key = "|".join(map(str, kind))
            self.matcher.add(key, _phrase_keys(self._tokenizer, self.vocab, phrases, tokenized))
            self._kinds[self.vocab.strings[key]] = kind
        self._historical = frozenset(k for k, kind in self._kinds.items() if kind[0] == "historical")

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans[self.spans_key] if self.spans_key in doc.spans else None
        matches = doc.user_data.get(MATCHES_KEY)
        denied = doc.user_data.get(DENIED_KEY, ())
        if group is not None and (matches is None or len(matches) != len(group)):
            matches = [(sp.start, sp.end, sp.label_, ()) for sp in group]  # spans made or changed by someone else
            denied = ()
        if not matches:
            doc.user_data[FLAGS_KEY] = ()
            return doc
        groups = _groups()
        norms = doc.user_data.get(NORMS_KEY)
        if norms is None or len(norms) != len(doc):
            norms, _ = norm_strings(doc)
        Mention = context.Mention
        mentions = []
        risks = []
        covered = set()
        for s, e, label, gaps in matches:
            g = groups.get(label)
            if g == "risk":
                risks.append(len(mentions))
            mentions.append(Mention(s, e, g == "location", bool(gaps), g == "risk"))
            if gaps:
                covered.update([i for i in range(s, e) if i not in gaps])  # gap words stay context ("isn't")
            else:
                covered.update(range(s, e))
        kinds_at: dict[tuple[int, int], list[int]] = {}
        for m, s, e in self.matcher(doc):
            kinds_at.setdefault((s, e), []).append(m)
        triggers = []
        Trigger = context.Trigger
        # the longest trigger wins ("not only" over "not"); one phrase may be several kinds ("no": forward
        # and backward negation)
        # a trigger that starts on a finding's own word is part of the finding: "can't" in "can't put weight",
        # "n't really" in "can't really push off" (but "n't" in the gap of "pee isn't dark" is context)
        candidates = [(s, e, None, None) for s, e in kinds_at if s not in covered]
        for s, e, _, _ in _longest_first(candidates):
            overlaps = e - s > 1 and not covered.isdisjoint(range(s, e))
            if overlaps:
                # "not really" in "not really swollen", where "really swollen" is a finding: the shorter
                # trigger that stays outside the finding ("not") still negates it
                shorter = [(s, x) for x in range(e - 1, s, -1) if (s, x) in kinds_at and covered.isdisjoint(range(s, x))]
                if shorter and all(self._kinds[kind][0] == "negated" for kind in kinds_at[(s, e)]):
                    e = shorter[0][1]
                    overlaps = False
            for kind in kinds_at[(s, e)]:
                cat, direction, gap, personal, not_after = self._kinds[kind]
                if overlaps and cat == "negated":
                    continue  # "aren't" in "painkillers aren't touching it" belongs to the finding
                if not_after and s > 0 and norms[s - 1] in not_after:
                    continue  # "it eases if I rest" describes what happens; "what if it goes dark" does not
                triggers.append(Trigger(s, e, cat, direction, gap, personal))
        if norms[0] in context.PATIENT_OPENERS:
            # a note that opens on its subject ("Pt is 74...", "Resident has a hot calf; she denies...") is about
            # that patient: "he"/"she" are the patient, not someone else ("his wife" still is)
            triggers = [t for t in triggers if not (t.category == "other_person" and t.end - t.start == 1
                                                    and norms[t.start] in context.THIRD_PERSON
                                                    and (t.end == len(norms) or norms[t.end] not in context.OTHER_NOUNS))]
        present = context.WATCH.intersection(norms)  # which of the word-switched rules can apply
        if present:
            if not context.OTHER_NOUNS.isdisjoint(present):  # "my twin sister": words between "my" and the person
                taken = {t.start for t in triggers if t.category == "other_person"}
                triggers += context.described_people(norms, taken, present)
                if not context.BARE_KIN.isdisjoint(present):  # "Mum is 82 and..."
                    triggers += context.bare_kin(norms, taken, covered, present)
            if "when" in present and "was" in present:  # "when I was 30"
                triggers += context.past_ages(norms)
        triggers.sort(key=lambda t: t.start)
        flags = context.assign(norms, mentions, triggers, present)
        # a time phrase inside a risk factor's own words dates it ("had a DVT years ago", "DVT last year"), and
        # a finding inside a time phrase's own words is dated by it ("when I was pregnant")
        hist = self._historical
        gapped = any(gaps for _, _, _, gaps in matches)
        for (s, e), kinds in kinds_at.items():
            if not hist.isdisjoint(kinds) and (not covered.isdisjoint(range(s, e)) or gapped):
                for k, (ms, me, label, _) in enumerate(matches):
                    if flags[k]["negated"]:
                        continue  # "no history of clots": what never happened has no date
                    # ...and a finding that starts inside a time phrase's words ("no longer on" + "on the pill"), but
                    # not one whose own words begin with the phrase ("it passed in 90 seconds" is the resolution)
                    # ...and a finding whose gap words hold the date ("sciatica in 2022 from a disc")
                    if (s in covered and ms <= s and e <= me and groups.get(label) == "risk") or (
                            s <= ms and me <= e) or s < ms < e or (ms < s and e <= me and s not in covered):
                        flags[k]["historical"] = True
        # a risk factor named as a former one is past ("ex-smoker", "ex smoker", "former smoker"), and so is
        # one dated by a bare year right after it ("PMH: DVT 2015", "PE (2019)") or one whose own words open
        # with "had", "last" or "history" when it is an event, not a lasting condition ("had a clot", "my last
        # DVT", "hx of DVT"; not "history of AF")
        for k in risks:
            ms, me = matches[k][0], matches[k][1]
            if matches[k][2] == "older_age":
                flags[k]["historical"] = False  # an age is never over: whoever was 70 then is older now
                continue
            if flags[k]["negated"]:
                continue
            if norms[ms] in context.PAST_PREFIX or ms and norms[ms - 1] in context.PAST_PREFIX or \
                    context.was_before(norms, ms) or context.is_year(norms, me) or (norms[ms] in context.RISK_PAST_OPENERS and matches[k][2] in context.PAST_EVENTS
                                                 and not flags[k]["hypothetical"]
                                                 and "if" not in norms[max(0, ms - 3):ms]):  # "what if I had a clot"
                flags[k]["historical"] = True
        for k in denied:  # "I can walk on it": the writer says they are able, so the inability is absent
            flags[k]["negated"] = True
        for k, (ms, me, label, _) in enumerate(matches):
            if label in context.INABILITY_IDS and context.only_with_pain(norms, me):
                flags[k]["negated"] = True  # "can't do a calf raise without it hurting": able, with pain
        proxy = any(f["other_person"] for f in flags) and context.is_proxy(norms)
        if proxy:
            context.carry_person(norms, mentions, flags)
        # span._.other_person is linguistic ("my husband's calf" is about someone else); who the patient is
        # (a parent writing only about their child) is decided from this flag by calfnlp's Assessment
        starts, lengths = doc.to_array(IDX_LENGTH).T.tolist()  # character offset and length of each token
        sides = SIDE_WORDS.intersection(norms)
        side_at = sorted([i for w in sides for i in context.positions(norms, w)]) if sides else ()
        compact = []
        for k, ((s, e, label, _), f) in enumerate(zip(matches, flags)):
            side = None
            if side_at:
                j = bisect_left(side_at, s - 3)
                if j < len(side_at) and side_at[j] < e:  # a side word within reach
                    side = _side(norms, s, e)
            if group is not None and (side is not None or any(f.values())):
                span = group[k]  # the defaults are False/None: touching only what is set keeps this fast
                for name, value in f.items():
                    if value:
                        span._.set(name, True)
                if side is not None:
                    span._.side = side
            # the flags in FLAGS order: negated, hypothetical, historical, other_person, uncertain
            compact.append((starts[s], starts[e - 1] + lengths[e - 1], label, *f.values(), side))
        doc.user_data[PROXY_KEY] = proxy
        # the same flags in one place, for calfnlp's own fast path (api._symptoms); span._ stays the interface
        doc.user_data[FLAGS_KEY] = tuple(compact)
        doc.user_data[TRIGGERS_KEY] = tuple([(t.start, t.end, t.category) for t in triggers])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """In batches, like calf_symptoms: the trigger tables stay in the CPU cache across a batch."""
        for batch in minibatch(docs, size=batch_size):
            for doc in batch:
                self(doc)
            yield from batch

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "context.jsonl", "w", encoding="utf-8") as fh:
            for r in self.rules:
                fh.write(json.dumps({"phrase": r.phrase, "category": r.category, "direction": r.direction,
                                     "max_gap": r.max_gap, "personal_blocks": r.personal_blocks,
                                     "not_after": list(r.not_after)}) + "\n")

    def from_disk(self, path, *, exclude: Iterable[str] = ()) -> "ContextTagger":
        self.rules = catalogue.parse_context(Path(path) / "context.jsonl")
        self._build()
        return self


LEFT = frozenset({"left", "l", "lft", "lt", "left-hand"})
RIGHT = frozenset({"right", "r", "rt", "rght", "right-hand"})
BOTH = frozenset({"both", "bilateral", "bilaterally", "two"})
SIDE_WORDS = LEFT | RIGHT | BOTH


def _side(norms: list[str], start: int, end: int) -> Optional[str]:
    """The side a finding is on: a left/right/both word just before it, or just after a place."""
    for i in range(start - 1, max(start - 4, -1), -1):
        w = norms[i]
        if w in LEFT:
            return "left"
        if w in RIGHT:
            return "right"
        if w in BOTH:
            return "both"
        if w in context.HARD_PUNCT or w == ",":
            break
    for i in range(start, end):
        w = norms[i]
        if w in LEFT:
            return "left"
        if w in RIGHT:
            return "right"
        if w in BOTH:
            return "both"
    return None


def _groups() -> dict[str, str]:
    global _GROUPS
    if _GROUPS is None:
        _GROUPS = catalogue.finding_groups()
    return _GROUPS


_GROUPS: Optional[dict[str, str]] = None


def _finding_to_json(f: FindingDef) -> dict:
    d = {"id": f.id, "group": f.group, "label": f.label, "phrases": list(f.phrases)}
    if f.near:
        d["near"] = [{"a": list(n.a), "b": list(n.b), "window": n.window} for n in f.near]
    if f.patterns:
        d["patterns"] = [json.loads(p) for p in f.patterns]
    if f.denied_by:
        d["denied_by"] = list(f.denied_by)
    return d


@Language.factory("calf_symptoms", assigns=["doc.spans", "token.norm"],
                  default_config={"spans_key": SPANS_KEY, "spelling": True, "spans": True})
def make_calf_symptoms(nlp: Language, name: str, spans_key: str, spelling: bool, spans: bool) -> SymptomMatcher:
    """`spans=False` leaves the findings only as plain data in doc.user_data (calfnlp's own fast path)."""
    return SymptomMatcher(nlp, name, spans_key, spelling=spelling, spans=spans)


@Language.factory("calf_context", assigns=[f"span._.{f}" for f in SPAN_FLAGS] + ["span._.side"],
                  requires=["doc.spans"], default_config={"spans_key": SPANS_KEY})
def make_calf_context(nlp: Language, name: str, spans_key: str) -> ContextTagger:
    return ContextTagger(nlp, name, spans_key)


class AssessmentComponent:
    """Run extraction (unless earlier components already did) and put the Assessment on
    `doc._.calf_assessment`."""

    def __init__(self, nlp: Language, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key
        self._nlp = nlp
        self._own: Optional[list[Callable[[Doc], Doc]]] = None

    def __call__(self, doc: Doc) -> Doc:
        self._assess([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """In batches: the cause model scores a batch at once."""
        for batch in minibatch(docs, size=batch_size):
            self._assess(batch)
            yield from batch

    def _assess(self, docs: list[Doc]) -> None:
        from .api import get_classifier

        for doc in docs:
            if self.spans_key not in doc.spans and MATCHES_KEY not in doc.user_data:
                if self._own is None:
                    self._own = [SymptomMatcher(self._nlp, spans_key=self.spans_key),
                                 ContextTagger(self._nlp, spans_key=self.spans_key)]
                for step in self._own:
                    doc = step(doc)
        for doc, assessment in zip(docs, get_classifier().assess_docs(docs, spans_key=self.spans_key)):
            doc._.calf_assessment = assessment


@Language.factory("calfnlp", assigns=["doc._.calf_assessment"], default_config={"spans_key": SPANS_KEY})
def make_calfnlp(nlp: Language, name: str, spans_key: str) -> AssessmentComponent:
    return AssessmentComponent(nlp, name, spans_key)
