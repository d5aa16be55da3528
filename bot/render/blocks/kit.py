"""The building blocks every surface shares: Slack's limits, escaping, and typed blocks.

Everything is built with ``slack_sdk.models``; ``to_dict()`` runs slack_sdk's validation,
so a block Slack would refuse fails here, in our tests, rather than in a workspace.

Two rules hold for any content, however long the glossary or the user's text:
- Slack's limits: at most 50 blocks in a message (100 in a view), 3000 characters of
  section text, 150 of header text, 75 of button text; longer text is cut with "…".
- Text is data: ``&``, ``<`` and ``>`` in user text and glossary text are escaped, so
  nothing we echo can mention a channel or a person, or forge a link; text in a code block
  cannot close it early (``code_block``).

The shapes of Slack's ids are here too (``USER_ID``, ``CHANNEL_ID``): an id we echo as a
mention or a channel link, or store, must have one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.glossary.model import Link, Term
from bot.render.i18n import message
from bot.render.i18n.terms import definition as localized_definition
from bot.render.i18n.terms import term_name

Message = dict[str, Any]

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_CONTEXT_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_FALLBACK_TEXT = 3000
# How much of a person's text we echo back, and how many terms one message lists.
MAX_ECHO = 100
MAX_LISTED_TERMS = 40
MAX_MENTIONED_TERMS = 40

# Action ids of our buttons. A message may not repeat an action id, so buttons that show a
# term are numbered: show_term_0, show_term_1, ...; their value is the term id.
SHOW_TERM = "show_term"
SHARE_TERM = "share_term"

_HALF_ENTITY = re.compile(r"&[a-z]{0,4}$")
# A user (U…, W… in Enterprise Grid) and a conversation (C… channel, G… private, D… DM).
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
# A backtick next to another: two would start to close the ``` around a code block.
_BACKTICK_RUN = re.compile(r"`(?=`)")
# Shown between such backticks: it keeps them apart and is not seen.
_ZERO_WIDTH_SPACE = "\u200b"
# Korean sentences end with "다." or "요." as English ones do; the space after marks the end.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


# -- text ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup: & < >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_block(text: str) -> str:
    """``text`` as a mrkdwn code block: escaped, and no run of backticks in it (nor one at
    either end) can close the block early."""
    inner = _BACKTICK_RUN.sub("`" + _ZERO_WIDTH_SPACE, escape(text))
    if inner.startswith("`"):
        inner = _ZERO_WIDTH_SPACE + inner
    if inner.endswith("`"):
        inner += _ZERO_WIDTH_SPACE
    return f"```{inner}```"


def is_user_id(value: str) -> bool:
    return bool(USER_ID.match(value))


def is_channel_id(value: str) -> bool:
    return bool(CHANNEL_ID.match(value))


def fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…", never in the middle of an escape."""
    if len(text) <= limit:
        return text
    cut = _HALF_ENTITY.sub("", text[: limit - 1]).rstrip()
    return cut + "…"


def echo(text: str, limit: int = MAX_ECHO) -> str:
    """A person's text, quoted back safely: one line, cut, escaped."""
    return escape(fit(" ".join(text.split()), limit))


def short_definition(term: Term, limit: int = 300, *, lang: str = "en") -> str:
    """The first sentence of a term's definition (in ``lang``), escaped; for lists."""
    definition = " ".join(localized_definition(term, lang).split())
    match = _SENTENCE_END.search(definition)
    first = definition[: match.start()] if match else definition
    return fit(escape(first), limit)


def link_text(link: Link) -> str:
    url = link.url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C").replace(" ", "%20")
    return f"<{url.replace('&', '&amp;')}|{escape(link.title).replace('|', '¦')}>"


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> MarkdownTextObject:
    return MarkdownTextObject(text=fit(text, limit))


def section_block(text: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=mrkdwn(text), accessory=accessory)


def header_block(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=fit(" ".join(text.split()), MAX_HEADER_TEXT)))


def context_block(*texts: str) -> ContextBlock:
    return ContextBlock(
        elements=[mrkdwn(t, MAX_CONTEXT_TEXT) for t in texts[:MAX_CONTEXT_ELEMENTS]]
    )


def button_element(
    text: str, action_id: str, value: str, *, primary: bool = False
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=fit(" ".join(text.split()), MAX_BUTTON_TEXT)),
        action_id=action_id,
        value=value,
        style="primary" if primary else None,
    )


def show_buttons(terms: Iterable[tuple[str, str]], start: int = 0) -> list[ButtonElement]:
    """Buttons that show a term, from (label, term id) pairs, numbered from ``start``."""
    return [
        button_element(label, f"{SHOW_TERM}_{start + i}", term_id)
        for i, (label, term_id) in enumerate(terms)
    ][:MAX_ACTIONS_ELEMENTS]


def term_line(term: Term, label: str, number: int, *, lang: str = "en") -> SectionBlock:
    """A term's name and first sentence, with a button that shows its card."""
    button = button_element(label, f"{SHOW_TERM}_{number}", term.id)
    name = escape(term_name(term, lang))
    return section_block(f"*{name}* — {short_definition(term, lang=lang)}", accessory=button)


def message_of(text: str, blocks: Sequence[Block]) -> Message:
    """A message payload: validated blocks, at most 50, and fallback text."""
    kept = list(blocks)
    if len(kept) > MAX_MESSAGE_BLOCKS:
        kept = [*kept[: MAX_MESSAGE_BLOCKS - 1], context_block(message("en", "kit.overflow"))]
    return {
        "text": fit(text, MAX_FALLBACK_TEXT),
        "blocks": [block.to_dict() for block in kept],
    }
