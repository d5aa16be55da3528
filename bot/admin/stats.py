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

from sqlalchemy import Engine, case, distinct, func, select

from bot.admin.lookup_log import normalised_query
from bot.errors import UserError
from bot.store.tables import clarity_votes, lookup_counts, quiz_answers

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


# -- learning: quiz answers and clarity votes, as aggregates only ---------------------------------


@dataclass(frozen=True)
class LearningStats:
    """What admins see of learning: counts per term and pair, never who answered or voted."""

    since: datetime
    people: int = 0
    answers: int = 0
    right: int = 0
    per_term: tuple[tuple[str, int, int, int], ...] = ()  # term, answers, right, people
    confused: tuple[tuple[str, str, int], ...] = ()  # asked, chosen instead, times
    clarity: tuple[tuple[str, int, int], ...] = ()  # term, clear, unclear
    comments: tuple[tuple[str, str], ...] = ()  # term, what was unclear


def learning_stats(engine: Engine, since: datetime, limit: int = 10) -> LearningStats:
    """Quiz answers since ``since`` per term, the most confused pairs, and clarity feedback."""
    answers, votes = quiz_answers, clarity_votes
    since = since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
    recent = answers.c.answered_at >= since
    right = func.sum(case((answers.c.correct.is_(True), 1), else_=0))
    people = func.count(distinct(answers.c.user_id))
    with engine.connect() as connection:
        total = connection.execute(
            select(func.count(), func.coalesce(right, 0), people).where(recent)
        ).one()
        per_term = connection.execute(
            select(answers.c.term_id, func.count().label("n"), right.label("r"), people)
            .where(recent)
            .group_by(answers.c.term_id)
            .order_by(func.count().desc(), answers.c.term_id)
            .limit(limit)
        ).all()
        times = func.count().label("n")
        confused = connection.execute(
            select(answers.c.term_id, answers.c.chosen_id, times)
            .where(recent, answers.c.correct.is_(False), answers.c.chosen_id.is_not(None))
            .group_by(answers.c.term_id, answers.c.chosen_id)
            .order_by(times.desc(), answers.c.term_id, answers.c.chosen_id)
            .limit(limit)
        ).all()
        unclear = func.sum(case((votes.c.clear.is_(False), 1), else_=0))
        clear = func.sum(case((votes.c.clear.is_(True), 1), else_=0))
        clarity = connection.execute(
            select(votes.c.term_id, clear.label("yes"), unclear.label("no"))
            .group_by(votes.c.term_id)
            .order_by(unclear.desc(), votes.c.term_id)
            .limit(limit)
        ).all()
        comments = connection.execute(
            select(votes.c.term_id, votes.c.comment)
            .where(votes.c.comment.is_not(None))
            .order_by(votes.c.voted_at.desc())
            .limit(limit * 2)
        ).all()
    return LearningStats(
        since=since,
        people=int(total[2] or 0),
        answers=int(total[0] or 0),
        right=int(total[1] or 0),
        per_term=tuple((r[0], int(r[1]), int(r[2] or 0), int(r[3])) for r in per_term),
        confused=tuple((r.term_id, r.chosen_id, int(r.n)) for r in confused),
        clarity=tuple((r.term_id, int(r.yes or 0), int(r.no or 0)) for r in clarity),
        comments=tuple((r.term_id, r.comment) for r in comments),
    )
