"""Descriptions, questions and misses (issue 11), on a small glossary with asked_as."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.glossary import load_glossary
from bot.lookup.normalize import tokens
from bot.lookup.resolver import Resolver

GLOSSARY = Path(__file__).parent.parent / "data" / "asked-glossary"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(GLOSSARY))


def test_words_fold_the_same_in_entries_and_queries() -> None:
    assert tokens("hallucinate") == tokens("hallucination") == tokens("hallucinating")
    assert tokens("quantised weights") == tokens("quantized weight")
    assert tokens("how does the model make things up") == tokens("model making thing up")
    assert tokens("what is the point of it") == ()


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("model making stuff up", "hallucination"),
        ("storing weights in 4 bits instead of 16", "quantization"),
        ("the date after which the model knows nothing", "knowledge-cutoff"),
    ],
)
def test_a_description_gets_ranked_choices_never_an_answer(
    resolver: Resolver, query: str, term_id: str
) -> None:
    resolution = resolver.resolve(query)
    assert resolution.status == "ambiguous"
    assert not resolution.confident
    assert resolution.suggestions[0].id == term_id
    assert len(resolution.suggestions) > 1
    matched = resolution.suggestions[0].matched
    assert matched is not None  # what matched, with the matching words marked
    assert matched.bold
    marked = {tokens(matched.text[a:b])[0] for a, b in matched.bold}
    assert marked <= set(tokens(query))


@pytest.mark.parametrize(
    ("query", "term_id"),
    [
        ("why do llms hallucinate", "hallucination"),
        ("how does lora work", "lora"),
        ("what's the point of a vector db", "vector-database"),
        ("explain RLHF to me", "rlhf"),
    ],
)
def test_a_question_about_one_term_answers_it(resolver: Resolver, query: str, term_id: str) -> None:
    resolution = resolver.resolve(query)
    assert resolution.confident, resolution
    assert resolution.term is not None
    assert resolution.term.id == term_id


def test_a_question_naming_two_terms_asks(resolver: Resolver) -> None:
    resolution = resolver.resolve("lora vs qlora")
    assert not resolution.confident
    assert {s.id for s in resolution.suggestions[:2]} == {"lora", "qlora"}


@pytest.mark.parametrize(
    ("word", "first"),
    [("supervised", "supervised-fine-tuning"), ("knowledge", "knowledge-base")],
)
def test_a_word_inside_longer_names_only_asks(resolver: Resolver, word: str, first: str) -> None:
    resolution = resolver.resolve(word)
    assert not resolution.confident
    assert resolution.suggestions[0].id == first


def test_a_word_that_is_a_name_of_its_own_answers(resolver: Resolver) -> None:
    # "sampling" is also inside "speculative sampling", an alias of Speculative Decoding
    resolution = resolver.resolve("sampling")
    assert resolution.status == "exact"
    assert resolution.term is not None
    assert resolution.term.id == "sampling"


def test_a_word_only_entries_mention_is_a_miss_that_lists_them(resolver: Resolver) -> None:
    resolution = resolver.resolve("draft")
    assert resolution.status == "miss"
    assert "speculative-decoding" in [s.id for s in resolution.mentioned]
    assert all(s.matched is not None for s in resolution.mentioned)


def test_a_miss_lists_the_closest_names_before_the_mentions(resolver: Resolver) -> None:
    resolution = resolver.resolve("knowledge bass fishing")
    assert resolution.status == "miss"
    assert resolution.suggestions[0].id == "knowledge-base"
    assert "knowledge-base" not in [s.id for s in resolution.mentioned]


def test_two_words_sharing_one_with_a_name_stay_a_miss(resolver: Resolver) -> None:
    resolution = resolver.resolve("fine dining")
    assert resolution.status == "miss"
    assert resolution.suggestions[0].id == "fine-tuning"


def test_nothing_at_all_is_still_a_miss_not_an_error(resolver: Resolver) -> None:
    resolution = resolver.resolve("xylophone")
    assert resolution.status == "miss"
    assert resolution.suggestions == ()
    assert resolution.mentioned == ()


def test_search_ranks_like_descriptions_and_says_why(resolver: Resolver) -> None:
    hits = resolver.search("how do I stop the model making things up")
    assert hits[0].term.id == "hallucination"
    assert hits[0].matched is not None
    assert hits[0].matched.field == "asked_as"
    assert resolver.search("4 bit weights")[0].term.id == "quantization"
    assert resolver.search("zzzz qqqq") == []


def test_a_typo_in_a_description_still_ranks(resolver: Resolver) -> None:
    resolution = resolver.resolve("stoping the model making stuf up")
    assert resolution.suggestions[0].id == "hallucination"
