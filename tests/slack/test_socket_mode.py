"""Socket Mode: the same app answers envelopes through Bolt's own Socket Mode adapter code.

A real WebSocket to Slack is out of reach in tests; Bolt's adapter turns each envelope into
a request with ``run_bolt_app`` and acknowledges it with ``send_response``, and these tests
drive exactly those functions with a client that records the acknowledgements.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.runtime import Runtime
from bot.slack.app import build_app
from tests.support.blockkit import all_text, check_message
from tests.support.fakeslack import TEAM_ID, FakeSlack


class RecordingSocketClient:
    """What Bolt's Socket Mode adapter needs from a client: somewhere to send acknowledgements."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("tests.socket")
        self.sent: list[SocketModeResponse] = []

    def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.sent.append(response)


def deliver(app: Any, kind: str, payload: dict[str, Any], retry: int | None = None):
    client = RecordingSocketClient()
    request = SocketModeRequest(
        kind,
        f"env-{time.monotonic_ns()}",
        payload,
        accepts_response_payload=True,
        retry_attempt=retry,
    )
    send_response(client, request, run_bolt_app(app, request), time.time())  # type: ignore[arg-type]
    [ack] = client.sent
    assert ack.envelope_id == request.envelope_id
    return ack


def command(text: str) -> dict[str, Any]:
    return {
        "command": "/lingo",
        "text": text,
        "user_id": "U0ASKER001",
        "channel_id": "C0GENERAL1",
        "team_id": TEAM_ID,
        "trigger_id": f"{time.monotonic_ns()}.t",
        "api_app_id": "A0LINGO001",
        "response_url": "http://127.0.0.1:9/none",
    }


def test_a_command_is_answered_in_the_envelope_acknowledgement(runtime: Runtime):
    app = build_app(runtime.deps, client=runtime.client, socket_mode=True)
    ack = deliver(app, "slash_commands", command("quantisaton"))
    assert ack.payload is not None
    check_message(ack.payload)
    assert ack.payload["response_type"] == "ephemeral"
    assert "Showing *Quantization* for “quantisaton”" in all_text(ack.payload)


def test_an_event_retried_over_the_socket_acts_once(runtime: Runtime, fake_slack: FakeSlack):
    app = build_app(runtime.deps, client=runtime.client, socket_mode=True)
    event = {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "event_id": "Ev0SOCKET01",
        "event": {"type": "app_home_opened", "user": "U0ASKER001", "tab": "home"},
    }
    deliver(app, "events_api", event)
    deliver(app, "events_api", event, retry=1)
    # Listeners run before the response (process_before_response): all work is done by now.
    assert len(fake_slack.calls_to("views.publish")) == 1


def test_socket_mode_needs_no_signing_secret(runtime: Runtime):
    deps = replace(
        runtime.deps,
        settings=replace(runtime.settings, slack_signing_secret=None, slack_app_token="xapp-1"),
    )
    app = build_app(deps, client=runtime.client, socket_mode=True)
    ack = deliver(app, "slash_commands", command("lora"))
    assert ack.payload["blocks"][0]["text"]["text"] == "LoRA (Low-Rank Adaptation)"
