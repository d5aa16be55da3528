"""Fixtures of the term-of-the-day tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.store.engine import make_engine, upgrade_schema


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database at the newest migration."""
    built = make_engine(f"sqlite:///{tmp_path / 'daily.db'}")
    upgrade_schema(built)
    yield built
    built.dispose()
