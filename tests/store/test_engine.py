"""Storage: the schema is created by whichever replica starts first, however many start."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from bot.store.engine import make_engine, upgrade_schema, use_wal


def _start_replica(url: str, barrier: Any, results: Any) -> None:
    engine = make_engine(url)
    barrier.wait(timeout=30)
    try:
        upgrade_schema(engine)
        results.put("ok")
    except Exception as error:  # report to the parent, which asserts
        results.put(f"{type(error).__name__}: {error}")
    finally:
        engine.dispose()


def race_upgrade_schema(url: str, replicas: int = 6) -> list[str]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(replicas)
    results = context.Queue()
    processes = [
        context.Process(target=_start_replica, args=(url, barrier, results))
        for _ in range(replicas)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return outcomes


def expected_tables() -> set[str]:
    from bot.store.tables import metadata

    return set(metadata.tables)


@pytest.mark.postgres
def test_replicas_starting_together_on_a_fresh_postgres(daily_postgres_url: str) -> None:
    assert race_upgrade_schema(daily_postgres_url) == ["ok"] * 6
    engine = make_engine(daily_postgres_url)
    try:
        assert expected_tables() <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_replicas_starting_together_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lingo.db'}"
    assert race_upgrade_schema(url) == ["ok"] * 6
    assert expected_tables() <= set(inspect(make_engine(url)).get_table_names())


def test_upgrade_schema_twice_changes_nothing(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'lingo.db'}")
    upgrade_schema(engine)

    def columns() -> dict[str, list[tuple[str, str, bool]]]:
        found = inspect(engine)
        return {
            table: [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)]
            for table in found.get_table_names()
        }

    before = columns()
    upgrade_schema(engine)
    after = columns()
    assert before == after
    assert {"lookup_counts"} <= set(before)


def test_sqlite_makes_the_missing_folder_of_a_path(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'lingo.db'}")
    engine.connect().close()
    assert (tmp_path / "new" / "lingo.db").exists()


def test_a_sqlite_uri_filename_makes_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "lingo.db"
    make_engine(f"sqlite:///{path}").connect().close()
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    engine.connect().close()
    assert not (tmp_path / "file:").exists()


class RefusingCursor:
    """A cursor whose WAL switch is refused ``refusals`` times, as SQLite refuses one of
    two replicas switching a new file at once."""

    def __init__(self, refusals: int, message: str = "database is locked") -> None:
        self.refusals = refusals
        self.message = message
        self.executed: list[str] = []

    def execute(self, statement: str) -> None:
        self.executed.append(statement)
        if self.refusals:
            self.refusals -= 1
            raise sqlite3.OperationalError(self.message)


def test_a_refused_switch_to_wal_is_tried_again() -> None:
    cursor, waits = RefusingCursor(refusals=2), []
    use_wal(cursor, sleep=waits.append)
    assert cursor.executed == ["PRAGMA journal_mode=WAL"] * 3
    assert len(waits) == 2
    assert waits[1] > waits[0]


def test_any_other_error_of_the_switch_is_raised() -> None:
    cursor = RefusingCursor(refusals=1, message="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        use_wal(cursor, sleep=lambda _: None)
    assert len(cursor.executed) == 1
