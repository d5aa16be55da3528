"""Which term and which digest item come next in a channel.

Each channel has its own rotation of terms and, separately, of each digest. A rotation
goes in cycles: every eligible id appears once per cycle, in that cycle's order, before any
appears again. The state is the cycle number and the ids shown in it, so terms added
midway join the current cycle and removed terms are simply never picked.

Terms follow a shuffled order that differs per channel and per cycle: each term's place is
a hash of (channel, cycle, term id), so adding or removing a term does not reorder the
others. Digest items follow the file's order: a digest is a series meant to be read in
sequence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, inspect, select, update

from bot.glossary.model import Digest, Glossary
from bot.store.engine import insert_for
from bot.store.tables import rotations

TERMS = "terms"
# The digest posted beside the term; another digest is used only if this one is missing.
DEFAULT_DIGEST = "multi-token-prediction"

Order = Callable[[int, str], object]  # (cycle, id) → a sort key


@dataclass(frozen=True)
class RotationState:
    """Where a rotation stands: its cycle, the ids shown in it, the last id shown."""

    cycle: int = 0
    shown: tuple[str, ...] = ()
    last: str | None = None


def advance(
    state: RotationState, ids: Sequence[str], order: Order
) -> tuple[str | None, RotationState]:
    """The next id and the state after it; None when there is nothing to pick.

    The next id is the first in the cycle's order not shown in the cycle yet; when every
    id was shown, a new cycle starts. A new cycle never starts with the id that ended the
    last one, so no id comes twice in a row.
    """
    available = set(ids)
    if not available:
        return None, state
    cycle, shown = state.cycle, state.shown
    remaining = available - set(shown)
    if not remaining:
        cycle, shown, remaining = cycle + 1, (), available
    ranked = sorted(remaining, key=lambda item: (order(cycle, item), item))
    pick = ranked[1] if len(ranked) > 1 and ranked[0] == state.last else ranked[0]
    return pick, RotationState(cycle, (*shown, pick), pick)


def term_order(channel: str) -> Order:
    """A shuffled order of terms that differs per channel and cycle, stable as terms come and go."""

    def key(cycle: int, term_id: str) -> str:
        return hashlib.sha256(f"{channel}\0{cycle}\0{term_id}".encode()).hexdigest()

    return key


def file_order(ids: Sequence[str]) -> Order:
    """The order the ids are written in (a digest's items)."""
    position = {item: index for index, item in enumerate(ids)}
    return lambda _cycle, item: position.get(item, len(position))


def daily_term_ids(glossary: Glossary) -> list[str]:
    """Terms that may be the term of the day (``daily: false`` keeps a term out)."""
    return [t.id for t in glossary.terms.values() if t.daily]


def daily_digest(glossary: Glossary) -> Digest | None:
    """The digest posted beside the term: multi-token-prediction, else the first by id."""
    if DEFAULT_DIGEST in glossary.digests:
        return glossary.digests[DEFAULT_DIGEST]
    return next((glossary.digests[d] for d in sorted(glossary.digests)), None)


def digest_series(digest_id: str) -> str:
    return f"digest:{digest_id}"


@dataclass(frozen=True)
class Choice:
    """The content chosen for one day: a term and, if there is a digest, one of its items."""

    term_id: str | None
    digest_id: str | None = None
    digest_item_id: str | None = None


# -- in the database ---------------------------------------------------------------------------


def load_state(connection: Connection, channel: str, series: str) -> RotationState:
    row = connection.execute(
        select(rotations).where(rotations.c.channel == channel, rotations.c.series == series)
    ).first()
    if row is None:
        return RotationState()
    return RotationState(row.cycle, tuple(row.shown or ()), row.last_id)


def take_next(
    connection: Connection,
    channel: str,
    series: str,
    ids: Sequence[str],
    order: Order,
    now: datetime,
) -> str | None:
    """Pick the next id and move the rotation on, inside the caller's transaction.

    The state row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer
    at a time), so two days posted at once in one channel never pick the same id.
    """
    connection.execute(
        insert_for(connection, rotations)
        .values(channel=channel, series=series, cycle=0, shown=[], last_id=None, updated_at=now)
        .on_conflict_do_nothing(index_elements=["channel", "series"])
    )
    row = connection.execute(
        select(rotations)
        .where(rotations.c.channel == channel, rotations.c.series == series)
        .with_for_update()
    ).one()
    state = RotationState(row.cycle, tuple(row.shown or ()), row.last_id)
    pick, after = advance(state, ids, order)
    if pick is not None:
        connection.execute(
            update(rotations)
            .where(rotations.c.channel == channel, rotations.c.series == series)
            .values(cycle=after.cycle, shown=list(after.shown), last_id=after.last, updated_at=now)
        )
    return pick


def choose_content(
    connection: Connection, channel: str, glossary: Glossary, now: datetime
) -> Choice:
    """Take the next term and the next digest item for ``channel`` (moves both rotations)."""
    term_id = take_next(
        connection, channel, TERMS, daily_term_ids(glossary), term_order(channel), now
    )
    digest = daily_digest(glossary)
    if digest is None:
        return Choice(term_id)
    item_ids = [item.id for item in digest.items]
    item_id = take_next(
        connection, channel, digest_series(digest.id), item_ids, file_order(item_ids), now
    )
    return Choice(term_id, digest.id, item_id)


def peek_content(engine: Engine | None, channel: str, glossary: Glossary) -> Choice:
    """What ``choose_content`` would take next, without changing anything.

    Works on a database whose tables do not exist yet (a fresh clone's preview).
    """
    states = {TERMS: RotationState()}
    digest = daily_digest(glossary)
    if digest is not None:
        states[digest_series(digest.id)] = RotationState()
    if engine is not None:
        with engine.connect() as connection:
            if inspect(connection).has_table(rotations.name):
                states = {series: load_state(connection, channel, series) for series in states}
    term_id, _ = advance(states[TERMS], daily_term_ids(glossary), term_order(channel))
    if digest is None:
        return Choice(term_id)
    item_ids = [item.id for item in digest.items]
    item_id, _ = advance(states[digest_series(digest.id)], item_ids, file_order(item_ids))
    return Choice(term_id, digest.id, item_id)
