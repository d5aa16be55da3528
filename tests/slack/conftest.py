"""Fixtures of the Slack edge tests: the pinned December 2026 glossary (Korean fields)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.glossary import load_glossary
from bot.glossary.model import Glossary
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings

PINNED = Path(__file__).resolve().parents[1] / "data" / "glossary-2026-12"


@pytest.fixture(scope="session")
def pinned() -> Glossary:
    return load_glossary(PINNED)


@pytest.fixture
def pinned_runtime(settings: Settings, pinned: Glossary) -> Iterator[Runtime]:
    built = build_runtime(settings, glossary=pinned)
    yield built
    built.engine.dispose()
