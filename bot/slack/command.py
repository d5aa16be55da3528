"""The /lingo slash command: a Bolt listener that parses the text once, routes it, and
answers inside the acknowledgement.

Resolution takes microseconds, so the answer goes back in the HTTP response to Slack (or the
Socket Mode acknowledgement): one round trip, no response_url, no polling. A command Slack
sends again (``bot.slack.retries`` marks it) is answered again but does not act twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.errors import LingoError
from bot.lookup.commands import Command, parse_command
from bot.ops.metrics import ANSWER_SECONDS
from bot.render.blocks.kit import is_channel_id, is_user_id
from bot.slack.context import Deps
from bot.slack.interaction import failure_message, typed_text
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRequest, CommandRouter, Payload, ephemeral

COMMAND = "/lingo"


def register_command(app: App, deps: Deps, router: CommandRouter) -> None:
    """Answer /lingo through ``router``, with the answer in the acknowledgement."""

    @app.command(COMMAND)
    def lingo(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        started = time.perf_counter()
        payload = answer(body, context, deps, router)
        ack(**payload)  # an empty payload: the handler answered another way (a modal)
        ANSWER_SECONDS.observe(time.perf_counter() - started)


def answer(
    body: dict[str, Any], context: BoltContext, deps: Deps, router: CommandRouter
) -> Payload:
    """The router's answer; a failure is answered too (a LingoError as written, else an apology)."""
    command = Command("help")
    try:
        command = parse_command(
            typed_text(body.get("text")), deps.live.current().resolver.names_a_term
        )
        request = CommandRequest(
            command=command,
            # Ids are echoed as mentions and stored: one of the wrong shape is no id at all.
            user_id=_id(body.get("user_id"), is_user_id),
            channel_id=_id(body.get("channel_id"), is_channel_id),
            team_id=str(body.get("team_id", "")),
            trigger_id=str(body.get("trigger_id", "")),
            response_url=str(body.get("response_url", "")),
            client=context.client,
            deps=deps,
            is_duplicate=lambda *, everywhere=True: is_duplicate(context, everywhere=everywhere),
        )
        return router.handle(request)
    except Exception as error:
        if not isinstance(error, LingoError):
            release(context)
        return ephemeral(failure_message(error, f"answering {COMMAND} {command.name}"))


def _id(value: object, has_shape: Callable[[str], bool]) -> str:
    text = str(value or "")
    return text if has_shape(text) else ""
