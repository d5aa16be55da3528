"""Hostile suggestions through the real pipeline (issue 12, item 7): hidden characters are
refused per field, a replayed submission posts once, and code fences in any text cannot
close the code blocks we build."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from bot.admin.stats import LookupStats
from bot.glossary.drafts import TermDraft
from bot.render.blocks.admin import stats_message, suggestion_message
from bot.render.blocks.kit import code_block
from bot.slack.listeners.admin import SUGGEST_CALLBACK
from tests.conftest import Served
from tests.support.fakeslack import TEAM_ID, FakeSlack
from tests.support.slackreq import SlackSender

ADMIN = "U0ADMIN001"
ADMIN_CHANNEL = "C0ADMINS01"

NEW_TERM = {
    "name": "Zyxquark Attention",
    "definition": "An attention variant invented for this test, which no glossary will ever "
    "contain, so the suggestion is always new.",
    "aliases": "ZQA",
    "link": "https://example.test/zyxquark",
}


@pytest.fixture
def slack_env(slack_env: dict[str, str]) -> dict[str, str]:
    return {**slack_env, "LINGO_ADMIN_USER_IDS": ADMIN, "LINGO_ADMIN_CHANNEL": ADMIN_CHANNEL}


def submit(slack: SlackSender, fields: dict[str, str], **options: Any) -> Any:
    def text(name: str) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": fields.get(name)}}

    values = {name: text(name) for name in ("name", "definition", "aliases")}
    values["link"] = {"value": {"type": "url_text_input", "value": fields.get("link")}}
    values["category"] = {
        "value": {"type": "static_select", "selected_option": {"value": "training"}}
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": "U0ASKER001", "username": "asker", "team_id": TEAM_ID},
        "api_app_id": "A0LINGO001",
        "token": "legacy-verification-token",
        "trigger_id": "9.9.trigger",
        "view": {
            "id": "V0SUGGEST1",
            "type": "modal",
            "callback_id": SUGGEST_CALLBACK,
            "hash": "1700000000.abc",
            "state": {"values": values},
        },
    }
    reply = slack.interaction(payload, **options)
    assert reply.status == 200, reply.text
    return reply.json()


def posts_to_admins(fake_slack: FakeSlack) -> list[Any]:
    return [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.params.get("channel") == ADMIN_CHANNEL
    ]


@pytest.mark.parametrize(
    ("field", "hidden"),
    [
        ("name", "\u202e"),
        ("definition", "\u200b"),
        ("aliases", "\ud800"),
        ("definition", "\ufeff"),
        ("name", "\u2066"),
    ],
)
def test_hidden_characters_are_refused_on_their_field(
    served: Served, slack: SlackSender, fake_slack: FakeSlack, field: str, hidden: str
) -> None:
    fields = dict(NEW_TERM)
    fields[field] = fields[field][:8] + hidden + fields[field][8:]
    answer = submit(slack, fields)
    assert answer["response_action"] == "errors"
    assert f"U+{ord(hidden):04X}" in answer["errors"][field]
    assert posts_to_admins(fake_slack) == []


def test_a_replayed_submission_reaches_the_admins_once(
    served: Served, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    for retry in range(5):
        answer = submit(slack, NEW_TERM, headers={"X-Slack-Retry-Num": str(retry)})
        assert answer["response_action"] == "update", "each one is thanked"
    assert len(posts_to_admins(fake_slack)) == 1


def test_a_failed_delivery_can_be_sent_again(
    served: Served, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("chat.postMessage", status=200, error="channel_not_found")
    assert submit(slack, NEW_TERM)["response_action"] == "errors"
    assert submit(slack, NEW_TERM)["response_action"] == "update"
    assert len(posts_to_admins(fake_slack)) == 2  # the refused one, then the delivered one


def inside_code_blocks(text: str) -> list[str]:
    """The contents of the ```code blocks``` of a mrkdwn text, as Slack delimits them."""
    return text.split("```")[1::2]


@pytest.mark.parametrize("fence", ["```", "````", "`` `", "a`", "`"])
def test_a_fence_in_text_cannot_close_a_code_block(fence: str) -> None:
    text = f"before {fence} *bold* <!channel> after"
    block = code_block(text)
    assert block.startswith("```")
    assert block.endswith("```")
    assert block.count("```") == 2, block
    assert "<!channel>" not in block
    assert inside_code_blocks(block)[0].replace("\u200b", "") == (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )


def test_the_suggestion_post_and_stats_keep_their_code_blocks_closed() -> None:
    draft = TermDraft(
        name="Fence Term",
        category="training",
        definition="A definition with ``` fences ``` inside, written to break out of code.",
        aliases=("```",),
        links=(),
    )
    message = suggestion_message(draft, "U0ASKER001")
    for block in message["blocks"][1:]:
        assert block["text"]["text"].count("```") == 2, block
    stats = LookupStats(
        since=datetime(2026, 1, 1),
        total=3,
        by_outcome={"miss": 3},
        top_misses=(("```<!channel>", 3),),
    )
    rendered = json.dumps(stats_message(stats, {}, "7d"))
    assert "<!channel>" not in rendered
    for block in stats_message(stats, {}, "7d")["blocks"]:
        text = (block.get("text") or {}).get("text", "")
        assert text.count("```") in (0, 2), text
