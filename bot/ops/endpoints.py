"""The operations endpoints as a WSGI application: /healthz, /readyz and /metrics.

    GET  /healthz        the process is alive
    GET  /readyz         the glossary is loaded and the database answers (503 otherwise)
    GET  /metrics        Prometheus metrics

Slack-free: the web server mounts Slack's events beside them (``bot.slack.web``), and the
processes that serve no Slack traffic (the scheduler, Socket Mode) serve them alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.ops.metrics import exposition

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

Readiness = Callable[[], tuple[bool, str]]
"""(ready, reason): whether the process can answer, and a line saying why (not)."""

_TEXT = [("Content-Type", "text/plain; charset=utf-8")]


def ops_endpoints(
    readiness: Readiness,
    rest: WSGIApplication | None = None,
    *,
    liveness: Readiness | None = None,
) -> WSGIApplication:
    """The three endpoints; every other request goes to ``rest`` (404 or 405 without one).

    With ``liveness``, /healthz answers 503 and its reason when it is false.
    """

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if method in ("GET", "HEAD"):
            if path == "/healthz":
                alive, reason = liveness() if liveness is not None else (True, "ok")
                if not alive:
                    return reply(start_response, "503 Service Unavailable", reason.encode() + b"\n")
                return reply(start_response, "200 OK", b"ok\n")
            if path == "/readyz":
                ready, reason = readiness()
                status = "200 OK" if ready else "503 Service Unavailable"
                return reply(start_response, status, reason.encode() + b"\n")
            if path == "/metrics":
                body, content_type = exposition()
                return reply(start_response, "200 OK", body, [("Content-Type", content_type)])
        if rest is not None:
            return rest(environ, start_response)
        if method not in ("GET", "HEAD"):
            return reply(start_response, "405 Method Not Allowed", b"GET only\n")
        return reply(start_response, "404 Not Found", b"not found\n")

    return application


def reply(
    start_response: StartResponse,
    status: str,
    body: bytes,
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    """A whole response: status, headers (plain text by default) with the length, body."""
    start_response(status, [*(headers or _TEXT), ("Content-Length", str(len(body)))])
    return [body]
