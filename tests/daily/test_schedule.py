"""When the term of the day goes out: local times, weekdays, daylight saving, catch-up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import Engine, select

from bot.daily.delivery import SlackDelivery
from bot.daily.post import DailyPoster
from bot.daily.scheduler import DailyScheduler, SchedulerService, cron_trigger
from bot.daily.subscriptions import Subscription, save_subscription
from bot.glossary import Glossary, load_glossary
from bot.glossary.live import LiveGlossary
from bot.settings import Settings
from bot.store.tables import daily_posts
from tests.conftest import HistorySlack
from tests.support.clock import QUICK, Clock

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def fire_times(subscription: Subscription, start: datetime, count: int) -> list[datetime]:
    trigger = cron_trigger(subscription)
    found: list[datetime] = []
    previous = None
    now = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        found.append(fire.astimezone(UTC))
        previous = now = fire
    return found


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_berlin_morning_post_follows_the_clock_across_spring_forward() -> None:
    subscription = Subscription("C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin")
    fires = fire_times(subscription, datetime(2025, 3, 27, 0, 0, tzinfo=BERLIN), 4)
    # Thu and Fri at 09:00 CET (08:00 UTC); no weekend; Mon and Tue at 09:00 CEST (07:00 UTC).
    assert fires == [
        utc(2025, 3, 27, 8),
        utc(2025, 3, 28, 8),
        utc(2025, 3, 31, 7),
        utc(2025, 4, 1, 7),
    ]


def test_a_berlin_morning_post_follows_the_clock_across_fall_back() -> None:
    subscription = Subscription("C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin")
    fires = fire_times(subscription, datetime(2025, 10, 24, 0, 0, tzinfo=BERLIN), 2)
    assert fires == [utc(2025, 10, 24, 7), utc(2025, 10, 27, 8)]


def test_a_0230_post_on_the_two_daylight_saving_nights() -> None:
    subscription = Subscription("C0NIGHT01", time(2, 30), "mon-sun", "Europe/Berlin")
    # Spring forward: 02:30 does not exist; the trigger fires an hour later by the clock.
    spring = fire_times(subscription, datetime(2025, 3, 29, 12, 0, tzinfo=BERLIN), 2)
    assert spring == [utc(2025, 3, 30, 1, 30), utc(2025, 3, 31, 0, 30)]
    assert subscription.scheduled_at(date(2025, 3, 30)) == utc(2025, 3, 30, 1, 30)
    # Fall back: 02:30 happens twice and the trigger fires twice; the ledger posts once.
    fall = fire_times(subscription, datetime(2025, 10, 25, 12, 0, tzinfo=BERLIN), 3)
    assert fall == [utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30), utc(2025, 10, 27, 1, 30)]
    assert subscription.scheduled_at(date(2025, 10, 26)) == utc(2025, 10, 26, 0, 30)


def test_days_and_time_zones() -> None:
    subscription = Subscription("C0NYC0001", time(9, 30), "mon,wed,fri", "America/New_York")
    fires = fire_times(subscription, datetime(2025, 3, 6, 0, 0, tzinfo=NEW_YORK), 4)
    # Thu 6 March is skipped; US clocks spring forward on Sunday 9 March.
    assert fires == [
        utc(2025, 3, 7, 14, 30),
        utc(2025, 3, 10, 13, 30),
        utc(2025, 3, 12, 13, 30),
        utc(2025, 3, 14, 13, 30),
    ]
    kolkata = Subscription("C0INDIA01", time(9, 0), "sat-sun", "Asia/Kolkata")
    assert fire_times(kolkata, utc(2025, 3, 7), 2) == [
        utc(2025, 3, 8, 3, 30),
        utc(2025, 3, 9, 3, 30),
    ]


def test_due_day_is_the_local_date_once_its_time_has_passed() -> None:
    berlin = Subscription("C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin", changed_at=LONG_AGO)
    assert berlin.due_day(utc(2025, 3, 3, 7, 59)) is None  # Monday 08:59 in Berlin
    assert berlin.due_day(utc(2025, 3, 3, 8, 0)) == date(2025, 3, 3)
    assert berlin.due_day(utc(2025, 3, 3, 22, 59)) == date(2025, 3, 3)  # 23:59: still Monday
    assert berlin.due_day(utc(2025, 3, 3, 23, 0)) is None  # Tuesday 00:00: Monday has passed
    assert berlin.due_day(utc(2025, 3, 8, 12, 0)) is None  # Saturday
    auckland = Subscription(
        "C0KIWI001", time(8, 0), "mon-fri", "Pacific/Auckland", changed_at=LONG_AGO
    )
    # Sunday 20:00 UTC is already Monday 09:00 in Auckland.
    assert auckland.due_day(utc(2025, 3, 2, 20, 0)) == date(2025, 3, 3)


def test_a_schedule_changed_after_todays_time_starts_tomorrow() -> None:
    changed = utc(2025, 3, 3, 9, 15)  # 10:15 in Berlin, after 09:00
    subscription = Subscription(
        "C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin", changed_at=changed
    )
    assert subscription.due_day(utc(2025, 3, 3, 9, 30)) is None
    assert subscription.due_day(utc(2025, 3, 4, 8, 0)) == date(2025, 3, 4)
    assert subscription.next_run(utc(2025, 3, 3, 9, 30)) == utc(2025, 3, 4, 8, 0)


# -- posting on schedule ---------------------------------------------------------------------


@pytest.fixture
def glossary(daily_glossary_dir: Path) -> Glossary:
    return load_glossary(daily_glossary_dir)


def subscribe(engine: Engine, channel: str, at: time, days: str, zone: str) -> Subscription:
    saved, _ = save_subscription(
        engine, Subscription(channel, at, days, zone), user=None, now=LONG_AGO
    )
    return saved


def posted_days(engine: Engine) -> Counter[tuple[str, date]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(daily_posts.c.channel, daily_posts.c.local_date).where(
                daily_posts.c.status == "posted"
            )
        ).all()
    return Counter((row.channel, row.local_date) for row in rows)


@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2025, 3, 26), date(2025, 4, 2)), (date(2025, 10, 22), date(2025, 10, 29))],
    ids=["spring-forward", "fall-back"],
)
def test_a_week_across_a_daylight_saving_change_posts_every_day_exactly_once(
    first: date, last: date, engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """Sweeps every 10 minutes plus every cron firing: each scheduled local date exactly once."""
    subscriptions = [
        subscribe(engine, "C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin"),
        subscribe(engine, "C0NIGHT01", time(2, 30), "mon-sun", "Europe/Berlin"),
        subscribe(engine, "C0NYC0001", time(9, 0), "mon-sun", "America/New_York"),
    ]
    clock = Clock(datetime.combine(first, time(0, 0), tzinfo=UTC))
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    poster = DailyPoster(engine, lambda: glossary, delivery, clock=clock)
    scheduler = DailyScheduler(engine, poster, clock=clock)
    end = datetime.combine(last, time(0, 0), tzinfo=UTC)
    cron_runs = sorted(
        (fire, s.channel)
        for s in subscriptions
        for fire in fire_times(s, clock.now, 20)
        if fire < end
    )
    moments = sorted(
        [
            (clock.now + timedelta(minutes=10 * n), "")
            for n in range(int((end - clock.now) / timedelta(minutes=10)))
        ]
        + cron_runs
    )
    for moment, channel in moments:
        clock.now = moment
        if channel:
            scheduler.run_channel(channel)
        else:
            scheduler.sweep()

    start = datetime.combine(first, time(0, 0), tzinfo=UTC)
    expected: Counter[tuple[str, date]] = Counter()
    for subscription in subscriptions:
        day = first - timedelta(days=1)
        while day <= last:
            day_ends = datetime.combine(
                day + timedelta(days=1), time(0, 0), tzinfo=subscription.zone
            )
            if (
                subscription.runs_on(day)
                and subscription.scheduled_at(day) < end
                and day_ends > start
            ):
                expected[(subscription.channel, day)] = 1
            day += timedelta(days=1)
    assert posted_days(engine) == expected
    assert len(daily_slack.calls_to("chat.postMessage")) == sum(expected.values())


def test_catch_up_after_downtime_posts_once_the_same_day(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """Down at 09:00 Monday, back at 09:40: posted at start, once; a restart posts nothing."""
    subscribe(engine, "C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin")
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=daily_slack.api_url)
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    with time_machine.travel(datetime(2025, 3, 3, 9, 40, tzinfo=BERLIN)):
        stop = _started(
            SchedulerService(
                settings, engine, LiveGlossary(glossary), delivery=delivery, sweep_seconds=3600
            )
        )
        try:
            daily_slack.wait_for("chat.postMessage", 1)
        finally:
            stop()
    assert posted_days(engine) == Counter({("C0BERLIN1", date(2025, 3, 3)): 1})

    poster = DailyPoster(engine, lambda: glossary, delivery)
    with time_machine.travel(datetime(2025, 3, 3, 9, 50, tzinfo=BERLIN)):
        assert DailyScheduler(engine, poster).sweep() == []  # restarted: already posted
    assert len(daily_slack.calls_to("chat.postMessage")) == 1


def test_a_day_that_has_passed_is_not_posted_late(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """Down all Monday, back Tuesday 08:00: nothing for Monday; Tuesday at 09:00 as usual."""
    subscribe(engine, "C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin")
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    clock = Clock(datetime(2025, 3, 4, 8, 0, tzinfo=BERLIN))
    scheduler = DailyScheduler(
        engine, DailyPoster(engine, lambda: glossary, delivery, clock=clock), clock=clock
    )
    assert scheduler.sweep() == []
    clock.now = datetime(2025, 3, 4, 9, 0, tzinfo=BERLIN)
    assert [o.day for o in scheduler.sweep()] == [date(2025, 3, 4)]
    assert posted_days(engine) == Counter({("C0BERLIN1", date(2025, 3, 4)): 1})


def test_the_cron_job_posts_at_the_local_time(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """The real BackgroundScheduler, with the clock half a second before 09:00 in Berlin."""
    subscribe(engine, "C0BERLIN1", time(9, 0), "mon-fri", "Europe/Berlin")
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=daily_slack.api_url)
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    with time_machine.travel(datetime(2025, 3, 3, 8, 59, 59, 500000, tzinfo=BERLIN), tick=True):
        stop = _started(
            SchedulerService(
                settings, engine, LiveGlossary(glossary), delivery=delivery, sweep_seconds=3600
            )
        )
        try:
            assert daily_slack.calls_to("chat.postMessage") == []
            daily_slack.wait_for("chat.postMessage", 1, timeout=6)
            posted_at = datetime.now(BERLIN)
        finally:
            stop()
    assert posted_at.time() >= time(9, 0)
    assert posted_days(engine) == Counter({("C0BERLIN1", date(2025, 3, 3)): 1})


def test_subscription_changes_reach_a_running_scheduler(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    scheduler = DailyScheduler(
        engine, DailyPoster(engine, lambda: glossary, delivery), sweep_seconds=0.05
    )
    scheduler.start()
    try:
        assert scheduler.next_runs() == {}
        subscribe(engine, "C0LATER01", time(7, 15), "mon-sun", "Asia/Tokyo")
        first = wait_until(lambda: scheduler.next_runs().get("C0LATER01"))
        assert first.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(7, 15)
        subscribe(engine, "C0LATER01", time(18, 45), "mon-sun", "Asia/Tokyo")
        moved = wait_until(
            lambda: (run := scheduler.next_runs().get("C0LATER01")) and run != first and run
        )
        assert moved.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(18, 45)
        save_subscription(
            engine,
            Subscription("C0LATER01", time(18, 45), "mon-sun", "Asia/Tokyo", active=False),
            user=None,
            now=datetime.now(UTC),
        )
        wait_until(lambda: "C0LATER01" not in scheduler.next_runs())
    finally:
        scheduler.stop()


def wait_until(probe, timeout: float = 3.0):  # type: ignore[no-untyped-def]
    import time as monotonic

    deadline = monotonic.monotonic() + timeout
    while monotonic.monotonic() < deadline:
        value = probe()
        if value:
            return value
        monotonic.sleep(0.02)
    raise AssertionError("timed out")


def test_moving_a_channel_to_another_time_zone_never_posts_a_date_twice(
    engine: Engine, glossary: Glossary, daily_slack: HistorySlack
) -> None:
    """Los Angeles, then Tokyo, then back: each local date of the channel at most once."""
    subscribe(engine, "C0MOVING1", time(9, 0), "mon-sun", "America/Los_Angeles")
    delivery = SlackDelivery("xoxb-test", daily_slack.api_url, interval=QUICK)
    clock = Clock(datetime(2025, 3, 3, 9, 5, tzinfo=ZoneInfo("America/Los_Angeles")))
    poster = DailyPoster(engine, lambda: glossary, delivery, clock=clock)
    scheduler = DailyScheduler(engine, poster, clock=clock)
    assert [o.day for o in scheduler.sweep()] == [date(2025, 3, 3)]
    # At noon in Los Angeles (05:00 on 4 March in Tokyo) the channel moves to Tokyo.
    clock.now = datetime(2025, 3, 3, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    save_subscription(
        engine,
        Subscription("C0MOVING1", time(9, 0), "mon-sun", "Asia/Tokyo"),
        user=None,
        now=clock.now,
    )
    clock.now = datetime(2025, 3, 4, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert [o.day for o in scheduler.sweep()] == [date(2025, 3, 4)]
    # And back: 4 March in Los Angeles was already posted (as Tokyo's 4 March): not again.
    save_subscription(
        engine,
        Subscription("C0MOVING1", time(9, 0), "mon-sun", "America/Los_Angeles"),
        user=None,
        now=clock.now,
    )
    for day, hour in ((4, 9), (4, 20), (5, 9)):
        clock.now = datetime(2025, 3, day, hour, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
        scheduler.sweep()
    assert posted_days(engine) == Counter({("C0MOVING1", date(2025, 3, d)): 1 for d in (3, 4, 5)})


def _started(service: SchedulerService) -> Callable[[], None]:
    service.start()
    return service.stop
