"""The HTTP face of the bot, as one WSGI application.

    POST /slack/events   commands, interactivity and events, through Bolt (signature checked)
    GET  /healthz        the process is alive
    GET  /readyz         the glossary is loaded and the database answers (503 otherwise)
    GET  /metrics        Prometheus metrics

Any WSGI server can run it; ``lingo serve --http`` runs it on gunicorn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from http import HTTPStatus
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest

from bot.ops.metrics import exposition

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

EVENTS_PATH = "/slack/events"
# Slack's payloads are small; a bigger body is not from Slack and is refused unread.
MAX_BODY_BYTES = 1 << 20

Readiness = Callable[[], tuple[bool, str]]

_TEXT = [("Content-Type", "text/plain; charset=utf-8")]


def make_wsgi_app(app: App | None, readiness: Readiness) -> WSGIApplication:
    """The WSGI application; with ``app`` None (Socket Mode) only the operations endpoints."""

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and app is not None:
            if method != "POST":
                return _reply(start_response, "405 Method Not Allowed", b"POST only\n")
            return _slack(app, environ, start_response)
        if method not in ("GET", "HEAD"):
            return _reply(start_response, "405 Method Not Allowed", b"GET only\n")
        if path == "/healthz":
            return _reply(start_response, "200 OK", b"ok\n")
        if path == "/readyz":
            ready, reason = readiness()
            status = "200 OK" if ready else "503 Service Unavailable"
            return _reply(start_response, status, reason.encode() + b"\n")
        if path == "/metrics":
            body, content_type = exposition()
            return _reply(start_response, "200 OK", body, [("Content-Type", content_type)])
        return _reply(start_response, "404 Not Found", b"not found\n")

    return application


def _slack(app: App, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0:
        return _reply(start_response, "400 Bad Request", b"bad Content-Length\n")
    if length > MAX_BODY_BYTES:
        return _reply(start_response, "413 Content Too Large", b"too large\n")
    body = environ["wsgi.input"].read(length).decode("utf-8", errors="replace") if length else ""
    query = environ.get("QUERY_STRING") or None  # Slack sends none; None spares Bolt parsing ""
    response = app.dispatch(BoltRequest(body=body, query=query, headers=_headers(environ)))
    data = response.body.encode("utf-8")
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    headers.append(("Content-Length", str(len(data))))
    start_response(_status_line(response.status), headers)
    return [data]


def _headers(environ: WSGIEnvironment) -> dict[str, str | Sequence[str]]:
    """The request's headers as Bolt takes them: lower-case names, lists of values."""
    headers: dict[str, str | Sequence[str]] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[_header_name(key)] = [value]
    if "CONTENT_TYPE" in environ:
        headers["content-type"] = [environ["CONTENT_TYPE"]]
    return headers


@lru_cache(maxsize=256)
def _header_name(key: str) -> str:
    """HTTP_X_SLACK_SIGNATURE -> x-slack-signature (a few names, seen on every request)."""
    return key[5:].replace("_", "-").lower()


def _reply(
    start_response: StartResponse,
    status: str,
    body: bytes,
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    start_response(status, [*(headers or _TEXT), ("Content-Length", str(len(body)))])
    return [body]


_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


def _status_line(status: int) -> str:
    return _STATUS_LINES.get(status) or f"{status} Unknown"
