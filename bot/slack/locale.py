"""The language each person reads: their `/lingo lang` choice, else their Slack locale.

The choice is stored in the database (``bot.store.prefs``) and the locale comes from
``users.info`` with ``include_locale``; both are remembered per person
(``bot.store.remembered``), so an answer reads neither the database nor Slack unless the
person has not asked in a while. A choice made here is seen at once; one made through
another replica within ``SHARED_SECONDS``. When Slack cannot say, the answer is in English
and nothing is remembered, so the next request asks again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.render.i18n import DEFAULT, language_of
from bot.store.prefs import choose_language, chosen_language
from bot.store.remembered import MAX_PEOPLE, SHARED_SECONDS, Remembered

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 6 * 3600.0


class ReaderLanguages:
    """Which language to answer a person in; thread-safe, shared by every listener."""

    def __init__(
        self,
        engine: Engine | None,
        *,
        max_people: int = MAX_PEOPLE,
        max_age: float = MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._choices: Remembered[str | None] = Remembered(
            max_age=SHARED_SECONDS, max_people=max_people, clock=clock
        )
        self._locales: Remembered[str] = Remembered(
            max_age=max_age, max_people=max_people, clock=clock
        )

    def of(self, client: WebClient, user_id: str) -> str:
        """The language for ``user_id``: the one they chose, else their Slack locale's."""
        if not user_id:
            return DEFAULT
        return self.chosen(user_id) or self.from_slack(client, user_id)

    def chosen(self, user_id: str) -> str | None:
        """What ``user_id`` chose with `/lingo lang`, if anything (and a database exists)."""
        engine = self._engine
        if engine is None:
            return None
        try:
            return self._choices.get(user_id, lambda user: chosen_language(engine, user))
        except SQLAlchemyError:
            logger.exception("reading a language choice failed; using the Slack locale")
            return None

    def choose(self, engine: Engine, user_id: str, lang: str | None, now: datetime) -> None:
        """Store ``user_id``'s choice in ``engine`` (None: follow the Slack locale again)."""
        choose_language(engine, user_id, lang, now)
        self._choices.put(user_id, lang)
        if lang is None:
            self._locales.forget(user_id)

    def from_slack(self, client: WebClient, user_id: str) -> str:
        """The language of ``user_id``'s Slack locale ("ko-KR" → "ko"), remembered."""
        try:
            return self._locales.get(user_id, lambda user: _slack_language(client, user))
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.warning("users.info for %s failed (%s); answering in English", user_id, error)
            return DEFAULT


def _slack_language(client: WebClient, user_id: str) -> str:
    response = client.users_info(user=user_id, include_locale=True)
    user = response.get("user") or {}
    return language_of(str(user.get("locale") or ""))
