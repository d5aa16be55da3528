"""The composition root: every part of the running bot, built in one place, in order.

``build_runtime(settings)`` loads and checks everything and builds each service without
starting it; ``Runtime.start`` starts the services (after a forking server has forked its
worker, since threads do not survive a fork) and returns the function that stops them,
last started first. Reading this file top to bottom shows what the bot is made of.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from slack_sdk import WebClient
from sqlalchemy import Engine, text

from bot.admin.lookup_log import LookupRecorder
from bot.daily.post import TodaysTerm
from bot.daily.scheduler import SchedulerService
from bot.glossary import Glossary, load_glossary
from bot.glossary.live import IndexWarmup, LiveGlossary
from bot.glossary.reload import GlossaryWatcher, Reloader
from bot.lookup.resolver import Resolution
from bot.ops.metrics import track_glossary_size
from bot.settings import Settings
from bot.slack.client import make_web_client
from bot.slack.context import Deps
from bot.slack.locale import ReaderLanguages
from bot.slack.notify import AdminNotifier
from bot.slack.retries import SeenRequests
from bot.store.claims import Claims, DatabaseClaims
from bot.store.remembered import SHARED_SECONDS, Remembered
from bot.store.storage import Storage, open_storage

logger = logging.getLogger(__name__)

Stop = Callable[[], None]
Check = Callable[[], tuple[bool, str]]


class Service(Protocol):
    """A part with a background thread: built at start, run by ``start``, ended by ``stop``."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Runtime:
    """Everything a running bot shares between the Slack app and its background services."""

    settings: Settings
    live: LiveGlossary
    engine: Engine
    client: WebClient
    claims: Claims
    deps: Deps
    watcher: GlossaryWatcher
    warmup: IndexWarmup
    recorder: LookupRecorder
    scheduler: SchedulerService
    storage_problem: str | None = None
    """Why the database cannot be used (then lookups answer and the rest says so), or None."""
    started_at: float = field(default_factory=time.monotonic)
    # Added by the process that runs them, e.g. the Socket Mode connection (bot.slack.serve).
    readiness_checks: list[Check] = field(default_factory=list)
    liveness_checks: list[Check] = field(default_factory=list)

    def liveness(self) -> tuple[bool, str]:
        """Whether the process works at all: every thread it cannot do without is running."""
        if not self.watcher.alive:
            return False, "the glossary watcher has stopped"
        if not self.scheduler.alive:
            return False, "the daily scheduler has stopped"
        for check in self.liveness_checks:
            alive, reason = check()
            if not alive:
                return False, reason
        return True, "ok"

    def services(self, *, scheduler: bool) -> list[tuple[str, Service]]:
        """The services this process runs; the scheduler only where asked for.

        Without a usable database there is no lookup log to write and no daily post to send.
        """
        found: list[tuple[str, Service]] = [
            ("ranking index warm-up", self.warmup),
            ("glossary watcher", self.watcher),
        ]
        if self.storage_problem is None:
            found.append(("lookup log", self.recorder))
            if scheduler:
                found.append(("daily scheduler", self.scheduler))
        return found

    def start(self, *, scheduler: bool) -> Stop:
        """Start the services; return a function that stops them, last started first.

        If one fails to start, those already started are stopped and the error is raised.
        """
        started: list[tuple[str, Service]] = []
        try:
            for name, service in self.services(scheduler=scheduler):
                service.start()
                started.append((name, service))
                logger.info("started %s", name)
        except BaseException:
            _stop_all(started)
            raise
        return lambda: _stop_all(started)

    def readiness(self) -> tuple[bool, str]:
        """Whether to send traffic here: the glossary is loaded, the database answers, and
        each of ``readiness_checks`` (the Socket Mode connection) passes.

        A database found unusable at start does not make the replica unready: lookups,
        the reason to send it traffic, answer without it.
        """
        terms = len(self.live.current().glossary)
        if terms == 0:
            return False, "the glossary has no terms"
        if self.storage_problem is not None:
            return True, f"ready: {terms} terms; storage unavailable: {self.storage_problem}"
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:
            return False, f"the database does not answer: {type(error).__name__}"
        for check in self.readiness_checks:
            ready, reason = check()
            if not ready:
                return False, reason
        return True, f"ready: {terms} terms"


def build_runtime(settings: Settings, *, glossary: Glossary | None = None) -> Runtime:
    """Load and check everything, build every part; raise a LingoError naming what is wrong.

    ``glossary`` serves an already loaded glossary instead of reading LINGO_GLOSSARY_DIR.
    """
    live = LiveGlossary(load_glossary(settings.glossary_dir) if glossary is None else glossary)
    track_glossary_size(live)

    storage = open_storage(settings.database_url)
    engine = storage.engine
    client = make_web_client(settings)

    notifier = AdminNotifier(client, settings.admin_user_ids, settings.admin_channel)
    reloader = Reloader(live, settings.glossary_dir, on_result=notifier)
    watcher = GlossaryWatcher(reloader, settings.reload_seconds, after_look=notifier.retry_due)
    recorder = LookupRecorder(engine)
    # One cache of Slack locales for the answers and the review DMs (when both run here).
    readers = ReaderLanguages(storage.usable_engine)
    scheduler = SchedulerService(
        settings, engine, live, language=lambda user: readers.of(client, user)
    )

    deps = Deps(
        settings=settings,
        live=live,
        engine=storage.usable_engine,
        today=TodaysTerm(storage.usable_engine, live, settings),
        record_lookup=recorder.record if storage.available else _not_recorded,
        reloader=reloader,
        readers=readers,
        learners=Remembered(max_age=SHARED_SECONDS),
    )
    return Runtime(
        settings=settings,
        live=live,
        engine=engine,
        client=client,
        claims=request_claims(storage),
        deps=deps,
        watcher=watcher,
        warmup=IndexWarmup(live),
        recorder=recorder,
        scheduler=scheduler,
        storage_problem=storage.problem,
    )


def request_claims(storage: Storage) -> Claims:
    """Where Slack retries are claimed: in the database every replica shares, else here."""
    local = SeenRequests()
    engine = storage.usable_engine
    return local if engine is None else DatabaseClaims(engine, fallback=local)


def _not_recorded(_query: str, _resolution: Resolution) -> None:
    """The lookup log while the database is unavailable: lookups are not counted."""


def _stop_all(started: list[tuple[str, Service]]) -> None:
    while started:
        name, service = started.pop()
        try:
            service.stop()
            logger.info("stopped %s", name)
        except Exception:
            logger.exception("stopping %s failed", name)
