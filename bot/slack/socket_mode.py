"""Socket Mode that stays connected: one supervisor thread keeps a WebSocket to Slack open.

The WebSocket itself is the ``websockets`` library's threaded client, chosen by measuring
slack_sdk's four clients on drops of every kind (docs/socket-mode.md, ``bench/socket_mode.py``).
It honours the URL's scheme (TLS on any port), sends its own pings and gives up on a link
whose pong does not come back. Around it, this module adds what no client does as is:

- **Reconnect** at once after a drop, then with capped exponential backoff and jitter
  (``Backoff``), honouring Retry-After when ``apps.connections.open`` is rate limited.
- **Overlap on refresh.** Slack's ``{"type": "disconnect"}`` opens the next connection at
  once while the old one keeps being read until Slack closes it, so an envelope that still
  arrives on it is handled and acknowledged.
- **Acknowledge once.** Envelopes run on a pool of threads through Bolt
  (``run_bolt_app``); the acknowledgement goes back on the connection it came on, or on the
  newest one if that is gone. An envelope Slack delivers twice runs once; the second
  delivery gets the first one's acknowledgement again.
- **Tell the truth**: ``readiness()`` is true only while a connection is open,
  ``alive()`` while the supervisor thread runs; metrics in :mod:`bot.ops.metrics`.
- **Stop cleanly**: ``close()`` finishes the envelopes in flight, then sends a close frame.

Connection states, as logged: connecting → connected → (dropped: one WARNING with the
reason) → reconnecting → connected (one INFO with how long it took) … → closed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import ssl
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass, field
from typing import Any, Literal

from slack_bolt import App
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.request import SocketModeRequest
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.sync.client import ClientConnection, connect

from bot.ops.metrics import (
    SOCKET_MODE_CONNECTED,
    SOCKET_MODE_DISCONNECTED_SECONDS,
    SOCKET_MODE_OUTAGE_SECONDS,
    SOCKET_MODE_RECONNECTS,
)

logger = logging.getLogger(__name__)

# apps.connections.open errors that no retry will cure: the token is wrong.
FATAL_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type"}
)
# How often a long outage is logged again (INFO), after the one WARNING that started it.
STILL_DOWN_LOG_SECONDS = 60.0
SEEN_ENVELOPES = 1000


class SocketModeRefusedError(Exception):
    """Slack refused the app-level token: no retry will help. ``reason`` is Slack's error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Backoff:
    """Delays between connection attempts: the first at once, then doubling up to ``cap``.

    Each delay is scaled by a random factor in [1 - jitter, 1] so that many bots cut off
    together do not all come back in the same instant.
    """

    first: float = 0.25
    cap: float = 3.0
    jitter: float = 0.5

    def delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        base = min(self.cap, self.first * 2 ** (failures - 1))
        return float(base * random.uniform(1 - self.jitter, 1))  # noqa: S311 - jitter, not a secret


@dataclass(frozen=True)
class Tuning:
    """The WebSocket's timeouts. A silent link is noticed within ping_interval + ping_timeout."""

    ping_interval: float = 5.0
    ping_timeout: float = 5.0
    open_timeout: float = 5.0
    close_timeout: float = 1.0
    workers: int = 10


@dataclass
class _Link:
    """One WebSocket connection and what is known about it."""

    number: int
    websocket: ClientConnection
    opened_at: float
    refresh_asked: threading.Event = field(default_factory=threading.Event)
    gone: threading.Event = field(default_factory=threading.Event)
    reason: str = ""


Outcome = Literal["connected", "refused", "retrying"]


class SocketModeSupervisor:
    """Keep a Socket Mode connection open for ``app`` until ``close()``."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        api_url: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        proxy: str | Literal[True] | None = True,
        tuning: Tuning | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self._app = app
        self._token = app_token
        self._web = WebClient(timeout=10, base_url=api_url or WebClient.BASE_URL)
        self._ssl = ssl_context
        self._proxy = proxy
        self._tuning = tuning or Tuning()
        self._backoff = backoff or Backoff()
        self._lock = threading.Lock()
        self._links: dict[int, _Link] = {}
        self._numbers = 0
        self._stopping = threading.Event()
        self._wake = threading.Event()  # set when a connection is gone or asked to refresh
        self._first_outcome = threading.Event()
        self._outcome: Outcome = "retrying"
        self._last_error = "not connected yet"
        self._down_since: float | None = time.monotonic()
        self._seen: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
        self._in_flight: set[Future[None]] = set()
        self._unsent: list[dict[str, Any]] = []  # acknowledgements waiting for a connection
        self._pool = ThreadPoolExecutor(self._tuning.workers, thread_name_prefix="lingo-envelope")
        self._thread = threading.Thread(
            target=lambda: self._supervise(), name="lingo-socket-mode", daemon=True
        )
        self._readers: list[threading.Thread] = []

    # -- what the rest of the bot asks ----------------------------------------------------

    def start(self, wait: float = 10.0) -> Outcome:
        """Start connecting; wait up to ``wait`` s for the first outcome and return it.

        Raises SocketModeRefusedError when Slack refuses the token.
        """
        SOCKET_MODE_OUTAGE_SECONDS.set_function(self.seconds_without_connection)
        self._thread.start()
        self._first_outcome.wait(wait)
        if self._outcome == "refused":
            raise SocketModeRefusedError(self._last_error)
        return self._outcome

    @property
    def connected(self) -> bool:
        """Whether a connection to Slack is open (during a refresh, old or new)."""
        with self._lock:
            return bool(self._links)

    @property
    def last_error(self) -> str:
        """Why the last connection attempt failed or the last connection dropped."""
        return self._last_error

    def wait_connected(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.connected:
            if time.monotonic() >= deadline or not self._thread.is_alive():
                return False
            self._stopping.wait(0.01)
        return True

    def seconds_without_connection(self) -> float:
        """How long the bot has been without an open connection (0 while connected)."""
        since = self._down_since
        return 0.0 if since is None else time.monotonic() - since

    def readiness(self) -> tuple[bool, str]:
        """For /readyz: ready only while a Socket Mode connection is open."""
        if self.connected:
            return True, "Socket Mode connected"
        return False, (
            f"no Socket Mode connection for {self.seconds_without_connection():.0f} s "
            f"({self._last_error})"
        )

    def alive(self) -> tuple[bool, str]:
        """For /healthz: the supervisor thread is running (or was stopped on purpose)."""
        if self._thread.is_alive() or self._stopping.is_set():
            return True, "Socket Mode supervisor running"
        return False, "the Socket Mode supervisor thread has died"

    def close(self, timeout: float = 1.5) -> None:
        """Finish the envelopes in flight (up to ``timeout`` s), then close with a close frame."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            pending = set(self._in_flight)
        if pending:
            wait_for_futures(pending, timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            links = list(self._links.values())
        for link in links:
            with contextlib.suppress(Exception):
                link.websocket.close(1000, "lingo is stopping")
        if self._thread.is_alive():
            self._thread.join(self._tuning.close_timeout + 0.5)
        for reader in list(self._readers):
            reader.join(self._tuning.close_timeout + 0.5)
        SOCKET_MODE_CONNECTED.set(0)
        logger.info("Socket Mode connection closed")

    # -- the supervisor thread ------------------------------------------------------------

    def _supervise(self) -> None:
        failures = 0
        logged_down_at = 0.0
        while not self._stopping.is_set():
            try:
                link = self._open()
            except SocketModeRefusedError as refused:
                self._last_error = refused.reason
                if not self._first_outcome.is_set():
                    self._outcome = "refused"
                    self._first_outcome.set()
                    return
                logger.error(
                    "Slack refuses the app-level token (%s); retrying in %.0f s",
                    refused.reason,
                    self._backoff.cap,
                )
                self._stopping.wait(self._backoff.cap)
                continue
            except _RateLimitedError as limited:
                self._last_error = limited.reason
                self._say_retrying(limited.reason, limited.seconds, first=failures == 0)
                failures += 1
                self._stopping.wait(limited.seconds)
                continue
            except (_AttemptError, Exception) as failed:
                if not isinstance(failed, _AttemptError):
                    # Not one of the known ways to fail: keep the traceback, and keep trying.
                    logger.exception("Socket Mode: unexpected error while connecting")
                    failed = _AttemptError(_describe(failed))
                self._last_error = failed.reason
                failures += 1
                delay = self._backoff.delay(failures)
                now = time.monotonic()
                if failures == 1 or now - logged_down_at >= STILL_DOWN_LOG_SECONDS:
                    self._say_retrying(failed.reason, delay, first=failures == 1)
                    logged_down_at = now
                else:
                    logger.debug("Socket Mode: %s; retrying in %.1f s", failed.reason, delay)
                if not self._first_outcome.is_set():
                    self._first_outcome.set()
                self._stopping.wait(delay)
                continue
            failures = 0
            self._connected(link)
            # Wait until this connection is asked to refresh or is gone; the reader goes on.
            while not (link.refresh_asked.is_set() or link.gone.is_set()):
                self._wake.wait()
                self._wake.clear()
                if self._stopping.is_set():
                    return
            if link.refresh_asked.is_set() and not link.gone.is_set():
                SOCKET_MODE_RECONNECTS.labels(reason="refresh").inc()
                logger.info("Slack asked for a new connection (%s); opening it", link.reason)
            # A dropped link was logged by its reader; the loop opens the next one at once.

    def _say_retrying(self, reason: str, delay: float, *, first: bool) -> None:
        if self._down_since is not None and self._numbers == 0:
            logger.warning(
                "Socket Mode: not connected (%s); retrying in %.1f s", reason, delay
            ) if first else logger.info(
                "Socket Mode: still not connected (%s); retrying in %.1f s", reason, delay
            )
        elif first:
            logger.info("Socket Mode: reconnecting failed (%s); retrying in %.1f s", reason, delay)
        else:
            logger.info(
                "Socket Mode: still no connection after %.0f s (%s); retrying in %.1f s",
                self.seconds_without_connection(),
                reason,
                delay,
            )

    def _open(self) -> _Link:
        """Ask Slack for a URL, connect, and wait for its hello."""
        try:
            url = str(self._web.apps_connections_open(app_token=self._token)["url"])
        except SlackApiError as error:
            reason = str(error.response.get("error") or error.response.status_code)
            if reason in FATAL_ERRORS:
                raise SocketModeRefusedError(reason) from None
            if error.response.status_code == 429:
                seconds = float(error.response.headers.get("Retry-After", 30))
                raise _RateLimitedError(
                    f"apps.connections.open rate limited: {reason}", seconds
                ) from None
            raise _AttemptError(f"apps.connections.open failed: {reason}") from None
        except OSError as error:
            raise _AttemptError(f"apps.connections.open unreachable: {_describe(error)}") from None
        tuning = self._tuning
        try:
            websocket = connect(
                url,
                ssl=self._ssl if url.startswith("wss:") else None,
                proxy=self._proxy,
                open_timeout=tuning.open_timeout,
                ping_interval=tuning.ping_interval,
                ping_timeout=tuning.ping_timeout,
                close_timeout=tuning.close_timeout,
                max_size=None,
                legacy=True,  # connect directly; this module owns the connection's lifetime
            )
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as error:
            raise _AttemptError(f"cannot connect: {_describe(error)}") from None
        try:
            hello = json.loads(websocket.recv(timeout=tuning.open_timeout))
        except (ConnectionClosed, TimeoutError, ValueError) as error:
            websocket.close()
            raise _AttemptError(f"no hello from Slack: {_describe(error)}") from None
        if not isinstance(hello, dict) or hello.get("type") != "hello":
            websocket.close()
            raise _AttemptError(f"expected hello, got {str(hello)[:100]}")
        with self._lock:
            self._numbers += 1
            return _Link(self._numbers, websocket, time.monotonic())

    def _connected(self, link: _Link) -> None:
        with self._lock:
            self._links[link.number] = link
            down_since, self._down_since = self._down_since, None
        SOCKET_MODE_CONNECTED.set(1)
        if down_since is not None:
            took = link.opened_at - down_since
            SOCKET_MODE_DISCONNECTED_SECONDS.inc(took)
            if link.number == 1:
                logger.info("Socket Mode connected in %.1f s", took)
            else:
                logger.info("Socket Mode connected again after %.1f s without a connection", took)
        else:
            logger.debug("Socket Mode connection %d open (refresh)", link.number)
        self._outcome = "connected"
        self._first_outcome.set()
        with self._lock:
            unsent, self._unsent = self._unsent, []
        for ack in unsent:
            self._send_ack(link, ack)
        reader = threading.Thread(
            target=self._read, args=(link,), name=f"lingo-socket-{link.number}", daemon=True
        )
        self._readers = [r for r in self._readers if r.is_alive()] + [reader]
        reader.start()

    # -- one reader thread per connection -------------------------------------------------

    def _read(self, link: _Link) -> None:
        cause: BaseException | None = None
        try:
            for message in link.websocket:
                self._received(link, message)
        except ConnectionClosed as closed:
            cause = closed.__cause__
        finally:
            self._gone(link, cause)

    def _received(self, link: _Link, message: str | bytes) -> None:
        try:
            body = json.loads(message)
        except ValueError:
            logger.warning("Socket Mode: a message that is not JSON: %r", message[:100])
            return
        if not isinstance(body, dict):
            return
        if body.get("type") == "disconnect":
            link.reason = str(body.get("reason") or "disconnect")
            link.refresh_asked.set()
            self._wake.set()
            return
        if "envelope_id" in body and not self._stopping.is_set():
            self._dispatch(link, SocketModeRequest.from_dict(body))

    def _gone(self, link: _Link, cause: BaseException | None) -> None:
        reason = _close_reason(link, cause)
        with self._lock:
            self._links.pop(link.number, None)
            left = bool(self._links)
            if not left and self._down_since is None:
                self._down_since = time.monotonic()
        link.gone.set()
        self._wake.set()
        if self._stopping.is_set():
            return
        if link.refresh_asked.is_set():
            logger.debug("Socket Mode connection %d closed after refresh: %s", link.number, reason)
        if not left and link.refresh_asked.is_set():
            # Slack closed the old connection before the next one opened: being replaced.
            SOCKET_MODE_CONNECTED.set(0)
            self._last_error = "replacing the connection, as Slack asked"
        elif not left:
            SOCKET_MODE_CONNECTED.set(0)
            SOCKET_MODE_RECONNECTS.labels(reason=_reason_label(reason)).inc()
            self._last_error = f"connection lost: {reason}"
            logger.warning("Socket Mode connection lost (%s); reconnecting", reason)

    # -- envelopes ------------------------------------------------------------------------

    def _dispatch(self, link: _Link, request: SocketModeRequest | None) -> None:
        if request is None:
            return
        envelope_id = request.envelope_id
        with self._lock:
            again = envelope_id in self._seen
            done = self._seen.get(envelope_id)
        if again:
            logger.info("Socket Mode: envelope %s delivered again; handled once", envelope_id)
            if done is not None:
                self._send_ack(link, done)
            return
        with self._lock:
            self._seen[envelope_id] = None
            while len(self._seen) > SEEN_ENVELOPES:
                self._seen.popitem(last=False)
            try:
                future = self._pool.submit(self._handle, link, request)
            except RuntimeError:  # the pool is shut down: the bot is stopping
                del self._seen[envelope_id]
                return
            self._in_flight.add(future)
        future.add_done_callback(self._finished)

    def _finished(self, future: Future[None]) -> None:
        with self._lock:
            self._in_flight.discard(future)

    def _handle(self, link: _Link, request: SocketModeRequest) -> None:
        response = run_bolt_app(self._app, request)
        ack = _acknowledgement(request.envelope_id, response)
        if ack is None:
            logger.info(
                "Socket Mode: envelope %s not acknowledged (Bolt status %s)",
                request.envelope_id,
                response.status,
            )
            with self._lock:
                self._seen.pop(request.envelope_id, None)
            return
        with self._lock:
            self._seen[request.envelope_id] = ack
        self._send_ack(link, ack)

    def _send_ack(self, link: _Link, ack: dict[str, Any]) -> None:
        """Acknowledge on the envelope's own connection, or on the newest open one."""
        text = json.dumps(ack)
        with self._lock:
            others = sorted(self._links.values(), key=lambda other: -other.number)
        candidates = [link, *(other for other in others if other is not link)]
        for candidate in candidates:
            try:
                candidate.websocket.send(text)
                return
            except ConnectionClosed:
                continue
        with self._lock:
            self._unsent.append(ack)
        logger.info(
            "Socket Mode: envelope %s acknowledged once the next connection opens",
            ack["envelope_id"],
        )


class _AttemptError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _RateLimitedError(_AttemptError):
    def __init__(self, reason: str, seconds: float) -> None:
        super().__init__(reason)
        self.seconds = seconds


def _acknowledgement(envelope_id: str, response: BoltResponse) -> dict[str, Any] | None:
    """The acknowledgement Bolt's own adapter would send, or None when it would send none."""
    if response.status != 200:
        return None
    ack: dict[str, Any] = {"envelope_id": envelope_id}
    if response.body:
        content_type = response.headers.get("content-type", [""])[0]
        if content_type.startswith("application/json"):
            ack["payload"] = json.loads(response.body)
        else:
            ack["payload"] = {"text": response.body}
    return ack


def _close_reason(link: _Link, cause: BaseException | None) -> str:
    protocol = link.websocket.protocol
    received, sent = protocol.close_rcvd, protocol.close_sent
    if received is not None:
        why = f": {received.reason}" if received.reason else ""
        return f"closed by Slack with code {received.code}{why}"
    if sent is not None and sent.code == 1011:
        return f"no answer to a ping ({sent.reason or 'keepalive ping timeout'})"
    if cause is not None:
        return _describe(cause)
    return "the connection dropped without a close frame"


def _reason_label(reason: str) -> str:
    if reason.startswith("closed by Slack"):
        return "closed"
    if reason.startswith("no answer to a ping"):
        return "ping_timeout"
    return "dropped"


def _describe(error: BaseException) -> str:
    text = str(error)
    name = type(error).__name__
    return f"{name}: {text}" if text and name not in text else (text or name)
