"""Shared fixtures: a fake Slack Web API, settings pointing at it, and the app served over HTTP.

    fake_slack       tests.fakeslack.FakeSlack on loopback, recording every call
    signing_secret   the SLACK_SIGNING_SECRET the tests sign with
    slack_env        environment variables for a bot that talks only to fake_slack
    settings         Settings.from_env(slack_env)
    shipped_glossary the real glossary/ folder, loaded once per session
    runtime          bot.runtime.build_runtime(settings) over the shipped glossary
    served           the WSGI app (build_app + make_wsgi_app) on a threaded loopback server
    slack            a SlackSender posting signed requests to ``served``
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.glossary import Glossary, load_glossary
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.web import EVENTS_PATH, make_wsgi_app
from tests.fakeslack import FakeSlack
from tests.support.slackreq import SlackSender

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "8f742231b10e8888abcd99eeefff85a5"
CONTRIBUTING_URL = "https://example.test/lingo/adding-terms"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def signing_secret() -> str:
    return SIGNING_SECRET


@pytest.fixture
def slack_env(fake_slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "LINGO_GLOSSARY_DIR": str(ROOT / "glossary"),
        "LINGO_DATABASE_URL": f"sqlite:///{tmp_path / 'lingo.db'}",
        "LINGO_CONTRIBUTING_URL": CONTRIBUTING_URL,
    }


@pytest.fixture
def settings(slack_env: dict[str, str]) -> Settings:
    return Settings.from_env(slack_env)


@pytest.fixture(scope="session")
def shipped_glossary() -> Glossary:
    return load_glossary(ROOT / "glossary")


@pytest.fixture
def runtime(settings: Settings, shipped_glossary: Glossary) -> Iterator[Runtime]:
    built = build_runtime(settings, glossary=shipped_glossary)
    yield built
    built.engine.dispose()


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Served:
    """The app on loopback: its URL, the runtime behind it and the fake Slack it talks to."""

    url: str
    runtime: Runtime
    fake: FakeSlack

    @property
    def events_url(self) -> str:
        return self.url + EVENTS_PATH


@pytest.fixture
def served(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Served]:
    app = build_app(runtime.deps, client=runtime.client)
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi_app(app, runtime.readiness),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", runtime, fake_slack)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def slack(served: Served) -> Iterator[SlackSender]:
    sender = SlackSender(served.events_url, SIGNING_SECRET, response_url=served.fake.response_url())
    yield sender
    sender.close()
