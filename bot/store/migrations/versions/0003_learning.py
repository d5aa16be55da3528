"""0002 learning: the review deck, quiz answers, clarity votes and the review DM's ledger.

Five new tables, each with per-person rows keyed by ``user_id`` (see bot/store/tables.py
and docs/learning.md). Nothing existing changes.

Revision ID: 0003_learning
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_learning"
down_revision: str | None = "0002_request_claims"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "learning_people",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("review_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("paused_at", UTC_TIME),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("changed_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "learning_cards",
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("term_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("due", UTC_TIME, nullable=False),
        sa.Column("reviews", sa.Integer, nullable=False, server_default="0"),
        sa.Column("added_at", UTC_TIME, nullable=False),
        sa.Column("reviewed_at", UTC_TIME),
    )
    op.create_table(
        "quiz_answers",
        sa.Column("question_id", sa.String(120), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("term_id", sa.String(64), nullable=False),
        sa.Column("chosen_id", sa.String(64)),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("review_day", sa.Date),
        sa.Column("answered_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_quiz_answers_user", "quiz_answers", ["user_id", "answered_at"])
    op.create_index("ix_quiz_answers_term", "quiz_answers", ["term_id"])
    op.create_table(
        "clarity_votes",
        sa.Column("term_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(32), primary_key=True),
        sa.Column("clear", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("voted_at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "review_messages",
        sa.Column("user_id", sa.String(32), primary_key=True),
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
        sa.Column("term_ids", sa.JSON),
        sa.Column("notice", sa.String(16)),
        sa.Column("last_error", sa.Text),
    )


def downgrade() -> None:
    for name in (
        "review_messages",
        "clarity_votes",
        "quiz_answers",
        "learning_cards",
        "learning_people",
    ):
        op.drop_table(name)
