"""A read-only or unreachable database never stops lookups (issue 12, item 5)."""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.glossary.model import Glossary
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from tests.conftest import Served


def start_without_storage(
    settings: Settings, url: str, glossary: Glossary, caplog: pytest.LogCaptureFixture
) -> Runtime:
    with caplog.at_level(logging.WARNING):
        changed = dataclasses.replace(
            settings, database_url=url, admin_user_ids=frozenset({"U0ADMIN001"})
        )
        runtime = build_runtime(changed, glossary=glossary)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "storage unavailable" in warnings[0].getMessage()
    assert warnings[0].exc_info is None  # one line, no traceback
    assert runtime.deps.engine is None
    assert runtime.storage_problem is not None
    assert [name for name, _ in runtime.services(scheduler=True)] == [
        "ranking index warm-up",
        "glossary watcher",
    ]
    return runtime


def check_degraded(runtime: Runtime, serve_app: Callable[[Runtime], Served]) -> None:
    served = serve_app(runtime)
    slack = served.sender()
    card = slack.command("quantization")
    assert card.status == 200
    assert "Quantization" in card.text
    for words in ("subscribe 09:30 mon-fri", "stats"):
        reply = slack.command(words, user="U0ADMIN001")
        assert "The database is unavailable right now" in reply.json()["text"], words
    ready, why = runtime.readiness()
    assert ready
    assert "storage unavailable" in why


def test_a_read_only_sqlite_database_leaves_lookups_answering(
    tmp_path: Path,
    settings: Settings,
    shipped_glossary: Glossary,
    serve_app: Callable[[Runtime], Served],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "lingo.db"
    sqlite3.connect(path).close()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"  # the file opened read-only
    runtime = start_without_storage(settings, url, shipped_glossary, caplog)
    assert "readonly" in (runtime.storage_problem or "")
    check_degraded(runtime, serve_app)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_leaves_lookups_answering(
    tmp_path: Path,
    settings: Settings,
    shipped_glossary: Glossary,
    serve_app: Callable[[Runtime], Served],
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        runtime = start_without_storage(
            settings, f"sqlite:///{folder / 'lingo.db'}", shipped_glossary, caplog
        )
        check_degraded(runtime, serve_app)
    finally:
        folder.chmod(0o755)


def test_an_unreachable_postgresql_leaves_lookups_answering(
    settings: Settings,
    shipped_glossary: Glossary,
    serve_app: Callable[[Runtime], Served],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "postgresql://lingo@127.0.0.1:1/lingo"  # a closed loopback port
    runtime = start_without_storage(settings, url, shipped_glossary, caplog)
    assert "127.0.0.1" in (runtime.storage_problem or "")
    check_degraded(runtime, serve_app)
