"""0002 request claims: Slack request keys claimed across replicas (issue 12, item 11).

Revision ID: 0002_request_claims
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_request_claims"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "request_claims",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_request_claims_expires_at", "request_claims", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_request_claims_expires_at", table_name="request_claims")
    op.drop_table("request_claims")
