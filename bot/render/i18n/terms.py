"""Glossary content in the reader's language, with English where a translation is missing.

A card in Korean shows the Korean name, definition and details, and the English name
beside them; a field without a translation falls back to the English text and is listed
in ``untranslated``, so the card can say so in one short note.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.glossary.model import Category, Digest, DigestItem, Term, name_parts
from bot.lookup.hangul import fold
from bot.render.i18n import message

ENGLISH = "en"


@dataclass(frozen=True, slots=True)
class TermView:
    """What a card shows of a term in one language."""

    term: Term
    lang: str
    name: str
    short_name: str
    definition: str
    details: str | None
    aliases: tuple[str, ...]
    other_name: str | None
    untranslated: tuple[str, ...]


def term_view(term: Term, lang: str, *, other_name: bool = False) -> TermView:
    """``term`` in ``lang``. A translated card always names the term in English too; an
    English card names it in Korean only when asked (``other_name``: the query was Korean)."""
    text = term.translations.get(lang) if lang != ENGLISH else None
    if text is None:
        korean = term.translations.get("ko")
        missing = ("name", "definition") if lang != ENGLISH else ()
        return TermView(
            term,
            lang,
            term.name,
            term.short_name,
            term.definition,
            term.details,
            term.aliases,
            korean.name if other_name and korean and lang == ENGLISH else None,
            missing + (("details",) if missing and term.details else ()),
        )
    untranslated = []
    if term.details and not text.details:
        untranslated.append("details")
    if term.examples:
        untranslated.append("examples")
    parts = name_parts(text.name)
    return TermView(
        term,
        lang,
        text.name,
        parts[1] if len(parts) > 1 else text.name,
        text.definition,
        text.details or term.details,
        _distinct(text.aliases, parts),
        term.name,
        tuple(untranslated),
    )


def term_name(term: Term, lang: str) -> str:
    """The term's name in ``lang`` (English when it is not translated)."""
    text = term.translations.get(lang) if lang != ENGLISH else None
    return text.name if text else term.name


def short_name(term: Term, lang: str) -> str:
    """A button-sized name: "RAG", "양자화"."""
    return term_view(term, lang).short_name


def definition(term: Term, lang: str) -> str:
    text = term.translations.get(lang) if lang != ENGLISH else None
    return text.definition if text else term.definition


def category_name(category: Category, lang: str) -> str:
    text = category.translations.get(lang) if lang != ENGLISH else None
    return text.name if text else category.name


def category_description(category: Category, lang: str) -> str:
    text = category.translations.get(lang) if lang != ENGLISH else None
    return text.description if text and text.description else category.description


def digest_text(item: DigestItem, lang: str) -> tuple[str, str, bool]:
    """A digest item's title and body in ``lang``, and whether it fell back to English."""
    text = item.translations.get(lang) if lang != ENGLISH else None
    if text is None:
        return item.title, item.body, lang != ENGLISH
    return text.title, text.body, False


def series_title(digest: Digest, lang: str) -> str:
    """The digest's title in ``lang``, else in English."""
    return digest.titles.get(lang, digest.title)


def series_count(digest: Digest, item: DigestItem, lang: str) -> str:
    """ " (3 of 19)": where ``item`` stands in its digest, in ``lang`` ("" if not in it)."""
    ids = [each.id for each in digest.items]
    if item.id not in ids:
        return ""
    return message(lang, "daily.series_count", number=ids.index(item.id) + 1, total=len(ids))


def _distinct(aliases: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    """Aliases worth showing: one spelling per folded key, none that repeats the name."""
    seen = {fold(n) for n in names}
    shown = []
    for alias in aliases:
        if fold(alias) not in seen:
            seen.add(fold(alias))
            shown.append(alias)
    return tuple(shown)
