"""Talking to Slack: the Web API client and replies to a ``response_url``.

Both retry through slack_sdk's retry handlers rather than loops of our own: dropped
connections, rate limits (honouring Retry-After) and, for the Web API, 5xx answers.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.errors import ReplyFailed
from bot.settings import Settings

# A reply to a person must arrive within Slack's 3-second budget, so it is retried once.
REPLY_TIMEOUT_SECONDS = 2


def make_web_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    """The Web API client: the bot token, SLACK_API_URL, and retries for transient failures."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def send_reply(response_url: str, message: dict[str, Any], **options: Any) -> None:
    """Post ``message`` to a response_url; ``options`` are response_type, replace_original, ...

    Raises ReplyFailed when Slack does not accept it, so the failure is logged, never silent.
    """
    body = {**message, **{k: v for k, v in options.items() if v is not None}}
    _post(response_url, body)


def delete_original(response_url: str) -> None:
    """Delete the message a response_url belongs to (the only way to remove an ephemeral one)."""
    _post(response_url, {"delete_original": True})


def _post(response_url: str, body: dict[str, Any]) -> None:
    client = WebhookClient(
        response_url,
        timeout=REPLY_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )
    response = client.send_dict(body)
    if response.status_code != 200:
        raise ReplyFailed(f"response_url answered {response.status_code}: {response.body[:200]}")
