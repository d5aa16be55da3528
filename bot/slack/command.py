"""The /lingo slash command: parse the text once, route it, answer inside the acknowledgement.

Resolution takes microseconds, so the answer goes back in the HTTP response to Slack (the
app runs with ``process_before_response``): one round trip, no response_url, no polling.
"""

from __future__ import annotations

import html
import time
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands import Command, parse_command
from bot.errors import UserError
from bot.metrics import ANSWER_SECONDS
from bot.slack.deps import Deps
from bot.slack.failures import failure_message
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRequest, CommandRouter, Payload

COMMAND = "/lingo"


def register_command(app: App, deps: Deps, router: CommandRouter) -> None:
    """Answer ``/lingo`` through ``router``; a failure is answered too, never silent."""

    @app.command(COMMAND)
    def on_lingo(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        started = time.perf_counter()
        command = Command("help")
        try:
            # Slack escapes & < > as HTML entities; the core works on the text as typed.
            text = html.unescape(str(body.get("text") or ""))
            command = parse_command(text, deps.live.current().resolver.names_a_term)
            request = CommandRequest(
                command=command,
                user_id=str(body.get("user_id", "")),
                channel_id=str(body.get("channel_id", "")),
                team_id=str(body.get("team_id", "")),
                trigger_id=str(body.get("trigger_id", "")),
                response_url=str(body.get("response_url", "")),
                client=client,
                deps=deps,
                duplicate=is_duplicate(context),
            )
            payload = router.handle(request)
        except Exception as error:
            if not isinstance(error, UserError):
                release(context)
            payload = ephemeral(failure_message(error, f"answering /lingo {command.name}"))
        ack(payload)
        ANSWER_SECONDS.observe(time.perf_counter() - started)


def ephemeral(message: dict[str, Any]) -> Payload:
    """An answer only the person who asked sees."""
    return {**message, "response_type": "ephemeral"}
