"""Checks that hold for any valid glossary, whatever terms it has: run on the shipped one
and on a copy an admin has changed (tests/glossary/test_content_changes.py).

Nothing here names a term; every count comes from the files.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.glossary import Glossary, validate_glossary
from bot.lookup.answers import answer
from bot.lookup.resolver import Resolver
from bot.render.blocks.answers import answer_message
from bot.render.blocks.card import shared_term_message, term_message
from bot.render.blocks.home import home_view
from tests.support.blockkit import check_message, check_view

URL = "https://example.test/contributing"
# The only terms tests may assume in the shipped glossary: the seed terms of the two
# "LLM Lingo" tables and the multi-token-prediction terms its digest refers to.
SEED_TERMS = frozenset(
    {
        "quantization",
        "lora",
        "fine-tuning",
        "rlhf",
        "retrieval-augmented-generation",
        "hallucination",
        "token",
        "transformer",
        "embedding",
        "prompting",
        "multi-token-prediction",
        "next-token-prediction",
        "self-speculative-decoding",
        "output-head",
    }
)


def check_any_glossary(directory: Path) -> Glossary:
    """Assert everything a content pull request must keep true; return the glossary."""
    report = validate_glossary(directory)
    assert report.ok, "\n".join(map(str, report.problems))
    glossary = report.glossary
    assert glossary is not None
    _check_counts(directory, glossary)
    _check_references(glossary)
    _check_every_label_answers_its_term(glossary)
    _check_every_card_renders(glossary)
    return glossary


def _check_counts(directory: Path, glossary: Glossary) -> None:
    files = sorted((directory / "terms").glob("*.yaml"))
    assert sorted(glossary.terms) == sorted(p.stem for p in files)
    listed = yaml.safe_load((directory / "categories.yaml").read_text(encoding="utf-8"))
    assert [c.id for c in glossary.categories] == [entry["id"] for entry in listed]
    terms, categories = len(files), len(listed)
    assert report_summary(directory).startswith(f"{terms} terms in {categories} categories")


def report_summary(directory: Path) -> str:
    return validate_glossary(directory).summary()


def _check_references(glossary: Glossary) -> None:
    for term in glossary.terms.values():
        assert glossary.category(term.category) is not None, term.id
        for related in term.related:
            assert related in glossary.terms, f"{term.id} → {related}"
    for digest in glossary.digests.values():
        for item in digest.items:
            assert all(t in glossary.terms for t in item.terms), f"{digest.id}/{item.id}"


def _check_every_label_answers_its_term(glossary: Glossary) -> None:
    resolver = Resolver(glossary)
    for term in glossary.terms.values():
        for label in term.labels:
            resolution = resolver.resolve(label)
            assert resolution.status == "exact", (label, resolution.status)
            assert resolution.term is not None, label
            assert resolution.term.id == term.id, label


def _check_every_card_renders(glossary: Glossary) -> None:
    resolver = Resolver(glossary)
    for term in glossary.terms.values():
        check_message(term_message(term, glossary))
        check_message(
            shared_term_message(term, glossary, "U0SHARER01"), allow_mentions=("@U0SHARER01",)
        )
        check_view(home_view(glossary, term, contributing_url=URL))
    for query in ["", "list", *(f"list {c.id}" for c in glossary.categories)]:
        reply = answer(query, resolver, contributing_url=URL)
        check_message(answer_message(reply, glossary, contributing_url=URL))
