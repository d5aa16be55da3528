"""Who gets the term of the day and when: subscriptions, their schedule, and what is due now.

A subscription is a channel, a local time, days of the week and an IANA time zone. The
post for a local date is due once that date's scheduled instant has passed, until the
date ends; ``due_day`` is the single place that decides it, for the cron jobs and for the
catch-up sweep alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import process
from sqlalchemy import Engine, Row, select, update

from bot.daily.days import DAY_NAMES, expand_days, parse_days
from bot.errors import UserError
from bot.glossary.model import LANGUAGES
from bot.settings import Settings
from bot.store.engine import insert_for
from bot.store.tables import subscriptions

_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")
USAGE = (
    "`/lingo subscribe [HH:MM] [days] [time zone] [lang=en|ko]`, for example "
    "`/lingo subscribe 09:30 mon,wed,fri Europe/Berlin lang=ko`"
)


@dataclass(frozen=True)
class Subscription:
    """One channel's daily post: at ``at`` local time on ``days`` in ``timezone``."""

    channel: str
    at: time
    days: str
    timezone: str
    active: bool = True
    source: str = "slack"
    created_by: str | None = None
    created_at: datetime | None = None
    changed_by: str | None = None
    changed_at: datetime | None = None
    lang: str = "en"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The days as numbers, Monday 0."""
        return tuple(DAY_NAMES.index(d) for d in expand_days(self.days))

    def runs_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    def scheduled_at(self, day: date) -> datetime:
        """The instant of ``day``'s post, in UTC.

        A local time that does not exist (02:30 on the spring-forward night) means the
        instant one hour later by the clock, as APScheduler computes it; a time that occurs
        twice (the fall-back night) means its first occurrence.
        """
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)

    def today(self, now: datetime) -> date:
        """The local date at ``now`` in this subscription's time zone."""
        return now.astimezone(self.zone).date()

    def due_day(self, now: datetime) -> date | None:
        """The local date whose post is due at ``now``, if any.

        Due means: the date is one of the days, its scheduled instant has passed, and the
        schedule did not change after that instant (subscribing at 10:00 for 09:00 starts
        tomorrow). A date that has ended is never due: nothing is posted late.
        """
        if not self.active:
            return None
        day = self.today(now)
        if not self.runs_on(day):
            return None
        at = self.scheduled_at(day)
        if now < at:
            return None
        if self.changed_at is not None and self.changed_at > at:
            return None
        return day

    def next_run(self, now: datetime) -> datetime:
        """The next scheduled instant after ``now`` (UTC)."""
        day = self.today(now)
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            if self.runs_on(candidate) and self.scheduled_at(candidate) > now:
                return self.scheduled_at(candidate)
        raise AssertionError("a subscription runs on at least one day a week")  # pragma: no cover

    def describe(self) -> str:
        """09:00 mon-fri, Europe/Berlin"""
        return f"{self.at:%H:%M} {self.days}, {self.timezone}"

    def same_schedule(self, other: Subscription) -> bool:
        return (self.at, self.days, self.timezone, self.active) == (
            other.at,
            other.days,
            other.timezone,
            other.active,
        )


@dataclass(frozen=True)
class ScheduleWords:
    """What ``/lingo subscribe`` was given; None for what was left out."""

    at: time | None = None
    days: str | None = None
    timezone: str | None = None
    lang: str | None = None


def parse_schedule_words(text: str) -> ScheduleWords:
    """Read ``[HH:MM] [days] [time zone] [lang=ko]`` in any order; raise UserError on anything
    else."""
    found = ScheduleWords()
    for word in text.split():
        if word.casefold().startswith("lang="):
            found = replace(found, lang=parse_language(word.partition("=")[2]))
        elif _TIME.match(word) or word[:1].isdigit():
            if found.at is not None:
                raise UserError(f"Give one time, not two. Usage: {USAGE}")
            found = replace(found, at=parse_local_time(word))
        elif (days := parse_days(word)) is not None:
            if found.days is not None:
                raise UserError(
                    f"Give the days once, like `mon-fri` or `mon,wed,fri`. Usage: {USAGE}"
                )
            found = replace(found, days=days)
        else:
            if found.timezone is not None:
                raise UserError(
                    f"I don't understand “{_echo(word)}”: a time zone was already given. "
                    f"Usage: {USAGE}"
                )
            found = replace(found, timezone=parse_timezone(word))
    return found


def parse_language(word: str) -> str:
    """The language of a channel's post: en or ko."""
    lang = word.casefold()
    if lang not in LANGUAGES:
        raise UserError(
            f"“{_echo(word)}” is not a language of the post: use `lang=en` or `lang=ko`."
        )
    return lang


def parse_local_time(word: str) -> time:
    """09:00, 9:00, 9.30 or 14h15 → a time; UserError otherwise."""
    match = _TIME.match(word)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise UserError(f"“{_echo(word)}” is not a time. Use 24-hour HH:MM, like 09:00 or 14:30.")


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_timezone(word: str) -> str:
    """An IANA time zone name, in any case (europe/berlin → Europe/Berlin); UserError otherwise."""
    zones = _zones_by_folded_name()
    name = zones.get(word.casefold())
    if name is not None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            name = None
    if name is not None:
        return name
    near = process.extractOne(word, list(zones.values()), score_cutoff=80)
    tip = f" Did you mean `{near[0]}`?" if near else ""
    raise UserError(
        f"“{_echo(word)}” is not a time, days or a time zone I know.{tip} "
        f"Time zones are IANA names like Europe/Berlin or America/New_York. Usage: {USAGE}"
    )


def _echo(word: str) -> str:
    word = word.replace("`", "'")
    return word if len(word) <= 40 else word[:39] + "…"


# -- storage ---------------------------------------------------------------------------------


def _from_row(row: Row[tuple[object, ...]]) -> Subscription:
    hours, minutes = (int(x) for x in str(row.post_time).split(":"))
    return Subscription(
        channel=row.channel,
        at=time(hours, minutes),
        days=row.days,
        timezone=row.timezone,
        active=bool(row.active),
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
        changed_by=row.changed_by,
        changed_at=row.changed_at,
        lang=str(row.lang or "en"),
    )


def get_subscription(engine: Engine, channel: str) -> Subscription | None:
    """The channel's subscription, active or not; None if it never had one."""
    with engine.connect() as connection:
        row = connection.execute(
            select(subscriptions).where(subscriptions.c.channel == channel)
        ).first()
    return _from_row(row) if row is not None else None


def active_subscriptions(engine: Engine) -> list[Subscription]:
    """Every channel that gets the post, by channel id."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(subscriptions)
            .where(subscriptions.c.active == True)  # noqa: E712 - SQL, not Python
            .order_by(subscriptions.c.channel)
        ).all()
    return [_from_row(row) for row in rows]


def save_subscription(
    engine: Engine, wanted: Subscription, *, user: str | None, now: datetime
) -> tuple[Subscription, bool]:
    """Create or change a subscription; return it and whether its schedule changed."""
    values = {
        "post_time": f"{wanted.at:%H:%M}",
        "days": wanted.days,
        "timezone": wanted.timezone,
        "active": wanted.active,
        "source": wanted.source,
        "lang": wanted.lang,
    }
    with engine.begin() as connection:
        inserted = connection.execute(
            insert_for(connection, subscriptions)
            .values(
                channel=wanted.channel,
                created_by=user,
                created_at=now,
                changed_by=user,
                changed_at=now,
                **values,
            )
            .on_conflict_do_nothing(index_elements=["channel"])
            .returning(subscriptions.c.channel)
        ).first()
        if inserted is not None:
            changed = True
        else:
            row = connection.execute(
                select(subscriptions)
                .where(subscriptions.c.channel == wanted.channel)
                .with_for_update()
            ).one()
            current = _from_row(row)
            changed = not current.same_schedule(wanted)
            if changed:
                values |= {"changed_by": user, "changed_at": now}
            connection.execute(
                update(subscriptions)
                .where(subscriptions.c.channel == wanted.channel)
                .values(**values)
            )
    saved = get_subscription(engine, wanted.channel)
    assert saved is not None
    return saved, changed


def subscribe(
    engine: Engine,
    channel: str,
    words: ScheduleWords,
    *,
    settings: Settings,
    user: str | None,
    now: datetime,
) -> tuple[Subscription, Subscription | None]:
    """Subscribe ``channel``; what was not given stays as it was (or the settings' default).

    Returns the new subscription and the previous one if the channel was subscribed.
    """
    before = get_subscription(engine, channel)
    base = before if before is not None and before.active else None
    wanted = Subscription(
        channel=channel,
        at=words.at or (base.at if base else settings.daily_time),
        days=words.days or (base.days if base else settings.daily_days),
        timezone=words.timezone or (base.timezone if base else settings.timezone),
        source="slack",
        lang=words.lang or (base.lang if base else "en"),
    )
    saved, _ = save_subscription(engine, wanted, user=user, now=now)
    return saved, base


def unsubscribe(engine: Engine, channel: str, *, user: str | None, now: datetime) -> bool:
    """Stop the post in ``channel``; False if it was not subscribed."""
    before = get_subscription(engine, channel)
    if before is None or not before.active:
        return False
    save_subscription(engine, replace(before, active=False, source="slack"), user=user, now=now)
    return True


def seed_from_settings(engine: Engine, settings: Settings, now: datetime) -> list[Subscription]:
    """Make the settings' channels subscriptions; return the active subscriptions after.

    Channels of LINGO_DAILY_CHANNELS follow LINGO_DAILY_TIME/DAYS and LINGO_TIMEZONE while
    nobody changed them in Slack; a channel dropped from the setting stops. Channels
    subscribed or unsubscribed with /lingo are left as people set them.
    """
    at, days, zone = settings.daily_time, settings.daily_days, settings.timezone
    for channel in settings.daily_channels:
        current = get_subscription(engine, channel)
        if current is not None and current.source != "settings":
            continue
        wanted = Subscription(channel, at, days, zone, active=True, source="settings")
        if current is None or not current.same_schedule(wanted):
            save_subscription(engine, wanted, user=None, now=now)
    for subscription in active_subscriptions(engine):
        if (
            subscription.source == "settings"
            and subscription.channel not in settings.daily_channels
        ):
            save_subscription(engine, replace(subscription, active=False), user=None, now=now)
    return active_subscriptions(engine)
