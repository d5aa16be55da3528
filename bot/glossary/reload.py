"""Live reload: glossary changes are served within seconds, a broken glossary never is.

A daemon thread looks at the glossary folder every ``LINGO_RELOAD_SECONDS`` (a cheap
fingerprint of file names, sizes and modification times), and on SIGHUP at once. When
something changed, it waits for the folder to settle, validates the whole glossary off to
the side and swaps it in with ``LiveGlossary.replace``: requests keep using the snapshot
they started with, so none fails or waits. An invalid glossary is not applied: every
problem is logged with its file and line, and ``on_result`` hears of it (the Slack edge
tells the admins once per broken state: ``bot.slack.notify``). Nothing here knows Slack.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Literal

from bot.errors import GlossaryError, Problem
from bot.glossary import Glossary, validate_glossary
from bot.glossary.live import LiveGlossary
from bot.ops import metrics

log = logging.getLogger(__name__)

Outcome = Literal["applied", "rejected", "unchanged"]
Fingerprint = tuple[tuple[str, int, int, int], ...]

# Reloads in one process run one at a time, so an older glossary never replaces a newer one.
_RELOAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class ReloadResult:
    """What one reload did, and the glossary served afterwards."""

    outcome: Outcome
    served: Glossary
    problems: tuple[Problem, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for people: what is served now and what changed."""
        count = f"{len(self.served)} terms"
        if self.outcome == "rejected":
            n = len(self.problems)
            return (
                f"The glossary has {n} problem{'s' if n != 1 else ''} and was not applied; "
                f"still serving the previous one ({count})."
            )
        if self.outcome == "unchanged":
            return f"The glossary is unchanged ({count})."
        parts = [
            f"{len(ids)} {what}"
            for ids, what in (
                (self.added, "added"),
                (self.changed, "changed"),
                (self.removed, "removed"),
            )
            if ids
        ]
        return f"Reloaded the glossary: {count}" + (f" ({', '.join(parts)})." if parts else ".")


def folder_fingerprint(directory: Path) -> Fingerprint:
    """Name, size, modification time and inode of every file under ``directory``.

    Symbolic links are followed, so a Kubernetes ConfigMap or a git-sync checkout, which
    swap a link to publish a new version, count as changed. Hidden entries are skipped.
    """
    found: list[tuple[str, int, int, int]] = []
    for root, dirs, files in os.walk(directory, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue  # removed while we looked; the next look sees the new state
            found.append(
                (os.path.relpath(path, directory), info.st_size, info.st_mtime_ns, info.st_ino)
            )
    return tuple(found)


class Reloader:
    """Validates the glossary folder and serves it if it is valid."""

    def __init__(
        self,
        live: LiveGlossary,
        directory: Path,
        on_result: Callable[[ReloadResult], None] | None = None,
    ) -> None:
        self.live = live
        self.directory = directory
        self._on_result = on_result

    def reload(self, reason: str) -> ReloadResult:
        """Validate and, if valid and different, replace the served glossary."""
        with _RELOAD_LOCK:
            result = self._reload()
        metrics.GLOSSARY_RELOADS.labels(result.outcome).inc()
        if result.outcome == "rejected":
            for problem in result.problems:
                log.error("glossary problem: %s", problem)
            log.warning("glossary reload (%s) rejected: %s", reason, result.summary())
        elif result.outcome == "applied":
            log.info("glossary reload (%s): %s", reason, result.summary())
        else:
            log.debug("glossary reload (%s): %s", reason, result.summary())
        if self._on_result is not None:
            self._on_result(result)
        return result

    def _reload(self) -> ReloadResult:
        served = self.live.current().glossary
        try:
            report = validate_glossary(self.directory)
        except GlossaryError as error:
            return ReloadResult("rejected", served, (Problem(str(self.directory), 1, str(error)),))
        if report.problems or report.glossary is None:
            return ReloadResult("rejected", served, tuple(sorted(report.problems)))
        new = report.glossary
        if new.fingerprint and new.fingerprint == served.fingerprint:
            return ReloadResult("unchanged", served)
        old_terms, new_terms = served.terms, new.terms
        self.live.replace(new)
        return ReloadResult(
            "applied",
            new,
            added=tuple(sorted(new_terms.keys() - old_terms.keys())),
            removed=tuple(sorted(old_terms.keys() - new_terms.keys())),
            changed=tuple(
                sorted(
                    i for i in new_terms.keys() & old_terms.keys() if new_terms[i] != old_terms[i]
                )
            ),
        )


class GlossaryWatcher:
    """A daemon thread that reloads the glossary when its folder changes or when asked."""

    def __init__(
        self,
        reloader: Reloader,
        interval: float,
        *,
        after_look: Callable[[], None] | None = None,
        settle: float | None = None,
        handle_sighup: bool = True,
    ) -> None:
        """``after_look`` runs after every look (the admin notifier retries there); with
        ``handle_sighup``, ``start`` on the main thread makes SIGHUP reload at once."""
        self.reloader = reloader
        self.interval = interval
        self.settle = min(1.0, interval / 5) if settle is None else settle
        self._after_look = after_look
        self._handle_sighup = handle_sighup
        self._restore_sighup: Callable[[], None] | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._forced = False
        self._seen = folder_fingerprint(reloader.directory)
        self._thread = threading.Thread(
            target=self._run, name="lingo-glossary-watcher", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        if self._handle_sighup:
            self._restore_sighup = _install_sighup(self)
        log.info(
            "watching %s for glossary changes every %ss", self.reloader.directory, self.interval
        )

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() or not self._thread.ident

    def stop(self, timeout: float = 5.0) -> None:
        if self._restore_sighup is not None:
            self._restore_sighup()
            self._restore_sighup = None
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def reload_soon(self) -> None:
        """Reload at once on the watcher thread; safe to call from a signal handler."""
        self._forced = True
        self._wake.set()

    def check(self) -> ReloadResult | None:
        """Reload if asked to or if the folder changed; None when there was nothing to do."""
        forced, self._forced = self._forced, False
        current = folder_fingerprint(self.reloader.directory)
        if current == self._seen and not forced:
            return None
        current = self._settled(current)
        self._seen = current
        return self.reloader.reload("signal" if forced else "files changed")

    def _settled(self, current: Fingerprint) -> Fingerprint:
        """Wait until the folder stops changing (a git pull writes many files), a few rounds."""
        for _ in range(5):
            if self._stop.wait(self.settle):
                break
            again = folder_fingerprint(self.reloader.directory)
            if again == current:
                break
            current = again
        return current

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.check()
                if self._after_look is not None:
                    self._after_look()
            except Exception:  # the watcher must outlive any bug; it is logged, not hidden
                with contextlib.suppress(Exception):  # out of memory even to log: keep watching
                    log.exception(
                        "glossary watcher failed; it will look again in %ss", self.interval
                    )


def _install_sighup(watcher: GlossaryWatcher) -> Callable[[], None] | None:
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        log.debug("SIGHUP reload not installed: not on the main thread")
        return None
    previous = signal.getsignal(signal.SIGHUP)

    def on_sighup(signum: int, frame: FrameType | None) -> None:
        watcher.reload_soon()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGHUP, on_sighup)

    def restore() -> None:
        if signal.getsignal(signal.SIGHUP) is on_sighup:
            signal.signal(signal.SIGHUP, previous)

    return restore
