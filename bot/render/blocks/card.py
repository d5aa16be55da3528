"""The term card: what a lookup shows, and the card "Share in channel" posts."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
)

from bot.glossary.model import Glossary, Link, Term
from bot.render.blocks.kit import (
    MAX_CONTEXT_TEXT,
    SHARE_TERM,
    USER_ID,
    Message,
    button_element,
    context_block,
    escape,
    header_block,
    link_text,
    message_of,
    section_block,
    show_buttons,
)
from bot.render.i18n import message
from bot.render.i18n.terms import category_name, definition, short_name, term_name, term_view

# -- the term card -----------------------------------------------------------------------------


def term_blocks(
    term: Term,
    glossary: Glossary,
    *,
    note: str | None = None,
    buttons: bool = True,
    share: bool = True,
    lang: str = "en",
    other_name: bool = False,
) -> list[Block]:
    """A term as blocks: name, definition, details, examples, aliases, category, related, sources.

    ``note`` is a line above the card, already mrkdwn-safe (e.g. what a fuzzy query
    matched). With ``buttons``, related terms are buttons that show that term and, with
    ``share``, a button shares the card in the channel; without, related terms are text
    (for shared cards, the App Home and anywhere a click could not replace the card).
    The card is in ``lang``: a translated card names the term in English too, fields
    without a translation are shown in English with a short note; ``other_name`` puts the
    Korean name on an English card (the person asked in Korean).
    """
    view = term_view(term, lang, other_name=other_name)
    blocks: list[Block] = []
    if note:
        blocks.append(context_block(note))
    blocks.append(header_block(view.name))
    if view.other_name:
        blocks.append(context_block(message(lang, "card.other_name", name=escape(view.other_name))))
    blocks.append(section_block(escape(view.definition)))
    if view.details:
        blocks.append(section_block(escape(view.details)))
    if term.examples:
        lines = "\n".join(f"• {escape(e)}" for e in term.examples)
        blocks.append(section_block(f"*{message(lang, 'card.examples')}*\n{lines}"))

    facts = []
    if view.aliases:
        names = ", ".join(escape(a) for a in view.aliases)
        facts.append(message(lang, "card.also_called", names=names))
    category = glossary.category(term.category)
    shown = category_name(category, lang) if category else term.category
    facts.append(message(lang, "card.category", name=escape(shown)))
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if related and not buttons:
        names = ", ".join(escape(term_name(r, lang)) for r in related)
        facts.append(message(lang, "card.related", names=names))
    blocks.append(context_block(" · ".join(facts)))
    if term.links:
        blocks.append(context_block(links_text(term.links, lang)))
    if view.untranslated:
        fields = ", ".join(message(lang, f"field.{f}") for f in view.untranslated)
        blocks.append(context_block(message(lang, "card.untranslated", fields=fields)))

    if buttons and related:
        blocks.append(context_block(message(lang, "card.related_terms")))
        blocks.append(
            ActionsBlock(elements=show_buttons((short_name(r, lang), r.id) for r in related))
        )
    if buttons and share:
        label = message(lang, "card.share")
        blocks.append(
            ActionsBlock(elements=[button_element(label, SHARE_TERM, term.id, primary=True)])
        )
    return blocks


def links_text(links: Sequence[Link], lang: str = "en") -> str:
    """Source links; whole links are dropped (never cut in half) to stay within the limit."""
    text = message(lang, "card.source" if len(links) == 1 else "card.sources")
    for i, link in enumerate(links):
        part = ("" if i == 0 else " · ") + link_text(link)
        if len(text) + len(part) > MAX_CONTEXT_TEXT - 20:
            return text + message(lang, "card.more_links", count=len(links) - i)
        text += part
    return text


def term_fallback(term: Term, lang: str = "en") -> str:
    """The fallback text of a card: name and definition."""
    name, text = term_name(term, lang), definition(term, lang)
    return f"{escape(name)}: {escape(' '.join(text.split()))}"


def term_message(
    term: Term,
    glossary: Glossary,
    *,
    note: str | None = None,
    buttons: bool = True,
    share: bool = True,
    lang: str = "en",
    other_name: bool = False,
) -> Message:
    """A term card as a message, with an optional note above it; see :func:`term_blocks`."""
    blocks = term_blocks(
        term, glossary, buttons=buttons, share=share, lang=lang, other_name=other_name
    )
    if note:
        blocks.insert(0, context_block(note))
    return message_of(term_fallback(term, lang), blocks)


def shared_term_message(term: Term, glossary: Glossary, user_id: str, lang: str = "en") -> Message:
    """The card posted for everyone by "Share in channel", saying who shared it."""
    who = f"<@{user_id}>" if USER_ID.match(user_id) else message(lang, "card.someone")
    note = message(lang, "card.shared_by", who=who)
    blocks = term_blocks(term, glossary, note=note, buttons=False, lang=lang)
    text = message(lang, "card.shared_fallback", card=term_fallback(term, lang), who=who)
    return message_of(text, blocks)
