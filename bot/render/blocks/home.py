"""The App Home tab."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
)
from slack_sdk.models.views import View

from bot.glossary.model import Glossary, Term
from bot.render.blocks.answers import category_text, propose_mrkdwn
from bot.render.blocks.card import term_blocks
from bot.render.blocks.kit import (
    MAX_VIEW_BLOCKS,
    context_block,
    header_block,
    section_block,
)

# -- the App Home ------------------------------------------------------------------------------


def home_view(
    glossary: Glossary,
    today: Term | None,
    *,
    contributing_url: str,
    learning: Sequence[Block] = (),
) -> dict[str, Any]:
    """The App Home tab: what the bot does, how to use it, the reader's own learning
    (``learning``, bot.render.blocks.learning), today's term, terms by category."""
    blocks: list[Block] = [
        header_block("LLM Lingo"),
        section_block(
            "I explain the words people use about large language models, in plain language: "
            f"{len(glossary)} terms, from *attention* to *quantization*."
        ),
        section_block(
            "*How to use me*\n"
            "• `/lingo quantization`: a term's card, visible only to you; typos are fine\n"
            "• `/lingo search memory`: terms whose definitions mention the words\n"
            "• `/lingo list`, `/lingo list training`: browse by category\n"
            "• `/lingo random`, `/lingo today`: something new to learn\n"
            "• On any message, *⋯ More actions → Explain LLM jargon*: the terms it uses\n"
            "• *Share in channel* under a card shows it to everyone\n"
            "• `/lingo quiz`, *Quiz me*: a question only you see; `/lingo learn on`: a daily "
            "review of the terms you look up"
        ),
        DividerBlock(),
        *learning,
    ]
    if learning:
        blocks.append(DividerBlock())
    if today is not None:
        blocks += term_blocks(today, glossary, note="*Term of the day*", buttons=False, learn=False)
        blocks.append(DividerBlock())
    blocks.append(header_block("Terms by category"))
    groups = [(c, glossary.in_category(c.id)) for c in glossary.categories]
    room = MAX_VIEW_BLOCKS - len(blocks) - 1
    for category, terms in [g for g in groups if g[1]][:room]:
        blocks.append(section_block(category_text(category, terms)))
    blocks.append(context_block(f"Missing a term? {propose_mrkdwn(contributing_url)}."))
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS]).to_dict()
