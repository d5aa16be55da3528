"""The glossary as plain, immutable values: what the resolver, renderers and daily post read."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

LANGUAGES = ("en", "ko")
"""The languages a glossary can be written in; English is the source of every translation."""

_PARENTHESISED = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)$")


@dataclass(frozen=True, slots=True)
class Link:
    """A source for a term or digest item."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class CategoryText:
    """A category's name and description in another language."""

    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Category:
    """A group of terms shown together by ``/lingo list``."""

    id: str
    name: str
    description: str = ""
    translations: Mapping[str, CategoryText] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class TermText:
    """A term's words in another language, kept beside the English in the same file.

    ``translated_from`` is the stamp (see ``stamp``) of the English definition the
    translation was made from; when it differs from the current one, the translation is stale.
    """

    name: str
    definition: str
    aliases: tuple[str, ...] = ()
    details: str | None = None
    asked_as: tuple[str, ...] = ()
    translated_from: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Every spelling that names the term in this language, as :attr:`Term.labels`."""
        return _labels(self.name, self.aliases)


@dataclass(frozen=True, slots=True)
class Term:
    """One glossary entry, as written in ``glossary/terms/<id>.yaml``."""

    id: str
    name: str
    category: str
    definition: str
    aliases: tuple[str, ...] = ()
    details: str | None = None
    examples: tuple[str, ...] = ()
    asked_as: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    daily: bool = True
    translations: Mapping[str, TermText] = field(default_factory=dict, hash=False)
    path: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """Every spelling that names this term: name, the parts of "X (Y)" names, aliases."""
        return _labels(self.name, self.aliases)

    @property
    def short_name(self) -> str:
        """The name without a parenthesised expansion: "RAG" for "RAG (Retrieval-...)"."""
        match = _PARENTHESISED.match(self.name)
        return match["outer"] if match else self.name


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One item of a digest series, posted beside a term of the day."""

    id: str
    title: str
    body: str
    source: Link
    terms: tuple[str, ...]
    translations: Mapping[str, DigestText] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class DigestText:
    """A digest item's title and body in another language."""

    title: str
    body: str
    translated_from: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    """A curated series, one item a day, in ``glossary/digests/<id>.yaml``."""

    id: str
    title: str
    source: Link
    items: tuple[DigestItem, ...]
    description: str = ""
    # The series' title in other languages ("ko" → 멀티 토큰 예측, ...).
    titles: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Glossary:
    """A complete, validated glossary. Terms are ordered by name."""

    terms: Mapping[str, Term]
    categories: tuple[Category, ...] = ()
    digests: Mapping[str, Digest] = field(default_factory=dict)
    fingerprint: str = ""

    def __len__(self) -> int:
        return len(self.terms)

    def term(self, term_id: str) -> Term | None:
        return self.terms.get(term_id)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def in_category(self, category_id: str) -> list[Term]:
        return [t for t in self.terms.values() if t.category == category_id]

    def fallback_daily_term(self) -> Term | None:
        """The term of the day when no rotation has picked one: the first daily term by name,
        else the first term (a glossary may mark every term ``daily: false``), else None."""
        terms = list(self.terms.values())
        return next((t for t in terms if t.daily), terms[0] if terms else None)


def name_parts(name: str) -> tuple[str, ...]:
    """A name and, for "X (Y)" names, X and Y: "RAG (Retrieval-...)" → itself, "RAG", "Retrieval-..."."""
    match = _PARENTHESISED.match(name)
    return (name, match["outer"], match["inner"]) if match else (name,)


def _labels(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*name_parts(name), *aliases)))


def stamp(english: str) -> str:
    """A short fingerprint of English text, ignoring how it is wrapped: marks what a translation was made from."""
    return hashlib.sha256(" ".join(english.split()).encode()).hexdigest()[:8]
