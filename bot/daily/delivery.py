"""Delivering the daily post to Slack, and finding it again when an attempt's outcome is unknown.

Every post carries message metadata naming its channel and local date. When an attempt
may have reached Slack without us learning the message ts (a dropped connection after the
request was sent, a 5xx, a crash), ``find`` looks through the channel's history for that
metadata before anything is posted again.

Retries of transient failures go through slack_sdk's retry handlers. For
chat.postMessage, the handlers for 5xx answers and dropped connections first make sure
the message is not already in the channel (``find``); a connection that was refused, or a
429, never delivered anything and is retried as is.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPException
from typing import Any, Protocol
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.errors import DeliveryFailed, SettingsError
from bot.settings import WHERE, Settings

logger = logging.getLogger(__name__)

EVENT_TYPE = "lingo_daily_post"
REVIEW_EVENT_TYPE = "lingo_review"  # the review DM (bot.learning.reviews)
EVENT_TYPES = (EVENT_TYPE, REVIEW_EVENT_TYPE)
# One Slack call waits at most this long; with the retries below, an attempt stays well
# inside the ledger's lease (bot.daily.ledger.DEFAULT_LEASE).
TIMEOUT_SECONDS = 15
MAX_RETRIES = 2
MAX_RETRY_AFTER_SECONDS = 60
HISTORY_PAGES = 10

_HINTS = {
    "not_in_channel": "invite the bot to the channel (/invite @LLM Lingo)",
    "channel_not_found": "the channel id is wrong, or it is private and the bot is not in it",
    "is_archived": "the channel is archived",
    "missing_scope": "the Slack app lacks a scope: chat:write to post; channels:history and "
    "groups:history to check whether an interrupted post went out",
    "invalid_auth": "SLACK_BOT_TOKEN is not valid",
    "not_authed": "SLACK_BOT_TOKEN is not set",
    "account_inactive": "the bot's token was revoked",
    "token_revoked": "the bot's token was revoked",
}


@dataclass(frozen=True)
class Outgoing:
    """One daily post as it goes to Slack."""

    channel: str
    day: date
    text: str
    blocks: list[dict[str, Any]]
    event_type: str = EVENT_TYPE


class Delivery(Protocol):
    """What the poster needs from Slack."""

    def send(self, post: Outgoing) -> str:
        """Post; return the message ts. Raise DeliveryFailed."""
        ...

    def find(
        self, channel: str, day: date, since: datetime, event_type: str = EVENT_TYPE
    ) -> str | None:
        """The ts of the day's post if it is in the channel. Raise DeliveryFailed if unknown."""
        ...


def metadata_for(channel: str, day: date, event_type: str = EVENT_TYPE) -> dict[str, Any]:
    """The message metadata that marks the post of (channel, day)."""
    return {
        "event_type": event_type,
        "event_payload": {"channel": channel, "date": day.isoformat()},
    }


class SlackDelivery:
    """Posts with chat.postMessage; finds posts with conversations.history."""

    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        timeout: int = TIMEOUT_SECONDS,
        interval: RetryIntervalCalculator | None = None,
        max_retry_after: int = MAX_RETRY_AFTER_SECONDS,
    ) -> None:
        # Exponential back-off with jitter: 0.5 s, 1 s (+ up to 1 s) between tries.
        interval = interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
        rate_limits = CappedRateLimitRetryHandler(MAX_RETRIES, interval, max_wait=max_retry_after)
        self._reader = WebClient(
            token=token,
            base_url=api_url,
            timeout=timeout,
            retry_handlers=[
                ConnectionErrorRetryHandler(MAX_RETRIES, interval),
                rate_limits,
                ServerErrorRetryHandler(MAX_RETRIES, interval),
            ],
        )
        self._writer = WebClient(
            token=token,
            base_url=api_url,
            timeout=timeout,
            retry_handlers=[
                ConfirmingConnectionErrorRetryHandler(self._find_for_retry, MAX_RETRIES, interval),
                rate_limits,
                ConfirmingServerErrorRetryHandler(self._find_for_retry, MAX_RETRIES, interval),
            ],
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackDelivery:
        if not settings.slack_bot_token:
            raise SettingsError(
                "The daily post needs SLACK_BOT_TOKEN:\n"
                f"  export SLACK_BOT_TOKEN=xoxb-…   # {WHERE['SLACK_BOT_TOKEN']}"
            )
        return cls(settings.slack_bot_token, settings.slack_api_url)

    def send(self, post: Outgoing) -> str:
        started = datetime.now(UTC)
        try:
            response = self._writer.chat_postMessage(
                channel=post.channel,
                text=post.text,
                blocks=post.blocks,
                metadata=metadata_for(post.channel, post.day, post.event_type),
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackClientError, OSError, HTTPException) as error:
            maybe_sent = may_have_arrived(error)
            reason = describe(error)
            if maybe_sent:
                # The retries stopped with the outcome unknown: it may be in the channel.
                try:
                    found = self.find(
                        post.channel, post.day, started - timedelta(minutes=1), post.event_type
                    )
                except DeliveryFailed as lookup:
                    reason += f"; and {lookup}"
                    found = None
                if found is not None:
                    logger.info(
                        "daily post %s %s arrived despite: %s", post.channel, post.day, reason
                    )
                    return found
            raise DeliveryFailed(
                f"Slack did not take the post: {reason}", maybe_sent=maybe_sent
            ) from error
        ts = response.get("ts")
        if not isinstance(ts, str):
            raise DeliveryFailed("Slack answered chat.postMessage without a ts", maybe_sent=True)
        return ts

    def open_dm(self, user_id: str) -> str:
        """The id of the bot's direct-message conversation with ``user_id``."""
        try:
            response = self._reader.conversations_open(users=user_id)
        except (SlackClientError, OSError, HTTPException) as error:
            raise DeliveryFailed(
                f"cannot open a DM with {user_id}: {describe(error)}", maybe_sent=False
            ) from error
        return str((response.get("channel") or {}).get("id") or user_id)

    def find(
        self, channel: str, day: date, since: datetime, event_type: str = EVENT_TYPE
    ) -> str | None:
        wanted = metadata_for(channel, day, event_type)["event_payload"]
        cursor: str | None = None
        try:
            for _ in range(HISTORY_PAGES):
                response = self._reader.conversations_history(
                    channel=channel,
                    oldest=f"{since.timestamp():.6f}",
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
                for message in response.get("messages") or []:
                    metadata = message.get("metadata") or {}
                    if (
                        metadata.get("event_type") == event_type
                        and metadata.get("event_payload") == wanted
                        and isinstance(message.get("ts"), str)
                    ):
                        return str(message["ts"])
                cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return None
        except (SlackClientError, OSError, HTTPException) as error:
            raise DeliveryFailed(
                f"cannot check the channel's history: {describe(error)}", maybe_sent=True
            ) from error
        raise DeliveryFailed(
            f"cannot check the channel's history: more than {HISTORY_PAGES * 200} messages since "
            "the first attempt",
            maybe_sent=True,
        )

    def _find_for_retry(self, request: HttpRequest) -> bool:
        """For the retry handlers: True if the post in ``request`` is surely not in Slack."""
        post = _posted_day(request)
        if post is None:
            return True  # not one of our posts
        channel, day, event_type = post
        try:
            since = datetime.now(UTC) - timedelta(minutes=15)
            return self.find(channel, day, since, event_type) is None
        except DeliveryFailed as error:
            logger.warning("not retrying the daily post for %s %s: %s", channel, day, error)
            return False


def _posted_day(request: HttpRequest) -> tuple[str, date, str] | None:
    if not request.url.endswith("/chat.postMessage") or not request.data:
        return None
    try:
        body = json.loads(request.data)
        payload = body["metadata"]["event_payload"]
        event_type = body["metadata"]["event_type"]
        if event_type not in EVENT_TYPES:
            return None
        return str(payload["channel"]), date.fromisoformat(payload["date"]), str(event_type)
    except (ValueError, KeyError, TypeError):
        return None


class _ConfirmsBeforeResending(RetryHandler):
    """A retry handler that resends a daily post only once it is surely not in Slack:
    when ``surely_absent`` says so, or when the failure proves the post never left."""

    def __init__(self, surely_absent: Callable[[HttpRequest], bool], *args: Any) -> None:
        super().__init__(*args)
        self._surely_absent = surely_absent

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return self._never_sent(error) or self._surely_absent(request)

    def _never_sent(self, error: Exception | None) -> bool:
        return False


class ConfirmingConnectionErrorRetryHandler(_ConfirmsBeforeResending, ConnectionErrorRetryHandler):
    """Retry a dropped connection; for a daily post, only once it is surely not in Slack."""

    def _never_sent(self, error: Exception | None) -> bool:
        return error is not None and not may_have_arrived(error)


class ConfirmingServerErrorRetryHandler(_ConfirmsBeforeResending, ServerErrorRetryHandler):
    """Retry a 500 or 503; for a daily post, only once it is surely not in Slack."""


class CappedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Wait out a 429's Retry-After, unless it is longer than ``max_wait`` seconds.

    A longer wait could outlast the ledger's lease; the attempt then fails and the day is
    retried later by the scheduler instead.
    """

    def __init__(
        self, max_retry_count: int, interval: RetryIntervalCalculator, *, max_wait: int
    ) -> None:
        super().__init__(max_retry_count, interval)
        self._max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        assert response is not None
        for name, values in response.headers.items():
            if name.lower() == "retry-after":
                value = values[0] if isinstance(values, list) else values
                try:
                    return int(value) <= self._max_wait
                except ValueError:
                    return True
        return True


def may_have_arrived(error: BaseException) -> bool:
    """Whether a failed call may still have been carried out by Slack.

    Not if Slack answered with an error (ok: false), a 429 or a 4xx, or if the connection
    was never made; otherwise (a 5xx, a dropped connection, a timeout) it may have.
    """
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        return status >= 500
    if isinstance(error, URLError):
        reason = error.reason
        if isinstance(reason, ConnectionRefusedError | socket.gaierror):
            return False
        return not isinstance(reason, str)
    if isinstance(error, ConnectionRefusedError | socket.gaierror):
        return False
    # Any other SlackClientError is slack_sdk refusing before sending (a bad URL, ...).
    return not isinstance(error, SlackClientError)


def describe(error: BaseException) -> str:
    """A Slack error for people: the error code and what to do about it."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        hint = _HINTS.get(code)
        return f"{code} ({hint})" if hint else code
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
