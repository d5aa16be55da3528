"""Running the bot: Socket Mode, HTTP on waitress, or the offline console when nothing is set.

``lingo serve`` picks:
- no Slack credentials at all: the offline console, which says exactly what to set;
- ``--http``: the WSGI app of :mod:`bot.slack.web` on waitress (:mod:`bot.ops.http`,
  LINGO_WEB_THREADS threads) in this one process, with the scheduler, the glossary
  watcher and the metrics; scale out with replicas;
- otherwise Socket Mode (SLACK_APP_TOKEN), kept connected by :mod:`bot.slack.socket_mode`.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import TextIO

from bot.errors import SettingsError
from bot.ops.http import HttpServer
from bot.ops.logging import configure_logging
from bot.ops.server import start_ops_server
from bot.runtime import Runtime, build_runtime
from bot.settings import WHERE, Settings
from bot.slack.app import build_app
from bot.slack.web import EVENTS_PATH, make_wsgi_app

logger = logging.getLogger(__name__)

SERVING = "LLM Lingo is serving"


def serve(
    settings: Settings,
    *,
    http: bool,
    host: str = "0.0.0.0",  # noqa: S104 - a server in a container listens on every interface
    port: int | None = None,
    scheduler: bool = True,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Run until stopped (SIGTERM or Ctrl-C); return the exit status."""
    if not settings.has_slack_credentials and not http:
        from bot.console import run_offline_console
        from bot.glossary import load_glossary

        return run_offline_console(load_glossary(settings.glossary_dir), settings, stdin, stdout)
    if not http and settings.slack_signing_secret and not settings.slack_app_token:
        raise SettingsError(
            "Socket Mode needs SLACK_APP_TOKEN (SLACK_SIGNING_SECRET is set: for HTTP mode run "
            f"`lingo serve --http`):\n  export SLACK_APP_TOKEN=…   # {WHERE['SLACK_APP_TOKEN']}"
        )
    settings.require_slack(http=http)
    configure_logging(settings)
    runtime = build_runtime(settings)
    if http:
        return serve_http(
            runtime, host=host, port=settings.port if port is None else port, scheduler=scheduler
        )
    return serve_socket_mode(runtime, scheduler=scheduler, ops_port=port, host=host)


# -- HTTP ---------------------------------------------------------------------------------------


def serve_http(runtime: Runtime, *, host: str, port: int, scheduler: bool) -> int:
    """Serve HTTP on waitress in this process, with the services, until SIGTERM or Ctrl-C."""
    app = build_app(runtime.deps, client=runtime.client, claims=runtime.claims)
    server = HttpServer(
        make_wsgi_app(app, runtime.readiness, liveness=runtime.liveness),
        host,
        port,
        runtime.settings.web_threads,
    )
    # Started on the main thread: the glossary watcher reloads on SIGHUP at once.
    stop_background = runtime.start(scheduler=scheduler)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: server.stop())
    logger.info("%s on http://%s:%s%s", SERVING, server.host, server.port, EVENTS_PATH)
    try:
        server.serve_forever()
    finally:
        logger.info("stopping")
        stop_background()
    return 0


# -- Socket Mode -----------------------------------------------------------------------------


def serve_socket_mode(
    runtime: Runtime,
    *,
    scheduler: bool,
    ops_port: int | None = None,
    host: str = "0.0.0.0",  # noqa: S104
) -> int:
    """Connect to Slack over a WebSocket; with ``ops_port``, serve /healthz, /readyz, /metrics.

    The connection is kept by :class:`bot.slack.socket_mode.SocketModeSupervisor`; /readyz
    is 503 while it is down and /healthz 503 if its thread has died.
    """
    from bot.slack.socket_mode import SocketModeRefusedError, SocketModeSupervisor

    settings = runtime.settings
    app = build_app(runtime.deps, client=runtime.client, socket_mode=True, claims=runtime.claims)
    supervisor = SocketModeSupervisor(
        app, settings.slack_app_token or "", api_url=settings.slack_api_url
    )
    try:
        outcome = supervisor.start()
    except SocketModeRefusedError as refused:
        supervisor.close()
        raise SettingsError(
            f"Could not open a Socket Mode connection with SLACK_APP_TOKEN ({refused.reason}). "
            f"Get it at {WHERE['SLACK_APP_TOKEN']}."
        ) from None
    runtime.readiness_checks.append(supervisor.readiness)
    runtime.liveness_checks.append(supervisor.alive)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    ops = (
        start_ops_server(runtime.readiness, host, ops_port, liveness=runtime.liveness)
        if ops_port
        else None
    )
    stop_background = runtime.start(scheduler=scheduler)
    if outcome == "connected":
        logger.info("%s over Socket Mode: connected", SERVING)
    else:
        logger.warning(
            "%s over Socket Mode, not connected yet (%s); retrying",
            SERVING,
            supervisor.last_error,
        )
    try:
        stopping.wait()
    finally:
        logger.info("stopping")
        supervisor.close()  # finish the envelopes in flight, then a close frame
        stop_background()
        if ops is not None:
            ops.stop()
    return 0
