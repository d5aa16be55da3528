"""Hangul queries: exact, typos at the letter level, spacing, mixed scripts, particles,
initial consonants, descriptions; never confidently wrong. On the pinned glossary copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.quality import KOREAN_TARGETS, MAX_CONFIDENT_WRONG, by_category, load_queries
from bot.glossary import load_glossary
from bot.lookup.hangul import tokens
from bot.lookup.korean import GENERIC_WORDS, LEAD, MIN_COVERAGE
from bot.lookup.resolver import Resolver

DATA = Path(__file__).parent.parent / "data"
PINNED = DATA / "glossary-2026-12"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(PINNED))


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("양자화", "quantization"),
        ("환각", "hallucination"),
        ("할루시네이션", "hallucination"),
        ("파인튜닝", "fine-tuning"),
        ("미세 조정", "fine-tuning"),
        ("미세조정", "fine-tuning"),
        ("검색 증강 생성", "retrieval-augmented-generation"),
        ("검색증강생성", "retrieval-augmented-generation"),
        ("RAG 파이프라인", "retrieval-augmented-generation"),
    ],
)
def test_korean_names_and_aliases_answer_exactly(
    resolver: Resolver, query: str, term_id: str
) -> None:
    resolution = resolver.resolve(query)
    assert resolution.status == "exact"
    assert resolution.term is not None
    assert resolution.term.id == term_id


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("양자회", "quantization"),  # 화 → 회: one letter
        ("할루시내이션", "hallucination"),
        ("검색 증감 생성", "retrieval-augmented-generation"),
        ("LoRA 튜닝", "lora"),  # an English name and a kind word
        ("양자화란", "quantization"),  # a particle
        ("양자화가 뭐야", "quantization"),  # a question
        ("환각이란 무엇인가요", "hallucination"),
    ],
)
def test_typos_particles_and_mixed_scripts_answer(
    resolver: Resolver, query: str, term_id: str
) -> None:
    resolution = resolver.resolve(query)
    assert resolution.confident, resolution
    assert resolution.term is not None
    assert resolution.term.id == term_id


def test_a_particle_must_fit_the_word_it_follows(resolver: Resolver) -> None:
    """토큰 ends in a consonant, so it takes 과, not 와: "토큰와" is a typo of 토큰화."""
    resolution = resolver.resolve("토큰와")
    assert resolution.term is not None
    assert resolution.term.id == "tokenization"
    assert resolver.resolve("토큰과").term is not None


def test_initial_consonants_are_only_ever_offered(resolver: Resolver) -> None:
    resolution = resolver.resolve("ㅇㅈㅎ")
    assert resolution.status == "ambiguous"
    assert resolution.suggestions[0].id == "quantization"


def test_a_short_korean_word_beside_a_kind_word_is_only_offered(resolver: Resolver) -> None:
    """정렬 is alignment, but 정렬 알고리즘 is sorting: offer, do not answer."""
    resolution = resolver.resolve("정렬 알고리즘")
    assert not resolution.confident
    assert resolution.suggestions[0].id == "alignment"


def test_english_letters_inside_a_korean_query_are_not_typo_tolerant(resolver: Resolver) -> None:
    resolution = resolver.resolve("RLHF 학습")
    assert resolution.term is None or resolution.term.id == "rlhf"


def test_a_korean_description_offers_the_term_first(resolver: Resolver) -> None:
    resolution = resolver.resolve("모델이 사실이 아닌 것을 그럴듯하게 지어내는 현상")
    assert resolution.status == "ambiguous"
    assert resolution.suggestions[0].id == "hallucination"


def test_a_chatty_question_offers_the_idea_that_stands_out(resolver: Resolver) -> None:
    # Most of its words are the asker's situation; the one idea that matches leads the rest.
    query = "고객센터 데이터로만 파인튜닝했더니 원래 잘하던 영어 작문이 망가졌어요, 왜 이래요?"
    korean = resolver._korean
    match = korean.resolve(query)
    words = [korean._word(w) for w in tokens(query)]
    described, lead = korean._described([w for w in words if w not in GENERIC_WORDS])
    assert described[0][1] < 100 * MIN_COVERAGE, "the case the rule is for: a low coverage"
    assert lead >= LEAD, "the case the rule is for: a clear lead"
    assert match.status == "ambiguous"
    assert match.ranked[0][0] == "catastrophic-forgetting"


def test_a_question_no_idea_stands_out_in_stays_a_miss(resolver: Resolver) -> None:
    resolution = resolver.resolve("iam 액세스 키 주기적으로 교체하는 방법 있나요")
    assert resolution.status == "miss"
    assert resolution.suggestions, "a miss still lists the closest terms"


@pytest.mark.parametrize("query", ["블록체인", "연말 정산 하는 법", "ㅋㅋㅋ"])
def test_what_the_glossary_does_not_have_is_never_answered(resolver: Resolver, query: str) -> None:
    assert not resolver.resolve(query).confident


def test_korean_names_count_as_names_for_the_command_grammar(resolver: Resolver) -> None:
    assert resolver.names_a_term("양자화")
    assert resolver.names_a_term("미세조정")
    assert not resolver.names_a_term("양자화 뜻")


def test_english_lookups_are_unchanged(resolver: Resolver) -> None:
    resolution = resolver.resolve("quantisation")
    assert resolution.term is not None
    assert resolution.term.id == "quantization"


def test_the_independent_korean_query_set_meets_the_targets(resolver: Resolver) -> None:
    """korean.yaml was written by someone who had not seen the resolver (384 queries)."""
    queries = load_queries(DATA / "queries" / "korean.yaml")
    assert len(queries) >= 120
    assert sum(q["expect"] is None for q in queries) >= 30
    assert all(q["expect"] is None or q["expect"] in resolver.glossary.terms for q in queries)
    found = by_category(resolver, queries)
    for category, target in KOREAN_TARGETS.items():
        quality = found[category]
        assert quality.rate(quality.offered_first) >= target, category
    for category, quality in found.items():
        assert quality.rate(quality.confident_wrong) <= MAX_CONFIDENT_WRONG, category
    assert found["initials"].confident == 0
