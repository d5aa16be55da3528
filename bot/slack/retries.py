"""Slack retries a request it thinks failed (``X-Slack-Retry-Num``); a retry must not act twice.

Each request that can have a side effect has a key Slack keeps across retries: the event id,
or the trigger id / action time of an interaction. A global middleware claims the key (the
/lingo command, answered before that middleware runs, claims its own with ``claim``); a
request whose key was already claimed is marked ``duplicate`` in the Bolt context, and the
listeners then answer without acting again (a share is not posted twice, a lookup is not
recorded twice). A listener that fails unexpectedly releases its claim so a retry can redo it.

Claims last ten minutes, longer than Slack keeps retrying. Where they are kept is chosen by
``bot.runtime``: with a database the replicas share, in it (``bot.store.claims.DatabaseClaims``),
so a retry that a load balancer sends to another replica is not acted on again; without one
(or while it fails), in this process (``SeenRequests``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.store.claims import KEEP_SECONDS, Claims

MAX_KEYS = 100_000


class SeenRequests:
    """Request keys claimed in the last ``keep`` seconds; thread-safe."""

    def __init__(self, keep: float = KEEP_SECONDS, max_keys: int = MAX_KEYS) -> None:
        self._keep = keep
        self._max_keys = max_keys
        self._claimed: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """True the first time ``key`` is seen (within ``keep`` seconds), False afterwards."""
        now = time.monotonic()
        with self._lock:
            while self._claimed:
                oldest, at = next(iter(self._claimed.items()))
                if now - at < self._keep and len(self._claimed) < self._max_keys:
                    break
                del self._claimed[oldest]
            if key in self._claimed:
                return False
            self._claimed[key] = now
            return True

    def release(self, key: str) -> None:
        """Forget ``key`` so the next request with it is acted on."""
        with self._lock:
            self._claimed.pop(key, None)


def request_key(body: Mapping[str, Any]) -> str | None:
    """What stays the same when Slack retries this request; None if nothing needs guarding."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("type") == "block_actions":
        actions = body.get("actions") or [{}]
        user = (body.get("user") or {}).get("id", "")
        stamp = actions[0].get("action_ts") or body.get("trigger_id")
        return f"action:{user}:{actions[0].get('action_id')}:{stamp}" if stamp else None
    if body.get("type") in ("message_action", "shortcut") and body.get("trigger_id"):
        return f"shortcut:{body['trigger_id']}"
    if body.get("command") and body.get("trigger_id"):
        return f"command:{body['trigger_id']}"
    return None


class ClaimRequests(Middleware):
    """A Bolt global middleware that marks repeated requests as ``context["duplicate"]``."""

    def __init__(self, seen: Claims) -> None:
        self._seen = seen

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse:
        claim(self._seen, req, request_key(req.body))
        return next()


def claim(seen: Claims, req: BoltRequest, key: str | None) -> bool:
    """Claim ``key`` for ``req`` and note the outcome in its context; True if a repeat."""
    duplicate = False
    context = req.context
    if key is not None:
        duplicate = not seen.claim(key)
        context["request_key"] = key
        context["release_request"] = lambda: seen.release(key)
    context["duplicate"] = duplicate
    if duplicate:
        retry = req.headers.get("x-slack-retry-num", ["0"])[0]
        context.logger.info("repeated request %s (retry %s): not acting again", key, retry)
    return duplicate


def is_duplicate(context: BoltContext) -> bool:
    """True if this request was already handled (a Slack retry or a replay)."""
    return bool(context.get("duplicate"))


def release(context: BoltContext) -> None:
    """Let a retry of this request act again (after an unexpected failure)."""
    release_request = context.get("release_request")
    if callable(release_request):
        release_request()
