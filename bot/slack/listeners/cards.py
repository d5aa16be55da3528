"""Buttons on answers: show a term (related terms, "Did you mean", lists) and share a card.

Answers are ephemeral, so the buttons act through the interaction's ``response_url``: it
can replace an ephemeral card in place, post for everyone in the conversation where the
command was used (also in DMs and private channels the bot is not a member of), and
delete the ephemeral original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from slack_bolt import App, BoltContext

from bot.errors import UserError
from bot.glossary.model import Term
from bot.render.blocks.card import shared_term_message, term_message
from bot.render.blocks.kit import SHARE_TERM, SHOW_TERM
from bot.slack.client import delete_original, send_reply
from bot.slack.context import Deps
from bot.slack.interaction import clicked_by, interaction, response_url_of, to_response_url
from bot.slack.router import CommandRouter

SHOW_TERM_ACTION = re.compile(rf"^{SHOW_TERM}_\d+$")


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Listen to the show-term and share buttons."""

    @app.action(SHOW_TERM_ACTION)
    @interaction("showing a term", to_response_url)
    def show_term(body: dict[str, Any], context: BoltContext) -> None:
        """Show the term in place of an ephemeral card; below a public message, as a new one."""
        url = response_url_of(body)
        snapshot = deps.live.current()
        term = chosen_term(body, snapshot.glossary.terms)
        lang = deps.language(context.client, clicked_by(body))
        message = term_message(term, snapshot.glossary, lang=lang)
        if url:
            send_reply(url, message, response_type="ephemeral", replace_original=in_place(body))

    @app.action(SHARE_TERM)
    @interaction("sharing a term", to_response_url)
    def share_term(body: dict[str, Any], context: BoltContext) -> None:
        """Post the card for everyone, saying who shared it; remove the ephemeral original."""
        url = response_url_of(body)
        if not url:
            raise UserError("This card cannot be shared from here; use /lingo in a channel.")
        snapshot = deps.live.current()
        term = chosen_term(body, snapshot.glossary.terms)
        user_id = clicked_by(body)
        lang = deps.language(context.client, user_id)
        message = shared_term_message(term, snapshot.glossary, user_id, lang)
        send_reply(url, message, response_type="in_channel", replace_original=False)
        if in_place(body):
            delete_original(url)


def chosen_term(body: dict[str, Any], terms: Mapping[str, Term]) -> Term:
    """The term a button names (its value is the term id)."""
    actions = body.get("actions") or [{}]
    first = actions[0] if isinstance(actions, list) and isinstance(actions[0], dict) else {}
    term = terms.get(str(first.get("value") or ""))
    if term is None:
        raise UserError("That term is no longer in the glossary. Try `/lingo list`.")
    return term


def in_place(body: dict[str, Any]) -> bool:
    """True if the button sits on an ephemeral message, which only its reader can see."""
    return bool((body.get("container") or {}).get("is_ephemeral"))
