"""Quiz questions in Korean: the term's Korean name and definition, its names (with their
particles) masked, and English with the card's short note where a translation is missing."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from bot.glossary import load_glossary
from bot.glossary.model import Glossary
from bot.learning.quiz import MASK, judge, make_question, masked_definition
from bot.render.blocks.learning import quiz_message, verdict_message
from bot.render.i18n import message
from bot.render.i18n.terms import definition, term_name
from tests.support.blockkit import all_text, check_message

PINNED = Path(__file__).parent.parent / "data" / "glossary-2026-12"


@pytest.fixture(scope="module")
def pinned() -> Glossary:
    return load_glossary(PINNED)


def untranslated(glossary: Glossary, term_id: str) -> Glossary:
    """``glossary`` with ``term_id``'s Korean removed."""
    terms = dict(glossary.terms)
    terms[term_id] = dataclasses.replace(terms[term_id], translations={})
    return dataclasses.replace(glossary, terms=terms)


def test_a_which_term_question_in_korean_hides_the_korean_names_and_their_particles(
    pinned: Glossary,
) -> None:
    term = pinned.terms["quantization"]
    masked = masked_definition(term, "ko")
    assert masked.startswith(" ".join(definition(term, "ko").split())[:10])
    for label in term.translations["ko"].labels:
        assert label not in masked
    for seed in range(5):
        question = make_question(
            pinned, random.Random(seed), term_id="quantization", kind="which-term", lang="ko"
        )
        assert question.prompt == masked
        assert question.right.text == term_name(term, "ko")
        assert question.untranslated == ()


def test_a_korean_text_with_its_name_and_particle_is_masked_whole(pinned: Glossary) -> None:
    term = pinned.terms["quantization"]
    ko = dataclasses.replace(term.translations["ko"], definition="양자화는 가중치를 줄입니다.")
    masked = masked_definition(dataclasses.replace(term, translations={"ko": ko}), "ko")
    assert masked == f"{MASK} 가중치를 줄입니다."


def test_a_what_means_question_offers_korean_definitions(pinned: Glossary) -> None:
    question = make_question(pinned, random.Random(2), term_id="lora", kind="what-means", lang="ko")
    assert question.prompt == term_name(pinned.terms["lora"], "ko")
    for option in question.options:
        assert option.text.split()[0] in definition(pinned.terms[option.term_id], "ko")
    verdict = judge(question, question.answer, pinned, "ko")
    for other, line in verdict.differences:
        assert line in " ".join(definition(other, "ko").split())


def test_a_term_without_korean_is_asked_in_english_with_the_card_s_note(
    pinned: Glossary,
) -> None:
    glossary = untranslated(pinned, "quantization")
    term = glossary.terms["quantization"]
    question = make_question(
        glossary, random.Random(1), term_id="quantization", kind="which-term", lang="ko"
    )
    assert question.prompt == masked_definition(term)  # the English definition
    assert question.untranslated == ("name", "definition")  # the answer's name is English too
    rendered = quiz_message(question, lang="ko")
    check_message(rendered)
    fields = f"{message('ko', 'field.name')}, {message('ko', 'field.definition')}"
    assert message("ko", "card.untranslated", fields=fields) in all_text(rendered)
    note = message("ko", "card.untranslated", fields=message("ko", "field.definition"))

    verdict = verdict_message(judge(question, 0, glossary, "ko"), first=True, lang="ko")
    check_message(verdict)
    assert note in all_text(verdict)


def test_the_english_question_is_unchanged(pinned: Glossary) -> None:
    for seed in range(5):
        english = make_question(pinned, random.Random(seed))
        again = make_question(pinned, random.Random(seed), lang="en")
        assert english == again
        term = pinned.terms[english.term_id]
        assert english.prompt in (term.name, masked_definition(term))
        assert english.untranslated == ()
