"""Posting the term of the day exactly once: claim the day, choose, deliver, record.

``DailyPoster.post(channel, day)`` is the one path every post takes: the scheduler's cron
jobs, its catch-up sweep and ``lingo daily post``. ``preview`` shows the same post without
claiming anything, and ``todays_term`` answers ``/lingo today``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from bot.daily.delivery import Delivery, Outgoing
from bot.daily.ledger import (
    CLAIMED,
    DEFAULT_LEASE,
    FAILED,
    POSTED,
    SENDING,
    Claim,
    LedgerEntry,
    claim_day,
    mark_failed,
    mark_posted,
    mark_sending,
    read_entry,
    replace_choice,
)
from bot.daily.rotation import (
    Choice,
    choose_content,
    daily_digest,
    daily_term_ids,
    peek_content,
    term_order,
)
from bot.daily.subscriptions import get_subscription
from bot.errors import DeliveryFailed, LostClaim, UserError
from bot.glossary.live import LiveGlossary
from bot.glossary.model import Digest, DigestItem, Glossary, Term
from bot.ops.metrics import DAILY_POSTS
from bot.render.blocks.daily import daily_post_message
from bot.settings import Settings

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Status = Literal["posted", "found", "already_posted", "in_progress", "waiting", "failed"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DailyPost:
    """What one channel gets on one day: a term and, if there is a digest, one of its items."""

    channel: str
    day: date
    term: Term
    digest: Digest | None = None
    item: DigestItem | None = None


@dataclass(frozen=True)
class PostOutcome:
    """What ``DailyPoster.post`` did, with a sentence for people."""

    status: Status
    channel: str
    day: date
    message: str
    ts: str | None = None
    term_id: str | None = None

    @property
    def delivered(self) -> bool:
        """The day's message is in the channel (posted now, found, or earlier)."""
        return self.status in ("posted", "found", "already_posted")


def compose(glossary: Glossary, channel: str, day: date, choice: Choice) -> DailyPost | None:
    """The post for a stored choice; None if its term is no longer in the glossary."""
    term = glossary.terms.get(choice.term_id or "")
    if term is None:
        return None
    digest = glossary.digests.get(choice.digest_id or "")
    item = None
    if digest is not None:
        item = next((i for i in digest.items if i.id == choice.digest_item_id), None)
    return DailyPost(channel, day, term, digest if item else None, item)


def outgoing(post: DailyPost, glossary: Glossary, lang: str = "en") -> Outgoing:
    """The post as Slack will get it, in the channel's language."""
    message = daily_post_message(
        post.term, glossary, post.item, post.digest, day=post.day, lang=lang
    )
    return Outgoing(post.channel, post.day, message["text"], message["blocks"])


class DailyPoster:
    """Posts (channel, day) at most once, through the ledger; see docs/daily.md."""

    def __init__(
        self,
        engine: Engine,
        glossary: Callable[[], Glossary],
        delivery: Delivery,
        *,
        lease: timedelta = DEFAULT_LEASE,
        clock: Clock = utc_now,
    ) -> None:
        self._engine = engine
        self._glossary = glossary
        self._delivery = delivery
        self._lease = lease
        self._clock = clock

    def post(self, channel: str, day: date, *, retry_now: bool = False) -> PostOutcome:
        """Post the term of the day for (channel, day) unless it was posted or is being posted.

        ``retry_now`` retries a failed day at once instead of after its back-off.
        """
        glossary = self._glossary()
        now = self._clock()

        def choose(connection: Any) -> Choice:
            return choose_content(connection, channel, glossary, now)

        result = claim_day(
            self._engine,
            channel,
            day,
            now=now,
            choose=choose,
            lease=self._lease,
            retry_now=retry_now,
        )
        if isinstance(result, LedgerEntry):
            DAILY_POSTS.labels("already_claimed").inc()
            return self._not_claimed(result)
        return self._deliver(result, glossary)

    def _deliver(self, claim: Claim[Choice], glossary: Glossary) -> PostOutcome:
        channel, day = claim.channel, claim.day
        sending = False
        try:
            post = compose(glossary, channel, day, claim.choice)
            if post is None:  # its term left the glossary since the day was claimed
                claim = self._choose_again(claim, glossary)
                post = compose(glossary, channel, day, claim.choice)
            if post is None:
                raise DeliveryFailed(
                    "the glossary has no term for the daily post", maybe_sent=False
                )
            if claim.maybe_sent:
                since = claim.first_claimed_at - timedelta(minutes=1)
                found = self._delivery.find(channel, day, since)
                if found is not None:
                    mark_posted(self._engine, claim, found, now=self._clock())
                    DAILY_POSTS.labels("posted").inc()
                    logger.info(
                        "daily post %s %s: found %s from an earlier attempt", channel, day, found
                    )
                    return PostOutcome(
                        "found",
                        channel,
                        day,
                        f"The term of the day for {channel} on {day} had already gone out "
                        f"(an earlier attempt was interrupted); recorded message {found}.",
                        found,
                        post.term.id,
                    )
            mark_sending(self._engine, claim)
            sending = True
            ts = self._delivery.send(
                outgoing(post, glossary, channel_language(self._engine, channel))
            )
        except LostClaim:
            return self._taken_over(claim)
        except DeliveryFailed as failure:
            retry_at = mark_failed(
                self._engine,
                claim,
                error=str(failure),
                maybe_sent=failure.maybe_sent,
                now=self._clock(),
            )
            DAILY_POSTS.labels("failed").inc()
            logger.warning(
                "daily post %s %s failed (attempt %d): %s", channel, day, claim.attempt, failure
            )
            when = f" It will be tried again after {retry_at:%H:%M} UTC." if retry_at else ""
            return PostOutcome(
                "failed", channel, day, f"{failure}.{when}", term_id=claim.choice.term_id
            )
        except BaseException as error:
            self._release_after_bug(claim, error, sending=sending)
            raise
        clean = mark_posted(self._engine, claim, ts, now=self._clock())
        DAILY_POSTS.labels("posted").inc()
        if not clean:
            logger.error(
                "daily post %s %s: another process took the day over while this one was posting "
                "(the attempt outlived the lease); message %s is recorded",
                channel,
                day,
                ts,
            )
        logger.info("daily post %s %s: posted %s (%s)", channel, day, ts, post.term.id)
        return PostOutcome(
            "posted",
            channel,
            day,
            f"Posted the term of the day for {channel} on {day}: {post.term.name} (message {ts}).",
            ts,
            post.term.id,
        )

    def _choose_again(self, claim: Claim[Choice], glossary: Glossary) -> Claim[Choice]:
        now = self._clock()

        def choose(connection: Any) -> Choice:
            return choose_content(connection, claim.channel, glossary, now)

        return replace_choice(self._engine, claim, choose)

    def _release_after_bug(
        self, claim: Claim[Choice], error: BaseException, *, sending: bool
    ) -> None:
        try:
            mark_failed(
                self._engine,
                claim,
                error=f"unexpected {type(error).__name__}: {error}",
                maybe_sent=sending,
                now=self._clock(),
            )
        except Exception:
            logger.exception("could not release the daily post %s %s", claim.channel, claim.day)

    def _taken_over(self, claim: Claim[Choice]) -> PostOutcome:
        return PostOutcome(
            "in_progress",
            claim.channel,
            claim.day,
            f"Nothing posted: another process took over {claim.channel} on {claim.day}.",
        )

    def _not_claimed(self, entry: LedgerEntry[Choice]) -> PostOutcome:
        channel, day = entry.channel, entry.day
        if entry.status == POSTED:
            return PostOutcome(
                "already_posted",
                channel,
                day,
                f"Nothing posted: {channel} already got its term of the day for {day} "
                f"(message {entry.message_ts}).",
                entry.message_ts,
                entry.choice.term_id,
            )
        if entry.status in (CLAIMED, SENDING):
            until = entry.claimed_at + self._lease
            return PostOutcome(
                "in_progress",
                channel,
                day,
                f"Nothing posted: another process is posting the term of the day for {channel} on "
                f"{day} (claimed at {entry.claimed_at:%H:%M:%S} UTC; if it died, the day is "
                f"taken over after {until:%H:%M} UTC).",
                term_id=entry.choice.term_id,
            )
        assert entry.status == FAILED
        when = f"{entry.retry_at:%H:%M} UTC" if entry.retry_at else "soon"
        return PostOutcome(
            "waiting",
            channel,
            day,
            f"Nothing posted: the last attempt for {channel} on {day} failed ({entry.last_error}); "
            f"it is retried after {when}.",
            term_id=entry.choice.term_id,
        )


# -- reading without posting ---------------------------------------------------------------------


def default_choice(glossary: Glossary, day: date) -> Choice:
    """A term and digest item for ``day`` that needs no database: for /lingo today anywhere.

    Each daily term comes once every n days (n terms), in a shuffled order per cycle.
    """
    ids = daily_term_ids(glossary)
    term_id = None
    if ids:
        number = day.toordinal()
        cycle, place = divmod(number, len(ids))
        order = term_order("*")
        term_id = sorted(ids, key=lambda i: (order(cycle, i), i))[place]
    digest = daily_digest(glossary)
    if digest is None or not digest.items:
        return Choice(term_id)
    item = digest.items[day.toordinal() % len(digest.items)]
    return Choice(term_id, digest.id, item.id)


def preview(
    engine: Engine | None, glossary: Glossary, channel: str | None, day: date
) -> tuple[DailyPost | None, LedgerEntry[Choice] | None]:
    """The post (channel, day) gets or got, and its ledger row; changes nothing.

    A day already claimed shows its recorded content; otherwise the next of the channel's
    rotations. Without a channel, the database-free default.
    """
    if channel is None:
        return compose(glossary, "", day, default_choice(glossary, day)), None
    entry = read_entry(engine, channel, day) if engine is not None else None
    if entry is not None:
        post = compose(glossary, channel, day, entry.choice)
        if post is not None:
            return post, entry
    return compose(glossary, channel, day, peek_content(engine, channel, glossary)), entry


def channel_language(engine: Engine, channel: str) -> str:
    """The language of ``channel``'s post (`/lingo subscribe ... lang=ko`); English if unset."""
    subscription = get_subscription(engine, channel)
    return subscription.lang if subscription is not None else "en"


def local_today(
    engine: Engine | None, settings: Settings, channel: str | None, now: datetime
) -> date:
    """Today in the channel's time zone (its subscription's, else LINGO_TIMEZONE)."""
    if engine is not None and channel:
        try:
            subscription = get_subscription(engine, channel)
        except DBAPIError:  # the tables do not exist yet: nobody subscribed
            subscription = None
        if subscription is not None:
            return subscription.today(now)
    return now.astimezone(ZoneInfo(settings.timezone)).date()


def todays_term(
    engine: Engine | None,
    glossary: Glossary,
    settings: Settings,
    channel: str | None = None,
    *,
    now: datetime | None = None,
) -> Term:
    """The term of the day for ``channel``: posted today, else the one that will be.

    Without a channel: that of the first LINGO_DAILY_CHANNELS channel, else a default that
    changes every day. Falls back to the first daily term if the database cannot be read.
    """
    now = now or utc_now()
    channel = channel or (settings.daily_channels[0] if settings.daily_channels else None)
    try:
        day = local_today(engine, settings, channel, now)
        post, _ = preview(engine, glossary, channel, day)
    except Exception:
        logger.exception("could not read today's term; showing the first daily term")
        post = None
    if post is not None:
        return post.term
    fallback = glossary.fallback_daily_term()
    if fallback is None:
        raise UserError("The glossary is empty: there is no term of the day yet.")
    return fallback


class TodaysTerm:
    """``deps.today``: the term of the day, for a channel or (called without one) the default."""

    def __init__(self, engine: Engine | None, live: LiveGlossary, settings: Settings) -> None:
        self._engine = engine
        self._live = live
        self._settings = settings

    def __call__(self, channel: str | None = None) -> Term:
        return todays_term(self._engine, self._live.current().glossary, self._settings, channel)
