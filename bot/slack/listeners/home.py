"""The App Home tab: published for the person who opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.render.blocks.home import home_view
from bot.slack.context import Deps
from bot.slack.interaction import interaction, nobody
from bot.slack.listeners import learning
from bot.slack.router import CommandRouter


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    """Listen to app_home_opened."""

    @app.event("app_home_opened")
    @interaction("publishing the App Home", nobody)
    def publish_home(body: dict[str, Any], context: BoltContext) -> None:
        """What the bot does, how to use it, today's term and the terms by category."""
        event = body.get("event") or {}
        if event.get("tab", "home") != "home":
            return
        glossary = deps.live.current().glossary
        today = deps.today(None) if glossary.terms else None
        user = str(event["user"])
        lang = deps.language(context.client, user)
        view = home_view(
            glossary,
            today,
            contributing_url=deps.settings.contributing_url,
            learning=learning.progress_blocks(deps, user, lang),
            lang=lang,
        )
        context.client.views_publish(user_id=user, view=view)
