"""The retry guard on its own, and across replicas: a retried request is acted on once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.runtime import Runtime, build_runtime, request_claims
from bot.settings import Settings
from bot.slack.retries import SeenRequests, request_key
from bot.store.claims import DatabaseClaims
from bot.store.engine import make_engine, upgrade_schema
from bot.store.storage import open_storage
from tests.conftest import Served
from tests.support.fakeslack import FakeSlack


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(daily_db_url: str) -> Engine:
    built = make_engine(daily_db_url)
    upgrade_schema(built)
    return built


def test_a_key_is_claimed_once_until_released() -> None:
    seen = SeenRequests()
    assert seen.claim("event:Ev1")
    assert not seen.claim("event:Ev1")
    assert seen.claim("event:Ev2")
    seen.release("event:Ev1")
    assert seen.claim("event:Ev1")


def test_old_claims_lapse_and_the_oldest_go_first_when_full() -> None:
    lapsing = SeenRequests(keep=0.0)
    assert lapsing.claim("a")
    assert lapsing.claim("a")  # kept for no time at all
    full = SeenRequests(max_keys=2)
    assert [full.claim(key) for key in "abc"] == [True, True, True]
    assert not full.claim("c")
    assert full.claim("a")  # pushed out when c came


def test_request_keys_are_what_slack_keeps_across_retries() -> None:
    assert request_key({"type": "event_callback", "event_id": "Ev1"}) == "event:Ev1"
    click = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "actions": [{"action_id": "share_term", "action_ts": "1.5"}],
    }
    assert request_key(click) == "action:U1:share_term:1.5"
    assert request_key({"command": "/lingo", "trigger_id": "T9"}) == "command:T9"
    assert request_key({"type": "url_verification"}) is None


def test_two_replicas_on_one_database_claim_a_key_once(engine: Engine) -> None:
    clock = Clock()
    one = DatabaseClaims(engine, SeenRequests(), clock=clock)
    two = DatabaseClaims(engine, SeenRequests(), clock=clock)
    assert one.claim("event:Ev1")
    assert not two.claim("event:Ev1")
    assert not one.claim("event:Ev1")
    two.release("event:Ev1")  # the handler failed: a retry may act
    assert one.claim("event:Ev1")
    clock.now += timedelta(minutes=11)  # longer than Slack retries
    assert two.claim("event:Ev1")
    engine.dispose()


def test_a_failing_database_falls_back_to_claims_in_this_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gone = make_engine("postgresql://lingo@127.0.0.1:1/lingo")  # nothing listens on port 1
    claims = DatabaseClaims(gone, SeenRequests())
    assert claims.claim("event:Ev1")
    assert not claims.claim("event:Ev1")
    assert "claiming it in this process" in caplog.text


def test_a_retry_that_reaches_another_replica_is_acted_on_once(
    settings: Settings, serve_app: Callable[[Runtime], Served], fake_slack: FakeSlack
) -> None:
    replicas = [build_runtime(settings), build_runtime(settings)]  # one SQLite database
    first, second = (serve_app(runtime).sender() for runtime in replicas)
    stamp = "1700000001.000001"
    assert first.click("share_term", "lora", action_ts=stamp).status == 200
    retry = second.click(
        "share_term",
        "lora",
        action_ts=stamp,
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"},
    )
    assert retry.status == 200
    again = first.click("share_term", "lora", action_ts="1700000002.000001")
    assert again.status == 200
    shares = [c for c in fake_slack.calls_to("response_url") if "blocks" in c.params]
    assert len(shares) == 2  # the first click and the later one; the retry did nothing
    first.close()
    second.close()
    for runtime in replicas:
        runtime.engine.dispose()


def test_without_a_usable_database_claims_stay_in_this_process() -> None:
    storage = open_storage("postgresql://lingo@127.0.0.1:1/lingo")
    assert not storage.available
    assert isinstance(request_claims(storage), SeenRequests)
