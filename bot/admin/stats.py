"""What people looked for, read from the lookup log: totals, top terms, top misses.

Misses are grouped as the resolver folds them ("Mixture-of-Experts?" and "mixture of
experts" are one miss) and shown as first typed; ties go to the most recent. Text with no
letters, or over ``JUNK_CHARS`` characters, is nobody's missing term: it is counted as
"other" rather than ranked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from bot.admin.lookup_log import normalised_query
from bot.errors import UserError
from bot.store.tables import lookup_counts

OUTCOMES = ("exact", "fuzzy", "ambiguous", "miss")
JUNK_CHARS = 100


@dataclass(frozen=True)
class LookupStats:
    """Counts of lookups since a time: totals, the most looked-up terms, the top misses."""

    since: datetime
    total: int
    by_outcome: Mapping[str, int] = field(default_factory=dict)
    top_terms: tuple[tuple[str, int], ...] = ()
    top_misses: tuple[tuple[str, int], ...] = ()
    other_misses: int = 0  # misses with no letters or over JUNK_CHARS characters


def lookup_stats(engine: Engine, since: datetime, limit: int = 10) -> LookupStats:
    """Read the counts of lookups at or after ``since`` (UTC; counted by the minute)."""
    since = _naive_utc(since)
    table = lookup_counts
    recent = table.c.at >= since.replace(second=0, microsecond=0)
    total = func.sum(table.c.count).label("n")
    with engine.connect() as connection:
        by_outcome = {
            row.outcome: int(row.n)
            for row in connection.execute(
                select(table.c.outcome, total).where(recent).group_by(table.c.outcome)
            )
        }
        top_terms = connection.execute(
            select(table.c.term_id, total)
            .where(recent, table.c.term_id.is_not(None), table.c.outcome.in_(("exact", "fuzzy")))
            .group_by(table.c.term_id)
            .order_by(total.desc(), table.c.term_id)
            .limit(limit)
        ).all()
        spellings = connection.execute(
            select(
                table.c.query,
                total,
                func.min(table.c.at).label("first"),
                func.max(table.c.at).label("last"),
            )
            .where(recent, table.c.outcome == "miss")
            .group_by(table.c.query)
        ).all()
    top_misses, other = _group_misses((r.query, int(r.n), r.first, r.last) for r in spellings)
    return LookupStats(
        since=since,
        total=sum(by_outcome.values()),
        by_outcome=by_outcome,
        top_terms=tuple((row.term_id, int(row.n)) for row in top_terms),
        top_misses=top_misses[:limit],
        other_misses=other,
    )


def is_junk(query: str) -> bool:
    """No letters at all, or longer than anyone's term: not a term someone missed."""
    return len(query) > JUNK_CHARS or not any(c.isalpha() for c in query)


@dataclass
class _Miss:
    shown: str
    count: int
    first: datetime
    last: datetime


def _group_misses(
    spellings: Iterable[tuple[str, int, datetime, datetime]],
) -> tuple[tuple[tuple[str, int], ...], int]:
    """(spelling, count, first seen, last seen) → misses by folded query, most first; junk."""
    groups: dict[str, _Miss] = {}
    other = 0
    for query, count, first, last in spellings:
        if is_junk(query):
            other += count
            continue
        group = groups.get(key := normalised_query(query))
        if group is None:
            groups[key] = _Miss(query, count, first, last)
            continue
        group.count += count
        group.last = max(group.last, last)
        if (first, query) < (group.first, group.shown):
            group.shown, group.first = query, first
    ranked = sorted(groups.values(), key=lambda m: m.last, reverse=True)  # ties: most recent
    ranked.sort(key=lambda m: m.count, reverse=True)
    return tuple((m.shown, m.count) for m in ranked), other


_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A start time from "7d", "24h", "2w", "30m" (ago) or a date "2024-05-01" (UTC)."""
    now = _naive_utc(now or datetime.now(UTC))
    match = _DURATION.match(text)
    if match:
        amount, unit = int(match[1]), _UNITS[match[2].lower()]
        try:
            return now - timedelta(**{unit: amount})
        except OverflowError:
            raise UserError(f"--since {text} is too far back") from None
    try:
        return _naive_utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise UserError(
            f"--since '{text}' is not a time span like 7d, 24h, 2w or a date like 2024-05-01"
        ) from None


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
