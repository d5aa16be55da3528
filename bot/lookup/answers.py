"""What the bot says to a ``/lingo`` text, as plain values: Slack and the console render them.

``answer()`` handles the commands that need nothing but the glossary. Commands that need
Slack or the database (subscribe, stats, reload, suggest) are handled by their own
modules and never reach here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.errors import UserError
from bot.glossary.model import Category, Term
from bot.lookup.commands import COMMANDS, Command, parse_command
from bot.lookup.resolver import Resolution, Resolver, SearchHit

MAX_ECHO_CHARS = 100


@dataclass(frozen=True, slots=True)
class Help:
    """Usage, with examples."""

    commands: tuple[str, ...]
    examples: tuple[str, ...]
    term_count: int


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer to a lookup: a term, choices, or a miss with suggestions."""

    resolution: Resolution
    contributing_url: str
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Listing:
    """Terms by category: every category, or the terms of one."""

    categories: tuple[tuple[Category, tuple[Term, ...]], ...]
    unknown_category: str | None = None


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Ranked search matches."""

    words: str
    hits: tuple[SearchHit, ...]
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class TermOfTheDay:
    """A term shown by ``/lingo today`` or ``/lingo random``."""

    term: Term
    heading: str
    kind: Literal["today", "random"] = "today"


Answer = Help | Lookup | Listing | SearchResults | TermOfTheDay

EXAMPLES = (
    "/lingo quantization",
    "/lingo LoRA",
    "/lingo retrieval augmented generation",
    "/lingo list training",
    "/lingo search memory",
)


def answer(
    text: str,
    resolver: Resolver,
    *,
    contributing_url: str,
    today: Callable[[], Term] | None = None,
) -> Answer:
    """Answer the text typed after ``/lingo``."""
    command = parse_command(text, resolver.names_a_term)
    return answer_command(command, resolver, contributing_url=contributing_url, today=today)


def answer_command(
    command: Command,
    resolver: Resolver,
    *,
    contributing_url: str,
    today: Callable[[], Term] | None = None,
) -> Answer:
    """Answer a parsed command that needs only the glossary."""
    glossary = resolver.glossary
    if command.name == "help":
        return Help(tuple(COMMANDS.values()), EXAMPLES, len(glossary))
    if command.name == "list":
        return listing(resolver, command.argument)
    if command.name == "search":
        if not command.argument.strip():
            raise UserError("`search` needs words to look for, like `search memory`.")
        hits = tuple(resolver.search(command.argument))
        return SearchResults(_echo(command.argument), hits, len(command.argument) > MAX_ECHO_CHARS)
    if command.name == "random":
        return TermOfTheDay(resolver.random_term(), "A random term", "random")
    if command.name == "today":
        term = today() if today else glossary.fallback_daily_term()
        if term is None:
            raise UserError("The glossary is empty: there is no term of the day yet.")
        return TermOfTheDay(term, "Term of the day")
    if command.name == "lookup":
        resolution = resolver.resolve(command.argument)
        return Lookup(resolution, contributing_url, len(command.argument) > MAX_ECHO_CHARS)
    return Help(tuple(COMMANDS.values()), EXAMPLES, len(glossary))


def listing(resolver: Resolver, category_text: str = "") -> Listing:
    """Every category with its terms, or one category picked by id or name (typos allowed)."""
    glossary = resolver.glossary
    groups = [(c, tuple(glossary.in_category(c.id))) for c in glossary.categories]
    wanted = " ".join(category_text.split()).casefold()
    if not wanted:
        return Listing(tuple(g for g in groups if g[1]))
    for category, terms in groups:
        names = {category.id.casefold(), category.name.casefold(), category.id.replace("-", " ")}
        if wanted in names or any(n.startswith(wanted) for n in names):
            return Listing(((category, terms),))
    return Listing(tuple(g for g in groups if g[1]), unknown_category=_echo(category_text))


def _echo(text: str) -> str:
    """User text cut to a length that is safe to show back."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_ECHO_CHARS else text[: MAX_ECHO_CHARS - 1] + "…"
