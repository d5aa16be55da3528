"""Korean cards and daily posts from the real Block Kit output, on the pinned glossary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.glossary import load_glossary
from bot.glossary.model import Glossary
from bot.lookup.answers import Lookup
from bot.lookup.resolver import Resolver
from bot.render.blocks.answers import lookup_message
from bot.render.blocks.card import term_message
from bot.render.blocks.daily import daily_post_message
from bot.render.blocks.home import home_view
from bot.render.text import daily_post_text, names_in, term_text
from tests.support.blockkit import all_text, buttons, check_message, check_view

PINNED = Path(__file__).parent.parent / "data" / "glossary-2026-12"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(PINNED)


def test_every_term_renders_as_a_valid_korean_card(glossary: Glossary) -> None:
    for term in glossary.terms.values():
        card = term_message(term, glossary, lang="ko")
        check_message(card)
        text = all_text(card)
        assert f"영어: {term.name}" in text
        assert term.translations["ko"].name == card["blocks"][0]["text"]["text"]


def test_a_korean_card_shows_korean_fields_and_notes_the_english_ones(glossary: Glossary) -> None:
    term = glossary.terms["quantization"]
    card = term_message(term, glossary, lang="ko")
    text = all_text(card)
    assert "분류: " in text
    assert "다른 이름: 모델 양자화" in text
    assert "양자화, 퀀타이제이션, 모델" not in text, "the name's own parts are not repeated"
    labels = [b["text"]["text"] for b in buttons(card["blocks"])]
    assert "채널에 공유" in labels
    assert "KV 캐시" in labels


def test_a_term_without_a_translation_is_shown_in_english_with_a_note(glossary: Glossary) -> None:
    from dataclasses import replace

    term = replace(glossary.terms["quantization"], translations={})
    text = all_text(term_message(term, glossary, lang="ko"))
    assert "Quantization" in text
    assert "아직 번역이 없어 영어로 보여 드립니다: 이름, 정의" in text


def test_a_korean_query_puts_the_korean_name_on_an_english_card(glossary: Glossary) -> None:
    resolution = Resolver(glossary).resolve("양자화")
    message = lookup_message(Lookup(resolution, "https://example.test/c"), glossary, "en")
    assert "Korean: 양자화(퀀타이제이션)" in all_text(message)
    english = Resolver(glossary).resolve("quantization")
    assert "Korean:" not in all_text(lookup_message(Lookup(english, "u"), glossary, "en"))


def test_the_korean_daily_post_is_valid_and_localized(glossary: Glossary) -> None:
    digest = next(iter(glossary.digests.values()))
    item = digest.items[0]
    term = glossary.terms[item.terms[0]]
    post = daily_post_message(term, glossary, item, digest, day=date(2026, 12, 1), lang="ko")
    check_message(post)
    text = all_text(post)
    assert "*오늘의 용어* · 2026년 12월 1일 화요일" in text
    assert item.translations["ko"].title in text
    assert f"영어: {term.name}" in text
    assert post["text"].startswith("오늘의 용어: ")


def test_the_home_tab_and_terminal_text_in_korean(glossary: Glossary) -> None:
    view = home_view(glossary, glossary.terms["lora"], contributing_url="https://x.test", lang="ko")
    check_view(view)
    assert "사용법" in all_text(view)
    names, categories = names_in(glossary, "ko")
    text = term_text(glossary.terms["lora"], names, categories, lang="ko")
    assert text.startswith("LoRA(저랭크 적응)")
    digest = next(iter(glossary.digests.values()))
    item = digest.items[0]
    post = daily_post_text(glossary.terms[item.terms[0]], item, digest, names, lang="ko")
    assert post.startswith("오늘의 용어")


def test_a_korean_daily_post_names_the_series_in_korean(glossary: Glossary) -> None:
    digest = replace(next(iter(glossary.digests.values())), titles={"ko": "멀티 토큰 예측 시리즈"})
    item = digest.items[0]
    term = glossary.terms["lora"]
    korean = daily_post_message(term, glossary, item, digest, day=date(2026, 12, 1), lang="ko")
    check_message(korean)
    assert "멀티 토큰 예측 시리즈" in all_text(korean)
    assert digest.title not in all_text(korean)
    english = daily_post_message(term, glossary, item, digest, day=date(2026, 12, 1))
    assert digest.title in all_text(english)
    text = daily_post_text(term, item, digest, lang="ko")
    assert "멀티 토큰 예측 시리즈" in text
