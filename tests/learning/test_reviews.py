"""The review DM end to end over signed requests, the fake Slack and a fake clock: opt in,
look up two terms, one DM the next day at the person's time, answer it, the next review
moves out as FSRS says; pausing after unanswered days; time zones and DST."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from sqlalchemy import select

from bot.daily.delivery import SlackDelivery
from bot.learning import deck, store
from bot.learning.reviews import PAUSE_AFTER, REVIEW_LEDGER, ReviewSender, ReviewSweep
from bot.render.blocks.learning import AnswerValue
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.store.engine import make_engine, upgrade_schema
from bot.store.tables import learning_cards
from tests.conftest import Served
from tests.learning.support import (
    LEARNING_GLOSSARY,
    answer_buttons,
    learning_glossary,
    right_and_wrong,
)
from tests.support.blockkit import all_text, check_message
from tests.support.fakeslack import FakeSlack

ASKER = "U0ASKER001"
BERLIN_MONDAY_AFTERNOON = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)  # 15:00 in Berlin


@pytest.fixture
def slack_env(slack_env: dict[str, str]) -> dict[str, str]:
    return {**slack_env, "LINGO_GLOSSARY_DIR": str(LEARNING_GLOSSARY)}


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    built = build_runtime(settings, glossary=learning_glossary())
    yield built
    built.engine.dispose()


def sweeper(runtime: Runtime, fake: FakeSlack) -> ReviewSweep:
    delivery = SlackDelivery(
        "xoxb-test", fake.api_url, interval=FixedValueRetryIntervalCalculator(0.01)
    )
    glossary = learning_glossary()
    return ReviewSweep(runtime.engine, ReviewSender(runtime.engine, lambda: glossary, delivery))


def card_state(runtime: Runtime, term_id: str) -> tuple[dict[str, object], datetime]:
    with runtime.engine.connect() as connection:
        row = connection.execute(
            select(learning_cards.c.state, learning_cards.c.due).where(
                learning_cards.c.user_id == ASKER, learning_cards.c.term_id == term_id
            )
        ).one()
    return row.state, row.due


def test_opt_in_look_up_two_terms_one_dm_next_day_answer_and_the_review_moves_out(
    served: Served, fake_slack: FakeSlack
) -> None:
    with time_machine.travel(BERLIN_MONDAY_AFTERNOON, tick=False) as clock:
        slack = served.sender()
        assert "09:00" in slack.command("learn on 09:00 Europe/Berlin").json()["text"]
        slack.command("lora")
        slack.command("quantization")
        sweep = sweeper(served.runtime, fake_slack)
        # Looked up after today's review time: nothing today, at any hour.
        clock.move_to(datetime(2025, 3, 3, 22, 0, tzinfo=UTC))
        assert sweep.sweep() == []
        clock.move_to(datetime(2025, 3, 4, 7, 59, tzinfo=UTC))  # 08:59 in Berlin
        assert sweep.sweep() == []
        assert fake_slack.calls_to("chat.postMessage") == []

        clock.move_to(datetime(2025, 3, 4, 8, 0, tzinfo=UTC))  # 09:00 in Berlin
        [outcome] = sweep.sweep()
        assert outcome.status == "sent"
        assert set(outcome.term_ids) == {"lora", "quantization"}
        clock.move_to(datetime(2025, 3, 4, 8, 1, tzinfo=UTC))
        assert sweep.sweep() == []  # one DM a day
        [dm] = fake_slack.calls_to("chat.postMessage")
        check_message(dm.params)
        assert dm.params["channel"] == "D0ASKER001"
        assert "Your review · Tuesday 4 March" in all_text(dm.params)
        blocks = dm.params["blocks"]
        asked = [AnswerValue.decode(answer_buttons(blocks, n)[0]["value"]).term_id for n in (0, 1)]

        clock.move_to(datetime(2025, 3, 4, 8, 10, tzinfo=UTC))
        answered_at = datetime(2025, 3, 4, 8, 10, tzinfo=UTC)
        before, _ = card_state(served.runtime, asked[0])
        right, _ = right_and_wrong(blocks, 0)
        slack.click(right["action_id"], right["value"], ephemeral=False)
        verdict = fake_slack.wait_for("response_url")[0].params
        assert verdict["replace_original"] is False  # the DM's other question stays
        expected = deck.review(before, True, answered_at).due
        _, due = card_state(served.runtime, asked[0])
        assert due == expected
        assert due - answered_at >= timedelta(days=1)
        assert f"next review of {learning_glossary().terms[asked[0]].name}" in all_text(verdict)

        before, _ = card_state(served.runtime, asked[1])
        _, wrong = right_and_wrong(blocks, 1)
        slack.click(wrong["action_id"], wrong["value"], ephemeral=False)
        fake_slack.wait_for("response_url", 2)
        assert (
            card_state(served.runtime, asked[1])[1] == deck.review(before, False, answered_at).due
        )

        # The next DMs hold what FSRS says is due: never the right one before its date.
        right_due = card_state(served.runtime, asked[0])[1]
        day = date(2025, 3, 5)
        while datetime.combine(day, time(8, 0), tzinfo=UTC) < right_due + timedelta(days=1):
            clock.move_to(datetime.combine(day, time(8, 0), tzinfo=UTC))
            for outcome in sweep.sweep():
                in_due = asked[0] in outcome.term_ids
                assert in_due == (
                    store.get_person(served.runtime.engine, ASKER).end_of(day) > right_due
                )  # type: ignore[union-attr]
            day += timedelta(days=1)
        slack.close()


def test_a_day_with_nothing_due_gets_no_dm(served: Served, fake_slack: FakeSlack) -> None:
    with time_machine.travel(BERLIN_MONDAY_AFTERNOON, tick=False) as clock:
        slack = served.sender()
        slack.command("learn on 09:00 Europe/Berlin")
        clock.move_to(datetime(2025, 3, 4, 8, 0, tzinfo=UTC))
        assert sweeper(served.runtime, fake_slack).sweep() == []
        assert fake_slack.calls_to("chat.postMessage") == []
        slack.close()


def test_five_unanswered_days_pause_the_reviews_and_say_so(
    served: Served, fake_slack: FakeSlack
) -> None:
    engine = served.runtime.engine
    start = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
    store.learn_on(engine, ASKER, at=time(9, 0), timezone="Europe/Berlin", now=start)
    store.add_card(engine, ASKER, "lora", "added", now=start)
    with time_machine.travel(start, tick=False) as clock:
        sweep = sweeper(served.runtime, fake_slack)
        statuses = []
        for offset in range(PAUSE_AFTER + 2):
            clock.move_to(datetime(2025, 3, 3 + offset, 8, 30, tzinfo=UTC))
            statuses += [o.status for o in sweep.sweep()]
    assert statuses == ["sent"] * PAUSE_AFTER + ["paused"]
    notice = fake_slack.calls_to("chat.postMessage")[-1].params
    assert "paused your reviews" in all_text(notice)
    person = store.get_person(engine, ASKER)
    assert person is not None
    assert not person.reviewing
    store.learn_on(
        engine,
        ASKER,
        at=None,
        timezone="Europe/Berlin",
        now=datetime(2025, 3, 10, 7, 0, tzinfo=UTC),
    )
    assert store.get_person(engine, ASKER).reviewing  # type: ignore[union-attr]


# -- time zones and DST ------------------------------------------------------------------------


def person(zone: str, at: time) -> store.Person:
    return store.Person(ASKER, True, at, zone, None)


@pytest.mark.parametrize(
    ("zone", "at", "day", "utc"),
    [
        # Berlin: 09:00 is 08:00 UTC in winter, 07:00 UTC in summer.
        ("Europe/Berlin", time(9, 0), date(2025, 3, 29), datetime(2025, 3, 29, 8, 0, tzinfo=UTC)),
        ("Europe/Berlin", time(9, 0), date(2025, 3, 31), datetime(2025, 3, 31, 7, 0, tzinfo=UTC)),
        # 02:30 does not exist on the spring-forward night: it means 03:30 CEST.
        ("Europe/Berlin", time(2, 30), date(2025, 3, 30), datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
        # 02:30 happens twice on the fall-back night: the first one (CEST).
        (
            "Europe/Berlin",
            time(2, 30),
            date(2025, 10, 26),
            datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
        ),
        # New York moves on another weekend than Europe.
        (
            "America/New_York",
            time(9, 0),
            date(2025, 3, 10),
            datetime(2025, 3, 10, 13, 0, tzinfo=UTC),
        ),
        # Auckland's morning is the previous evening in UTC.
        ("Pacific/Auckland", time(7, 0), date(2025, 6, 2), datetime(2025, 6, 1, 19, 0, tzinfo=UTC)),
    ],
)
def test_the_review_instant_in_each_zone(zone: str, at: time, day: date, utc: datetime) -> None:
    assert person(zone, at).review_at(day) == utc


def test_the_due_day_is_the_local_date() -> None:
    auckland = person("Pacific/Auckland", time(7, 0))
    assert auckland.due_day(datetime(2025, 6, 1, 18, 59, tzinfo=UTC)) is None
    assert auckland.due_day(datetime(2025, 6, 1, 19, 0, tzinfo=UTC)) == date(2025, 6, 2)


def test_one_dm_across_the_spring_forward_night(daily_db_url: str, fake_slack: FakeSlack) -> None:
    """At 02:30 Berlin on the night that skips 02:00–03:00: one DM, at 03:30 CEST."""
    engine = make_engine(daily_db_url)
    upgrade_schema(engine)
    store.learn_on(
        engine,
        ASKER,
        at=time(2, 30),
        timezone="Europe/Berlin",
        now=datetime(2025, 3, 28, tzinfo=UTC),
    )
    store.add_card(engine, ASKER, "lora", "added", now=datetime(2025, 3, 28, tzinfo=UTC))
    now = [datetime(2025, 3, 30, 0, 0, tzinfo=UTC)]
    delivery = SlackDelivery(
        "xoxb-test", fake_slack.api_url, interval=FixedValueRetryIntervalCalculator(0.01)
    )
    glossary = learning_glossary()
    sweep = ReviewSweep(
        engine,
        ReviewSender(engine, lambda: glossary, delivery, clock=lambda: now[0]),
        clock=lambda: now[0],
    )
    sent = []
    while now[0] < datetime(2025, 3, 30, 4, 0, tzinfo=UTC):
        sent += [(now[0], o.status) for o in sweep.sweep()]
        now[0] += timedelta(minutes=15)
    assert sent == [(datetime(2025, 3, 30, 1, 30, tzinfo=UTC), "sent")]
    entry = REVIEW_LEDGER.read_entry(engine, ASKER, date(2025, 3, 30))
    assert entry is not None
    assert entry.status == "posted"
    engine.dispose()


def test_the_sweep_sends_nothing_for_someone_not_learning(
    served: Served, fake_slack: FakeSlack
) -> None:
    slack = served.sender()
    slack.command("learn on 00:00 UTC")
    slack.command("lora")
    slack.command("learn off")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1), tick=False):
        assert sweeper(served.runtime, fake_slack).sweep() == []
    slack.close()
