"""0004 user prefs: the language each person chose (`/lingo lang`), and each channel's
post language (`/lingo subscribe ... lang=ko`) (issue 16).

Revision ID: 0004_user_prefs
Revises: 0003_learning
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_user_prefs"
down_revision: str | None = "0003_learning"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "user_prefs",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("daily_subscriptions") as table:
        table.add_column(sa.Column("lang", sa.String(8), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("daily_subscriptions") as table:
        table.drop_column("lang")
    op.drop_table("user_prefs")
