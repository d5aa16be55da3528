"""The HTTP face of the bot, as one WSGI application: Slack's events through Bolt's own WSGI
adapter, with the operations endpoints of ``bot.ops.endpoints`` beside them.

    POST /slack/events   commands, interactivity and events, through Bolt (signature checked)
    GET  /healthz, /readyz, /metrics

Before Bolt sees a request, its shape is checked, so that nothing anyone can send without a
signature reaches the listeners or the error log: a timestamp header that is not a number
is refused with 401 (as a bad signature is), a body that is not UTF-8 or not a JSON object
(``[1,2]``, ``12``, ``payload=[1]``) with 400. ``lingo serve --http`` serves it on waitress
(``bot.ops.http``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import (
    build_normalized_headers,
    extract_content_type,
    parse_body,
)

from bot.ops.endpoints import Readiness, ops_endpoints, reply

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

EVENTS_PATH = "/slack/events"

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_TEXT: dict[str, str | Sequence[str]] = {"content-type": "text/plain; charset=utf-8"}


def make_wsgi_app(
    app: App | None, readiness: Readiness, *, liveness: Readiness | None = None
) -> WSGIApplication:
    """The WSGI application; with ``app`` None (Socket Mode) only the operations endpoints."""
    events = SlackEvents(app) if app is not None else None
    return ops_endpoints(readiness, events, liveness=liveness)


class SlackEvents(SlackRequestHandler):
    """Bolt's WSGI adapter at ``EVENTS_PATH``, refusing malformed requests before Bolt."""

    def __init__(self, app: App) -> None:
        super().__init__(app, EVENTS_PATH)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if (environ.get("PATH_INFO") or "/") == EVENTS_PATH and environ.get(
            "REQUEST_METHOD"
        ) != "POST":
            return reply(start_response, "405 Method Not Allowed", b"POST only\n")
        return super().__call__(environ, start_response)

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        headers = build_normalized_headers(request.get_headers())
        timestamp = headers.get("x-slack-request-timestamp")
        if timestamp is not None and not _TIMESTAMP.fullmatch(",".join(timestamp)):
            return BoltResponse(status=401, body="invalid request timestamp\n", headers=_TEXT)
        try:
            body = request.get_body()
            # Bolt's own parser: Slack sends a JSON object, or a form with one in "payload".
            parsed = parse_body(body, extract_content_type(headers))
        except (ValueError, UnicodeDecodeError):  # bad JSON, Content-Length or UTF-8
            return BoltResponse(status=400, body="malformed request body\n", headers=_TEXT)
        if not isinstance(parsed, dict):
            return BoltResponse(status=400, body="not a Slack request\n", headers=_TEXT)
        return self.app.dispatch(
            BoltRequest(body=body, query=request.query_string, headers=headers)
        )
