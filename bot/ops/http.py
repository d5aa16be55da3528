"""The HTTP front: waitress, in one process, reading every request whole before a thread
sees it.

waitress reads requests on one event loop and hands a request to its thread pool only
once its headers and body have arrived; a client that sends half a request, or sends it a
byte at a time, holds a socket, never a thread. So a thousand slow or stalled clients do
not delay Slack's requests or a probe (bench/http_load.py measures it). A request must be
complete in time: its headers within ``HEADER_SECONDS`` of the connection (or of the
previous response), its body within ``BODY_SECONDS``; a connection that sends nothing for
``HEADER_SECONDS`` is closed. Bodies over ``MAX_BODY_BYTES`` are refused with 413 unread.

One process serves Slack, the probes and the metrics, and runs the services: the glossary
watcher (SIGHUP reloads it at once), the scheduler, the lookup log. Scale out with
replicas; there are no workers to fork.
"""

from __future__ import annotations

import contextlib
import logging
import resource
import threading
import time
from typing import TYPE_CHECKING, Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from bot.errors import LingoError

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication

logger = logging.getLogger(__name__)

HEADER_SECONDS = 10
BODY_SECONDS = 30
# Slack's payloads are small; a bigger body is not from Slack.
MAX_BODY_BYTES = 1 << 20
MAX_HEADER_BYTES = 64 << 10
# Open connections, most of them idle or slow; each costs a socket and a little memory.
MAX_CONNECTIONS = 4096


class HttpServer:
    """A WSGI application served on ``host``:``port`` with ``threads`` request threads."""

    def __init__(
        self,
        application: WSGIApplication,
        host: str,
        port: int,
        threads: int,
        *,
        header_seconds: int = HEADER_SECONDS,
        body_seconds: int = BODY_SECONDS,
    ) -> None:
        _allow_open_files(MAX_CONNECTIONS + 256)
        adjustments = Adjustments(
            host=host,
            port=port,
            threads=threads,
            ident="llm-lingo",
            connection_limit=MAX_CONNECTIONS,
            channel_timeout=header_seconds,
            cleanup_interval=1,
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=MAX_HEADER_BYTES,
            asyncore_use_poll=True,  # select() stops at 1024 sockets
            expose_tracebacks=False,
            log_untrusted_proxy_headers=False,
        )
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(threads)
        try:
            self._server = _Server(
                application,
                map={},
                dispatcher=dispatcher,
                adj=adjustments,
                sockinfo=adjustments.listen[0],
            )
            self._server.deadlines = (header_seconds, body_seconds)
        except OSError as error:
            dispatcher.shutdown()
            reason = error.strerror or str(error)
            raise LingoError(f"cannot serve HTTP on {host}:{port}: {reason}") from None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def host(self) -> str:
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        """The port listened on (the one asked for, or the one chosen for port 0)."""
        return int(self._server.effective_port)

    def serve_forever(self) -> None:
        """Answer requests on this thread until ``stop``."""
        try:
            self._server.run()
        finally:
            self._server.task_dispatcher.shutdown()
            self._stopped.set()

    def start(self, name: str = "lingo-http") -> HttpServer:
        """Answer requests on a daemon thread of its own."""
        self._thread = threading.Thread(target=self.serve_forever, name=name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop accepting, close every connection, wait for requests in progress.

        Safe from any thread and from a signal handler, and more than once: the sockets are
        closed on the server's own loop.
        """
        server = self._server
        if self._stopped.is_set():
            return  # the loop has ended already: nothing is left to close
        # The loop may close its trigger while ending by itself: then there is nothing to wake.
        with contextlib.suppress(OSError):
            server.trigger.pull_trigger(lambda: _close_all(server._map))
        if self._thread is not None:
            self._thread.join(timeout)
        elif threading.current_thread() is not threading.main_thread():
            self._stopped.wait(timeout)


class _Channel(HTTPChannel):  # type: ignore[misc]
    """A connection that notes when its current request started arriving."""

    request_started: float | None = None

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.time()
        handled: bool = super().received(data)
        if self.request is None:
            self.request_started = None
        return handled


class _Server(TcpWSGIServer):  # type: ignore[misc]
    """waitress's server, closing requests that do not arrive whole in time."""

    channel_class = _Channel
    deadlines = (HEADER_SECONDS, BODY_SECONDS)  # (headers, body), from the connection's start

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # connections idle for as long as headers may take
        headers_within, body_within = self.deadlines
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "request_started", None)
            request = channel.request
            if started is None or request is None or channel.requests:
                continue
            limit = body_within if request.headers_finished else headers_within
            if now - started > limit:
                channel.will_close = True


def _close_all(socket_map: dict[int, Any]) -> None:
    for dispatcher in list(socket_map.values()):
        with contextlib.suppress(OSError):
            dispatcher.close()
    socket_map.clear()


def _allow_open_files(wanted: int) -> None:
    """Raise this process's soft limit on open files towards ``wanted`` (never above hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
