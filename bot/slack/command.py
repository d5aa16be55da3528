"""The /lingo slash command: parse the text once, route it, answer inside the acknowledgement.

Resolution takes microseconds, so the answer goes back in the HTTP response to Slack (or the
Socket Mode acknowledgement): one round trip, no response_url, no polling.

It is a Bolt global middleware rather than an ``app.command`` listener. It runs after Bolt's
own middleware has verified the request's signature and authorized it, like a listener
would; answering here skips Bolt's per-listener argument injection, which costs more than
finding and rendering the answer (bench/http_load.py measures the difference).
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.commands import Command, parse_command
from bot.errors import UserError
from bot.metrics import ANSWER_SECONDS
from bot.render.blocks import message_json
from bot.slack.deps import Deps
from bot.slack.failures import failure_message
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRequest, CommandRouter, Payload

COMMAND = "/lingo"
_JSON: dict[str, str | Sequence[str]] = {"content-type": "application/json; charset=utf-8"}


class SlashCommand(Middleware):
    """Answers one slash command through a router; every other request goes on to Bolt."""

    def __init__(self, command: str, deps: Deps, router: CommandRouter) -> None:
        self.command = command
        self._deps = deps
        self._router = router

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse:
        body = req.body
        if body.get("command") != self.command:
            return next()
        started = time.perf_counter()
        payload = self.answer(body, req)
        if payload:
            response = BoltResponse(status=200, body=message_json(payload), headers=_JSON)
        else:  # the handler answered another way (a modal, the response_url): a bare ack
            response = BoltResponse(status=200, body="")
        ANSWER_SECONDS.observe(time.perf_counter() - started)
        return response

    def answer(self, body: dict[str, Any], req: BoltRequest) -> Payload:
        """The router's answer; a failure is answered too (UserError as written, else an apology)."""
        context = req.context
        command = Command("help")
        try:
            # Slack escapes & < > as HTML entities; the core works on the text as typed.
            text = html.unescape(str(body.get("text") or ""))
            command = parse_command(text, self._deps.live.current().resolver.names_a_term)
            request = CommandRequest(
                command=command,
                user_id=str(body.get("user_id", "")),
                channel_id=str(body.get("channel_id", "")),
                team_id=str(body.get("team_id", "")),
                trigger_id=str(body.get("trigger_id", "")),
                response_url=str(body.get("response_url", "")),
                client=context.client,
                deps=self._deps,
                duplicate=is_duplicate(context),
            )
            return self._router.handle(request)
        except Exception as error:
            if not isinstance(error, UserError):
                release(context)
            return ephemeral(failure_message(error, f"answering {self.command} {command.name}"))


def register_command(app: App, deps: Deps, router: CommandRouter) -> None:
    """Answer ``/lingo`` through ``router``, inside the acknowledgement."""
    app.use(SlashCommand(COMMAND, deps, router))


def ephemeral(message: dict[str, Any]) -> Payload:
    """An answer only the person who asked sees."""
    return {**message, "response_type": "ephemeral"}
