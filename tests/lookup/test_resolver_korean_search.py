"""`/lingo search` and the jargon shortcut on Korean text (Resolver.search, .mentions):
Korean names, descriptions and spacing variants find their terms with the matching Korean
phrase in bold; names are found in running Korean text with their particles, never inside
an unrelated longer word."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.glossary import load_glossary
from bot.lookup.answers import SearchResults
from bot.lookup.resolver import Resolver, SearchHit
from bot.render.blocks.answers import search_message
from bot.render.i18n import message
from tests.support.blockkit import all_text, check_message

PINNED = Path(__file__).parent.parent / "data" / "glossary-2026-12"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(PINNED))


def bold(hit: SearchHit) -> list[str]:
    assert hit.matched is not None
    return [hit.matched.text[s:e] for s, e in hit.matched.bold]


def test_a_korean_name_finds_its_term_first_with_the_name_in_bold(resolver: Resolver) -> None:
    hits = resolver.search("양자화")
    assert hits[0].term.id == "quantization"
    assert bold(hits[0]) == ["양자화"]
    # Terms whose Korean entries say it follow, each showing where.
    assert {"awq", "qlora", "gptq"} <= {h.term.id for h in hits}
    assert all("양자화" in bold(h) for h in hits)


def test_a_korean_question_finds_the_terms_it_describes(resolver: Resolver) -> None:
    hits = resolver.search("가중치를 4비트로 줄이는 방법")
    top = [h.term.id for h in hits[:3]]
    assert "quantization" in top
    assert set(top) <= {"quantization", "gptq", "awq", "qlora"}
    quantization = next(h for h in hits if h.term.id == "quantization")
    assert "가중치" in bold(quantization)  # the particle 를 is not part of the match
    for hit in hits[:3]:
        assert bold(hit), hit.term.id


def test_spacing_variants_meet(resolver: Resolver) -> None:
    hits = resolver.search("미세조정")
    assert hits[0].term.id == "fine-tuning"
    assert bold(hits[0]) == ["미세 조정"]


def test_the_english_search_is_unchanged(resolver: Resolver) -> None:
    hits = resolver.search("quantization")
    assert hits[0].term.id == "quantization"
    assert hits[0].matched is not None
    assert hits[0].matched.field == "name"


def test_a_korean_search_answer_names_the_field_and_bolds_the_phrase(resolver: Resolver) -> None:
    results = SearchResults(
        "가중치를 4비트로 줄이는 방법", tuple(resolver.search("가중치를 4비트로 줄이는 방법"))
    )
    reply = search_message(results, contributing_url="", lang="ko")
    check_message(reply)
    text = all_text(reply)
    assert f"_{message('ko', 'match.asked_as')}:_" in text
    # The whole word is bold, particle included: Slack shows "*4비트*로" with its asterisks.
    assert "*4비트로*" in text
    assert "*4비트*로" not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("양자화를 쓰면 메모리가 줄어요", ["quantization"]),
        ("LoRA로 튜닝했어요", ["lora"]),
        ("이번엔 미세조정을 했고 다음엔 미세 조정도", ["fine-tuning"]),
        ("RAG 파이프라인에서 환각이 줄었다", ["retrieval-augmented-generation", "hallucination"]),
        ("환각은 줄고 양자화는 그대로", ["hallucination", "quantization"]),
        ("프롬프트엔지니어링 팁", ["prompting"]),
    ],
)
def test_korean_names_are_found_in_running_text(
    resolver: Resolver, text: str, expected: list[str]
) -> None:
    assert [t.id for t in resolver.mentions(text)] == expected


@pytest.mark.parametrize("text", ["양자화기법 세미나", "환각제 뉴스", "토큰화기를 바꿨어요"])
def test_a_name_inside_a_longer_word_is_no_mention(resolver: Resolver, text: str) -> None:
    found = {t.id for t in resolver.mentions(text)}
    assert found.isdisjoint({"quantization", "hallucination", "token"})
