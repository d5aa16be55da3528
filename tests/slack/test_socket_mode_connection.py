"""Socket Mode over a real WebSocket: the connection survives every kind of drop.

The fake Slack (tests.support.socket_slack) serves ``apps.connections.open`` and a TLS
WebSocket on 127.0.0.1 with a certificate made for the test; the bot is the real Bolt app
(``build_app``) behind ``SocketModeSupervisor``. Each test waits on what Slack would see
(a connection, an acknowledgement, a call to the Web API); the time figures belong to
``bench/socket_mode.py``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.glossary import Glossary
from bot.ops.metrics import REGISTRY
from bot.ops.server import start_ops_server
from bot.render.blocks.admin import SUGGEST_CALLBACK
from bot.runtime import Runtime, build_runtime
from bot.settings import ENVIRONMENT, Settings
from bot.slack.app import build_app
from bot.slack.listeners.jargon import EXPLAIN_JARGON
from bot.slack.socket_mode import (
    Backoff,
    SocketModeRefusedError,
    SocketModeSupervisor,
    Tuning,
)
from tests.conftest import CONTRIBUTING_URL, ROOT
from tests.support.blockkit import all_text, buttons, check_message
from tests.support.socket_slack import (
    SocketSlack,
    app_home_opened,
    block_action,
    message_shortcut,
    slash_command,
    view_submission,
)

# A silent link is noticed after ping_interval + ping_timeout: short here, 5 + 5 s in production.
FAST = Tuning(ping_interval=0.3, ping_timeout=0.3, open_timeout=2.0, close_timeout=0.5)
QUICK = Backoff(first=0.05, cap=0.2)


@pytest.fixture
def fake() -> Iterator[SocketSlack]:
    with SocketSlack(tls=True) as running:
        yield running


@pytest.fixture
def runtime(fake: SocketSlack, tmp_path: Path, shipped_glossary: Glossary) -> Iterator[Runtime]:
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_APP_TOKEN": "xapp-test-token",
            "SLACK_API_URL": fake.api_url,
            "LINGO_GLOSSARY_DIR": str(ROOT / "glossary"),
            "LINGO_DATABASE_URL": f"sqlite:///{tmp_path / 'lingo.db'}",
            "LINGO_CONTRIBUTING_URL": CONTRIBUTING_URL,
        }
    )
    built = build_runtime(settings, glossary=shipped_glossary)
    yield built
    built.engine.dispose()


def make_supervisor(fake: SocketSlack, runtime: Runtime) -> SocketModeSupervisor:
    app = build_app(runtime.deps, client=runtime.client, socket_mode=True)
    return SocketModeSupervisor(
        app,
        "xapp-test-token",
        api_url=fake.api_url,
        ssl_context=fake.client_ssl_context(),
        proxy=None,
        tuning=FAST,
        backoff=QUICK,
    )


@pytest.fixture
def bot(fake: SocketSlack, runtime: Runtime) -> Iterator[SocketModeSupervisor]:
    supervisor = make_supervisor(fake, runtime)
    assert supervisor.start() == "connected"
    fake.wait_connected()
    yield supervisor
    supervisor.close()


def wait_until(condition, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def ask(fake: SocketSlack, text: str, **options) -> dict:
    """``/lingo text`` over the socket; the answer is the acknowledgement's payload."""
    envelope_id = fake.send(*slash_command(text), **options)
    return fake.wait_ack(envelope_id).payload or {}


# -- envelopes of every kind, end to end ------------------------------------------------------


def test_a_command_over_tls_is_answered_in_its_acknowledgement(
    fake: SocketSlack, bot: SocketModeSupervisor
):
    answer = ask(fake, "quantisaton")
    check_message(answer)
    assert answer["response_type"] == "ephemeral"
    assert "Showing *Quantization* for “quantisaton”" in all_text(answer)
    [call] = fake.calls_to("apps.connections.open")
    assert call.headers["authorization"] == "Bearer xapp-test-token"


def test_a_button_click_replaces_the_card(fake: SocketSlack, bot: SocketModeSupervisor):
    card = ask(fake, "quantization")
    related = next(b for b in buttons(card["blocks"]) if b["action_id"].startswith("show_term"))
    term_id = related["value"]
    envelope_id = fake.send(*block_action(related["action_id"], term_id, fake.response_url()))
    fake.wait_ack(envelope_id)
    [sent] = fake.wait_for("response_url")
    assert sent.params["replace_original"] is True
    assert sent.params["blocks"][0]["text"]["text"] == bot_glossary_name(term_id)


def test_a_wrong_view_submission_is_explained_in_the_acknowledgement(
    fake: SocketSlack, bot: SocketModeSupervisor
):
    values = {"name": {"value": {"type": "plain_text_input", "value": None}}}
    envelope_id = fake.send(*view_submission(SUGGEST_CALLBACK, values))
    ack = fake.wait_ack(envelope_id)
    assert ack.payload is not None
    assert ack.payload["response_action"] == "errors"
    assert "name" in ack.payload["errors"]


def test_the_message_shortcut_lists_the_jargon(fake: SocketSlack, bot: SocketModeSupervisor):
    text = "After fine-tuning with LoRA we used a bigger KV cache."
    envelope_id = fake.send(*message_shortcut(text, EXPLAIN_JARGON, fake.response_url()))
    fake.wait_ack(envelope_id)
    [sent] = fake.wait_for("response_url")
    shown = all_text(sent.params)
    assert "LoRA (Low-Rank Adaptation)" in shown
    assert "KV Cache" in shown


def test_an_event_publishes_the_home_tab(fake: SocketSlack, bot: SocketModeSupervisor):
    envelope_id = fake.send(*app_home_opened())
    fake.wait_ack(envelope_id)
    [publish] = fake.wait_for("views.publish")
    assert publish.params["user_id"] == "U0ASKER001"


def test_an_envelope_delivered_twice_is_handled_once_and_acknowledged_twice(
    fake: SocketSlack, bot: SocketModeSupervisor
):
    kind, payload = block_action("show_term_0", "lora", fake.response_url())
    envelope_id = fake.send(kind, payload)
    fake.wait_ack(envelope_id)
    fake.send(kind, payload, envelope_id=envelope_id)
    wait_until(lambda: len(fake.acks_for(envelope_id)) == 2, "the second acknowledgement")
    # The first delivery's reply was posted before its acknowledgement; the second ran nothing.
    assert len(fake.calls_to("response_url")) == 1


# -- drops of every kind ----------------------------------------------------------------------


def test_a_refresh_overlaps_the_connections_and_loses_no_envelope(
    fake: SocketSlack, bot: SocketModeSupervisor
):
    old = fake.refresh(grace=30.0)
    new = fake.wait_connected(2)
    assert new != old
    assert bot.connected
    on_old = fake.send(*slash_command("lora"), on=old)
    on_new = fake.send(*slash_command("kv cache"), on=new)
    assert fake.wait_ack(on_old).payload["blocks"][0]["text"]["text"].startswith("LoRA")
    assert fake.wait_ack(on_new).payload["blocks"][0]["text"]["text"] == "KV Cache"
    fake.close(1000, "refresh")
    fake.wait_connected(3)
    assert [len(fake.acks_for(e)) for e in (on_old, on_new)] == [1, 1]


def test_an_envelope_whose_connection_closed_meanwhile_is_acknowledged_on_the_new_one(
    fake: SocketSlack, runtime: Runtime
):
    started = threading.Event()
    release = threading.Event()
    app = build_app(runtime.deps, client=runtime.client, socket_mode=True)

    @app.command("/slow")
    def slow(ack) -> None:
        started.set()
        release.wait(10)
        ack("done")

    supervisor = SocketModeSupervisor(
        app,
        "xapp-test-token",
        api_url=fake.api_url,
        ssl_context=fake.client_ssl_context(),
        proxy=None,
        tuning=FAST,
        backoff=QUICK,
    )
    supervisor.start()
    try:
        old = fake.wait_connected()
        kind, payload = slash_command("")
        envelope_id = fake.send(kind, {**payload, "command": "/slow"}, on=old)
        assert started.wait(10)
        fake.refresh(grace=0.0)
        fake.wait_connected(2)
        wait_until(lambda: old not in fake.open_connections(), "the old connection to close")
        release.set()
        ack = fake.wait_ack(envelope_id)
        assert ack.connection != old
        assert ack.payload == {"text": "done"}
    finally:
        release.set()
        supervisor.close()


@pytest.mark.parametrize("drop", ["close", "reset", "half_open"])
def test_the_bot_reconnects_after_a_drop(
    fake: SocketSlack, bot: SocketModeSupervisor, drop: str, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="bot.slack.socket_mode")
    before = fake.newest()
    getattr(fake, drop)()
    fake.wait_connected(2)
    assert fake.newest() != before
    wait_until(lambda: bot.connected, "the supervisor to count the new connection")
    assert ask(fake, "lora")["blocks"][0]["text"]["text"] == "LoRA (Low-Rank Adaptation)"
    records = [r for r in caplog.records if r.name == "bot.slack.socket_mode"]
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("Socket Mode connection lost (")
    expected = {"close": "closed by Slack with code 1001", "half_open": "no answer to a ping"}
    assert expected.get(drop, "") in warnings[0]
    assert any("connected again after" in r.getMessage() for r in records)
    assert not [r for r in records if r.levelno >= logging.ERROR]
    assert _metric("lingo_socket_mode_connected") == 1


def test_readiness_is_false_while_slack_is_down_and_true_once_back(
    fake: SocketSlack, runtime: Runtime, bot: SocketModeSupervisor
):
    runtime.readiness_checks.append(bot.readiness)
    assert runtime.readiness()[0] is True
    fake.stop()
    wait_until(lambda: not bot.connected, "the supervisor to notice")
    ready, reason = runtime.readiness()
    assert ready is False
    assert reason.startswith("no Socket Mode connection for")
    assert _metric("lingo_socket_mode_connected") == 0
    fake.start()
    wait_until(lambda: runtime.readiness()[0], "readiness once Slack is back")
    assert _metric("lingo_socket_mode_connected") == 1


def test_ops_endpoints_tell_the_connection_state(
    fake: SocketSlack, runtime: Runtime, bot: SocketModeSupervisor
):
    runtime.readiness_checks.append(bot.readiness)
    runtime.liveness_checks.append(bot.alive)
    ops = start_ops_server(runtime.readiness, "127.0.0.1", 0, liveness=runtime.liveness)
    try:
        base = f"http://127.0.0.1:{ops.port}"
        assert _get(base + "/readyz")[0] == 200
        assert _get(base + "/healthz") == (200, "ok\n")
        fake.stop()
        wait_until(lambda: _get(base + "/readyz")[0] == 503, "/readyz to say 503")
        assert "no Socket Mode connection" in _get(base + "/readyz")[1]
        assert _get(base + "/healthz")[0] == 200, "a lost connection is not a dead process"
        metrics = _get(base + "/metrics")[1]
        assert "lingo_socket_mode_connected 0.0" in metrics
        assert "lingo_socket_mode_reconnects_total" in metrics
        fake.start()
        wait_until(lambda: _get(base + "/readyz")[0] == 200, "/readyz to say 200")
    finally:
        ops.stop()


def test_healthz_fails_when_the_supervisor_thread_has_died(fake: SocketSlack, runtime: Runtime):
    supervisor = make_supervisor(fake, runtime)
    supervisor._supervise = lambda: None  # type: ignore[method-assign]  # a thread that dies
    supervisor.start(wait=0.1)
    runtime.liveness_checks.append(supervisor.alive)
    wait_until(lambda: not runtime.liveness()[0], "liveness to fail")
    assert runtime.liveness() == (False, "the Socket Mode supervisor thread has died")


def test_a_start_while_slack_is_unreachable_says_so_and_connects_later(
    fake: SocketSlack, runtime: Runtime, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO, logger="bot.slack.socket_mode")
    fake.stop()
    supervisor = make_supervisor(fake, runtime)
    try:
        assert supervisor.start() == "retrying"
        assert "cannot connect" in supervisor.last_error
        assert not supervisor.readiness()[0]
        fake.start()
        assert supervisor.wait_connected(20)

        def messages() -> list[str]:
            return [r.getMessage() for r in caplog.records if r.name == "bot.slack.socket_mode"]

        # The connection is open a moment before the line saying so is logged: wait for it.
        wait_until(
            lambda: any(m.startswith("Socket Mode connected in") for m in messages()),
            "the 'connected' log line",
        )
        assert messages()[0].startswith("Socket Mode: not connected (cannot connect")
    finally:
        supervisor.close()


def test_a_refused_token_stops_the_start(fake: SocketSlack, runtime: Runtime):
    fake.fail_next("apps.connections.open", error="invalid_auth")
    supervisor = make_supervisor(fake, runtime)
    with pytest.raises(SocketModeRefusedError) as refused:
        supervisor.start()
    assert refused.value.reason == "invalid_auth"
    supervisor.close()


def test_closing_finishes_the_envelope_in_flight_then_sends_a_close_frame(
    fake: SocketSlack, runtime: Runtime
):
    started = threading.Event()
    app = build_app(runtime.deps, client=runtime.client, socket_mode=True)

    @app.command("/slow")
    def slow(ack) -> None:
        started.set()
        time.sleep(0.3)  # work in progress when the stop comes
        ack("finished")

    supervisor = SocketModeSupervisor(
        app, "xapp-test-token", api_url=fake.api_url, ssl_context=fake.client_ssl_context()
    )
    supervisor.start()
    number = fake.wait_connected()
    kind, payload = slash_command("")
    envelope_id = fake.send(kind, {**payload, "command": "/slow"})
    assert started.wait(10)
    supervisor.close()
    assert fake.wait_ack(envelope_id).payload == {"text": "finished"}
    fake.wait_disconnected()
    assert fake.close_codes[number] == 1000


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _metric(name: str) -> float | None:
    return REGISTRY.get_sample_value(name)


# -- `lingo serve` as it runs: the default path of `make run` ---------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_lingo_serve_connects_answers_and_stops_with_a_close_frame(
    fake: SocketSlack, tmp_path: Path, signum: signal.Signals
):
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_APP_TOKEN="xapp-test-token",
        SLACK_API_URL=fake.api_url,
        SSL_CERT_FILE=str(fake.ca_file),  # the default SSL context trusts the fake's certificate
        LINGO_DATABASE_URL=f"sqlite:///{tmp_path / 'lingo.db'}",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--no-scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if "LLM Lingo is serving over Socket Mode: connected" in line:
                break
        else:
            raise AssertionError("".join(log))
        number = fake.newest()
        assert ask(fake, "lora")["blocks"][0]["text"]["text"] == "LoRA (Low-Rank Adaptation)"
        process.send_signal(signum)
        assert process.wait(10) == 0
        log.extend(process.stderr)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    fake.wait_disconnected()
    assert fake.close_codes[number] == 1000, "a close frame, not a dropped socket"
    assert "Traceback" not in "".join(log)
    assert not [line for line in log if " ERROR " in line]


def bot_glossary_name(term_id: str) -> str:
    from bot.glossary import load_glossary

    return load_glossary(ROOT / "glossary").terms[term_id].name
