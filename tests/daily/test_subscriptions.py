"""Subscriptions: what /lingo subscribe understands, and how the settings seed channels."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Engine

from bot.daily.subscriptions import (
    ScheduleWords,
    active_subscriptions,
    get_subscription,
    parse_schedule_words,
    seed_from_settings,
    subscribe,
    unsubscribe,
)
from bot.errors import UserError
from bot.settings import Settings

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ScheduleWords()),
        ("09:30", ScheduleWords(at=time(9, 30))),
        ("9:05 mon-fri", ScheduleWords(at=time(9, 5), days="mon-fri")),
        (
            "Europe/Berlin 14.30 Monday,Wednesday",
            ScheduleWords(time(14, 30), "mon,wed", "Europe/Berlin"),
        ),
        ("weekends america/new_york", ScheduleWords(days="sat-sun", timezone="America/New_York")),
        ("daily utc 7h45", ScheduleWords(time(7, 45), "mon-sun", "UTC")),
        ("fri-mon", ScheduleWords(days="fri-mon")),
    ],
)
def test_schedule_words_in_any_order(text: str, expected: ScheduleWords) -> None:
    assert parse_schedule_words(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "9", "9:60", "mon-funday", "Mars/Olympus", "09:00 09:00"]
)
def test_nonsense_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(UserError):
        parse_schedule_words(text)


def settings_for(channels: str, **extra: str) -> Settings:
    return Settings.from_env({"LINGO_DAILY_CHANNELS": channels, **extra})


def test_settings_seed_their_channels_and_keep_following_them(engine: Engine) -> None:
    seeded = seed_from_settings(
        engine, settings_for("C0AAA1,C0BBB1", LINGO_TIMEZONE="Europe/Berlin"), NOW
    )
    assert [(s.channel, s.at, s.days, s.timezone, s.source) for s in seeded] == [
        ("C0AAA1", time(9, 0), "mon-fri", "Europe/Berlin", "settings"),
        ("C0BBB1", time(9, 0), "mon-fri", "Europe/Berlin", "settings"),
    ]
    # A restart with the same settings changes nothing (the catch-up still sees old rows).
    later = NOW + timedelta(days=1)
    again = seed_from_settings(
        engine, settings_for("C0AAA1,C0BBB1", LINGO_TIMEZONE="Europe/Berlin"), later
    )
    assert [s.changed_at for s in again] == [NOW, NOW]
    # New settings: the time moves, a dropped channel stops, a new one starts.
    moved = seed_from_settings(
        engine, settings_for("C0AAA1,C0CCC1", LINGO_DAILY_TIME="07:30"), later
    )
    assert [(s.channel, s.at, s.timezone) for s in moved] == [
        ("C0AAA1", time(7, 30), "UTC"),
        ("C0CCC1", time(7, 30), "UTC"),
    ]


def test_slack_changes_win_over_the_settings(engine: Engine) -> None:
    settings = settings_for("C0AAA1,C0BBB1")
    seed_from_settings(engine, settings, NOW)
    subscribe(
        engine, "C0AAA1", ScheduleWords(at=time(11, 0)), settings=settings, user="U1", now=NOW
    )
    assert unsubscribe(engine, "C0BBB1", user="U1", now=NOW)
    seed_from_settings(engine, settings, NOW + timedelta(days=1))
    kept = get_subscription(engine, "C0AAA1")
    assert kept is not None
    assert kept.at == time(11, 0)
    assert kept.source == "slack"
    assert [s.channel for s in active_subscriptions(engine)] == ["C0AAA1"]  # not seeded back
