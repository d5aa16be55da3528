"""Ranking glossary entries by what they say: BM25 over weighted fields (BM25F).

A person who does not know a term's name describes it ("model making stuff up") or asks
about it ("why do llms hallucinate"). Each term is one document made of its fields, and a
word found in a field counts that field's weight times: the phrasings people type
(``asked_as``), the name and aliases and the definition count more than the details and
examples. Scores use BM25's saturation (a word repeated ten times is not ten times the
evidence) and length normalisation (a long entry does not win by being long). Words are
the ranking tokens of :func:`bot.lookup.normalize.tokens`, the same for entries and queries.

Everything a query needs is computed when the index is built: each token's posting list
holds every term's finished contribution, so a query only adds up a few short lists.
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.glossary.model import Term
from bot.lookup.normalize import token_spans, tokens

# How much a word counts in each field of an entry.
FIELD_WEIGHTS = {
    "name": 3.0,
    "asked_as": 3.0,
    "definition": 2.0,
    "details": 1.0,
    "examples": 1.0,
}
STRONG_FIELDS = frozenset({"name", "asked_as", "definition"})
K1 = 1.2
B = 0.75
# A token in nearly every entry ("model" in an LLM glossary) scores almost nothing; skipping
# it keeps queries fast at 10,000 terms without changing any ranking noticeably.
MIN_IDF = 0.05
# The same for two words side by side: a pair found in more than about a third of all
# entries (IDF below 1) is a stock phrase ("et al") that says nothing of which one is meant.
MIN_PAIR_IDF = 1.0
# How many entries a word's postings keep, those it weighs most in (see TermIndex): ranking
# is exact while no word is in more entries, and at 10,000 terms a query of common words
# adds up a few short lists (bench/resolver.py). On the glossary the quality sets are graded
# on (139 terms) the first choices are the same as exact ranking's (tests/lookup/test_ranking.py).
MAX_POSTINGS = 128
# The same for two words side by side, weaker evidence (PAIR_WEIGHT) that only sharpens the
# order of entries the words found: a pair keeps the 32 entries it weighs most in.
MAX_PAIR_POSTINGS = 32
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Two query words side by side in an entry ("rounding weights", "draft tokens") are more
# evidence than the same words apart; each adjacent pair is also indexed, at this weight.
PAIR_WEIGHT = 0.5


def _best(totals: dict[str, float], limit: int) -> list[tuple[str, float]]:
    """The ``limit`` highest scores, highest first (ties: the greater id first): the scores
    are compared alone first, so only the few at or above the last place are sorted."""
    if len(totals) > limit:
        last = heapq.nlargest(limit, totals.values())[-1]
        totals = {term_id: score for term_id, score in totals.items() if score >= last}
    return sorted(totals.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:limit]


_NO_POSTINGS: tuple[tuple[str, ...], tuple[float, ...]] = ((), ())


def _merge(
    into: dict[str, float],
    ids: Sequence[str],
    values: Sequence[float],
    combine: Callable[[float, float], float],
) -> None:
    """``into[id] = combine(into.get(id, 0.0), value)`` for each id (the ids are distinct),
    written with ``map`` so the loop runs in C: a posting list is read in one pass."""
    into.update(
        zip(ids, map(combine, map(into.get, ids, itertools.repeat(0.0)), values), strict=True)
    )


def _pairs(found: tuple[str, ...]) -> list[str]:
    """Adjacent token pairs, as index tokens of their own (a space never occurs in a token)."""
    return [f"{a} {b}" for a, b in itertools.pairwise(found)]


@dataclass(frozen=True, slots=True)
class Snippet:
    """The phrase of an entry that matched a query, with the spans of the matching words;
    renderers name its ``field`` in the reader's language (catalogue key ``match.<field>``)."""

    field: str
    text: str
    bold: tuple[tuple[int, int], ...]

    def worth_showing(self, name: str) -> bool:
        """False when the phrase is just the name already shown beside it."""
        return not (self.field == "name" and self.text == name)

    def pieces(self, limit: int = 200) -> list[tuple[str, bool]]:
        """The phrase as (text, matched) pieces, cut to about ``limit`` characters around the
        first matching word ("…" marks a cut); renderers mark the matched pieces.

        A matched piece is always a whole word: a match inside one (a Korean stem before its
        particle, "가중치" in "가중치를") takes the word's other letters with it, since Slack
        shows ``*가중치*를`` with its asterisks instead of in bold."""
        text, bold = self.text, _whole_words(self.text, self.bold)
        start = 0
        if len(text) > limit and bold:
            start = max(0, min(bold[0][0] - limit // 4, len(text) - limit))
        end = min(len(text), start + limit)
        found: list[tuple[str, bool]] = [("…", False)] if start else []
        at = start
        for left, right in bold:
            if left < at or right > end:
                continue
            found += [(text[at:left], False), (text[left:right], True)]
            at = right
        found.append((text[at:end], False))
        if end < len(text):
            found.append(("…", False))
        return [(" ".join(piece.split(" ")), matched) for piece, matched in found if piece]


def merged_spans(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Spans in order, overlapping ones joined (two words may match the same text)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _whole_words(text: str, spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``spans`` widened to the letters and digits around them, merged, in order."""
    widened = []
    for left, right in spans:
        while left > 0 and text[left - 1].isalnum():
            left -= 1
        while right < len(text) and text[right].isalnum():
            right += 1
        widened.append((left, right))
    return merged_spans(widened)


@dataclass(frozen=True, slots=True)
class Ranked:
    """A term's score for a query, and the share of the query's evidence it covers (0-1)."""

    term_id: str
    score: float
    coverage: float
    strong_coverage: float
    name_coverage: float = 0.0
    words_found: int = 0


def term_fields(term: Term, lang: str = "en") -> list[tuple[str, str]]:
    """(field, text) of every phrase of an entry that ranking reads, field by field; in
    another language, its translation's phrases (and the English names, which Korean text
    uses as they are: "LoRA"), or nothing when the term is not translated."""
    if lang != "en":
        text = term.translations.get(lang)
        if text is None:
            return []
        found = [("name", label) for label in (*text.labels, *term.labels)]
        found += [("asked_as", phrase) for phrase in text.asked_as]
        found += [("definition", s) for s in _SENTENCE_END.split(text.definition) if s]
        if text.details:
            found += [("details", s) for s in _SENTENCE_END.split(text.details) if s]
        return found
    found = [("name", label) for label in term.labels]
    found += [("asked_as", phrase) for phrase in term.asked_as]
    found += [("definition", s) for s in _SENTENCE_END.split(term.definition) if s]
    if term.details:
        found += [("details", s) for s in _SENTENCE_END.split(term.details) if s]
    found += [("examples", example) for example in term.examples]
    return found


class TermIndex:
    """A BM25F index over the entries of one glossary (``max_postings`` and
    ``max_pair_postings``: see MAX_POSTINGS and MAX_PAIR_POSTINGS)."""

    def __init__(
        self,
        terms: Iterable[Term],
        *,
        max_postings: int = MAX_POSTINGS,
        max_pair_postings: int = MAX_PAIR_POSTINGS,
    ) -> None:
        self._fields = {term.id: tuple(term_fields(term)) for term in terms}
        weighted: dict[str, dict[str, float]] = {}
        strong: dict[str, set[str]] = {}
        names: dict[str, frozenset[str]] = {}
        lengths: dict[str, float] = {}
        # For each entry, which of its phrases (by position) hold each token, for snippets;
        # equal position tuples are shared.
        self._where: dict[str, dict[str, tuple[int, ...]]] = {}
        shared: dict[tuple[int, ...], tuple[int, ...]] = {}
        for term_id, fields in self._fields.items():
            counts: dict[str, float] = defaultdict(float)
            in_strong: set[str] = set()
            in_name: set[str] = set()
            where: dict[str, list[int]] = defaultdict(list)
            length = 0.0
            for position, (field, text) in enumerate(fields):
                weight = FIELD_WEIGHTS[field]
                found = tokens(text)
                for token in dict.fromkeys(found):
                    where[token].append(position)
                for token in found:
                    counts[token] += weight
                    length += weight
                    if field in STRONG_FIELDS:
                        in_strong.add(token)
                    if field == "name":
                        in_name.add(token)
                for pair in _pairs(found):
                    counts[pair] += weight * PAIR_WEIGHT
            weighted[term_id], strong[term_id], lengths[term_id] = counts, in_strong, length
            names[term_id] = frozenset(in_name)
            self._where[term_id] = kept = {}
            for token, at in where.items():
                positions = tuple(at)
                kept[token] = shared.setdefault(positions, positions)
        count = max(len(self._fields), 1)
        average = sum(lengths.values()) / count or 1.0
        document_frequency: dict[str, int] = defaultdict(int)
        for counts in weighted.values():
            for token in counts:
                document_frequency[token] += 1
        self.idf = {
            token: math.log(1 + (count - df + 0.5) / (df + 0.5))
            for token, df in document_frequency.items()
        }
        self.unknown_idf = math.log(1 + (count + 0.5) / 0.5)
        postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for term_id, counts in weighted.items():
            norm = K1 * (1 - B + B * lengths[term_id] / average)
            for token, tf in counts.items():
                idf = self.idf[token]
                if idf >= (MIN_PAIR_IDF if " " in token else MIN_IDF):
                    postings[token].append((term_id, idf * tf * (K1 + 1) / (tf + norm)))
        # Impact-ordered pruning: a word in more than ``max_postings`` entries keeps only the
        # entries it weighs most in (its BM25 contribution), so ranking a query of common
        # words stays cheap in a large glossary. Coverage (which words an entry holds)
        # still sees every entry.
        self._postings: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
        for token, entries in postings.items():
            most = max_pair_postings if " " in token else max_postings
            if len(entries) > most:
                entries = heapq.nlargest(most, entries, key=lambda e: (e[1], e[0]))
            ids, contributions = zip(*entries, strict=True)
            self._postings[token] = ids, contributions
        self._strong = strong
        self._names = names

    def __contains__(self, token: str) -> bool:
        return token in self.idf

    def rank(self, query: Sequence[Sequence[str]], limit: int = 10) -> list[Ranked]:
        """The best ``limit`` terms for a query, best first.

        The query is one group of tokens per word: the word's own token, then any it may
        stand for (the name words a typo or abbreviation may mean). Every token scores; for
        coverage a word counts once, as found when any token of its group is.
        """
        groups = [tuple(dict.fromkeys(g)) for g in query if g]
        if not groups:
            return []
        totals: dict[str, float] = {}
        # A word said twice counts twice, but its postings are read once.
        repeated = Counter([*groups, *((p,) for p in _pairs(tuple(g[0] for g in groups)))])
        for group, times in repeated.items():
            if len(group) == 1:
                ids, contributions = self._postings.get(group[0], _NO_POSTINGS)
            else:
                best: dict[str, float] = {}  # a word counts once for a term, by its best reading
                for token in group:
                    _merge(best, *self._postings.get(token, _NO_POSTINGS), max)
                ids, contributions = tuple(best), tuple(best.values())
            if times > 1:
                contributions = tuple(c * times for c in contributions)
            _merge(totals, ids, contributions, operator.add)
        if not totals:
            return []
        evidence = [max(self.idf.get(t, self.unknown_idf) for t in g) for g in groups]
        whole = sum(evidence)
        top = _best(totals, limit)
        ranked = []
        weighed = list(zip(groups, evidence, strict=True))
        for term_id, score in top:
            present, strong = self._where[term_id].keys(), self._strong[term_id]
            found = [e for g, e in weighed if not present.isdisjoint(g)]
            sure = [e for g, e in weighed if not strong.isdisjoint(g)]
            name = self._names[term_id]
            named = [e for g, e in weighed if not name.isdisjoint(g)]
            ranked.append(
                Ranked(
                    term_id,
                    round(score, 3),
                    sum(found) / whole,
                    sum(sure) / whole,
                    sum(named) / whole,
                    len(found),
                )
            )
        return ranked

    def snippet(self, term_id: str, query_tokens: Sequence[str]) -> Snippet | None:
        """The phrase of the entry that best explains why it matched, its words marked: the
        phrase whose matching words weigh most (IDF times the field's weight), the first of
        equals."""
        where = self._where.get(term_id)
        if where is None:
            return None
        wanted = dict.fromkeys(query_tokens)
        matched: dict[int, list[float]] = defaultdict(list)  # phrase position: IDFs found
        for token in wanted:
            for position in where.get(token, ()):
                matched[position].append(self.idf[token])
        if not matched:
            return None
        fields = self._fields[term_id]
        # Summed exactly (fsum), so that equal phrases tie whatever the order of their words.
        best = max(
            sorted(matched), key=lambda at: FIELD_WEIGHTS[fields[at][0]] * math.fsum(matched[at])
        )
        field, text = fields[best]
        return Snippet(field, text, tuple((s, e) for s, e, t in token_spans(text) if t in wanted))
