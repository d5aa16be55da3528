"""0001 baseline: the four tables as the bot made them before it had migrations.

On a new database this creates daily_subscriptions, daily_posts, daily_rotations and
lookup_counts. On a database made by earlier code (tables present, no alembic_version) it
adopts what is there: a missing table is created, a missing column is added (databases
made before lookup_counts or the later daily_posts columns existed), nothing present is
touched, and the database is then at 0001 like any other.

The tables are written out here, not imported from bot/store/tables.py: a migration is a
record of one step and must not change when the tables change later.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None

UTC_TIME = sa.DateTime(timezone=True)

baseline = sa.MetaData()

sa.Table(
    "daily_subscriptions",
    baseline,
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("post_time", sa.String(5), nullable=False),
    sa.Column("days", sa.String(64), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("source", sa.String(16), nullable=False, server_default="slack"),
    sa.Column("created_by", sa.String(32)),
    sa.Column("created_at", UTC_TIME, nullable=False),
    sa.Column("changed_by", sa.String(32)),
    sa.Column("changed_at", UTC_TIME, nullable=False),
)
sa.Table(
    "daily_posts",
    baseline,
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("local_date", sa.Date, primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("claim_token", sa.String(36), nullable=False),
    sa.Column("claimed_at", UTC_TIME, nullable=False),
    sa.Column("first_claimed_at", UTC_TIME, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
    sa.Column("maybe_sent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("retry_at", UTC_TIME),
    sa.Column("message_ts", sa.String(32)),
    sa.Column("posted_at", UTC_TIME),
    sa.Column("term_id", sa.String(64)),
    sa.Column("digest_id", sa.String(64)),
    sa.Column("digest_item_id", sa.String(64)),
    sa.Column("last_error", sa.Text),
)
sa.Table(
    "daily_rotations",
    baseline,
    sa.Column("channel", sa.String(32), primary_key=True),
    sa.Column("series", sa.String(80), primary_key=True),
    sa.Column("cycle", sa.Integer, nullable=False, server_default="0"),
    sa.Column("shown", sa.JSON, nullable=False),
    sa.Column("last_id", sa.String(64)),
    sa.Column("updated_at", UTC_TIME, nullable=False),
)
sa.Table(
    "lookup_counts",
    baseline,
    sa.Column(
        "id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("at", sa.DateTime(timezone=False), nullable=False, index=True),
    sa.Column("query", sa.String(200), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("term_id", sa.String(64), nullable=True),
    sa.Column("count", sa.Integer, nullable=False),
)


def upgrade() -> None:
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    for table in baseline.sorted_tables:
        if not inspector.has_table(table.name):
            table.create(connection)
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(
                    f"{table.name} lacks {column.name}, which cannot be added to rows "
                    "already there (it has no default): this is not a database LLM Lingo made"
                )
            default = column.server_default.arg if column.server_default is not None else None  # type: ignore[attr-defined]
            op.add_column(
                table.name,
                sa.Column(
                    column.name, column.type, nullable=column.nullable, server_default=default
                ),
            )
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(connection)


def downgrade() -> None:
    for table in reversed(baseline.sorted_tables):
        op.drop_table(table.name)
