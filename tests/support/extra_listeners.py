"""A listener module as another feature would write one, for tests of LISTENER_MODULES."""

from __future__ import annotations

from slack_bolt import App

from bot.render.blocks.answers import notice_message
from bot.slack.context import Deps
from bot.slack.router import CommandRequest, CommandRouter, Payload


def register(app: App, deps: Deps, router: CommandRouter) -> None:
    def reload(request: CommandRequest) -> Payload:
        return {"response_type": "ephemeral", **notice_message("Reloaded the glossary.")}

    def stats(request: CommandRequest) -> Payload:
        raise RuntimeError("the stats table is on fire")

    router.route("reload", reload, admin_only=True)
    router.route("stats", stats)
