"""The operations endpoints, /healthz, /readyz and /metrics, on a small server of their own.

For the processes that serve no HTTP otherwise: `lingo scheduler --port N` and Socket Mode
(`lingo serve --port N`). The endpoints are exactly those of the web server
(``bot.slack.web.make_wsgi_app`` without a Slack app).

The server is the standard library's wsgiref in a daemon thread, one thread per request.
That is enough for Kubernetes probes and a Prometheus scrape every few seconds, and it is
meant for nothing more: Slack's traffic is served by gunicorn (`lingo serve --http`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.errors import LingoError
from bot.slack.web import Readiness, make_wsgi_app

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

logger = logging.getLogger(__name__)


class OpsServer:
    """The endpoints being served; ``stop()`` closes the port."""

    def __init__(self, server: WSGIServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread

    @property
    def port(self) -> int:
        """The port listened on (the one asked for, or the one chosen for port 0)."""
        return int(self._server.server_port)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop answering and close the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout)


def start_ops_server(
    readiness: Readiness, host: str, port: int, *, liveness: Readiness | None = None
) -> OpsServer:
    """Serve /healthz, /readyz (``readiness``) and /metrics on ``host``:``port`` at once.

    With ``liveness``, /healthz answers 503 and its reason when it is false.
    """
    application = make_wsgi_app(None, readiness)
    if liveness is not None:
        application = _with_liveness(application, liveness)
    try:
        server = make_server(
            host,
            port,
            application,
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
    except OSError as error:
        reason = error.strerror or str(error)
        raise LingoError(f"cannot serve /healthz on {host}:{port}: {reason}") from None
    thread = threading.Thread(
        target=server.serve_forever, args=(0.1,), name="lingo-ops-http", daemon=True
    )
    thread.start()
    logger.info("health and metrics on http://%s:%s/healthz", host, server.server_port)
    return OpsServer(server, thread)


def _with_liveness(application: WSGIApplication, liveness: Readiness) -> WSGIApplication:
    def checked(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            alive, reason = liveness()
            if not alive:
                start_response(
                    "503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")]
                )
                return [reason.encode() + b"\n"]
        return application(environ, start_response)

    return checked


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    # A probe that connects and sends nothing must not hold its thread forever.
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a probe every few seconds is not worth a log line
