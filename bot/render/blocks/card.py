"""The term card: what a lookup shows, and the card "Share in channel" posts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
)

from bot.glossary.model import Glossary, Link, Term
from bot.render.blocks.kit import (
    MAX_CONTEXT_TEXT,
    SHARE_TERM,
    Message,
    button_element,
    context_block,
    escape,
    header_block,
    is_user_id,
    link_text,
    message_of,
    section_block,
    show_buttons,
)
from bot.render.blocks.learning import clarity_blocks, learning_buttons

# -- the term card -----------------------------------------------------------------------------


def term_blocks(
    term: Term,
    glossary: Glossary,
    *,
    note: str | None = None,
    buttons: bool = True,
    share: bool = True,
    learn: bool = True,
) -> list[Block]:
    """A term as blocks: name, definition, details, examples, aliases, category, related, sources.

    ``note`` is a line above the card, already mrkdwn-safe (e.g. what a fuzzy query
    matched). With ``buttons``, related terms are buttons that show that term and, with
    ``share``, a button shares the card in the channel; without, related terms are text
    (for shared cards, the App Home and anywhere a click could not replace the card).
    With ``learn``, "Quiz me", "Add to my deck" and "Was this clear?" follow (each answers
    only the person who clicks).
    """
    blocks: list[Block] = []
    if note:
        blocks.append(context_block(note))
    blocks.append(header_block(term.name))
    blocks.append(section_block(escape(term.definition)))
    if term.details:
        blocks.append(section_block(escape(term.details)))
    if term.examples:
        lines = "\n".join(f"• {escape(e)}" for e in term.examples)
        blocks.append(section_block(f"*Examples*\n{lines}"))

    facts = []
    if term.aliases:
        facts.append("Also called: " + ", ".join(escape(a) for a in term.aliases))
    category = glossary.category(term.category)
    facts.append(f"Category: {escape(category.name if category else term.category)}")
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if related and not buttons:
        facts.append("Related: " + ", ".join(escape(r.name) for r in related))
    blocks.append(context_block(" · ".join(facts)))
    if term.links:
        blocks.append(context_block(links_text(term.links)))

    if buttons and related:
        blocks.append(context_block("Related terms:"))
        blocks.append(ActionsBlock(elements=show_buttons((r.short_name, r.id) for r in related)))
    controls = learning_buttons(term) if learn else []
    if buttons and share:
        controls.insert(0, button_element("Share in channel", SHARE_TERM, term.id, primary=True))
    if controls:
        blocks.append(ActionsBlock(elements=controls))
    if learn:
        blocks += clarity_blocks(term)
    return blocks


def links_text(links: Sequence[Link]) -> str:
    """Source links; whole links are dropped (never cut in half) to stay within the limit."""
    label = "Source: " if len(links) == 1 else "Sources: "
    text = label
    for i, link in enumerate(links):
        part = ("" if i == 0 else " · ") + link_text(link)
        if len(text) + len(part) > MAX_CONTEXT_TEXT - 20:
            return text + f" · and {len(links) - i} more"
        text += part
    return text


def term_fallback(term: Term) -> str:
    """The fallback text of a card: name and definition."""
    return f"{escape(term.name)}: {escape(' '.join(term.definition.split()))}"


def term_message(
    term: Term,
    glossary: Glossary,
    *,
    note: str | None = None,
    buttons: bool = True,
    share: bool = True,
) -> Message:
    """A term card as a message, with an optional note above it; see :func:`term_blocks`."""
    card = _CARDS.card(term, glossary, buttons=buttons, share=share)
    blocks = list(card["blocks"])
    if note:
        blocks.insert(0, context_block(note).to_dict())
    return {"text": card["text"], "blocks": blocks}


class _CardCache:
    """Validated cards by glossary version, so a lookup does not re-validate the same card.

    slack_sdk's validation in ``to_dict()`` is most of what an answer costs (bench/http_load.py
    measured the answer path at a fifth of the bare server's throughput without this cache).
    A card depends only on the term and the glossary it is in, so it is keyed by the
    glossary's fingerprint (a hash of its files) and the term itself; a reloaded glossary
    has a new fingerprint, and glossaries built in memory (no fingerprint) are not cached.
    Bounded: the oldest card goes when ``size`` are held. The dicts handed out are shared
    and must not be changed; callers copy the block list before adding to it.
    """

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._cards: OrderedDict[tuple[str, Term, bool, bool], Message] = OrderedDict()
        self._lock = threading.Lock()

    def card(self, term: Term, glossary: Glossary, *, buttons: bool, share: bool) -> Message:
        def build() -> Message:
            blocks = term_blocks(term, glossary, buttons=buttons, share=share)
            return message_of(term_fallback(term), blocks)

        if not glossary.fingerprint:
            return build()
        key = (glossary.fingerprint, term, buttons, share)
        with self._lock:
            found = self._cards.get(key)
            if found is not None:
                self._cards.move_to_end(key)
                return found
        built = build()
        with self._lock:
            self._cards[key] = built
            while len(self._cards) > self._size:
                self._cards.popitem(last=False)
        return built


_CARDS = _CardCache()


def shared_term_message(term: Term, glossary: Glossary, user_id: str) -> Message:
    """The card posted for everyone by "Share in channel", saying who shared it."""
    who = f"<@{user_id}>" if is_user_id(user_id) else "someone"
    note = f"Shared by {who} with /lingo"
    # Shown to everyone: no buttons at all (learning controls answer one person; they are on
    # the ephemeral card each person gets from /lingo).
    blocks = term_blocks(term, glossary, note=note, buttons=False, learn=False)
    return message_of(f"{term_fallback(term)} (shared by {who})", blocks)
