"""Turning what people type into glossary terms: exact, fuzzy, ambiguous or miss.

The resolver is never confidently wrong by design: a fuzzy answer needs every word of the
query to match a word of the term (allowing a few typos per word, scaled by word length),
so "fine dining" or "transfer money" never come back as "Fine-Tuning" or "Transfer
Learning"; such queries get suggestions instead. All choices are folded once when the
index is built; a query is folded once and compared with rapidfuzz against only the keys
of similar length.
"""

from __future__ import annotations

import bisect
import math
import random
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.glossary.model import Glossary, Term
from bot.lookup.hangul import compatible, has_hangul
from bot.lookup.korean import KoreanIndex, KoreanMatch
from bot.lookup.normalize import clean, query_words, stem_key, stem_word, words

Status = Literal["exact", "fuzzy", "ambiguous", "miss"]

MAX_CHOICES = 5
MAX_SUGGESTIONS = 3
# Words that carry no meaning of their own in a query like "learning from feedback".
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "via",
        "what",
        "with",
    ]
)


# Words that leave a question about a term still about that term: "why does AI hallucinate".
GENERIC_WORDS = STOP_WORDS | frozenset(
    [
        "about",
        "ai",
        "can",
        "do",
        "doe",
        "does",
        "did",
        "explain",
        "exactly",
        "how",
        "i",
        "llm",
        "mean",
        "meaning",
        "ml",
        "model",
        "my",
        "our",
        "should",
        "someone",
        "tell",
        "their",
        "there",
        "use",
        "used",
        "using",
        "we",
        "when",
        "where",
        "which",
        "who",
        "why",
        "work",
        "you",
    ]
)


def allowed_typos(length: int) -> int:
    """How many edits (OSA: insert, delete, substitute, swap) a word of ``length`` may have.

    One edit per five letters: "lorra" and "embeding" get one, "quantisaton" two; shorter
    words must be spelled right (a swap in a four-letter acronym is handled separately).
    """
    return length // 5


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A term offered as a choice, with a 0-100 score."""

    id: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer to one query."""

    query: str
    status: Status
    term: Term | None = None
    suggestions: tuple[Suggestion, ...] = ()
    matched: str | None = None

    @property
    def confident(self) -> bool:
        return self.status in ("exact", "fuzzy")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A term found by :meth:`Resolver.search`, with a 0-100 relevance score."""

    term: Term
    score: float


@dataclass(frozen=True, slots=True)
class _Partial:
    term_id: str
    label: str
    full: bool
    omits_generic: bool
    coverage: float
    score: float

    @property
    def rank(self) -> tuple[bool, float]:
        return (not self.full, -self.coverage)


@dataclass(frozen=True, slots=True)
class _Label:
    term_id: str
    text: str
    words: tuple[str, ...]
    key: str


class Resolver:
    """An index over one glossary; build it once per glossary, then query it from any thread."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._by_key: dict[str, _Label] = {}
        self._by_stem: dict[str, set[str]] = defaultdict(set)
        self._labels_by_word: dict[str, list[_Label]] = defaultdict(list)
        self._vocab_by_stem: dict[str, set[str]] = defaultdict(set)
        self._search_index: dict[str, dict[str, float]] | None = None
        self._search_lock = threading.Lock()
        self._idf: dict[str, float] = {}
        self._max_label_words = 1
        for term in glossary.terms.values():
            for text in term.labels:
                label_words = words(text)
                if not label_words:
                    continue
                label = _Label(term.id, text, label_words, "".join(label_words))
                self._by_key.setdefault(label.key, label)
                self._by_stem[stem_key(label_words)].add(term.id)
                self._max_label_words = max(self._max_label_words, len(label_words))
                for word in set(label_words):
                    self._labels_by_word[word].append(label)
        self._keys = _NearIndex(self._by_key)
        self._vocab = _NearIndex(self._labels_by_word)
        self._terms_per_word = {
            word: len({label.term_id for label in labels})
            for word, labels in self._labels_by_word.items()
        }
        for word in self._labels_by_word:
            self._vocab_by_stem[stem_word(word)].add(word)
        self._word_matches = lru_cache(maxsize=8192)(self._find_word_matches)
        # Queries with Hangul go to the Korean index (names and aliases of both languages).
        self._korean = KoreanIndex(glossary)

    # -- lookup ---------------------------------------------------------------------------

    def names_a_term(self, text: str) -> bool:
        """True if ``text`` is exactly a name or alias (after folding), in either language."""
        text = clean(text)
        if has_hangul(text):
            return self._korean.names_a_term(text)
        return "".join(query_words(text)) in self._by_key

    def resolve(self, query: str) -> Resolution:
        """Find the term ``query`` means, or say it is ambiguous or missing."""
        text = clean(query)
        if has_hangul(text):
            text = compatible(text)
            return self._from_korean(text, self._korean.resolve(text))
        qwords = query_words(text)
        if not qwords:
            return Resolution(text, "miss")
        qkey = "".join(qwords)

        label = self._by_key.get(qkey)
        if label is not None:
            return self._answer(text, "exact", label.term_id, label.text, 100.0)

        same_stem = self._by_stem.get(stem_key(qwords))
        if same_stem:
            ranked = sorted(same_stem, key=lambda i: self.glossary.terms[i].name)
            if len(ranked) == 1:
                return self._answer(
                    text, "fuzzy", ranked[0], self.glossary.terms[ranked[0]].name, 95.0
                )
            return self._choices(text, [(i, 95.0) for i in ranked])

        if len(qwords) == 1:
            near = self._near_labels(qkey)
            if near:
                best_terms = _best_per_term(near)
                (first_id, (first_distance, first_score, first_text)), *rest = best_terms
                if not rest or rest[0][1][0] > first_distance:
                    return self._answer(text, "fuzzy", first_id, first_text, first_score)
                return self._choices(text, [(i, s) for i, (_, s, _) in best_terms])

        content = [w for w in qwords if w not in STOP_WORDS] or list(qwords)
        # A short word that matches nothing ("wht", "nxt") is skipped, but then we only ask.
        understood = [w for w in content if len(w) > 3 or self._word_matches(w)] or content
        partial = self._partial_matches(understood, qkey)
        if partial:
            full = [p for p in partial if p.full]
            best = partial[0]
            sure = len(understood) == len(content)
            if sure and (
                len(full) == 1 or (len(partial) == 1 and best.omits_generic and len(qkey) >= 5)
            ):
                winner = full[0] if full else best
                return self._answer(text, "fuzzy", winner.term_id, winner.label, winner.score)
            return self._choices(text, [(p.term_id, p.score) for p in partial])

        named, only_generic_besides = self._named_in_query(qwords)
        if len(named) == 1 and only_generic_besides:
            return self._answer(text, "fuzzy", named[0].id, named[0].name, 90.0)
        if named:
            return self._choices(text, [(t.id, 80.0 - i) for i, t in enumerate(named)])

        return Resolution(text, "miss", suggestions=self._suggest(text, content))

    def _from_korean(self, text: str, match: KoreanMatch) -> Resolution:
        """The Korean index's finding as a resolution."""
        if match.status in ("exact", "fuzzy"):
            term_id, score = match.ranked[0]
            return self._answer(text, match.status, term_id, match.matched or "", score)
        if match.status == "ambiguous":
            return self._choices(text, match.ranked)
        suggestions = tuple(
            Suggestion(i, self.glossary.terms[i].name, s) for i, s in match.ranked[:MAX_SUGGESTIONS]
        )
        return Resolution(text, "miss", suggestions=suggestions)

    def _named_in_query(self, qwords: tuple[str, ...]) -> tuple[list[Term], bool]:
        """Terms named inside a longer query, and whether all its other words are generic.

        "why does AI hallucinate" names Hallucination among generic words: an answer.
        "attention span" names Attention beside a word of its own: only a "did you mean".
        """
        spans = self._mention_spans(qwords)
        covered = {i for start, end, _ in spans for i in range(start, end)}
        rest = [w for i, w in enumerate(qwords) if i not in covered]
        named = list(dict.fromkeys(self.glossary.terms[t] for _, _, t in spans))
        return named, all(w in GENERIC_WORDS for w in rest)

    def _answer(
        self, text: str, status: Status, term_id: str, matched: str, score: float
    ) -> Resolution:
        term = self.glossary.terms[term_id]
        return Resolution(
            text, status, term, (Suggestion(term.id, term.name, score),), matched=matched
        )

    def _choices(self, text: str, ranked: Sequence[tuple[str, float]]) -> Resolution:
        seen: dict[str, float] = {}
        for term_id, score in ranked:
            seen.setdefault(term_id, score)
        choices = tuple(
            Suggestion(i, self.glossary.terms[i].name, s)
            for i, s in list(seen.items())[:MAX_CHOICES]
        )
        return Resolution(text, "ambiguous", suggestions=choices)

    def _near_labels(self, qkey: str) -> list[tuple[_Label, int, float]]:
        """Labels within the typo allowance of a one-word query."""
        return [
            (self._by_key[choice], distance, fuzz.ratio(qkey, choice))
            for choice, distance in self._keys.near(qkey)
        ]

    def _find_word_matches(self, word: str) -> frozenset[str]:
        """Label words that ``word`` may stand for: itself, the same stem, a near spelling,
        or a longer word it abbreviates ("spec" for "speculative")."""
        found = {word} if word in self._labels_by_word else set()
        stem = stem_word(word)
        if len(stem) >= 4:
            found |= self._vocab_by_stem.get(stem, set())
        found.update(choice for choice, _ in self._vocab.near(word))
        if len(word) >= 4:
            found.update(self._vocab.starting_with(word))
        return frozenset(found)

    def _partial_matches(self, content: list[str], qkey: str) -> list[_Partial]:
        """Terms with a label that contains (a spelling of) every content word.

        Full matches (the query names every word of the label, typos allowed) come first,
        then by coverage. A partial match may be an answer only when the words it leaves
        out are generic ones, shared by several terms ("induction" leaves out "heads").
        """
        per_word = [self._word_matches(w) for w in content]
        if not all(per_word):
            return []
        used_words = frozenset().union(*per_word)
        candidates: dict[str, _Partial] = {}
        query_length = sum(len(w) for w in content)
        for label in {lab for w in per_word[0] for lab in self._labels_by_word[w]}:
            label_words = set(label.words)
            if not all(matches & label_words for matches in per_word[1:]):
                continue
            omitted = label_words - used_words
            coverage = min(1.0, query_length / len(label.key))
            found = _Partial(
                term_id=label.term_id,
                label=label.text,
                full=not omitted,
                omits_generic=all(self._terms_per_word[w] >= 2 for w in omitted),
                coverage=coverage,
                score=round(fuzz.ratio(qkey, label.key) if not omitted else 100 * coverage, 1),
            )
            current = candidates.get(label.term_id)
            if current is None or found.rank < current.rank:
                candidates[label.term_id] = found
        return sorted(
            candidates.values(), key=lambda p: (p.rank, self.glossary.terms[p.term_id].name)
        )

    def _suggest(self, text: str, content: list[str]) -> tuple[Suggestion, ...]:
        """The closest terms for a miss: terms sharing a word, then similar-looking names."""
        scores: dict[str, float] = {}
        for word in (w for w in content if len(w) > 1 and not w.isdigit()):
            for match in self._word_matches(word):
                for label in self._labels_by_word[match]:
                    share = len(match) / max(len(label.key), 1)
                    scores[label.term_id] = max(scores.get(label.term_id, 0.0), 50 + 40 * share)
        if len(scores) < MAX_SUGGESTIONS and len(content) == 1:
            qkey = "".join(query_words(text))
            for choice, _ in self._keys.near(qkey, extra=1):
                score = fuzz.ratio(qkey, choice)
                term_id = self._by_key[choice].term_id
                scores[term_id] = max(scores.get(term_id, 0.0), round(score * 0.8, 1))
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.glossary.terms[kv[0]].name))
        return tuple(
            Suggestion(i, self.glossary.terms[i].name, round(s, 1))
            for i, s in ranked[:MAX_SUGGESTIONS]
        )

    # -- search and mentions --------------------------------------------------------------

    def _search_postings(self) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
        """The word index over names and definitions, built on the first search (not at start)."""
        with self._search_lock:
            if self._search_index is None:
                index: dict[str, dict[str, float]] = defaultdict(dict)
                for term in self.glossary.terms.values():
                    weights: dict[str, float] = defaultdict(float)
                    for label in term.labels:
                        for word in words(label):
                            weights[stem_word(word)] = 3.0
                    body = " ".join([term.definition, term.details or "", *term.examples])
                    for word in words(body):
                        if word not in STOP_WORDS:
                            weights[stem_word(word)] = max(weights[stem_word(word)], 1.0)
                    for stem, weight in weights.items():
                        index[stem][term.id] = weight
                self._idf = {
                    stem: math.log(1 + len(self.glossary.terms) / len(postings))
                    for stem, postings in index.items()
                }
                self._search_index = dict(index)
            return self._search_index, self._idf

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Terms whose names, aliases or definitions mention the words, most relevant first."""
        postings, idf = self._search_postings()
        content = [w for w in query_words(clean(text)) if w not in STOP_WORDS]
        totals: dict[str, float] = defaultdict(float)
        for word in content:
            stems = {stem_word(word)}
            if stem_word(word) not in postings:
                stems |= {stem_word(m) for m in self._word_matches(word)}
            for stem in stems:
                for term_id, weight in postings.get(stem, {}).items():
                    totals[term_id] += weight * idf[stem]
        if not totals:
            return []
        best = max(totals.values())
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], self.glossary.terms[kv[0]].name))
        return [
            SearchHit(self.glossary.terms[i], round(100 * s / best, 1)) for i, s in ranked[:limit]
        ]

    def mentions(self, text: str) -> list[Term]:
        """Glossary terms named in a piece of text, in order of first mention."""
        spans = self._mention_spans(words(text))
        return list(dict.fromkeys(self.glossary.terms[term_id] for _, _, term_id in spans))

    def _mention_spans(self, tokens: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """(start, end, term id) of each name or alias in ``tokens``, longest match first."""
        spans = []
        index = 0
        while index < len(tokens):
            for size in range(min(self._max_label_words, len(tokens) - index), 0, -1):
                window = tokens[index : index + size]
                label = self._by_key.get("".join(window))
                term_id = label.term_id if label else None
                if term_id is None and len(window[-1]) >= 5:
                    stemmed = self._by_stem.get(stem_key(window))
                    term_id = next(iter(stemmed)) if stemmed and len(stemmed) == 1 else None
                if term_id is not None:
                    spans.append((index, index + size, term_id))
                    index += size
                    break
            else:
                index += 1
        return spans

    def random_term(self, rng: random.Random | None = None) -> Term:
        """Any term, for ``/lingo random``."""
        return (rng or random).choice(list(self.glossary.terms.values()))


_TWO_LETTER_ENDS = 5  # strings this long are bucketed by their first and last two letters


def _close(a: str, b: str, distance: int) -> bool:
    """Within the typo allowance of the longer word, or one swap in a four-letter word."""
    if distance <= allowed_typos(max(len(a), len(b))):
        return True
    return distance == 1 and len(a) == len(b) == 4 and sorted(a) == sorted(b)


class _NearIndex:
    """Strings bucketed by length and by how they begin and end, for typo search.

    A typo rarely hits both ends of a word, so searching the bucket of strings that begin
    like the query and the bucket of those that end like it finds nearly every near
    spelling while comparing a small share of the strings. Longer strings are bucketed by
    two letters at each end, shorter ones by one.
    """

    def __init__(self, strings: Iterable[str]) -> None:
        self._buckets: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        self._sorted = sorted(strings)
        for text in self._sorted:
            for size in (1, 2):
                self._buckets["^", text[:size], len(text)].append(text)
                self._buckets["$", text[-size:], len(text)].append(text)

    def near(self, text: str, extra: int = 0) -> list[tuple[str, int]]:
        """Strings within the typo allowance (plus ``extra`` edits) of ``text``, with distances."""
        limit = max(allowed_typos(len(text) + 1) + extra, 1)
        found: dict[str, int] = {}
        for length in range(len(text) - limit, len(text) + limit + 1):
            size = 2 if min(length, len(text)) >= _TWO_LETTER_ENDS else 1
            for bucket in (
                self._buckets.get(("^", text[:size], length)),
                self._buckets.get(("$", text[-size:], length)),
            ):
                for choice, distance, _ in process.extract(
                    text, bucket or (), scorer=OSA.distance, score_cutoff=limit, limit=None
                ):
                    if extra or _close(text, choice, int(distance)):
                        found[choice] = int(distance)
        return sorted(found.items(), key=lambda item: (item[1], item[0]))

    def starting_with(self, prefix: str, most: int = 20) -> list[str]:
        """Longer strings that begin with ``prefix``."""
        start = bisect.bisect_right(self._sorted, prefix)
        found = []
        for text in self._sorted[start : start + most]:
            if not text.startswith(prefix):
                break
            found.append(text)
        return found


def _best_per_term(
    near: list[tuple[_Label, int, float]],
) -> list[tuple[str, tuple[int, float, str]]]:
    best: dict[str, tuple[int, float, str]] = {}
    for label, distance, score in near:
        current = best.get(label.term_id)
        if current is None or (distance, -score) < (current[0], -current[1]):
            best[label.term_id] = (distance, score, label.text)
    return sorted(best.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
