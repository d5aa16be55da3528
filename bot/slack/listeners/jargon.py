"""The message shortcut "Explain LLM jargon": the glossary terms a message mentions."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.render.blocks.answers import mentions_message
from bot.slack.client import send_reply
from bot.slack.context import Deps
from bot.slack.interaction import (
    clicked_by,
    interaction,
    response_url_of,
    to_response_url,
    typed_text,
)
from bot.slack.router import CommandRouter

EXPLAIN_JARGON = "explain_jargon"


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Listen to the message shortcut."""

    @app.message_shortcut(EXPLAIN_JARGON)
    @interaction("explaining jargon", to_response_url)
    def explain_jargon(body: dict[str, Any], context: BoltContext) -> None:
        """Reply, to the person who asked only, with each term and its short definition."""
        text = typed_text((body.get("message") or {}).get("text"))
        terms = deps.live.current().resolver.mentions(text)
        lang = deps.language(context.client, clicked_by(body))
        send_reply(response_url_of(body), mentions_message(terms, lang), response_type="ephemeral")
