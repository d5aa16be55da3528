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
from bot.render.i18n import message

# -- the App Home ------------------------------------------------------------------------------


def home_view(
    glossary: Glossary,
    today: Term | None,
    *,
    contributing_url: str,
    learning: Sequence[Block] = (),
    lang: str = "en",
) -> dict[str, Any]:
    """The App Home tab in ``lang``: what the bot does, how to use it, the reader's own
    learning (``learning``, bot.render.blocks.learning), today's term, terms by category."""
    blocks: list[Block] = [
        header_block("LLM Lingo"),
        section_block(message(lang, "home.intro", count=len(glossary))),
        section_block(message(lang, "home.howto", language=message(lang, "language.name"))),
        DividerBlock(),
        *learning,
    ]
    if learning:
        blocks.append(DividerBlock())
    if today is not None:
        note = f"*{message(lang, 'heading.today')}*"
        blocks += term_blocks(today, glossary, note=note, buttons=False, learn=False, lang=lang)
        blocks.append(DividerBlock())
    blocks.append(header_block(message(lang, "home.by_category")))
    groups = [(c, glossary.in_category(c.id)) for c in glossary.categories]
    room = MAX_VIEW_BLOCKS - len(blocks) - 1
    for category, terms in [g for g in groups if g[1]][:room]:
        blocks.append(section_block(category_text(category, terms, lang)))
    link = propose_mrkdwn(contributing_url, lang=lang)
    blocks.append(context_block(message(lang, "home.missing", link=link)))
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS]).to_dict()
