"""Storage through SQLAlchemy: a SQLite file by default, PostgreSQL when scaled out.

This module owns the engine and the shared ``metadata``; each feature declares its tables
on that metadata in its own module (``bot.daily.ledger``, ``bot.admin.stats``, ...) and
``create_schema`` creates or upgrades all of them at start.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from bot.errors import SettingsError

metadata = MetaData()

# Modules that declare tables on ``metadata``; imported before the schema is created.
TABLE_MODULES: tuple[str, ...] = ("bot.admin.stats", "bot.daily.tables")


def sqlalchemy_url(url: str) -> str:
    """Accept libpq-style URLs as written: postgres:// and postgresql:// use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url``; for SQLite, the folder is created and WAL mode is on."""
    try:
        parsed = make_url(sqlalchemy_url(url))
    except Exception as error:
        raise SettingsError(f"LINGO_DATABASE_URL is not a database URL: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
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


def _sqlite_pragmas(connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Any constant will do: replicas starting together take this lock before touching the schema.
_SCHEMA_LOCK = 7_362_148_001


def create_schema(engine: Engine) -> None:
    """Create (and upgrade) every table the bot uses. Safe on every start, by every replica.

    On PostgreSQL, replicas starting at once would race to create the same tables; a
    transaction-scoped advisory lock lets one do it while the others wait, then find the
    tables there. SQLite serialises writers itself; a lost race there is simply retried.
    """
    for module in TABLE_MODULES:
        importlib.import_module(module)
    for attempt in range(3):
        try:
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK}
                    )
                metadata.create_all(connection, checkfirst=True)
            return
        except OperationalError as error:
            if attempt == 2 or "already exists" not in str(error):
                raise
