"""The ranking index is built in the background after start and after every reload, so the
first description does not pay for it; lookups by name never wait for it."""

from __future__ import annotations

from pathlib import Path

from bot.glossary import load_glossary
from bot.glossary.live import IndexWarmup, LiveGlossary

MINI = Path(__file__).resolve().parents[1] / "data" / "mini-glossary"
PINNED = Path(__file__).resolve().parents[1] / "data" / "glossary-2026-12"


def test_a_resolver_answers_names_before_its_ranking_index_exists() -> None:
    live = LiveGlossary(load_glossary(MINI))
    resolver = live.current().resolver
    assert not resolver.prepared
    assert resolver.resolve("lora").status == "exact"
    assert not resolver.prepared


def test_the_index_is_built_after_start_and_after_each_reload() -> None:
    live = LiveGlossary(load_glossary(MINI))
    warmup = IndexWarmup(live)
    warmup.start()
    assert warmup.wait(60)
    assert live.current().resolver.prepared
    live.replace(load_glossary(PINNED))
    assert warmup.wait(60)
    assert live.current().resolver.prepared
    warmup.stop()
