"""Migrations: one chain from 0001, a head that matches tables.py, databases adopted in place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select

from bot.store.engine import current_revision, make_engine, upgrade_schema
from bot.store.migrations import alembic_config, head_revision
from bot.store.tables import daily_posts, metadata, subscriptions

DATA = Path(__file__).parent / "data"


@pytest.fixture
def engine(daily_db_url: str) -> Engine:
    return make_engine(daily_db_url)


def differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))


def test_the_revisions_form_one_chain_from_the_baseline() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    chain = [revision.revision for revision in script.walk_revisions()]  # newest first
    assert chain[-1] == "0001"
    assert script.get_heads() == [head_revision()] == [chain[0]]
    assert len(set(chain)) == len(chain)


def test_a_new_database_upgraded_to_the_head_matches_the_tables(engine: Engine) -> None:
    assert current_revision(engine) is None
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    engine.dispose()


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    upgrade_schema(engine)
    before = {t: inspect(engine).get_columns(t) for t in inspect(engine).get_table_names()}
    upgrade_schema(engine)
    after = {t: inspect(engine).get_columns(t) for t in inspect(engine).get_table_names()}
    assert repr(before) == repr(after)
    engine.dispose()


def make_pre_migration_database(engine: Engine) -> None:
    """The tables exactly as ``create_schema`` made them before migrations, with a row."""
    ddl = (DATA / f"schema_before_migrations.{engine.dialect.name}.sql").read_text()
    ddl = "\n".join(line for line in ddl.splitlines() if not line.startswith("--"))
    now = datetime(2025, 3, 1, 9, tzinfo=UTC)
    with engine.begin() as connection:
        for statement in filter(str.strip, ddl.split(";")):
            connection.exec_driver_sql(statement)
        connection.execute(
            subscriptions.insert().values(
                channel="C1",
                post_time="09:00",
                days="mon-fri",
                timezone="UTC",
                created_at=now,
                changed_at=now,
            )
        )


def test_a_database_made_before_migrations_is_adopted_in_place(engine: Engine) -> None:
    make_pre_migration_database(engine)
    assert current_revision(engine) is None
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    with engine.connect() as connection:
        kept = connection.execute(select(subscriptions.c.channel, subscriptions.c.source)).all()
    assert [tuple(row) for row in kept] == [("C1", "slack")]
    engine.dispose()


def test_an_older_database_gets_the_tables_and_columns_it_lacks(engine: Engine) -> None:
    """Made before lookup_counts and before daily_posts had attempts, maybe_sent, ..."""
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE daily_posts (channel VARCHAR(32) NOT NULL, local_date DATE NOT NULL,"
            " status VARCHAR(16) NOT NULL, claim_token VARCHAR(36) NOT NULL,"
            " claimed_at TIMESTAMP NOT NULL, first_claimed_at TIMESTAMP NOT NULL,"
            " PRIMARY KEY (channel, local_date))"
        )
        connection.exec_driver_sql(
            "INSERT INTO daily_posts VALUES ('C1', '2025-03-03', 'posted', 't',"
            " '2025-03-03 09:00:00', '2025-03-03 09:00:00')"
        )
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    assert {"lookup_counts", "daily_rotations", "daily_subscriptions"} <= set(
        inspect(engine).get_table_names()
    )
    with engine.connect() as connection:
        row = connection.execute(
            select(daily_posts.c.local_date, daily_posts.c.attempts, daily_posts.c.maybe_sent)
        ).one()
    assert tuple(row) == (date(2025, 3, 3), 1, False)
    engine.dispose()
