"""Resolver quality on realistic held-out queries: ≥98% top-1, ≤2% confident-wrong.

The query sets were written for the 46-term glossary and are graded against that glossary,
pinned in tests/data/glossary-46, so a content pull request cannot break them; their
figures on the shipped glossary come from `python -m bench.quality` (reported, not asserted).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.quality import PINNED_GLOSSARY, QUERY_SETS, evaluate, load_queries
from bot.glossary import load_glossary
from bot.lookup.resolver import Resolver


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(PINNED_GLOSSARY))


@pytest.mark.parametrize("path", QUERY_SETS, ids=lambda p: p.name)
def test_quality_targets(resolver: Resolver, path: Path) -> None:
    queries = load_queries(path)
    assert len(queries) >= 150
    assert sum(q["expect"] is None for q in queries) >= 30
    quality = evaluate(resolver, queries)
    failures = "\n".join(map(str, quality.failures))
    assert quality.top1_rate >= 0.98, failures
    assert quality.confident_wrong_rate <= 0.02, failures


@pytest.mark.parametrize("path", QUERY_SETS, ids=lambda p: p.name)
def test_query_sets_name_real_terms(resolver: Resolver, path: Path) -> None:
    for entry in load_queries(path):
        assert entry["expect"] is None or entry["expect"] in resolver.glossary.terms, entry
