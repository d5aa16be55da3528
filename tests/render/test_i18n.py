"""Every catalogue has every key of the English one, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.glossary.model import LANGUAGES
from bot.lookup.commands import COMMANDS
from bot.render.i18n import CATALOGUES, language_of, message


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
