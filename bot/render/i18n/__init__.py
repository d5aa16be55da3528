"""The words the bot says, in each language it speaks: one catalogue per language.

``message(lang, key, **values)`` is the one way a renderer gets a user-facing string.
English (``en``) is the source; every other catalogue has exactly its keys and
placeholders (tests/render/test_i18n.py fails otherwise). A new surface (the quiz, the
review) adds its keys to every catalogue. ``language_of`` turns a Slack locale ("ko-KR")
into one of the languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from bot.glossary.model import LANGUAGES
from bot.render.i18n import en, ko

DEFAULT: Final = "en"
CATALOGUES: Mapping[str, Mapping[str, str]] = {"en": en.MESSAGES, "ko": ko.MESSAGES}
assert set(CATALOGUES) == set(LANGUAGES)


def language_of(locale: str | None) -> str:
    """The language for a Slack locale or language code: "ko-KR" → "ko"; else English."""
    code = (locale or "").replace("_", "-").split("-")[0].casefold()
    return code if code in CATALOGUES else DEFAULT


def message(lang: str, key: str, /, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in (a missing key is a bug)."""
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT])
    return catalogue[key].format(**values) if values else catalogue[key]


def long_date(lang: str, day: date) -> str:
    """'Tuesday 1 December 2026', '2026년 12월 1일 화요일'."""
    return _date(lang, "daily.date", day)


def day_month(lang: str, day: date) -> str:
    """'Tuesday 1 December', '12월 1일 화요일': a date within the coming days."""
    return _date(lang, "date.day_month", day)


def short_date(lang: str, day: date, *, year: bool = True) -> str:
    """'Tue 1 Dec 2026', '2026년 12월 1일(화)'; without ``year``: 'Tue 1 Dec', '12월 1일(화)'."""
    return _date(lang, "date.short" if year else "date.short_day", day, short=True)


def _date(lang: str, key: str, day: date, *, short: bool = False) -> str:
    """``day`` in the catalogue's pattern ``key``, with its weekday and month names (the
    short ones with ``short``); a pattern uses the parts it needs."""
    names = "_short" if short else ""
    return message(
        lang,
        key,
        weekday=message(lang, f"weekday{names}.{day.weekday()}"),
        day=day.day,
        month=message(lang, f"month{names}.{day.month}"),
        year=day.year,
    )
