"""The HTTP front (bot/ops/http.py) against slow and partial clients, over loopback
(issue 12, item 1): stalled connections hold sockets, never threads, and time out."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from bot.ops.endpoints import ops_endpoints
from bot.ops.http import HttpServer
from tests.conftest import Served
from tests.support.slackreq import SlackSender

PARTIAL_HEADERS = b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
PARTIAL_BODY = (
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
)


def stalled(address: tuple[str, int], count: int, start: bytes) -> Iterator[socket.socket]:
    for _ in range(count):
        connection = socket.create_connection(address, timeout=10)
        connection.sendall(start)
        yield connection


def test_a_thousand_stalled_clients_do_not_starve_slack_or_the_probes(
    served: Served, slack: SlackSender
) -> None:
    address = ("127.0.0.1", int(served.url.rsplit(":", 1)[1]))
    with ExitStack() as stack:
        for connection in stalled(address, 500, PARTIAL_HEADERS):
            stack.enter_context(connection)
        for connection in stalled(address, 500, PARTIAL_BODY):
            stack.enter_context(connection)
        # The served app has 4 threads; 1,000 half-sent requests hold none of them.
        for _ in range(20):
            reply = slack.command("lora")
            assert reply.status == 200
            assert reply.json()["blocks"][0]["text"]["text"].startswith("LoRA")
        assert slack.get("/healthz").status == 200
        assert slack.get("/readyz").status == 200


@pytest.fixture
def front() -> Iterator[HttpServer]:
    server = HttpServer(
        ops_endpoints(lambda: (True, "ready")),
        "127.0.0.1",
        0,
        threads=1,
        header_seconds=1,
        body_seconds=2,
    )
    server.start()
    yield server
    server.stop()


def closed_by_server(connection: socket.socket) -> bool:
    """Wait (up to the socket's timeout) for the server to close; True if it did."""
    try:
        return connection.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.mark.parametrize(
    "start", [b"", PARTIAL_HEADERS, PARTIAL_BODY], ids=["nothing", "headers", "body"]
)
def test_a_request_that_does_not_arrive_in_time_is_closed(front: HttpServer, start: bytes) -> None:
    with socket.create_connection(("127.0.0.1", front.port), timeout=15) as connection:
        connection.sendall(start)
        assert closed_by_server(connection)
    with socket.create_connection(("127.0.0.1", front.port), timeout=15) as probe:
        probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert probe.recv(1024).startswith(b"HTTP/1.1 200")


def test_a_body_over_the_limit_is_refused_unread(front: HttpServer) -> None:
    with socket.create_connection(("127.0.0.1", front.port), timeout=15) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
        )
        assert connection.recv(1024).startswith(b"HTTP/1.1 413")


def test_the_ops_server_does_not_import_the_slack_edge() -> None:
    code = (
        "import sys, bot.ops.server\n"
        "loaded = [m for m in sys.modules if m.startswith(('bot.slack', 'slack_bolt'))]\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
