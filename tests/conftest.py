"""Shared fixtures: a fake Slack Web API, settings pointing at it, and the app served over HTTP.

fake_slack       tests.support.fakeslack.FakeSlack on loopback, recording every call
signing_secret   the SLACK_SIGNING_SECRET the tests sign with
slack_env        environment variables for a bot that talks only to fake_slack
settings         Settings.from_env(slack_env)
shipped_glossary the real glossary/ folder, loaded once per session: only for checks that
                 hold for any valid glossary (it grows with every content pull request)
glossary         the pinned 46-term copy under tests/data/glossary-46 that behaviour tests use
runtime          bot.runtime.build_runtime(settings) over ``glossary``
served           the WSGI app (build_app + make_wsgi_app) on the HTTP front, on loopback
slack            a SlackSender posting signed requests to ``served``
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.glossary import Glossary, load_glossary
from bot.ops.http import HttpServer
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.app import LISTENERS, Listener, build_app
from bot.slack.web import EVENTS_PATH, make_wsgi_app
from bot.store.engine import make_engine, upgrade_schema
from tests.support.fakeslack import FakeSlack
from tests.support.slackreq import SlackSender

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "8f742231b10e8888abcd99eeefff85a5"
CONTRIBUTING_URL = "https://example.test/lingo/adding-terms"
# The glossary behaviour tests run on: a frozen copy of the shipped one at 46 terms.
PINNED_GLOSSARY = ROOT / "tests" / "data" / "glossary-46"


@pytest.fixture(scope="session")
def _fake_slack_server() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake_slack(_fake_slack_server: FakeSlack) -> FakeSlack:
    """The fake Slack Web API, with no calls recorded and no failures programmed."""
    _fake_slack_server.reset()
    return _fake_slack_server


@pytest.fixture
def signing_secret() -> str:
    return SIGNING_SECRET


@pytest.fixture
def slack_env(fake_slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "LINGO_GLOSSARY_DIR": str(PINNED_GLOSSARY),
        "LINGO_DATABASE_URL": f"sqlite:///{tmp_path / 'lingo.db'}",
        "LINGO_CONTRIBUTING_URL": CONTRIBUTING_URL,
    }


@pytest.fixture
def settings(slack_env: dict[str, str]) -> Settings:
    return Settings.from_env(slack_env)


@pytest.fixture(scope="session")
def shipped_glossary() -> Glossary:
    return load_glossary(ROOT / "glossary")


@pytest.fixture(scope="session")
def glossary() -> Glossary:
    return load_glossary(PINNED_GLOSSARY)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database at the newest migration."""
    built = make_engine(f"sqlite:///{tmp_path / 'lingo.db'}")
    upgrade_schema(built)
    yield built
    built.dispose()


@pytest.fixture
def runtime(settings: Settings, glossary: Glossary) -> Iterator[Runtime]:
    built = build_runtime(settings, glossary=glossary)
    yield built
    built.engine.dispose()


def with_deps(runtime: Runtime, **changes: Any) -> Runtime:
    """``runtime`` with some of its Deps replaced (a stand-in term of the day, lookup log...)."""
    return dataclasses.replace(runtime, deps=dataclasses.replace(runtime.deps, **changes))


@dataclass
class Served:
    """The app on loopback: its URL, the runtime behind it and the fake Slack it talks to."""

    url: str
    runtime: Runtime
    fake: FakeSlack

    @property
    def events_url(self) -> str:
        return self.url + EVENTS_PATH

    senders: list[SlackSender] = dataclasses.field(default_factory=list)

    def sender(self) -> SlackSender:
        """Signed requests to this app; response_url posts land in the fake Slack. Its
        keep-alive connection is closed when the test ends."""
        sender = SlackSender(self.events_url, SIGNING_SECRET, response_url=self.fake.response_url())
        self.senders.append(sender)
        return sender


@pytest.fixture
def serve_app(fake_slack: FakeSlack) -> Iterator[Callable[[Runtime], Served]]:
    """Serve ``build_app(runtime.deps)`` on loopback, on the production HTTP front
    (``bot.ops.http``); stopped when the test ends."""
    servers: list[HttpServer] = []
    served: list[Served] = []

    def start(runtime: Runtime, listeners: Sequence[Listener] = LISTENERS) -> Served:
        app = build_app(
            runtime.deps, client=runtime.client, listeners=listeners, claims=runtime.claims
        )
        server = HttpServer(make_wsgi_app(app, runtime.readiness), "127.0.0.1", 0, threads=4)
        servers.append(server.start())
        served.append(Served(f"http://127.0.0.1:{server.port}", runtime, fake_slack))
        return served[-1]

    yield start
    for each in served:
        for sender in each.senders:
            sender.close()
    for server in servers:
        server.stop()


@pytest.fixture
def served(runtime: Runtime, serve_app: Callable[[Runtime], Served]) -> Served:
    return serve_app(runtime)


@pytest.fixture
def slack(served: Served) -> Iterator[SlackSender]:
    sender = served.sender()
    yield sender
    sender.close()


# -- the term of the day (bot.daily) ------------------------------------------------------------
#
#   daily_glossary_dir  tests/data/daily_glossary: five daily terms, one kept out, a 3-item digest
#   daily_slack         a FakeSlack that keeps posted messages and serves conversations.history
#   daily_postgres_url  a fresh PostgreSQL database for one test (skips without a server)
#   daily_db_url        parametrized: a SQLite file, then a PostgreSQL database

DAILY_GLOSSARY_DIR = ROOT / "tests" / "data" / "daily_glossary"


class HistorySlack(FakeSlack):
    """FakeSlack with a channel history: posted messages come back from conversations.history.

    ``lose_next_response(method)`` carries out the next call of ``method`` but drops the
    connection before answering: the message is posted, the bot never learns its ts.
    """

    def __init__(self) -> None:
        super().__init__()
        # Poll for shutdown every 50 ms, not 500: tests that stop it finish sooner.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self.messages: list[dict[str, Any]] = []
        self._lose: dict[str, int] = {}
        self._losing = threading.local()

    def lose_next_response(self, method: str, times: int = 1) -> None:
        with self._lock:
            self._lose[method] = self._lose.get(method, 0) + times

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages that really went out (a dropped answer included), oldest first."""
        with self._lock:
            return [m for m in self.messages if channel is None or m["channel"] == channel]

    def _reply(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "conversations.history":
            with self._lock:
                found = [
                    m for m in reversed(self.messages) if m["channel"] == params.get("channel")
                ]
            return {"ok": True, "messages": found, "has_more": False}
        reply = super()._reply(method, params)
        if method == "chat.postMessage":
            with self._lock:
                self.messages.append(
                    {
                        "type": "message",
                        "channel": params.get("channel"),
                        "ts": reply["ts"],
                        "text": params.get("text"),
                        "blocks": params.get("blocks"),
                        "metadata": params.get("metadata"),
                    }
                )
        with self._lock:
            if self._lose.get(method):
                self._lose[method] -= 1
                self._losing.drop = True
        return reply

    def _send(  # type: ignore[override]
        self,
        request: Any,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        if getattr(self._losing, "drop", False):
            self._losing.drop = False
            request.close_connection = True
            request.connection.close()
            return
        FakeSlack._send(request, status, body, headers)


@pytest.fixture
def daily_glossary_dir() -> Path:
    return DAILY_GLOSSARY_DIR


@pytest.fixture
def daily_slack() -> Iterator[HistorySlack]:
    with HistorySlack() as fake:
        yield fake


@pytest.fixture
def daily_postgres_url() -> Iterator[str]:
    """A database of its own on LINGO_TEST_POSTGRES_URL's server, dropped after the test."""
    import os
    import uuid

    import sqlalchemy

    from bot.store.engine import make_engine

    server = os.environ.get("LINGO_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("LINGO_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL and sets it)")
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    name = f"lingo_daily_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except sqlalchemy.exc.OperationalError as error:
        admin.dispose()
        pytest.skip(f"no PostgreSQL at LINGO_TEST_POSTGRES_URL: {error.orig}")
    url = sqlalchemy.engine.make_url(server).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def daily_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'daily.db'}"
    url: str = request.getfixturevalue("daily_postgres_url")
    return url
