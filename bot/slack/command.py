"""The /lingo slash command: parse the text once, route it, answer inside the acknowledgement.

Resolution takes microseconds, so the answer goes back in the HTTP response to Slack (or the
Socket Mode acknowledgement): one round trip, no response_url, no polling.

It is the Bolt app's ``before_authorize`` middleware rather than an ``app.command``
listener: it runs right after Bolt has verified the request's signature (in HTTP mode),
and answers there. Bolt's single-workspace authorization only attaches the bot's identity,
which no /lingo command reads (the Web API client carries the bot token either way); and
answering here skips it, the middleware after it and Bolt's per-listener argument
injection, which together cost more than finding and rendering the answer
(bench/http_load.py measures it). Slack retries are recognised here too (``claim``).
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.errors import UserError
from bot.lookup.commands import Command, parse_command
from bot.ops.metrics import ANSWER_SECONDS
from bot.slack.context import Deps
from bot.slack.failures import failure_message
from bot.slack.retries import claim, release, request_key
from bot.slack.router import CommandRequest, CommandRouter, Payload
from bot.store.claims import Claims

COMMAND = "/lingo"
_JSON: dict[str, str | Sequence[str]] = {"content-type": "application/json; charset=utf-8"}


class SlashCommand(Middleware):
    """Answers one slash command through a router; every other request goes on to Bolt."""

    def __init__(self, command: str, deps: Deps, router: CommandRouter, seen: Claims) -> None:
        self.command = command
        self._deps = deps
        self._router = router
        self._seen = seen

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
        duplicate = claim(self._seen, req, request_key(body))
        payload = self.answer(body, req, duplicate=duplicate)
        if payload:
            response = BoltResponse(
                status=200, body=json.dumps(payload, ensure_ascii=False), headers=_JSON
            )
        else:  # the handler answered another way (a modal, the response_url): a bare ack
            response = BoltResponse(status=200, body="")
        ANSWER_SECONDS.observe(time.perf_counter() - started)
        return response

    def answer(self, body: dict[str, Any], req: BoltRequest, *, duplicate: bool) -> Payload:
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
                duplicate=duplicate,
            )
            return self._router.handle(request)
        except Exception as error:
            if not isinstance(error, UserError):
                release(context)
            return ephemeral(failure_message(error, f"answering {self.command} {command.name}"))


def ephemeral(message: dict[str, Any]) -> Payload:
    """An answer only the person who asked sees."""
    return {**message, "response_type": "ephemeral"}
