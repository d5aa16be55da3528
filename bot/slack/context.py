"""What the Slack listeners need, built once at start and handed to ``build_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.glossary.live import LiveGlossary
from bot.glossary.model import Term
from bot.lookup.resolver import Resolution
from bot.settings import Settings


@dataclass
class Deps:
    """Shared services for listeners. Optional parts are None when not configured."""

    settings: Settings
    live: LiveGlossary
    engine: Engine | None = None
    # Today's term of the day in a channel (None: the default one), for /lingo today and
    # the App Home; supplied by bot.daily.post.wire_today.
    today: Callable[[str | None], Term] | None = None
    # Records one lookup (query, resolution); must never raise or block the answer.
    record_lookup: Callable[[str, Resolution], None] | None = None

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admin_user_ids
