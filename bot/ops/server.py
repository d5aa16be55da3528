"""The operations endpoints on a server of their own, for the processes that serve no Slack
traffic: `lingo scheduler --port N` and Socket Mode (`lingo serve --port N`).

The same HTTP front as the web server (``bot.ops.http``, waitress) on a daemon thread, with
only the endpoints of ``bot.ops.endpoints``; nothing here imports the Slack edge.
"""

from __future__ import annotations

import logging

from bot.errors import LingoError
from bot.ops.endpoints import Readiness, ops_endpoints
from bot.ops.http import HttpServer

logger = logging.getLogger(__name__)

# Probes and a scrape every few seconds: a few threads are plenty.
OPS_THREADS = 2


def start_ops_server(
    readiness: Readiness, host: str, port: int, *, liveness: Readiness | None = None
) -> HttpServer:
    """Serve /healthz, /readyz (``readiness``) and /metrics on ``host``:``port`` at once.

    With ``liveness``, /healthz answers 503 and its reason when it is false.
    """
    try:
        server = HttpServer(ops_endpoints(readiness, liveness=liveness), host, port, OPS_THREADS)
    except LingoError as error:
        reason = str(error).rpartition(": ")[2]
        raise LingoError(f"cannot serve /healthz on {host}:{port}: {reason}") from None
    server.start("lingo-ops-http")
    logger.info("health and metrics on http://%s:%s/healthz", host, server.port)
    return server


OpsServer = HttpServer
"""What ``start_ops_server`` returns: ``port``, ``stop()``."""
