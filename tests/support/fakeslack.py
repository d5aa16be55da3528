"""A local fake of the Slack Web API on loopback that records everything the bot sends.

Point the bot at ``fake.api_url`` (the SLACK_API_URL setting). Each call is recorded as a
``Call(method, params, headers)``; ``fail_next`` makes the next calls of a method fail
with an HTTP status (429 carries Retry-After), a Slack error, or a dropped connection.
Responses follow the Web API's shape: ``{"ok": true, ...}``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TEAM_ID = "T0FAKE0001"
BOT_USER_ID = "U0BOT00001"
BOT_ID = "B0BOT00001"


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    status: int = 500
    error: str | None = None
    retry_after: int = 1
    disconnect: bool = False


class FakeSlack:
    """Start with ``with FakeSlack() as fake:``; ``fake.calls`` lists what arrived."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        # The Slack locale of each user id (users.info with include_locale); en-US otherwise.
        self.locales: dict[str, str] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                fake._handle(self)

            def do_GET(self) -> None:
                fake._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "1") -> str:
        """A response_url that records posts under the method name 'response_url'."""
        return f"{self.base_url}/response/{name}"

    # -- programming failures and reading calls -----------------------------------------

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int = 500,
        error: str | None = None,
        retry_after: int = 1,
        disconnect: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail."""
        with self._lock:
            self._failures.setdefault(method, []).extend(
                _Failure(status, error, retry_after, disconnect) for _ in range(times)
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``count`` calls of ``method`` arrived; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(
            f"expected {count} call(s) to {method}, got {len(self.calls_to(method))}"
        )

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self.locales.clear()

    # -- serving --------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode("utf-8") if length else ""
        path = request.path.split("?", 1)[0]
        if path.startswith("/api/"):
            method = path[len("/api/") :]
        elif path.startswith("/response/"):
            method = "response_url"
        else:
            method = path.strip("/")
        params = _parse(raw, request.headers.get("Content-Type", ""))
        headers = {k.lower(): v for k, v in request.headers.items()}
        with self._lock:
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
            self.calls.append(Call(method, params, headers))
        if failure and failure.disconnect:
            request.close_connection = True
            request.connection.close()
            return
        if failure and failure.error:
            self._send(request, 200, {"ok": False, "error": failure.error})
            return
        if failure:
            extra = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
            self._send(request, failure.status, {"ok": False, "error": "fake_failure"}, extra)
            return
        self._send(request, 200, self._reply(method, params))

    def _reply(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "lingo",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = f"{1_700_000_000 + next(self._ts)}.000100"
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": params}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1_700_000_000 + next(self._ts)}.000200"}
        if method in ("views.publish", "views.open", "views.update"):
            return {"ok": True, "view": {"id": "V0FAKE", **_json_field(params.get("view"))}}
        if method == "conversations.info":
            return {"ok": True, "channel": {"id": params.get("channel"), "name": "general"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))[1:]}}
        if method == "users.info":
            user = {"id": params.get("user"), "tz": "Europe/Berlin"}
            if str(params.get("include_locale", "")).casefold() in ("true", "1"):
                user["locale"] = self.locales.get(str(params.get("user")), "en-US")
            return {"ok": True, "user": user}
        return {"ok": True}

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        loaded = json.loads(raw)
        return loaded if isinstance(loaded, dict) else {"body": loaded}
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for name in ("blocks", "view", "attachments"):
        if isinstance(params.get(name), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[name] = json.loads(params[name])
    return params


def _json_field(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {}
    return value if isinstance(value, dict) else {}
