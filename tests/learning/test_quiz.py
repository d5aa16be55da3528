"""Quiz questions: masked definitions, plausible distractors, verdicts — on a fixture glossary."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.glossary import Glossary, load_glossary
from bot.learning.quiz import (
    MASK,
    OPTIONS,
    NotEnoughTerms,
    distractor_pool,
    judge,
    make_question,
    masked_definition,
)

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(DATA / "learning-glossary")


def test_the_definition_never_gives_the_answer_away(glossary: Glossary) -> None:
    for term in glossary.terms.values():
        words = masked_definition(term).lower().split()
        for label in term.labels:
            first = label.lower().split()[0]
            if len(label) >= 3 and " " not in label:
                assert not any(w.strip("(),.;:").startswith(first) for w in words), (term.id, label)


@pytest.mark.parametrize("seed", range(20))
def test_a_question_has_four_different_options_and_one_right(glossary: Glossary, seed: int) -> None:
    question = make_question(glossary, random.Random(seed))
    assert len(question.options) == OPTIONS
    assert len({o.term_id for o in question.options}) == OPTIONS
    assert question.right.term_id == question.term_id
    if question.kind == "which-term":
        assert {o.text for o in question.options} <= {t.name for t in glossary.terms.values()}
    else:
        assert question.prompt == glossary.terms[question.term_id].name


def test_distractors_come_from_related_terms_first(glossary: Glossary) -> None:
    term = next(t for t in glossary.terms.values() if t.related)
    pool = distractor_pool(glossary, term)
    assert {t.id for t in pool[: len(term.related)]} <= set(term.related) | {
        t.id for t in glossary.terms.values() if term.id in t.related
    }
    assert term.id not in {t.id for t in pool}


def test_the_verdict_says_how_each_wrong_option_differs(glossary: Glossary) -> None:
    question = make_question(glossary, random.Random(3), kind="which-term")
    wrong = next(i for i, o in enumerate(question.options) if i != question.answer)
    verdict = judge(question, wrong, glossary)
    assert not verdict.correct
    assert verdict.chosen is not None
    assert verdict.chosen.id == question.options[wrong].term_id
    assert {t.id for t, _ in verdict.differences} == {
        o.term_id for o in question.options if o.term_id != question.term_id
    }
    assert all(line for _, line in verdict.differences)
    assert judge(question, question.answer, glossary).correct


def test_a_category_too_small_for_four_options_draws_distractors_elsewhere(
    glossary: Glossary,
) -> None:
    category = glossary.categories[0].id
    question = make_question(glossary, random.Random(1), category=category)
    assert glossary.terms[question.term_id].category == category


def test_a_glossary_of_three_terms_cannot_make_a_question() -> None:
    small = Glossary(terms=dict(list(load_glossary(DATA / "learning-glossary").terms.items())[:3]))
    with pytest.raises(NotEnoughTerms):
        make_question(small, random.Random(0))


def test_masking_hides_plurals_and_case(glossary: Glossary) -> None:
    term = next(iter(glossary.terms.values()))
    text = f"{term.name.upper()}s are used everywhere; see {term.name}."
    masked = masked_definition(
        type(term)(id=term.id, name=term.name, category=term.category, definition=text)
    )
    assert term.name.lower() not in masked.lower()
    assert MASK in masked
