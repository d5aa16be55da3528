"""The daily post's tables, declared on the shared ``bot.store.engine.metadata``.

``create_schema`` (bot.store.engine) creates them; right after, ``upgrade_daily_tables`` adds any
column declared here that an older database lacks, so a schema grows without a migration
tool. Such columns must be nullable or have a server default. The upgrade is idempotent
and safe when several processes start at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    false,
    inspect,
    text,
    true,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeDecorator

from bot.store.engine import metadata


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite stores it without a zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; the daily tables store aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Channels that get the post: when (local time, days, zone) and who set it up.
# ``source`` is "settings" for rows seeded from LINGO_DAILY_CHANNELS (they follow the
# settings) and "slack" once someone changed them with /lingo (then the settings leave
# them alone). An unsubscribed channel keeps its row with active false, so a restart does
# not seed it back.
subscriptions = Table(
    "daily_subscriptions",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("post_time", String(5), nullable=False),  # HH:MM, local
    Column("days", String(64), nullable=False),  # cron style: mon-fri, mon,wed,fri
    Column("timezone", String(64), nullable=False),  # IANA name
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("source", String(16), nullable=False, server_default="slack"),
    Column("created_by", String(32)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("changed_by", String(32)),
    # When the schedule last changed: a run scheduled before it is not caught up.
    Column("changed_at", UtcDateTime, nullable=False),
)

# The ledger: one row per channel and local date, claimed before anything is posted.
#   claimed  a process owns the day and has not called Slack yet
#   sending  the owner is calling chat.postMessage now
#   posted   done; message_ts is the message
#   failed   the last attempt did not post; retried after retry_at, the same local day
# ``maybe_sent`` is set once an attempt may have reached Slack without us learning the ts
# (a crash while sending, a dropped connection, a 5xx); the next attempt first looks for
# the message in the channel's history.
daily_posts = Table(
    "daily_posts",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("claim_token", String(36), nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("first_claimed_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("maybe_sent", Boolean, nullable=False, server_default=false()),
    Column("retry_at", UtcDateTime),
    Column("message_ts", String(32)),
    Column("posted_at", UtcDateTime),
    Column("term_id", String(64)),
    Column("digest_id", String(64)),
    Column("digest_item_id", String(64)),
    Column("last_error", Text),
)

# Where each channel is in each rotation: "terms", or "digest:<digest id>".
# ``shown`` lists the ids already posted in the current cycle.
rotations = Table(
    "daily_rotations",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("series", String(80), primary_key=True),
    Column("cycle", Integer, nullable=False, server_default="0"),
    Column("shown", JSON, nullable=False),
    Column("last_id", String(64)),
    Column("updated_at", UtcDateTime, nullable=False),
)

DAILY_TABLES = (subscriptions, daily_posts, rotations)


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


def _upgrade_after_create(target: MetaData, connection: Connection, **_: Any) -> None:
    upgrade_daily_tables(connection)


# create_all fires this after every run, also when every table already existed.
event.listen(metadata, "after_create", _upgrade_after_create)


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
