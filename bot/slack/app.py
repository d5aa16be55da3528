"""Build the Bolt app: the /lingo command, then every listener module's ``register``.

Nothing happens at import time; ``build_app(deps)`` makes a fresh app each call, so tests
build one per test and production builds one at start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from bot.errors import LingoError, SettingsError
from bot.render.blocks.answers import apology_message
from bot.settings import WHERE
from bot.slack.client import make_web_client
from bot.slack.command import COMMAND, SlashCommand, ephemeral
from bot.slack.context import Deps
from bot.slack.failures import report_unexpected
from bot.slack.listeners import admin, cards, daily, home, jargon, language, lookup
from bot.slack.retries import ClaimRequests, SeenRequests
from bot.slack.router import CommandRouter
from bot.store.claims import Claims


class Listener(Protocol):
    """A listener module: ``register`` adds its listeners and its /lingo commands
    (``router.route(word, handler)``)."""

    def register(self, app: App, deps: Deps, router: CommandRouter) -> None: ...


# Every listener module, in the order they register. Add a feature by adding its module.
LISTENERS: tuple[Listener, ...] = (lookup, cards, jargon, home, daily, admin, language)


def build_app(
    deps: Deps,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    verify_token: bool = True,
    listeners: Sequence[Listener] = LISTENERS,
    claims: Claims | None = None,
) -> App:
    """A Bolt app answering from ``deps``.

    ``client`` defaults to one made from the settings (SLACK_API_URL, retry handlers). In
    HTTP mode every request's signature is checked with SLACK_SIGNING_SECRET; in Socket
    Mode Slack authenticates the connection instead. With ``verify_token`` the bot token
    is checked once here (``auth.test``), so a wrong token stops the start, not a request.
    ``claims`` is where retried requests are claimed (``bot.slack.retries``); by default,
    in this process.
    """
    settings = deps.settings
    if not socket_mode and not settings.slack_signing_secret:
        raise SettingsError(
            "HTTP mode needs SLACK_SIGNING_SECRET to check that requests come from Slack. "
            f"Get it at {WHERE['SLACK_SIGNING_SECRET']}."
        )
    client = client or make_web_client(settings)
    _quiet_token_warning()
    seen = claims if claims is not None else SeenRequests()
    router = CommandRouter()
    try:
        app = App(
            name="llm-lingo",
            client=client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not socket_mode,
            token_verification_enabled=verify_token,
            process_before_response=True,
            # /lingo is answered right after the signature check (see bot.slack.command).
            before_authorize=SlashCommand(COMMAND, deps, router, seen),
        )
    except BoltError as error:
        raise SettingsError(
            f"Slack did not accept SLACK_BOT_TOKEN ({error}). Get it at {WHERE['SLACK_BOT_TOKEN']}."
        ) from None
    except OSError as error:
        raise LingoError(
            f"Cannot reach the Slack API at {settings.slack_api_url} (SLACK_API_URL): {error}"
        ) from None
    app.use(ClaimRequests(seen))
    app.error(_on_unhandled_error)

    for listener in listeners:
        listener.register(app, deps, router)
    return app


class _SkipTokenWarning(logging.Filter):
    """Bolt warns that its token is unused when it is handed a client, as we always do."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _quiet_token_warning() -> None:
    bolt = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _SkipTokenWarning) for f in bolt.filters):
        bolt.addFilter(_SkipTokenWarning())


def _on_unhandled_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """The last resort for errors outside our listeners' own handling: log, count, apologise."""
    message = apology_message(report_unexpected(error, "handling a Slack request"))
    if body.get("command"):
        return BoltResponse(status=200, body=ephemeral(message))
    # A 200 stops Slack from retrying a request that would fail the same way again.
    return BoltResponse(status=200, body="")
