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
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
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
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class Snippet:
    """The phrase of an entry that matched a query, with the spans of the matching words."""

    field: str
    text: str
    bold: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Ranked:
    """A term's score for a query, and the share of the query's evidence it covers (0-1)."""

    term_id: str
    score: float
    coverage: float
    strong_coverage: float


def term_fields(term: Term) -> list[tuple[str, str]]:
    """(field, text) of every phrase of an entry that ranking reads, field by field."""
    found = [("name", label) for label in term.labels]
    found += [("asked_as", phrase) for phrase in term.asked_as]
    found += [("definition", s) for s in _SENTENCE_END.split(term.definition) if s]
    if term.details:
        found += [("details", s) for s in _SENTENCE_END.split(term.details) if s]
    found += [("examples", example) for example in term.examples]
    return found


class TermIndex:
    """A BM25F index over the entries of one glossary."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._terms = {term.id: term for term in terms}
        weighted: dict[str, dict[str, float]] = {}
        strong: dict[str, set[str]] = {}
        lengths: dict[str, float] = {}
        for term in self._terms.values():
            counts: dict[str, float] = defaultdict(float)
            in_strong: set[str] = set()
            length = 0.0
            for field, text in term_fields(term):
                weight = FIELD_WEIGHTS[field]
                for token in tokens(text):
                    counts[token] += weight
                    length += weight
                    if field in STRONG_FIELDS:
                        in_strong.add(token)
            weighted[term.id], strong[term.id], lengths[term.id] = counts, in_strong, length
        count = max(len(self._terms), 1)
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
                if idf >= MIN_IDF:
                    postings[token].append((term_id, idf * tf * (K1 + 1) / (tf + norm)))
        self._postings = dict(postings)
        self._strong = strong
        self._present = {term_id: frozenset(counts) for term_id, counts in weighted.items()}

    def __contains__(self, token: str) -> bool:
        return token in self.idf

    def rank(self, query_tokens: Sequence[str], limit: int = 10) -> list[Ranked]:
        """The best ``limit`` terms for the query's tokens, best first."""
        wanted = list(dict.fromkeys(query_tokens))
        if not wanted:
            return []
        totals: dict[str, float] = defaultdict(float)
        for token in wanted:
            for term_id, contribution in self._postings.get(token, ()):
                totals[term_id] += contribution
        if not totals:
            return []
        evidence = {t: self.idf.get(t, self.unknown_idf) for t in wanted}
        whole = sum(evidence.values())
        best = heapq.nlargest(limit, totals.items(), key=lambda kv: (kv[1], kv[0]))
        ranked = []
        for term_id, score in best:
            strong = self._strong[term_id]
            present = [t for t in wanted if t in self._present[term_id]]
            ranked.append(
                Ranked(
                    term_id,
                    round(score, 3),
                    sum(evidence[t] for t in present) / whole,
                    sum(evidence[t] for t in present if t in strong) / whole,
                )
            )
        return ranked

    def snippet(self, term_id: str, query_tokens: Sequence[str]) -> Snippet | None:
        """The phrase of the entry that best explains why it matched, its words marked."""
        term = self._terms.get(term_id)
        if term is None:
            return None
        wanted = set(query_tokens)
        best: tuple[float, int, Snippet] | None = None
        for order, (field, text) in enumerate(term_fields(term)):
            spans = [(s, e, t) for s, e, t in token_spans(text) if t in wanted]
            if not spans:
                continue
            value = sum(self.idf.get(t, 0.0) for t in {t for _, _, t in spans})
            value *= FIELD_WEIGHTS[field]
            if best is None or (value, -order) > (best[0], -best[1]):
                best = (value, order, Snippet(field, text, tuple((s, e) for s, e, _ in spans)))
        return best[2] if best else None
