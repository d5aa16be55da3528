"""Storage through SQLAlchemy: a SQLite file by default, PostgreSQL when scaled out.

This module owns the engine and the shared ``metadata``; each feature declares its tables
on that metadata in its own module (``bot.daily.ledger``, ``bot.admin.stats``, ...) and
``create_schema`` creates or upgrades all of them at start.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from bot.errors import SettingsError
from bot.store.tables import DAILY_TABLES, metadata


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
    for attempt in range(3):
        try:
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK}
                    )
                metadata.create_all(connection, checkfirst=True)
                upgrade_daily_tables(connection)
            return
        except OperationalError as error:
            if attempt == 2 or "already exists" not in str(error):
                raise


def upgrade_daily_tables(connection: Connection) -> list[str]:
    """Add columns declared above that the database lacks; return what was added."""
    added: list[str] = []
    inspector = inspect(connection)
    preparer = connection.dialect.identifier_preparer
    for table in DAILY_TABLES:
        if not inspector.has_table(table.name):
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(
                    f"cannot add {table.name}.{column.name}: new columns need a server default"
                )
            ddl = column.type.compile(dialect=connection.dialect)
            sql = f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN "
            if connection.dialect.name == "postgresql":
                sql += "IF NOT EXISTS "  # another replica may be adding it right now
            sql += f"{preparer.quote(column.name)} {ddl}"
            if column.server_default is not None:
                default = column.server_default.arg  # type: ignore[attr-defined]
                if isinstance(default, str):
                    sql += " DEFAULT '" + default.replace("'", "''") + "'"
                else:
                    sql += f" DEFAULT {default.compile(dialect=connection.dialect)}"
                if not column.nullable:
                    sql += " NOT NULL"
            try:
                connection.execute(text(sql))
            except DBAPIError as error:  # SQLite: another process added it first
                if "duplicate column" not in str(error).lower():
                    raise
            added.append(f"{table.name}.{column.name}")
    return added


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
