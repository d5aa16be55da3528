"""Running the bot: Socket Mode, HTTP on gunicorn, or the offline console when nothing is set.

``lingo serve`` picks:
- no Slack credentials at all: the offline console, which says exactly what to set;
- ``--http``: the WSGI app of :mod:`bot.slack.web` on gunicorn (gthread worker,
  LINGO_WEB_THREADS threads). One worker by default, so the scheduler, the glossary
  watcher and the metrics live in one process; scale out with replicas;
- otherwise Socket Mode (SLACK_APP_TOKEN), kept connected by :mod:`bot.slack.socket_mode`.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from bot.errors import SettingsError
from bot.ops.logging import configure_logging
from bot.ops.server import start_ops_server
from bot.runtime import Runtime, build_runtime
from bot.settings import WHERE, Settings
from bot.slack.app import build_app
from bot.slack.web import EVENTS_PATH, make_wsgi_app

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

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
    """Serve HTTP on gunicorn; the app is built here, before the worker is forked."""
    app = build_app(runtime.deps, client=runtime.client, claims=runtime.claims)
    application = make_wsgi_app(app, runtime.readiness)
    stop: list[Callable[[], None]] = []

    def post_fork(server: Any, worker: Any) -> None:
        # A forked process must not share the parent's database connections.
        runtime.engine.dispose(close=False)

    def post_worker_init(worker: Any) -> None:
        # SIGHUP reaches the worker (see _Arbiter); a service may handle it (glossary reload).
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        stop.append(runtime.start(scheduler=scheduler))

    def worker_exit(server: Any, worker: Any) -> None:
        while stop:
            stop.pop()()

    hooks = {
        "post_fork": post_fork,
        "post_worker_init": post_worker_init,
        "worker_exit": worker_exit,
    }
    run_gunicorn(application, server_options(runtime.settings, host, port) | hooks)
    return 0


def server_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """gunicorn's settings for the bot: one gthread worker with LINGO_WEB_THREADS threads."""

    def when_ready(server: Any) -> None:
        for listener in server.LISTENERS:
            bound_host, bound_port = listener.getsockname()[:2]
            logger.info("%s on http://%s:%s%s", SERVING, bound_host, bound_port, EVENTS_PATH)

    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": settings.web_threads,
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "proc_name": "lingo",
        "when_ready": when_ready,
    }


def run_gunicorn(application: WSGIApplication, options: dict[str, Any]) -> None:
    """Run ``application`` on gunicorn with ``options`` until it is stopped."""
    _Gunicorn(application, options).run()


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn, embedded: our options, our WSGI app, no command-line parsing of its own."""

    def __init__(self, application: WSGIApplication, options: dict[str, Any]) -> None:
        self._application = application
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> WSGIApplication:
        return self._application

    def run(self) -> None:
        _Arbiter(self).run()


class _Arbiter(Arbiter):  # type: ignore[misc]
    """gunicorn's master, except that SIGHUP goes to the worker instead of restarting it.

    The worker holds the glossary being served; a restart would fork it afresh from the
    glossary loaded at start, so the worker decides what a hang-up means.
    """

    def handle_hup(self) -> None:
        self.log.info("Hang up: passing SIGHUP to the worker")
        self.kill_workers(signal.SIGHUP)


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
