"""`lingo scheduler --port N`: the probes and metrics of the scheduler's Deployment.

The scheduler runs as a real process against a SQLite file and the fake Slack Web API;
Kubernetes' view of it is plain HTTP GETs on the port, then SIGTERM on a rollout.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.daily.subscriptions import Subscription, save_subscription
from bot.glossary import load_glossary
from bot.settings import ENVIRONMENT
from bot.store.engine import make_engine, upgrade_schema

if TYPE_CHECKING:
    from tests.conftest import HistorySlack

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = "C0PROBES01"

Start = Callable[..., "subprocess.Popen[str]"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, method: str = "GET") -> tuple[int, str]:
    """A probe's request to the scheduler on loopback: (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def refused(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def env(tmp_path: Path, daily_slack: HistorySlack, daily_glossary_dir: Path) -> dict[str, str]:
    """A scheduler's settings: the fake Slack, a SQLite file, one channel due long ago."""
    url = f"sqlite:///{tmp_path / 'lingo.db'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    since = datetime(2025, 1, 1, tzinfo=UTC)
    subscription = Subscription(CHANNEL, clock(0, 0), "mon-sun", "UTC")
    save_subscription(engine, subscription, user=None, now=since)
    engine.dispose()
    environment = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    return environment | {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": daily_slack.api_url,
        "LINGO_GLOSSARY_DIR": str(daily_glossary_dir),
        "LINGO_DATABASE_URL": url,
        "LINGO_LOG_LEVEL": "INFO",
    }


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start `lingo scheduler ARGS` with ``env``; killed at the end if a test left it running."""
    children: list[subprocess.Popen[str]] = []

    def run(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
        log = (tmp_path / f"scheduler-{len(children)}.log").open("w")
        child = subprocess.Popen(
            [sys.executable, "-m", "bot", "scheduler", *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        log.close()
        children.append(child)
        return child

    yield run
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait(10)


def wait_until_serving(child: subprocess.Popen[str], port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert child.poll() is None, f"lingo scheduler exited with {child.returncode}"
        if not refused(port):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port} after {timeout}s")


def stderr_of(tmp_path: Path, number: int = 0) -> str:
    return (tmp_path / f"scheduler-{number}.log").read_text()


def test_the_scheduler_answers_its_probes_and_stops_cleanly_on_sigterm(
    env: dict[str, str],
    start: Start,
    tmp_path: Path,
    daily_slack: HistorySlack,
    daily_glossary_dir: Path,
) -> None:
    terms = len(load_glossary(daily_glossary_dir))
    port, web_port = free_port(), free_port()
    # PORT is the web server's setting: the scheduler never listens on it by itself.
    child = start(env | {"PORT": str(web_port)}, "--port", str(port), "--host", "127.0.0.1")
    try:
        wait_until_serving(child, port)
        assert get(port, "/healthz") == (200, "ok\n")
        status, body = get(port, "/readyz")
        assert (status, body) == (200, f"ready: {terms} terms\n")
        assert get(port, "/healthz", method="HEAD")[0] == 200
        # The scheduler posts the day that is due; its metrics say so.
        daily_slack.wait_for("chat.postMessage", 1, timeout=30)
        deadline = time.monotonic() + 10
        while 'lingo_daily_posts_total{outcome="posted"} 1.0' not in get(port, "/metrics")[1]:
            assert time.monotonic() < deadline, get(port, "/metrics")[1]
            time.sleep(0.05)
        assert f"lingo_glossary_terms {terms}.0" in get(port, "/metrics")[1]
        # Only the operations endpoints: there is no Slack app in this process.
        assert get(port, "/slack/events", method="POST")[0] == 405
        assert get(port, "/nothing")[0] == 404
        assert refused(web_port)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(30)
    err = stderr_of(tmp_path)
    assert child.returncode == 0, err
    assert f"health and metrics on http://127.0.0.1:{port}/healthz" in err
    assert "daily scheduler stopped" in err
    assert "Traceback" not in err
    assert refused(port)
    assert len(daily_slack.posted(CHANNEL)) == 1


def test_without_port_the_scheduler_listens_nowhere(
    env: dict[str, str], start: Start, tmp_path: Path, daily_slack: HistorySlack
) -> None:
    web_port = free_port()
    child = start(env | {"PORT": str(web_port)})
    try:
        daily_slack.wait_for("chat.postMessage", 1, timeout=30)
        assert refused(web_port)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(30)
    assert child.returncode == 0, stderr_of(tmp_path)
    assert "health and metrics" not in stderr_of(tmp_path)


def test_a_port_in_use_stops_the_start_with_a_message(
    env: dict[str, str], start: Start, tmp_path: Path, daily_slack: HistorySlack
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        child = start(env, "--port", str(port), "--host", "127.0.0.1")
        child.wait(30)
    err = stderr_of(tmp_path)
    assert child.returncode == 1, err
    assert f"lingo: cannot serve /healthz on 127.0.0.1:{port}: Address already in use" in err
    assert "Traceback" not in err
    assert daily_slack.calls_to("chat.postMessage") == [], "the scheduler never started"
