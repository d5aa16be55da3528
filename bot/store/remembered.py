"""Per-person values remembered for a while, so answering a lookup never waits on a store.

A lookup needs two facts about the person who asked — the language they chose and whether
they are learning — and a Slack locale; reading them on every request costs more than the
answer itself. ``Remembered`` keeps each value for ``max_age`` seconds, for at most
``max_people`` people (the least recently asked go first). A change made through this
process is seen at once (``put`` / ``forget``); one made by another replica on the shared
database is seen within ``max_age``. A load that raises is not remembered: the next request
asks again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PEOPLE = 10_000
SHARED_SECONDS = 60.0
"""How long a value that another replica may change (a language choice, learning on or off)
is kept: the longest a change made elsewhere takes to be seen here."""


class Remembered(Generic[T]):
    """A value per person, loaded on demand and remembered; thread-safe."""

    def __init__(
        self,
        *,
        max_age: float,
        max_people: int = MAX_PEOPLE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_age = max_age
        self._max_people = max_people
        self._clock = clock
        self._values: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_id: str, load: Callable[[str], T]) -> T:
        """The value for ``user_id``: remembered if fresh, else ``load(user_id)`` (remembered)."""
        now = self._clock()
        with self._lock:
            known = self._values.get(user_id)
            if known is not None and now - known[0] < self._max_age:
                self._values.move_to_end(user_id)
                return known[1]
        value = load(user_id)
        self.put(user_id, value, at=now)
        return value

    def put(self, user_id: str, value: T, *, at: float | None = None) -> None:
        """Remember ``value`` for ``user_id`` (what this process just stored)."""
        with self._lock:
            self._values[user_id] = (self._clock() if at is None else at, value)
            self._values.move_to_end(user_id)
            while len(self._values) > self._max_people:
                self._values.popitem(last=False)

    def forget(self, user_id: str) -> None:
        """Drop what is remembered for ``user_id``: the next ``get`` loads it again."""
        with self._lock:
            self._values.pop(user_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)
