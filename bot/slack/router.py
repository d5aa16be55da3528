"""Routing the text after /lingo to the handler of its command word.

Each listener module adds its commands with ``router.route(name, handler)``; the slash
command listener parses the text once and calls the handler, whose return value is the
acknowledgement payload (``text``, ``blocks``, ``response_type``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk import WebClient

from bot.errors import UserError
from bot.lookup.commands import Command
from bot.slack.context import Deps

Payload = dict[str, Any]


class RepeatCheck(Protocol):
    """``bot.slack.retries.is_duplicate`` bound to one request."""

    def __call__(self, *, everywhere: bool = True) -> bool: ...


def _never_repeated(*, everywhere: bool = True) -> bool:
    return False


@dataclass(frozen=True)
class CommandRequest:
    """One /lingo invocation, parsed."""

    command: Command
    user_id: str
    channel_id: str
    team_id: str
    trigger_id: str
    response_url: str
    client: WebClient
    deps: Deps
    # Whether this request was handled before (a Slack retry or a replay; asking claims it:
    # see bot.slack.retries). A repeat is answered again but acts only once.
    is_duplicate: RepeatCheck = _never_repeated


Handler = Callable[[CommandRequest], Payload]


def ephemeral(message: dict[str, Any]) -> Payload:
    """An answer only the person who asked sees."""
    return {**message, "response_type": "ephemeral"}


class CommandRouter:
    """Command word → handler; admin-only commands are refused for everyone else."""

    def __init__(self) -> None:
        self._handlers: dict[str, tuple[Handler, bool]] = {}

    def route(self, name: str, handler: Handler, *, admin_only: bool = False) -> None:
        self._handlers[name] = (handler, admin_only)

    def handles(self, name: str) -> bool:
        return name in self._handlers

    def handle(self, request: CommandRequest) -> Payload:
        entry = self._handlers.get(request.command.name) or self._handlers.get("help")
        if entry is None:
            raise UserError(f"/lingo {request.command.name} is not available here")
        handler, admin_only = entry
        if admin_only and not request.deps.is_admin(request.user_id):
            raise UserError(
                f"Only glossary admins can use `/lingo {request.command.name}` "
                "(they are listed in LINGO_ADMIN_USER_IDS)."
            )
        return handler(request)
