"""The exactly-once ledger: one row per (target, local date), claimed before anything is sent.

Used by every message that must go out at most once a day: the term of the day (one row per
channel and date, ``daily_posts``) and the review DM (one row per person and date,
``review_messages``). Each is a ``Ledger`` over its own table; the rules are written once,
here.

A day is claimed by ``INSERT ... ON CONFLICT DO NOTHING``: of any number of processes
inserting the same (target, date) at once, the database lets exactly one insert the row,
and only that one sends. Every later change is a compare-and-set on the claim token (and
status), so a process acts only while it still owns the day:

    (none) ──claim──▶ claimed ──▶ sending ──▶ posted
                        │            │
                        └────────────┴──▶ failed ──(retry_at passed, same day)──▶ claimed

A claim whose owner died (claimed or sending for longer than the lease) is taken over by
one process, with the same compare-and-set. A row that was ``sending`` when it was taken
over, or failed in a way that may have reached Slack, has ``maybe_sent``: the new owner
first looks for the message in Slack before sending again (see bot.daily.post).

What a day sends (its *choice*: a term and digest item, the reviews of the day) is chosen
in the claiming transaction and stored in the row, so a retry sends the same thing. Each
ledger says how its choice is stored in its table's columns.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, Row, Table, inspect, select, update

from bot.errors import LostClaim
from bot.store.engine import insert_for

CLAIMED, SENDING, POSTED, FAILED = "claimed", "sending", "posted", "failed"
# How long a claim is honoured before another process may take the day over. It must be
# longer than one send attempt can take: Slack's timeout × retries + waits, about 3 minutes.
DEFAULT_LEASE = timedelta(minutes=10)
MAX_RETRY_DELAY = timedelta(minutes=30)

C = TypeVar("C")


@dataclass(frozen=True)
class LedgerEntry(Generic[C]):
    """One (target, local date) row as it is in the database."""

    target: str
    day: date
    status: str
    claim_token: str
    claimed_at: datetime
    first_claimed_at: datetime
    attempts: int
    maybe_sent: bool
    retry_at: datetime | None
    message_ts: str | None
    posted_at: datetime | None
    choice: C
    last_error: str | None

    @property
    def channel(self) -> str:
        """The target as the daily post calls it."""
        return self.target

    def stale(self, now: datetime, lease: timedelta) -> bool:
        """Claimed or sending for longer than the lease: its owner is presumed dead."""
        return self.status in (CLAIMED, SENDING) and self.claimed_at + lease <= now

    def retryable(self, now: datetime) -> bool:
        return self.status == FAILED and (self.retry_at is None or self.retry_at <= now)

    def settled(self, now: datetime, lease: timedelta) -> bool:
        """Nothing to do for this day now: posted, in progress, or failed and waiting."""
        return (
            self.status == POSTED
            or (self.status in (CLAIMED, SENDING) and not self.stale(now, lease))
            or (self.status == FAILED and not self.retryable(now))
        )


@dataclass(frozen=True)
class Claim(Generic[C]):
    """This process owns ``day`` for ``target`` while the row still has ``token``."""

    target: str
    day: date
    token: str
    attempt: int
    maybe_sent: bool
    first_claimed_at: datetime
    choice: C

    @property
    def channel(self) -> str:
        return self.target


@dataclass(frozen=True)
class ChoiceColumns(Generic[C]):
    """How a ledger's choice is kept in its row: written to columns, read back, or unset."""

    write: Callable[[C], dict[str, Any]]
    read: Callable[[Any], C]
    unset: Callable[[C], bool]


class Ledger(Generic[C]):
    """The ledger of one kind of message: ``table`` keyed by (``target``, local_date)."""

    def __init__(self, table: Table, target: str, choice: ChoiceColumns[C]) -> None:
        self.table = table
        self._target = table.c[target]
        self._target_name = target
        self._choice = choice

    # -- reading ------------------------------------------------------------------------------

    def _entry(self, row: Row[Any]) -> LedgerEntry[C]:
        return LedgerEntry(
            target=getattr(row, self._target_name),
            day=row.local_date,
            status=row.status,
            claim_token=row.claim_token,
            claimed_at=row.claimed_at,
            first_claimed_at=row.first_claimed_at,
            attempts=row.attempts,
            maybe_sent=bool(row.maybe_sent),
            retry_at=row.retry_at,
            message_ts=row.message_ts,
            posted_at=row.posted_at,
            choice=self._choice.read(row),
            last_error=row.last_error,
        )

    def _where(self, target: str, day: date) -> tuple[ColumnElement[bool], ...]:
        return (self._target == target, self.table.c.local_date == day)

    def read_entry(self, engine: Engine, target: str, day: date) -> LedgerEntry[C] | None:
        """The row of (target, day), if any; None also when the table does not exist yet."""
        with engine.connect() as connection:
            if not inspect(connection).has_table(self.table.name):
                return None
            row = connection.execute(select(self.table).where(*self._where(target, day))).first()
        return self._entry(row) if row is not None else None

    def entries_for(
        self, engine: Engine, day_by_target: dict[str, date]
    ) -> dict[str, LedgerEntry[C]]:
        """Rows of several targets, each on its own date (for the sweeps and listings)."""
        if not day_by_target:
            return {}
        found: dict[str, LedgerEntry[C]] = {}
        with engine.connect() as connection:
            rows = connection.execute(
                select(self.table).where(
                    self._target.in_(list(day_by_target)),
                    self.table.c.local_date.in_(sorted(set(day_by_target.values()))),
                )
            ).all()
        for row in rows:
            entry = self._entry(row)
            if day_by_target.get(entry.target) == entry.day:
                found[entry.target] = entry
        return found

    def last_posted(self, engine: Engine, target: str, limit: int = 1) -> list[LedgerEntry[C]]:
        """The most recent posted days of ``target``, newest first."""
        with engine.connect() as connection:
            rows = connection.execute(
                select(self.table)
                .where(self._target == target, self.table.c.status == POSTED)
                .order_by(self.table.c.local_date.desc())
                .limit(limit)
            ).all()
        return [self._entry(row) for row in rows]

    # -- claiming -----------------------------------------------------------------------------

    def claim_day(
        self,
        engine: Engine,
        target: str,
        day: date,
        *,
        now: datetime,
        choose: Callable[[Connection], C],
        lease: timedelta = DEFAULT_LEASE,
        retry_now: bool = False,
    ) -> Claim[C] | LedgerEntry[C]:
        """Claim (target, day); return the Claim, or the entry that stands in the way.

        A fresh claim calls ``choose`` in the same transaction, so what is sent and any
        state it moves (a rotation) change together with the claim. A failed day is claimed
        again once its ``retry_at`` has passed (at once with ``retry_now``); a stale claim
        once its lease ran out. Posted days and live claims are never claimed.
        """
        table = self.table
        token = str(uuid.uuid4())
        with engine.begin() as connection:
            inserted = connection.execute(
                insert_for(connection, table)
                .values(
                    {
                        self._target_name: target,
                        "local_date": day,
                        "status": CLAIMED,
                        "claim_token": token,
                        "claimed_at": now,
                        "first_claimed_at": now,
                        "attempts": 1,
                        "maybe_sent": False,
                    }
                )
                .on_conflict_do_nothing(index_elements=[self._target_name, "local_date"])
                # RETURNING, not rowcount: psycopg reports no rowcount for this statement.
                .returning(table.c.claim_token)
            ).first()
            if inserted is not None:
                choice = choose(connection)
                self._set_choice(connection, target, day, token, choice)
                return Claim(target, day, token, 1, False, now, choice)

            row = connection.execute(select(table).where(*self._where(target, day))).one()
            entry = self._entry(row)
            if not (
                entry.stale(now, lease)
                or entry.retryable(now)
                or (retry_now and entry.status == FAILED)
            ):
                return entry
            maybe_sent = entry.maybe_sent or entry.status == SENDING
            taken = connection.execute(
                update(table)
                .where(
                    *self._where(target, day),
                    table.c.claim_token == entry.claim_token,
                    table.c.status == entry.status,
                )
                .values(
                    status=CLAIMED,
                    claim_token=token,
                    claimed_at=now,
                    attempts=table.c.attempts + 1,
                    maybe_sent=maybe_sent,
                    retry_at=None,
                )
            ).rowcount
            if taken != 1:  # another process took it between our read and our update
                row = connection.execute(select(table).where(*self._where(target, day))).one()
                return self._entry(row)
            choice = entry.choice
            if self._choice.unset(choice):
                choice = choose(connection)
                self._set_choice(connection, target, day, token, choice)
            return Claim(
                target, day, token, entry.attempts + 1, maybe_sent, entry.first_claimed_at, choice
            )

    def _set_choice(
        self, connection: Connection, target: str, day: date, token: str, choice: C
    ) -> None:
        connection.execute(
            update(self.table)
            .where(*self._where(target, day), self.table.c.claim_token == token)
            .values(**self._choice.write(choice))
        )

    def replace_choice(
        self, engine: Engine, claim: Claim[C], choose: Callable[[Connection], C]
    ) -> Claim[C]:
        """Choose what a claimed day sends again (its content left the glossary meanwhile)."""
        with engine.begin() as connection:
            if not self._owned(connection, claim, CLAIMED):
                raise LostClaim(f"{claim.target} {claim.day}")
            choice = choose(connection)
            self._set_choice(connection, claim.target, claim.day, claim.token, choice)
        return Claim(
            claim.target,
            claim.day,
            claim.token,
            claim.attempt,
            claim.maybe_sent,
            claim.first_claimed_at,
            choice,
        )

    def _owned(self, connection: Connection, claim: Claim[C], *statuses: str) -> bool:
        row = connection.execute(
            select(self.table.c.claim_token, self.table.c.status).where(
                *self._where(claim.target, claim.day)
            )
        ).first()
        return row is not None and row.claim_token == claim.token and row.status in statuses

    # -- recording ----------------------------------------------------------------------------

    def mark_sending(self, engine: Engine, claim: Claim[C]) -> None:
        """Say we are calling Slack now; raise LostClaim if the day is no longer ours."""
        table = self.table
        with engine.begin() as connection:
            changed = connection.execute(
                update(table)
                .where(
                    *self._where(claim.target, claim.day),
                    table.c.claim_token == claim.token,
                    table.c.status == CLAIMED,
                )
                .values(status=SENDING)
            ).rowcount
        if changed != 1:
            raise LostClaim(f"{claim.target} {claim.day}")

    def mark_posted(self, engine: Engine, claim: Claim[C], ts: str, *, now: datetime) -> bool:
        """Record the message; True if the day was still ours.

        If another process took the day over meanwhile (our attempt outlived the lease), the
        message still exists: it is recorded anyway, unless the day is already recorded as
        posted, which then means two messages went out, and False says so.
        """
        table = self.table
        values = {
            "status": POSTED,
            "message_ts": ts,
            "posted_at": now,
            "last_error": None,
            "retry_at": None,
        }
        with engine.begin() as connection:
            changed = connection.execute(
                update(table)
                .where(
                    *self._where(claim.target, claim.day),
                    table.c.claim_token == claim.token,
                    table.c.status.in_((CLAIMED, SENDING)),
                )
                .values(**values)
            ).rowcount
            if changed == 1:
                return True
            connection.execute(
                update(table)
                .where(*self._where(claim.target, claim.day), table.c.status != POSTED)
                .values(**values)
            )
        return False

    def mark_failed(
        self, engine: Engine, claim: Claim[C], *, error: str, maybe_sent: bool, now: datetime
    ) -> datetime | None:
        """Release the day after a failed attempt; return when it may be retried.

        The wait doubles with each attempt (1, 2, 4, ... minutes, at most 30); the day is
        retried until it ends. None if the day was no longer ours.
        """
        table = self.table
        retry_at = now + min(timedelta(minutes=2 ** (claim.attempt - 1)), MAX_RETRY_DELAY)
        with engine.begin() as connection:
            changed = connection.execute(
                update(table)
                .where(
                    *self._where(claim.target, claim.day),
                    table.c.claim_token == claim.token,
                    table.c.status.in_((CLAIMED, SENDING)),
                )
                .values(
                    status=FAILED,
                    maybe_sent=claim.maybe_sent or maybe_sent,
                    last_error=error[:2000],
                    retry_at=retry_at,
                )
            ).rowcount
        return retry_at if changed == 1 else None
