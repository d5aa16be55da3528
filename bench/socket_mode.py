"""Socket Mode clients against drops of every kind, over TLS on a real local WebSocket fake.

    .venv/bin/python -m bench.socket_mode [--clients a,b] [--scenarios x,y] [--limit 12]

For each client and each scenario, a fresh fake Slack (tests.support.socket_slack, TLS with
a trustme certificate) and a fresh client that acknowledges every envelope at once:

- refresh      ``{"type":"disconnect","reason":"refresh_requested"}``, the old connection
               open 2 s more, envelopes every 0.1 s on the old and the new one; 3 rounds
- close        a close frame (1001) on the connection
- reset        a TCP reset, no close frame
- restart      the WebSocket server gone for 3 s, then back on the same port
- half_open    the link goes silent: no FIN, no pong, nothing read

Columns: reconnect s (from the drop, or from the server's return for restart, until the
next connection opens; ``>N`` = not within the limit), CPU s of this process from the drop
until then (the fake is idle meanwhile), the slowest acknowledgement of an envelope sent
during or right after the drop, and envelopes lost (no ack) or acknowledged twice.

Clients: ``builtin`` (slack_sdk's own, as ``lingo serve`` used it before: Bolt's
SocketModeHandler defaults, ping_interval 10), ``builtin-tuned`` (ping_interval 2),
``websocket-client``, ``aiohttp``, ``websockets`` (slack_sdk's adapters, ping_interval 2),
and ``supervisor`` (bot.slack.socket_mode with its production tuning). The built-in client
speaks TLS only on port 443, so its fake listens there (root needed; else it is skipped).
Results go to stdout and bench/results/socket_mode.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme

from bench.machine import cpu_model
from tests.support.socket_slack import SocketSlack, slash_command

SCENARIOS = ("refresh", "close", "reset", "restart", "half_open")
CLIENTS = (
    "builtin",
    "builtin-tuned",
    "websocket-client",
    "aiohttp",
    "websockets",
    "supervisor",
)
RESULTS = Path(__file__).parent / "results" / "socket_mode.md"
TOKEN = "xapp-bench"


@dataclass
class Row:
    scenario: str
    client: str
    reconnect: float | None
    cpu: float
    max_ack: float | None
    lost: int
    duplicated: int
    note: str = ""


class Client:
    """A client under test: started against the fake, acknowledging each envelope at once."""

    def __init__(self, kind: str, fake: SocketSlack) -> None:
        self.kind = kind
        self.fake = fake
        self._stop: Callable[[], None] = lambda: None

    def start(self) -> None:
        getattr(self, "_start_" + self.kind.replace("-", "_"))()

    def stop(self) -> None:
        self._stop()

    # -- slack_sdk's threaded clients -----------------------------------------------------

    def _threaded(self, module: str, **options: Any) -> None:
        import importlib

        from slack_sdk import WebClient
        from slack_sdk.socket_mode.response import SocketModeResponse

        client_class = importlib.import_module(module).SocketModeClient
        client = client_class(
            app_token=TOKEN, web_client=WebClient(base_url=self.fake.api_url), **options
        )

        def ack(client: Any, request: Any) -> None:
            client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

        client.socket_mode_request_listeners.append(ack)
        client.connect()
        self._stop = client.close

    def _start_builtin(self) -> None:
        self._threaded("slack_sdk.socket_mode.builtin", ping_interval=10)

    def _start_builtin_tuned(self) -> None:
        self._threaded("slack_sdk.socket_mode.builtin", ping_interval=2)

    def _start_websocket_client(self) -> None:
        self._threaded("slack_sdk.socket_mode.websocket_client", ping_interval=2)

    # -- slack_sdk's asyncio clients ------------------------------------------------------

    def _asyncio(self, module: str) -> None:
        import importlib

        from slack_sdk.socket_mode.response import SocketModeResponse
        from slack_sdk.web.async_client import AsyncWebClient

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()

        async def start() -> Any:
            client_class = importlib.import_module(module).SocketModeClient
            client = client_class(
                app_token=TOKEN,
                web_client=AsyncWebClient(base_url=self.fake.api_url),
                ping_interval=2,
            )

            async def ack(client: Any, request: Any) -> None:
                await client.send_socket_mode_response(
                    SocketModeResponse(envelope_id=request.envelope_id)
                )

            client.socket_mode_request_listeners.append(ack)
            await client.connect()
            return client

        client = asyncio.run_coroutine_threadsafe(start(), loop).result(15)

        def stop() -> None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(client.close(), loop).result(5)
                web = client.web_client
                if getattr(web, "session", None) is not None:
                    asyncio.run_coroutine_threadsafe(web.session.close(), loop).result(5)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)

        self._stop = stop

    def _start_aiohttp(self) -> None:
        self._asyncio("slack_sdk.socket_mode.aiohttp")

    def _start_websockets(self) -> None:
        self._asyncio("slack_sdk.socket_mode.websockets")

    # -- ours -----------------------------------------------------------------------------

    def _start_supervisor(self) -> None:
        from slack_bolt import Ack, App
        from slack_sdk import WebClient

        from bot.slack.socket_mode import SocketModeSupervisor

        app = App(
            client=WebClient(token="xoxb-bench", base_url=self.fake.api_url),
            token_verification_enabled=False,
            request_verification_enabled=False,
        )

        @app.command("/lingo")
        def answer(ack: Ack) -> None:
            ack()

        supervisor = SocketModeSupervisor(app, TOKEN, api_url=self.fake.api_url, proxy=None)
        supervisor.start()
        self._stop = supervisor.close


# -- scenarios ------------------------------------------------------------------------------


def run(client_kind: str, scenario: str, limit: float, authority: trustme.CA) -> Row:
    port = 443 if client_kind.startswith("builtin") else 0
    with SocketSlack(tls=True, port=port, authority=authority) as fake:
        client = Client(client_kind, fake)
        client.start()
        try:
            fake.wait_connected(1, timeout=15)
            return _scenario(fake, client_kind, scenario, limit)
        finally:
            client.stop()


def _scenario(fake: SocketSlack, kind: str, scenario: str, limit: float) -> Row:
    sent: list[str] = []
    reconnects: list[float | None] = []
    cpu = 0.0
    note = ""
    rounds = 3 if scenario == "refresh" else 1
    for _ in range(rounds):
        opened = len(fake.opened)
        cpu_at = time.process_time()
        dropped_at = time.monotonic()
        if scenario == "refresh":
            old = fake.refresh(grace=2.0)
            until = time.monotonic() + 2.0
            while time.monotonic() < until:  # envelopes on the old and, once open, the new
                with contextlib.suppress(AssertionError):
                    sent.append(fake.send(*slash_command("lora"), on=old))
                with contextlib.suppress(AssertionError):
                    newest = fake.newest()
                    if newest != old:
                        sent.append(fake.send(*slash_command("lora"), on=newest))
                time.sleep(0.1)
        elif scenario == "close":
            fake.close(1001, "going away")
        elif scenario == "reset":
            fake.reset()
        elif scenario == "restart":
            fake.stop()
            time.sleep(3.0)
            fake.start()
            dropped_at = time.monotonic()
        elif scenario == "half_open":
            fake.half_open()
        wait = limit * (2 if scenario == "half_open" else 1)
        try:
            fake.wait_connected(opened + 1, timeout=max(0.0, dropped_at + wait - time.monotonic()))
            reconnects.append(fake.opened[opened] - dropped_at)
        except AssertionError:
            reconnects.append(None)
            note = "no new connection"
        cpu += time.process_time() - cpu_at
        # After the drop: five envelopes on the newest connection, 0.1 s apart.
        for _ in range(5):
            with contextlib.suppress(AssertionError):
                sent.append(fake.send(*slash_command("lora")))
            time.sleep(0.1)
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and any(not fake.acks_for(e) for e in sent):
        time.sleep(0.05)
    latencies = [fake.acks_for(e)[0].at - fake.sent[e] for e in sent if fake.acks_for(e)]
    lost = sum(1 for e in sent if not fake.acks_for(e))
    duplicated = sum(1 for e in sent if len(fake.acks_for(e)) > 1)
    worst = None if None in reconnects else max(r for r in reconnects if r is not None)
    return Row(
        scenario,
        kind,
        worst,
        cpu,
        max(latencies) if latencies else None,
        lost,
        duplicated,
        note,
    )


def _can_bind_443() -> bool:
    with socket.socket() as probe:
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", 443))
        except OSError:
            return False
    return True


def table(rows: list[Row], limit: float) -> str:
    lines = [
        "| scenario | client | reconnect s | CPU s | max ack s | lost | dup | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        wait = limit * (2 if row.scenario == "half_open" else 1)
        reconnect = f">{wait:.0f}" if row.reconnect is None else f"{row.reconnect:.2f}"
        ack = "-" if row.max_ack is None else f"{row.max_ack:.3f}"
        lines.append(
            f"| {row.scenario} | {row.client} | {reconnect} | {row.cpu:.2f} | {ack} "
            f"| {row.lost} | {row.duplicated} | {row.note} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--limit", type=float, default=12.0, help="seconds to wait (x2 half-open)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the clients' own logs would drown the table
    authority = trustme.CA()
    folder = tempfile.mkdtemp(prefix="bench-socket-")
    ca_file = os.path.join(folder, "ca.pem")
    authority.cert_pem.write_to_path(ca_file)
    os.environ["SSL_CERT_FILE"] = ca_file  # every client's default SSL context trusts the fake
    rows: list[Row] = []
    for kind in args.clients.split(","):
        if kind.startswith("builtin") and not _can_bind_443():
            print(f"skipping {kind}: it speaks TLS only on port 443, which needs root")
            continue
        for scenario in args.scenarios.split(","):
            try:
                row = run(kind, scenario, args.limit, authority)
            except Exception as error:
                row = Row(scenario, kind, None, 0.0, None, 0, 0, f"failed: {error!r}"[:80])
            rows.append(row)
            print(table([row], args.limit).splitlines()[-1], flush=True)
    report = (
        f"# Socket Mode clients, {time.strftime('%Y-%m-%d')}, {cpu_model()}\n\n"
        + table(rows, args.limit)
        + "\n"
    )
    print("\n" + report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report)


if __name__ == "__main__":
    main()
