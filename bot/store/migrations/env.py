"""Alembic's entry point: run the migrations on the connection ``upgrade_schema`` opened.

The caller holds the transaction (and the schema lock in it), so the migrations run inside
it: all of them are applied, or none.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.store.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through `lingo db upgrade`, which opens the database")

context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
