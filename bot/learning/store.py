"""What the learning features keep per person, and the only code that reads or writes it.

Every row here belongs to one person (``user_id``) and is shown to that person only; the
admin stats (bot.admin.stats) read aggregates, never who. ``forget`` deletes all of it.

    learning_people   opted in or not, the time and zone of the daily review DM
    learning_cards    the review deck: one FSRS card per term (bot.learning.deck)
    quiz_answers      one answer per question and person, the first click counts
    clarity_votes     "Was this clear?" per term and person, an optional comment
    review_messages   the review DMs sent (bot.learning.reviews, the ledger)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, delete, func, select, update

from bot.learning import deck
from bot.store.engine import insert_for
from bot.store.tables import (
    LEARNING_TABLES,
    clarity_votes,
    learning_cards,
    learning_people,
    quiz_answers,
)

Source = Literal["lookup", "wrong", "added"]
DEFAULT_REVIEW_TIME = time(9, 0)
# A card whose next review is this far after its last one is "learned" (Anki calls it mature).
LEARNED_INTERVAL = timedelta(days=21)
# How long answers are kept: enough for a year of streaks and stats, then deleted.
KEEP_ANSWERS = timedelta(days=365)
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Person:
    """Someone who opted in to reviews (or did and turned them off)."""

    user_id: str
    active: bool
    at: time
    timezone: str
    paused_at: datetime | None
    changed_at: datetime | None = None  # the last learn on / off: unanswered days count after it

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def reviewing(self) -> bool:
        """Learning is on and the reviews have not paused themselves."""
        return self.active and self.paused_at is None

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def review_at(self, day: date) -> datetime:
        """The instant of ``day``'s review, in UTC.

        A local time that does not exist (02:30 on the spring-forward night) means the
        instant one hour later by the clock; one that occurs twice (the fall-back night)
        means its first occurrence: the same rule as the daily post's schedule.
        """
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)

    def end_of(self, day: date) -> datetime:
        """The instant ``day`` ends in this person's zone (UTC)."""
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone).astimezone(UTC)

    def due_day(self, now: datetime) -> date | None:
        """The local date whose review DM is due at ``now``: reviewing, and its time has passed."""
        if not self.reviewing:
            return None
        day = self.today(now)
        return day if self.review_at(day) <= now else None

    def next_review_at(self, now: datetime) -> datetime:
        """The next review instant after ``now`` (UTC)."""
        day = self.today(now)
        at = self.review_at(day)
        return at if at > now else self.review_at(day + timedelta(days=1))


def _person(row: Any) -> Person:
    hours, minutes = (int(p) for p in row.review_time.split(":"))
    return Person(
        row.user_id,
        bool(row.active),
        time(hours, minutes),
        row.timezone,
        row.paused_at,
        row.changed_at,
    )


# -- opting in and out -----------------------------------------------------------------------


def get_person(engine: Engine, user_id: str) -> Person | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(learning_people).where(learning_people.c.user_id == user_id)
        ).first()
    return _person(row) if row is not None else None


def reviewing_people(engine: Engine) -> list[Person]:
    """Everyone whose review DM may go out: learning on, not paused."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(learning_people)
            .where(learning_people.c.active.is_(True), learning_people.c.paused_at.is_(None))
            .order_by(learning_people.c.user_id)
        ).all()
    return [_person(row) for row in rows]


def learn_on(
    engine: Engine, user_id: str, *, at: time | None, timezone: str, now: datetime
) -> Person:
    """Turn learning on (resuming paused reviews); ``at`` None keeps the time set before."""
    with engine.begin() as connection:
        row = connection.execute(
            select(learning_people).where(learning_people.c.user_id == user_id)
        ).first()
        when = at or (_person(row).at if row is not None else DEFAULT_REVIEW_TIME)
        values = {
            "active": True,
            "review_time": f"{when:%H:%M}",
            "timezone": timezone,
            "paused_at": None,
            "changed_at": now,
        }
        if row is None:
            connection.execute(
                learning_people.insert().values(user_id=user_id, created_at=now, **values)
            )
        else:
            connection.execute(
                update(learning_people).where(learning_people.c.user_id == user_id).values(**values)
            )
    person = get_person(engine, user_id)
    assert person is not None
    return person


def learn_off(engine: Engine, user_id: str, *, now: datetime) -> bool:
    """Turn learning off; False if it was not on. The deck is kept until ``forget``."""
    with engine.begin() as connection:
        changed = connection.execute(
            update(learning_people)
            .where(learning_people.c.user_id == user_id, learning_people.c.active.is_(True))
            .values(active=False, changed_at=now)
        ).rowcount
    return changed == 1


def pause(engine: Engine, user_id: str, *, now: datetime) -> None:
    """The reviews paused themselves (unanswered days); ``learn_on`` resumes them."""
    with engine.begin() as connection:
        connection.execute(
            update(learning_people)
            .where(learning_people.c.user_id == user_id)
            .values(paused_at=now, changed_at=now)
        )


# -- the deck ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    term_id: str
    source: str
    due: datetime
    reviews: int
    added_at: datetime
    reviewed_at: datetime | None

    @property
    def learned(self) -> bool:
        return self.reviewed_at is not None and self.due - self.reviewed_at >= LEARNED_INTERVAL


def _card(row: Any) -> Card:
    return Card(row.term_id, row.source, row.due, row.reviews, row.added_at, row.reviewed_at)


def add_card(engine: Engine, user_id: str, term_id: str, source: Source, *, now: datetime) -> bool:
    """Put ``term_id`` in the deck, due at the next review; False if it was there already."""
    new = deck.new_card(now)
    with engine.begin() as connection:
        inserted = connection.execute(
            insert_for(connection, learning_cards)
            .values(
                user_id=user_id,
                term_id=term_id,
                source=source,
                state=new.state,
                due=new.due,
                reviews=0,
                added_at=now,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "term_id"])
            .returning(learning_cards.c.term_id)
        ).first()
    return inserted is not None


def is_learning(engine: Engine, user_id: str) -> bool:
    """True if ``user_id`` turned learning on (and not off again)."""
    person = get_person(engine, user_id)
    return person is not None and person.active


def cards(engine: Engine, user_id: str) -> list[Card]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(learning_cards)
            .where(learning_cards.c.user_id == user_id)
            .order_by(learning_cards.c.due, learning_cards.c.term_id)
        ).all()
    return [_card(row) for row in rows]


def due_cards(connection: Connection, person: Person, day: date, *, limit: int) -> list[str]:
    """The terms of ``day``'s review: due by the end of that day, in the deck before its time.

    A card added after the day's review time (a lookup in the afternoon) waits for the next
    day, so a review never arrives at an odd hour; most overdue first.
    """
    rows = connection.execute(
        select(learning_cards.c.term_id)
        .where(
            learning_cards.c.user_id == person.user_id,
            learning_cards.c.due < person.end_of(day),
            learning_cards.c.added_at <= person.review_at(day),
        )
        .order_by(learning_cards.c.due, learning_cards.c.term_id)
        .limit(limit)
    ).all()
    return [row.term_id for row in rows]


def review_card(
    connection: Connection, user_id: str, term_id: str, correct: bool, *, now: datetime
) -> datetime | None:
    """Schedule the card after one review answer; its next due time (None: not in the deck)."""
    row = connection.execute(
        select(learning_cards.c.state).where(
            learning_cards.c.user_id == user_id, learning_cards.c.term_id == term_id
        )
    ).first()
    if row is None:
        return None
    after = deck.review(row.state, correct, now)
    connection.execute(
        update(learning_cards)
        .where(learning_cards.c.user_id == user_id, learning_cards.c.term_id == term_id)
        .values(
            state=after.state,
            due=after.due,
            reviews=learning_cards.c.reviews + 1,
            reviewed_at=now,
        )
    )
    return after.due


# -- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An answer as stored; ``first`` is False when this click repeated an earlier one."""

    question_id: str
    term_id: str
    chosen_id: str | None
    correct: bool
    review_day: date | None
    first: bool
    next_due: datetime | None = None


def record_answer(
    engine: Engine,
    user_id: str,
    *,
    question_id: str,
    term_id: str,
    chosen_id: str | None,
    correct: bool,
    kind: str,
    review_day: date | None,
    now: datetime,
) -> Answer:
    """Store the answer once per (question, person) and act on it once.

    The first answer of a review question moves its card (FSRS); a wrong quiz answer puts
    the term in the deck of someone learning. A repeat (a retry, a double click, another
    button of the same question) changes nothing and returns the answer stored first.
    """
    with engine.begin() as connection:
        inserted = connection.execute(
            insert_for(connection, quiz_answers)
            .values(
                question_id=question_id,
                user_id=user_id,
                term_id=term_id,
                chosen_id=chosen_id,
                correct=correct,
                kind=kind,
                review_day=review_day,
                answered_at=now,
            )
            .on_conflict_do_nothing(index_elements=["question_id", "user_id"])
            .returning(quiz_answers.c.question_id)
        ).first()
        if inserted is None:
            row = connection.execute(
                select(quiz_answers).where(
                    quiz_answers.c.question_id == question_id, quiz_answers.c.user_id == user_id
                )
            ).one()
            return Answer(
                question_id, row.term_id, row.chosen_id, bool(row.correct), row.review_day, False
            )
        next_due = None
        if review_day is not None:
            next_due = review_card(connection, user_id, term_id, correct, now=now)
    if review_day is None and not correct:
        note = get_person(engine, user_id)
        if note is not None and note.active:
            add_card(engine, user_id, term_id, "wrong", now=now)
    return Answer(question_id, term_id, chosen_id, correct, review_day, True, next_due)


def answered_review_days(connection: Connection, user_id: str, days: list[date]) -> set[date]:
    """Which of ``days``' review DMs got at least one answer."""
    if not days:
        return set()
    rows = connection.execute(
        select(quiz_answers.c.review_day)
        .where(quiz_answers.c.user_id == user_id, quiz_answers.c.review_day.in_(days))
        .distinct()
    ).all()
    return {row.review_day for row in rows}


def purge_old_answers(engine: Engine, *, now: datetime) -> int:
    """Delete answers older than KEEP_ANSWERS; how many went."""
    with engine.begin() as connection:
        return int(
            connection.execute(
                delete(quiz_answers).where(quiz_answers.c.answered_at < now - KEEP_ANSWERS)
            ).rowcount
        )


# -- a person's progress -----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """What the App Home shows a person about their own learning."""

    person: Person | None
    learning: int
    learned: int
    streak: int
    answered: int
    right: int
    next_review: datetime | None


def progress(engine: Engine, user_id: str, *, now: datetime, zone: str = "UTC") -> Progress:
    """Cards learning and learned, the streak of days with an answer, the next review."""
    person = get_person(engine, user_id)
    deck_cards = cards(engine, user_id)
    tz = person.zone if person is not None else ZoneInfo(zone)
    with engine.connect() as connection:
        rows = connection.execute(
            select(quiz_answers.c.answered_at, quiz_answers.c.correct).where(
                quiz_answers.c.user_id == user_id
            )
        ).all()
    days = {row.answered_at.astimezone(tz).date() for row in rows}
    streak = 0
    day = now.astimezone(tz).date()
    if day not in days:
        day -= timedelta(days=1)  # today's answer may still come: yesterday keeps it alive
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    next_review = None
    if person is not None and person.reviewing and deck_cards:
        first_due = min(c.due for c in deck_cards)
        next_review = person.next_review_at(now)
        while person.end_of(person.today(next_review)) <= first_due:
            next_review = person.review_at(person.today(next_review) + timedelta(days=1))
    learned = sum(1 for c in deck_cards if c.learned)
    return Progress(
        person=person,
        learning=len(deck_cards) - learned,
        learned=learned,
        streak=streak,
        answered=len(rows),
        right=sum(1 for row in rows if row.correct),
        next_review=next_review,
    )


# -- clarity votes -----------------------------------------------------------------------------


def vote(engine: Engine, user_id: str, term_id: str, clear: bool, *, now: datetime) -> None:
    """One vote per person and term; a second click changes it (and keeps a comment)."""
    with engine.begin() as connection:
        inserted = connection.execute(
            insert_for(connection, clarity_votes)
            .values(term_id=term_id, user_id=user_id, clear=clear, voted_at=now)
            .on_conflict_do_nothing(index_elements=["term_id", "user_id"])
            .returning(clarity_votes.c.term_id)
        ).first()
        if inserted is None:
            connection.execute(
                update(clarity_votes)
                .where(clarity_votes.c.term_id == term_id, clarity_votes.c.user_id == user_id)
                .values(clear=clear, voted_at=now)
            )


def comment(engine: Engine, user_id: str, term_id: str, text: str, *, now: datetime) -> None:
    """What was unclear: stored with the person's "no" vote."""
    text = " ".join(text.split())[:MAX_COMMENT]
    vote(engine, user_id, term_id, False, now=now)
    with engine.begin() as connection:
        connection.execute(
            update(clarity_votes)
            .where(clarity_votes.c.term_id == term_id, clarity_votes.c.user_id == user_id)
            .values(comment=text or None)
        )


# -- forget me -----------------------------------------------------------------------------------


def forget(engine: Engine, user_id: str) -> dict[str, int]:
    """Delete every learning row of ``user_id``, in every learning table; table → rows deleted."""
    deleted: dict[str, int] = {}
    with engine.begin() as connection:
        for table in LEARNING_TABLES:
            deleted[table.name] = int(
                connection.execute(delete(table).where(table.c.user_id == user_id)).rowcount
            )
    return deleted


def rows_of(engine: Engine, user_id: str) -> dict[str, int]:
    """How many rows ``user_id`` has in each learning table (what forget would delete)."""
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(
                    select(func.count()).select_from(table).where(table.c.user_id == user_id)
                ).scalar_one()
            )
            for table in LEARNING_TABLES
        }
