"""Several real processes race to send the same person's review DM: exactly one reaches Slack.

The shape of tests/daily/test_race.py: spawned processes, a barrier, the same path the
scheduler's sweep takes; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.daily.delivery import SlackDelivery
from bot.glossary import load_glossary
from bot.learning import store
from bot.learning.reviews import REVIEW_LEDGER, ReviewSender
from bot.store.engine import make_engine, upgrade_schema
from tests.learning.support import LEARNING_GLOSSARY

if TYPE_CHECKING:
    from tests.conftest import HistorySlack

PROCESSES = 6
PEOPLE = ["U0RACE0001", "U0RACE0002"]
DAYS = [date(2025, 3, 4), date(2025, 3, 5)]
ADDED = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)


def race(db_url: str, api_url: str, barrier: Any, results: Any) -> None:
    engine = make_engine(db_url)
    glossary = load_glossary(LEARNING_GLOSSARY)
    delivery = SlackDelivery("xoxb-test", api_url, interval=FixedValueRetryIntervalCalculator(0.01))
    try:
        for day in DAYS:
            now = datetime.combine(day, time(9, 0), tzinfo=UTC)
            sender = ReviewSender(engine, lambda: glossary, delivery, clock=lambda now=now: now)
            for user in PEOPLE:
                barrier.wait(timeout=60)
                person = store.get_person(engine, user)
                assert person is not None
                outcome = sender.send(person, day)
                results.put((user, day.isoformat(), outcome.status))
    finally:
        engine.dispose()


def test_racing_processes_send_one_review_dm_per_person_and_day(
    daily_db_url: str, daily_slack: HistorySlack
) -> None:
    engine = make_engine(daily_db_url)
    upgrade_schema(engine)
    for user in PEOPLE:
        store.learn_on(engine, user, at=time(8, 0), timezone="UTC", now=ADDED)
        store.add_card(engine, user, "lora", "added", now=ADDED)
        store.add_card(engine, user, "rlhf", "added", now=ADDED)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    racers = [
        context.Process(target=race, args=(daily_db_url, daily_slack.api_url, barrier, results))
        for _ in range(PROCESSES)
    ]
    for racer in racers:
        racer.start()
    found = [results.get(timeout=90) for _ in range(PROCESSES * len(PEOPLE) * len(DAYS))]
    for racer in racers:
        racer.join(30)
        assert racer.exitcode == 0

    posts = daily_slack.calls_to("chat.postMessage")
    per_key = Counter(
        (c.params["channel"], c.params["metadata"]["event_payload"]["date"]) for c in posts
    )
    assert per_key == Counter(
        {("D" + user[1:], day.isoformat()): 1 for user in PEOPLE for day in DAYS}
    )
    for user in PEOPLE:
        for day in DAYS:
            statuses = Counter(s for u, d, s in found if (u, d) == (user, day.isoformat()))
            assert statuses["sent"] == 1, statuses
            assert set(statuses) <= {"sent", "already", "in_progress"}
            entry = REVIEW_LEDGER.read_entry(engine, user, day)
            assert entry is not None
            assert entry.status == "posted"
            assert entry.message_ts in {m["ts"] for m in daily_slack.posted("D" + user[1:])}
    engine.dispose()
