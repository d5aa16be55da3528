"""Issue 11's targets on the query sets of tests/data/queries/, graded on the glossary they
were written for (pinned in tests/data/glossary-2026-12, so content changes cannot move them).

descriptions.yaml is the held-out measurement: this test asserts its figures and never
prints its entries (see bench/quality.py). fresh-en.yaml and fresh-ko.yaml were written
later, from a digest of the glossary only (names and definitions: no aliases, no asked_as,
no code, no other query set), and measured once: they MISS the 85% target (82.8% and 71.2%
offered first, docs/benchmarks.md). Their floors here are those measured figures, rounded
down, so that a change cannot make them worse unnoticed; they are not the targets.
fresh2-en.yaml and fresh2-ko.yaml were written the same way by another writer, after the
first fresh sets' failures had been read, and measured once with no change in between:
85.4% (English, the target met) and 71.2% (Korean, missed) offered first.
fresh3-ko.yaml, written the same way by a third writer (150 Korean questions, descriptions
and unanswerable questions), was measured once after a Korean rule was added on the earlier
sets (a description whose best term clearly leads is offered even at lower coverage):
86.7% offered first (76.7% with the rule before it), 0 confident-wrong. The floors of
fresh-ko and fresh2-ko are raised to what that rule gives them (77.5%, 75.0%), rounded down.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.quality import PINNED_GLOSSARY_2026_12, Quality, evaluate, load_queries
from bot.glossary import load_glossary
from bot.lookup.resolver import Resolver

QUERIES = Path(__file__).parent.parent / "data" / "queries"
# (set, least share of in-glossary queries whose answer or first choice is right)
TARGETS = {
    "descriptions.yaml": 0.85,
    "names.yaml": 0.98,
    "ambiguous-singletons.yaml": 0.98,
    "dev-descriptions.yaml": 0.85,
    # Measured floors, below the 85% target (see the docstring).
    "fresh-en.yaml": 0.82,
    "fresh-ko.yaml": 0.77,
    # The second fresh sets, written after the first was read: measured once, untuned.
    "fresh2-en.yaml": 0.85,
    "fresh2-ko.yaml": 0.75,
    # The third, Korean: measured once after the Korean lead rule, untuned.
    "fresh3-ko.yaml": 0.85,
}


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(PINNED_GLOSSARY_2026_12))


@pytest.fixture(scope="module")
def graded(resolver: Resolver) -> dict[str, Quality]:
    return {name: evaluate(resolver, load_queries(QUERIES / name)) for name in TARGETS}


@pytest.mark.parametrize("name", TARGETS)
def test_the_right_term_is_offered_first(graded: dict[str, Quality], name: str) -> None:
    quality = graded[name]
    assert quality.in_glossary >= 20
    assert quality.offered_first_rate >= TARGETS[name], f"{quality.offered_first_rate:.1%}"


def test_confident_wrong_is_at_most_two_percent_across_the_sets(
    graded: dict[str, Quality],
) -> None:
    wrong = sum(q.confident_wrong for q in graded.values())
    queries = sum(q.queries for q in graded.values())
    assert wrong / queries <= 0.02
    for name, quality in graded.items():
        assert quality.confident_wrong_rate <= 0.02, name


@pytest.mark.parametrize(
    ("name", "answerable", "unanswerable"),
    [
        ("descriptions.yaml", 150, 50),
        ("fresh-en.yaml", 150, 50),
        ("fresh-ko.yaml", 60, 20),
        ("fresh2-en.yaml", 150, 50),
        ("fresh2-ko.yaml", 60, 20),
        ("fresh3-ko.yaml", 100, 25),
    ],
)
def test_the_held_out_sets_are_big_enough_to_mean_something(
    graded: dict[str, Quality], name: str, answerable: int, unanswerable: int
) -> None:
    held_out = graded[name]
    assert held_out.in_glossary >= answerable
    assert held_out.queries - held_out.in_glossary >= unanswerable


def test_the_sets_name_terms_of_the_pinned_glossary(resolver: Resolver) -> None:
    for name in TARGETS:
        for entry in load_queries(QUERIES / name):
            assert entry["expect"] is None or entry["expect"] in resolver.glossary.terms, entry
