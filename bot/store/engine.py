"""Storage through SQLAlchemy: a SQLite file by default, PostgreSQL when scaled out.

``make_engine`` opens the database; ``upgrade_schema`` brings its schema to the newest
migration (``bot/store/migrations``), once per start, by every replica at once if need be.

Transactions on SQLite begin ``IMMEDIATE``: the write lock is taken when the transaction
begins, so a transaction that reads and then writes (a ledger claim, a subscription, a
lookup-log flush, a migration) waits for other writers through the busy timeout instead of
failing with "database is locked" when it tries to upgrade a read lock (SQLite returns
SQLITE_BUSY there without calling the busy handler). Reads that must work on a database
nobody may write (``lingo db current``, the readiness probe) run in autocommit mode
(``read_only``), which begins no transaction at all.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry

from bot.errors import SettingsError
from bot.store.migrations import alembic_config

logger = logging.getLogger(__name__)

# How long a SQLite connection waits for another's write lock before "database is locked".
BUSY_SECONDS = 30


def sqlalchemy_url(url: str) -> str:
    """Accept libpq-style URLs as written: postgres:// and postgresql:// use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url``; for SQLite, the folder is made on first connect and WAL is on."""
    try:
        parsed = make_url(sqlalchemy_url(url))
    except Exception as error:
        raise SettingsError(f"LINGO_DATABASE_URL is not a database URL: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": BUSY_SECONDS}, **options)
        database = parsed.database
        uri = parsed.query.get("uri") == "true" or (database or "").startswith("file:")
        if database and database != ":memory:" and not uri:
            # A URI filename ("file:...?mode=ro") is sqlite's to interpret, not a path.
            folder = Path(database).parent
            event.listen(engine, "do_connect", lambda *_: folder.mkdir(parents=True, exist_ok=True))
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            importlib.import_module("psycopg")
        except ImportError:
            raise SettingsError(
                "LINGO_DATABASE_URL names PostgreSQL but its driver is missing: "
                "pip install 'llm-lingo[postgres]'"
            ) from None
        return create_engine(parsed, pool_pre_ping=True, **options)
    raise SettingsError(
        f"LINGO_DATABASE_URL: unsupported database '{parsed.get_backend_name()}' "
        "(use sqlite:///path or postgresql://user:password@host/db)"
    )


def _sqlite_connect(connection: Any, _record: ConnectionPoolEntry) -> None:
    # pysqlite's own BEGIN (deferred, and only before DML) is turned off: _sqlite_begin
    # emits the BEGIN, as SQLAlchemy's pysqlite documentation shows.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def use_wal(cursor: Any, *, sleep: Callable[[float], None] = time.sleep) -> None:
    """Switch the database to WAL (once per file; later connections find it so).

    Replicas opening a new file together each try the switch, which upgrades a read lock to
    an exclusive one: SQLite refuses the second of two such upgrades at once with "database
    is locked" without waiting (its busy handler is not called where waiting could
    deadlock), so a refused switch is tried again, for up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        sleep(delay)
        delay = min(2 * delay, 0.25)


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def read_only(engine: Engine) -> Iterator[Connection]:
    """A connection that only reads and takes no lock: it works on a read-only database."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


# Any constant will do: replicas starting together take this lock before touching the schema.
_SCHEMA_LOCK = 7_362_148_001


def upgrade_schema(engine: Engine, revision: str = "heads") -> None:
    """Apply every migration the database lacks. Safe on every start, by every replica.

    The migrations run in one transaction that holds the schema lock: on PostgreSQL a
    transaction-scoped advisory lock, on SQLite the write lock of BEGIN IMMEDIATE. Replicas
    starting at once wait for the first, then find the database at the newest revision and
    do nothing. A database made before migrations existed is adopted by ``0001``.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(alembic_config(connection), revision)
        after = MigrationContext.configure(connection).get_current_revision()
    if after != before:
        # A new database is not news; an existing one moving to a newer schema is.
        log = logger.info if before is not None else logger.debug
        log("database schema migrated from %s to %s", before or "nothing", after)


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; None if it has none (new, or made before them)."""
    from alembic.runtime.migration import MigrationContext

    with read_only(engine) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def insert_for(connection: Connection, table: Table) -> Any:
    """An INSERT for ``table`` that supports ``on_conflict_do_nothing`` on this database."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise RuntimeError(
        f"the daily post supports SQLite and PostgreSQL, not {connection.dialect.name}"
    )
