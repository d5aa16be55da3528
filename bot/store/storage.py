"""The database as this process found it at start: usable, or unavailable and why.

Lookups need no database, so a database that cannot be opened or upgraded (a read-only
folder, a full disk, a PostgreSQL server that does not answer) does not stop the bot: the
start logs one warning naming the reason, lookups answer, and the features that need the
database (subscriptions, stats, the daily post) say in Slack that it is unavailable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.store.engine import make_engine, upgrade_schema

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "The database is unavailable right now, so {feature} cannot be used; lookups still work."
)
"""What a feature that needs the database says in Slack while it is unavailable."""


@dataclass(frozen=True)
class Storage:
    """The engine, and ``problem`` (one line) when the database cannot be used."""

    engine: Engine
    problem: str | None = None

    @property
    def available(self) -> bool:
        return self.problem is None

    @property
    def usable_engine(self) -> Engine | None:
        """The engine if the database can be used, else None."""
        return self.engine if self.problem is None else None


def open_storage(url: str) -> Storage:
    """Open the database at ``url`` and bring its schema up to date.

    A malformed URL is a SettingsError (the start stops: that is a typo to fix); a database
    that cannot be reached, opened, written or upgraded gives an unavailable Storage and one
    warning without a traceback.
    """
    engine = make_engine(url)
    try:
        upgrade_schema(engine)
    except (SQLAlchemyError, OSError) as error:
        engine.dispose()
        problem = f"the database (LINGO_DATABASE_URL) said: {one_line(error)}"
        logger.warning(
            "storage unavailable, running without it (lookups still answer; subscriptions, "
            "stats and the daily post are off until a restart finds it usable): %s",
            problem,
        )
        return Storage(engine, problem)
    return Storage(engine)


def one_line(error: BaseException) -> str:
    """The driver's own message, first line only: what a person can act on."""
    reason = getattr(error, "orig", None) or error
    lines = str(reason).strip().splitlines()
    return lines[0] if lines else type(reason).__name__
