"""The term-of-the-day post (bot.daily) and its "related terms" reply."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DividerBlock,
)

from bot.glossary.model import Digest, DigestItem, Glossary, Term
from bot.render.blocks.answers import notice_message
from bot.render.blocks.card import links_text
from bot.render.blocks.kit import (
    MAX_LISTED_TERMS,
    Message,
    button_element,
    context_block,
    escape,
    header_block,
    link_text,
    message_of,
    section_block,
    short_definition,
    term_line,
)
from bot.render.blocks.learning import QUIZ_ME, quiz_scope

# -- the term of the day (bot.daily) -------------------------------------------------------------

# The button under the daily post's card; its value is the term id. Handled by
# bot.slack.listeners.daily, which answers only the person who clicked.
DAILY_RELATED = "daily_related"


def daily_post_blocks(
    term: Term,
    glossary: Glossary,
    item: DigestItem | None = None,
    digest: Digest | None = None,
    *,
    day: date | None = None,
) -> list[Block]:
    """The daily post: the term's card with a button to its related terms, then the digest item."""
    heading = "*Term of the day*" + (f" · {day:%A} {day.day} {day:%B %Y}" if day else "")
    blocks: list[Block] = [
        context_block(f":books: {heading}"),
        header_block(term.name),
        section_block(escape(term.definition)),
    ]
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if related:
        blocks.append(context_block("Related: " + " · ".join(escape(r.name) for r in related)))
    if term.links:
        blocks.append(context_block(links_text(term.links)))
    buttons = [button_element("Quiz me", QUIZ_ME, quiz_scope(term), primary=True)]
    if related:
        buttons.append(button_element("Look up related terms", DAILY_RELATED, term.id))
    blocks.append(ActionsBlock(elements=buttons))
    if item is not None:
        blocks.append(DividerBlock())
        series = ""
        if digest is not None:
            ids = [i.id for i in digest.items]
            count = f" · {ids.index(item.id) + 1} of {len(ids)}" if item.id in ids else ""
            series = f":mag: _{escape(digest.title)}_{count}\n"
        blocks.append(section_block(f"{series}*{escape(item.title)}*\n{escape(item.body)}"))
        notes = [f"Source: {link_text(item.source)}"]
        touched = [glossary.terms[t] for t in item.terms if t in glossary.terms]
        if touched:
            notes.append("Terms: " + ", ".join(escape(t.name) for t in touched))
        blocks.append(context_block(" · ".join(notes)))
    return blocks


def daily_post_message(
    term: Term,
    glossary: Glossary,
    item: DigestItem | None = None,
    digest: Digest | None = None,
    *,
    day: date | None = None,
) -> Message:
    """The daily post as a message; the fallback text is the term and its first sentence."""
    blocks = daily_post_blocks(term, glossary, item, digest, day=day)
    return message_of(f"Term of the day: {escape(term.name)}. {short_definition(term)}", blocks)


def related_terms_message(term: Term, glossary: Glossary) -> Message:
    """The answer to "Look up related terms": each related term with a button to its card."""
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if not related:
        return notice_message(f"{term.name} has no related terms in the glossary.")
    blocks: list[Block] = [section_block(f"*Terms related to {escape(term.name)}*")]
    blocks += [term_line(other, "Show", i) for i, other in enumerate(related[:MAX_LISTED_TERMS])]
    names = ", ".join(escape(r.name) for r in related)
    return message_of(f"Terms related to {escape(term.name)}: {names}", blocks)
