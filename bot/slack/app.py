"""Build the Bolt app: the retry guard, the /lingo command, then every listener module's ``register``.

Nothing happens at import time; ``build_app(deps)`` makes a fresh app each call, so tests
build one per test and production builds one at start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.errors import LingoError, SettingsError
from bot.render.blocks.answers import apology_message
from bot.settings import WHERE
from bot.slack.client import make_web_client
from bot.slack.command import register_command
from bot.slack.context import Deps
from bot.slack.interaction import report_unexpected
from bot.slack.listeners import admin, cards, daily, home, jargon, language, learning, lookup
from bot.slack.retries import ClaimRequests, SeenRequests
from bot.slack.router import CommandRouter, ephemeral
from bot.store.claims import Claims


class Listener(Protocol):
    """A listener module: ``register`` adds its listeners and its /lingo commands
    (``router.route(word, handler)``)."""

    def register(self, app: App, deps: Deps, router: CommandRouter) -> None: ...


# Every listener module, in the order they register. Add a feature by adding its module.
LISTENERS: tuple[Listener, ...] = (lookup, cards, jargon, home, daily, admin, learning, language)


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
        )
    except BoltError as error:
        raise SettingsError(
            f"Slack did not accept SLACK_BOT_TOKEN ({error}). Get it at {WHERE['SLACK_BOT_TOKEN']}."
        ) from None
    except OSError as error:
        raise LingoError(
            f"Cannot reach the Slack API at {settings.slack_api_url} (SLACK_API_URL): {error}"
        ) from None
    app.use(_IgnoreUnexpectedShapes())
    # One retry guard for every request, /lingo included (bot.slack.retries).
    app.use(ClaimRequests(seen))
    app.error(_on_unhandled_error)

    register_command(app, deps, router)
    for listener in listeners:
        listener.register(app, deps, router)
    return app


class _IgnoreUnexpectedShapes(Middleware):
    """A signed payload whose parts Bolt reads without checking (the first of ``actions``,
    the ``type`` of a ``view``, the ``event``) gets a bare ack instead of a 500: Slack never
    sends such a payload, so there is nothing to answer. A class, not a function: Bolt
    builds a function middleware's arguments from those very parts."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if _unexpected_shape(req.body):
            req.context.logger.info(
                "ignored a %s payload of unexpected shape", req.body.get("type") or "Slack"
            )
            return BoltResponse(status=200, body="")
        return next()


def _unexpected_shape(body: dict[str, Any]) -> bool:
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions")
        return not (isinstance(actions, list) and actions and isinstance(actions[0], dict))
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        return not (isinstance(view, dict) and isinstance(view.get("type"), str))
    if kind == "event_callback":
        event = body.get("event")
        return not (isinstance(event, dict) and isinstance(event.get("type"), str))
    if kind in ("message_action", "shortcut"):
        message = body.get("message", {})
        return not isinstance(message, dict) or not isinstance(body.get("callback_id"), str)
    return False


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
