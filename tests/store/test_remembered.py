"""Per-person values remembered for a while: loaded once, fresh for max_age, bounded."""

from __future__ import annotations

import pytest

from bot.store.remembered import Remembered


class Loads:
    """A loader that counts its calls and can be told to fail."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail = False

    def __call__(self, user_id: str) -> str:
        self.calls.append(user_id)
        if self.fail:
            raise OSError("the store is down")
        return f"value of {user_id}"


def test_a_value_is_loaded_once_while_fresh_then_again() -> None:
    now = [0.0]
    remembered: Remembered[str] = Remembered(max_age=60, clock=lambda: now[0])
    load = Loads()
    assert remembered.get("U1", load) == "value of U1"
    now[0] = 59.9
    assert remembered.get("U1", load) == "value of U1"
    assert load.calls == ["U1"]
    now[0] = 60.0
    remembered.get("U1", load)
    assert load.calls == ["U1", "U1"]


def test_put_is_seen_at_once_and_forget_loads_again() -> None:
    remembered: Remembered[str] = Remembered(max_age=60, clock=lambda: 0.0)
    load = Loads()
    remembered.put("U1", "chosen here")
    assert remembered.get("U1", load) == "chosen here"
    assert load.calls == []
    remembered.forget("U1")
    assert remembered.get("U1", load) == "value of U1"
    assert load.calls == ["U1"]


def test_a_failed_load_is_not_remembered() -> None:
    remembered: Remembered[str] = Remembered(max_age=60, clock=lambda: 0.0)
    load = Loads()
    load.fail = True
    with pytest.raises(OSError, match="store is down"):
        remembered.get("U1", load)
    assert len(remembered) == 0
    load.fail = False
    assert remembered.get("U1", load) == "value of U1"


def test_the_least_recently_asked_go_first_when_full() -> None:
    remembered: Remembered[str] = Remembered(max_age=60, max_people=2, clock=lambda: 0.0)
    load = Loads()
    remembered.get("U1", load)
    remembered.get("U2", load)
    remembered.get("U1", load)  # U1 asked again: U2 is now the oldest
    remembered.get("U3", load)
    assert len(remembered) == 2
    remembered.get("U1", load)
    remembered.get("U2", load)
    assert load.calls == ["U1", "U2", "U3", "U2"]
