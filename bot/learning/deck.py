"""When a term in someone's review deck is due again: FSRS, through the ``fsrs`` package.

FSRS (the Free Spaced Repetition Scheduler that modern flashcard apps use) keeps, per card,
how stable the memory is and how difficult the card is, and schedules the next review for
when the chance of still remembering drops to the desired retention (90%). A review here is
one quiz question in the daily review message: right counts as *Good*, wrong as *Again*.

Reviews come at most once a day, so the scheduler has no minute-long learning steps: a card
goes straight to day intervals. Fuzzing is off, so the same answers give the same dates
(tests and people can reason about it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler
from fsrs.card import CardDict

_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Review:
    """A card's state after a review: what to store and when it is due next."""

    state: CardDict
    due: datetime


def new_card(now: datetime) -> Review:
    """A card added to a deck at ``now``: due at once (the next daily review)."""
    card = Card(due=_utc(now))
    return Review(card.to_dict(), card.due)


def review(state: CardDict, correct: bool, now: datetime) -> Review:
    """The card ``state`` after one answer at ``now``."""
    card = Card.from_dict(state)
    rating = Rating.Good if correct else Rating.Again
    card, _ = _SCHEDULER.review_card(card, rating, _utc(now))
    return Review(card.to_dict(), card.due)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime; reviews are scheduled in aware UTC times")
    return moment.astimezone(UTC)
