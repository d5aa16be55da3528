"""The offline console on a real (pseudo-)terminal, as a newcomer meets it after `make run`."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import ENVIRONMENT
from tests.support.terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PROMPT = r"/lingo \Z"


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT and k != "COLUMNS"}
    return env | {
        "LINGO_DATA_DIR": str(tmp_path / "data"),
        "LINGO_GLOSSARY_DIR": str(DATA / "mini-glossary"),
        "TERM": "xterm",
        "INPUTRC": os.devnull,  # nobody's own key bindings
    }


@pytest.fixture
def console(environment: dict[str, str]) -> Iterator[Terminal]:
    terminal = Terminal([sys.executable, "-m", "bot", "console"], env=environment, cwd=ROOT)
    terminal.expect(r"Leave with `quit`, `exit`, Ctrl-D or Ctrl-C\.")
    terminal.expect(PROMPT)
    yield terminal
    terminal.close()


def test_the_banner_names_the_ways_out_and_the_comforts(environment: dict[str, str]) -> None:
    terminal = Terminal([sys.executable, "-m", "bot", "console"], env=environment, cwd=ROOT)
    try:
        terminal.expect(r"put\s+these lines in \.env")
        terminal.expect(r"Tab completes commands and term names")
        terminal.expect(PROMPT)
        terminal.type("quit\r")
        assert terminal.wait() == 0
    finally:
        terminal.close()


@pytest.mark.parametrize("key", ["\x04", "\x03"], ids=["ctrl-d", "ctrl-c"])
def test_ctrl_d_and_ctrl_c_leave_cleanly_on_a_line_of_their_own(
    console: Terminal, key: str
) -> None:
    console.type(key)
    assert console.wait() == 0
    assert "Traceback" not in console.screen
    assert console.screen.endswith("/lingo \n")  # the shell's prompt starts on a new line


@pytest.mark.parametrize("word", ["quit", "exit"])
def test_quit_and_exit_leave(console: Terminal, word: str) -> None:
    console.type(f"{word}\r")
    assert console.wait() == 0


def test_arrow_keys_edit_and_recall_and_history_outlives_the_session(
    console: Terminal, environment: dict[str, str]
) -> None:
    console.type("lora\r")
    console.expect(r"LoRA \(Low-Rank Adaptation\)\n=+")
    console.expect(PROMPT)
    console.type("\x1b[A\r")  # ↑, Enter: the same lookup again
    console.expect(r"LoRA \(Low-Rank Adaptation\)\n=+")
    console.expect(PROMPT)
    console.type("tokxn\x1b[D\x7fe\r")  # ←, Backspace, "e": "token"
    console.expect(r"Token\n=====")
    console.type("quit\r")
    assert console.wait() == 0
    assert "^[[A" not in console.screen

    history = Path(environment["LINGO_DATA_DIR"]) / "console_history"
    assert history.read_text().splitlines() == ["lora", "token", "quit"]  # no repeats
    again = Terminal([sys.executable, "-m", "bot", "console"], env=environment, cwd=ROOT)
    try:
        again.expect(PROMPT)
        again.type("\x1b[A" * 3 + "\r")  # three lines back, from the last session
        again.expect(r"LoRA \(Low-Rank Adaptation\)\n=+")
        again.type("\x04")
        assert again.wait() == 0
    finally:
        again.close()


def test_tab_completes_term_names_and_commands(console: Terminal) -> None:
    console.type("random f\t\r")  # "Random Forest", a term named like a command
    console.expect(r"Random Forest\n=+")
    console.expect(PROMPT)
    console.type("unsub\t\r")
    console.expect(r"In Slack, `/lingo unsubscribe` stops")
    console.type("quit\r")
    assert console.wait() == 0


def test_answers_fit_the_terminal_and_names_stay_whole(environment: dict[str, str]) -> None:
    terminal = Terminal(
        [sys.executable, "-m", "bot", "console"], env=environment, cwd=ROOT, columns=44
    )
    try:
        terminal.expect(PROMPT)
        terminal.type("lora\r")
        card = terminal.expect(r"(LoRA \(Low-Rank Adaptation\)\n(.*\n)*?)Source:").group(1)
        terminal.type("quit\r")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert all(len(line) <= 44 for line in card.splitlines()), card
    assert "Fine-Tuning" in card  # in Related, on one line: never "Fine-" then "Tuning"
    assert not re.search(r"-\n", card), card


def test_ctrl_c_in_make_run_leaves_without_makes_error_line(
    environment: dict[str, str], tmp_path: Path
) -> None:
    stamp = tmp_path / "installed"  # newer than pyproject.toml: make installs nothing
    stamp.touch()
    venv = Path(sys.executable).parent.parent
    terminal = Terminal(
        ["make", "--no-print-directory", "run", f"VENV={venv}", f"STAMP={stamp}"],
        env=environment,
        cwd=ROOT,
    )
    try:
        terminal.expect(PROMPT)
        terminal.type("\x03")
        terminal.wait()
    finally:
        terminal.close()
    assert "make: ***" not in terminal.screen
    assert "Error 130" not in terminal.screen
    assert "Traceback" not in terminal.screen
