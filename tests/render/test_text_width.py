"""Terminal text wraps by display width: a Korean card (Hangul takes two columns) never
runs past the terminal's width; English cards wrap exactly as before (character count)."""

from __future__ import annotations

import textwrap
import unicodedata
from pathlib import Path

import pytest

from bot.glossary import load_glossary
from bot.glossary.model import Glossary
from bot.render.i18n.terms import term_view
from bot.render.text import columns, names_in, plain, term_text

PINNED = Path(__file__).parent.parent / "data" / "glossary-2026-12"


@pytest.fixture(scope="module")
def pinned() -> Glossary:
    return load_glossary(PINNED)


def east_asian_columns(line: str) -> int:
    """An independent count for our text (precomposed Hangul, ASCII, CJK punctuation)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


@pytest.mark.parametrize("width", [40, 60, 88])
def test_no_line_of_a_korean_card_runs_past_the_width(
    pinned: Glossary, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    names, categories = names_in(pinned, "ko")
    over = []
    for term in pinned.terms.values():
        for line in term_text(term, names, categories, lang="ko").splitlines():
            if "<http" in line:
                continue  # a source: its address is never broken
            if east_asian_columns(line) > width:
                over.append(f"{term.id}: {line}")
    assert over == []


def test_a_korean_paragraph_fills_its_lines(
    pinned: Glossary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wide characters are not counted as one: a line holds about half as many syllables."""
    monkeypatch.setenv("COLUMNS", "40")
    term = pinned.terms["quantization"]
    view = term_view(term, "ko")
    card = term_text(term, lang="ko").splitlines()
    start = card.index(next(line for line in card if view.definition.startswith(line)))
    lines = card[start : start + 3]
    assert all(30 < columns(line) <= 40 for line in lines)


@pytest.mark.parametrize("width", [40, 88])
def test_english_cards_wrap_as_before(
    pinned: Glossary, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for term in pinned.terms.values():
        card = term_text(term)
        before = textwrap.fill(
            plain(" ".join(term.definition.split())),
            width,
            break_on_hyphens=False,
            break_long_words=False,
        )
        assert before in card, term.id


def test_columns_counts_wide_and_zero_width_characters() -> None:
    assert columns("양자화") == 6
    assert columns(unicodedata.normalize("NFD", "양자화")) == 6
    assert columns("LoRA 튜닝") == 9
    assert columns("👩\u200d💻") == 2
