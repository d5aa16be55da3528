"""Exactly once per channel and day: claims, Slack failing and recovering, crashed processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Column, Date, DateTime, Engine, MetaData, String, Table, inspect

from bot.daily.delivery import Outgoing, SlackDelivery
from bot.daily.ledger import (
    FAILED,
    POSTED,
    SENDING,
    Claim,
    LedgerEntry,
    claim_day,
    read_entry,
)
from bot.daily.post import DailyPoster
from bot.daily.rotation import Choice
from bot.glossary import Glossary, load_glossary
from bot.store.engine import current_revision, make_engine, upgrade_schema
from bot.store.migrations import head_revision
from tests.support.clock import QUICK, Clock

if TYPE_CHECKING:
    from tests.conftest import HistorySlack

CHANNEL = "C0DAILY01"
DAY = date(2025, 3, 3)
T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def glossary(daily_glossary_dir: Path) -> Glossary:
    return load_glossary(daily_glossary_dir)


@pytest.fixture
def db_url(daily_db_url: str) -> str:
    """Every test here runs on SQLite, then on PostgreSQL."""
    return daily_db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    built = make_engine(db_url)
    upgrade_schema(built)
    yield built
    built.dispose()


def nothing_chosen(_connection: object) -> Choice:
    return Choice("token")


def make_poster(
    engine: Engine, glossary: Glossary, fake: HistorySlack, clock: Clock | None = None
) -> DailyPoster:
    delivery = SlackDelivery("xoxb-test", fake.api_url, interval=QUICK)
    if clock is None:
        return DailyPoster(engine, lambda: glossary, delivery)
    return DailyPoster(engine, lambda: glossary, delivery, clock=clock)


# -- claims ----------------------------------------------------------------------------------


def test_only_the_first_claim_of_a_day_wins(engine: Engine) -> None:
    first = claim_day(engine, CHANNEL, DAY, now=T0, choose=nothing_chosen)
    second = claim_day(engine, CHANNEL, DAY, now=T0, choose=nothing_chosen)
    assert isinstance(first, Claim)
    assert isinstance(second, LedgerEntry)
    assert second.claim_token == first.token
    assert isinstance(
        claim_day(engine, CHANNEL, DAY + timedelta(days=1), now=T0, choose=nothing_chosen), Claim
    )
    assert isinstance(claim_day(engine, "C0OTHER01", DAY, now=T0, choose=nothing_chosen), Claim)


def test_a_stale_claim_is_taken_over_by_exactly_one(engine: Engine) -> None:
    first = claim_day(engine, CHANNEL, DAY, now=T0, choose=nothing_chosen)
    assert isinstance(first, Claim)
    live = claim_day(engine, CHANNEL, DAY, now=T0 + timedelta(minutes=9), choose=nothing_chosen)
    assert isinstance(live, LedgerEntry)  # the lease (10 minutes) still holds
    later = T0 + timedelta(minutes=10)
    taken = claim_day(engine, CHANNEL, DAY, now=later, choose=nothing_chosen)
    again = claim_day(engine, CHANNEL, DAY, now=later, choose=nothing_chosen)
    assert isinstance(taken, Claim)
    assert taken.attempt == 2
    assert taken.choice == first.choice  # the same content as the first attempt
    assert not taken.maybe_sent  # it was claimed, never sending: nothing can have gone out
    assert isinstance(again, LedgerEntry)


def test_a_posted_day_is_never_claimed_again(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    poster = make_poster(engine, glossary, daily_slack)
    assert poster.post(CHANNEL, DAY).status == "posted"
    for retry_now in (False, True):
        outcome = poster.post(CHANNEL, DAY, retry_now=retry_now)
        assert outcome.status == "already_posted"
        assert "Nothing posted" in outcome.message
    far = T0 + timedelta(days=1)
    assert isinstance(claim_day(engine, CHANNEL, DAY, now=far, choose=nothing_chosen), LedgerEntry)
    assert len(daily_slack.posted()) == 1


# -- Slack failing, then recovering ----------------------------------------------------------


def assert_exactly_one_message(engine: Engine, fake: HistorySlack) -> None:
    messages = fake.posted(CHANNEL)
    assert len(messages) == 1
    entry = read_entry(engine, CHANNEL, DAY)
    assert entry is not None
    assert entry.status == POSTED
    assert entry.message_ts == messages[0]["ts"]
    assert messages[0]["metadata"] == {
        "event_type": "lingo_daily_post",
        "event_payload": {"channel": CHANNEL, "date": DAY.isoformat()},
    }


def test_server_errors_are_retried_after_checking_the_channel(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    daily_slack.fail_next("chat.postMessage", 2, status=500)
    outcome = make_poster(engine, glossary, daily_slack).post(CHANNEL, DAY)
    assert outcome.status == "posted"
    assert len(daily_slack.calls_to("chat.postMessage")) == 3
    assert len(daily_slack.calls_to("conversations.history")) == 2  # checked before each retry
    assert_exactly_one_message(engine, daily_slack)


def test_a_rate_limit_is_waited_out_without_checking(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    daily_slack.fail_next("chat.postMessage", 1, status=429, retry_after=0)
    outcome = make_poster(engine, glossary, daily_slack).post(CHANNEL, DAY)
    assert outcome.status == "posted"
    assert len(daily_slack.calls_to("chat.postMessage")) == 2
    assert daily_slack.calls_to("conversations.history") == []  # a 429 never posts
    assert_exactly_one_message(engine, daily_slack)


def test_a_dropped_connection_is_retried_once_the_post_is_surely_not_there(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    daily_slack.fail_next("chat.postMessage", 1, disconnect=True)
    outcome = make_poster(engine, glossary, daily_slack).post(CHANNEL, DAY)
    assert outcome.status == "posted"
    assert len(daily_slack.calls_to("chat.postMessage")) == 2
    assert len(daily_slack.calls_to("conversations.history")) == 1
    assert_exactly_one_message(engine, daily_slack)


def test_a_post_whose_answer_was_lost_is_found_not_repeated(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """Slack posted it, the connection dropped before the answer: found in history, recorded."""
    daily_slack.lose_next_response("chat.postMessage")
    outcome = make_poster(engine, glossary, daily_slack).post(CHANNEL, DAY)
    assert outcome.status == "posted"
    assert len(daily_slack.calls_to("chat.postMessage")) == 1
    assert_exactly_one_message(engine, daily_slack)


def test_slack_down_for_a_while_keeps_the_day_and_posts_later(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    clock = Clock(T0)
    poster = make_poster(engine, glossary, daily_slack, clock)
    daily_slack.fail_next("chat.postMessage", 3, status=503)
    failed = poster.post(CHANNEL, DAY)
    assert failed.status == "failed"
    assert "HTTP 503" in failed.message or "fake_failure" in failed.message
    entry = read_entry(engine, CHANNEL, DAY)
    assert entry is not None
    assert entry.status == FAILED
    assert entry.maybe_sent  # a 5xx may have posted: the next attempt looks first
    assert entry.retry_at == T0 + timedelta(minutes=1)

    clock.now = T0 + timedelta(seconds=30)
    assert poster.post(CHANNEL, DAY).status == "waiting"  # backing off
    clock.now = T0 + timedelta(minutes=1)
    history_before = len(daily_slack.calls_to("conversations.history"))
    recovered = poster.post(CHANNEL, DAY)
    assert recovered.status == "posted"
    assert len(daily_slack.calls_to("conversations.history")) == history_before + 1
    assert_exactly_one_message(engine, daily_slack)


def test_a_refused_post_is_retried_later_and_says_why(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    clock = Clock(T0)
    poster = make_poster(engine, glossary, daily_slack, clock)
    daily_slack.fail_next("chat.postMessage", 1, error="not_in_channel")
    failed = poster.post(CHANNEL, DAY)
    assert failed.status == "failed"
    assert "invite the bot to the channel" in failed.message
    entry = read_entry(engine, CHANNEL, DAY)
    assert entry is not None
    assert not entry.maybe_sent  # Slack said no: nothing went out
    clock.now = T0 + timedelta(minutes=1)
    assert poster.post(CHANNEL, DAY).status == "posted"
    assert daily_slack.calls_to("conversations.history") == []
    assert_exactly_one_message(engine, daily_slack)


def test_without_a_way_to_check_an_uncertain_post_is_not_repeated(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """No channels:history scope: after an uncertain failure, missing a day beats doubling it."""
    clock = Clock(T0)
    poster = make_poster(engine, glossary, daily_slack, clock)
    daily_slack.lose_next_response("chat.postMessage")
    daily_slack.fail_next("conversations.history", 10, error="missing_scope")
    outcome = poster.post(CHANNEL, DAY)
    assert outcome.status == "failed"
    assert "channels:history" in outcome.message
    clock.now = T0 + timedelta(minutes=5)
    assert poster.post(CHANNEL, DAY).status == "failed"
    assert len(daily_slack.calls_to("chat.postMessage")) == 1
    assert len(daily_slack.posted()) == 1


# -- crashed processes -----------------------------------------------------------------------


class CrashingDelivery(SlackDelivery):
    """Dies (os._exit, like a kill -9) before or after Slack takes the post."""

    def __init__(self, api_url: str, *, after: bool) -> None:
        super().__init__("xoxb-test", api_url, interval=QUICK)
        self._after = after

    def send(self, post: Outgoing) -> str:
        if not self._after:
            os._exit(3)
        super().send(post)
        os._exit(3)


def crash_while_posting(db_url: str, api_url: str, glossary_dir: str, after: bool) -> None:
    """In a child process: claim the day, then die around chat.postMessage."""
    engine = make_engine(db_url)
    glossary = load_glossary(glossary_dir)
    DailyPoster(engine, lambda: glossary, CrashingDelivery(api_url, after=after)).post(CHANNEL, DAY)


def run_crashing_child(db_url: str, fake: HistorySlack, glossary_dir: Path, *, after: bool) -> None:
    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=crash_while_posting, args=(db_url, fake.api_url, str(glossary_dir), after)
    )
    child.start()
    child.join(30)
    assert child.exitcode == 3


@pytest.mark.parametrize("after", [True, False], ids=["after-slack-took-it", "before-slack-got-it"])
def test_a_process_that_died_while_posting_is_recovered_without_a_second_message(
    after: bool,
    db_url: str,
    engine: Engine,
    glossary: Glossary,
    daily_slack: HistorySlack,
    daily_glossary_dir: Path,
) -> None:
    run_crashing_child(db_url, daily_slack, daily_glossary_dir, after=after)
    entry = read_entry(engine, CHANNEL, DAY)
    assert entry is not None
    assert entry.status == SENDING  # left behind by the dead process
    assert len(daily_slack.posted()) == (1 if after else 0)

    soon = make_poster(engine, glossary, daily_slack)
    assert soon.post(CHANNEL, DAY).status == "in_progress"  # the lease holds for 10 minutes

    clock = Clock(datetime.now(UTC) + timedelta(minutes=11))
    outcome = make_poster(engine, glossary, daily_slack, clock).post(CHANNEL, DAY)
    assert outcome.status == ("found" if after else "posted")
    assert outcome.term_id == entry.choice.term_id  # the same term as the first attempt
    assert_exactly_one_message(engine, daily_slack)


def test_a_claim_abandoned_before_sending_is_posted_after_the_lease(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    claim = claim_day(engine, CHANNEL, DAY, now=T0, choose=nothing_chosen)
    assert isinstance(claim, Claim)  # ...and the process dies here, before calling Slack
    clock = Clock(T0 + timedelta(minutes=10))
    outcome = make_poster(engine, glossary, daily_slack, clock).post(CHANNEL, DAY)
    assert outcome.status == "posted"
    assert outcome.term_id == "token"
    assert daily_slack.calls_to("conversations.history") == []  # it never reached "sending"
    assert_exactly_one_message(engine, daily_slack)


# -- the schema ------------------------------------------------------------------------------


def test_the_schema_upgrade_adds_columns_an_older_database_lacks(db_url: str) -> None:
    engine = make_engine(db_url.replace("postgresql://", "postgres://", 1))  # libpq style works
    old = MetaData()
    Table(
        "daily_posts",
        old,
        Column("channel", String(32), primary_key=True),
        Column("local_date", Date, primary_key=True),
        Column("status", String(16), nullable=False),
        Column("claim_token", String(36), nullable=False),
        Column("claimed_at", DateTime, nullable=False),
        Column("first_claimed_at", DateTime, nullable=False),
    )
    old.create_all(engine)
    upgrade_schema(engine)  # what every start does
    columns = {c["name"] for c in inspect(engine).get_columns("daily_posts")}
    assert {"attempts", "maybe_sent", "retry_at", "message_ts", "digest_item_id"} <= columns
    assert current_revision(engine) == head_revision()
    upgrade_schema(engine)  # idempotent
    assert {c["name"] for c in inspect(engine).get_columns("daily_posts")} == columns
    engine.dispose()


def test_a_retry_whose_term_left_the_glossary_posts_another(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    clock = Clock(T0)
    current = {"glossary": glossary}
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    poster = DailyPoster(engine, lambda: current["glossary"], delivery, clock=clock)
    daily_slack.fail_next("chat.postMessage", 1, error="not_in_channel")
    first = poster.post(CHANNEL, DAY)
    assert first.status == "failed"
    assert first.term_id is not None
    current["glossary"] = replace(
        glossary, terms={k: v for k, v in glossary.terms.items() if k != first.term_id}
    )
    clock.now = T0 + timedelta(minutes=1)
    retried = poster.post(CHANNEL, DAY)
    assert retried.status == "posted"
    assert retried.term_id not in (None, first.term_id)
    entry = read_entry(engine, CHANNEL, DAY)
    assert entry is not None
    assert entry.choice.term_id == retried.term_id
    assert_exactly_one_message(engine, daily_slack)
