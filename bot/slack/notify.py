"""Telling the glossary admins in Slack: a glossary that was not applied, and when it is valid again."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.errors import Problem
from bot.glossary.reload import ReloadResult
from bot.render.blocks.kit import code_block

log = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 20


class AdminNotifier:
    """Tells the admins (a DM each, and the admin channel) that the glossary was rejected.

    One notice per broken state: the same problems are not announced twice, and when the
    glossary is valid again after a notice, the admins hear that too. A notice Slack did
    not accept is retried with backoff from :meth:`retry_due`.
    """

    def __init__(
        self, client: WebClient | None, admin_user_ids: frozenset[str], admin_channel: str | None
    ) -> None:
        self._client = client
        self._targets = tuple(sorted(admin_user_ids)) + ((admin_channel,) if admin_channel else ())
        self._announced: tuple[Problem, ...] | None = None
        self._pending: tuple[str, tuple[str, ...]] | None = None
        self._backoff = 0.0
        self._next_try = 0.0
        self._lock = threading.Lock()

    def __call__(self, result: ReloadResult) -> None:
        """Take note of a reload result (the Reloader's ``on_result``)."""
        with self._lock:
            if result.outcome == "rejected" and result.problems != self._announced:
                self._announced = result.problems
                self._queue(rejected_notice(result))
            elif result.outcome == "applied" and self._announced is not None:
                self._announced = None
                self._queue(f":white_check_mark: The glossary is valid again. {result.summary()}")
            else:
                return
        self._deliver()

    def retry_due(self) -> None:
        """Retry a notice that Slack did not accept, when its backoff has passed."""
        if self._pending is not None and time.monotonic() >= self._next_try:
            self._deliver()

    def _queue(self, text: str) -> None:
        self._pending = (text, self._targets)
        self._backoff = 0.0
        self._next_try = 0.0

    def _deliver(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is None:
            return
        text, targets = pending
        if not targets:
            return  # no admins configured: the problems are in the log
        if self._client is None:
            log.warning("cannot tell the glossary admins without a Slack connection")
            return
        failed = []
        for target in targets:
            try:
                self._client.chat_postMessage(channel=target, text=text, unfurl_links=False)
            except (SlackClientError, OSError) as error:
                log.warning("could not tell glossary admin %s: %s", target, error)
                failed.append(target)
        if failed:
            with self._lock:
                if self._pending is None:  # no newer notice replaced this one meanwhile
                    self._pending = (text, tuple(failed))
                    self._backoff = min(max(self._backoff * 2, 5.0), 300.0)
                    self._next_try = time.monotonic() + self._backoff


def rejected_notice(result: ReloadResult) -> str:
    """The admins' message about a glossary that was not applied, listing its problems.

    Problems quote the glossary's text, which is escaped: a value like ``<!channel>`` in a
    broken file must not notify the admin channel.
    """
    shown = result.problems[:MAX_PROBLEMS_SHOWN]
    more = len(result.problems) - len(shown)
    listing = "\n".join(str(p) for p in shown) + (f"\n… and {more} more" if more else "")
    return (
        f":warning: {result.summary()}\n"
        f"Fix these and the bot picks the glossary up by itself (`lingo validate` lists them):\n"
        f"{code_block(listing)}"
    )
