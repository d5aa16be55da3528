"""Several real processes race for the same (channel, date): exactly one message reaches Slack.

Each process is started with ``spawn`` (a fresh interpreter, its own database connections),
waits at a barrier so all of them claim at the same moment, then posts through the same
path the scheduler uses. Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.daily.delivery import SlackDelivery
from bot.daily.ledger import POSTED, Claim, claim_day, mark_sending, read_entry
from bot.daily.post import DailyPoster
from bot.daily.rotation import Choice
from bot.glossary import load_glossary
from bot.store.engine import make_engine, upgrade_schema

if TYPE_CHECKING:
    from tests.conftest import HistorySlack

PROCESSES = 6
DAY = date(2025, 3, 3)
# Three days to fight over, one after the other: two channels on one date, one on the next.
KEYS = [("C0RACE001", DAY), ("C0RACE002", DAY), ("C0RACE001", DAY + timedelta(days=1))]


def race(
    db_url: str,
    api_url: str,
    glossary_dir: str,
    keys: list[tuple[str, str]],
    barrier: Any,
    results: Any,
) -> None:
    """One racer: for each key, wait for everyone, then post."""
    engine = make_engine(db_url)
    glossary = load_glossary(glossary_dir)
    delivery = SlackDelivery("xoxb-test", api_url, interval=FixedValueRetryIntervalCalculator(0.01))
    poster = DailyPoster(engine, lambda: glossary, delivery)
    try:
        for channel, day in keys:
            barrier.wait(timeout=60)
            outcome = poster.post(channel, date.fromisoformat(day))
            results.put((channel, day, outcome.status, outcome.ts))
    finally:
        engine.dispose()


def run_racers(
    db_url: str, fake: HistorySlack, glossary_dir: Path, keys: list[tuple[str, date]]
) -> list[tuple[str, str, str, str | None]]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    plain_keys = [(channel, day.isoformat()) for channel, day in keys]
    racers = [
        context.Process(
            target=race,
            args=(db_url, fake.api_url, str(glossary_dir), plain_keys, barrier, results),
        )
        for _ in range(PROCESSES)
    ]
    for racer in racers:
        racer.start()
    found = [results.get(timeout=90) for _ in range(PROCESSES * len(keys))]
    for racer in racers:
        racer.join(30)
        assert racer.exitcode == 0
    return found


def assert_one_message_per_key(
    db_url: str,
    fake: HistorySlack,
    outcomes: list[tuple[str, str, str, str | None]],
    keys: list[tuple[str, date]],
) -> None:
    engine = make_engine(db_url)
    try:
        posts = fake.calls_to("chat.postMessage")
        assert len(posts) == len(keys)
        per_key = Counter(
            (call.params["channel"], call.params["metadata"]["event_payload"]["date"])
            for call in posts
        )
        assert per_key == Counter({(channel, day.isoformat()): 1 for channel, day in keys})
        for channel, day in keys:
            statuses = Counter(s for c, d, s, _ in outcomes if (c, d) == (channel, day.isoformat()))
            assert statuses["posted"] + statuses["found"] == 1, statuses
            assert set(statuses) <= {"posted", "found", "in_progress", "already_posted"}
            entry = read_entry(engine, channel, day)
            assert entry is not None
            assert entry.status == POSTED
            message = next(
                m
                for m in fake.posted(channel)
                if m["metadata"]["event_payload"]["date"] == day.isoformat()
            )
            assert entry.message_ts == message["ts"]
    finally:
        engine.dispose()


def test_racing_processes_post_each_day_once(
    daily_db_url: str, daily_slack: HistorySlack, daily_glossary_dir: Path
) -> None:
    engine = make_engine(daily_db_url)
    upgrade_schema(engine)
    engine.dispose()
    outcomes = run_racers(daily_db_url, daily_slack, daily_glossary_dir, KEYS)
    assert_one_message_per_key(daily_db_url, daily_slack, outcomes, KEYS)


def test_racing_processes_recover_a_dead_claim_once(
    daily_db_url: str, daily_slack: HistorySlack, daily_glossary_dir: Path
) -> None:
    """A claim left 'sending' by a dead process: every racer sees it stale, one takes it over."""
    engine = make_engine(daily_db_url)
    upgrade_schema(engine)
    key = ("C0RACE003", DAY)
    long_ago = datetime.now(UTC) - timedelta(minutes=30)
    claim = claim_day(engine, *key, now=long_ago, choose=lambda _c: Choice("token"))
    assert isinstance(claim, Claim)
    mark_sending(engine, claim)
    engine.dispose()
    outcomes = run_racers(daily_db_url, daily_slack, daily_glossary_dir, [key])
    assert_one_message_per_key(daily_db_url, daily_slack, outcomes, [key])
    # The one that took it over looked in the channel first (the dead one may have posted).
    assert len(daily_slack.calls_to("conversations.history")) == 1
