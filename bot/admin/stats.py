"""What people look for: an anonymous log of lookups, and the counts admins read from it.

The log counts lookups by minute, normalised query, outcome and term id, never by the
person who asked. Recording must not slow or fail an answer, so ``LookupRecorder.record``
only adds one to a count in memory; a background thread writes the counts every few
seconds, one row per (minute, query, outcome, term) seen since the last write. When the
database is slow the counts wait in memory, bounded: a lookup that would need a new count
while the recorder holds ``capacity`` of them is dropped and counted; when the database is
down, the error is logged and the counts are dropped: the answers go on.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    func,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import UserError
from bot.lookup.normalize import clean, query_words
from bot.lookup.resolver import Resolution
from bot.store.engine import metadata

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
OUTCOMES = ("exact", "fuzzy", "ambiguous", "miss")

# One row: how many lookups of ``query`` had ``outcome`` (and ``term_id``) in the minute
# starting at ``at``. A minute may have several rows for one query (one per write and
# process); the counts are summed when read.
lookup_counts = Table(
    "lookup_counts",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime(timezone=False), nullable=False, index=True),  # UTC, whole minutes
    Column("query", String(MAX_QUERY_CHARS), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("term_id", String(64), nullable=True),
    Column("count", Integer, nullable=False),
)


def normalised_query(query: str) -> str:
    """The query as it is counted: folded like the resolver folds it ("What are LLMs?" → llm)."""
    folded = " ".join(query_words(query))
    return (folded or clean(query).casefold())[:MAX_QUERY_CHARS]


def utcnow() -> datetime:
    """Now in UTC, without a time zone, as the lookup log stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


# What a lookup is counted under until it is written: (minute since the epoch, the query as
# the resolver read it, outcome, term id).
_Key = tuple[int, str, str, str | None]


class LookupRecorder:
    """Counts lookups in memory; a background thread writes the counts every ``interval`` s.

    ``record`` never blocks and never raises. ``flush`` writes what was recorded so far
    and waits for it; ``close`` flushes and stops the thread. ``dropped`` counts lookups
    lost to a full recorder, ``failed`` lookups lost to database errors, ``written``
    lookups stored. ``clock`` gives the time in seconds since the epoch.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        capacity: int = 10_000,
        interval: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self._capacity = capacity
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[_Key, int] = {}
        self._recorded = 0  # lookups counted in memory, ever
        self._settled = 0  # of those, how many have been written or lost
        self._done = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._closing = threading.Event()
        self._backoff = 0.0
        self._last_error_log: float | None = None
        self.dropped = 0
        self.failed = 0
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="lingo-lookup-recorder", daemon=True)
        self._thread.start()

    def record(self, query: str, resolution: Resolution) -> None:
        """Count one lookup (``deps.record_lookup``): no database, no waiting, no raising.

        The lookup is counted under the text as the resolver read it (``resolution.query``);
        it is normalised for the log when written, once per distinct text, not per lookup.
        """
        term = resolution.term
        key: _Key = (
            int(self._clock()) // 60,
            resolution.query,
            resolution.status,
            None if term is None else term.id,
        )
        with self._lock:
            count = self._counts.get(key)
            if count is not None or len(self._counts) < self._capacity:
                self._counts[key] = (count or 0) + 1
                self._recorded += 1
                return
            self.dropped += 1
            dropped = self.dropped
        if dropped == 1 or dropped % 1000 == 0:
            log.warning("lookup log is behind; %d lookups not recorded so far", dropped)

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything recorded so far (or fail to); False if that takes over ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            target = self._recorded
        self._wake.set()
        with self._done:
            while self._settled < target:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._done.wait(min(left, 0.1))
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is counted (waiting at most ``timeout``), then stop the thread."""
        self._closing.set()  # no more backoff: try what is left once, then stop
        self.flush(timeout)
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            with self._lock:
                counts, self._counts = self._counts, {}
                recorded = self._recorded
            if counts:
                self._write(counts)
            with self._done:
                self._settled = recorded
                self._done.notify_all()
            if self._backoff and not self._closing.is_set():
                self._closing.wait(self._backoff)  # the database is down: do not hammer it

    def _write(self, counts: dict[_Key, int]) -> None:
        total = sum(counts.values())
        try:
            rows = _rows(counts)
            with self._engine.begin() as connection:
                connection.execute(insert(lookup_counts), rows)
        except SQLAlchemyError as error:
            self.failed += total
            self._backoff = min(max(self._backoff * 2, 0.5), 30.0)
            now = time.monotonic()
            if self._last_error_log is None or now - self._last_error_log >= 60:
                self._last_error_log = now
                reason = str(getattr(error, "orig", None) or error).splitlines()[0]
                log.warning(
                    "could not record %d lookups; the database said: %s (%d lost so far)",
                    total,
                    reason,
                    self.failed,
                )
            return
        except Exception:
            self.failed += total
            log.exception("could not record %d lookups", total)
            return
        self.written += total
        if self._backoff:
            log.info("lookup log is writing again")
        self._backoff = 0.0


def _rows(counts: Mapping[_Key, int]) -> list[dict[str, Any]]:
    """The counts as rows, texts that fold alike ("LoRA", "lora") merged into one."""
    merged: dict[_Key, int] = {}
    normalised: dict[str, str] = {}
    for (minute, text, outcome, term_id), count in counts.items():
        query = normalised.get(text)
        if query is None:
            query = normalised[text] = normalised_query(text)
        key = (minute, query, outcome, term_id)
        merged[key] = merged.get(key, 0) + count
    epoch = datetime(1970, 1, 1)
    return [
        {
            "at": epoch + timedelta(minutes=minute),
            "query": query,
            "outcome": outcome,
            "term_id": term_id,
            "count": count,
        }
        for (minute, query, outcome, term_id), count in merged.items()
    ]


def start_recorder(runtime: Runtime) -> Callable[[], None]:
    """The lookup log as a service of ``bot.runtime``: records every lookup of this process.

    It starts in the process that answers (after gunicorn forks its worker), because a
    thread does not survive a fork.
    """
    recorder = LookupRecorder(runtime.engine)
    runtime.deps.record_lookup = recorder.record

    def stop() -> None:
        runtime.deps.record_lookup = None
        recorder.close()

    return stop


@dataclass(frozen=True)
class LookupStats:
    """Counts of lookups since a time: totals, the most looked-up terms, the top misses."""

    since: datetime
    total: int
    by_outcome: Mapping[str, int] = field(default_factory=dict)
    top_terms: tuple[tuple[str, int], ...] = ()
    top_misses: tuple[tuple[str, int], ...] = ()


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
        top_misses = connection.execute(
            select(table.c.query, total)
            .where(recent, table.c.outcome == "miss")
            .group_by(table.c.query)
            .order_by(total.desc(), table.c.query)
            .limit(limit)
        ).all()
    return LookupStats(
        since=since,
        total=sum(by_outcome.values()),
        by_outcome=by_outcome,
        top_terms=tuple((row.term_id, int(row.n)) for row in top_terms),
        top_misses=tuple((row.query, int(row.n)) for row in top_misses),
    )


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


def stats_text(stats: LookupStats, names: Mapping[str, str], limit: int = 10) -> str:
    """The counts as terminal text, for `lingo stats`."""
    lines = [f"Lookups since {stats.since:%Y-%m-%d %H:%M} UTC: {stats.total}"]
    if stats.total:
        lines.append("  " + " · ".join(f"{o} {stats.by_outcome.get(o, 0)}" for o in OUTCOMES))
    lines += ["", "Top terms:"]
    lines += [f"  {n:>5}  {names.get(term_id, term_id)}" for term_id, n in stats.top_terms[:limit]]
    if not stats.top_terms:
        lines.append("  (none yet)")
    lines += ["", "Top misses (looked for, not in the glossary):"]
    lines += [f"  {n:>5}  {query}" for query, n in stats.top_misses[:limit]]
    if not stats.top_misses:
        lines.append("  (none)")
    return "\n".join(lines)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
