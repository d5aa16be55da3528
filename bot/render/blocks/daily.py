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
from bot.render.i18n import long_date, message
from bot.render.i18n.terms import digest_text, series_count, series_title, term_name, term_view

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
    lang: str = "en",
) -> list[Block]:
    """The daily post in ``lang``: the term's card with a button to its related terms, then
    the digest item. A Korean post names the term in English too; text without a
    translation is shown in English with a short note."""
    view = term_view(term, lang)
    heading = f"*{message(lang, 'daily.heading')}*" + (f" · {long_date(lang, day)}" if day else "")
    blocks: list[Block] = [
        context_block(f":books: {heading}"),
        header_block(view.name),
    ]
    if view.other_name:
        blocks.append(context_block(message(lang, "card.other_name", name=escape(view.other_name))))
    blocks.append(section_block(escape(view.definition)))
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    if related:
        names = " · ".join(escape(term_name(r, lang)) for r in related)
        blocks.append(context_block(message(lang, "card.related", names=names)))
    if term.links:
        blocks.append(context_block(links_text(term.links, lang)))
    untranslated = [f for f in view.untranslated if f in ("name", "definition")]
    buttons = [
        button_element(message(lang, "daily.quiz_button"), QUIZ_ME, quiz_scope(term), primary=True)
    ]
    if related:
        label = message(lang, "daily.related_button")
        buttons.append(button_element(label, DAILY_RELATED, term.id))
    blocks.append(ActionsBlock(elements=buttons))
    if item is not None:
        blocks.append(DividerBlock())
        title, body, fell_back = digest_text(item, lang)
        if fell_back:
            untranslated.append("digest")
        series = ""
        if digest is not None:
            count = series_count(digest, item, lang)
            series = f":mag: _{escape(series_title(digest, lang))}_{count}\n"
        blocks.append(section_block(f"{series}*{escape(title)}*\n{escape(body)}"))
        notes = [message(lang, "daily.source", link=link_text(item.source))]
        touched = [glossary.terms[t] for t in item.terms if t in glossary.terms]
        if touched:
            names = ", ".join(escape(term_name(t, lang)) for t in touched)
            notes.append(message(lang, "daily.terms", names=names))
        blocks.append(context_block(" · ".join(notes)))
    if untranslated:
        fields = ", ".join(message(lang, f"field.{f}") for f in dict.fromkeys(untranslated))
        blocks.append(context_block(message(lang, "card.untranslated", fields=fields)))
    return blocks


def daily_post_message(
    term: Term,
    glossary: Glossary,
    item: DigestItem | None = None,
    digest: Digest | None = None,
    *,
    day: date | None = None,
    lang: str = "en",
) -> Message:
    """The daily post as a message; the fallback text is the term and its first sentence."""
    blocks = daily_post_blocks(term, glossary, item, digest, day=day, lang=lang)
    text = message(
        lang,
        "daily.fallback",
        name=escape(term_name(term, lang)),
        definition=short_definition(term, lang=lang),
    )
    return message_of(text, blocks)


def related_terms_message(term: Term, glossary: Glossary, lang: str = "en") -> Message:
    """The answer to "Look up related terms": each related term with a button to its card."""
    related = [glossary.terms[r] for r in term.related if r in glossary.terms]
    name = term_name(term, lang)
    if not related:
        return notice_message(message(lang, "related.none", name=name))
    blocks: list[Block] = [section_block(message(lang, "related.head", name=escape(name)))]
    show = message(lang, "button.show")
    blocks += [
        term_line(other, show, i, lang=lang) for i, other in enumerate(related[:MAX_LISTED_TERMS])
    ]
    names = ", ".join(escape(term_name(r, lang)) for r in related)
    return message_of(message(lang, "related.fallback", name=escape(name), names=names), blocks)
