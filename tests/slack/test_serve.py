"""`lingo serve` as a person runs it: the real HTTP server (waitress), Socket Mode, settings, console.

These tests start the `lingo` command in a subprocess with a clean environment that points
at the fake Slack Web API, and talk to it over loopback only.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.settings import ENVIRONMENT
from tests.conftest import CONTRIBUTING_URL, ROOT, SIGNING_SECRET
from tests.support.blockkit import all_text, check_message
from tests.support.fakeslack import FakeSlack
from tests.support.slackreq import SlackSender

SERVING = re.compile(r"LLM Lingo is serving on (http://127\.0\.0\.1:\d+)/slack/events")


def clean_env(**values: str) -> dict[str, str]:
    """The test process's environment without any bot setting, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    env.update(values)
    return env


def lingo(*args: str, env: dict[str, str], stdin: str = "", timeout: float = 30):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str = ""
    log: list[str] = field(default_factory=list)

    def sender(self) -> SlackSender:
        return SlackSender(self.url + "/slack/events", SIGNING_SECRET)


def start_server(env: dict[str, str], *args: str) -> Server:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--http",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(process)
    found = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            server.log.append(line)
            match = SERVING.search(line)
            if match:
                server.url = match[1]
                found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(20):
        process.kill()
        process.wait()
        raise AssertionError("the server did not start:\n" + "".join(server.log))
    return server


def stop_server(server: Server) -> int:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
    code = server.process.wait(20)
    if server.process.stderr:
        server.process.stderr.close()
    return code


@pytest.fixture(scope="module")
def http_env(_fake_slack_server: FakeSlack, tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("serve")
    return clean_env(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=_fake_slack_server.api_url,
        LINGO_DATABASE_URL=f"sqlite:///{data / 'lingo.db'}",
        LINGO_CONTRIBUTING_URL=CONTRIBUTING_URL,
        LINGO_WEB_THREADS="4",
    )


@pytest.fixture(scope="module")
def server(http_env: dict[str, str]) -> Iterator[Server]:
    running = start_server(http_env, "--no-scheduler")
    yield running
    stop_server(running)


def test_the_real_server_answers_a_signed_command_in_the_ack(server: Server):
    slack = server.sender()
    reply = slack.command("quantisaton")
    assert reply.status == 200
    message = reply.json()
    check_message(message)
    assert message["response_type"] == "ephemeral"
    assert "Showing *Quantization* for “quantisaton”" in all_text(message)
    slack.close()


def test_the_real_server_handles_buttons_through_the_response_url(
    server: Server, fake_slack: FakeSlack
):
    slack = server.sender()
    slack.response_url = fake_slack.response_url("served")
    assert slack.click("share_term", "lora", user="U0SHARER01").status == 200
    shared, deleted = fake_slack.wait_for("response_url", 2)
    assert "Shared by <@U0SHARER01>" in all_text(shared.params)
    assert deleted.params == {"delete_original": True}
    slack.close()


def test_the_real_server_refuses_forged_and_stale_requests(server: Server):
    slack = server.sender()
    assert slack.command("lora", signature="v0=" + "0" * 64).status == 401
    assert slack.command("lora", timestamp=int(time.time()) - 301).status == 401
    slack.close()


def test_the_real_server_reports_health_readiness_and_metrics(server: Server):
    slack = server.sender()
    slack.command("lora")
    assert slack.get("/healthz").status == 200
    assert slack.get("/readyz").status == 200
    metrics = slack.get("/metrics").text
    assert 'lingo_lookups_total{outcome="exact"}' in metrics
    assert re.search(r"lingo_glossary_terms \d+", metrics)
    slack.close()


def test_the_real_server_keeps_connections_alive_and_serves_many_at_once(server: Server):
    errors: list[BaseException] = []

    def ask() -> None:
        slack = server.sender()
        try:
            for _ in range(20):
                assert slack.command("kv cache").status == 200
        except BaseException as error:
            errors.append(error)
        finally:
            slack.close()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []


def test_sigterm_stops_the_server_cleanly(http_env: dict[str, str]):
    running = start_server(http_env)
    slack = running.sender()
    assert slack.get("/healthz").status == 200
    slack.close()
    assert stop_server(running) == 0


def test_sighup_reaches_the_worker_which_reloads_the_glossary(
    http_env: dict[str, str], tmp_path: Path
):
    glossary = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary)
    env = {**http_env, "LINGO_GLOSSARY_DIR": str(glossary), "LINGO_RELOAD_SECONDS": "3600"}
    running = start_server(env, "--no-scheduler")
    slack = running.sender()
    try:
        before = slack.command("lora").json()
        assert "NEW DEFINITION" not in all_text(before)
        path = glossary / "terms" / "lora.yaml"
        text = path.read_text()
        start = text.index("definition:")
        end = text.index("\ndetails:", start)
        new = "definition: >-\n  NEW DEFINITION of LoRA, written by a test to check SIGHUP reloads."
        path.write_text(text[:start] + new + text[end:])
        running.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "NEW DEFINITION" not in all_text(slack.command("lora").json()):
            assert time.monotonic() < deadline, "the worker did not reload on SIGHUP"
            time.sleep(0.1)
        assert running.process.poll() is None
    finally:
        slack.close()
        stop_server(running)


def test_socket_mode_needs_the_app_token_and_says_where_to_get_it(fake_slack: FakeSlack):
    result = lingo(
        "serve", env=clean_env(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=fake_slack.api_url)
    )
    assert result.returncode == 2
    assert "Socket Mode needs SLACK_APP_TOKEN" in result.stderr
    assert "App-Level Tokens" in result.stderr
    result = lingo(
        "serve", env=clean_env(SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=fake_slack.api_url)
    )
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr


def test_a_signing_secret_without_an_app_token_points_to_http_mode(fake_slack: FakeSlack):
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
    )
    result = lingo("serve", env=env)
    assert result.returncode == 2
    assert "lingo serve --http" in result.stderr


def test_socket_mode_refused_by_slack_fails_cleanly(fake_slack: FakeSlack, tmp_path: Path):
    fake_slack.fail_next("apps.connections.open", error="invalid_auth")
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_URL=fake_slack.api_url,
        LINGO_DATABASE_URL=f"sqlite:///{tmp_path / 'lingo.db'}",
    )
    result = lingo("serve", "--no-scheduler", env=env)
    assert result.returncode == 2
    assert "lingo: Could not open a Socket Mode connection with SLACK_APP_TOKEN (invalid_auth)" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    [call] = fake_slack.calls_to("apps.connections.open")
    assert call.headers["authorization"] == "Bearer xapp-test"


def test_a_bot_token_slack_refuses_stops_the_start(fake_slack: FakeSlack, tmp_path: Path):
    fake_slack.fail_next("auth.test", error="invalid_auth")
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        LINGO_DATABASE_URL=f"sqlite:///{tmp_path / 'lingo.db'}",
    )
    result = lingo("serve", "--http", "--port", "0", env=env)
    assert result.returncode == 2
    assert "Slack did not accept SLACK_BOT_TOKEN" in result.stderr
    assert "invalid_auth" in result.stderr


@pytest.mark.parametrize(
    ("values", "args", "named"),
    [
        ({"SLACK_BOT_TOKEN": "abc"}, ("serve",), "SLACK_BOT_TOKEN must start with xoxb-"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "nothex"},
            ("serve", "--http"),
            "SLACK_SIGNING_SECRET must be the 32 hexadecimal characters",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-x"},
            ("serve", "--http"),
            "HTTP mode needs SLACK_SIGNING_SECRET",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "PORT": "http"},
            ("serve", "--http"),
            "PORT 'http' is not a whole number",
        ),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-x",
                "SLACK_APP_TOKEN": "xapp-x",
                "SLACK_API_URL": "slack.com/api",
            },
            ("serve",),
            "SLACK_API_URL must be an http(s):// URL",
        ),
    ],
)
def test_a_bad_setting_stops_the_start_naming_the_variable(values, args, named):
    result = lingo(*args, env=clean_env(**values))
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_without_slack_settings_serve_runs_the_offline_console(tmp_path: Path):
    env = clean_env(LINGO_DATA_DIR=str(tmp_path))  # its lookup log; not the checkout's data/
    result = lingo("serve", env=env, stdin="quantisaton\nlist training\n<!channel>\nquit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "offline console" in out
    assert "export SLACK_BOT_TOKEN=xoxb-" in out
    assert "export SLACK_APP_TOKEN=xapp-" in out
    assert "api.slack.com/apps" in out
    assert "(showing Quantization for “quantisaton”)" in out
    assert "Training and fine-tuning" in out
    assert "No term matches “<!channel>”" in out
