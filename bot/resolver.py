"""Turning what people type into glossary terms: exact, fuzzy, ambiguous or miss.

The resolver is never confidently wrong by design: a fuzzy answer needs every word of the
query to match a word of the term (allowing a few typos per word, scaled by word length),
so "fine dining" or "transfer money" never come back as "Fine-Tuning" or "Transfer
Learning"; such queries get suggestions instead. All choices are folded once when the
index is built; a query is folded once and compared with rapidfuzz against only the keys
of similar length.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.glossary.model import Glossary, Term
from bot.normalize import clean, query_words, stem_key, stem_word, words

Status = Literal["exact", "fuzzy", "ambiguous", "miss"]

MAX_CHOICES = 5
MAX_SUGGESTIONS = 3
# Words that carry no meaning of their own in a query like "learning from feedback".
STOP_WORDS = frozenset(
    "a an and are as at by for from in into is of on or the to vs via what with".split()
)


# Words that leave a question about a term still about that term: "why does AI hallucinate".
GENERIC_WORDS = STOP_WORDS | frozenset(
    "about ai can do doe does did explain exactly how i llm mean meaning ml model my our "
    "should someone tell their there use used using we when where which who why work you".split()
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
        self._keys_by_length: dict[int, list[str]] = defaultdict(list)
        self._four_letter_keys: dict[str, list[str]] = defaultdict(list)
        self._labels_by_word: dict[str, list[_Label]] = defaultdict(list)
        self._vocab_by_length: dict[int, list[str]] = defaultdict(list)
        self._vocab_by_stem: dict[str, set[str]] = defaultdict(set)
        self._search_index: dict[str, dict[str, float]] = defaultdict(dict)
        self._max_label_words = 1
        for term in glossary.terms.values():
            for text in term.labels:
                label_words = words(text)
                if not label_words:
                    continue
                label = _Label(term.id, text, label_words, "".join(label_words))
                if label.key not in self._by_key:
                    self._by_key[label.key] = label
                    self._keys_by_length[len(label.key)].append(label.key)
                    if len(label.key) == 4:
                        self._four_letter_keys["".join(sorted(label.key))].append(label.key)
                self._by_stem[stem_key(label_words)].add(term.id)
                self._max_label_words = max(self._max_label_words, len(label_words))
                for word in set(label_words):
                    self._labels_by_word[word].append(label)
            self._index_for_search(term)
        self._all_keys = list(self._by_key)
        self._terms_per_word = {
            word: len({label.term_id for label in labels})
            for word, labels in self._labels_by_word.items()
        }
        for word in self._labels_by_word:
            self._vocab_by_length[len(word)].append(word)
            self._vocab_by_stem[stem_word(word)].add(word)
        self._idf = {
            stem: math.log(1 + len(glossary.terms) / len(postings))
            for stem, postings in self._search_index.items()
        }

    # -- lookup ---------------------------------------------------------------------------

    def names_a_term(self, text: str) -> bool:
        """True if ``text`` is exactly a name or alias (after folding)."""
        return "".join(query_words(clean(text))) in self._by_key

    def resolve(self, query: str) -> Resolution:
        """Find the term ``query`` means, or say it is ambiguous or missing."""
        text = clean(query)
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
                return self._answer(text, "fuzzy", ranked[0], self.glossary.terms[ranked[0]].name, 95.0)
            return self._choices(text, [(i, 95.0) for i in ranked])

        near = self._near_labels(qkey, qwords)
        if near:
            best_terms = _best_per_term(near)
            (first_id, (first_distance, first_score, first_text)), *rest = best_terms
            if not rest or rest[0][1][0] > first_distance:
                return self._answer(text, "fuzzy", first_id, first_text, first_score)
            return self._choices(text, [(i, s) for i, (_, s, _) in best_terms])

        content = [w for w in qwords if w not in STOP_WORDS] or list(qwords)
        partial = self._partial_matches(content)
        if partial:
            (only_id, (coverage, only_text, omits_generic)), *others = partial
            if not others and omits_generic and len(qkey) >= 5:
                return self._answer(text, "fuzzy", only_id, only_text, round(100 * coverage, 1))
            return self._choices(text, [(i, round(100 * c[0], 1)) for i, c in partial])

        named, only_generic_besides = self._named_in_query(qwords)
        if len(named) == 1 and only_generic_besides:
            return self._answer(text, "fuzzy", named[0].id, named[0].name, 90.0)
        if named:
            return self._choices(text, [(t.id, 80.0 - i) for i, t in enumerate(named)])

        return Resolution(text, "miss", suggestions=self._suggest(text, content))

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

    def _answer(self, text: str, status: Status, term_id: str, matched: str, score: float) -> Resolution:
        term = self.glossary.terms[term_id]
        return Resolution(
            text, status, term, (Suggestion(term.id, term.name, score),), matched=matched
        )

    def _choices(self, text: str, ranked: Sequence[tuple[str, float]]) -> Resolution:
        seen: dict[str, float] = {}
        for term_id, score in ranked:
            seen.setdefault(term_id, score)
        choices = tuple(
            Suggestion(i, self.glossary.terms[i].name, s) for i, s in list(seen.items())[:MAX_CHOICES]
        )
        return Resolution(text, "ambiguous", suggestions=choices)

    def _near_labels(self, qkey: str, qwords: tuple[str, ...]) -> list[tuple[_Label, int, float]]:
        """Labels within the typo allowance of the whole query; every query word must agree."""
        found = self._swapped_letters(qkey) if len(qkey) == 4 else []
        limit = allowed_typos(len(qkey) + 1)
        for length in range(len(qkey) - limit, len(qkey) + limit + 1) if limit else ():
            choices = self._keys_by_length.get(length)
            if not choices:
                continue
            for choice, distance, _ in process.extract(
                qkey, choices, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if distance > allowed_typos(max(len(qkey), len(choice))):
                    continue
                label = self._by_key[choice]
                if len(qwords) > 1 and not _words_agree(qwords, label.words):
                    continue
                found.append((label, int(distance), fuzz.ratio(qkey, choice)))
        return found

    def _swapped_letters(self, qkey: str) -> list[tuple[_Label, int, float]]:
        """Four-letter keys one swap of neighbouring letters away: "rlfh" → "rlhf"."""
        return [
            (self._by_key[choice], 1, fuzz.ratio(qkey, choice))
            for choice in self._four_letter_keys.get("".join(sorted(qkey)), ())
            if OSA.distance(qkey, choice) == 1
        ]

    def _word_matches(self, word: str) -> set[str]:
        """Label words that ``word`` may stand for: itself, the same stem, or a near spelling."""
        found = {word} if word in self._labels_by_word else set()
        stem = stem_word(word)
        if len(stem) >= 4:
            found |= self._vocab_by_stem.get(stem, set())
        limit = allowed_typos(len(word))
        for length in range(len(word) - limit, len(word) + limit + 1) if limit else ():
            choices = self._vocab_by_length.get(length)
            if choices:
                found.update(
                    choice
                    for choice, _, _ in process.extract(
                        word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None
                    )
                )
        return found

    def _partial_matches(self, content: list[str]) -> list[tuple[str, tuple[float, str, bool]]]:
        """Terms with a label that contains every content word; best coverage first.

        Each comes with whether the words the query left out are generic ones, shared by
        several terms ("induction" leaves out "heads"): only then may it be an answer.
        """
        per_word = [self._word_matches(w) for w in content]
        if not all(per_word):
            return []
        candidates: dict[str, tuple[float, str, bool]] = {}
        query_length = sum(len(w) for w in content)
        for label in {lab for w in per_word[0] for lab in self._labels_by_word[w]}:
            label_words = set(label.words)
            if all(matches & label_words for matches in per_word[1:]):
                used = set().union(*per_word) & label_words
                omitted = label_words - used
                generic = all(self._terms_per_word[w] >= 2 for w in omitted)
                coverage = min(1.0, query_length / len(label.key))
                if coverage > candidates.get(label.term_id, (0.0, "", False))[0]:
                    name = self.glossary.terms[label.term_id].name
                    candidates[label.term_id] = (coverage, name, generic)
        return sorted(candidates.items(), key=lambda kv: (-kv[1][0], kv[1][1]))

    def _suggest(self, text: str, content: list[str]) -> tuple[Suggestion, ...]:
        """The closest terms for a miss: terms sharing a word, then similar-looking names."""
        scores: dict[str, float] = {}
        for word in (w for w in content if len(w) > 1 and not w.isdigit()):
            for match in self._word_matches(word):
                for label in self._labels_by_word[match]:
                    share = len(match) / max(len(label.key), 1)
                    scores[label.term_id] = max(scores.get(label.term_id, 0.0), 50 + 40 * share)
        if len(scores) < MAX_SUGGESTIONS:
            for choice, score, _ in process.extract(
                "".join(query_words(text)),
                self._all_keys,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=75,
                limit=MAX_SUGGESTIONS,
            ):
                term_id = self._by_key[choice].term_id
                scores[term_id] = max(scores.get(term_id, 0.0), round(score * 0.8, 1))
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.glossary.terms[kv[0]].name))
        return tuple(
            Suggestion(i, self.glossary.terms[i].name, round(s, 1)) for i, s in ranked[:MAX_SUGGESTIONS]
        )

    # -- search and mentions --------------------------------------------------------------

    def _index_for_search(self, term: Term) -> None:
        weights: dict[str, float] = defaultdict(float)
        for label in term.labels:
            for word in words(label):
                weights[stem_word(word)] = 3.0
        body = " ".join([term.definition, term.details or "", *term.examples])
        for word in words(body):
            if word not in STOP_WORDS:
                weights[stem_word(word)] = max(weights[stem_word(word)], 1.0)
        for stem, weight in weights.items():
            self._search_index[stem][term.id] = weight

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Terms whose names, aliases or definitions mention the words, most relevant first."""
        content = [w for w in query_words(clean(text)) if w not in STOP_WORDS]
        totals: dict[str, float] = defaultdict(float)
        for word in content:
            stems = {stem_word(word)}
            if stem_word(word) not in self._search_index:
                stems |= {stem_word(m) for m in self._word_matches(word)}
            for stem in stems:
                for term_id, weight in self._search_index.get(stem, {}).items():
                    totals[term_id] += weight * self._idf[stem]
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
        return (rng or random).choice(list(self.glossary.terms.values()))  # noqa: S311


def _words_agree(qwords: Iterable[str], label_words: tuple[str, ...]) -> bool:
    """Every query word is, allowing typos, one of the label's words."""
    return all(
        any(OSA.distance(q, w) <= allowed_typos(max(len(q), len(w))) for w in label_words)
        for q in qwords
        if q not in STOP_WORDS
    )


def _best_per_term(
    near: list[tuple[_Label, int, float]],
) -> list[tuple[str, tuple[int, float, str]]]:
    best: dict[str, tuple[int, float, str]] = {}
    for label, distance, score in near:
        current = best.get(label.term_id)
        if current is None or (distance, -score) < (current[0], -current[1]):
            best[label.term_id] = (distance, score, label.text)
    return sorted(best.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
