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
    learn: bool = True,
    lang: str = "en",
    other_name: bool = False,
) -> list[Block]:
    """A term as blocks: name, definition, details, examples, aliases, category, related, sources.

    ``note`` is a line above the card, already mrkdwn-safe (e.g. what a fuzzy query
    matched). With ``buttons``, related terms are buttons that show that term and, with
    ``share``, a button shares the card in the channel; without, related terms are text
    (for shared cards, the App Home and anywhere a click could not replace the card).
    With ``learn``, "Quiz me", "Add to my deck" and "Was this clear?" follow (each answers
    only the person who clicks).
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
    controls = learning_buttons(term, lang) if learn else []
    if buttons and share:
        label = message(lang, "card.share")
        controls.insert(0, button_element(label, SHARE_TERM, term.id, primary=True))
    if controls:
        blocks.append(ActionsBlock(elements=controls))
    if learn:
        blocks += clarity_blocks(term, lang)
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
    card = _CARDS.card(
        term, glossary, buttons=buttons, share=share, lang=lang, other_name=other_name
    )
    blocks = list(card["blocks"])
    if note:
        blocks.insert(0, context_block(note).to_dict())
    return {"text": card["text"], "blocks": blocks}


class _CardCache:
    """Validated cards by glossary version, so a lookup does not re-validate the same card.

    slack_sdk's validation in ``to_dict()`` is most of what an answer costs (bench/http_load.py
    measured the answer path at a fifth of the bare server's throughput without this cache).
    A card depends only on the term, the glossary it is in and the language it is shown in,
    so it is keyed by the glossary's fingerprint (a hash of its files), the term itself and
    the language (with whether the other language's name is shown); a reloaded glossary
    has a new fingerprint, and glossaries built in memory (no fingerprint) are not cached.
    Bounded: the oldest card goes when ``size`` are held. The dicts handed out are shared
    and must not be changed; callers copy the block list before adding to it.
    """

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._cards: OrderedDict[tuple[str, Term, bool, bool, str, bool], Message] = OrderedDict()
        self._lock = threading.Lock()

    def card(
        self,
        term: Term,
        glossary: Glossary,
        *,
        buttons: bool,
        share: bool,
        lang: str = "en",
        other_name: bool = False,
    ) -> Message:
        def build() -> Message:
            blocks = term_blocks(
                term, glossary, buttons=buttons, share=share, lang=lang, other_name=other_name
            )
            return message_of(term_fallback(term, lang), blocks)

        if not glossary.fingerprint:
            return build()
        key = (glossary.fingerprint, term, buttons, share, lang, other_name)
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


def shared_term_message(term: Term, glossary: Glossary, user_id: str, lang: str = "en") -> Message:
    """The card posted for everyone by "Share in channel", saying who shared it."""
    who = f"<@{user_id}>" if is_user_id(user_id) else message(lang, "card.someone")
    note = message(lang, "card.shared_by", who=who)
    # Shown to everyone: no buttons at all (learning controls answer one person; they are on
    # the ephemeral card each person gets from /lingo).
    blocks = term_blocks(term, glossary, note=note, buttons=False, learn=False, lang=lang)
    text = message(lang, "card.shared_fallback", card=term_fallback(term, lang), who=who)
    return message_of(text, blocks)
