"""The message shortcut "Explain LLM jargon": the glossary terms a message mentions."""

from __future__ import annotations

import html
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.render.blocks.answers import mentions_message
from bot.slack.client import send_reply
from bot.slack.context import Deps
from bot.slack.failures import replying_on_failure
from bot.slack.listeners.cards import clicked_by, ephemeral_reply
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRouter

EXPLAIN_JARGON = "explain_jargon"


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Listen to the message shortcut."""

    @app.message_shortcut(EXPLAIN_JARGON)
    def explain_jargon(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        """Reply, to the person who asked only, with each term and its short definition."""
        ack()
        if is_duplicate(context):
            return
        url = str(body.get("response_url") or "")
        with replying_on_failure(
            "explaining jargon", ephemeral_reply(url), lambda: release(context)
        ):
            text = html.unescape(str((body.get("message") or {}).get("text") or ""))
            terms = deps.live.current().resolver.mentions(text)
            lang = deps.language(client, clicked_by(body))
            send_reply(url, mentions_message(terms, lang), response_type="ephemeral")
