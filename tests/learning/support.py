"""Shared by the learning tests: the fixture glossary served by a runtime, and quiz helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.glossary import Glossary, load_glossary
from bot.render.blocks.learning import QUIZ_ANSWER, AnswerValue
from tests.support.blockkit import buttons

LEARNING_GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "learning-glossary"


def learning_glossary() -> Glossary:
    return load_glossary(LEARNING_GLOSSARY)


def answer_buttons(blocks: list[dict[str, Any]], number: int = 0) -> list[dict[str, Any]]:
    """The four answer buttons of question ``number`` in a message."""
    prefix = f"{QUIZ_ANSWER}_{number}_"
    return [b for b in buttons(blocks) if b["action_id"].startswith(prefix)]


def right_and_wrong(
    blocks: list[dict[str, Any]], number: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The right answer's button and a wrong one's."""
    found = answer_buttons(blocks, number)
    values = [AnswerValue.decode(b["value"]) for b in found]
    right = next(
        b for b, v in zip(found, values, strict=True) if v.option_ids[v.chosen] == v.term_id
    )
    wrong = next(
        b for b, v in zip(found, values, strict=True) if v.option_ids[v.chosen] != v.term_id
    )
    return right, wrong


def posted_body(call: Any) -> dict[str, Any]:
    """A response_url post as the fake Slack received it."""
    params = call.params
    return params if "blocks" in params or "text" in params else json.loads(params["body"])
