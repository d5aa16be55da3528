"""The language each person reads: their `/lingo lang` choice, else their Slack locale.

The locale comes from ``users.info`` with ``include_locale``; it is cached per person (at
most ``max_people``, each for ``max_age`` seconds), so an answer costs a Web API call only
the first time a person asks in a while. When Slack cannot say, the answer is in English
and nothing is cached, so the next request asks again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.render.i18n import DEFAULT, language_of
from bot.store.prefs import chosen_language

logger = logging.getLogger(__name__)

MAX_PEOPLE = 10_000
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
        self._max_people = max_people
        self._max_age = max_age
        self._clock = clock
        self._locales: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, client: WebClient, user_id: str) -> str:
        """The language for ``user_id``: the one they chose, else their Slack locale's."""
        if not user_id:
            return DEFAULT
        return self.chosen(user_id) or self.from_slack(client, user_id)

    def chosen(self, user_id: str) -> str | None:
        """What ``user_id`` chose with `/lingo lang`, if anything (and a database exists)."""
        if self._engine is None:
            return None
        try:
            return chosen_language(self._engine, user_id)
        except SQLAlchemyError:
            logger.exception("reading a language choice failed; using the Slack locale")
            return None

    def from_slack(self, client: WebClient, user_id: str) -> str:
        """The language of ``user_id``'s Slack locale ("ko-KR" → "ko"), cached."""
        now = self._clock()
        with self._lock:
            cached = self._locales.get(user_id)
            if cached is not None and now - cached[0] < self._max_age:
                self._locales.move_to_end(user_id)
                return cached[1]
        try:
            response = client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.warning("users.info for %s failed (%s); answering in English", user_id, error)
            return DEFAULT
        user = response.get("user") or {}
        lang = language_of(str(user.get("locale") or ""))
        with self._lock:
            self._locales[user_id] = (now, lang)
            self._locales.move_to_end(user_id)
            while len(self._locales) > self._max_people:
                self._locales.popitem(last=False)
        return lang

    def forget(self, user_id: str) -> None:
        """Drop the cached locale of ``user_id`` (after `/lingo lang auto`: ask Slack again)."""
        with self._lock:
            self._locales.pop(user_id, None)
