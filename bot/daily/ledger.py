"""The daily post's exactly-once ledger: one ``daily_posts`` row per (channel, local date).

The claim / compare-and-set rules and their state diagram are ``bot.store.ledger``; this
module binds them to the daily table, whose choice is a term and a digest item
(``Choice``), and keeps the names the daily code and its tests use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from bot.daily.rotation import Choice
from bot.errors import LostClaim
from bot.store.ledger import (
    CLAIMED,
    DEFAULT_LEASE,
    FAILED,
    MAX_RETRY_DELAY,
    POSTED,
    SENDING,
    ChoiceColumns,
    Claim,
    Ledger,
    LedgerEntry,
)
from bot.store.tables import daily_posts

__all__ = [
    "CLAIMED",
    "DEFAULT_LEASE",
    "FAILED",
    "MAX_RETRY_DELAY",
    "POSTED",
    "SENDING",
    "Claim",
    "LedgerEntry",
    "LostClaim",
    "claim_day",
    "entries_for",
    "last_posted",
    "mark_failed",
    "mark_posted",
    "mark_sending",
    "read_entry",
    "replace_choice",
]

DailyEntry = LedgerEntry[Choice]
DailyClaim = Claim[Choice]


def _write(choice: Choice) -> dict[str, Any]:
    return {
        "term_id": choice.term_id,
        "digest_id": choice.digest_id,
        "digest_item_id": choice.digest_item_id,
    }


def _read(row: Any) -> Choice:
    return Choice(row.term_id, row.digest_id, row.digest_item_id)


DAILY_LEDGER: Ledger[Choice] = Ledger(
    daily_posts, "channel", ChoiceColumns(_write, _read, lambda c: c.term_id is None)
)


def read_entry(engine: Engine, channel: str, day: date) -> DailyEntry | None:
    return DAILY_LEDGER.read_entry(engine, channel, day)


def claim_day(
    engine: Engine,
    channel: str,
    day: date,
    *,
    now: datetime,
    choose: Callable[[Connection], Choice],
    lease: timedelta = DEFAULT_LEASE,
    retry_now: bool = False,
) -> DailyClaim | DailyEntry:
    return DAILY_LEDGER.claim_day(
        engine, channel, day, now=now, choose=choose, lease=lease, retry_now=retry_now
    )


def replace_choice(
    engine: Engine, claim: DailyClaim, choose: Callable[[Connection], Choice]
) -> DailyClaim:
    return DAILY_LEDGER.replace_choice(engine, claim, choose)


def mark_sending(engine: Engine, claim: DailyClaim) -> None:
    DAILY_LEDGER.mark_sending(engine, claim)


def mark_posted(engine: Engine, claim: DailyClaim, ts: str, *, now: datetime) -> bool:
    return DAILY_LEDGER.mark_posted(engine, claim, ts, now=now)


def mark_failed(
    engine: Engine, claim: DailyClaim, *, error: str, maybe_sent: bool, now: datetime
) -> datetime | None:
    return DAILY_LEDGER.mark_failed(engine, claim, error=error, maybe_sent=maybe_sent, now=now)


def entries_for(engine: Engine, day_by_channel: dict[str, date]) -> dict[str, DailyEntry]:
    """Ledger rows of several channels, each on its own date (for the sweep and listings)."""
    return DAILY_LEDGER.entries_for(engine, day_by_channel)


def last_posted(engine: Engine, channel: str) -> DailyEntry | None:
    """The most recent posted day of ``channel``."""
    found = DAILY_LEDGER.last_posted(engine, channel)
    return found[0] if found else None
