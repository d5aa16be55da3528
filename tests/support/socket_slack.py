"""A local fake of Slack's Socket Mode: the Web API of FakeSlack plus a real WebSocket server.

``apps.connections.open`` answers with the ``wss://`` (or ``ws://``) URL of a WebSocket
server on 127.0.0.1. TLS uses a certificate made for the test by ``trustme``;
``fake.client_ssl_context()`` trusts it, ``fake.ca_file`` names it for clients that read
SSL_CERT_FILE. Each new connection gets Slack's ``hello``; what the bot sends back on any
connection is recorded as an :class:`Ack`.

What Slack does, on demand:
- ``send(kind, payload)``: an envelope (slash_commands, interactive, events_api);
- ``refresh()``: ``{"type": "disconnect", "reason": "refresh_requested"}``, the old
  connection staying open for ``grace`` seconds (envelopes may still arrive on it);
- ``ping()``: a WebSocket ping, answered by the client's pong.

What the network does, on demand:
- ``close()``: a close frame on every connection;
- ``reset()``: a TCP reset (RST) on every connection, TLS or not;
- ``half_open()``: every open connection goes silent, no FIN, no pong, nothing read;
- ``stop()`` and ``start()``: the WebSocket server goes away and comes back on its port.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import trustme
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from tests.support.fakeslack import TEAM_ID, FakeSlack

APP_ID = "A0LINGO001"
T = TypeVar("T")


@dataclass
class Ack:
    """One acknowledgement the bot sent: which envelope, on which connection, when."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Link:
    number: int
    websocket: ServerConnection
    opened_at: float = field(default_factory=time.monotonic)
    silent: bool = False


class SocketSlack(FakeSlack):
    """``with SocketSlack(tls=True) as fake:``; ``fake.acks`` lists what the bot acknowledged.

    ``port`` fixes the WebSocket port (443 needs root); by default one is chosen at the first
    start and kept across ``stop()``/``start()``. ``authority`` signs the certificate
    (a new trustme CA by default).
    """

    def __init__(
        self,
        *,
        tls: bool = False,
        port: int = 0,
        host: str = "127.0.0.1",
        authority: trustme.CA | None = None,
    ) -> None:
        super().__init__()
        self.tls = tls
        self.host = host
        self.ws_port = port
        self.acks: list[Ack] = []
        self.sent: dict[str, float] = {}
        self.opened: list[float] = []
        self.closed: list[float] = []
        self.close_codes: dict[int, int | None] = {}
        self._links: dict[int, _Link] = {}
        self._numbers = itertools.count(1)
        self._envelopes = itertools.count(1)
        self._changed = threading.Condition(self._lock)
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(
            target=self._loop.run_forever, name="fake-socket-slack", daemon=True
        )
        self._ws_server: Server | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="socket-slack-")
        self._server_ssl: ssl.SSLContext | None = None
        self.ca_file: Path | None = None
        if tls:
            authority = authority or trustme.CA()
            certificate = authority.issue_cert("127.0.0.1", "localhost")
            self._server_ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            certificate.configure_cert(self._server_ssl)
            self.ca_file = Path(self._tmp.name) / "ca.pem"
            authority.cert_pem.write_to_path(str(self.ca_file))

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> SocketSlack:
        super().__enter__()
        self._loop_thread.start()
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.stop()

        async def cancel_the_rest() -> None:
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        self._run(cancel_the_rest())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop_thread.join(5)
        self._loop.close()
        self._tmp.cleanup()
        super().__exit__(*exc)

    def start(self) -> None:
        """Listen for WebSocket connections (again, on the same port)."""
        self._run(self._start())

    def stop(self) -> None:
        """Stop listening and drop every connection (FIN, no close frame): the server is gone."""
        self._run(self._stop())

    @property
    def ws_url(self) -> str:
        scheme = "wss" if self.tls else "ws"
        return f"{scheme}://{self.host}:{self.ws_port}/link/"

    def client_ssl_context(self) -> ssl.SSLContext | None:
        """An SSL context that trusts this fake's certificate (None without TLS)."""
        if self.ca_file is None:
            return None
        return ssl.create_default_context(cafile=str(self.ca_file))

    # -- what Slack does ------------------------------------------------------------------

    def send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        on: int | None = None,
        envelope_id: str | None = None,
    ) -> str:
        """Send an envelope on connection ``on`` (the newest open one); return its id.

        ``envelope_id`` delivers an envelope again, as Slack does when no ack came in time.
        """
        envelope_id = envelope_id or f"env-{next(self._envelopes):05d}"
        message = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        with self._lock:
            self.sent[envelope_id] = time.monotonic()
        self._run(self._send_text(json.dumps(message), on))
        return envelope_id

    def refresh(self, *, grace: float = 1.0) -> int:
        """Ask the bot to reconnect; close the asked connection ``grace`` seconds later."""
        number = self.newest()
        message = {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "applink-fake"},
        }
        self._run(self._send_text(json.dumps(message), number))

        async def close_later() -> None:
            await asyncio.sleep(grace)
            link = self._links.get(number)
            if link is not None:
                await link.websocket.close(1000, "refresh")

        asyncio.run_coroutine_threadsafe(close_later(), self._loop)
        return number

    def ping(self, timeout: float = 5.0) -> float:
        """Send a WebSocket ping on the newest connection; return the seconds until its pong."""

        async def ping() -> float:
            link = self._links[self.newest()]
            started = time.monotonic()
            pong = await link.websocket.ping()
            await asyncio.wait_for(pong, timeout)
            return time.monotonic() - started

        return self._run(ping(), timeout + 1)

    # -- what the network does ------------------------------------------------------------

    def close(self, code: int = 1001, reason: str = "going away") -> None:
        """Close every connection with a close frame."""

        async def close() -> None:
            await asyncio.gather(
                *(link.websocket.close(code, reason) for link in list(self._links.values())),
                return_exceptions=True,
            )

        self._run(close())

    def reset(self) -> None:
        """Reset every connection: an RST on the wire, no close frame, no FIN."""

        async def reset() -> None:
            for link in list(self._links.values()):
                _abort_with_reset(link.websocket)

        self._run(reset())

    def half_open(self) -> None:
        """Every open connection goes silent: nothing read, nothing sent, no FIN, no pong."""

        async def silence() -> None:
            for link in self._links.values():
                link.silent = True
                link.websocket.transport.pause_reading()

        self._run(silence())

    # -- reading what happened ------------------------------------------------------------

    def open_connections(self) -> list[int]:
        """The connections open and not silent, oldest first."""
        with self._lock:
            return [n for n, link in sorted(self._links.items()) if not link.silent]

    def newest(self) -> int:
        found = self.open_connections()
        if not found:
            raise AssertionError("no open Socket Mode connection")
        return found[-1]

    def wait_connected(self, count: int = 1, timeout: float = 30.0) -> int:
        """Wait until ``count`` connections were opened in all (and one is open); return it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.opened) < count or not any(
                not link.silent for link in self._links.values()
            ):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} connection(s), got {len(self.opened)}")
                self._changed.wait(left)
        return self.newest()

    def wait_disconnected(self, timeout: float = 30.0) -> None:
        """Wait until no connection is open."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._links:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"connections still open: {sorted(self._links)}")
                self._changed.wait(left)

    def acks_for(self, envelope_id: str) -> list[Ack]:
        with self._lock:
            return [ack for ack in self.acks if ack.envelope_id == envelope_id]

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> Ack:
        """Wait for the acknowledgement of ``envelope_id``; return the first one."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(ack.envelope_id == envelope_id for ack in self.acks):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no acknowledgement for {envelope_id}")
                self._changed.wait(left)
            return next(ack for ack in self.acks if ack.envelope_id == envelope_id)

    # -- the Web API ----------------------------------------------------------------------

    def _reply(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return {"ok": True, "url": f"{self.ws_url}?ticket={time.monotonic_ns()}"}
        return super()._reply(method, params)

    # -- serving --------------------------------------------------------------------------

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _start(self) -> None:
        self._ws_server = await serve(
            self._serve,
            self.host,
            self.ws_port,
            ssl=self._server_ssl,
            ping_interval=None,  # Slack's pings are sent on demand: ping()
            close_timeout=1,
            reuse_address=True,
        )
        self.ws_port = self._ws_server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._ws_server is not None:
            self._ws_server.close(close_connections=False)
            for link in list(self._links.values()):
                link.websocket.transport.abort()
            await self._ws_server.wait_closed()
            self._ws_server = None

    async def _send_text(self, text: str, on: int | None) -> None:
        number = on if on is not None else self.newest()
        link = self._links.get(number)
        if link is None or link.silent:
            raise AssertionError(f"connection {number} is not open")
        await link.websocket.send(text)

    async def _serve(self, websocket: ServerConnection) -> None:
        number = next(self._numbers)
        with self._changed:
            self._links[number] = _Link(number, websocket)
            self.opened.append(time.monotonic())
            self._changed.notify_all()
        try:
            await websocket.send(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": len(self._links),
                        "debug_info": {
                            "host": "applink-fake",
                            "approximate_connection_time": 18060,
                        },
                        "connection_info": {"app_id": APP_ID, "team_id": TEAM_ID},
                    }
                )
            )
            async for message in websocket:
                self._received(number, message)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._links.pop(number, None)
                self.closed.append(time.monotonic())
                received = websocket.protocol.close_rcvd
                self.close_codes[number] = None if received is None else received.code
                self._changed.notify_all()

    def _received(self, number: int, message: str | bytes) -> None:
        try:
            body = json.loads(message)
        except ValueError:
            return
        if not isinstance(body, dict) or "envelope_id" not in body:
            return
        with self._changed:
            self.acks.append(Ack(str(body["envelope_id"]), body.get("payload"), number))
            self._changed.notify_all()


def _abort_with_reset(websocket: ServerConnection) -> None:
    raw = websocket.transport.get_extra_info("socket")
    if raw is not None:
        with contextlib.suppress(OSError):
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    websocket.transport.abort()


# -- envelopes, as Slack sends them over the socket --------------------------------------------

_ids = itertools.count(1)


def slash_command(text: str, *, user: str = "U0ASKER001") -> tuple[str, dict[str, Any]]:
    """``/lingo text``: Socket Mode carries the same fields as the HTTP form, as JSON."""
    return "slash_commands", {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "fake",
        "channel_id": "C0GENERAL1",
        "channel_name": "general",
        "user_id": user,
        "user_name": "asker",
        "command": "/lingo",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": f"{next(_ids)}.1.trigger",
    }


def block_action(action_id: str, value: str, response_url: str) -> tuple[str, dict[str, Any]]:
    """A click on a button of an ephemeral answer."""
    return "interactive", {
        "type": "block_actions",
        "user": {"id": "U0ASKER001", "username": "asker", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0GENERAL1",
            "is_ephemeral": True,
        },
        "trigger_id": f"{next(_ids)}.2.trigger",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "channel": {"id": "C0GENERAL1", "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "button"},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def view_submission(callback_id: str, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A modal submitted with the state ``values``."""
    return "interactive", {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": "U0ASKER001", "username": "asker", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_ids)}.4.trigger",
        "view": {
            "id": "V0SUGGEST1",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "",
            "hash": "1700000000.abc",
            "state": {"values": values},
        },
    }


def message_shortcut(
    message_text: str, callback_id: str, response_url: str
) -> tuple[str, dict[str, Any]]:
    """The message shortcut on a message reading ``message_text``."""
    return "interactive", {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": f"{next(_ids)}.3.trigger",
        "action_ts": f"{time.time():.6f}",
        "message_ts": "1700000000.000200",
        "response_url": response_url,
        "team": {"id": TEAM_ID, "domain": "fake"},
        "channel": {"id": "C0GENERAL1", "name": "general"},
        "user": {"id": "U0ASKER001", "name": "asker", "team_id": TEAM_ID},
        "token": "legacy-verification-token",
        "message": {
            "type": "message",
            "user": "U0AUTHOR01",
            "ts": "1700000000.000200",
            "text": message_text,
        },
    }


def app_home_opened(user: str = "U0ASKER001") -> tuple[str, dict[str, Any]]:
    """The Events API callback for a user opening the app's Home tab."""
    return "events_api", {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_home_opened",
            "user": user,
            "channel": "D0HOME0001",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        },
        "type": "event_callback",
        "event_id": f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": "U0BOT00001", "is_bot": True}],
    }
