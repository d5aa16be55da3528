"""The day grammar of the term of the day: one set of rules for settings and for /lingo.

Days are stored cron style (``mon-fri``, ``mon,wed,fri``, ``sat-sun``). People may also type
full names (``monday``), ranges of them (``monday-friday``) or a word for a set
(``weekdays``, ``daily``); ``parse_days`` turns any of these into the cron form, and
``expand_days`` turns the cron form into the days it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = {
    "monday": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
DAY_ALIASES = {
    "weekdays": "mon-fri",
    "workdays": "mon-fri",
    "weekends": "sat-sun",
    "weekend": "sat-sun",
    "daily": "mon-sun",
    "everyday": "mon-sun",
    "every-day": "mon-sun",
}
_DAY_PART = re.compile(r"^([a-z]+)(?:-([a-z]+))?$")


def parse_days(word: str) -> str | None:
    """mon-fri, mon,wed,fri, monday, weekdays, daily → cron-style days; None if not days."""
    word = word.casefold().strip(",")
    if word in DAY_ALIASES:
        return DAY_ALIASES[word]
    return _parse_parts(word, _day_name)


def parse_cron_days(text: str) -> str | None:
    """Cron-style days only (mon-fri, MON,WED-FRI), as settings take them; None otherwise."""
    return _parse_parts(text.casefold(), lambda word: word if word in DAY_NAMES else None)


def _parse_parts(word: str, day_name: Callable[[str], str | None]) -> str | None:
    parts = []
    for part in word.split(","):
        match = _DAY_PART.match(part)
        if not match:
            return None
        first = day_name(match[1])
        last = day_name(match[2]) if match[2] else None
        if first is None or (match[2] and last is None):
            return None
        parts.append(first if last is None or last == first else f"{first}-{last}")
    return ",".join(parts)


def expand_days(days: str) -> tuple[str, ...]:
    """Cron-style days (as ``parse_days`` returns them) → the days: mon-fri → (mon, …, fri)."""
    found: list[str] = []
    for part in days.split(","):
        first, _, last = part.partition("-")
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last or first)
        span = range(start, end + 1) if end >= start else [*range(start, 7), *range(end + 1)]
        found += [DAY_NAMES[i] for i in span if DAY_NAMES[i] not in found]
    return tuple(found)


def _day_name(word: str) -> str | None:
    if word in DAY_NAMES:
        return word
    return _FULL_DAY_NAMES.get(word)
