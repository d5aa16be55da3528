"""The Slack app manifests ask for exactly what the code uses, and .env.example is complete.

Creating the app from either manifest must give the command, shortcut, home tab, events and
scopes the registered listeners and the Web API calls in bot/ need: no fewer (a feature
would fail in Slack) and no more (a workspace admin should not grant what is never used).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from slack_bolt import App
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.settings import ENVIRONMENT
from bot.slack import app as slack_app
from tests.conftest import ROOT

MANIFESTS = {
    "socket": ROOT / "deploy" / "slack-manifest.yaml",
    "http": ROOT / "deploy" / "slack-manifest-http.yaml",
}
EVENTS_URL = "https://YOUR-HOST/slack/events"
# The bot scopes each Web API method needs (https://docs.slack.dev/reference/methods).
# A method missing here fails the test: add it with its scopes, then add them to both manifests.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth_test": set(),
    "apps_connections_open": set(),  # app-level token, connections:write
    "views_publish": set(),
    "views_open": set(),
    "views_update": set(),
    "views_push": set(),
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},
    # and im:history: a review DM whose outcome is unknown is looked for in the DM
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_join": {"channels:join"},
    "conversations_open": {"im:write"},
    "users_info": {"users:read"},
}
# Listeners Bolt registers by itself; they only run if the events are subscribed.
BOLT_DEFAULT_EVENTS = {"tokens_revoked", "app_uninstalled"}


class RecordingApp(App):
    """A Bolt App that also writes down what each listener registers for."""

    def __init__(self, **kwargs: Any) -> None:
        self.registered: dict[str, list[Any]] = {
            "command": [],
            "event": [],
            "message_shortcut": [],
            "global_shortcut": [],
            "shortcut": [],
            "action": [],
            "view": [],
            "options": [],
        }
        self._recording = False
        super().__init__(**kwargs)
        self._recording = True
        self._note_slash_command(kwargs.get("before_authorize"))

    def use(self, *args: Any) -> Any:
        if args:
            self._note_slash_command(args[0])
        return super().use(*args)

    def _note_slash_command(self, middleware: Any) -> None:
        command = getattr(middleware, "command", None)
        if isinstance(command, str):  # bot.slack.command.SlashCommand
            self._note("command", command)

    def _note(self, kind: str, constraint: Any) -> None:
        if self._recording:
            self.registered[kind].append(constraint)

    def command(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("command", command)
        return super().command(command, *args, **kwargs)

    def event(self, event: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("event", event)
        return super().event(event, *args, **kwargs)

    def message_shortcut(self, callback_id: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("message_shortcut", callback_id)
        return super().message_shortcut(callback_id, *args, **kwargs)

    def global_shortcut(self, callback_id: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("global_shortcut", callback_id)
        return super().global_shortcut(callback_id, *args, **kwargs)

    def shortcut(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("shortcut", constraints)
        return super().shortcut(constraints, *args, **kwargs)

    def action(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("action", constraints)
        return super().action(constraints, *args, **kwargs)

    def view(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("view", constraints)
        return super().view(constraints, *args, **kwargs)

    def options(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("options", constraints)
        return super().options(constraints, *args, **kwargs)


@pytest.fixture
def registered(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    monkeypatch.setattr(slack_app, "App", RecordingApp)
    app = slack_app.build_app(runtime.deps, client=runtime.client)
    assert isinstance(app, RecordingApp)
    return app.registered


def load(kind: str) -> dict[str, Any]:
    manifest: dict[str, Any] = yaml.safe_load(MANIFESTS[kind].read_text())
    return manifest


def web_api_methods_called() -> set[str]:
    """The WebClient methods the code in bot/ calls, found by name."""
    names = {n for n in dir(WebClient) if re.fullmatch(r"[a-z]+(_[a-zA-Z]+)+", n)}
    names -= {n for n in dir(WebClient) if n.startswith("_")}
    source = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py"))
    return {name for name in names if re.search(rf"\.{name}\(", source)}


@pytest.mark.parametrize("kind", ["socket", "http"])
def test_the_manifest_declares_exactly_the_registered_listeners(kind, registered):
    manifest = load(kind)
    features, settings = manifest["features"], manifest["settings"]
    commands = [c["command"] for c in features.get("slash_commands", [])]
    assert sorted(commands) == sorted(registered["command"])
    message_shortcuts = [
        s["callback_id"] for s in features.get("shortcuts", []) if s["type"] == "message"
    ]
    global_shortcuts = [
        s["callback_id"] for s in features.get("shortcuts", []) if s["type"] == "global"
    ]
    assert sorted(message_shortcuts) == sorted(registered["message_shortcut"])
    assert sorted(global_shortcuts) == sorted(registered["global_shortcut"])
    assert registered["shortcut"] == [], "use message_shortcut or global_shortcut"
    events = set(registered["event"]) - BOLT_DEFAULT_EVENTS
    assert all(isinstance(e, str) for e in events)
    assert set(settings["event_subscriptions"]["bot_events"]) == events
    assert features["app_home"]["home_tab_enabled"] is ("app_home_opened" in events)
    interactive = any(
        registered[k] for k in ("action", "view", "options", "message_shortcut", "global_shortcut")
    )
    assert settings["interactivity"]["is_enabled"] is interactive


@pytest.mark.parametrize("kind", ["socket", "http"])
def test_the_manifest_asks_for_exactly_the_scopes_the_code_needs(kind, registered):
    called = web_api_methods_called()
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add the scopes of {sorted(unknown)} to METHOD_SCOPES and the manifests"
    needed = set().union(*(METHOD_SCOPES[m] for m in called))
    if registered["command"] or registered["message_shortcut"] or registered["global_shortcut"]:
        needed.add("commands")
    assert set(load(kind)["oauth_config"]["scopes"]["bot"]) == needed
    assert "views_publish" in called, "the App Home is published"


def test_socket_mode_and_http_manifests_describe_the_same_app():
    socket, http = load("socket"), load("http")
    assert socket["settings"]["socket_mode_enabled"] is True
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["event_subscriptions"].pop("request_url") == EVENTS_URL
    assert http["settings"]["interactivity"].pop("request_url") == EVENTS_URL
    for command in http["features"]["slash_commands"]:
        assert command.pop("url") == EVENTS_URL
    http["settings"]["socket_mode_enabled"] = True
    assert socket == http
    assert "request_url" not in str(socket)


def test_env_example_lists_every_setting_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = {}
    for number, line in enumerate(lines):
        match = re.match(r"^#?([A-Z][A-Z0-9_]+)=", line)
        if match:
            listed[match[1]] = number
    assert set(listed) == set(ENVIRONMENT)
    for name, number in listed.items():
        assert lines[number - 1].startswith("# "), f"{name} has no comment above it"


def test_manifest_files_are_where_the_console_says():
    from bot.console import CONNECT_HELP

    assert "deploy/slack-manifest.yaml" in CONNECT_HELP
    assert MANIFESTS["socket"].is_file()
