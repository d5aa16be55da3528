"""`lingo stats` shows misses as people typed them, junk apart, ties by recency."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.admin.lookup_log import LookupRecorder, utcnow
from bot.admin.stats import lookup_stats
from bot.glossary import load_glossary
from bot.lookup.resolver import Resolver
from bot.render.text import stats_text

MINI = Path(__file__).resolve().parent.parent / "data" / "mini-glossary"


def record(engine: Engine, at_minute: int, queries: list[str]) -> None:
    """Record ``queries`` as looked up ``at_minute`` minutes ago."""
    resolver = Resolver(load_glossary(MINI))
    moment = (utcnow() - timedelta(minutes=at_minute)).timestamp()
    recorder = LookupRecorder(engine, clock=lambda: moment)
    for query in queries:
        recorder.record(query, resolver.resolve(query))
    recorder.close()


def test_a_miss_is_shown_as_first_typed_and_counted_with_its_other_spellings(
    engine: Engine,
) -> None:
    record(engine, 30, ["Mixture-of-Experts?"])
    record(engine, 10, ["mixture of experts", "MIXTURE OF EXPERTS", "agents"])
    stats = lookup_stats(engine, utcnow() - timedelta(days=1))
    assert stats.top_misses == (("Mixture-of-Experts?", 3), ("agents", 1))


def test_junk_is_other_and_never_tops_the_list(engine: Engine) -> None:
    record(engine, 5, ["!!!", "!!!", "!!!", "x" * 5000, "12345", "<!channel>"])
    stats = lookup_stats(engine, utcnow() - timedelta(days=1))
    assert stats.top_misses == (("<!channel>", 1),)  # Slack's mention, as typed
    assert stats.other_misses == 5
    shown = stats_text(stats, {})
    assert "    1  <!channel>" in shown
    assert "    5  other (no letters, or over 100 characters)" in shown


def test_ties_go_to_the_most_recent(engine: Engine) -> None:
    record(engine, 50, ["aardvark prompting"])
    record(engine, 40, ["zebra tuning"])
    record(engine, 1, ["mango decoding"])
    stats = lookup_stats(engine, utcnow() - timedelta(days=1))
    assert [q for q, _ in stats.top_misses] == [
        "mango decoding",
        "zebra tuning",
        "aardvark prompting",
    ]
