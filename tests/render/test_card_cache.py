"""Cards are validated once per glossary version, and a changed glossary shows its new text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.glossary import load_glossary
from bot.render.blocks.card import _CardCache, term_blocks, term_fallback, term_message
from bot.render.blocks.kit import message_of

DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_cached_card_is_the_card_built_afresh() -> None:
    glossary = load_glossary(DATA / "glossary-46")
    term = glossary.terms["lora"]
    fresh = message_of(term_fallback(term), term_blocks(term, glossary))
    assert term_message(term, glossary) == fresh
    assert term_message(term, glossary) == fresh  # the second time, from the cache
    noted = term_message(term, glossary, note="Showing *LoRA* for “lorra”")
    assert noted["blocks"][1:] == fresh["blocks"]
    assert term_message(term, glossary) == fresh, "a note never sticks to the cached card"


def test_a_new_glossary_version_shows_its_new_text() -> None:
    cache = _CardCache()
    glossary = load_glossary(DATA / "glossary-46")
    term = glossary.terms["lora"]
    before = cache.card(term, glossary, buttons=True, share=True)
    changed = dataclasses.replace(term, definition="A completely new definition of LoRA here.")
    newer = dataclasses.replace(
        glossary, terms={**glossary.terms, "lora": changed}, fingerprint="another-version"
    )
    after = cache.card(changed, newer, buttons=True, share=True)
    assert "completely new definition" in str(after)
    assert "completely new definition" not in str(before)


def test_the_cache_is_bounded() -> None:
    cache = _CardCache(size=3)
    glossary = load_glossary(DATA / "glossary-46")
    for term in list(glossary.terms.values())[:10]:
        cache.card(term, glossary, buttons=True, share=True)
    assert len(cache._cards) == 3
