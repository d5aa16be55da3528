"""When the term of the day (and the review DMs) go out: APScheduler cron jobs plus sweeps.

Each active subscription has a cron job (its hour, minute, days and time zone). A sweep
runs at start and then every minute: it re-reads the subscriptions (a change made with
/lingo, in any process, takes effect within a minute, no restart) and posts every day
that is due but not posted: a run missed while the bot was down (back at 09:40 for
09:00 posts at once), a failed post whose back-off has passed, a claim whose owner died.
Whether a day is due is decided by ``Subscription.due_day`` alone, so a day that has ended
is never posted late; the ledger makes every extra run (two replicas, the sweep and a cron
job at once, the fall-back hour that happens twice) post nothing.

The review DMs (bot.learning.reviews) have one more sweep job, every minute, on the same
scheduler: each person's review goes out within a minute of their time, through the review
ledger, so the same rules hold for them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from bot.daily.days import expand_days
from bot.daily.delivery import Delivery, SlackDelivery
from bot.daily.ledger import DEFAULT_LEASE, entries_for
from bot.daily.post import Clock, DailyPoster, PostOutcome, utc_now
from bot.daily.subscriptions import (
    Subscription,
    active_subscriptions,
    get_subscription,
    seed_from_settings,
)
from bot.glossary.live import LiveGlossary
from bot.learning.reviews import DirectMessages, ReviewSender, ReviewSweep
from bot.settings import Settings

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0
SWEEP_JOB = "daily:sweep"
REVIEW_SWEEP_JOB = "reviews:sweep"


def cron_trigger(subscription: Subscription) -> CronTrigger:
    """The subscription's schedule as an APScheduler trigger, in its own time zone."""
    return CronTrigger(
        hour=subscription.at.hour,
        minute=subscription.at.minute,
        day_of_week=",".join(expand_days(subscription.days)),
        timezone=subscription.zone,
    )


class DailyScheduler:
    """The jobs of one process. Any number of processes may run one: the ledger decides."""

    def __init__(
        self,
        engine: Engine,
        poster: DailyPoster,
        *,
        sweep_seconds: float = SWEEP_SECONDS,
        lease: timedelta = DEFAULT_LEASE,
        clock: Clock = utc_now,
        sweeps: Sequence[tuple[str, str, Callable[[], object]]] = (),
    ) -> None:
        self._engine = engine
        self._poster = poster
        self._sweeps = tuple(sweeps)
        self._sweep_seconds = sweep_seconds
        self._lease = lease
        self._clock = clock
        self._jobs: dict[str, tuple[Any, ...]] = {}
        self._lock = threading.Lock()
        # coalesce: runs missed while this process was busy or asleep collapse into one;
        # misfire_grace_time None: that one run happens however late, and due_day() then
        # decides whether its day is still due.
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )

    def start(self) -> None:
        """Schedule the subscriptions, then sweep at once (the catch-up) and every minute."""
        self._scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=self._sweep_seconds, timezone=UTC),
            id=SWEEP_JOB,
            name="term of the day: resync and catch up",
            next_run_time=datetime.now(UTC),
        )
        for job_id, name, sweep in self._sweeps:  # other once-a-day messages: the review DMs
            self._scheduler.add_job(
                sweep,
                IntervalTrigger(seconds=self._sweep_seconds, timezone=UTC),
                id=job_id,
                name=name,
                next_run_time=datetime.now(UTC),
            )
        if not logger.isEnabledFor(logging.DEBUG):
            # APScheduler logs every run at INFO, and the sweep runs every minute.
            logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self._scheduler.start()
        logger.info("daily scheduler started")

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def stop(self, wait: bool = True) -> None:
        """Stop; with ``wait``, a post in progress finishes first."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)
            logger.info("daily scheduler stopped")

    def next_runs(self) -> dict[str, datetime]:
        """Channel → the next run of its cron job (UTC)."""
        found: dict[str, datetime] = {}
        for job in self._scheduler.get_jobs():
            if job.id.startswith("daily:") and job.id != SWEEP_JOB and job.next_run_time:
                found[job.id.removeprefix("daily:")] = job.next_run_time.astimezone(UTC)
        return found

    def resync(self, subscriptions: list[Subscription] | None = None) -> None:
        """Make the cron jobs match the subscriptions in the database."""
        if subscriptions is None:
            subscriptions = active_subscriptions(self._engine)
        wanted = {s.channel: s for s in subscriptions}
        with self._lock:
            for channel in list(self._jobs):
                if channel not in wanted:
                    self._scheduler.remove_job(f"daily:{channel}")
                    del self._jobs[channel]
                    logger.info("daily post in %s: unscheduled", channel)
            for channel, subscription in wanted.items():
                signature = (subscription.at, subscription.days, subscription.timezone)
                if self._jobs.get(channel) == signature:
                    continue
                self._scheduler.add_job(
                    self.run_channel,
                    cron_trigger(subscription),
                    args=[channel],
                    id=f"daily:{channel}",
                    name=f"term of the day in {channel}",
                    replace_existing=True,
                )
                self._jobs[channel] = signature
                logger.info("daily post in %s: %s", channel, subscription.describe())

    def run_channel(self, channel: str) -> PostOutcome | None:
        """The cron job: post ``channel``'s day if it is due (the subscription is re-read)."""
        subscription = get_subscription(self._engine, channel)
        if subscription is None:
            return None
        day = subscription.due_day(self._clock())
        if day is None:
            return None
        return self._post(channel, day)

    def sweep(self) -> list[PostOutcome]:
        """Resync the jobs, then post every due day that is neither posted nor in progress."""
        subscriptions = active_subscriptions(self._engine)
        self.resync(subscriptions)
        now = self._clock()
        due = {s.channel: d for s in subscriptions if (d := s.due_day(now)) is not None}
        entries = entries_for(self._engine, due)
        outcomes = []
        for channel, day in due.items():
            entry = entries.get(channel)
            if entry is not None and entry.settled(now, self._lease):
                continue
            outcome = self._post(channel, day)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def _post(self, channel: str, day: date) -> PostOutcome | None:
        try:
            return self._poster.post(channel, day)
        except Exception:
            # One channel's failure must not stop the others; the ledger has the day as
            # failed (or its claim runs out), so it is retried.
            logger.exception("daily post %s %s: unexpected error", channel, day)
            return None


class SchedulerService:
    """The term-of-the-day scheduler as a service of ``bot.runtime``: built at start, run by ``start``.

    ``start`` seeds subscriptions from the settings and starts the jobs; ``stop`` waits for a
    post in progress. Nothing runs before ``start`` (a forking server calls it in its worker).
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        live: LiveGlossary,
        *,
        delivery: Delivery | None = None,
        review_delivery: DirectMessages | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
        clock: Clock = utc_now,
        language: Callable[[str], str] | None = None,
    ) -> None:
        self._settings = settings
        self._language = language  # the language of each person's review DM (else English)
        self._review_delivery = review_delivery
        self._engine = engine
        self._clock = clock
        self._delivery = delivery
        self._live = live
        self._sweep_seconds = sweep_seconds
        self._scheduler: DailyScheduler | None = None

    def start(self) -> None:
        seeded = seed_from_settings(self._engine, self._settings, self._clock())
        delivery = self._delivery or SlackDelivery.from_settings(self._settings)
        live = self._live
        poster = DailyPoster(
            self._engine, lambda: live.current().glossary, delivery, clock=self._clock
        )
        dms = (
            self._review_delivery
            or (delivery if isinstance(delivery, SlackDelivery) else None)
            or SlackDelivery.from_settings(self._settings)
        )
        reviews = ReviewSweep(
            self._engine,
            ReviewSender(
                self._engine,
                lambda: live.current().glossary,
                dms,
                clock=self._clock,
                language=self._language,
            ),
            clock=self._clock,
        )
        self._scheduler = DailyScheduler(
            self._engine,
            poster,
            sweep_seconds=self._sweep_seconds,
            clock=self._clock,
            sweeps=[(REVIEW_SWEEP_JOB, "review DMs: send the due ones", reviews.sweep)],
        )
        self._scheduler.resync(seeded)
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None

    @property
    def alive(self) -> bool:
        """False once started jobs are no longer running (for /healthz)."""
        return self._scheduler is None or self._scheduler.running
