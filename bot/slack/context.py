"""What the Slack listeners need: built once by ``bot.runtime``, frozen, handed to ``build_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.errors import UserError
from bot.glossary.live import LiveGlossary
from bot.glossary.model import Term
from bot.glossary.reload import Reloader
from bot.lookup.resolver import Resolution
from bot.settings import Settings
from bot.slack.locale import ReaderLanguages
from bot.store.remembered import Remembered
from bot.store.storage import UNAVAILABLE

TodaysTerm = Callable[[str | None], Term]
"""The term of the day in a channel (None: the default channel)."""

RecordLookup = Callable[[str, Resolution], None]
"""Counts one lookup (query, resolution) in the anonymous log; never raises or blocks."""


@dataclass(frozen=True)
class Deps:
    """The services listeners share; every part exists before the Deps is built."""

    settings: Settings
    live: LiveGlossary
    engine: Engine | None  # None: the database is unavailable (bot.store.storage)
    today: TodaysTerm
    record_lookup: RecordLookup
    reloader: Reloader
    # The language each person reads (their /lingo lang choice, else their Slack locale).
    readers: ReaderLanguages
    # Whether each person is learning (bot.learning), remembered so lookups skip the database.
    learners: Remembered[bool]

    def database(self, feature: str) -> Engine:
        """The engine, or a UserError saying that ``feature`` needs the unavailable database."""
        if self.engine is None:
            raise UserError(UNAVAILABLE.format(feature=feature))
        return self.engine

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admin_user_ids

    def language(self, client: WebClient, user_id: str) -> str:
        """The language to answer ``user_id`` in."""
        return self.readers.of(client, user_id)
