"""The anonymous lookup log: every lookup counted by minute, query, outcome and term, never by who.

Recording must not slow or fail an answer, so ``LookupRecorder.record`` only adds one to a
count in memory; a background thread (started by ``start``, after a forking server has
forked) writes the counts every few seconds, one row per (minute, query, outcome, term)
seen since the last write. When the database is slow the counts wait in memory, bounded: a
lookup that would need a new count while the recorder holds ``capacity`` of them is dropped
and counted; when the database is down, the error is logged and the counts are dropped: the
answers go on.

The ``query`` column holds the text as the person typed it (Slack's escapes decoded,
spaces collapsed, cut to ``MAX_QUERY_CHARS``): texts that fold alike in one minute share a
row under the first spelling seen. ``bot.admin.stats`` folds at read time
(``normalised_query``), so "LoRA" and "lora" count together and are shown as people wrote
them; rows written before spellings were kept hold the folded form, and fold to themselves.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from bot.lookup.normalize import clean, query_words
from bot.lookup.resolver import Resolution
from bot.store.tables import MAX_QUERY_CHARS, lookup_counts

log = logging.getLogger(__name__)


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

    @property
    def held(self) -> int:
        """Counts in memory that the background thread has not yet taken to write."""
        with self._lock:
            return len(self._counts)

    def start(self) -> None:
        """Start writing counts in the background."""
        self._thread.start()

    def stop(self) -> None:
        """The service's stop: write what is counted, then stop the thread."""
        self.close()

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
        if not self._thread.is_alive():
            if self._counts:
                with self._lock:
                    counts, self._counts = self._counts, {}
                self._write(counts)
            return
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
    """The counts as rows: texts that fold alike ("LoRA", "lora") in one row, first spelling kept."""
    merged: dict[_Key, int] = {}
    spelling: dict[_Key, str] = {}
    normalised: dict[str, str] = {}
    for (minute, text, outcome, term_id), count in counts.items():  # in the order seen
        query = normalised.get(text)
        if query is None:
            query = normalised[text] = normalised_query(text)
        key = (minute, query, outcome, term_id)
        merged[key] = merged.get(key, 0) + count
        spelling.setdefault(key, text[:MAX_QUERY_CHARS])
    epoch = datetime(1970, 1, 1)
    return [
        {
            "at": epoch + timedelta(minutes=key[0]),
            "query": spelling[key],
            "outcome": key[2],
            "term_id": key[3],
            "count": count,
        }
        for key, count in merged.items()
    ]
