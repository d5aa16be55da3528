"""The App Home tab: published for the person who opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.render.blocks.home import home_view
from bot.slack.context import Deps
from bot.slack.failures import replying_on_failure
from bot.slack.retries import is_duplicate, release
from bot.slack.router import CommandRouter


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Listen to app_home_opened."""

    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """What the bot does, how to use it, today's term and the terms by category."""
        if event.get("tab", "home") != "home" or is_duplicate(context):
            return
        with replying_on_failure("publishing the App Home", None, lambda: release(context)):
            glossary = deps.live.current().glossary
            today = deps.today(None) if glossary.terms else None
            user_id = str(event["user"])
            view = home_view(
                glossary,
                today,
                contributing_url=deps.settings.contributing_url,
                lang=deps.language(client, user_id),
            )
            client.views_publish(user_id=user_id, view=view)
