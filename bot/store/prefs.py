"""What people chose for themselves: the language of the bot's answers to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, select

from bot.store.engine import insert_for
from bot.store.tables import user_prefs


def chosen_language(engine: Engine, user_id: str) -> str | None:
    """The language ``user_id`` chose with `/lingo lang`, or None (follow their Slack locale)."""
    with engine.connect() as connection:
        found = connection.execute(
            select(user_prefs.c.lang).where(user_prefs.c.user_id == user_id)
        ).scalar_one_or_none()
    return str(found) if found is not None else None


def choose_language(engine: Engine, user_id: str, lang: str | None, now: datetime) -> None:
    """Remember ``lang`` for ``user_id``; None forgets the choice (`/lingo lang auto`)."""
    with engine.begin() as connection:
        if lang is None:
            connection.execute(delete(user_prefs).where(user_prefs.c.user_id == user_id))
            return
        insert = insert_for(connection, user_prefs).values(
            user_id=user_id, lang=lang, changed_at=now
        )
        connection.execute(
            insert.on_conflict_do_update(
                index_elements=[user_prefs.c.user_id],
                set_={"lang": lang, "changed_at": now},
            )
        )
