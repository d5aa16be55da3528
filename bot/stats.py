"""What people look for: an anonymous log of lookups, and the counts admins read from it.

Each lookup is recorded as its normalised query, outcome, term id and time, never the
person who asked. Recording must not slow or fail an answer, so ``LookupRecorder.record``
only puts the row on a bounded in-memory queue; a background thread writes the rows in
batches. When the database is slow the queue absorbs it; when it is full, rows are
dropped and counted; when the database is down, the error is logged and the rows are
dropped: the answers go on.
"""

from __future__ import annotations

import logging
import queue
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
from bot.normalize import clean, query_words
from bot.resolver import Resolution
from bot.store import metadata

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
OUTCOMES = ("exact", "fuzzy", "ambiguous", "miss")

lookups = Table(
    "lookups",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime(timezone=False), nullable=False, index=True),  # UTC
    Column("query", String(MAX_QUERY_CHARS), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("term_id", String(64), nullable=True),
)


def normalised_query(query: str) -> str:
    """The query as it is counted: folded like the resolver folds it ("What are LLMs?" → llm)."""
    folded = " ".join(query_words(query))
    return (folded or clean(query).casefold())[:MAX_QUERY_CHARS]


def utcnow() -> datetime:
    """Now in UTC, without a time zone, as the lookups table stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


class LookupRecorder:
    """Writes lookups to the database on a background thread, in batches.

    ``record`` never blocks and never raises. ``flush`` waits for what was recorded so
    far; ``close`` flushes and stops the thread. ``dropped`` counts rows lost to a full
    queue, ``failed`` rows lost to database errors, ``written`` rows stored.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        capacity: int = 10_000,
        batch_size: int = 500,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._engine = engine
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=capacity)
        self._batch_size = batch_size
        self._clock = clock
        self._done = threading.Condition()
        self._accepted = 0
        self._finished = 0
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
        """Queue one lookup; the answer never waits for the database (``deps.record_lookup``)."""
        try:
            row = {
                "at": self._clock(),
                "query": normalised_query(query),
                "outcome": resolution.status,
                "term_id": resolution.term.id if resolution.term is not None else None,
            }
            self._queue.put_nowait(row)
        except queue.Full:
            with self._done:
                self.dropped += 1
                dropped = self.dropped
            if dropped == 1 or dropped % 1000 == 0:
                log.warning("lookup log is behind; %d lookups not recorded so far", dropped)
            return
        except Exception:  # a bug here must never cost the person their answer
            log.exception("could not record a lookup")
            return
        with self._done:
            self._accepted += 1

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything recorded so far is written (or failed); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._done:
            target = self._accepted
            while self._finished < target:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._done.wait(min(left, 0.1))
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (waiting at most ``timeout``), then stop the thread."""
        self._closing.set()  # no more backoff: try what is left once, then stop
        self.flush(timeout)
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            try:
                batch = [self._queue.get(timeout=0.2)]
            except queue.Empty:
                if self._stop.is_set():
                    return
                continue
            while len(batch) < self._batch_size:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)
            with self._done:
                self._finished += len(batch)
                self._done.notify_all()
            if self._backoff:
                self._closing.wait(self._backoff)  # the database is down: do not hammer it

    def _write(self, batch: list[dict[str, Any]]) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(lookups), batch)
        except SQLAlchemyError as error:
            self.failed += len(batch)
            self._backoff = min(max(self._backoff * 2, 0.5), 30.0)
            now = time.monotonic()
            if self._last_error_log is None or now - self._last_error_log >= 60:
                self._last_error_log = now
                reason = str(getattr(error, "orig", None) or error).splitlines()[0]
                log.warning(
                    "could not record %d lookups; the database said: %s (%d lost so far)",
                    len(batch),
                    reason,
                    self.failed,
                )
            return
        except Exception:
            self.failed += len(batch)
            log.exception("could not record %d lookups", len(batch))
            return
        self.written += len(batch)
        if self._backoff:
            log.info("lookup log is writing again")
        self._backoff = 0.0


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
    """Read the counts of lookups at or after ``since`` (UTC)."""
    since = _naive_utc(since)
    recent = lookups.c.at >= since
    count = func.count().label("n")
    with engine.connect() as connection:
        by_outcome = {
            row.outcome: row.n
            for row in connection.execute(
                select(lookups.c.outcome, count).where(recent).group_by(lookups.c.outcome)
            )
        }
        top_terms = connection.execute(
            select(lookups.c.term_id, count)
            .where(
                recent, lookups.c.term_id.is_not(None), lookups.c.outcome.in_(("exact", "fuzzy"))
            )
            .group_by(lookups.c.term_id)
            .order_by(count.desc(), lookups.c.term_id)
            .limit(limit)
        ).all()
        top_misses = connection.execute(
            select(lookups.c.query, count)
            .where(recent, lookups.c.outcome == "miss")
            .group_by(lookups.c.query)
            .order_by(count.desc(), lookups.c.query)
            .limit(limit)
        ).all()
    return LookupStats(
        since=since,
        total=sum(by_outcome.values()),
        by_outcome=by_outcome,
        top_terms=tuple((row.term_id, row.n) for row in top_terms),
        top_misses=tuple((row.query, row.n) for row in top_misses),
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
