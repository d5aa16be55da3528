"""Buttons on answers: show a term (related terms, "Did you mean", lists) and share a card.

Answers are ephemeral, so the buttons act through the interaction's ``response_url``: it
can replace an ephemeral card in place, post for everyone in the conversation where the
command was used (also in DMs and private channels the bot is not a member of), and
delete the ephemeral original.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.errors import UserError
from bot.glossary.model import Term
from bot.render.blocks.card import shared_term_message, term_message
from bot.render.blocks.kit import SHARE_TERM, SHOW_TERM, Message
from bot.slack.client import delete_original, send_reply
from bot.slack.context import Deps
from bot.slack.failures import replying_on_failure
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRouter

SHOW_TERM_ACTION = re.compile(rf"^{SHOW_TERM}_\d+$")


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Listen to the show-term and share buttons."""

    @app.action(SHOW_TERM_ACTION)
    def show_term(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Show the term in place of an ephemeral card; below a public message, as a new one."""
        ack()
        if is_duplicate(context):
            return
        url = str(body.get("response_url") or "")
        with replying_on_failure("showing a term", ephemeral_reply(url), lambda: release(context)):
            snapshot = deps.live.current()
            term = chosen_term(body, snapshot.glossary.terms)
            lang = deps.language(client, clicked_by(body))
            message = term_message(term, snapshot.glossary, lang=lang)
            if url:
                send_reply(url, message, response_type="ephemeral", replace_original=in_place(body))

    @app.action(SHARE_TERM)
    def share_term(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """Post the card for everyone, saying who shared it; remove the ephemeral original."""
        ack()
        if is_duplicate(context):
            return
        url = str(body.get("response_url") or "")
        with replying_on_failure("sharing a term", ephemeral_reply(url), lambda: release(context)):
            if not url:
                raise UserError("This card cannot be shared from here; use /lingo in a channel.")
            snapshot = deps.live.current()
            term = chosen_term(body, snapshot.glossary.terms)
            user_id = clicked_by(body)
            lang = deps.language(client, user_id)
            message = shared_term_message(term, snapshot.glossary, user_id, lang)
            send_reply(url, message, response_type="in_channel", replace_original=False)
            if in_place(body):
                delete_original(url)


def chosen_term(body: dict[str, Any], terms: Any) -> Term:
    """The term a button names (its value is the term id)."""
    actions = body.get("actions") or [{}]
    term_id = str(actions[0].get("value") or "")
    term: Term | None = terms.get(term_id)
    if term is None:
        raise UserError("That term is no longer in the glossary. Try `/lingo list`.")
    return term


def clicked_by(body: dict[str, Any]) -> str:
    """The id of the person who clicked a button."""
    return str((body.get("user") or {}).get("id", ""))


def in_place(body: dict[str, Any]) -> bool:
    """True if the button sits on an ephemeral message, which only its reader can see."""
    return bool((body.get("container") or {}).get("is_ephemeral"))


def ephemeral_reply(url: str) -> Callable[[Message], None] | None:
    """Tell only the person who clicked, as a new message, without touching the card."""
    if not url:
        return None
    return lambda message: send_reply(
        url, message, response_type="ephemeral", replace_original=False
    )
