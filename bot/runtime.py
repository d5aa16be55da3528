"""The running bot's parts, built once at start: glossary, database, Slack client, Deps.

``build_runtime(settings)`` builds them without starting anything; ``start_background``
starts the background services (the daily scheduler, the glossary watcher) and returns a
function that stops them. ``lingo serve`` calls both; in HTTP mode the services start in
the server's worker process, after it is forked.

Extension points (one line each):
- ``WIRING``: "module:function" names called as ``function(runtime)`` at the end of
  ``build_runtime``, to fill the optional parts of ``runtime.deps`` (``today``,
  ``record_lookup``) in every process that answers Slack, scheduler or not.
- ``SERVICES`` and ``SCHEDULER_SERVICES``: (name, "module:function") pairs; the function
  is called as ``function(runtime)``, starts its service and returns a function that stops
  it. ``SCHEDULER_SERVICES`` start only when the scheduler runs here (not with
  ``lingo serve --no-scheduler``).
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine, text

from bot.glossary import Glossary, load_glossary
from bot.live import LiveGlossary
from bot.metrics import GLOSSARY_TERMS
from bot.settings import Settings
from bot.slack.client import make_web_client
from bot.slack.deps import Deps
from bot.store import create_schema, make_engine

logger = logging.getLogger(__name__)

Stop = Callable[[], None]
Check = Callable[[], tuple[bool, str]]

WIRING: tuple[str, ...] = ("bot.daily.post:wire_today",)
SERVICES: tuple[tuple[str, str], ...] = (
    ("glossary watcher", "bot.reload:start_for_runtime"),
    ("lookup log", "bot.stats:start_recorder"),
)
SCHEDULER_SERVICES: tuple[tuple[str, str], ...] = (
    ("daily scheduler", "bot.daily.scheduler:start"),
)


@dataclass
class Runtime:
    """Everything a running bot shares between the Slack app and its background services."""

    settings: Settings
    live: LiveGlossary
    engine: Engine
    client: WebClient
    deps: Deps
    started_at: float = field(default_factory=time.monotonic)
    # Added by the process that runs them, e.g. the Socket Mode connection (bot.slack.serve).
    readiness_checks: list[Check] = field(default_factory=list)
    liveness_checks: list[Check] = field(default_factory=list)

    def liveness(self) -> tuple[bool, str]:
        """Whether the process works at all: every thread it cannot do without is running."""
        for check in self.liveness_checks:
            alive, reason = check()
            if not alive:
                return False, reason
        return True, "ok"

    def readiness(self) -> tuple[bool, str]:
        """Whether to send traffic here: the glossary is loaded, the database answers, and
        each of ``readiness_checks`` (the Socket Mode connection) passes."""
        terms = len(self.live.current().glossary)
        if terms == 0:
            return False, "the glossary has no terms"
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
    """Load and check everything; raise a LingoError naming what is wrong.

    ``glossary`` serves an already loaded glossary instead of reading LINGO_GLOSSARY_DIR.
    """
    live = LiveGlossary(load_glossary(settings.glossary_dir) if glossary is None else glossary)
    GLOSSARY_TERMS.set(len(live.current().glossary))
    live.on_replace(lambda snapshot: GLOSSARY_TERMS.set(len(snapshot.glossary)))
    engine = make_engine(settings.database_url)
    create_schema(engine)
    client = make_web_client(settings)
    deps = Deps(settings=settings, live=live, engine=engine)
    runtime = Runtime(settings=settings, live=live, engine=engine, client=client, deps=deps)
    for name in WIRING:
        _resolve(name)(runtime)
    return runtime


def start_background(runtime: Runtime, *, scheduler: bool) -> Stop:
    """Start the background services; return a function that stops them, last started first.

    If one fails to start, those already started are stopped and the error is raised.
    """
    wanted = list(SERVICES) + (list(SCHEDULER_SERVICES) if scheduler else [])
    stops: list[tuple[str, Stop]] = []
    try:
        for name, target in wanted:
            stop = _resolve(target)(runtime)
            stops.append((name, stop if callable(stop) else _nothing))
            logger.info("started %s", name)
    except BaseException:
        _stop_all(stops)
        raise
    return lambda: _stop_all(stops)


def _stop_all(stops: list[tuple[str, Stop]]) -> None:
    while stops:
        name, stop = stops.pop()
        try:
            stop()
            logger.info("stopped %s", name)
        except Exception:
            logger.exception("stopping %s failed", name)


def _nothing() -> None:
    return None


def _resolve(target: str) -> Callable[[Runtime], Any]:
    module_name, _, function_name = target.partition(":")
    module = importlib.import_module(module_name)
    function: Callable[[Runtime], Any] = getattr(module, function_name)
    return function


def configure_logging(settings: Settings) -> None:
    """Log to stderr at LINGO_LOG_LEVEL, as text or one JSON object a line (LINGO_LOG_FORMAT)."""
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        import json

        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
