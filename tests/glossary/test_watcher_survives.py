"""The glossary watcher outlives any failure and keeps watching (issue 12, item 2)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from bot.glossary import load_glossary
from bot.glossary.live import LiveGlossary
from bot.glossary.reload import GlossaryWatcher, Reloader, ReloadResult
from tests.conftest import ROOT
from tests.glossary.test_load_limits import alias_bomb

MINI = ROOT / "tests" / "data" / "mini-glossary"
NEW_TERM = (
    "id: {id}\nname: {name}\ncategory: basics\n"
    "definition: A term added while the watcher runs, to see that it still looks.\n"
)


def test_the_watcher_keeps_watching_after_failures(tmp_path: Path) -> None:
    root = tmp_path / "glossary"
    shutil.copytree(MINI, root)
    live = LiveGlossary(load_glossary(root))
    heard: list[ReloadResult] = []
    events = {name: threading.Event() for name in ("bomb", "first", "second")}
    failures = iter([MemoryError("out of memory"), RuntimeError("a bug in a listener")])

    def on_result(result: ReloadResult) -> None:
        heard.append(result)
        if result.outcome == "rejected":
            events["bomb"].set()
        for name in ("first", "second"):
            if result.served.term(f"{name}-term") is not None:
                events[name].set()
        failure = next(failures, None)
        if failure is not None:
            raise failure

    watcher = GlossaryWatcher(
        Reloader(live, root, on_result), interval=0.05, settle=0.01, handle_sighup=False
    )
    watcher.start()
    try:
        (root / "terms" / "bomb.yaml").write_text(alias_bomb())
        assert events["bomb"].wait(10), "the bomb was looked at"
        (root / "terms" / "bomb.yaml").unlink()
        (root / "terms" / "first-term.yaml").write_text(
            NEW_TERM.format(id="first-term", name="First")
        )
        assert events["first"].wait(10), "a valid edit after a MemoryError is served"
        (root / "terms" / "second-term.yaml").write_text(
            NEW_TERM.format(id="second-term", name="Second")
        )
        assert events["second"].wait(10), "and the one after a second failure too"
        assert watcher.alive
    finally:
        watcher.stop()
    assert live.current().glossary.term("second-term") is not None
    assert heard[0].outcome == "rejected"
    assert "anchors and aliases" in heard[0].problems[0].message
