"""The anonymous lookup log: what people look for, never who; never in the way of an answer."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from bot.admin.lookup_log import LookupRecorder, normalised_query, utcnow
from bot.admin.stats import lookup_stats, parse_since
from bot.errors import UserError
from bot.glossary import load_glossary
from bot.lookup.resolver import Resolver
from bot.render.text import stats_text
from bot.store.engine import make_engine, upgrade_schema
from bot.store.tables import lookup_counts

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-glossary"
QUERIES = [
    "LoRA",
    "lora",
    "tokens",
    "Fine-Tuning",
    "Mixture of Experts",
    "mixture of experts",
    "What is mixture-of-experts?",
    "vector graphics",
    "transfer money",
]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(MINI))


@pytest.fixture
def sqlite_engine(engine: Engine) -> Engine:
    """The shared fresh SQLite database (tests/conftest.py), named beside postgres_engine."""
    return engine


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """An engine on a fresh schema of the test PostgreSQL, dropped afterwards."""
    url = os.environ.get("LINGO_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("LINGO_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL and sets it)")
    schema = f"test_stats_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    upgrade_schema(engine)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def record_all(recorder: LookupRecorder, resolver: Resolver, queries: list[str]) -> None:
    for query in queries:
        recorder.record(query, resolver.resolve(query))


def check_top_misses(engine: Engine, resolver: Resolver) -> None:
    recorder = LookupRecorder(engine)
    recorder.start()
    record_all(recorder, resolver, QUERIES)
    assert recorder.flush()
    recorder.close()
    stats = lookup_stats(engine, since=utcnow() - timedelta(days=7))
    assert stats.total == len(QUERIES)
    assert stats.by_outcome["miss"] == 5
    assert stats.top_misses[0] == ("Mixture of Experts", 3)  # as first typed
    assert {q for q, _ in stats.top_misses} == {
        "Mixture of Experts",
        "vector graphics",
        "transfer money",
    }
    assert stats.top_terms[0] == ("lora", 2)
    assert ("token", 1) in stats.top_terms


def test_stats_show_top_terms_and_misses_on_sqlite(
    sqlite_engine: Engine, resolver: Resolver
) -> None:
    check_top_misses(sqlite_engine, resolver)


@pytest.mark.postgres
def test_stats_show_top_terms_and_misses_on_postgresql(
    postgres_engine: Engine, resolver: Resolver
) -> None:
    check_top_misses(postgres_engine, resolver)


def test_the_log_never_holds_the_user(sqlite_engine: Engine) -> None:
    columns = {c["name"] for c in inspect(sqlite_engine).get_columns("lookup_counts")}
    assert columns == {"id", "at", "query", "outcome", "term_id", "count"}


def test_lookups_are_stored_as_counts_per_minute(sqlite_engine: Engine, resolver: Resolver) -> None:
    """A thousand lookups of a few queries are a few rows, not a thousand."""
    recorder = LookupRecorder(sqlite_engine)
    recorder.start()
    record_all(recorder, resolver, QUERIES * 1000)
    recorder.close()
    assert recorder.written == len(QUERIES) * 1000
    with sqlite_engine.connect() as connection:
        rows = connection.execute(select(lookup_counts)).all()
    assert len(rows) <= 2 * len(QUERIES)  # the minute may turn during the test
    assert all(row.at.second == 0 and row.at.microsecond == 0 for row in rows)
    assert sum(row.count for row in rows) == len(QUERIES) * 1000
    stats = lookup_stats(sqlite_engine, since=utcnow() - timedelta(minutes=5))
    assert stats.total == len(QUERIES) * 1000
    assert stats.top_misses[0] == ("Mixture of Experts", 3000)


def test_queries_are_counted_as_the_resolver_folds_them() -> None:
    assert normalised_query("What is Mixture-of-Experts?") == normalised_query("mixture of experts")
    assert normalised_query("  LoRA  ") == "lora"
    assert len(normalised_query("x" * 1000)) <= 200


def test_stats_count_only_the_chosen_period(sqlite_engine: Engine, resolver: Resolver) -> None:
    month_ago = time.time() - 30 * 86400
    old = LookupRecorder(sqlite_engine, clock=lambda: month_ago)
    old.start()
    record_all(old, resolver, ["flux capacitor"] * 4)
    old.close()
    new = LookupRecorder(sqlite_engine)
    new.start()
    record_all(new, resolver, ["beam search"])
    new.close()
    week = lookup_stats(sqlite_engine, parse_since("7d"))
    assert [q for q, _ in week.top_misses] == ["beam search"]
    quarter = lookup_stats(sqlite_engine, parse_since("90d"))
    assert quarter.top_misses[0] == ("flux capacitor", 4)


def test_a_slow_database_never_slows_an_answer(
    tmp_path: Path, resolver: Resolver, caplog: pytest.LogCaptureFixture
) -> None:
    """While another process holds the database locked, recording stays instant; counts
    wait in memory, at most ``capacity`` of them, and a lookup that would need one more is
    dropped (and counted); once the lock is gone the counts are written."""
    path = tmp_path / "lingo.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    recorder = LookupRecorder(engine, capacity=50, interval=0.01)
    recorder.start()
    recorder.record("beam search", resolver.resolve("beam search"))
    # The recorder takes the count to write it and waits for the locked database.
    deadline = time.monotonic() + 30
    while recorder.held:
        assert time.monotonic() < deadline, "the recorder never took the count"
        time.sleep(0.01)
    queries = [f"flux capacitor {i}" for i in range(500)]
    resolutions = [resolver.resolve(query) for query in queries]
    # 1000 records while the database is locked: were recording to wait for the database,
    # this loop would not end before the lock is released below.
    for query, resolution in zip(queries, resolutions, strict=True):
        recorder.record(query, resolution)
        recorder.record(query, resolution)
    assert recorder.dropped == 2 * (500 - 50)
    assert any("not recorded" in r.getMessage() for r in caplog.records)
    blocker.execute("ROLLBACK")
    blocker.close()
    assert recorder.flush(timeout=40)
    recorder.close()
    assert recorder.written == 1 + 2 * 50
    stats = lookup_stats(engine, since=utcnow() - timedelta(minutes=5), limit=100)
    assert stats.total == 1 + 2 * 50
    assert len(stats.top_misses) == 51
    assert {n for _, n in stats.top_misses} == {1, 2}
    engine.dispose()


@pytest.mark.parametrize("down", ["sqlite", "postgresql"])
def test_a_database_that_is_down_is_logged_and_answers_go_on(
    down: str, tmp_path: Path, resolver: Resolver, caplog: pytest.LogCaptureFixture
) -> None:
    if down == "sqlite":
        (tmp_path / "not-a-folder").write_text("")
        engine = create_engine(f"sqlite:///{tmp_path / 'not-a-folder' / 'lingo.db'}")
    else:
        engine = make_engine("postgresql://lingo@127.0.0.1:1/lingo")  # nothing listens on port 1
    recorder = LookupRecorder(engine, interval=0.01)
    recorder.start()
    started = time.perf_counter()
    record_all(recorder, resolver, QUERIES * 3)
    assert time.perf_counter() - started < 0.25
    with caplog.at_level(logging.WARNING, logger="bot.admin.stats"):
        recorder.close(timeout=20)  # no backoff when closing: every batch is tried once
    assert recorder.failed == len(QUERIES) * 3
    assert recorder.written == 0
    assert any("could not record" in r.getMessage() for r in caplog.records)
    engine.dispose()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", timedelta(days=7)),
        ("24h", timedelta(hours=24)),
        ("2w", timedelta(weeks=2)),
        ("30m", timedelta(minutes=30)),
        (" 1 D ", timedelta(days=1)),
    ],
)
def test_since_takes_a_span(text: str, expected: timedelta) -> None:
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_since(text, now) == now.replace(tzinfo=None) - expected


def test_since_takes_a_date_and_refuses_nonsense() -> None:
    assert parse_since("2025-01-31") == datetime(2025, 1, 31)
    with pytest.raises(UserError, match="time span like 7d"):
        parse_since("last week")


def test_stats_text_names_the_terms(sqlite_engine: Engine, resolver: Resolver) -> None:
    recorder = LookupRecorder(sqlite_engine)
    recorder.start()
    record_all(recorder, resolver, QUERIES)
    recorder.close()
    stats = lookup_stats(sqlite_engine, parse_since("1d"))
    names = {t.id: t.name for t in resolver.glossary.terms.values()}
    shown = stats_text(stats, names)
    assert "Lookups since" in shown
    assert "exact" in shown
    assert "2  LoRA (Low-Rank Adaptation)" in shown
    assert "3  Mixture of Experts" in shown
