"""The exactly-once ledger: one row per (channel, local date), claimed before anything is posted.

A day is claimed by ``INSERT ... ON CONFLICT DO NOTHING``: of any number of processes
inserting the same (channel, date) at once, the database lets exactly one insert the row,
and only that one posts. Every later change is a compare-and-set on the claim token (and
status), so a process acts only while it still owns the day:

    (none) ──claim──▶ claimed ──▶ sending ──▶ posted
                        │            │
                        └────────────┴──▶ failed ──(retry_at passed, same day)──▶ claimed

A claim whose owner died (claimed or sending for longer than the lease) is taken over by
one process, with the same compare-and-set. A row that was ``sending`` when it was taken
over, or failed in a way that may have reached Slack, has ``maybe_sent``: the new owner
first looks for the message in Slack before posting again (see bot.daily.post).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, Row, inspect, select, update

from bot.daily.rotation import Choice
from bot.errors import LostClaim
from bot.store.engine import insert_for
from bot.store.tables import daily_posts

CLAIMED, SENDING, POSTED, FAILED = "claimed", "sending", "posted", "failed"
# How long a claim is honoured before another process may take the day over. It must be
# longer than one post attempt can take: Slack's timeout × retries + waits, about 3 minutes.
DEFAULT_LEASE = timedelta(minutes=10)
MAX_RETRY_DELAY = timedelta(minutes=30)


@dataclass(frozen=True)
class LedgerEntry:
    """One (channel, local date) row as it is in the database."""

    channel: str
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
    choice: Choice
    last_error: str | None

    def stale(self, now: datetime, lease: timedelta) -> bool:
        """Claimed or sending for longer than the lease: its owner is presumed dead."""
        return self.status in (CLAIMED, SENDING) and self.claimed_at + lease <= now

    def retryable(self, now: datetime) -> bool:
        return self.status == FAILED and (self.retry_at is None or self.retry_at <= now)

    def claimable(self, now: datetime, lease: timedelta, *, retry_now: bool = False) -> bool:
        """True if ``claim_day`` would take this day over at ``now``: a stale claim, or a
        failed day whose back-off ran out (at once with ``retry_now``). Never a posted day."""
        return (
            self.stale(now, lease) or self.retryable(now) or (retry_now and self.status == FAILED)
        )


@dataclass(frozen=True)
class Claim:
    """This process owns ``day`` in ``channel`` while the row still has ``token``."""

    channel: str
    day: date
    token: str
    attempt: int
    maybe_sent: bool
    first_claimed_at: datetime
    choice: Choice


def _entry(row: Row[tuple[object, ...]]) -> LedgerEntry:
    return LedgerEntry(
        channel=row.channel,
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
        choice=Choice(row.term_id, row.digest_id, row.digest_item_id),
        last_error=row.last_error,
    )


def _where(channel: str, day: date) -> tuple[ColumnElement[bool], ...]:
    return (daily_posts.c.channel == channel, daily_posts.c.local_date == day)


def read_entry(engine: Engine, channel: str, day: date) -> LedgerEntry | None:
    """The ledger row of (channel, day), if any; None also when the table does not exist yet."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(daily_posts.name):
            return None
        row = connection.execute(select(daily_posts).where(*_where(channel, day))).first()
    return _entry(row) if row is not None else None


def claim_day(
    engine: Engine,
    channel: str,
    day: date,
    *,
    now: datetime,
    choose: Callable[[Connection], Choice],
    lease: timedelta = DEFAULT_LEASE,
    retry_now: bool = False,
) -> Claim | LedgerEntry:
    """Claim (channel, day); return the Claim, or the entry that stands in the way.

    A fresh claim calls ``choose`` in the same transaction, so the day's content and the
    rotation move together with the claim. A failed day is claimed again once its
    ``retry_at`` has passed (at once with ``retry_now``); a stale claim once its lease ran
    out. Posted days and live claims are never claimed.
    """
    token = str(uuid.uuid4())
    with engine.begin() as connection:
        inserted = connection.execute(
            insert_for(connection, daily_posts)
            .values(
                channel=channel,
                local_date=day,
                status=CLAIMED,
                claim_token=token,
                claimed_at=now,
                first_claimed_at=now,
                attempts=1,
                maybe_sent=False,
            )
            .on_conflict_do_nothing(index_elements=["channel", "local_date"])
            # RETURNING, not rowcount: psycopg reports no rowcount for this statement.
            .returning(daily_posts.c.claim_token)
        ).first()
        if inserted is not None:
            choice = choose(connection)
            _set_choice(connection, channel, day, token, choice)
            return Claim(channel, day, token, 1, False, now, choice)

        row = connection.execute(select(daily_posts).where(*_where(channel, day))).one()
        entry = _entry(row)
        if not entry.claimable(now, lease, retry_now=retry_now):
            return entry
        maybe_sent = entry.maybe_sent or entry.status == SENDING
        taken = connection.execute(
            update(daily_posts)
            .where(
                *_where(channel, day),
                daily_posts.c.claim_token == entry.claim_token,
                daily_posts.c.status == entry.status,
            )
            .values(
                status=CLAIMED,
                claim_token=token,
                claimed_at=now,
                attempts=daily_posts.c.attempts + 1,
                maybe_sent=maybe_sent,
                retry_at=None,
            )
        ).rowcount
        if taken != 1:  # another process took it between our read and our update
            row = connection.execute(select(daily_posts).where(*_where(channel, day))).one()
            return _entry(row)
        choice = entry.choice
        if choice.term_id is None:
            choice = choose(connection)
            _set_choice(connection, channel, day, token, choice)
        return Claim(
            channel, day, token, entry.attempts + 1, maybe_sent, entry.first_claimed_at, choice
        )


def _set_choice(
    connection: Connection, channel: str, day: date, token: str, choice: Choice
) -> None:
    connection.execute(
        update(daily_posts)
        .where(*_where(channel, day), daily_posts.c.claim_token == token)
        .values(
            term_id=choice.term_id,
            digest_id=choice.digest_id,
            digest_item_id=choice.digest_item_id,
        )
    )


def replace_choice(engine: Engine, claim: Claim, choose: Callable[[Connection], Choice]) -> Claim:
    """Choose the content of a claimed day again (its term left the glossary meanwhile)."""
    with engine.begin() as connection:
        if not _owned(connection, claim, CLAIMED):
            raise LostClaim(f"{claim.channel} {claim.day}")
        choice = choose(connection)
        _set_choice(connection, claim.channel, claim.day, claim.token, choice)
    return Claim(
        claim.channel,
        claim.day,
        claim.token,
        claim.attempt,
        claim.maybe_sent,
        claim.first_claimed_at,
        choice,
    )


def _owned(connection: Connection, claim: Claim, *statuses: str) -> bool:
    row = connection.execute(
        select(daily_posts.c.claim_token, daily_posts.c.status).where(
            *_where(claim.channel, claim.day)
        )
    ).first()
    return row is not None and row.claim_token == claim.token and row.status in statuses


def mark_sending(engine: Engine, claim: Claim) -> None:
    """Say we are calling Slack now; raise LostClaim if the day is no longer ours."""
    with engine.begin() as connection:
        changed = connection.execute(
            update(daily_posts)
            .where(
                *_where(claim.channel, claim.day),
                daily_posts.c.claim_token == claim.token,
                daily_posts.c.status == CLAIMED,
            )
            .values(status=SENDING)
        ).rowcount
    if changed != 1:
        raise LostClaim(f"{claim.channel} {claim.day}")


def mark_posted(engine: Engine, claim: Claim, ts: str, *, now: datetime) -> bool:
    """Record the message; True if the day was still ours.

    If another process took the day over meanwhile (our attempt outlived the lease), the
    message still exists: it is recorded anyway, unless the day is already recorded as
    posted, which then means two messages went out, and False says so.
    """
    values = {
        "status": POSTED,
        "message_ts": ts,
        "posted_at": now,
        "last_error": None,
        "retry_at": None,
    }
    with engine.begin() as connection:
        changed = connection.execute(
            update(daily_posts)
            .where(
                *_where(claim.channel, claim.day),
                daily_posts.c.claim_token == claim.token,
                daily_posts.c.status.in_((CLAIMED, SENDING)),
            )
            .values(**values)
        ).rowcount
        if changed == 1:
            return True
        connection.execute(
            update(daily_posts)
            .where(*_where(claim.channel, claim.day), daily_posts.c.status != POSTED)
            .values(**values)
        )
    return False


def mark_failed(
    engine: Engine, claim: Claim, *, error: str, maybe_sent: bool, now: datetime
) -> datetime | None:
    """Release the day after a failed attempt; return when it may be retried.

    The wait doubles with each attempt (1, 2, 4, ... minutes, at most 30); the day is
    retried until it ends. None if the day was no longer ours.
    """
    retry_at = now + min(timedelta(minutes=2 ** (claim.attempt - 1)), MAX_RETRY_DELAY)
    with engine.begin() as connection:
        changed = connection.execute(
            update(daily_posts)
            .where(
                *_where(claim.channel, claim.day),
                daily_posts.c.claim_token == claim.token,
                daily_posts.c.status.in_((CLAIMED, SENDING)),
            )
            .values(
                status=FAILED,
                maybe_sent=claim.maybe_sent or maybe_sent,
                last_error=error[:2000],
                retry_at=retry_at,
            )
        ).rowcount
    return retry_at if changed == 1 else None


def entries_for(engine: Engine, day_by_channel: dict[str, date]) -> dict[str, LedgerEntry]:
    """Ledger rows of several channels, each on its own date (for the sweep and listings)."""
    if not day_by_channel:
        return {}
    found: dict[str, LedgerEntry] = {}
    with engine.connect() as connection:
        rows = connection.execute(
            select(daily_posts).where(
                daily_posts.c.channel.in_(list(day_by_channel)),
                daily_posts.c.local_date.in_(sorted(set(day_by_channel.values()))),
            )
        ).all()
    for row in rows:
        entry = _entry(row)
        if day_by_channel.get(entry.channel) == entry.day:
            found[entry.channel] = entry
    return found


def last_posted(engine: Engine, channel: str) -> LedgerEntry | None:
    """The most recent posted day of ``channel``."""
    with engine.connect() as connection:
        row = connection.execute(
            select(daily_posts)
            .where(daily_posts.c.channel == channel, daily_posts.c.status == POSTED)
            .order_by(daily_posts.c.local_date.desc())
            .limit(1)
        ).first()
    return _entry(row) if row is not None else None
