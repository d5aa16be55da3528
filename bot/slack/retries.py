"""Slack retries a request it thinks failed (``X-Slack-Retry-Num``); a retry must not act twice.

Each request that can have a side effect has a key Slack keeps across retries: the event id,
the trigger id / action time of an interaction, or a form's view and submitted values. A
global middleware notes the key of every request, /lingo included, and the key is claimed
the first time a listener asks ``is_duplicate`` before acting: a request whose key was
already claimed is a repeat, and the listener answers without acting again (a share is not
posted twice, a subscription not stored twice). A request that only reads never asks, so it
costs no claim. A lookup asks with ``everywhere=False``: its only effect is one count in the
anonymous lookup log, not worth a database write on every answer, so it is claimed in this
process only (a retry that reaches another replica is counted twice; Slack does not retry
slash commands, so that takes a replay). A listener that fails unexpectedly releases its
claim so a retry can redo it.

Claims last ten minutes, longer than Slack keeps retrying. Where they are kept is chosen by
``bot.runtime``: with a database the replicas share, in it (``bot.store.claims.DatabaseClaims``),
so a retry that a load balancer sends to another replica is not acted on again; without one
(or while it fails), in this process (``SeenRequests``).
"""

from __future__ import annotations

import hashlib
import json
import logging
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

    def claim_here(self, key: str) -> bool:
        """The same as ``claim``: this process is the only place these claims are kept."""
        return self.claim(key)

    def release(self, key: str) -> None:
        """Forget ``key`` so the next request with it is acted on."""
        with self._lock:
            self._claimed.pop(key, None)


def request_key(body: Mapping[str, Any]) -> str | None:
    """What stays the same when Slack retries this request; None if nothing needs guarding."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("type") == "block_actions":
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else {}
        first = first if isinstance(first, dict) else {}
        user = _field(body.get("user"), "id")
        stamp = first.get("action_ts") or body.get("trigger_id")
        return f"action:{user}:{first.get('action_id')}:{stamp}" if stamp else None
    if body.get("type") == "view_submission":
        # The same form sent with the same values: a replay. Changed values are a new request.
        view = body.get("view")
        if not isinstance(view, dict) or not view.get("id"):
            return None
        values = json.dumps(view.get("state"), sort_keys=True, default=str)
        digest = hashlib.sha256(values.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"view:{_field(body.get('user'), 'id')}:{view['id']}:{digest}"
    if body.get("type") in ("message_action", "shortcut") and body.get("trigger_id"):
        return f"shortcut:{body['trigger_id']}"
    if body.get("command") and body.get("trigger_id"):
        return f"command:{body['trigger_id']}"
    return None


def _field(value: object, name: str) -> str:
    return str(value.get(name, "")) if isinstance(value, dict) else ""


class RequestClaim:
    """The claim of one request's key, made the first time a listener asks (then remembered)."""

    def __init__(self, seen: Claims, key: str, retry: str | None, logger: logging.Logger) -> None:
        self._seen = seen
        self._key = key
        self._retry = retry
        self._logger = logger
        self._repeat: bool | None = None  # not asked yet

    def is_repeat(self, *, everywhere: bool = True) -> bool:
        """True if another delivery of this request already claimed its key (``everywhere``:
        on any replica; else in this process, which costs no database write)."""
        if self._repeat is None:
            claim = self._seen.claim if everywhere else self._seen.claim_here
            self._repeat = not claim(self._key)
            if self._repeat:
                self._logger.info(
                    "repeated request %s (retry %s): not acting again", self._key, self._retry or 0
                )
        return self._repeat

    def release(self) -> None:
        """Give the key back if this request claimed it, so a retry acts again."""
        if self._repeat is False:
            self._seen.release(self._key)
            self._repeat = None


class ClaimRequests(Middleware):
    """A Bolt global middleware that gives each request its ``RequestClaim`` (not yet made)."""

    def __init__(self, seen: Claims) -> None:
        self._seen = seen

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse:
        key = request_key(req.body)
        if key is not None:
            retry = req.headers.get("x-slack-retry-num", [None])[0]
            context = req.context
            context["request_claim"] = RequestClaim(self._seen, key, retry, context.logger)
        return next()


def is_duplicate(context: BoltContext, *, everywhere: bool = True) -> bool:
    """True if this request was already handled (a Slack retry or a replay); claims it if not.

    ``everywhere=False`` claims it in this process only (see the module's docstring)."""
    request_claim = context.get("request_claim")
    return isinstance(request_claim, RequestClaim) and request_claim.is_repeat(
        everywhere=everywhere
    )


def release(context: BoltContext) -> None:
    """Let a retry of this request act again (after an unexpected failure)."""
    request_claim = context.get("request_claim")
    if isinstance(request_claim, RequestClaim):
        request_claim.release()
