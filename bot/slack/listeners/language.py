"""`/lingo lang ko|en|auto`: the language of the bot's answers to one person.

A choice is stored (``user_prefs``) and beats the Slack locale; ``auto`` forgets it, and
answers follow the person's Slack language again. Without an argument, it says which
language is in use and why.
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_bolt import App

from bot.glossary.model import LANGUAGES
from bot.render.blocks.answers import notice_message
from bot.render.i18n import message
from bot.slack.context import Deps
from bot.slack.router import CommandRequest, CommandRouter, Payload, ephemeral

AUTO = "auto"


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Route `/lingo lang`."""
    router.route("lang", language_command)


def language_command(request: CommandRequest) -> Payload:
    """Set, clear or show the person's language; answered in the language that now applies."""
    deps, user = request.deps, request.user_id
    wanted = request.command.argument.strip().casefold()
    readers = deps.readers
    if not wanted:
        lang = deps.language(request.client, user)
        chosen = readers.chosen(user)
        how = message(lang, "lang.how_chosen" if chosen else "lang.how_auto")
        text = message(lang, "lang.current", language=message(lang, "language.name"), how=how)
        return ephemeral(notice_message(text))
    if wanted not in (*LANGUAGES, AUTO):
        lang = deps.language(request.client, user)
        return ephemeral(notice_message(message(lang, "lang.unknown")))
    engine = deps.database("choosing a language")
    readers.choose(engine, user, None if wanted == AUTO else wanted, datetime.now(UTC))
    if wanted == AUTO:
        lang = deps.language(request.client, user)
        text = message(lang, "lang.auto", language=message(lang, "language.name"))
    else:
        text = message(wanted, "lang.set", language=message(wanted, "language.name"))
    return ephemeral(notice_message(text))
