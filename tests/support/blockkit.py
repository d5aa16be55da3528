"""Checks that a payload is one Slack would accept, whatever its content.

slack_sdk validates each block when it is turned back into a dict; on top of that we check
the limits it does not: blocks per message or view, unique action ids, fallback text, and
that no text carries an unescaped mention or link we did not build ourselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

LIMITS = {
    "message_blocks": 50,
    "view_blocks": 100,
    "section_text": 3000,
    "header_text": 150,
    "button_text": 75,
    "button_value": 2000,
    "action_id": 255,
    "context_elements": 10,
    "actions_elements": 25,
    "fallback_text": 4000,
}
# Slack's control sequences: <@U…>, <!channel>, <#C…>, <url|label>. Ours are only links.
_CONTROL = re.compile(r"<([^<>]*)>")


def check_message(message: dict[str, Any], *, allow_mentions: tuple[str, ...] = ()) -> None:
    """Raise AssertionError if Slack would refuse ``message`` or it could notify anyone."""
    assert isinstance(message.get("text"), str), "no fallback text"
    assert message["text"].strip(), "empty fallback text"
    assert len(message["text"]) <= LIMITS["fallback_text"], "fallback text too long"
    blocks = message.get("blocks") or []
    assert 0 < len(blocks) <= LIMITS["message_blocks"], f"{len(blocks)} blocks"
    _check_blocks(blocks)
    _check_control(message["text"], allow_mentions)
    for text in mrkdwn_texts(blocks):
        _check_control(text, allow_mentions)


def check_view(view: dict[str, Any]) -> None:
    """Raise AssertionError if Slack would refuse the view."""
    View(**dict(view.items())).validate_json()
    blocks = view["blocks"]
    assert 0 < len(blocks) <= LIMITS["view_blocks"], f"{len(blocks)} blocks in a view"
    _check_blocks(blocks)
    for text in mrkdwn_texts(blocks):
        _check_control(text, ())


def _check_blocks(blocks: list[dict[str, Any]]) -> None:
    parsed = Block.parse_all(blocks)
    assert [b.to_dict() for b in parsed] == blocks, "blocks change when parsed: unknown fields?"
    action_ids: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "section":
            assert len(block["text"]["text"]) <= LIMITS["section_text"]
        if kind == "header":
            assert len(block["text"]["text"]) <= LIMITS["header_text"]
            assert block["text"]["type"] == "plain_text"
        if kind == "context":
            assert len(block["elements"]) <= LIMITS["context_elements"]
        if kind == "actions":
            assert len(block["elements"]) <= LIMITS["actions_elements"]
        for button in buttons([block]):
            assert len(button["text"]["text"]) <= LIMITS["button_text"]
            assert len(button.get("value", "")) <= LIMITS["button_value"]
            assert len(button["action_id"]) <= LIMITS["action_id"]
            action_ids.append(button["action_id"])
    assert len(action_ids) == len(set(action_ids)), f"repeated action ids: {action_ids}"


def _check_control(text: str, allow_mentions: tuple[str, ...]) -> None:
    for inside in _CONTROL.findall(text):
        if inside.startswith(("http://", "https://")):
            continue
        assert inside in allow_mentions, f"unexpected control sequence <{inside}> in {text[:200]!r}"


def text_objects(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every text object of the blocks, in order."""
    for block in blocks:
        if isinstance(block.get("text"), dict):
            yield block["text"]
        for element in block.get("elements", []):
            if element.get("type") in ("mrkdwn", "plain_text"):
                yield element
            elif isinstance(element.get("text"), dict):
                yield element["text"]
        accessory = block.get("accessory")
        if accessory and isinstance(accessory.get("text"), dict):
            yield accessory["text"]


def texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    """Every text of the blocks, in order."""
    return (t["text"] for t in text_objects(blocks))


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    """The texts Slack parses for mentions and links (plain_text is shown as it is)."""
    return (t["text"] for t in text_objects(blocks) if t["type"] == "mrkdwn")


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button of the blocks, in order."""
    found = []
    for block in blocks:
        found += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def all_text(message: dict[str, Any]) -> str:
    """The fallback text and every block text, joined: for "does the user see X" checks."""
    return "\n".join([message.get("text", ""), *texts(message.get("blocks") or [])])
