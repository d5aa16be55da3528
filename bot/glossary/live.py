"""The glossary in service: swapped whole on reload, so readers never see half of a change.

Readers call ``current()`` once per request and use that snapshot to the end; a reload
builds the new glossary and resolver off to the side and swaps one reference.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.glossary.model import Glossary
from bot.lookup.resolver import Resolver


@dataclass(frozen=True)
class Snapshot:
    """One glossary and the resolver built over it."""

    glossary: Glossary
    resolver: Resolver
    loaded_at: datetime


class LiveGlossary:
    """Holds the glossary being served; thread-safe, lock-free for readers."""

    def __init__(self, glossary: Glossary) -> None:
        self._snapshot = Snapshot(glossary, Resolver(glossary), datetime.now(UTC))
        self._write_lock = threading.Lock()
        self._listeners: list[Callable[[Snapshot], None]] = []

    def current(self) -> Snapshot:
        """The snapshot to use for one request."""
        return self._snapshot

    def replace(self, glossary: Glossary) -> Snapshot:
        """Index ``glossary`` and start serving it; returns the new snapshot."""
        snapshot = Snapshot(glossary, Resolver(glossary), datetime.now(UTC))
        with self._write_lock:
            self._snapshot = snapshot
            listeners = list(self._listeners)
        for listener in listeners:
            listener(snapshot)
        return snapshot

    def on_replace(self, listener: Callable[[Snapshot], None]) -> None:
        """Call ``listener`` with each new snapshot (metrics, the App Home, ...)."""
        with self._write_lock:
            self._listeners.append(listener)


class IndexWarmup:
    """A service that builds each served resolver's ranking index in the background.

    A resolver answers names, aliases and typos as soon as it exists; its ranking index
    (descriptions, search) takes longer to build — seconds at 10,000 terms. Started, this
    builds it for the glossary in service and again after every reload, on a thread of its
    own, so no lookup waits for it unless it comes first.
    """

    def __init__(self, live: LiveGlossary) -> None:
        self._live = live
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._live.on_replace(self._warm)
        self._warm(self._live.current())

    def stop(self) -> None:
        """Nothing to stop: a build finishes on its own (its thread does not hold up exit)."""

    def wait(self, timeout: float) -> bool:
        """Wait for the builds started so far; False if they take over ``timeout`` seconds."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
        return not any(thread.is_alive() for thread in threads)

    def _warm(self, snapshot: Snapshot) -> None:
        thread = threading.Thread(
            target=snapshot.resolver.prepare, name="lingo-index-warmup", daemon=True
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
