"""The daily review DM: at the person's time, their due cards as quiz questions, once a day.

``ReviewSender.send(person, day)`` is the one path every review DM takes, through the
review ledger (``review_messages``, the same claim-and-record rules as the term of the day,
bot.store.ledger): exactly one DM per person and local date, across restarts and replicas.
What the DM asks is chosen in the claiming transaction and stored, so a retry sends the
same questions. ``ReviewSweep.sweep`` runs every minute in the scheduler service
(bot.daily.scheduler) and sends every review that is due and not yet sent.

A day's DM holds at most five questions, the most overdue first; a day with nothing due
gets none. After five review DMs in a row without an answer, the sixth is a short note
that the reviews are paused; ``/lingo learn on`` resumes them.

Each DM is in the person's language: ``ReviewSender``'s ``language(user_id)`` (the
runtime gives it ``ReaderLanguages``: the `/lingo lang` choice, else the cached Slack
locale, asking ``users.info`` only when nothing is cached).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Engine, select

from bot.daily.delivery import REVIEW_EVENT_TYPE, Outgoing
from bot.daily.post import Clock, utc_now
from bot.errors import DeliveryFailed, LostClaim
from bot.glossary.model import Glossary
from bot.learning.quiz import NotEnoughTerms, Question, make_question
from bot.learning.store import (
    Person,
    answered_review_days,
    due_cards,
    pause,
    purge_old_answers,
    reviewing_people,
)
from bot.render.blocks.learning import paused_message, review_message
from bot.store.ledger import (
    DEFAULT_LEASE,
    POSTED,
    ChoiceColumns,
    Claim,
    Ledger,
    LedgerEntry,
)
from bot.store.tables import review_messages

logger = logging.getLogger(__name__)

MAX_REVIEWS = 5
PAUSE_AFTER = 5  # unanswered review DMs in a row
PAUSED, NOTHING_DUE = "paused", "nothing"
PURGE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class ReviewChoice:
    """What a day's review DM holds: the terms asked, or a notice instead."""

    term_ids: tuple[str, ...] | None = None
    notice: str | None = None


def _write(choice: ReviewChoice) -> dict[str, Any]:
    ids = list(choice.term_ids) if choice.term_ids is not None else None
    return {"term_ids": ids, "notice": choice.notice}


def _read(row: Any) -> ReviewChoice:
    ids = tuple(row.term_ids) if row.term_ids is not None else None
    return ReviewChoice(ids, row.notice)


REVIEW_LEDGER: Ledger[ReviewChoice] = Ledger(
    review_messages,
    "user_id",
    ChoiceColumns(_write, _read, lambda c: c.term_ids is None and c.notice is None),
)


def choose_reviews(
    connection: Connection, person: Person, day: date, glossary: Glossary
) -> ReviewChoice:
    """The day's reviews: the pause notice after five unanswered DMs, else up to five due terms."""
    recent = connection.execute(
        select(review_messages.c.local_date)
        .where(
            review_messages.c.user_id == person.user_id,
            review_messages.c.status == POSTED,
            review_messages.c.notice.is_(None),
            review_messages.c.local_date < day,
            *(
                [review_messages.c.posted_at >= person.changed_at]
                if person.changed_at is not None
                else []
            ),
        )
        .order_by(review_messages.c.local_date.desc())
        .limit(PAUSE_AFTER)
    ).all()
    days = [row.local_date for row in recent]
    if len(days) == PAUSE_AFTER and not answered_review_days(connection, person.user_id, days):
        return ReviewChoice((), PAUSED)
    due = [
        t for t in due_cards(connection, person, day, limit=MAX_REVIEWS * 4) if t in glossary.terms
    ]
    if not due:
        return ReviewChoice((), NOTHING_DUE)
    return ReviewChoice(tuple(due[:MAX_REVIEWS]))


def review_questions(
    glossary: Glossary, user_id: str, day: date, term_ids: tuple[str, ...], lang: str = "en"
) -> list[Question]:
    """One question per term, the same for the same person and day (a retry sends the same)."""
    rng = random.Random(f"{user_id}:{day.isoformat()}")  # noqa: S311 - not for secrets
    questions = []
    for term_id in term_ids:
        try:
            questions.append(make_question(glossary, rng, term_id=term_id, lang=lang))
        except NotEnoughTerms:
            continue  # left the glossary, or the glossary is too small to ask
    return questions


class DirectMessages(Protocol):
    """What the review DM needs from Slack (bot.daily.delivery.SlackDelivery has it)."""

    def open_dm(self, user_id: str) -> str: ...

    def send(self, post: Outgoing) -> str: ...

    def find(
        self, channel: str, day: date, since: datetime, event_type: str = ...
    ) -> str | None: ...


Status = Literal["sent", "found", "paused", "nothing_due", "already", "in_progress", "failed"]


@dataclass(frozen=True)
class ReviewOutcome:
    status: Status
    user_id: str
    day: date
    ts: str | None = None
    term_ids: tuple[str, ...] = ()


def _in_english(_user_id: str) -> str:
    return "en"


class ReviewSender:
    """Sends (person, day)'s review DM at most once, through the review ledger."""

    def __init__(
        self,
        engine: Engine,
        glossary: Callable[[], Glossary],
        delivery: DirectMessages,
        *,
        lease: timedelta = DEFAULT_LEASE,
        clock: Clock = utc_now,
        language: Callable[[str], str] | None = None,
    ) -> None:
        self._engine = engine
        self._glossary = glossary
        self._delivery = delivery
        self._language = language or _in_english
        self._lease = lease
        self._clock = clock

    def send(self, person: Person, day: date) -> ReviewOutcome:
        glossary = self._glossary()
        user = person.user_id

        def choose(connection: Connection) -> ReviewChoice:
            return choose_reviews(connection, person, day, glossary)

        result = REVIEW_LEDGER.claim_day(
            self._engine, user, day, now=self._clock(), choose=choose, lease=self._lease
        )
        if isinstance(result, LedgerEntry):
            status: Status = "already" if result.status == POSTED else "in_progress"
            return ReviewOutcome(status, user, day, result.message_ts)
        return self._deliver(result, person, glossary)

    def _deliver(
        self, claim: Claim[ReviewChoice], person: Person, glossary: Glossary
    ) -> ReviewOutcome:
        user, day, choice = claim.target, claim.day, claim.choice
        ids = choice.term_ids or ()
        if choice.notice == NOTHING_DUE:
            # Nothing was due after all: the day is recorded as done, nothing is sent.
            REVIEW_LEDGER.mark_posted(self._engine, claim, "", now=self._clock())
            return ReviewOutcome("nothing_due", user, day)
        sending = False
        try:
            lang = self._language(user)
            if choice.notice == PAUSED:
                message = paused_message(PAUSE_AFTER, lang)
            else:
                questions = review_questions(glossary, user, day, ids, lang)
                message = review_message(day, questions, glossary, lang)
            channel = self._delivery.open_dm(user)
            found = None
            if claim.maybe_sent:
                since = claim.first_claimed_at - timedelta(minutes=1)
                found = self._delivery.find(channel, day, since, REVIEW_EVENT_TYPE)
            if found is None:
                REVIEW_LEDGER.mark_sending(self._engine, claim)
                sending = True
                outgoing = Outgoing(
                    channel, day, message["text"], message["blocks"], REVIEW_EVENT_TYPE
                )
                found = self._delivery.send(outgoing)
        except LostClaim:
            return ReviewOutcome("in_progress", user, day)
        except DeliveryFailed as failure:
            REVIEW_LEDGER.mark_failed(
                self._engine,
                claim,
                error=str(failure),
                maybe_sent=failure.maybe_sent,
                now=self._clock(),
            )
            logger.warning("review DM %s %s failed: %s", user, day, failure)
            return ReviewOutcome("failed", user, day)
        except BaseException as error:
            REVIEW_LEDGER.mark_failed(
                self._engine,
                claim,
                error=f"unexpected {type(error).__name__}: {error}",
                maybe_sent=sending,
                now=self._clock(),
            )
            raise
        REVIEW_LEDGER.mark_posted(self._engine, claim, found, now=self._clock())
        if choice.notice == PAUSED:
            pause(self._engine, user, now=self._clock())
            logger.info("review DM %s %s: paused after %d unanswered", user, day, PAUSE_AFTER)
            return ReviewOutcome("paused", user, day, found)
        logger.info("review DM %s %s: sent %d reviews (%s)", user, day, len(ids), found)
        return ReviewOutcome("sent" if sending else "found", user, day, found, ids)


class ReviewSweep:
    """Every minute: send each review DM that is due and neither sent nor in progress."""

    def __init__(
        self,
        engine: Engine,
        sender: ReviewSender,
        *,
        lease: timedelta = DEFAULT_LEASE,
        clock: Clock = utc_now,
    ) -> None:
        self._engine = engine
        self._sender = sender
        self._lease = lease
        self._clock = clock
        self._purged_at: datetime | None = None

    def sweep(self) -> list[ReviewOutcome]:
        now = self._clock()
        people = {p.user_id: p for p in reviewing_people(self._engine)}
        due = {user: d for user, p in people.items() if (d := p.due_day(now)) is not None}
        entries = REVIEW_LEDGER.entries_for(self._engine, due)
        outcomes = []
        for user, day in due.items():
            entry = entries.get(user)
            if entry is not None and entry.settled(now, self._lease):
                continue
            if entry is None and not self._has_due(people[user], day):
                continue  # nothing due today: no DM, and no row
            try:
                outcomes.append(self._sender.send(people[user], day))
            except Exception:
                logger.exception("review DM %s %s: unexpected error", user, day)
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            self._purged_at = now
            purge_old_answers(self._engine, now=now)
        return outcomes

    def _has_due(self, person: Person, day: date) -> bool:
        with self._engine.connect() as connection:
            return bool(due_cards(connection, person, day, limit=1))
