"""A miss or "did you mean" in Slack ends with a button that opens /lingo suggest prefilled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.glossary import load_glossary
from bot.lookup.answers import answer
from bot.lookup.resolver import Resolver
from bot.render.blocks.answers import SUGGEST_TERM, answer_message
from bot.render.text import answer_text
from tests.conftest import CONTRIBUTING_URL
from tests.support.fakeslack import FakeSlack
from tests.support.slackreq import SlackSender

GLOSSARY = Path(__file__).parent.parent / "data" / "asked-glossary"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_glossary(GLOSSARY))


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message["blocks"]:
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def _text(message: dict[str, Any]) -> str:
    return "\n".join(str(b.get("text", {}).get("text", "")) for b in message["blocks"])


@pytest.mark.parametrize("query", ["knowledge bass fishing", "model making stuff up"])
def test_misses_and_choices_end_with_the_suggest_button(resolver: Resolver, query: str) -> None:
    message = answer_message(
        answer(query, resolver, contributing_url=CONTRIBUTING_URL),
        resolver.glossary,
        contributing_url=CONTRIBUTING_URL,
    )
    suggest = [b for b in _buttons(message) if b["action_id"] == SUGGEST_TERM]
    assert [b["value"] for b in suggest] == [query]


def test_a_miss_shows_closest_names_then_mentions_then_the_button(resolver: Resolver) -> None:
    message = answer_message(
        answer("knowledge bass fishing", resolver, contributing_url=CONTRIBUTING_URL),
        resolver.glossary,
        contributing_url=CONTRIBUTING_URL,
    )
    text = _text(message)
    assert text.index("The closest terms I know:") < text.index("*Knowledge Base (KB)*")
    ids = [b["action_id"] for b in _buttons(message)]
    assert ids[-1] == SUGGEST_TERM
    assert len(set(ids)) == len(ids)  # Slack refuses two buttons with one action id


def test_choices_show_what_matched_in_bold(resolver: Resolver) -> None:
    message = answer_message(
        answer("model making stuff up", resolver, contributing_url=CONTRIBUTING_URL),
        resolver.glossary,
        contributing_url=CONTRIBUTING_URL,
    )
    assert "_asked as:_ “*model* *makes* *stuff* up”" in _text(message)


def test_search_shows_why_each_hit_matched(resolver: Resolver) -> None:
    message = answer_message(
        answer("search how do i stop the model making things up", resolver, contributing_url=""),
        resolver.glossary,
        contributing_url=CONTRIBUTING_URL,
    )
    assert "*Hallucination*" in _text(message)
    assert "*model* *makes*" in _text(message)


def test_the_terminal_shows_the_same_as_text(resolver: Resolver) -> None:
    text = answer_text(answer("knowledge bass fishing", resolver, contributing_url="https://x"))
    closest, mentioned = text.index("Closest names:"), text.index("Suggest it as a new term")
    assert closest < mentioned
    assert "/lingo suggest knowledge bass fishing" in text
    described = answer_text(answer("model making stuff up", resolver, contributing_url="https://x"))
    assert "asked as: “*model* *makes* *stuff* up”" in described


@pytest.fixture
def slack_env(slack_env: dict[str, str]) -> dict[str, str]:
    return {**slack_env, "LINGO_ADMIN_CHANNEL": "C0ADMINS01"}


def test_the_button_opens_the_suggest_form_with_the_query_as_its_name(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    reply = slack.click(SUGGEST_TERM, "mixture of depths &amp; widths")
    assert reply.status == 200
    opened = fake_slack.wait_for("views.open")[0].params
    view = opened["view"] if isinstance(opened["view"], dict) else yaml.safe_load(opened["view"])
    name = next(b for b in view["blocks"] if b["block_id"] == "name")
    assert name["element"]["initial_value"] == "mixture of depths & widths"
