"""Every catalogue has every key of the English one, with the same placeholders."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest

from bot.glossary.model import LANGUAGES
from bot.lookup.commands import COMMANDS
from bot.render.i18n import CATALOGUES, day_month, language_of, message, short_date


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_catalogue_has_exactly_the_english_keys_and_placeholders(lang: str) -> None:
    english, other = CATALOGUES["en"], CATALOGUES[lang]
    assert sorted(set(english) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(english)) == [], f"not in English, so never used ({lang})"
    for key, text in english.items():
        assert placeholders(other[key]) == placeholders(text), key
        assert other[key].strip(), key


def test_every_command_has_a_usage_line_in_every_language() -> None:
    for lang in LANGUAGES:
        for word in COMMANDS:
            assert message(lang, f"command.{word}").startswith(f"`/lingo {word}")


@pytest.mark.parametrize(
    ("locale", "lang"),
    [("ko-KR", "ko"), ("ko", "ko"), ("en-US", "en"), ("ja-JP", "en"), ("", "en"), (None, "en")],
)
def test_a_slack_locale_picks_a_language(locale: str | None, lang: str) -> None:
    assert language_of(locale) == lang


def test_dates_read_naturally_in_each_language() -> None:
    tuesday = date(2026, 12, 1)
    assert day_month("ko", tuesday) == "12월 1일 화요일"
    assert day_month("en", tuesday) == "Tuesday 1 December"
    assert short_date("ko", tuesday) == "2026년 12월 1일(화)"
    assert short_date("en", tuesday) == "Tue 1 Dec 2026"
    assert short_date("ko", tuesday, year=False) == "12월 1일(화)"
    assert short_date("en", tuesday, year=False) == "Tue 1 Dec"


def test_the_learning_surfaces_have_no_strings_of_their_own() -> None:
    """Every word of the quiz, review and clarity surfaces comes from the catalogues."""
    import bot.render.blocks.learning as learning

    assert not hasattr(learning, "STRINGS")
    for key in ("quiz.right", "review.header", "clarity.title", "home.learning_header"):
        assert CATALOGUES["ko"][key] != CATALOGUES["en"][key]


# A bold run as Slack reads it: the asterisks must not touch a letter on the outside, or
# Slack shows them as they are ("*정답*입니다" is not bold in Slack).
_BOLD = re.compile(r"\*[^*\n]+\*")


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_bold_marks_stand_where_slack_reads_them(lang: str) -> None:
    for key, text in CATALOGUES[lang].items():
        for run in _BOLD.finditer(text):
            before = text[run.start() - 1] if run.start() else " "
            after = text[run.end()] if run.end() < len(text) else " "
            assert not before.isalnum(), (key, text)
            assert not after.isalnum(), (key, text)
