"""Slack request keys claimed in the database, so a retry reaching another replica is not
acted on twice (``bot.slack.retries`` explains the keys; this is its shared store).

A claim is a row keyed by the SHA-256 of the request key that lapses after ``keep``
seconds, longer than Slack keeps retrying. Claiming is one INSERT ... ON CONFLICT DO
NOTHING after deleting lapsed rows, in one transaction: of two replicas claiming the same
key at once, exactly one inserts the row. If the database fails, the claim is made in this
process instead (a lookup must never fail because the database did) and a warning is logged.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, delete
from sqlalchemy.exc import SQLAlchemyError

from bot.store.engine import insert_for
from bot.store.tables import request_claims

logger = logging.getLogger(__name__)

KEEP_SECONDS = 600.0


class Claims(Protocol):
    """Where request keys are claimed: in this process, or in the shared database."""

    def claim(self, key: str) -> bool: ...

    def claim_here(self, key: str) -> bool:
        """Claim ``key`` in this process only (for requests whose repeats do no harm elsewhere)."""
        ...

    def release(self, key: str) -> None: ...


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DatabaseClaims:
    """Request keys claimed in ``request_claims``, shared by every replica on the database."""

    def __init__(
        self,
        engine: Engine,
        fallback: Claims,
        *,
        keep: float = KEEP_SECONDS,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._engine = engine
        self._fallback = fallback
        self._keep = timedelta(seconds=keep)
        self._clock = clock

    def claim(self, key: str) -> bool:
        """True the first time any replica claims ``key`` (within ``keep``), else False."""
        now = self._clock()
        try:
            with self._engine.begin() as connection:
                connection.execute(delete(request_claims).where(request_claims.c.expires_at <= now))
                inserted = connection.execute(
                    insert_for(connection, request_claims)
                    .values(key_hash=_hash(key), expires_at=now + self._keep)
                    .on_conflict_do_nothing(index_elements=["key_hash"])
                    .returning(request_claims.c.key_hash)
                )
                return inserted.first() is not None
        except SQLAlchemyError as error:
            logger.warning(
                "could not claim a request in the database (%s); claiming it in this process",
                type(error).__name__,
            )
            return self._fallback.claim(key)

    def claim_here(self, key: str) -> bool:
        """Claim ``key`` in this process only: no database write."""
        return self._fallback.claim(key)

    def release(self, key: str) -> None:
        """Forget ``key`` so a retry of it acts again (the handler failed)."""
        self._fallback.release(key)
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    delete(request_claims).where(request_claims.c.key_hash == _hash(key))
                )
        except SQLAlchemyError as error:
            logger.warning("could not release a request claim (%s)", type(error).__name__)
