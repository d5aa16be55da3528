"""Signed requests as Slack sends them: slash commands, button clicks, shortcuts and events.

``SlackSender(url, secret)`` posts over real HTTP (keep-alive, loopback) with a correct
``X-Slack-Signature`` (v0, HMAC-SHA256 over ``v0:{timestamp}:{body}``) unless told to forge
one, and returns ``Reply(status, headers, body)``; ``reply.json()`` decodes the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.support.fakeslack import TEAM_ID

_ids = itertools.count(1)


def sign(secret: str, timestamp: int, body: str) -> str:
    """Slack's v0 request signature."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class SlackSender:
    """Sends what Slack would send to ``url`` (the app's /slack/events)."""

    url: str
    secret: str
    response_url: str = "http://127.0.0.1:9/response/none"
    _connection: http.client.HTTPConnection | None = field(default=None, repr=False)

    # -- raw ----------------------------------------------------------------------------------

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        stamp = int(time.time()) if timestamp is None else timestamp
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": signature or sign(self.secret, stamp, body),
            **(headers or {}),
        }
        return self.request("POST", urlsplit(self.url).path, body.encode(), sent)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return Reply(
                    response.status, {k.lower(): v for k, v in response.getheaders()}, data
                )
            except (ConnectionError, http.client.RemoteDisconnected):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            parts = urlsplit(self.url)
            self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- what Slack sends ------------------------------------------------------------------------

    def command(
        self,
        text: str,
        *,
        user: str = "U0ASKER001",
        channel: str = "C0GENERAL1",
        trigger_id: str | None = None,
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> Reply:
        """``/lingo text``, form-encoded, with Slack's HTML escaping of & < >."""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        fields = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "asker",
            "command": "/lingo",
            "text": escaped,
            "api_app_id": "A0LINGO001",
            "is_enterprise_install": "false",
            "response_url": self.response_url,
            "trigger_id": trigger_id or f"{next(_ids)}.1.trigger",
        }
        return self.post(
            urlencode(fields), "application/x-www-form-urlencoded", headers=headers, **options
        )

    def interaction(self, payload: dict[str, Any], **options: Any) -> Reply:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **options)

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0ASKER001",
        ephemeral: bool = True,
        action_ts: str | None = None,
        **options: Any,
    ) -> Reply:
        """A click on a button of a message (ephemeral, as our answers are, by default)."""
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "asker", "team_id": TEAM_ID},
            "api_app_id": "A0LINGO001",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": "1700000000.000100",
                "channel_id": "C0GENERAL1",
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"{next(_ids)}.2.trigger",
            "team": {"id": TEAM_ID, "domain": "fake"},
            "channel": {"id": "C0GENERAL1", "name": "general"},
            "response_url": self.response_url,
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b1",
                    "text": {"type": "plain_text", "text": "button"},
                    "value": value,
                    "type": "button",
                    "action_ts": action_ts or f"{time.time():.6f}{next(_ids)}",
                }
            ],
        }
        return self.interaction(payload, **options)

    def shortcut(
        self,
        message_text: str,
        *,
        callback_id: str = "explain_jargon",
        user: str = "U0ASKER001",
        **options: Any,
    ) -> Reply:
        """The message shortcut on a message with ``message_text``."""
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": f"{next(_ids)}.3.trigger",
            "action_ts": f"{time.time():.6f}",
            "message_ts": "1700000000.000200",
            "response_url": self.response_url,
            "team": {"id": TEAM_ID, "domain": "fake"},
            "channel": {"id": "C0GENERAL1", "name": "general"},
            "user": {"id": user, "name": "asker", "team_id": TEAM_ID},
            "token": "legacy-verification-token",
            "message": {
                "type": "message",
                "user": "U0AUTHOR01",
                "ts": "1700000000.000200",
                "text": message_text,
            },
        }
        return self.interaction(payload, **options)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, **options: Any) -> Reply:
        """An Events API callback."""
        body = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0LINGO001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "U0BOT00001", "is_bot": True}],
        }
        return self.post(json.dumps(body), "application/json", **options)

    def home_opened(self, user: str = "U0ASKER001", **options: Any) -> Reply:
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": "D0HOME0001",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            **options,
        )
