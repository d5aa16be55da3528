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
    "quiz": "`/lingo quiz [category]` — a quiz question, only for you",
    "learn": "`/lingo learn on [HH:MM] [time zone]` / `off` — a daily review DM of your terms",
    "forget": "`/lingo forget me` — delete all your learning data",
    "suggest": "`/lingo suggest` — propose a new term",
    "lang": "`/lingo lang ko|en|auto` — the language of my answers to you",
    "stats": "`/lingo stats` — lookups, misses, quiz answers and clarity feedback (admins)",
    "reload": "`/lingo reload` — reload the glossary now (admins)",
}
COMMAND_WORDS = frozenset(COMMANDS) | {"share", "lookup"}

# The commands that need a Slack channel, user or admin: what each does in Slack, and what
# to run instead in a terminal (the offline console and `lingo ask` say so when typed).
IN_SLACK_ONLY: dict[str, str] = {
    "subscribe": "In Slack, `/lingo subscribe` posts the term of the day in the channel "
    "it is typed in. Here: `lingo daily preview` shows today's post, and "
    "LINGO_DAILY_CHANNELS names channels for `lingo scheduler`.",
    "unsubscribe": "In Slack, `/lingo unsubscribe` stops the term of the day in its channel. "
    "Here: remove the channel from LINGO_DAILY_CHANNELS.",
    "subscriptions": "In Slack, `/lingo subscriptions` lists the channels that get the term "
    "of the day. Here: `lingo daily preview --channel C…` shows one channel's post.",
    "suggest": "In Slack, `/lingo suggest` opens a form that sends a proposed term to the "
    'admins. Here: `lingo new-term "Term name"` starts the glossary file for it.',
    "stats": "In Slack, `/lingo stats` shows admins what people looked up and did not find. "
    "Here: run `lingo stats`.",
    "learn": "In Slack, `/lingo learn on 09:00` sends you a daily DM reviewing the terms you "
    "looked up or got wrong. Here: `quiz` asks a question; answer by typing 1–4.",
    "forget": "In Slack, `/lingo forget me` deletes your learning data. The console keeps "
    "none: its quiz answers are not stored.",
    "reload": "In Slack, `/lingo reload` makes the bot read the glossary again (it also "
    "notices changed files by itself). Here: `lingo validate` checks the files; restart "
    "the console to read them.",
}


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
