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
import itertools
import random
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.glossary.model import Glossary, Term
from bot.lookup.gcpause import paused_gc
from bot.lookup.hangul import compatible, has_hangul
from bot.lookup.korean import KoreanIndex, KoreanMatch
from bot.lookup.normalize import (
    RANK_STOP_WORDS,
    clean,
    key,
    query_words,
    stem_key,
    stem_word,
    tokens,
    words,
)
from bot.lookup.ranking import Ranked, Snippet, TermIndex

Query = tuple[tuple[str, ...], ...]
"""A ranking query: one group of tokens per word (see :meth:`TermIndex.rank`)."""

Status = Literal["exact", "fuzzy", "ambiguous", "miss"]

MAX_CHOICES = 5
MAX_SUGGESTIONS = 3
MAX_MENTIONED = 3
MAX_ABBREVIATED = 8
# A description is offered as "did you mean" when its best term's name, asked_as phrasings or
# definition hold at least two of its words and this share of its evidence (idf-weighted
# words), or its names hold every word; otherwise the lookup is a miss that lists the closest
# names and the entries mentioning the words.
MIN_OFFER_COVERAGE = 1 / 3
# How much naming a term lifts it among the ranked choices, times the share of the query's
# tokens its name covers: "self attn" puts Self-Attention before entries that mention both.
NAMED_BONUS = 0.5
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


# Ranking tokens that frame a question about a term without naming another one: "how does
# LoRA work", "explain RAG simply", "what's an LLM used for". Function words are already gone.
GENERIC_TOKENS = frozenset(
    tokens(
        "ai llm llms ml model models language explain exactly tell someone use used using work "
        "works simple simply terms concept idea basically actually pls plz eli5"
    )
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
    matched: Snippet | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer to one query.

    ``suggestions`` are the choices of an ambiguous query, or a miss's closest names;
    ``mentioned`` are, for a miss, the terms whose entries mention the query's words.
    """

    query: str
    status: Status
    term: Term | None = None
    suggestions: tuple[Suggestion, ...] = ()
    matched: str | None = None
    mentioned: tuple[Suggestion, ...] = ()

    @property
    def confident(self) -> bool:
        return self.status in ("exact", "fuzzy")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A term found by :meth:`Resolver.search`, with a 0-100 relevance score."""

    term: Term
    score: float
    matched: Snippet | None = None


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
        # The build allocates a great deal and frees almost nothing: see gcpause.
        with paused_gc():
            self.glossary = glossary
            self._by_key: dict[str, _Label] = {}
            self._by_stem: dict[str, set[str]] = defaultdict(set)
            self._labels_by_word: dict[str, list[_Label]] = defaultdict(list)
            self._vocab_by_stem: dict[str, set[str]] = defaultdict(set)
            self._by_tokens: dict[tuple[str, ...], set[str]] = defaultdict(set)
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
                        # Stemmed just above, so remembered; a later pass over some 60,000
                        # words at 10,000 terms would find none left in stem_word's cache.
                        self._vocab_by_stem[stem_word(word)].add(word)
                    label_tokens = tokens(text)
                    if label_tokens:
                        self._by_tokens[label_tokens].add(term.id)
            self._keys = _NearIndex(self._by_key)
            self._vocab = _NearIndex(self._labels_by_word)
            self._terms_per_word = {
                word: len({label.term_id for label in labels})
                for word, labels in self._labels_by_word.items()
            }
            self._word_matches = lru_cache(maxsize=8192)(self._find_word_matches)
            self._abbreviated = lru_cache(maxsize=8192)(self._find_abbreviated)
            self._ranked_index: TermIndex | None = None
            self._long_words = _AbbreviationIndex(())
            self._ranking_lock = threading.Lock()
            # Queries with Hangul go to the Korean index (names and aliases of both languages).
            self._korean = KoreanIndex(glossary)
            # Terms named only by generic tokens ("LLM", "large language model"): naming one next
            # to another term does not make a question about that other term ambiguous.
            self._generic_terms = frozenset(
                term_id
                for label_tokens, ids in self._by_tokens.items()
                if all(t in GENERIC_TOKENS for t in label_tokens)
                for term_id in ids
            )

    def prepare(self) -> None:
        """Build the ranking index now (``bot.glossary.live.IndexWarmup`` calls it off the
        request path, so the first description does not wait for it)."""
        self._ranking  # noqa: B018 - built on first access

    @property
    def prepared(self) -> bool:
        """True once the ranking index is built."""
        return self._ranked_index is not None

    @property
    def _ranking(self) -> TermIndex:
        """The ranking index over what entries say, built on first use, not at start.

        Names, aliases and typos (most lookups) never need it, so a resolver is ready to
        answer them as soon as it is built; the index is built in the background right
        after (``prepare``), or by the first description or search that comes sooner (see
        docs/benchmarks.md for how long that is at 10,000 terms).
        """
        index = self._ranked_index
        if index is None:
            with self._ranking_lock:
                index = self._ranked_index
                if index is None:
                    index = self._build_ranking()
        return index

    def _build_ranking(self) -> TermIndex:
        self._long_words = _AbbreviationIndex(w for w in self._labels_by_word if len(w) >= 5)
        self._ranked_index = TermIndex(self.glossary.terms.values())
        return self._ranked_index

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
            alike = sorted(same_stem, key=lambda i: self.glossary.terms[i].name)
            if len(alike) == 1:
                return self._answer(
                    text, "fuzzy", alike[0], self.glossary.terms[alike[0]].name, 95.0
                )
            return self._choices(text, [(i, 95.0) for i in alike])

        content = [w for w in qwords if w not in STOP_WORDS] or list(qwords)
        if len(qwords) == 1:
            near = [n for n in self._near_labels(qkey) if not _part_of(qkey, n[0].key)]
            if near:
                best_terms = _best_per_term(near)
                (first_id, (first_distance, first_score, first_text)), *rest = best_terms
                if not rest or rest[0][1][0] > first_distance:
                    return self._answer(text, "fuzzy", first_id, first_text, first_score)
                choices = [(i, s) for i, (_, s, _) in best_terms]
                return self._choices(text, choices, self._query_tokens(content))

        # A question about one term: every word is in its name or generic (see
        # _question_about).
        named = self._named_words(qwords)
        about = self._question_about(named)
        if about is not None:
            return self._answer(text, "fuzzy", about, self.glossary.terms[about].name, 90.0)

        # A short word that matches nothing ("wht", "nxt") is skipped, but then we only ask.
        understood = [w for w in content if len(w) > 3 or self._word_matches(w)] or content
        partial = self._partial_matches(understood, qkey)
        if partial:
            full = [p for p in partial if p.full]
            best = partial[0]
            sure = len(understood) == len(content)
            if len(content) == 1:
                # One word answers only when it is (a spelling of) a whole name or alias; a
                # word found inside longer names ("draft", "supervised", "layer") only asks.
                full = [p for p in full if not _part_of(qkey, key(p.label))]
            if sure and (
                len(full) == 1
                or (
                    len(content) > 1 and len(partial) == 1 and best.omits_generic and len(qkey) >= 5
                )
            ):
                winner = full[0] if full else best
                return self._answer(text, "fuzzy", winner.term_id, winner.label, winner.score)
            # Which of the names it is part of: full names first (unless a word was skipped),
            # then as the entries rank.
            qtokens = self._query_tokens(content)
            ranked = self._ranked_choices(qtokens, named)
            by_rank = dict(ranked)
            ordered = sorted(
                partial, key=lambda p: (sure and not p.full, -by_rank.get(p.term_id, 0.0))
            )
            choices = [(p.term_id, p.score) for p in ordered]
            return self._choices(text, choices + ranked, qtokens)

        # Names the query looks like as a whole: a typo of a several-word name ("beem
        # search"), or the beginning of one ("feedforward"). Never an answer by itself:
        # "fine dining" is two letters from "fine tuning".
        spelled = self._spelled_like(qkey, len(qwords) == 1)
        qtokens = self._query_tokens(content)
        ranked, coverage = self._ranked(qtokens, named)
        if spelled:
            return self._choices(text, spelled + ranked, qtokens)
        # One word that is in no name ("channel", "temperature" in a glossary without it) is
        # only mentioned by entries: a miss that lists them, never "did you mean".
        if ranked and coverage >= MIN_OFFER_COVERAGE:
            return self._choices(text, ranked, qtokens)

        closest = self._suggest(text, content)
        shown = {s.id for s in closest}
        # Mentioned in: entries that contain one of the query's own words, not only a typo
        # reading of it.
        own = [group[0] for group in qtokens]
        mentioned = tuple(
            Suggestion(term_id, self.glossary.terms[term_id].name, score, snippet)
            for term_id, score in ranked
            if term_id not in shown and (snippet := self._ranking.snippet(term_id, own)) is not None
        )[:MAX_MENTIONED]
        return Resolution(text, "miss", suggestions=closest, mentioned=mentioned)

    def _query_tokens(self, content: Sequence[str]) -> Query:
        """The ranking query: for each word, its token, then the tokens of the name words it
        may be a typo of ("embeding") or may abbreviate ("attn", "spec")."""
        groups = []
        for word in (w for w in content if w not in RANK_STOP_WORDS):
            own = tokens(word)
            if not own:
                continue
            more: list[str] = []
            if any(t not in self._ranking for t in own):
                more += [t for m in sorted(self._word_matches(word)) for t in tokens(m)]
            more += [t for m in self._abbreviated(word) for t in tokens(m)]
            groups.append(tuple(dict.fromkeys((*own, *more))))
        return tuple(groups)

    def _find_abbreviated(self, word: str) -> tuple[str, ...]:
        """Name words that a short unknown word abbreviates, keeping its letters in order and
        its first letter: "attn" attention, "fn" function, "ctx" context. For ranking only."""
        if not 2 <= len(word) <= 4 or not word.isalpha():
            return ()
        self._ranking  # noqa: B018 -- built with the ranking index, on first use
        return self._long_words.spelled_by(word, MAX_ABBREVIATED)

    def _named_words(self, qwords: tuple[str, ...]) -> _Named:
        """Terms whose whole name or alias is among the query's words (see _Named). A name
        matches exactly, or by its ranking tokens when only one term has them ("hallucinate"
        for Hallucination)."""
        counted = [w for w in qwords if w not in RANK_STOP_WORDS]
        # The tokens of a run of words are those of its words in turn: found once per word.
        counted_tokens = [tokens(w) for w in counted]
        named: dict[str, int] = {}
        only_generic = True
        index = 0
        while index < len(counted):
            for size in range(min(self._max_label_words, len(counted) - index), 0, -1):
                label = self._by_key.get("".join(counted[index : index + size]))
                run = counted_tokens[index : index + size]
                ids = (
                    {label.term_id} if label else self._by_tokens.get(tuple(itertools.chain(*run)))
                )
                if ids is not None and len(ids) == 1:
                    term_id = next(iter(ids))
                    named[term_id] = named.get(term_id, 0) + size
                    index += size
                    break
            else:
                only_generic &= all(t in GENERIC_TOKENS for t in counted_tokens[index])
                index += 1
        return _Named(named, len(counted), only_generic)

    def _question_about(self, named: _Named) -> str | None:
        """The one term a question is about, if its words name it among generic ones.

        "why do llms hallucinate" and "how does lora work" are about one term: every token
        is part of a name or alias of that term, or generic ("llm", "work"), and no other term
        is named except generic ones such as LLM.
        """
        if not named.terms or not named.only_generic:
            return None
        specific = set(named.terms) - self._generic_terms or set(named.terms)
        return next(iter(specific)) if len(specific) == 1 else None

    def _ranked(self, qtokens: Query, named: _Named) -> tuple[list[tuple[str, float]], float]:
        """Choices by what entries say, a term named in the query lifted by the share of the
        query its name covers; and the share of the query the first choice covers (0 when
        its entry holds fewer than two of the query's words: "fine dining", "transfer
        money" share one word with a name and are misses with that name as the closest)."""
        if not qtokens:
            return [], 0.0
        found = self._ranking.rank(qtokens, MAX_CHOICES + 3)
        top = found[0].score if found else 1.0
        share = {r.term_id: r.name_coverage for r in found}
        for term_id, covered in named.terms.items():
            share[term_id] = max(share.get(term_id, 0.0), covered / named.counted)
        scores = {r.term_id: r.score / top for r in found}
        coverage = {r.term_id: r.strong_coverage * (r.words_found >= 2) for r in found}
        for term_id, part in share.items():
            scores[term_id] = scores.get(term_id, 0.0) + NAMED_BONUS * part
            coverage[term_id] = max(coverage.get(term_id, 0.0), part * (part == 1.0))
        if not scores:
            return [], 0.0
        ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CHOICES]
        best = ordered[0][1] or 1.0
        return [(i, round(100 * v / best, 1)) for i, v in ordered], coverage[ordered[0][0]]

    def _ranked_choices(self, qtokens: Query, named: _Named) -> list[tuple[str, float]]:
        return self._ranked(qtokens, named)[0]

    def _spelled_like(self, qkey: str, one_word: bool) -> list[tuple[str, float]]:
        """Names the whole query is a near spelling or the beginning of, closest first."""
        # A single long word may be one edit further off ("jailbrake"); several words only
        # one edit in all ("beem search"): "fine dining" is two edits from "fine tuning".
        extra = 1 if one_word and len(qkey) >= 6 else 0
        most = allowed_typos(len(qkey)) + extra if one_word else 1
        found = [
            (self._by_key[choice].term_id, fuzz.ratio(qkey, choice))
            for choice, distance in self._keys.near(qkey, extra=extra, within=most)
            if distance <= most
        ]
        if len(qkey) >= 5:
            found += [
                (self._by_key[choice].term_id, 60.0) for choice in self._keys.starting_with(qkey)
            ]
        return sorted(found, key=lambda item: -item[1])

    def _suggestion(self, term_id: str, score: float, qtokens: Query) -> Suggestion:
        term = self.glossary.terms[term_id]
        snippet = self._ranking.snippet(term_id, [t for group in qtokens for t in group])
        return Suggestion(term.id, term.name, score, snippet)

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

    def _choices(
        self, text: str, ranked: Sequence[tuple[str, float]], qtokens: Query = ()
    ) -> Resolution:
        seen: dict[str, float] = {}
        for term_id, score in ranked:
            seen.setdefault(term_id, score)
        choices = tuple(
            self._suggestion(i, s, qtokens) for i, s in list(seen.items())[:MAX_CHOICES]
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
            # A term's best label: the fullest, then the closest (labels come in no order).
            if current is None or (found.rank, -found.score) < (current.rank, -current.score):
                candidates[label.term_id] = found
        return sorted(
            candidates.values(), key=lambda p: (p.rank, self.glossary.terms[p.term_id].name)
        )

    def _suggest(self, text: str, content: list[str]) -> tuple[Suggestion, ...]:
        """The closest names for a miss: names spelled like the query, and names holding one
        of its words or a near spelling of it ("gufg", "transfer money"); generic words such
        as "model" do not count."""
        scores: dict[str, float] = {}
        qkey = "".join(query_words(text))
        for choice, _ in self._keys.near(qkey, extra=1):
            term_id = self._by_key[choice].term_id
            scores[term_id] = max(scores.get(term_id, 0.0), round(fuzz.ratio(qkey, choice), 1))
        for word in (w for w in content if len(w) > 3 and w not in GENERIC_WORDS):
            for match in {word, *(m for m, _ in self._vocab.near(word))}:
                for label in self._labels_by_word.get(match, ()):
                    share = len(match) / max(len(label.key), 1)
                    scores[label.term_id] = max(scores.get(label.term_id, 0.0), 50 + 40 * share)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.glossary.terms[kv[0]].name))
        return tuple(
            Suggestion(i, self.glossary.terms[i].name, round(s, 1))
            for i, s in ranked[:MAX_SUGGESTIONS]
        )

    # -- search and mentions --------------------------------------------------------------

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """Terms whose entries say what the words or question say, most relevant first.

        The same ranking as descriptions; a word the entries do not have is read as the
        name words it may be a typo or abbreviation of ("embeding", "spec").
        """
        cleaned = clean(text)
        if has_hangul(cleaned):
            return [
                SearchHit(self.glossary.terms[term_id], score, snippet)
                for term_id, score, snippet in self._korean.search(cleaned, limit)
            ]
        content = [w for w in query_words(cleaned) if w not in STOP_WORDS]
        qtokens = self._query_tokens(content)
        ranked = self._ranking.rank(qtokens, limit)
        return [
            SearchHit(
                self.glossary.terms[r.term_id],
                _percent(r, ranked),
                self._ranking.snippet(r.term_id, [t for group in qtokens for t in group]),
            )
            for r in ranked
        ]

    def mentions(self, text: str) -> list[Term]:
        """Glossary terms named in a piece of text, in order of first mention; in Korean
        text, Korean names and aliases too (with particles and spacing variants)."""
        spans = self._mention_spans(words(text))
        found = [term_id for _, _, term_id in spans]
        if has_hangul(text):
            found = [*self._korean.mentions(text), *found]
        return list(dict.fromkeys(self.glossary.terms[term_id] for term_id in found))

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


def _swaps(word: str) -> set[str]:
    """The spellings of ``word`` with two neighbouring letters swapped."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)} - {word}


def _ends(text: str) -> dict[str, str]:
    """The ends a string may be compared by (see _bucket_kinds): its first or last letter,
    two or three letters; its first with its last letter; its first two with its last two."""
    return {
        "^": text[:1],
        "$": text[-1:],
        "^^": text[:2],
        "$$": text[-2:],
        "^$": text[:1] + text[-1:],
        "^^^": text[:3],
        "$$$": text[-3:],
        "^^$$": text[:2] + text[-2:],
    }


def _bucketed_by(length: int) -> tuple[str, ...]:
    """The ends a string of ``length`` letters is bucketed by: those a search can ask of it
    (tests/lookup/test_near_index.py checks every search). One letter, only up to six
    letters (a four-letter word with two edits reaches six); the first with the last, only
    at four; the outer two, only at six."""
    if length < 4:
        return ("^", "$")
    if length == 4:
        return ("^", "$", "^^", "$$", "^$")
    if length == 5:
        return ("^", "$", "^^", "$$", "^^^", "$$$")
    if length == 6:
        return ("^", "$", "^^", "$$", "^^^", "$$$", "^^$$")
    return ("^^", "$$", "^^^", "$$$")


def _in_order(letters: str, word: str) -> bool:
    """True if ``letters`` occur in ``word`` in this order, after its first letter."""
    at = 1
    for letter in letters:
        at = word.find(letter, at) + 1
        if not at:
            return False
    return True


def _bucket_kinds(shortest: int, limit: int, same_length: bool) -> tuple[str, ...]:
    """Which ends to compare strings by, for the shorter one's length, the edits allowed and
    whether the two are as long as each other (see _NearIndex)."""
    if shortest < 4 or (shortest == 4 and limit > 1):
        return ("^", "$")
    if limit > 1:
        return ("^^", "$$")
    if not same_length:
        return ("^^^", "$$$") if shortest >= 5 else ("^^", "$$")
    if shortest == 4:
        return ("^^", "$$", "^$")
    if shortest == 6:
        return ("^^^", "$$$", "^^$$")
    return ("^^^", "$$$") if shortest >= 7 else ("^^", "$$")


def _searches(
    length: int, extra: int = 0, within: int | None = None
) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """What a typo search for a string of ``length`` letters compares (see _NearIndex.near):
    for each length a match may have, the edits allowed and the ends to compare by; no
    ends when no edit is allowed (only the string itself, or a four-letter swap)."""
    limit = max(allowed_typos(length + 1) + extra, 1)
    if within is not None:
        limit = min(limit, within)
    for other in range(length - limit, length + limit + 1):
        edits = limit if extra else min(limit, allowed_typos(max(other, length)))
        if edits == 0:
            if other == length:
                yield other, 0, ()
        elif abs(other - length) <= edits:
            yield other, edits, _bucket_kinds(min(other, length), edits, other == length)


class _AbbreviationIndex:
    """Words grouped by first letter, in sorted order, with a bitset per letter of the words
    in a group that hold it after their first: the words holding every letter of an
    abbreviation are one AND of bitsets away, and only those are checked for the order."""

    def __init__(self, words: Iterable[str]) -> None:
        groups: dict[str, list[str]] = defaultdict(list)
        for word in sorted(words):
            groups[word[0]].append(word)
        self._words = dict(groups)
        self._holding: dict[str, dict[str, int]] = {}
        for first, group in groups.items():
            bits: dict[str, bytearray] = {}
            for index, word in enumerate(group):
                for letter in set(word[1:]):
                    row = bits.setdefault(letter, bytearray(len(group) // 8 + 1))
                    row[index >> 3] |= 1 << (index & 7)
            self._holding[first] = {
                letter: int.from_bytes(row, "little") for letter, row in bits.items()
            }

    def spelled_by(self, short: str, most: int) -> tuple[str, ...]:
        """Up to ``most`` words, in sorted order, that begin with the first letter of
        ``short`` and hold the rest of its letters in order ("attn": attention)."""
        holding = self._holding.get(short[0])
        if holding is None:
            return ()
        rest = short[1:]
        mask = -1  # every word; ``short`` has two letters or more, so one AND at least
        for letter in set(rest):
            mask &= holding.get(letter, 0)
        group = self._words[short[0]]
        bits = bin(mask)
        found: list[str] = []
        at = bits.rfind("1")
        while at > 1 and len(found) < most:
            word = group[len(bits) - 1 - at]
            if _in_order(rest, word):
                found.append(word)
            at = bits.rfind("1", 0, at)
        return tuple(found)


class _NearIndex:
    """Strings bucketed by length and by how they begin and end, for typo search.

    A typo rarely hits both ends of a word, so searching the bucket of strings that begin
    like the query and the bucket of those that end like it finds nearly every near
    spelling while comparing a small share of the strings. With one edit between strings of
    the same length, those of seven letters or more are compared by three letters at each
    end (one edit cannot reach both); of six, by three at each end or by two at each end
    (a swap of the middle two letters keeps the outer two of each side); of five, by two; of
    four, by two at each end or the first and last letter (every single edit of a
    four-letter word keeps one of the three: a swap in the middle keeps the first and last).
    A string one letter longer is the other with one letter added, which keeps the first or
    the last three letters of one of five or more, and two of one of four. With two edits,
    strings of five letters or more are compared by two letters at each end, shorter ones by
    one ("gufg" for "gguf").
    """

    def __init__(self, strings: Iterable[str]) -> None:
        # One query asks for the same spellings several times (answer, choices, closest
        # names), and people repeat words: remembered, bounded.
        self.near = lru_cache(maxsize=8192)(self._near)
        self._buckets: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        self._sorted = sorted(strings)
        self._short = frozenset(text for text in self._sorted if len(text) < 5)
        for text in self._sorted:
            ends = _ends(text)
            for kind in _bucketed_by(len(text)):
                self._buckets[kind, ends[kind], len(text)].append(text)

    def _near(
        self, text: str, extra: int = 0, within: int | None = None
    ) -> tuple[tuple[str, int], ...]:
        """Strings within the typo allowance of ``text`` and each string (that of the longer
        of the two), or within ``extra`` edits more than the allowance of ``text``, and at
        most ``within`` edits away, with distances. Words under five letters must match
        exactly, but a four-letter word may have two letters swapped ("lroa" for "lora")."""
        found: dict[str, int] = {}
        ends = _ends(text)
        for length, edits, kinds in _searches(len(text), extra, within):
            if edits == 0:
                if text in self._short:
                    found[text] = 0
                if length == 4:
                    found.update((swap, 1) for swap in _swaps(text) & self._short)
                continue
            for bucket in (self._buckets.get((kind, ends[kind], length)) for kind in kinds):
                for choice, distance, _ in process.extract(
                    text, bucket or (), scorer=OSA.distance, score_cutoff=edits, limit=None
                ):
                    found[choice] = int(distance)
        return tuple(sorted(found.items(), key=lambda item: (item[1], item[0])))

    def starting_with(self, prefix: str, most: int = 20) -> list[str]:
        """Longer strings that begin with ``prefix``."""
        start = bisect.bisect_right(self._sorted, prefix)
        found = []
        for text in self._sorted[start : start + most]:
            if not text.startswith(prefix):
                break
            found.append(text)
        return found


@dataclass(frozen=True, slots=True)
class _Named:
    """The terms whose whole name or alias is among a query's words, with how many words
    each covers; the number of words that count (not ranking stop words); and whether every
    word not in a name is generic ("how", "work", "llm")."""

    terms: dict[str, int]
    counted: int
    only_generic: bool


def _part_of(word_key: str, label_key: str) -> bool:
    """True if a one-word query is found whole inside a longer name: a part, not a spelling."""
    return len(word_key) < len(label_key) and word_key in label_key


def _percent(result: Ranked, ranked: Sequence[Ranked]) -> float:
    """A ranking score as 0-100, relative to the best of its list."""
    best = ranked[0].score if ranked else 0.0
    return round(100 * result.score / best, 1) if best else 0.0


def _best_per_term(
    near: list[tuple[_Label, int, float]],
) -> list[tuple[str, tuple[int, float, str]]]:
    best: dict[str, tuple[int, float, str]] = {}
    for label, distance, score in near:
        current = best.get(label.term_id)
        if current is None or (distance, -score) < (current[0], -current[1]):
            best[label.term_id] = (distance, score, label.text)
    return sorted(best.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
