"""The /lingo commands that only read the glossary: lookup, help, list, search, random, today."""

from __future__ import annotations

import logging
from typing import get_args

from slack_bolt import App

from bot.errors import UserError
from bot.glossary.model import Term
from bot.lookup.answers import EXAMPLES, Help, Lookup, answer_command
from bot.lookup.commands import COMMANDS
from bot.lookup.resolver import Status
from bot.ops.metrics import LOOKUPS
from bot.render.blocks.answers import answer_message, help_message
from bot.slack.context import Deps
from bot.slack.listeners import learning
from bot.slack.router import CommandRequest, CommandRouter, Payload, ephemeral

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Route the read-only commands."""

    # The counter of each outcome, found once rather than by its label on every lookup.
    counted = {outcome: LOOKUPS.labels(outcome) for outcome in get_args(Status)}

    def usage(request: CommandRequest) -> Payload:
        """`/lingo` and `/lingo help`: the commands this bot has, with examples."""
        commands = tuple(line for word, line in COMMANDS.items() if router.handles(word))
        glossary = request.deps.live.current().glossary
        lang = request.deps.language(request.client, request.user_id)
        return ephemeral(help_message(Help(commands, EXAMPLES, len(glossary)), lang))

    def read(request: CommandRequest) -> Payload:
        """list, search, random, today and lookups: answered from the current glossary."""
        snapshot = request.deps.live.current()
        if not snapshot.glossary.terms:
            raise UserError("The glossary is empty: there is nothing to show yet.")

        def today() -> Term:
            return request.deps.today(request.channel_id or None)

        reply = answer_command(
            request.command,
            snapshot.resolver,
            contributing_url=request.deps.settings.contributing_url,
            today=today,
        )
        if isinstance(reply, Lookup):
            counted[reply.resolution.status].inc()
            # Claimed in this process only: a lookup never waits on the database.
            if not request.is_duplicate(everywhere=False):
                record(request.deps, request.command.argument, reply)
                learning.note_lookup(request.deps, request.user_id, reply)
        message = answer_message(
            reply,
            snapshot.glossary,
            contributing_url=request.deps.settings.contributing_url,
            lang=request.deps.language(request.client, request.user_id),
        )
        return ephemeral(message)

    router.route("help", usage)
    for name in ("list", "search", "random", "today", "lookup"):
        router.route(name, read)


def record(deps: Deps, query: str, lookup: Lookup) -> None:
    """Hand the lookup to the lookup log; its failure never fails the answer."""
    try:
        deps.record_lookup(query, lookup.resolution)
    except Exception:
        logger.exception("recording the lookup failed; the answer was sent anyway")
