"""The console quiz in the console's language: the question, the verdict and the words
around them come from the catalogue of ``--lang``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console import TerminalAnswers
from bot.glossary import load_glossary
from bot.render.i18n import message

PINNED = Path(__file__).resolve().parents[1] / "data" / "glossary-2026-12"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_quiz_is_asked_and_judged_in_the_console_language(lang: str) -> None:
    answers = TerminalAnswers(load_glossary(PINNED), contributing_url="", console=True, lang=lang)
    asked = answers.reply("quiz").text
    assert message(lang, "console.quiz_answer") in asked
    judged = answers.reply("1").text
    assert message(lang, "console.quiz_again") in judged
    assert "*" not in judged.splitlines()[0]
    assert ":x:" not in judged
    assert ":white_check_mark:" not in judged
