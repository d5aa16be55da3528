"""The words that follow ``/lingo``: one grammar for Slack and the offline console."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Each command word, with the usage line shown by help. A term may not be named like one.
COMMANDS: dict[str, str] = {
    "help": "`/lingo help` — this message",
    "list": "`/lingo list [category]` — browse the glossary by category",
    "search": "`/lingo search <words>` — find terms whose names or definitions mention the words",
    "random": "`/lingo random` — a random term",
    "today": "`/lingo today` — today's term of the day",
    "subscribe": (
        "`/lingo subscribe [HH:MM] [mon-fri] [time zone] [lang=en|ko]` — daily term in this channel"
    ),
    "unsubscribe": "`/lingo unsubscribe` — stop the daily term in this channel",
    "subscriptions": "`/lingo subscriptions` — channels that get the daily term",
    "suggest": "`/lingo suggest` — propose a new term",
    "lang": "`/lingo lang ko|en|auto` — the language of my answers to you",
    "stats": "`/lingo stats` — what people looked up and did not find (admins)",
    "reload": "`/lingo reload` — reload the glossary now (admins)",
}
COMMAND_WORDS = frozenset(COMMANDS) | {"share", "lookup"}


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed ``/lingo`` text: which command, and the rest of the text as its argument."""

    name: str
    argument: str = ""


def parse_command(text: str, names_a_term: Callable[[str], bool]) -> Command:
    """Split ``text`` into a command; text that names a term exactly is always a lookup.

    Only a command word at the start makes a command, so ``random forest`` still looks up
    a term called "Random Forest" if the glossary has one.
    """
    text = " ".join(text.split())
    if not text:
        return Command("help")
    first, _, rest = text.partition(" ")
    word = first.casefold()
    if word in COMMANDS and (not rest or not names_a_term(text)):
        return Command(word, rest)
    return Command("lookup", text)
