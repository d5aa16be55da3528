"""Prometheus metrics, served at GET /metrics. Every metric the bot exports is defined here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

if TYPE_CHECKING:
    from bot.glossary.live import LiveGlossary

REGISTRY = CollectorRegistry(auto_describe=True)

LOOKUPS = Counter(
    "lingo_lookups",
    "Lookups answered, by outcome (exact, fuzzy, ambiguous, miss).",
    ["outcome"],
    registry=REGISTRY,
)
ANSWER_SECONDS = Histogram(
    "lingo_answer_seconds",
    "Time from receiving a /lingo command to its acknowledgement.",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
DAILY_POSTS = Counter(
    "lingo_daily_posts",
    "Term-of-the-day runs, by outcome (posted, already_claimed, failed).",
    ["outcome"],
    registry=REGISTRY,
)
GLOSSARY_RELOADS = Counter(
    "lingo_glossary_reloads",
    "Glossary reloads, by outcome (applied, rejected, unchanged).",
    ["outcome"],
    registry=REGISTRY,
)
GLOSSARY_TERMS = Gauge(
    "lingo_glossary_terms", "Terms in the glossary being served.", registry=REGISTRY
)
ERRORS = Counter(
    "lingo_errors", "Unexpected errors answered with an apology and an error id.", registry=REGISTRY
)


def track_glossary_size(live: LiveGlossary) -> None:
    """Keep ``lingo_glossary_terms`` equal to the size of the glossary ``live`` serves."""
    GLOSSARY_TERMS.set(len(live.current().glossary))
    live.on_replace(lambda snapshot: GLOSSARY_TERMS.set(len(snapshot.glossary)))


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


SOCKET_MODE_CONNECTED = Gauge(
    "lingo_socket_mode_connected",
    "1 while a Socket Mode connection to Slack is open, 0 while there is none.",
    registry=REGISTRY,
)
SOCKET_MODE_RECONNECTS = Counter(
    "lingo_socket_mode_reconnects",
    "Socket Mode connections replaced, by reason (refresh, closed, dropped, ping_timeout).",
    ["reason"],
    registry=REGISTRY,
)
SOCKET_MODE_DISCONNECTED_SECONDS = Counter(
    "lingo_socket_mode_disconnected_seconds",
    "Seconds spent without a Socket Mode connection, counted when one opens again.",
    registry=REGISTRY,
)
SOCKET_MODE_OUTAGE_SECONDS = Gauge(
    "lingo_socket_mode_outage_seconds",
    "Seconds since the Socket Mode connection was lost (0 while connected).",
    registry=REGISTRY,
)
