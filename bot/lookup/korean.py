"""The Korean label index: what the resolver consults for a query written (partly) in Hangul.

It holds every name and alias of both languages under one folded key (``hangul.fold``),
so "양자화", "미세조정", "LoRA 튜닝" and "RAG란" meet their terms. Like the English path it
is never confidently wrong by design:

- exact: the folded query is a name or alias, or is one once a particle is dropped
  ("양자화란", "환각이");
- fuzzy: the query is a few typed letters (jamo) away from exactly one label, within one
  edit per five letters ("양자회" → 양자화);
- a term named inside a longer query answers only when every other word is generic
  ("양자화 뜻", "LoRA 튜닝"); otherwise the named terms are offered as choices;
- ``search`` (`/lingo search`) lists the terms named in the text and then those whose
  Korean entries say its words, each with the phrase that matched, the words in bold;
- ``mentions`` (the "Explain LLM jargon" shortcut) finds names and aliases in running
  Korean text, with particles ("양자화를", "LoRA로") and spacing variants ("미세조정"), only
  ever as whole words ("토큰화기" does not mention 토큰);
- initial consonants ("ㅇㅈㅎ") and descriptions ("모델이 지어낸 답") are only ever offered
  as choices: the descriptions through a BM25 ranking of Korean definitions and
  ``asked_as`` phrases on syllable pairs, which needs no dictionary of Korean word forms.

The resolver turns a :class:`KoreanMatch` into a ``Resolution``; this module imports
nothing of it, so either can change on its own.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.glossary.model import Glossary, Term
from bot.lookup.hangul import (
    decompose,
    fold,
    has_hangul,
    initials,
    is_initials_query,
    is_syllable,
    tokens,
)
from bot.lookup.normalize import stem_word
from bot.lookup.ranking import FIELD_WEIGHTS, Snippet, merged_spans, term_fields

LANGUAGE = "ko"
MatchStatus = Literal["exact", "fuzzy", "ambiguous", "miss"]

MAX_RANKED = 5
# Words that leave a question about a term still about that term: "양자화 뜻", "환각이란".
QUESTION_WORDS = frozenset(
    [
        "뜻",
        "의미",
        "개념",
        "정의",
        "설명",
        "란",
        "이란",
        "이란게",
        "이란건",
        "뭐야",
        "뭐예요",
        "뭐에요",
        "뭔가요",
        "뭔데",
        "뭐지",
        "뭐임",
        "무엇",
        "무엇인가",
        "무엇인가요",
        "무엇입니까",
        "알려줘",
        "알려주세요",
        "설명해줘",
        "설명해주세요",
        "어떻게",
        "작동",
        "동작",
        "원리",
        "원리가",
        "사용",
        "사용법",
        "대해",
        "대해서",
        "관련",
        "용어",
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "의",
        "에",
        "좀",
        "그",
        "what",
        "is",
    ]
)
# Words that name a kind of thing ("LoRA 튜닝", "RAG 파이프라인"). Beside an English name
# or a Korean one of three syllables or more they still mean that term; beside a short
# Korean word they may make another ("정렬 알고리즘" is sorting, not alignment), so then
# the term is only offered.
KIND_WORDS = frozenset(
    ["방법", "기법", "방식", "기술", "알고리즘", "구조", "파이프라인", "튜닝", "모델", "학습"]
)
GENERIC_WORDS = QUESTION_WORDS | KIND_WORDS
# Particles (조사) a word may carry, and what the word must end with to take it: "C" a
# final consonant (양자화"는" but 토큰"은"), "V" a vowel, "" either. A particle is dropped
# only when the word then names something known.
_PARTICLE_RULES = {
    **dict.fromkeys(
        [
            "은",
            "이",
            "을",
            "과",
            "으로",
            "이란",
            "이라는",
            "이랑",
            "이에요",
            "이야",
            "이죠",
            "이란게",
            "이란건",
        ],
        "C",
    ),
    **dict.fromkeys(
        ["는", "가", "를", "와", "로", "란", "라는", "랑", "예요", "야", "죠", "란게", "란건"], "V"
    ),
    **dict.fromkeys(
        ["의", "에", "도", "만", "에서", "에게", "하고", "처럼", "보다", "까지", "부터"], ""
    ),
}
PARTICLES = tuple(sorted(_PARTICLE_RULES, key=len, reverse=True))
MIN_SURE_SYLLABLES = 3
# BM25 over the Korean (and English) words of each term, weighted by where they appear.
_K1, _B = 1.2, 0.75
_FIELD_WEIGHTS = {"label": 3.0, "asked_as": 2.0, "definition": 1.0, "details": 0.5}
# A description is offered as "did you mean" when the best term covers this share of the
# query's weight (by IDF), or covers MIN_LEADING_COVERAGE and scores LEAD times the next
# term (a chatty question "… 왜 그래요?" whose situation words no entry has, but whose one
# matching idea stands out); below it, the query is a miss with suggestions.
MIN_COVERAGE = 0.35
MIN_LEADING_COVERAGE = 0.20
LEAD = 1.3


@dataclass(frozen=True, slots=True)
class KoreanMatch:
    """What a Hangul query found: a term (exact/fuzzy), choices (ambiguous), or a miss."""

    status: MatchStatus
    ranked: tuple[tuple[str, float], ...] = ()
    matched: str | None = None


def korean_labels(term: Term) -> tuple[str, ...]:
    """The Korean names and aliases of a term (none if it is not translated)."""
    text = term.translations.get(LANGUAGE)
    return text.labels if text else ()


def allowed_letter_typos(letters: int) -> int:
    """Edits allowed in a Hangul key of ``letters`` typed letters: one per five, as English."""
    return letters // 5


def without_particle(word: str, known: Callable[[str], bool]) -> str:
    """``word`` without its particle (조사), when only the particle kept it from being
    ``known`` and the word's last syllable takes that particle; else ``word`` as it is."""
    if not has_hangul(word) or known(word):
        return word
    for particle in PARTICLES:
        stem = word[: -len(particle)]
        if word.endswith(particle) and stem and known(stem) and _takes(stem, particle):
            return stem
    return word


def features(words: Iterable[str]) -> list[str]:
    """Search features of folded words: Hangul as syllable pairs (robust to particles and
    spacing: "임베딩을" shares 임베, 베딩 with "임베딩"), Latin words by their stem."""
    found: list[str] = []
    for word in words:
        if has_hangul(word):
            found += [word] if len(word) == 1 else [word[i : i + 2] for i in range(len(word) - 1)]
        else:
            found.append(stem_word(word))
    return found


class KoreanIndex:
    """Every label of both languages by folded key, and a Korean description ranking."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._by_key: dict[str, tuple[str, str]] = {}
        self._vocabulary: set[str] = set(GENERIC_WORDS)
        self._max_label_words = 1
        for term in glossary.terms.values():
            for label in (*term.labels, *korean_labels(term)):
                parts = tokens(label)
                if parts:
                    self._by_key.setdefault("".join(parts), (term.id, label))
                    self._vocabulary.update(parts)
                    self._max_label_words = max(self._max_label_words, len(parts))
        hangul_keys = [k for k in self._by_key if has_hangul(k)]
        self._letters = {decompose(k): k for k in hangul_keys}
        # Letter keys by length: a key within the typo allowance differs in length by at most it.
        self._letters_by_length: dict[int, list[str]] = defaultdict(list)
        for letters in self._letters:
            self._letters_by_length[len(letters)].append(letters)
        self._by_initials: dict[str, list[str]] = defaultdict(list)
        for key in hangul_keys:
            if all("가" <= c <= "힣" for c in key):
                self._by_initials[initials(key)].append(key)
        # The description ranking is built on the first description, not at start or reload.
        self._ranking_lock = threading.Lock()
        self._ranking_built = False

    # -- lookup ---------------------------------------------------------------------------

    def names_a_term(self, text: str) -> bool:
        """True if ``text`` folds to exactly a name or alias, in either language."""
        return fold(text) in self._by_key

    def resolve(self, text: str) -> KoreanMatch:
        """What a (partly) Hangul query means; see the module docstring for the rules."""
        words = tuple(self._word(w) for w in tokens(text))
        meaningful = tuple(w for w in words if w not in GENERIC_WORDS)
        key = "".join(w for w in words if w not in QUESTION_WORDS) or "".join(words)
        if not key:
            return KoreanMatch("miss")
        if is_initials_query(key):
            return self._by_initial_consonants(key)
        # The whole query first, then without its generic words ("양자화 뜻"): a generic
        # word may belong to the name ("추론 모델" is not "추론").
        candidates = tuple(dict.fromkeys(("".join(words), key)))
        for candidate in candidates:
            found = self._by_key.get(candidate)
            if found is not None:
                status: MatchStatus = "exact" if candidate == fold(text) else "fuzzy"
                return KoreanMatch(status, ((found[0], 100.0),), found[1])
        for candidate in candidates:
            near = self._near(candidate)
            if near:
                if len(near) == 1 or near[0][1] < near[1][1]:
                    term_id, _, score, label = near[0]
                    return KoreanMatch("fuzzy", ((term_id, score),), label)
                return KoreanMatch("ambiguous", tuple((t, s) for t, _, s, _ in near))
        named, rest = self._named(words)
        if len(named) == 1 and all(w in GENERIC_WORDS for w in rest):
            term_id, label = named[0]
            if all(w in QUESTION_WORDS for w in rest) or _distinctive(label):
                return KoreanMatch("fuzzy", ((term_id, 90.0),), label)
        described, lead = self._described(meaningful or words)
        if _named_first(named, rest):
            ranked = [(t, 80.0 - i) for i, (t, _) in enumerate(named)]
            return KoreanMatch("ambiguous", tuple(_unique([*ranked, *described])[:MAX_RANKED]))
        if len(meaningful) >= 2 and described and _offered(described[0][1], lead):
            return KoreanMatch("ambiguous", tuple(described[:MAX_RANKED]))
        return KoreanMatch("miss", tuple(described[:3]))

    def _word(self, word: str) -> str:
        """A word without its particle, when only the particle kept it from being a word of
        a label (or a whole label: "미세조정을" for 미세 조정)."""
        return without_particle(word, self._known)

    def _known(self, word: str) -> bool:
        return word in self._vocabulary or word in self._by_key

    def mentions(self, text: str) -> list[str]:
        """The ids of terms named in running text, in order of first mention."""
        named, _ = self._named(tuple(self._word(w) for w in tokens(text)))
        return [term_id for term_id, _ in named]

    def search(self, text: str, limit: int = 10) -> list[tuple[str, float, Snippet | None]]:
        """Terms named in ``text`` (score 100), then those whose Korean entries say its
        words (the share of the words they cover, 0-100), each with the phrase that matched."""
        words = tuple(self._word(w) for w in tokens(text))
        named, rest = self._named(words)
        meaningful = [w for w in words if w not in GENERIC_WORDS] or list(words)
        names = [(term_id, 100.0) for term_id, _ in named]
        described = [(t, score) for t, score in self.rank(meaningful, limit) if score > 0]
        found = [*names, *described] if _named_first(named, rest) else [*described, *names]
        return [
            (term_id, score, self.snippet(term_id, meaningful))
            for term_id, score in _unique(found)[:limit]
        ]

    def snippet(self, term_id: str, words: Iterable[str]) -> Snippet | None:
        """The phrase of a term's Korean entry that best shows why it matched ``words``,
        with the matching text in bold (a word's particle is left out: "*가중치*를")."""
        term = self.glossary.terms.get(term_id)
        if term is None:
            return None
        wanted = [w for w in dict.fromkeys(words) if len(w) >= 2 or not has_hangul(w)]
        best: tuple[float, int, Snippet] | None = None
        for order, (field, text) in enumerate(term_fields(term, LANGUAGE)):
            spans: list[tuple[int, int]] = []
            value = 0.0
            for word in wanted:
                found = _occurrences(text, word)
                if not found and has_hangul(word):
                    stem = without_particle(word, partial(_is_in, text))
                    found = _occurrences(text, stem) if stem != word else []
                if found:
                    spans += found
                    value += FIELD_WEIGHTS[field] * len(word)
            if spans and (best is None or value > best[0]):
                best = (value, order, Snippet(field, text, merged_spans(spans)))
        return best[2] if best else None

    def _by_initial_consonants(self, key: str) -> KoreanMatch:
        """Labels whose syllables start with these consonants: offered, never answered."""
        keys = list(self._by_initials.get(key, ()))
        if len(key) >= 2:
            keys += sorted(
                (k for i, ks in self._by_initials.items() if i.startswith(key) for k in ks),
                key=len,
            )
        ranked = _unique((self._by_key[k][0], 70.0 if initials(k) == key else 60.0) for k in keys)
        if not ranked:
            return KoreanMatch("miss")
        return KoreanMatch("ambiguous", tuple(ranked[:MAX_RANKED]))

    def _near(self, key: str) -> list[tuple[str, int, float, str]]:
        """Terms with a Hangul label within the typo allowance, best (fewest edits) first; the
        English letters and digits of a mixed label must be exactly as typed."""
        if not has_hangul(key):
            return []
        letters = decompose(key)
        limit = allowed_letter_typos(len(letters))
        if limit == 0:
            return []
        best: dict[str, tuple[str, int, float, str]] = {}
        nearby = [
            choice
            for length in range(len(letters) - limit, len(letters) + limit + 1)
            for choice in self._letters_by_length.get(length, ())
        ]
        for choice, distance, _ in process.extract(
            letters, nearby, scorer=OSA.distance, score_cutoff=limit, limit=None
        ):
            if distance > allowed_letter_typos(max(len(choice), len(letters))):
                continue
            if _latin(choice) != _latin(letters):
                continue  # typos are forgiven in Hangul letters; "RLHF 학습" is not "RL 학습"
            term_id, label = self._by_key[self._letters[choice]]
            score = round(100 * (1 - distance / max(len(choice), len(letters))), 1)
            current = best.get(term_id)
            if current is None or distance < current[1]:
                best[term_id] = (term_id, int(distance), score, label)
        return sorted(best.values(), key=lambda m: (m[1], -m[2]))

    def _named(self, words: tuple[str, ...]) -> tuple[list[tuple[str, str]], list[str]]:
        """Terms named inside the query (longest label first), and the words left over."""
        named: dict[str, str] = {}
        rest: list[str] = []
        index = 0
        while index < len(words):
            for size in range(min(self._max_label_words, len(words) - index), 0, -1):
                found = self._by_key.get("".join(words[index : index + size]))
                if found is not None and (size > 1 or words[index] not in GENERIC_WORDS):
                    named.setdefault(*found)
                    index += size
                    break
            else:
                rest.append(words[index])
                index += 1
        return list(named.items()), rest

    # -- description ranking ---------------------------------------------------------------

    def _build_ranking(self) -> None:
        self._postings: dict[str, dict[str, float]] = defaultdict(dict)
        lengths: dict[str, float] = {}
        for term in self.glossary.terms.values():
            weights: dict[str, float] = defaultdict(float)
            for field, texts in self._fields(term):
                for text in texts:
                    for feature in features(tokens(text)):
                        weights[feature] += _FIELD_WEIGHTS[field]
            lengths[term.id] = sum(weights.values())
            for feature, weight in weights.items():
                self._postings[feature][term.id] = weight
        count = max(len(lengths), 1)
        self._average_length = sum(lengths.values()) / count or 1.0
        self._lengths = lengths
        self._idf = {
            f: math.log(1 + (count - len(p) + 0.5) / (len(p) + 0.5))
            for f, p in self._postings.items()
        }

    @staticmethod
    def _fields(term: Term) -> list[tuple[str, tuple[str, ...]]]:
        text = term.translations.get(LANGUAGE)
        fields = [("label", term.labels)]
        if text is not None:
            fields += [
                ("label", text.labels),
                ("asked_as", text.asked_as),
                ("definition", (text.definition,)),
                ("details", (text.details or "",)),
            ]
        return fields

    def rank(self, words: Iterable[str], limit: int = MAX_RANKED) -> list[tuple[str, float]]:
        """Terms by BM25 over Korean names, definitions and ``asked_as``.

        The score (0-100) is the share of the query's words the term covers, weighted by
        their IDF; a word is covered when most of its syllable pairs are in the term's text
        (so "블록체인" is not covered by a text that only says "체인").
        """
        return self._described(words, limit)[0]

    def _described(
        self, words: Iterable[str], limit: int = MAX_RANKED
    ) -> tuple[list[tuple[str, float]], float]:
        """``rank``'s terms, and how far the first leads: its BM25 score over the second's."""
        with self._ranking_lock:
            if not self._ranking_built:
                self._build_ranking()
                self._ranking_built = True
        words = [w for w in words if features([w])]
        wanted = [f for f in dict.fromkeys(features(words)) if f in self._idf]
        if not wanted:
            return [], 0.0
        totals: dict[str, float] = defaultdict(float)
        for feature in wanted:
            idf = self._idf[feature]
            for term_id, tf in self._postings[feature].items():
                norm = _K1 * (1 - _B + _B * self._lengths[term_id] / self._average_length)
                totals[term_id] += idf * tf * (_K1 + 1) / (tf + norm)
        parts = {w: features([w]) for w in words}
        weights = {w: sum(self._idf.get(f, 0.0) for f in parts[w]) for w in words}
        possible = sum(weights.values()) or 1.0

        def coverage(term_id: str) -> float:
            found = 0.0
            for word, word_parts in parts.items():
                hits = sum(1 for f in word_parts if term_id in self._postings.get(f, {}))
                if 2 * hits > len(word_parts) or (len(word_parts) <= 2 and hits == len(word_parts)):
                    found += weights[word]
            return round(100 * found / possible, 1)

        ranked = sorted(totals, key=lambda t: (-totals[t], self.glossary.terms[t].name))
        lead = totals[ranked[0]] / totals[ranked[1]] if len(ranked) > 1 else math.inf
        return [(t, coverage(t)) for t in ranked[:limit]], lead


def _offered(coverage: float, lead: float) -> bool:
    """Whether the best term of a description is offered as "did you mean" (its coverage
    0-100, its lead over the next term): see MIN_COVERAGE."""
    return coverage >= 100 * MIN_COVERAGE or (
        coverage >= 100 * MIN_LEADING_COVERAGE and lead >= LEAD
    )


def _named_first(named: list[tuple[str, str]], rest: list[str]) -> bool:
    """True when the terms a query names lead: a term named among several words of their
    own is one idea among others, and a description ("다음에 올 토큰을 맞히는 학습") ranks
    its terms better than the name does."""
    return bool(named) and len([w for w in rest if w not in GENERIC_WORDS]) < 2


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """Where ``word`` (a folded query word) is in ``text``: Hangul with any spacing between
    its syllables ("미세조정" in "미세 조정"), Latin letters and digits ignoring case and
    never inside a longer Latin word or number."""
    if has_hangul(word):
        pattern = r"\s*".join(re.escape(c) for c in word)
    else:
        pattern = rf"(?<![0-9a-z]){re.escape(word)}(?![0-9])"
    return [m.span() for m in re.finditer(pattern, text, flags=re.IGNORECASE)]


def _is_in(text: str, word: str) -> bool:
    return bool(_occurrences(text, word))


def _latin(key: str) -> str:
    return "".join(c for c in key if c.isascii())


def _takes(stem: str, particle: str) -> bool:
    """True if a word ending like ``stem`` takes ``particle`` (은 after a consonant, 는 after
    a vowel; 로 after a vowel or ㄹ)."""
    last = stem[-1]
    if not is_syllable(last):
        return True  # after Latin letters or digits ("RAG는", "GPT가") either form is written
    final = (ord(last) - 0xAC00) % 28
    rule = _PARTICLE_RULES[particle]
    if particle == "로" and final == _FINAL_RIEUL:
        return True
    return rule == "" or (rule == "C") == (final != 0)


_FINAL_RIEUL = 8


def _distinctive(label: str) -> bool:
    """A name that stays itself beside a kind word: English letters, or three syllables."""
    return not all(has_hangul(w) for w in tokens(label)) or (
        sum(is_syllable(c) for c in label) >= MIN_SURE_SYLLABLES
    )


def _unique(ranked: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    seen: dict[str, float] = {}
    for term_id, score in ranked:
        seen.setdefault(term_id, score)
    return list(seen.items())
