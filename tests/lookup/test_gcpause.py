"""bot/lookup/gcpause.py: the cycle collector waits while any build runs, and then runs as
it did before (or stays off, if the process had turned it off)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from bot.lookup.gcpause import paused_gc


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_waits_during_a_build_and_runs_after() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_builds_resume_it_when_the_last_one_ends() -> None:
    gc.enable()
    first_started, second_done = threading.Event(), threading.Event()
    during: list[bool] = []

    def first() -> None:
        with paused_gc():
            first_started.set()
            second_done.wait()
            during.append(gc.isenabled())

    thread = threading.Thread(target=first)
    thread.start()
    first_started.wait()
    with paused_gc():
        pass
    during.append(gc.isenabled())  # the first build still runs
    second_done.set()
    thread.join()
    assert during == [False, False]
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_process_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_it_resumes_when_a_build_fails() -> None:
    gc.enable()
    with pytest.raises(ValueError, match="broken"), paused_gc():
        raise ValueError("a broken glossary")
    assert gc.isenabled()
