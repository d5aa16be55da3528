"""The /lingo slash command: parse the text once, route it, answer inside the acknowledgement.

Resolution takes microseconds, so the answer goes back in the HTTP response to Slack (or the
Socket Mode acknowledgement): one round trip, no response_url, no polling.

Bolt's own work per request (building its request and context, a Web API client per
request, the middleware chain) costs as much as finding and rendering the answer, so the
command is answered on the shortest safe path:

- Over HTTP, the adapter (bot.slack.web) hands a form that carries the command to
  ``answer_http``, which checks Slack's signature and timestamp with slack_sdk's
  ``SignatureVerifier`` (the check Bolt makes, with Bolt's 401 for a forged or stale
  request) and answers without Bolt's dispatcher.
- Otherwise (Socket Mode, where Slack authenticates the connection), it is the Bolt app's
  ``before_authorize`` middleware, which Bolt runs right after its own signature check.

Either way the command skips Bolt's single-workspace authorization, which only attaches the
bot's identity that no /lingo command reads (the Web API client carries the bot token), and
Bolt's per-listener argument injection. bench/http_load.py measures what it costs.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.commands import Command, parse_command
from bot.errors import UserError
from bot.metrics import ANSWER_SECONDS
from bot.render.blocks import message_json
from bot.slack.deps import Deps
from bot.slack.failures import failure_message
from bot.slack.retries import SeenRequests, claim, release, request_key
from bot.slack.router import CommandRequest, CommandRouter, Payload

logger = logging.getLogger(__name__)

COMMAND = "/lingo"
_JSON: dict[str, str | Sequence[str]] = {"content-type": "application/json; charset=utf-8"}


class SlashCommand(Middleware):
    """Answers one slash command through a router; every other request goes on to Bolt.

    ``client`` is the Web API client handlers get (``CommandRequest.client``); with a
    ``signing_secret``, requests over HTTP are checked and answered by ``answer_http``.
    """

    def __init__(
        self,
        command: str,
        deps: Deps,
        router: CommandRouter,
        seen: SeenRequests,
        *,
        client: WebClient,
        signing_secret: str | None = None,
    ) -> None:
        self.command = command
        self._deps = deps
        self._router = router
        self._seen = seen
        self._client = client
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse:
        """As Bolt's ``before_authorize`` middleware: Bolt has checked the request."""
        body = req.body
        if body.get("command") != self.command:
            return next()
        retry = req.headers.get("x-slack-retry-num", ["0"])[0]
        return self.respond(body, req.context, retry=retry)

    def answer_http(
        self, raw_body: str, form: Mapping[str, str], *, timestamp: str, signature: str, retry: str
    ) -> BoltResponse | None:
        """Check and answer an HTTP request whose form is ``form``; None if not this command.

        ``timestamp``, ``signature`` and ``retry`` are the X-Slack-Request-Timestamp,
        X-Slack-Signature and X-Slack-Retry-Num headers. A bad signature or a timestamp more
        than five minutes off gets Bolt's 401. Without a signing secret there is nothing to
        check with, so the request is left to Bolt (None).
        """
        if self._verifier is None or form.get("command") != self.command:
            return None
        if not self._verifier.is_valid(raw_body, timestamp, signature):
            logger.info("refused %s: bad signature or stale timestamp", self.command)
            return BoltResponse(status=401, body={"error": "invalid request"})
        context = BoltContext(client=self._client, logger=logger)
        return self.respond(form, context, retry=retry)

    def respond(self, body: Mapping[str, Any], context: BoltContext, *, retry: str) -> BoltResponse:
        """The acknowledgement of one checked request for this command, with the answer."""
        started = time.perf_counter()
        duplicate = claim(self._seen, context, request_key(body), retry)
        payload = self.answer(body, context, duplicate=duplicate)
        if payload:
            response = BoltResponse(status=200, body=message_json(payload), headers=_JSON)
        else:  # the handler answered another way (a modal, the response_url): a bare ack
            response = BoltResponse(status=200, body="")
        ANSWER_SECONDS.observe(time.perf_counter() - started)
        return response

    def answer(self, body: Mapping[str, Any], context: BoltContext, *, duplicate: bool) -> Payload:
        """The router's answer; a failure is answered too (UserError as written, else an apology)."""
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
